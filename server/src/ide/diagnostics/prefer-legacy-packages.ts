/**
 * `prefer-legacy-packages` (information): a flake input is instantiated with
 * nothing but a system. `nixpkgs.legacyPackages.${system}` is that very
 * package set, evaluated once and shared by everything that uses it.
 *
 * ```nix
 * # before
 * pkgs = import nixpkgs { inherit system; };
 * # after
 * pkgs = nixpkgs.legacyPackages.${system};
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange } from './util.js';

export const preferLegacyPackages: DiagnosticKind = {
  code: 'prefer-legacy-packages',
  title: 'An instance with only a system: `legacyPackages.${system}` is the shared one',
  defaultSeverity: 'information',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (inst.kind !== 'import' || inst.input === null) continue;
      const attrs = inst.site.args?.attrs;
      if (!attrs || attrs.size !== 1) continue;
      const [key, arg] = [...attrs][0]!;
      if (key !== 'system' && key !== 'localSystem') continue;
      // `localSystem = { config = ...; gcc = ...; }` is more than a system.
      if (arg.attrs && [...arg.attrs.keys()].some((k) => k !== 'system')) continue;
      const system = arg.string !== null ? arg.string : arg.attrs ? (arg.attrs.get('system')?.text ?? 'system') : (arg.text ?? 'system');
      const sel = /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(system) && arg.string === null ? `\${${system}}` : system.includes('-') ? system : `\${${system}}`;
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        message:
          `This instance sets nothing but the system, so \`${inst.site.sourceText}.legacyPackages.${sel}\` is the same package set, ` +
          'evaluated once and shared (and cached by the flake). Use it instead of a new instance.',
        related: [],
      });
    }
    return out;
  },
};
