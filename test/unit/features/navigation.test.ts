/**
 * Go to definition and find references across the flake/module boundary,
 * and the symbols of instances.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definition, documentSymbols, references, workspaceSymbols } from '../../../server/src/ide/features/index.js';
import { atCursor, showLocation } from '../../support/features.js';

const WORKSPACE = `
  #- /flake.nix
  {
    inputs = {
      nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    };
    outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
      let
        system = "x86_64-linux";
        pkgs-unstable = import nixpkgs-unstable { inherit system; };
        mkHost = name: nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = {
            inherit inputs pkgs-unstable;
            pkgs-riscv = import nixpkgs { localSystem = system; crossSystem.config = "riscv64-unknown-linux-gnu"; };
          };
          modules = [ ./hosts/\${name}.nix ./common.nix ];
        };
      in {
        nixosConfigurations.alpha = mkHost "alpha";
        nixosConfigurations.beta = mkHost "beta";
        devShells.\${system}.default = pkgs-unstable.mkShell { };
      };
  }
  #- /hosts/alpha.nix
  { pkgs, pkgs-unstable, ... }: { environment.systemPackages = [ pkgs-unstable.hello ]; }
  #- /hosts/beta.nix
  { pkgs, pkgs-riscv, ... }: { environment.systemPackages = [ pkgs-riscv.hello ]; }
  #- /common.nix
  { pkgs, pkgs-unstable, inputs, ... }:
  let
    inherit pkgs-unstable;
    shadow = pkgs-unstable: pkgs-unstable.vim;
  in {
    environment.systemPackages = [ pkgs-unstable.git ];
    nix.registry.unstable.flake = inputs.nixpkgs-unstable;
  }
`;

/** The workspace with `$0` put where `marker` is (the first occurrence after `after`). */
function at(marker: string, after = ''): string {
  const plain = marker.replace('|', '');
  const from = WORKSPACE.indexOf(after);
  const i = WORKSPACE.indexOf(plain, from);
  assert.ok(from >= 0 && i >= 0, marker);
  return WORKSPACE.slice(0, i) + marker.replace('|', '$0') + WORKSPACE.slice(i + plain.length);
}

function definitionsAt(source: string): Promise<string[]> {
  return atCursor(source, (f) => definition(f.ctx, f.file, f.offset).map((l) => showLocation(f, l)));
}

function referencesAt(source: string, includeDeclaration = true): Promise<string[]> {
  return atCursor(source, (f) => references(f.ctx, f.file, f.offset, includeDeclaration).map((l) => showLocation(f, l)));
}

test('definition: a module argument goes to the let binding that specialArgs inherits', async () => {
  assert.deepEqual(await definitionsAt(at('pkgs-un|stable.hello')), ['/flake.nix:9:7 pkgs-unstable']);
  // From the formal too, and from a module reached through another path (common.nix).
  assert.deepEqual(await definitionsAt(at('pkgs-un|stable, inputs')), ['/flake.nix:9:7 pkgs-unstable']);
});

test('definition: an argument defined in the specialArgs set goes to its entry', async () => {
  assert.deepEqual(await definitionsAt(at('pkgs-ris|cv.hello')), ['/flake.nix:14:11 pkgs-riscv']);
});

test('definition: inputs.X in a module and in flake.nix, and an outputs formal, go to the input', async () => {
  assert.deepEqual(await definitionsAt(at('inputs.nixpkgs-un|stable;')), ['/flake.nix:4:5 nixpkgs-unstable']);
  assert.deepEqual(await definitionsAt(at('import nixpkgs-un|stable {')), ['/flake.nix:4:5 nixpkgs-unstable']);
  assert.deepEqual(await definitionsAt(at('self, nix|pkgs, nixpkgs-unstable')), ['/flake.nix:3:5 nixpkgs']);
  // The module argument `inputs` itself goes to `@inputs`.
  assert.deepEqual(await definitionsAt(at('pkgs-unstable, inp|uts, ...')), ['/flake.nix:6:54 inputs']);
  // `inputs.X` where the input is declared as `inputs.X.url = ...` at the top.
  assert.deepEqual(
    await definitionsAt(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        outputs = inputs: { pkgs = import inputs.nix$0pkgs { system = "x86_64-linux"; }; };
      }
    `),
    ['/flake.nix:2:10 nixpkgs'],
  );
});

test('definition: a wrapper call goes to the wrapper', async () => {
  assert.deepEqual(
    await definitionsAt(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        outputs = { self, nixpkgs, ... }:
          let
            mkPkgs = system: import nixpkgs { inherit system; };
          in { a = mkP$0kgs "x86_64-linux"; };
      }
    `),
    ['/flake.nix:5:7 mkPkgs'],
  );
});

test('definition: nothing for local names, standard module arguments and modules nobody builds', async () => {
  for (const source of [
    at('shadow = pkgs-unstable: pkgs-un|stable.vim'),
    at('{ pk|gs, pkgs-unstable, inputs'),
    at('system = "x86_|64-linux"'),
    `
      #- /lonely.nix
      { pkgs, pkgs-unstable, ... }: { x = pkgs-un$0stable.hello; }
    `,
  ]) {
    assert.deepEqual(await definitionsAt(source), [], source);
  }
});

const UNSTABLE_REFERENCES = [
  '/common.nix:1:9 pkgs-unstable',
  // `inherit pkgs-unstable;` in the module's let passes the same value on.
  '/common.nix:3:11 pkgs-unstable',
  '/common.nix:6:34 pkgs-unstable',
  '/flake.nix:9:7 pkgs-unstable',
  '/flake.nix:13:26 pkgs-unstable',
  '/flake.nix:21:37 pkgs-unstable',
  '/hosts/alpha.nix:1:9 pkgs-unstable',
  '/hosts/alpha.nix:1:64 pkgs-unstable',
];

test('references: from the instance binding in flake.nix to every use in the modules it reaches', async () => {
  assert.deepEqual(await referencesAt(at('pkgs-un|stable = import')), UNSTABLE_REFERENCES);
  // Without the declaration.
  assert.deepEqual(
    await referencesAt(at('pkgs-un|stable = import'), false),
    UNSTABLE_REFERENCES.filter((r) => r !== '/flake.nix:9:7 pkgs-unstable'),
  );
});

test('references: the same answer from a use in flake.nix and from a module', async () => {
  assert.deepEqual(await referencesAt(at('pkgs-un|stable.mkShell')), UNSTABLE_REFERENCES);
  assert.deepEqual(await referencesAt(at('pkgs-un|stable.hello')), UNSTABLE_REFERENCES);
  assert.deepEqual(await referencesAt(at('pkgs-un|stable.git')), UNSTABLE_REFERENCES);
});

test('references: an instance defined inside specialArgs', async () => {
  assert.deepEqual(await referencesAt(at('pkgs-ris|cv = import')), [
    '/flake.nix:14:11 pkgs-riscv',
    '/hosts/beta.nix:1:9 pkgs-riscv',
    '/hosts/beta.nix:1:61 pkgs-riscv',
  ]);
});

test('references: nothing for a let binding that is neither an instance nor passed to modules', async () => {
  assert.deepEqual(await referencesAt(at('sys|tem = "x86_64-linux"')), []);
});

test('document symbols: the instances and wrappers of a file, named by their bindings', async () => {
  const got = await atCursor(
    `
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        outputs = { self, nixpkgs, ... }$0:
          let
            mkPkgs = system: import nixpkgs { inherit system; };
            riscv = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; };
          in {
            a = mkPkgs "x86_64-linux";
            legacyPackages = nixpkgs.legacyPackages.x86_64-linux;
          };
      }
    `,
    (f) => documentSymbols(f.ctx, f.file).map((s) => `${s.kind} ${s.name}: ${s.detail} @${showLocation(f, { file: s.file, range: s.selectionRange })}`),
  );
  assert.deepEqual(got, [
    'function mkPkgs: instance wrapper: each call instantiates nixpkgs (1 call) @/flake.nix:5:7 mkPkgs',
    'object import nixpkgs: import nixpkgs · system @/flake.nix:5:24 import nixpkgs',
    'variable riscv: import nixpkgs · x86_64-linux → riscv64-unknown-linux-gnu @/flake.nix:6:7 riscv',
    'variable a: mkPkgs → import nixpkgs @/flake.nix:8:7 a',
    'variable legacyPackages: nixpkgs.legacyPackages (shared) @/flake.nix:9:7 legacyPackages',
  ]);
});

test('workspace symbols: every instance, filtered by name or by what it instantiates', async () => {
  const names = (query: string) =>
    atCursor(WORKSPACE.replace('{ pkgs, pkgs-riscv', '{ $0pkgs, pkgs-riscv'), (f) => workspaceSymbols(f.ctx, query).map((s) => `${s.file} ${s.name}`));
  assert.deepEqual(await names(''), ['/flake.nix pkgs-unstable', '/flake.nix pkgs-riscv']);
  assert.deepEqual(await names('unst'), ['/flake.nix pkgs-unstable']);
  assert.deepEqual(await names('riscv64'), ['/flake.nix pkgs-riscv']);
  assert.deepEqual(await names('zzz'), []);
  // A client asking for everything gets at most the limit.
  const limited = await atCursor(WORKSPACE.replace('{ pkgs, pkgs-riscv', '{ $0pkgs, pkgs-riscv'), (f) => workspaceSymbols(f.ctx, '', 1).map((s) => s.name));
  assert.deepEqual(limited, ['pkgs-unstable']);
});
