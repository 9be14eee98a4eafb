import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, relatedOf } from '../../support/diagnostics.js';

const only = ['duplicate-instance'];

const TWO_FILES = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    outputs = { self, nixpkgs, ... }@inputs: {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        specialArgs = {
          inherit inputs;
          pkgs-unfree = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
          #             ^^^^^^^^^^^^^^ warning duplicate-instance: at 2 other sites
        };
        modules = [ ./box.nix ];
      };
    };
  }
  #- /box.nix
  { inputs, ... }:
  let
    unfree = import inputs.nixpkgs {
    #        ^^^^^^^^^^^^^^^^^^^^^ warning duplicate-instance: Create this instance once (in flake.nix)
      # the same arguments, in another order and spelling
      config = {
        allowUnfree = true;
      };
      system = "x86_64-linux";
    };
  in
  {
    environment.systemPackages = [
      unfree.steam
      (import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = (true); }).discord
      #^^^^^^^^^^^^^^^^^^^^^ warning duplicate-instance
    ];
  }
`;

test('fires at every site of the same input with the same arguments, whatever the order and spelling', async () => {
  await checkDiagnostics(TWO_FILES, only);
});

test('related information points at the other sites, with their names', async () => {
  assert.deepEqual(await relatedOf(TWO_FILES, 'duplicate-instance'), {
    '/flake.nix:7:23': ['/box.nix:3:12 the same instance, bound to unfree', '/box.nix:15:6 the same instance'],
    '/box.nix:3:12': ['/flake.nix:7:23 the same instance, bound to pkgs-unfree', '/box.nix:15:6 the same instance'],
    '/box.nix:15:6': ['/flake.nix:7:23 the same instance, bound to pkgs-unfree', '/box.nix:3:12 the same instance, bound to unfree'],
  });
});

test('fires for channels and fetchers of the same nixpkgs, and in CRLF files', async () => {
  await checkDiagnosticsWith(
    `
    #- /configuration.nix
    let
      a = import <nixpkgs> { system = "x86_64-linux"; overlays = [ ]; };
      #   ^^^^^^^^^^^^^^^^ warning duplicate-instance: at 1 other site
      b = import <nixpkgs> {
      #   ^^^^^^^^^^^^^^^^ warning duplicate-instance
        overlays = [ ];
        system = "x86_64-linux";
      };
      c = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") { system = "x86_64-linux"; };
      #   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning duplicate-instance
      d = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") { system = "x86_64-linux"; };
      #   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning duplicate-instance
    in
    { inherit a b c d; }
    `,
    only,
    { crlf: true },
  );
});

test('does not fire in files nothing evaluates as part of an output, nor between separate flakes', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        packages.x86_64-linux = (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello;
      };
    }
    #- /shell.nix
    let
      a = import <nixpkgs> { system = "x86_64-linux"; };
      b = import <nixpkgs> { system = "x86_64-linux"; };
    in
    a.mkShell { packages = [ b.hello ]; }
    #- /templates/basic/flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        packages.x86_64-linux = (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello;
        legacy = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-23.11.tar.gz") { localSystem = "x86_64-linux"; };
      };
    }
    #- /templates/other/flake.nix
    {
      outputs = { self, ... }: {
        legacy = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-23.11.tar.gz") { localSystem = "x86_64-linux"; };
      };
    }
    `,
    only,
  );
});

test('does not fire for distinct arguments, distinct inputs, or sites that share a set', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.stable.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, stable, ... }:
        let
          args = { system = "x86_64-linux"; };
          mkPkgs = system: import nixpkgs { inherit system; config.allowUnfree = true; };
        in
        {
          a = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
          b = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = false; };
          c = import nixpkgs { system = "aarch64-linux"; config.allowUnfree = true; };
          d = import stable { system = "x86_64-linux"; config.allowUnfree = true; };
          e = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; overlays = [ ]; };
          f = import <nixpkgs> { system = "x86_64-linux"; config.allowUnfree = true; };
          g = import nixpkgs args;
          h = import nixpkgs args;
          i = mkPkgs "x86_64-linux";
          j = nixpkgs.legacyPackages.x86_64-linux;
          k = nixpkgs.legacyPackages.x86_64-linux;
          l = "import nixpkgs { system = \\"x86_64-linux\\"; config.allowUnfree = true; }";
          # m = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
        };
    }
    `,
    only,
  );
});

test('equal text under two per-system functions is not one instance: each `system` is its own (separate outputs)', async () => {
  await checkDiagnostics(
    `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    outputs = { self, nixpkgs, ... }:
      let lib = nixpkgs.lib; systems = [ "x86_64-linux" "aarch64-linux" ]; in {
        packages = lib.genAttrs systems (system: let p = import nixpkgs { inherit system; config.allowUnfree = true; }; in { default = p.hello; });
        devShells = lib.genAttrs systems (system: let p = import nixpkgs { inherit system; config.allowUnfree = true; }; in { default = p.mkShell { }; });
      };
  }
  `,
    only,
  );
});
