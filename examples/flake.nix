{
  description = "Three NixOS hosts, one home-manager user and a RISC-V toolbox";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";

    home-manager = {
      url = "github:nix-community/home-manager/release-24.05";
      inputs.nixpkgs.follows = "nixpkgs";
    };

    # Neither of these is a package set, even though one lives under github:NixOS.
    nixos-hardware.url = "github:NixOS/nixos-hardware";
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      nixpkgs-unstable,
      home-manager,
      rust-overlay,
      ...
    }@inputs:
    let
      system = "x86_64-linux";
      forAllSystems = nixpkgs.lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
      ];

      # Every host is a directory under ./hosts; modules get the flake inputs
      # through specialArgs. Remember that each `import nixpkgs { }` evaluates a
      # whole new package set, so this is the place to create them.
      mkHost =
        name:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [
            ./hosts/${name}
            { system.configurationRevision = self.rev or "dirty"; }
          ];
        };
    in
    {
      nixosConfigurations = {
        alpha = mkHost "alpha";
        beta = mkHost "beta";
        gamma = mkHost "gamma";
      };

      homeConfigurations.ada = home-manager.lib.homeManagerConfiguration {
        pkgs = import nixpkgs { inherit system; };
        modules = [ ./home/user.nix ];
        extraSpecialArgs = { inherit inputs; };
      };

      devShells = forAllSystems (
        system:
        let
          pkgs = import nixpkgs {
            inherit system;
            config.allowUnfree = true;
            overlays = [ (import rust-overlay) ];
          };
        in
        {
          default = pkgs.mkShell {
            packages = [
              pkgs.rust-bin.stable.latest.default
              pkgs.nixfmt-rfc-style
              pkgs.vscode
            ];
          };
        }
      );

      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-rfc-style);

      packages.${system}.hello-riscv64 = nixpkgs.legacyPackages.${system}.pkgsCross.riscv64.hello;
    };
}
