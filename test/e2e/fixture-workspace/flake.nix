{
  description = "Fixture workspace for the end-to-end tests: one host whose module instantiates nixpkgs itself.";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.host = nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; };
      modules = [ ./modules/a.nix ];
    };
  };
}
