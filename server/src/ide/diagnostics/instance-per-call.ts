/**
 * `instance-per-call` (warning): a function that instantiates nixpkgs
 * (`mkPkgs = system: import nixpkgs { ... }`) is called at several sites with
 * the same arguments, or once per host: every call evaluates another complete
 * package set.
 *
 * ```nix
 * # before
 * mkPkgs = system: import nixpkgs { inherit system; config.allowUnfree = true; };
 * a = mkPkgs "x86_64-linux";  b = mkPkgs "x86_64-linux";
 * # after: one instance per distinct system
 * pkgsFor = nixpkgs.lib.genAttrs [ "x86_64-linux" ] mkPkgs;
 * a = pkgsFor.x86_64-linux;  b = pkgsFor.x86_64-linux;
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange, plural, rangeIn } from './util.js';

export const instancePerCall: DiagnosticKind = {
  code: 'instance-per-call',
  title: 'A function that instantiates nixpkgs is called repeatedly',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    for (const [file, entry] of model.files) {
      for (const w of entry.facts.wrappers) {
        const calls = model.instances.filter((i) => i.file === file && i.kind === 'wrapper-call' && i.site.wrapper === w.name);
        if (calls.length === 0) continue;
        const texts = new Map<string, number>();
        const lines = entry.lines;
        for (const c of calls) {
          const t = lines.text.slice(c.site.span.start, c.site.span.end).replace(/\s+/g, ' ');
          texts.set(t, (texts.get(t) ?? 0) + 1);
        }
        const repeated = [...texts.values()].filter((n) => n > 1).reduce((a, b) => a + b, 0);
        const perHost = calls.filter((c) => c.scope === 'per-host' || c.location === 'module').length;
        if (repeated === 0 && perHost === 0) continue;
        const why =
          repeated > 0
            ? `${plural(repeated, 'call')} repeat the same arguments`
            : `${plural(perHost, 'call')} run once per host`;
        out.push({
          file,
          range: rangeIn(model, file, w.nameSpan),
          code: this.code,
          message:
            `\`${w.name}\` instantiates nixpkgs on every call, and ${why}: each call evaluates another complete package set. ` +
            'Call it once per distinct argument (for example with `genAttrs` over systems) and share the results.',
          related: calls.map((c) => ({ file: c.file, range: anchorRange(model, c), message: `a call of \`${w.name}\`` })),
        });
      }
    }
    return out;
  },
};
