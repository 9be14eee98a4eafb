import { test } from 'node:test';
import { checkDiagnostics } from '../../support/fixture.js';

const only = ['system-and-local-system'];

test('fires when both system and localSystem are given', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }: {
        pkgs = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
        #                       ^^^^^^ error system-and-local-system: nixpkgs asserts
      };
    }
    `,
    only,
  );
});

test('fires for nested spellings, <nixpkgs> and inputs.X sources', async () => {
  await checkDiagnostics(
    `
    #- /default.nix
    let
      a = import <nixpkgs> { localSystem.system = "x86_64-linux"; system = "x86_64-linux"; };
      #                                                           ^^^^^^ error system-and-local-system
      b = { inputs, ... }: import inputs.nixpkgs {
        inherit system;
        #       ^^^^^^ error system-and-local-system
        localSystem = { system = "aarch64-linux"; };
      };
    in a
    `,
    only,
  );
});

test('does not fire for one of them, for non-nixpkgs imports, or in strings', async () => {
  await checkDiagnostics(
    `
    #- /default.nix
    let
      a = import <nixpkgs> { system = "x86_64-linux"; };
      b = import <nixpkgs> { localSystem = "x86_64-linux"; crossSystem = "riscv64-linux"; };
      c = import ./lib.nix { system = "x"; localSystem = "y"; };
      d = "import <nixpkgs> { system = 1; localSystem = 2; }";
      # e = import <nixpkgs> { system = 1; localSystem = 2; };
      f = import <nixpkgs> { config.system = "x"; localSystem = "y"; };
    in a
    `,
    only,
  );
});

test('can be suppressed with a comment on the line before', async () => {
  await checkDiagnostics(
    `
    let
      # nixpkgs-instances: ignore system-and-local-system
      a = import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
    in a
    `,
    only,
  );
});

test("does not fire for NixOS's nixpkgs.system beside nixpkgs.localSystem in a module (localSystem wins)", async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };
      };
    }
    #- /configuration.nix
    { ... }:
    {
      nixpkgs.system = "x86_64-linux";
      nixpkgs.localSystem = { system = "x86_64-linux"; };
    }
    `,
    only,
  );
});
