{
  description = "Fixture workspace for the end-to-end tests: hosts whose modules instantiate nixpkgs themselves.";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs = { self, nixpkgs, ... }@inputs: {
    # modules/a.nix passes both `system` and `localSystem` (the diagnostics tests start from it).
    nixosConfigurations.host = nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; };
      modules = [ ./modules/a.nix ];
    };
    # Two hosts load modules/shared.nix, so its instance is evaluated twice: the hoist tests move it here.
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./modules/shared.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./modules/shared.nix ];
    };
  };
}
