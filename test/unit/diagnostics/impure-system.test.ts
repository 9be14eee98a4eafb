import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, diagnosticsOf, summary } from '../../support/diagnostics.js';

const only = ['impure-system'];

test('is an error inside a flake: pure evaluation has no currentSystem', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { self, nixpkgs, ... }@inputs: {
        a = import nixpkgs { };
        #   ^^^^^^^^^^^^^^ error impure-system: attribute 'currentSystem' missing
        b = import inputs.nixpkgs-unstable { config.allowUnfree = true; };
        #   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error impure-system: Pass localSystem (for example localSystem = system;).
        c = import nixpkgs {
        #   ^^^^^^^^^^^^^^ error impure-system
          crossSystem.config = "riscv64-unknown-linux-gnu";
          overlays = [ ];
        };
        d = (import (nixpkgs) { config = { }; }).hello;
        #    ^^^^^^^^^^^^^^^^ error impure-system
      };
    }
    `,
    only,
  );
});

test('is an error in a module a configuration loads, and for a flake input anywhere', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.box = nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [
            ./configuration.nix
            { nixpkgs.overlays = [ (import ./overlays/unstable.nix { inherit inputs; }) ]; }
          ];
        };
      };
    }
    #- /configuration.nix
    {
      config,
      pkgs,
      ...
    }:
    with import <nixpkgs> { config.allowUnfree = true; };
    #    ^^^^^^^^^^^^^^^^ error impure-system
    { environment.systemPackages = [ steam ]; }
    #- /overlays/unstable.nix
    { inputs }:
    final: prev: {
      unstable = import inputs.nixpkgs { config.allowUnfree = true; };
      #          ^^^^^^^^^^^^^^^^^^^^^ error impure-system
    }
    `,
    only,
  );
});

test('is a hint in what a channel-era configuration evaluates (impure by design): with, fetchTarball', async () => {
  await checkDiagnostics(
    `
    #- /configuration.nix
    { pkgs, ... }:
    let
      tools = import ./tools.nix;
    in
    { environment.systemPackages = [ tools ]; }
    #- /tools.nix
    let
      pinned = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") {
      #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ hint impure-system: Pass localSystem to pin the platform.
        overlays = [ ];
      };
    in
    with import <nixpkgs> { };
    #    ^^^^^^^^^^^^^^^^ hint impure-system
    pinned.hello
    `,
    only,
  );
});

test('is a hint in files nothing evaluates as part of an output: shell.nix, nix-build scripts, defaults every caller overrides', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        packages.x86_64-linux = import ./pkgs { pkgs = nixpkgs.legacyPackages.x86_64-linux; };
        hydraJobs.world = import ./world.nix { pkgs = nixpkgs.legacyPackages.x86_64-linux; };
      };
    }
    #- /world.nix
    let
      defaultPkgs = import <nixpkgs> { config.allowBroken = true; };
      #             ^^^^^^^^^^^^^^^^ hint impure-system
    in
    { pkgs ? defaultPkgs }:
    pkgs.hello
    #- /pkgs/default.nix
    { pkgs ? import <nixpkgs> { } }:
    #        ^^^^^^^^^^^^^^^^ hint impure-system: Nothing in the workspace evaluates this as part of an output
    { hello = pkgs.hello; }
    #- /shell.nix
    { pkgs ? import <nixpkgs> { } }:
    #        ^^^^^^^^^^^^^^^^ hint impure-system
    pkgs.mkShell { }
    #- /scripts/update.nix
    with import <nixpkgs> { };
    #    ^^^^^^^^^^^^^^^^ hint impure-system
    writeScript "update" ""
    `,
    only,
  );
});

test('a default argument is evaluated where a caller leaves the argument out', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        packages.x86_64-linux = import ./pkgs { };
      };
    }
    #- /pkgs/default.nix
    { pkgs ? import <nixpkgs> { } }:
    #        ^^^^^^^^^^^^^^^^ error impure-system
    { hello = pkgs.hello; }
    `,
    only,
  );
});

test('does not fire when a system is given in any spelling, or where there is no literal argument set', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.tools.url = "github:someone/tools";
      outputs = { self, nixpkgs, tools, ... }:
        let
          system = "x86_64-linux";
          args = { inherit system; };
        in
        {
          a = import nixpkgs { inherit system; };
          b = import nixpkgs { localSystem = system; crossSystem = "riscv64-linux"; };
          c = import nixpkgs { localSystem.system = "x86_64-linux"; };
          d = import nixpkgs { localSystem = { config = "x86_64-unknown-linux-gnu"; }; };
          e = import nixpkgs { inherit (self) system; };
          f = import nixpkgs args;
          g = import nixpkgs;
          h = nixpkgs.legacyPackages.\${system}.hello;
          i = import tools { };
          j = import ./lib.nix { };
          k = "import nixpkgs { }";
          # l = import nixpkgs { };
          m = ''
            import <nixpkgs> { }
          '';
          n = nixpkgs.lib.nixosSystem { inherit system; modules = [ ]; };
        };
    }
    `,
    only,
  );
});

const SUPPRESSED = `
  #- /configuration.nix
  let
    # nixpkgs-instances: ignore impure-system
    a = import <nixpkgs> { };
    b = import <nixpkgs> { overlays = [ ]; }; # nixpkgs-instances: ignore impure-system
    # nixpkgs-instances: ignore
    c = import <nixpkgs> { config = { }; };
    # nixpkgs-instances: ignore duplicate-instance, impure-system
    d = import <nixpkgs> { config.allowUnfree = true; };
    # nixpkgs-instances: ignore duplicate-instance
    e = import <nixpkgs> { config.allowUnfree = false; };
    #   ^^^^^^^^^^^^^^^^ hint impure-system
    # nixpkgs-instances: ignore impure-system

    f = import <nixpkgs> { config.allowBroken = true; };
    #   ^^^^^^^^^^^^^^^^ hint impure-system
  in
  a
`;

test('a comment on the line before (or the same line) silences it; only for the codes it names', async () => {
  await checkDiagnostics(SUPPRESSED, only);
  await checkDiagnosticsWith(SUPPRESSED, only, { crlf: true });
});

test('severity settings override the per-finding severity, and "off" removes the code', async () => {
  const source = `
    #- /flake/flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        a = import nixpkgs { };
        b = import nixpkgs { };
      };
    }
    #- /legacy/configuration.nix
    import <nixpkgs> { overlays = [ ]; }
  `;
  // Without settings: an error in the flake and a hint outside it.
  assert.deepEqual((await diagnosticsOf(source, only)).map(summary), [
    '/flake/flake.nix:4:9 error impure-system',
    '/flake/flake.nix:5:9 error impure-system',
    '/legacy/configuration.nix:1:1 hint impure-system',
  ]);
  const overrides = new Map([['impure-system', 'warning' as const]]);
  assert.deepEqual((await diagnosticsOf(source, only, { overrides })).map(summary), [
    '/flake/flake.nix:4:9 warning impure-system',
    '/flake/flake.nix:5:9 warning impure-system',
    '/legacy/configuration.nix:1:1 warning impure-system',
  ]);
  // Other codes keep their own severity; "off" drops only the code it names.
  const off = new Map([['impure-system', 'off' as const]]);
  assert.deepEqual(
    (await diagnosticsOf(source, undefined, { overrides: off })).map(summary),
    ['/flake/flake.nix:4:9 warning duplicate-instance', '/flake/flake.nix:5:9 warning duplicate-instance'],
  );
});
