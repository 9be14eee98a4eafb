/**
 * `impure-system` (error inside a flake's evaluation, a hint elsewhere): an
 * instantiation gives neither `system` nor `localSystem`, so nixpkgs reads
 * `builtins.currentSystem`. Pure flake evaluation has no such attribute. Channel-era
 * configurations, nix-shell and nix-build files read `<nixpkgs>` and the current system
 * from the machine by design, so there it is only a hint.
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

export const impureSystem: DiagnosticKind<'impure-system'> = {
  code: 'impure-system',
  title: 'No `system` or `localSystem`: nixpkgs falls back to builtins.currentSystem',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (inst.kind !== 'import') continue;
      const attrs = inst.site.args?.attrs;
      if (!attrs || attrs.has('system') || attrs.has('localSystem')) continue;
      // Reached from a flake (or naming a flake input): evaluated purely, where this fails.
      const pure = inst.evaluated && (model.flakeOf(inst.file) !== null || inst.input !== null);
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        severity: pure ? 'error' : 'hint',
        message: pure
          ? 'Pass localSystem (for example localSystem = system;). With neither system nor localSystem, nixpkgs reads builtins.currentSystem, which pure flake evaluation does not have, so evaluation fails with "attribute \'currentSystem\' missing".'
          : inst.evaluated
            ? 'Pass localSystem to pin the platform. Neither system nor localSystem is given, so nixpkgs reads builtins.currentSystem: the machine that evaluates this decides the platform. Outside a flake that is usual (<nixpkgs> comes from the machine too).'
            : 'Pass localSystem if the platform should not depend on the machine. Neither system nor localSystem is given, so nixpkgs reads builtins.currentSystem. Nothing in the workspace evaluates this as part of an output (it is read on its own, or is a default every caller overrides), where that is usual.',
        related: [],
      });
    }
    return out;
  },
};
