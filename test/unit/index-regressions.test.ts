/** Index bugs found by the diagnostic fixtures, each kept as a test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../support/fixture.js';
import { instances } from '../support/instances.js';

test('a sub-flake below a root flake at / is a sub-flake', async () => {
  assert.deepEqual(
    await instances(`
    #- /flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05"; outputs = { nixpkgs, ... }: { }; }
    #- /sub/flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; overlays = [ ]; }; }; }
    `),
    ['/sub/flake.nix:2 import nixpkgs input=nixpkgs subflake once name=p'],
  );
});

test('equal arguments to the same input name of two flakes are not duplicates', async () => {
  await checkDiagnostics(
    `
    #- /repo/flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }; }; }
    #- /repo/sub/flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }; }; }
    `,
    ['duplicate-instance'],
  );
});

test('config.nixpkgs = { config = { ... }; } is one nixpkgs.config setting', async () => {
  await checkDiagnostics(
    `
    #- /m.nix
    { config, inputs, ... }:
    { config.nixpkgs = { pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
                         config = { allowUnfree = true; allowBroken = true; }; }; }
    #                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config
    `,
    ['pkgs-with-config'],
  );
});

test('inline modules in modules = [ ... ] belong to the configuration', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./box.nix { nixpkgs.config.allowUnfree = true; } ];
          #                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error pkgs-with-config
        };
      };
    }
    #- /box.nix
    { inputs, ... }: { nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux; }
    `,
    ['pkgs-with-config'],
  );
});

test('system, localSystem and localSystem.system are one spelling for duplicates', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        a = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
        #   ^^^^^^^^^^^^^^ warning duplicate-instance
        b = import nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; };
        #   ^^^^^^^^^^^^^^ warning duplicate-instance
        c = import nixpkgs { localSystem.system = "x86_64-linux"; config.allowUnfree = true; };
        #   ^^^^^^^^^^^^^^ warning duplicate-instance
      };
    }
    `,
    ['duplicate-instance'],
  );
});

test('arguments that use an inner function parameter are not duplicates of the same text outside', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }:
        let
          system = "x86_64-linux";
          one = import nixpkgs { inherit system; config.allowUnfree = true; };
          all = map (system: import nixpkgs { inherit system; config.allowUnfree = true; }) [ "aarch64-linux" ];
        in { };
    }
    `,
    ['duplicate-instance'],
  );
});

test('overlays through a let binding or lib.mkAfter are read', async () => {
  await checkDiagnostics(
    `
    #- /a.nix
    { lib, ... }:
    let ssl = final: prev: { openssl = prev.libressl; }; in { nixpkgs.overlays = [ ssl ]; }
    #                                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^ information global-overlays: It replaces openssl in
    #- /b.nix
    { lib, ... }:
    { nixpkgs.overlays = lib.mkAfter [ (final: prev: { stdenv = prev.clangStdenv; }) ]; }
    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ information global-overlays: It replaces stdenv in
    `,
    ['global-overlays'],
  );
});
