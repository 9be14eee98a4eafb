import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { lockText, withLock } from '../../support/lock.js';

const only = ['unfollowed-nixpkgs'];

// The root's nixpkgs is the node `nixpkgs_2`: the node literally named `nixpkgs` is
// home-manager's own. Resolution goes through root.inputs, never by node name.
const LOCK = lockText(
  {
    nixpkgs: 'nixpkgs_2',
    'nixpkgs-unstable': 'nixpkgs-unstable',
    'home-manager': 'home-manager',
    'sops-nix': 'sops-nix',
    nur: 'nur',
    'flake-utils': 'flake-utils',
    stale: 'stale',
    hyprland: 'hyprland',
    registry: 'registry',
    darwin: ['nixpkgs'],
  },
  {
    nixpkgs_2: { date: '2024-06-01', rev: '2222222222222222222222222222222222222222', ref: 'nixos-24.05' },
    'nixpkgs-unstable': { date: '2024-06-10', ref: 'nixos-unstable' },
    nixpkgs: { date: '2024-01-03', rev: 'abcdef1234567890abcdef1234567890abcdef12' },
    'home-manager': { owner: 'nix-community', repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs' } },
    'sops-nix': { owner: 'Mic92', repo: 'sops-nix', inputs: { nixpkgs: ['nixpkgs'] } },
    nur: { owner: 'nix-community', repo: 'NUR', inputs: { nixpkgs: ['nixpkgs-unstable'] } },
    'flake-utils': { owner: 'numtide', repo: 'flake-utils' },
    stale: { owner: 'someone', repo: 'stale', inputs: { nixpkgs: 'nixpkgs_3' } },
    nixpkgs_3: { date: '2023-01-01' },
    hyprland: { owner: 'hyprwm', repo: 'Hyprland', inputs: { nixpkgs: 'nixpkgs_4', aquamarine: 'aquamarine' } },
    nixpkgs_4: { date: '2024-06-01', rev: '2222222222222222222222222222222222222222' },
    aquamarine: { owner: 'hyprwm', repo: 'aquamarine', inputs: { nixpkgs: 'nixpkgs_5' } },
    nixpkgs_5: { date: '2024-02-01' },
    registry: { owner: 'someone', repo: 'registry', inputs: { nixpkgs: 'nixpkgs_6' } },
    nixpkgs_6: { date: '2024-02-01' },
  },
);

test('exactly the inputs that lock a nixpkgs of their own, on their declaration, with revision and age', async () => {
  const ds = await checkDiagnostics(
    withLock(
      `
      #- /flake.nix
      {
        inputs = {
          nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
          nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
          home-manager.url = "github:nix-community/home-manager";
        # ^^^^^^^^^^^^ warning unfollowed-nixpkgs: Add inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs"; to share nixpkgs. home-manager locks a nixpkgs of its own (abcdef1 of 2024-01-03, 150 days older than the flake's)
          sops-nix = { url = "github:Mic92/sops-nix"; inputs.nixpkgs.follows = "nixpkgs"; };
          nur.url = "github:nix-community/NUR";
          nur.inputs.nixpkgs.follows = "nixpkgs-unstable";
          flake-utils.url = "github:numtide/flake-utils";
          stale.url = "github:someone/stale";
          stale.inputs.nixpkgs.follows = "nixpkgs";
          hyprland = {
        # ^^^^^^^^ warning unfollowed-nixpkgs: (2222222 of 2024-06-01, the same revision as the flake's, locked twice)
            url = "github:hyprwm/Hyprland";
          };
          darwin.follows = "nixpkgs";
          disko.url = "github:nix-community/disko";
        };
        outputs = { self, nixpkgs, registry, ... }: { };
      }
      `,
      LOCK,
    ),
    only,
  );
  assert.equal(ds.length, 2);
  // The root's nixpkgs declaration is the related location.
  assert.equal(ds[0]!.related[0]?.message, "the flake's nixpkgs (2222222 of 2024-06-01)");
  assert.deepEqual(ds[0]!.data, { input: 'home-manager' });
});

test('dotted declarations outside the inputs set are found too; no nixpkgs input, no lock: nothing', async () => {
  const lock = lockText(
    { nixpkgs: 'nixpkgs', 'home-manager': 'home-manager' },
    { nixpkgs: { date: '2024-06-01' }, 'home-manager': { repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs_2' } }, nixpkgs_2: { date: '2024-06-11' } },
  );
  await checkDiagnostics(
    withLock(
      `
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.home-manager.url = "github:nix-community/home-manager";
        #      ^^^^^^^^^^^^ warning unfollowed-nixpkgs: 10 days newer than the flake's
        outputs = { ... }: { };
      }
      #- /sub/flake.nix
      {
        inputs.stable.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.home-manager.url = "github:nix-community/home-manager";
        outputs = { ... }: { };
      }
      #- /other/flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.home-manager.url = "github:nix-community/home-manager";
        outputs = { ... }: { };
      }
      `,
      lock,
    ) +
      // The sub-flake's lock has no input named nixpkgs; /other has no lock at all.
      `#- /sub/flake.lock\n${lockText({ stable: 'nixpkgs', 'home-manager': 'home-manager' }, { nixpkgs: {}, 'home-manager': { repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs_2' } }, nixpkgs_2: {} })}`,
    only,
  );
});

test('a long input name gets the short fix, with the line to add in the explanation', async () => {
  const name = 'a-very-long-input-name-for-some-flake-library';
  const lock = lockText(
    { nixpkgs: 'nixpkgs', [name]: name },
    { nixpkgs: {}, [name]: { repo: 'x', inputs: { nixpkgs: 'nixpkgs_2' } }, nixpkgs_2: {} },
  );
  const ds = await checkDiagnostics(
    withLock(
      `
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        inputs.${name}.url = "github:someone/x";
        #      ${'^'.repeat(name.length)} warning unfollowed-nixpkgs: Add a follows of the flake's nixpkgs to this input.
        outputs = { ... }: { };
      }
      `,
      lock,
    ),
    only,
  );
  assert.match(ds[0]!.message, new RegExp(`inputs\\.${name}\\.inputs\\.nixpkgs\\.follows = "nixpkgs"; shares the flake's\\.$`));
});
