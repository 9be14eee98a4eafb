# beta: the home server in the cupboard.
{ ... }:
{
  imports = [
    ../../modules/common.nix
    ../../modules/riscv-tools.nix
    ../../modules/server.nix
  ];

  networking.hostName = "beta";

  boot.loader.grub = {
    enable = true;
    device = "/dev/sda";
  };

  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  system.stateVersion = "24.05";
}
