/**
 * The cost counts (server/src/ide/cost.ts, what `report`, the view, the status bar, hovers and
 * CodeLenses show) held to reality: each workspace here is counted from its text and evaluated
 * by Nix with stand-in inputs that record every package set the evaluation creates
 * (test/support/nixOracle.ts). The counts must agree kind by kind: created by the workspace's
 * own expressions, NixOS's own sets, legacyPackages, derived sets. The hoist proofs
 * (test/unit/assists/hoist-eval.test.ts) check the same before and after every hoist.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { assertCountsMatch, costOf, examplesFiles } from '../support/costEval.js';
import { evaluateFiles } from '../support/hoistEval.js';
import { nixOrExplain } from '../support/nixOracle.js';
import { parseFixture } from '../support/fixture.js';

/** Counts the workspace (also without Nix, against `created`), then holds the count to Nix's. */
async function check(t: TestContext, files: Map<string, string>, what: string, created: number): Promise<void> {
  const cost = await costOf(files);
  assert.equal(cost.totals.created, created, `${what}: created`);
  if (!nixOrExplain(t)) return;
  const { evaluation } = await evaluateFiles(files);
  assert.equal(assertCountsMatch(cost, evaluation, what), 0, `${what}: every count known`);
}

test('examples/: 11 created, 2 legacyPackages, 2 derived, as Nix evaluates them', async (t) => {
  await check(t, examplesFiles(), 'examples/', 11);
});

/** Hosts built by a helper file that gives each host its own unstable set through specialArgs. */
const HELPER_BUILDER = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkHost = import ./lib/mkHost.nix { inherit nixpkgs inputs; };
    in
    {
      nixosConfigurations = {
        alpha = mkHost "alpha" "x86_64-linux";
        beta = mkHost "beta" "x86_64-linux";
        gamma = mkHost "gamma" "aarch64-linux";
      };
    };
}
#- /lib/mkHost.nix
{ nixpkgs, inputs }:
name: system:
nixpkgs.lib.nixosSystem {
  inherit system;
  specialArgs = {
    inherit inputs;
    pkgs-unstable = import inputs.nixpkgs-unstable {
      inherit system;
      config.allowUnfree = true;
    };
  };
  modules = [ ../hosts/\${name}.nix ];
}
#- /hosts/alpha.nix
{ pkgs-unstable, ... }: { imports = [ ../modules/common.nix ]; networking.hostName = "alpha"; }
#- /hosts/beta.nix
{ pkgs-unstable, ... }: { imports = [ ../modules/common.nix ]; networking.hostName = "beta"; }
#- /hosts/gamma.nix
{ pkgs-unstable, ... }: { imports = [ ../modules/common.nix ]; networking.hostName = "gamma"; }
#- /modules/common.nix
{ pkgs, pkgs-unstable, ... }: { environment.systemPackages = [ pkgs.git pkgs-unstable.helix ]; }
`;

test('a helper file builds each host and instantiates for it: once per host, as Nix evaluates it', async (t) => {
  await check(t, parseFixture(HELPER_BUILDER).files, 'helper-file builder', 3);
});

/** A factory called once per system by two outputs: every call is another set. */
const PER_SYSTEM_FACTORY = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = nixpkgs.lib.genAttrs systems;
      pkgsFor = system: import nixpkgs {
        inherit system;
        config.allowUnfree = true;
      };
    in
    {
      packages = forAllSystems (system: { default = (pkgsFor system).hello; });
      devShells = forAllSystems (system: { default = (pkgsFor system).mkShell { packages = [ (pkgsFor system).jq ]; }; });
      formatter = forAllSystems (system: nixpkgs.legacyPackages.\${system}.nixfmt-rfc-style);
    };
}
`;

test('a per-system factory called by several outputs: once per call and system, as Nix evaluates it', async (t) => {
  await check(t, parseFixture(PER_SYSTEM_FACTORY).files, 'per-system factory', 6);
});

/** An overlay that instantiates, added to every host's package set by a shared module. */
const OVERLAY_EVERY_HOST = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./modules/overlays.nix ./hosts/alpha.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./modules/overlays.nix ./hosts/beta.nix ];
    };
    nixosConfigurations.gamma = nixpkgs.lib.nixosSystem {
      system = "aarch64-linux";
      specialArgs = { inherit inputs; };
      modules = [ ./modules/overlays.nix ./hosts/gamma.nix ];
    };
  };
}
#- /overlays/default.nix
{ inputs }:
final: prev: {
  unstable = import inputs.nixpkgs-unstable { system = final.system; };
}
#- /modules/overlays.nix
{ inputs, ... }: { nixpkgs.overlays = [ (import ../overlays { inherit inputs; }) ]; }
#- /hosts/alpha.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.unstable.helix ]; }
#- /hosts/beta.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.unstable.helix ]; }
#- /hosts/gamma.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.unstable.helix ]; }
`;

test('an overlay that instantiates, applied to every host: once per host, as Nix evaluates it', async (t) => {
  await check(t, parseFixture(OVERLAY_EVERY_HOST).files, 'overlay applied to every host', 3);
});

/** The same overlay handed to the modules through specialArgs by flake.nix, which imports it. */
const OVERLAY_THROUGH_SPECIALARGS = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      overlays = import ./overlays { inherit inputs; };
      mkHost = system: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs overlays; };
        modules = [ ./common.nix ];
      };
    in
    {
      nixosConfigurations.alpha = mkHost "x86_64-linux";
      nixosConfigurations.beta = mkHost "x86_64-linux";
      nixosConfigurations.pi = mkHost "aarch64-linux";
    };
}
#- /common.nix
{ overlays, pkgs, ... }:
{
  nixpkgs.overlays = [ overlays.unstable-packages ];
  environment.systemPackages = [ pkgs.unstable.helix ];
}
#- /overlays/default.nix
{ inputs, ... }: {
  unstable-packages = final: _prev: {
    unstable = import inputs.nixpkgs-unstable { inherit (final.stdenv.hostPlatform) system; };
  };
}
`;

test('an overlay flake.nix hands to the modules through specialArgs: once per host whose modules add it, as Nix evaluates it', async (t) => {
  await check(t, parseFixture(OVERLAY_THROUGH_SPECIALARGS).files, 'overlay through specialArgs', 3);
});
