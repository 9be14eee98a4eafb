# The graphical session on alpha.
{ pkgs, ... }:
{
  nixpkgs.overlays = [
    (final: prev: {
      # The lab's old KVM switch only speaks SSLv3 on its web console.
      openssl = prev.openssl.override { enableSSL3 = true; };
    })
  ];

  services.xserver.enable = true;
  services.xserver.displayManager.gdm.enable = true;
  services.xserver.desktopManager.gnome.enable = true;

  programs.firefox.enable = true;

  environment.systemPackages = [
    pkgs.gimp
    pkgs.wl-clipboard
  ];
}
