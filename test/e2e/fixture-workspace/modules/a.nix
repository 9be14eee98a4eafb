{ inputs, ... }:
let
  pkgs = import inputs.nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
in
{
  environment.systemPackages = [ pkgs.hello ];
}
