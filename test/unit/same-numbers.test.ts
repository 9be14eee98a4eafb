/**
 * One set of numbers: where a diagnostic counts package sets (`instance-in-module`: "N
 * configurations each evaluate another complete nixpkgs here, N instances in all"), the count
 * is the one `ide/cost.ts` gives the view, the status bar, the hover, the CodeLens and
 * `report`, for the same site.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, parseFixture } from '../support/fixture.js';
import { costSiteOf } from '../../server/src/ide/cost.js';

const WORKSPACES: Record<string, string> = {
  'helper file, two systems': `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let mkHost = import ./lib/mkHost.nix { inherit inputs; };
    in {
      nixosConfigurations = {
        alpha = mkHost { name = "alpha"; system = "x86_64-linux"; };
        beta = mkHost { name = "beta"; system = "aarch64-linux"; };
        gamma = mkHost { name = "gamma"; system = "x86_64-linux"; };
      };
    };
}
#- /lib/mkHost.nix
{ inputs }:
{ name, system }:
inputs.nixpkgs.lib.nixosSystem {
  inherit system;
  specialArgs = { inherit inputs; };
  modules = [ ../hosts/\${name} ../modules/common.nix ];
}
#- /hosts/alpha/default.nix
{ ... }: { imports = [ ../../modules/desktop.nix ]; }
#- /hosts/beta/default.nix
{ ... }: { imports = [ ../../modules/desktop.nix ]; }
#- /hosts/gamma/default.nix
{ ... }: { }
#- /modules/common.nix
{ pkgs, inputs, ... }:
let unstable = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; config.allowUnfree = true; };
in { environment.systemPackages = [ unstable.helix ]; }
#- /modules/desktop.nix
{ inputs, ... }:
let stable = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
in { environment.systemPackages = [ stable.firefox ]; }
`,
  'snowfall-lib layout': `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.snowfall-lib.url = "github:snowfallorg/lib";
  outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; };
}
#- /systems/x86_64-linux/alpha/default.nix
{ ... }: { }
#- /systems/x86_64-linux/beta/default.nix
{ ... }: { }
#- /systems/aarch64-linux/gamma/default.nix
{ ... }: { }
#- /modules/nixos/tools/default.nix
{ pkgs, inputs, ... }:
let stable = import inputs.nixpkgs { system = pkgs.system; config.allowUnfree = true; };
in { environment.systemPackages = [ stable.hello ]; }
`,
};

for (const [name, source] of Object.entries(WORKSPACES)) {
  test(`instance-in-module counts what cost.ts counts: ${name}`, async () => {
    const analysis = await analyse(parseFixture(source));
    const model = analysis.workspace();
    const found = analysis.allDiagnostics().filter((d) => d.code === 'instance-in-module');
    assert.ok(found.length > 0, 'the workspace has instance-in-module findings to compare');
    for (const d of found) {
      const inst = model.instances.find((i) => i.file === d.file && i.range.start.line === d.range.start.line && i.createsInstance);
      assert.ok(inst, `an instance at ${d.file}:${d.range.start.line + 1}`);
      const said = Number(/(\d+) instances in all/.exec(d.message)?.[1]);
      const site = costSiteOf(model, inst);
      assert.equal(site?.count, said, `${d.file}:${d.range.start.line + 1}: the diagnostic says ${said}, cost.ts ${site?.count} (${site?.why})`);
    }
  });
}
