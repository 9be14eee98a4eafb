/**
 * `system-and-local-system` (error): an instantiation passes both `system` and
 * `localSystem`. nixpkgs' `pkgs/top-level/impure.nix` asserts that at most one
 * of them is given, so evaluation fails.
 *
 * ```nix
 * # before
 * pkgs = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
 * # after
 * pkgs = import nixpkgs { localSystem = "x86_64-linux"; };
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';

export const systemAndLocalSystem: DiagnosticKind<'system-and-local-system'> = {
  code: 'system-and-local-system',
  title: 'Both `system` and `localSystem` are passed to nixpkgs',
  defaultSeverity: 'error',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      // NixOS' `nixpkgs.system` beside `nixpkgs.localSystem` is allowed (localSystem wins).
      if (inst.kind === 'platform') continue;
      const attrs = inst.site.args?.attrs;
      const system = attrs?.get('system');
      const local = attrs?.get('localSystem');
      if (!system || !local) continue;
      const lines = model.files.get(inst.file)!.lines;
      out.push({
        file: inst.file,
        range: lines.range(system.keySpan),
        code: this.code,
        message:
          'Remove system and keep localSystem. ' +
          'Both are given, and nixpkgs asserts that only one is, so evaluation fails; localSystem is the modern name.',
        related: [{ file: inst.file, range: lines.range(local.keySpan), message: 'localSystem is given here' }],
      });
    }
    return out;
  },
};
