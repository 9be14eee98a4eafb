# gamma: the lab machine wired to the RISC-V development board.
{ ... }:
{
  imports = [
    ../../modules/common.nix
    ../../modules/riscv-tools.nix
    ../../modules/firmware.nix
  ];

  networking.hostName = "gamma";

  boot.loader.systemd-boot.enable = true;

  services.udev.extraRules = ''
    SUBSYSTEM=="usb", ATTR{idVendor}=="0403", ATTR{idProduct}=="6010", GROUP="dialout", MODE="0660"
  '';

  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  system.stateVersion = "24.05";
}
