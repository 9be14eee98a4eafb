/**
 * `impure-system` (error inside a flake's evaluation, warning elsewhere): an
 * instantiation gives neither `system` nor `localSystem`, so nixpkgs reads
 * `builtins.currentSystem`. Pure flake evaluation has no such attribute, and
 * elsewhere the result depends on the machine that evaluates it.
 *
 * ```nix
 * # before
 * pkgs = import nixpkgs { config.allowUnfree = true; };
 * # after
 * pkgs = import nixpkgs { localSystem = system; config.allowUnfree = true; };
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange } from './util.js';

export const impureSystem: DiagnosticKind = {
  code: 'impure-system',
  title: 'No `system` or `localSystem`: nixpkgs falls back to builtins.currentSystem',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (inst.kind !== 'import') continue;
      const attrs = inst.site.args?.attrs;
      if (!attrs || attrs.has('system') || attrs.has('localSystem')) continue;
      const inFlake =
        inst.location === 'flake' ||
        inst.location === 'subflake' ||
        (inst.location === 'module' && inst.evaluations > 0) ||
        inst.input !== null;
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        severity: inFlake ? 'error' : 'warning',
        message: inFlake
          ? 'Neither `system` nor `localSystem` is given, so nixpkgs reads `builtins.currentSystem`, which pure flake evaluation does not have: evaluation fails with "attribute \'currentSystem\' missing". Pass `localSystem = system;`.'
          : 'Neither `system` nor `localSystem` is given, so nixpkgs reads `builtins.currentSystem`: the result depends on the machine that evaluates it, and fails under pure evaluation. Pass `localSystem` explicitly.',
        related: [],
      });
    }
    return out;
  },
};
