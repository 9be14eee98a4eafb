/**
 * `instance-in-module` (warning): a NixOS, home-manager or nix-darwin module
 * that two or more configurations evaluate instantiates nixpkgs itself. Every
 * configuration that loads the module evaluates another complete package set
 * (about 100 MiB and a second each); created once where the configurations are
 * built and handed over, it is evaluated once. A module one configuration loads,
 * a file nothing evaluates, and a default argument every caller overrides are
 * not reported: hoisting would save nothing there.
 *
 * ```nix
 * # before: modules/common.nix, imported by three hosts
 * { pkgs, inputs, ... }:
 * let unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; }; in
 * { environment.systemPackages = [ unstable.helix ]; }
 *
 * # after: flake.nix creates it once and passes it through specialArgs
 * { pkgs, unstable, ... }:
 * { environment.systemPackages = [ unstable.helix ]; }
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import type { EvalUnit } from '../workspace.js';
import { anchorRange, listNames, plural, unitsRelated } from './util.js';

/** home-manager takes module arguments through `extraSpecialArgs`; NixOS and nix-darwin through `specialArgs`. */
function handOver(units: EvalUnit[]): string {
  const hm = units.filter((u) => u.builder.fact.builder === 'homeManagerConfiguration').length;
  if (hm === 0) return 'specialArgs';
  return hm === units.length ? 'extraSpecialArgs' : 'specialArgs or extraSpecialArgs';
}

export const instanceInModule: DiagnosticKind = {
  code: 'instance-in-module',
  title: 'A module or sub-flake creates its own nixpkgs instance',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (!inst.createsInstance || !inst.evaluated || (inst.kind !== 'import' && inst.kind !== 'wrapper-call')) continue;
      if (inst.location === 'module') {
        const units = model.reachedBy.get(inst.file) ?? [];
        // Hoisting saves something only where two or more configurations evaluate the module;
        // where the configurations are not known, say nothing rather than guess.
        if (units.length < 2) continue;
        const hosts = units.map((u) => u.host ?? 'a configuration');
        const cost = `${plural(units.length, 'configuration')} (${listNames(hosts)}) each evaluate another complete nixpkgs here, ${units.length} instances in all`;
        out.push({
          file: inst.file,
          range: anchorRange(model, inst),
          code: this.code,
          message:
            `Hoist to flake.nix and pass it through ${handOver(units)}. ` +
            `This module instantiates nixpkgs itself: ${cost} (about 100 MiB and a second of evaluation each).`,
          related: unitsRelated(model, units),
        });
      }
    }
    return out;
  },
};
