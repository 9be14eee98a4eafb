/**
 * `duplicate-instance` (warning): two or more sites that one flake's outputs
 * evaluate instantiate the same nixpkgs with the same arguments (order and
 * spelling ignored). Each is a separate evaluation of an identical package set;
 * one shared binding does. Files nothing evaluates (shell.nix, scripts) and
 * default arguments every caller overrides are left out.
 *
 * ```nix
 * # before: in two files
 * pkgs = import nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; };
 * # after: one binding in flake.nix, used by both (through specialArgs for modules)
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import type { Instance } from '../workspace.js';
import { anchorRange, MAX_RELATED, plural } from './util.js';

export const duplicateInstance: DiagnosticKind<'duplicate-instance'> = {
  code: 'duplicate-instance',
  title: 'The same nixpkgs is instantiated with the same arguments more than once',
  defaultSeverity: 'warning',
  check(model) {
    const groups = new Map<string, Instance[]>();
    for (const inst of model.instances) {
      if (!inst.createsInstance || !inst.evaluated || inst.kind !== 'import' || inst.key === null) continue;
      // Arguments that are not a literal set cannot be compared.
      if (!inst.site.args?.attrs) continue;
      // Each flake is evaluated on its own: only sites of one flake are evaluated together.
      const key = `${model.flakeOf(inst.file)?.path ?? ''}\0${inst.key}`;
      const list = groups.get(key) ?? [];
      list.push(inst);
      groups.set(key, list);
    }
    const out: Finding[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // The first few sites, computed once: a generated file can hold thousands of equal instances.
      const head = group.slice(0, MAX_RELATED + 1).map((o) => ({
        inst: o,
        info: {
          file: o.file,
          range: anchorRange(model, o),
          message: o.site.name ? `the same instance, bound to ${o.site.name}` : 'the same instance',
        },
      }));
      for (const inst of group) {
        const others = { length: group.length - 1 };
        out.push({
          file: inst.file,
          range: anchorRange(model, inst),
          code: this.code,
          message:
            'Create this instance once (in flake.nix) and reuse the binding. ' +
            `The same nixpkgs is instantiated with the same arguments at ${plural(others.length, 'other site')}, and each is evaluated separately.`,
          related: head
            .filter((h) => h.inst !== inst)
            .slice(0, MAX_RELATED)
            .map((h) => ({ ...h.info, range: { start: { ...h.info.range.start }, end: { ...h.info.range.end } } })),
        });
      }
    }
    return out;
  },
};
