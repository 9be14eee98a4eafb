# Loaded by two hosts (alpha and beta in flake.nix): its own nixpkgs instance is evaluated once per host.
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; config.allowUnfree = true; };
in
{
  environment.systemPackages = [ unstable.helix ];
}
