# Shared by every host: the admin user, Nix settings, and a few tools we want
# newer than the 24.05 release.
{
  config,
  pkgs,
  inputs,
  ...
}:
let
  unstable = import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{
  nix.settings = {
    experimental-features = [
      "nix-command"
      "flakes"
    ];
    trusted-users = [ "@wheel" ];
  };

  users.users.ada = {
    isNormalUser = true;
    extraGroups = [
      "wheel"
      "dialout"
    ];
  };

  environment.systemPackages = [
    pkgs.git
    pkgs.htop
    pkgs.ripgrep
    unstable.helix
    unstable.nixd
  ];

  environment.shellAliases = {
    nixpkgs-repl = "nix repl --expr 'import <nixpkgs> { }'";
  };

  environment.etc."motd".text = ''
    ${config.networking.hostName}: managed by the flake in ~/src/infra.
  '';

  services.openssh.enable = true;
  time.timeZone = "Europe/Berlin";
}
