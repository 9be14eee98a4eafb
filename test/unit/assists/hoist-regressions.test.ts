/**
 * Hoisting cases that once produced wrong or broken edits (found by the Nix
 * evaluation proof), each proved again with Nix: the edit parses, every host
 * keeps exactly its packages, and the instance is evaluated once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoistFixture, proveWithNix } from '../../support/hoistEval.js';
import { checkAssistDisabled } from '../../support/assists.js';
import { nixOrExplain } from '../../support/nixOracle.js';
import { analyse, parseFixture } from '../../support/fixture.js';

async function proveKeepsPackages(t: Parameters<typeof nixOrExplain>[0], id: 'hoist-to-flake' | 'hoist-all', fixture: string) {
  const files = await hoistFixture(id, fixture);
  if (!nixOrExplain(t)) return files;
  const proof = await proveWithNix(files);
  for (const p of proof.parsed) assert.ok(p.ok, `${p.name}: ${p.error}`);
  assert.deepEqual(proof.after.packages, proof.before.packages, 'every host keeps its packages');
  for (const e of [proof.before, proof.after]) {
    for (const [host, failed] of Object.entries(e.failedAssertions)) assert.deepEqual(failed, [], host);
  }
  return files;
}

test('a module written as `let ... in { pkgs, ... }: ...` gets the argument in its inner formals', async (t) => {
  const files = await proveKeepsPackages(t, 'hoist-to-flake', `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./tools.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./tools.nix ];
    };
  };
}
#- /tools.nix
let
  names = [ "hello" ];
in
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.system; };
in
{ environment.systemPackages = map (n: unstable.\${n}) names; }
`);
  assert.match(files.after.get('/tools.nix')!, /^\{ pkgs, inputs, unstable, \.\.\. \}:$/m);
});

test('a host whose module sets nixpkgs.hostPlatform has that system: hosts differ, so each system gets its own set', async (t) => {
  const files = await proveKeepsPackages(t, 'hoist-to-flake', `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name}.nix ./common.nix ];
      };
    in
    {
      nixosConfigurations.desktop = mkHost "desktop";
      nixosConfigurations.pi = mkHost "pi";
    };
}
#- /hosts/desktop.nix
{ ... }: { networking.hostName = "desktop"; }
#- /hosts/pi.nix
{ ... }: { nixpkgs.hostPlatform = "aarch64-linux"; }
#- /common.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
in
{ environment.systemPackages = [ unstable.helix ]; }
`);
  assert.match(files.after.get('/common.nix')!, /unstable = unstable-by-system\.\$\{pkgs\.stdenv\.hostPlatform\.system\};/);
});

test('a name the builder already passes through specialArgs is not reused for the instance', async (t) => {
  const files = await proveKeepsPackages(t, 'hoist-to-flake', `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; unstable = inputs.nixpkgs-unstable; };
      modules = [ ./m.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; unstable = inputs.nixpkgs-unstable; };
      modules = [ ./m.nix ];
    };
  };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.system; };
in
{ environment.systemPackages = [ unstable.helix ]; }
`);
  assert.match(files.after.get('/flake.nix')!, /unstable-2 = import/);
});

test('`inherit (inputs) unstable;` in specialArgs is a taken name too', async (t) => {
  const files = await proveKeepsPackages(t, 'hoist-to-flake', `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; inherit (inputs) unstable; };
      modules = [ ./m.nix ];
    };
  };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.unstable { system = pkgs.system; };
in
{ environment.systemPackages = [ unstable.helix ]; }
`);
  assert.doesNotMatch(files.after.get('/flake.nix')!, /inherit inputs unstable;/);
});

test('hoist-all with the same instance twice in one module adds the argument once', async (t) => {
  const files = await proveKeepsPackages(t, 'hoist-all', `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./m.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./m.nix ];
    };
  };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = pkgs.system; };
in
{
  environment.systemPackages = [ unstable.helix (import inputs.nixpkgs-unstable { system = pkgs.system; }).jq ];
}
$0
`);
  const formals = /^\{[^}]*\}:/m.exec(files.after.get('/m.nix')!)![0];
  assert.equal(formals.match(/unstable/g)?.length, 1, formals);
});

test('an instance holding a lone carriage return is not hoisted: Nix ends a comment there, the parser does not', async () => {
  // Found by the fuzzer: `{ # note<CR> config = prev.config; }` is an empty set to the parser and
  // reads `prev` to Nix, so the hoisted copy in flake.nix named a variable flake.nix lacks.
  await checkAssistDisabled(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./m.nix ];
    };
  };
}
#- /m.nix
{ inputs, ... }: {
  nixpkgs.overlays = [
    (final: prev: {
      unstable = $0import inputs.nixpkgs-unstable { # note\r config = prev.config;
      };
    })
  ];
}
`,
    /carriage return without a line feed/,
  );
});

test('hoist-all lists every instance it leaves in place, each with its own reason', async () => {
  const analysis = await analyse(
    parseFixture(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./ok.nix ./scoped.nix ./plain.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./ok.nix ./scoped.nix ./plain.nix ]; };
  };
}
#- /ok.nix
{ pkgs, inputs, ... }: { environment.systemPackages = [ (import inputs.nixpkgs-unstable { system = "x86_64-linux"; }).hello ]; }
#- /scoped.nix
{ config, pkgs, inputs, ... }:
let
  mine = final: prev: { };
  u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; overlays = [ mine ]; };
in { environment.systemPackages = [ u.hello ]; }
#- /plain.nix
args: { environment.systemPackages = [ (import args.inputs.nixpkgs-unstable { system = "x86_64-linux"; }).vim ]; }
`),
  );
  const hoistAll = analysis.assists('/flake.nix', { start: 0, end: 0 }).find((a) => a.id === 'hoist-all');
  assert.ok(hoistAll && !hoistAll.disabled, hoistAll?.disabled);
  assert.match(hoistAll.title, /Hoist 1 of 3 module instances/);
  assert.deepEqual(hoistAll.notes, [
    'scoped.nix:4: its arguments use mine from the module\'s scope',
    'plain.nix:1: the module takes a plain argument (args: ...), not a set of arguments',
  ]);
});
