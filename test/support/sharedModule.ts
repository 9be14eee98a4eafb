/**
 * The smallest workspace with a hoist to offer: two hosts of flake.nix load m.nix, whose
 * `u = import inputs.nixpkgs-unstable { ... }` (line 2, from character 6) is an instance in a
 * module. For the tests over stdio that ask for code actions.
 */
export const SHARED_MODULE_WORKSPACE = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, ... }@inputs: {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./m.nix ];
      };
      nixosConfigurations.b = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./m.nix ];
      };
    };
  }
  #- /m.nix
  { pkgs, inputs, ... }:
  let
    u = import inputs.nixpkgs-unstable { system = pkgs.system; };
  in { environment.systemPackages = [ u.hello ]; }
`;
