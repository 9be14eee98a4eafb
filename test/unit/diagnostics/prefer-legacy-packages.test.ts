import { test } from 'node:test';
import { checkDiagnostics } from '../../support/fixture.js';

const only = ['prefer-legacy-packages'];

test('fires for an input instantiated with nothing but a system, naming the legacyPackages to use', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.unstable.url = "github:nixos/nixpkgs?ref=nixos-unstable";
      inputs.flake-utils.url = "github:numtide/flake-utils";
      outputs = { self, nixpkgs, unstable, flake-utils, home-manager, ... }@inputs:
        let
          system = "x86_64-linux";
        in
        {
          homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
            pkgs = import nixpkgs { inherit system; };
            #      ^^^^^^^^^^^^^^ information prefer-legacy-packages: Use the shared nixpkgs.legacyPackages.\${system}.
            modules = [ ];
          };
          a = import inputs.unstable { system = "aarch64-linux"; };
          #   ^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages: inputs.unstable.legacyPackages.aarch64-linux
          b = import nixpkgs { localSystem = system; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.\${system}
          c = import nixpkgs { localSystem.system = "riscv64-linux"; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.riscv64-linux
          d = import nixpkgs { localSystem = { system = "x86_64-linux"; }; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.x86_64-linux
          e = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: import nixpkgs { inherit system; });
          #                                                                    ^^^^^^^^^^^^^^ information prefer-legacy-packages
          f = flake-utils.lib.eachDefaultSystem (system: {
            packages.default = (import unstable { system = system; }).hello;
            #                   ^^^^^^^^^^^^^^^ information prefer-legacy-packages: unstable.legacyPackages.\${system}
          });
        };
    }
    `,
    only,
  );
});

test('says how to select the system when localSystem is a platform set', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        overlays.default = final: prev: {
          a = import nixpkgs { localSystem = prev.stdenv.hostPlatform; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.\${prev.stdenv.hostPlatform.system}
          b = import nixpkgs { inherit (prev.stdenv.hostPlatform) system; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.\${prev.stdenv.hostPlatform.system}
          c = import nixpkgs { localSystem = nixpkgs.lib.systems.elaborate "x86_64-linux"; };
          #   ^^^^^^^^^^^^^^ information prefer-legacy-packages: nixpkgs.legacyPackages.\${(nixpkgs.lib.systems.elaborate "x86_64-linux").system}
        };
      };
    }
    `,
    only,
  );
});

test('fires inside a wrapper and inside a module that receives the flake inputs', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }@inputs:
        let
          pkgsFor = system: import nixpkgs { inherit system; };
          #                 ^^^^^^^^^^^^^^ information prefer-legacy-packages
        in
        {
          nixosConfigurations.box = nixpkgs.lib.nixosSystem {
            specialArgs = { inherit inputs; };
            modules = [ ./box.nix ];
          };
          packages.x86_64-linux.hello = (pkgsFor "x86_64-linux").hello;
        };
    }
    #- /box.nix
    {
      pkgs,
      inputs,
      ...
    }:
    let
      unstable = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages: inputs.nixpkgs-unstable.legacyPackages.\${pkgs.stdenv.hostPlatform.system}
    in
    { environment.systemPackages = [ unstable.helix ]; }
    `,
    only,
  );
});

test('does not fire for anything more than a system, or for sources without legacyPackages', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.tools.url = "github:someone/tools";
      outputs = { self, nixpkgs, tools, ... }:
        let
          system = "x86_64-linux";
        in
        {
          a = import nixpkgs { inherit system; config.allowUnfree = true; };
          b = import nixpkgs { inherit system; overlays = [ (final: prev: { }) ]; };
          c = import nixpkgs { localSystem = system; crossSystem = "riscv64-linux"; };
          d = import nixpkgs { localSystem = { config = "x86_64-unknown-linux-gnu"; gcc.arch = "znver3"; }; };
          e = import nixpkgs { localSystem = { system = "x86_64-linux"; gcc.arch = "znver3"; }; };
          f = import <nixpkgs> { inherit system; };
          g = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") { inherit system; };
          h = import tools { inherit system; };
          i = nixpkgs.legacyPackages.\${system};
          j = import nixpkgs { };
          k = "import nixpkgs { inherit system; }";
          # l = import nixpkgs { inherit system; };
          m = nixpkgs.lib.nixosSystem { inherit system; modules = [ ]; };
        };
    }
    `,
    only,
  );
});

test("fires for another flake's own nixpkgs (`board.inputs.nixpkgs`), a flake with legacyPackages too (ryan4yin/nixos-licheepi4a)", async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:nixos/nixpkgs/nixos-unstable";
      inputs.board.url = "github:someone/board";
      outputs = { self, nixpkgs, board, ... }@inputs: {
        colmena.meta.nixpkgs = import board.inputs.nixpkgs { system = "x86_64-linux"; };
        #                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages: Use the shared board.inputs.nixpkgs.legacyPackages.x86_64-linux.
        other = import inputs.board.inputs.nixpkgs-unstable { system = "x86_64-linux"; };
        #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information prefer-legacy-packages: Use the shared inputs.board.inputs.nixpkgs-unstable.legacyPackages.x86_64-linux.
        notAnInput = import stranger.inputs.nixpkgs { system = "x86_64-linux"; };
      };
    }
    `,
    only,
  );
});
