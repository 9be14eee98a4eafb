# ada's home: shell, editor and a couple of newer tools.
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
in
{
  home.username = "ada";
  home.homeDirectory = "/home/ada";
  home.stateVersion = "24.05";

  home.packages = [
    pkgs.fd
    pkgs.jq
    unstable.jujutsu
  ];

  programs.git = {
    enable = true;
    userName = "Ada";
    userEmail = "ada@example.org";
  };

  # Left here for whoever reads ~/.config/nixpkgs on this account.
  xdg.configFile."nixpkgs/README".text = ''
    There is no config.nix here on purpose. Package sets come from the flake
    in ~/src/infra; a stray `import nixpkgs { }` in a script would not see
    this directory anyway under pure evaluation.
  '';

  programs.home-manager.enable = true;
}
