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
 * # after: flake.nix (or the file whose builders build the hosts) creates it
 * # once and passes it through specialArgs
 * { pkgs, unstable, ... }:
 * { environment.systemPackages = [ unstable.helix ]; }
 * ```
 */
import { posix } from 'node:path';
import type { DiagnosticKind, Finding } from './types.js';
import type { EvalUnit, WorkspaceModel } from '../workspace.js';
import { anchorRange, listNames, plural, unitsRelated } from './util.js';

/** home-manager takes module arguments through `extraSpecialArgs`; NixOS and nix-darwin through `specialArgs`. */
function handOver(units: EvalUnit[]): string {
  const hm = units.filter((u) => u.builder.fact.builder === 'homeManagerConfiguration').length;
  if (hm === 0) return 'specialArgs';
  return hm === units.length ? 'extraSpecialArgs' : 'specialArgs or extraSpecialArgs';
}

/**
 * Where the configurations are built: the one file whose builders build them all (flake.nix, a
 * helper file, a flake-parts module), relative to its flake's folder; null for several files.
 */
function whereBuilt(model: WorkspaceModel, units: EvalUnit[]): string | null {
  const files = [...new Set(units.map((u) => u.builder.file))];
  if (files.length !== 1) return null;
  const file = files[0]!;
  const dir = model.flakeOf(file)?.dir;
  return dir !== undefined && file.startsWith(dir === '/' ? '/' : dir + '/') ? posix.relative(dir, file) : posix.basename(file);
}

/** Where to create it: flake.nix, or the file whose builders build the hosts, outside their per-host function. */
function hoistAdvice(where: string | null, through: string): string {
  if (where === 'flake.nix') return `Hoist to flake.nix and pass it through ${through}.`;
  const generic = `Create it once where the hosts are built; pass it through ${through}.`;
  if (where === null) return generic;
  // The first sentence is what the Problems panel shows: a long path gives way to its file name.
  for (const name of [where, posix.basename(where)]) {
    const advice = `Create it where ${name} builds the hosts; pass it through ${through}.`;
    if (advice.length <= 80) return advice;
  }
  return generic;
}

export const instanceInModule: DiagnosticKind<'instance-in-module'> = {
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
        const fix = units.some((u) => u.builder.layout === 'snowfall-lib')
          ? 'Use a snowfall-lib channel instead (an overlay with { channels, ... }).'
          : hoistAdvice(whereBuilt(model, units), handOver(units));
        out.push({
          file: inst.file,
          range: anchorRange(model, inst),
          code: this.code,
          message:
            `${fix} ` +
            `This module instantiates nixpkgs itself: ${cost} (about 100 MiB and a second of evaluation each).`,
          related: unitsRelated(model, units),
        });
      }
    }
    return out;
  },
};
