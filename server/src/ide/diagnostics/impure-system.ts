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
      if (!inst.evaluated) {
        // A side file (nix-shell, nix-build, a script) or a default every caller overrides:
        // `<nixpkgs>` and the current system are what such files are for.
        out.push({
          file: inst.file,
          range: anchorRange(model, inst),
          code: this.code,
          severity: 'hint',
          message:
            'Neither `system` nor `localSystem` is given, so nixpkgs reads `builtins.currentSystem`. Nothing in the workspace evaluates this as part of an output (it is read on its own, or is a default every caller overrides), where that is usual.',
          related: [],
        });
        continue;
      }
      // Evaluated inside a flake's folder means reached from that flake: pure evaluation.
      const inFlake = model.flakeOf(inst.file) !== null || inst.input !== null;
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
