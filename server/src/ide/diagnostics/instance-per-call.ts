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
import type { Instance } from '../workspace.js';
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange, MAX_RELATED, plural, rangeIn } from './util.js';

export const instancePerCall: DiagnosticKind = {
  code: 'instance-per-call',
  title: 'A function that instantiates nixpkgs is called repeatedly',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    const callsByWrapper = new Map<string, typeof model.instances>();
    for (const i of model.instances) {
      if (i.kind !== 'wrapper-call' || !i.site.wrapper || !i.evaluated) continue;
      const key = `${i.file}\0${i.site.wrapper}`;
      const list = callsByWrapper.get(key) ?? [];
      list.push(i);
      callsByWrapper.set(key, list);
    }
    for (const entry of model.factFiles) {
      const file = entry.path;
      for (const w of entry.facts.wrappers) {
        const calls = callsByWrapper.get(`${file}\0${w.name}`) ?? [];
        if (calls.length === 0) continue;
        // Calls with the same text (whitespace folded) pass the same arguments.
        const textOf = (c: Instance) => entry.lines.text.slice(c.site.span.start, c.site.span.end).replace(/\s+/g, ' ');
        const texts = new Map<string, number>();
        for (const c of calls) texts.set(textOf(c), (texts.get(textOf(c)) ?? 0) + 1);
        const repeatedCalls = calls.filter((c) => texts.get(textOf(c))! > 1);
        const perHostCalls = calls.filter((c) => c.scope === 'per-host' || c.location === 'module');
        if (repeatedCalls.length === 0 && perHostCalls.length === 0) continue;
        const why =
          repeatedCalls.length > 0
            ? `${plural(repeatedCalls.length, 'call')} repeat the same arguments`
            : `${plural(perHostCalls.length, 'call runs', 'calls run')} once per host`;
        const shown = repeatedCalls.length > 0 ? repeatedCalls : perHostCalls;
        const related = shown.slice(0, MAX_RELATED).map((c) => ({
          file: c.file,
          range: anchorRange(model, c),
          message: repeatedCalls.length > 0 ? `a call of \`${w.name}\` with the same arguments` : `a call of \`${w.name}\` run once per host`,
        }));
        // On each instantiation in the body (what every call creates again), else on the name.
        const body = model.instances.filter((i) => i.file === file && i.kind === 'import' && i.site.wrapper === w.name);
        const ranges = body.length ? body.map((i) => anchorRange(model, i)) : [rangeIn(model, file, w.nameSpan)];
        for (const range of ranges) {
          out.push({
            file,
            range,
            code: this.code,
            message:
              `\`${w.name}\` instantiates nixpkgs here on every call, and ${why}: each call evaluates another complete package set. ` +
              'Call it once per distinct argument (for example with `genAttrs` over systems) and share the results.',
            related: related.map((r) => ({ ...r, range: { start: { ...r.range.start }, end: { ...r.range.end } } })),
          });
        }
      }
    }
    // Overlays that instantiate: the overlay runs once per package set it extends, and in a flake
    // whose modules set `nixpkgs.overlays`, that is every configuration's package set.
    for (const inst of model.instances) {
      if (!inst.site.overlay || !inst.evaluated || !inst.createsInstance || inst.kind !== 'import') continue;
      const flake = model.flakeOf(inst.file);
      const { named } = model.configurationsOf(flake);
      if (named < 2 || !model.setsOverlays(flake)) continue;
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        message:
          `This overlay instantiates nixpkgs each time it is applied, and modules here add it to the package set of every configuration (${named} in this flake): ` +
          'each evaluates another complete package set. Create the instance once where the configurations are built and let the overlay (or `specialArgs`) hand it over.',
        related: [],
      });
    }
    return out;
  },
};
