# Services on beta. It shares the flake's already-evaluated package set
# instead of asking NixOS to evaluate another one.
{ inputs, ... }:
{
  nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
  nixpkgs.config.allowUnfree = true;

  services.unifi.enable = true;

  services.nginx = {
    enable = true;
    virtualHosts."beta.lan".locations."/".proxyPass = "https://127.0.0.1:8443";
  };

  networking.firewall.allowedTCPPorts = [
    80
    8443
  ];
}
