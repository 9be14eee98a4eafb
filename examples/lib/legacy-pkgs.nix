# Pinned package set for the deploy scripts that predate the flake:
#   nix-build lib/legacy-pkgs.nix -A hello
let
  nixpkgs = builtins.fetchTarball {
    url = "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz";
  };
in
import nixpkgs {
  system = "x86_64-linux";
  localSystem = "x86_64-linux";
  config.allowUnfree = true;
}
