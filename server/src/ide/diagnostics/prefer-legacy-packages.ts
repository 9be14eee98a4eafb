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
import type { ArgNode } from '../index/args.js';
import type { Instance, WorkspaceModel } from '../workspace.js';
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange } from './util.js';

export const preferLegacyPackages: DiagnosticKind<'prefer-legacy-packages'> = {
  code: 'prefer-legacy-packages',
  title: 'An instance with only a system: `legacyPackages.${system}` is the shared one',
  defaultSeverity: 'information',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (inst.kind !== 'import' || !inst.evaluated || (inst.input === null && !inputOfInput(model, inst))) continue;
      const attrs = inst.site.args?.attrs;
      if (!attrs || attrs.size !== 1) continue;
      const [key, arg] = [...attrs][0]!;
      if (key !== 'system' && key !== 'localSystem') continue;
      // `localSystem = { config = ...; gcc = ...; }` is more than a system.
      if (arg.attrs && [...arg.attrs.keys()].some((k) => k !== 'system')) continue;
      const sel = systemSelector(key === 'localSystem', arg.attrs ? (arg.attrs.get('system') ?? null) : arg);
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        message: legacyMessage(inst.site.sourceText, `${inst.site.sourceText}.legacyPackages.${sel}`),
        related: [],
      });
    }
    return out;
  },
};

/**
 * `someInput.inputs.nixpkgs` (or `inputs.someInput.inputs.nixpkgs`) where `someInput` is an input
 * of this flake: the nixpkgs another flake locks, a flake with `legacyPackages` too.
 */
function inputOfInput(model: WorkspaceModel, inst: Instance): boolean {
  const m = /^(?:inputs\.)?([A-Za-z_][\w'-]*)\.inputs\.([A-Za-z_][\w'-]*)$/.exec(inst.site.sourceText);
  if (!m || !/nixpkgs/i.test(m[2]!)) return false;
  return (model.flakeOf(inst.file)?.inputs ?? []).some((i) => i.name === m[1]);
}

/** The fix names the shared set; one too long for the Problems panel's line is named after it. */
function legacyMessage(source: string, shared: string): string {
  const fix = `Use the shared ${shared}.`;
  const why = 'is the same package set, evaluated once instead of again here, and cached by the flake.';
  return fix.length <= 80
    ? `${fix} This instance sets nothing but the system, so that ${why}`
    : `Use the shared legacyPackages of ${source}. This instance sets nothing but the system, so ${shared} ${why}`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const SELECTION = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/**
 * How to select the system from `legacyPackages`: `x86_64-linux` for a literal,
 * `${system}` for an expression. A `localSystem` that is not a name or a
 * `….system` may be a platform set (`pkgs.stdenv.hostPlatform`,
 * `lib.systems.elaborate …`), whose `system` attribute is the string.
 */
function systemSelector(isLocalSystem: boolean, arg: ArgNode | null): string {
  if (arg?.string != null) return NAME.test(arg.string) ? arg.string : JSON.stringify(arg.string);
  const text = arg?.text ?? 'system';
  if (!isLocalSystem || NAME.test(text) || (SELECTION.test(text) && text.endsWith('.system'))) return `\${${text}}`;
  return SELECTION.test(text) ? `\${${text}.system}` : `\${(${text}).system}`;
}
