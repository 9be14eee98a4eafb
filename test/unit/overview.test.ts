/**
 * The overview (server/src/ide/overview.ts) that the VS Code view and status bar show: what each
 * flake builds, the instances each configuration evaluates, and the totals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overview } from '../../server/src/ide/overview.js';
import { analyse } from '../support/fixture.js';
import { lockText, withLock } from '../support/lock.js';
import { examplesFiles } from '../support/costEval.js';

const WORKSPACE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./common.nix ]; };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./common.nix ]; };
    packages.x86_64-linux.hello = (import nixpkgs { localSystem = "x86_64-linux"; }).hello;
  };
}
#- /common.nix
{ inputs, ... }:
{
  _module.args.unstable = import inputs.nixpkgs-unstable { localSystem = "x86_64-linux"; config.allowUnfree = true; };
}
#- /shell.nix
{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }
`;

test('totals: instances created, evaluations (a module once per configuration), problems by severity, hints with information', async () => {
  const analysis = await analyse(WORKSPACE);
  const diagnostics = analysis.allDiagnostics();
  const bySeverity = (s: string) => diagnostics.filter((d) => d.severity === s).map((d) => `${d.file} ${d.code}`);
  // What the totals are made of: a warning in the module two hosts load, prefer-legacy-packages
  // in flake.nix, and impure-system as a hint in shell.nix, which nothing evaluates.
  assert.deepEqual(bySeverity('warning'), ['/common.nix instance-in-module']);
  assert.deepEqual(bySeverity('information'), ['/flake.nix prefer-legacy-packages']);
  assert.deepEqual(bySeverity('hint'), ['/shell.nix impure-system']);
  const o = overview(analysis.workspace(), diagnostics, '/');
  // packageSets: common.nix once per host (2) and the package's own instance (1), as `report` counts them.
  assert.deepEqual(o.totals, { instances: 3, evaluations: 4, packageSets: 3, unknown: 0, errors: 0, warnings: 1, infos: 2 });
  assert.deepEqual(
    o.flakes.map((f) => [f.file, f.configurations.map((c) => `${c.name} (${c.packageSets}): ${c.instances.map((i) => i.label).join(', ')}`)]),
    [
      [
        '/flake.nix',
        [
          'alpha (1): _module.args.unstable = inputs.nixpkgs-unstable',
          'beta (1): _module.args.unstable = inputs.nixpkgs-unstable',
          'packages.x86_64-linux (1): nixpkgs',
        ],
      ],
    ],
  );
});

test('one node per configuration by its name, with the package sets its evaluation creates and each instance with file:line and why, in plain words; the numbers are those of report', async () => {
  const { workspaceCost } = await import('../../server/src/ide/cost.js');
  const files = examplesFiles();
  const analysis = await analyse({ files, cursor: null, annotations: [] });
  const o = overview(analysis.workspace(), analysis.allDiagnostics(), '/');
  const [flake] = o.flakes;
  assert.deepEqual(
    flake!.configurations.map((c) => `${c.name} ${c.packageSets}${c.own ? ' +own' : ''}`),
    ['devShells 2', 'formatter 0', 'ada 2', 'alpha 2 +own', 'beta 2', 'gamma 3 +own', 'packages.${system} 0'],
  );
  assert.equal(o.totals.packageSets, workspaceCost(analysis.workspace()).totals.created);
  assert.equal(o.totals.packageSets, 11);
  const gamma = flake!.configurations.find((c) => c.name === 'gamma')!;
  assert.deepEqual(
    gamma.instances.map((i) => `${i.label} | ${i.description}`),
    [
      'unstable = inputs.nixpkgs-unstable | modules/common.nix:10 · pkgs.stdenv.hostPlatform.system · once per configuration that loads this file (alpha, beta, gamma)',
      'embedded = inputs.nixpkgs | modules/firmware.nix:5 · x86_64-linux → riscv64-none-elf · once per configuration that loads this file (gamma)',
      'mgmt = pkgs | modules/firmware.nix:14 · once per configuration that loads this file (gamma)',
      'riscv = inputs.nixpkgs | modules/riscv-tools.nix:5 · x86_64-linux → riscv64-unknown-linux-gnu · once per configuration that loads this file (alpha, beta, gamma)',
    ],
  );
  for (const c of flake!.configurations) for (const i of c.instances) assert.doesNotMatch(i.description, /per-call|per-host|wrapper-call|evaluations?$/, i.description);
  // Stable: the same order whatever the order files were added in.
  const reversed = await analyse({ files: new Map([...files].reverse()), cursor: null, annotations: [] });
  assert.deepEqual(overview(reversed.workspace(), reversed.allDiagnostics(), '/').flakes, o.flakes);
});

test('nixpkgs sources: each flake counts the distinct nixpkgs its flake.lock pins, the totals those of the root flakes', async () => {
  const lock = lockText(
    { nixpkgs: 'nixpkgs', 'nixpkgs-unstable': 'nixpkgs-unstable', 'home-manager': 'home-manager', 'sops-nix': 'sops-nix' },
    {
      nixpkgs: {},
      'nixpkgs-unstable': {},
      'home-manager': { repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs_2', dep: 'dep' } },
      nixpkgs_2: {},
      // An input of an input with a nixpkgs of its own: counted, though flake.nix cannot be warned about it.
      dep: { repo: 'dep', inputs: { nixpkgs: 'nixpkgs_3' } },
      nixpkgs_3: {},
      'sops-nix': { repo: 'sops-nix', inputs: { nixpkgs: ['nixpkgs'] } },
    },
  );
  const analysis = await analyse(
    withLock(
      `
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
        inputs.home-manager.url = "github:nix-community/home-manager";
        inputs.sops-nix.url = "github:Mic92/sops-nix";
        outputs = { ... }: { };
      }
      #- /templates/x/flake.nix
      { inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = { ... }: { }; }
      `,
      lock,
    ),
  );
  const o = overview(analysis.workspace(), analysis.allDiagnostics(), '/');
  assert.deepEqual(
    o.flakes.map((f) => [f.label, f.lock]),
    [
      ['.', { nixpkgsSources: 4, unfollowed: 1 }],
      ['templates/x', null],
    ],
  );
  assert.equal(o.totals.nixpkgsSources, 4);
});
