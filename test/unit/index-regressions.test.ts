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

test('a source the file cannot name is a nixpkgs by arguments only nixpkgs takes (jwiegley, bjornfor, npins); system alone or other arguments are not enough', async () => {
  assert.deepEqual(
    await instances(`
    #- /flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }:
        let
          sources = import ./npins;
          source = builtins.fromJSON (builtins.readFile ./pin.json);
        in {
          a = import (builtins.fetchTree source).outPath { localSystem = "x86_64-linux"; };
          b = import sources.nixos-stable { system = "x86_64-linux"; };
          c = import (self + "/pkgs") { system = "x86_64-linux"; };
          d = import sources.tool { system = "x86_64-linux"; pkgs = nixpkgs.legacyPackages.x86_64-linux; };
          e = import sources.other { system = "x86_64-linux"; };
        };
    }
    `),
    [
      '/flake.nix:7 import (builtins.fetchTree source).outPath flake once name=a',
      '/flake.nix:8 import sources.nixos-stable flake once name=b',
      '/flake.nix:10 legacyPackages nixpkgs input=nixpkgs flake once name=pkgs shared',
    ],
  );
});

test('a default argument written as let ... in import ... is a default: unevaluated where every caller passes it (EmergentMind shell.nix)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: { devShells.x86_64-linux.default = import ./shell.nix { pkgs = nixpkgs.legacyPackages.x86_64-linux; }; }; }
    #- /shell.nix
    {
      pkgs ?
        let
          src = fetchTarball { url = "https://example.org/\${rev}.tar.gz"; };
        in
        import src { overlays = [ ]; },
      # ^^^^^^^^^^ hint impure-system: Nothing in the workspace evaluates this as part of an output
    }:
    pkgs.mkShell { }
    `,
    ['impure-system'],
  );
});

test('channels: <nixos>, <nixos-unstable> and <nixpkgs-unstable> are nixpkgs (and <nixpkgs/nixos>, a NixOS evaluation that creates its own); <nixos-hardware> and <nixos-config> are not', async () => {
  assert.deepEqual(
    await instances(`
    #- /configuration.nix
    { config, ... }:
    let
      a = import <nixos> { };
      b = import <nixos-unstable> { };
      c = import <nixpkgs-unstable> { };
      d = import <nixos-hardware/lenovo/thinkpad> { };
      e = import <nixos-config> { };
      f = import <nixpkgs/nixos> { configuration = { }; };
    in { }
    `).then((list) => list.map((l) => l.split(' ').slice(0, 3).join(' '))),
    ['/configuration.nix:3 import <nixos>', '/configuration.nix:4 import <nixos-unstable>', '/configuration.nix:5 import <nixpkgs-unstable>', '/configuration.nix:8 import <nixpkgs/nixos>'],
  );
});

test('a helper called with a system literal names its host by the attribute it is bound to, not by the system', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }@inputs:
        let mkHost = system: nixpkgs.lib.nixosSystem { inherit system; specialArgs = { inherit inputs; }; modules = [ ./common.nix ]; };
        in {
          nixosConfigurations.alpha = mkHost "x86_64-linux";
          nixosConfigurations.beta = mkHost "x86_64-linux";
        };
    }
    #- /common.nix
    { inputs, ... }:
    let u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };
    #       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-in-module: 2 configurations (alpha and beta)
    in { environment.systemPackages = [ u.hello ]; }
    `,
    ['instance-in-module'],
  );
});
