# alpha: the workstation. Desktop, RISC-V development, and QEMU so it can run
# riscv64 binaries and build for the boards natively-emulated.
{ inputs, ... }:
{
  imports = [
    inputs.nixos-hardware.nixosModules.common-cpu-amd
    ../../modules/common.nix
    ../../modules/riscv-tools.nix
    ../../modules/desktop.nix
  ];

  networking.hostName = "alpha";

  boot.loader.systemd-boot.enable = true;
  boot.binfmt.emulatedSystems = [ "riscv64-linux" ];

  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  system.stateVersion = "24.05";
}
