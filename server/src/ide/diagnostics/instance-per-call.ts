/**
 * `instance-per-call` (warning): a function that instantiates nixpkgs is run
 * more often than there are distinct package sets: a factory (`mkPkgs = system:
 * import nixpkgs { ... }`) called at several sites with the same arguments or
 * once per host; a factory handed to a helper that builds each configuration
 * (`genSpecialArgs`); a helper file that builds a configuration on each call and
 * instantiates inside; an overlay that instantiates (`final: prev: { unstable =
 * import ...; }`) added to every configuration's package set. Every run evaluates
 * another complete package set. The diagnostic sits on each instantiation.
 *
 * ```nix
 * # before: overlays/default.nix, applied to every host's package set
 * { inputs, ... }: {
 *   unstable-packages = final: _prev: {
 *     unstable = import inputs.nixpkgs-unstable { inherit (final.stdenv.hostPlatform) system; };
 *   };
 * }
 * # after (quick fix "Create unstableBySystem once per system and share it")
 * { inputs, ... }: let
 *   unstableBySystem = inputs.nixpkgs-unstable.lib.genAttrs inputs.nixpkgs-unstable.lib.systems.flakeExposed (system: import inputs.nixpkgs-unstable {
 *     inherit system;
 *   });
 * in {
 *   unstable-packages = final: _prev: {
 *     unstable = unstableBySystem.${final.stdenv.hostPlatform.system};
 *   };
 * }
 * ```
 */
import type { Instance, WorkspaceModel } from '../workspace.js';
import { nameRegExp, type Span } from '../text.js';
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange, MAX_RELATED, plural, rangeIn } from './util.js';

/**
 * Files that build a configuration each time they are applied: a function (the file's value)
 * whose body calls a system builder. The spans of those builder calls, by file.
 */
function perHostHelpers(model: WorkspaceModel): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const entry of model.factFiles) {
    const f = entry.facts;
    if (!f.topFunction || f.builders.length === 0 || f.flakeInputs !== null) continue;
    if (!model.evaluation.fileEvaluated(entry.path)) continue;
    out.set(entry.path, f.builders.map((b) => b.span));
  }
  return out;
}

/**
 * Why a factory's calls evaluate more sets than there are distinct ones: calls that repeat the
 * same arguments (same text, whitespace folded), or calls that run once per host. Null when neither.
 */
function repeatedCalls(model: WorkspaceModel, text: string, name: string, calls: Instance[]): { why: string; related: Finding['related'] } | null {
  const textOf = (c: Instance) => text.slice(c.site.span.start, c.site.span.end).replace(/\s+/g, ' ');
  const texts = new Map<string, number>();
  for (const c of calls) texts.set(textOf(c), (texts.get(textOf(c)) ?? 0) + 1);
  const repeated = calls.filter((c) => texts.get(textOf(c))! > 1);
  // A call in a module runs once per configuration that evaluates it: per host only when two or
  // more do (a flake-parts module, evaluated once, is not per host).
  const perHost = calls.filter((c) => c.scope === 'per-host' || (c.location === 'module' && c.evaluations >= 2));
  if (repeated.length === 0 && perHost.length === 0) return null;
  const shown = repeated.length > 0 ? repeated : perHost;
  return {
    why: repeated.length > 0 ? `${plural(repeated.length, 'call')} repeat the same arguments` : `${plural(perHost.length, 'call runs', 'calls run')} once per host`,
    related: shown.slice(0, MAX_RELATED).map((c) => ({
      file: c.file,
      range: anchorRange(model, c),
      message: repeated.length > 0 ? `a call of ${name} with the same arguments` : `a call of ${name} run once per host`,
    })),
  };
}

export const instancePerCall: DiagnosticKind<'instance-per-call'> = {
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
        // On each instantiation in the body (what every call creates again), else on the name.
        const body = model.instances.filter((i) => i.file === file && i.kind === 'import' && i.site.wrapper === w.name);
        // A wrapper returning a set of instances creates each only for the calls that select it.
        const forcing = (i: Instance | null) => {
          const member = i && w.members?.find((m) => m.span.start <= i.site.span.start && i.site.span.end <= m.span.end)?.name;
          return member ? calls.filter((c) => !c.site.selects || c.site.selects.includes(member)) : calls;
        };
        for (const inst of body.length ? body : [null]) {
          const finding = repeatedCalls(model, entry.lines.text, w.name, forcing(inst));
          if (!finding) continue;
          out.push({
            file,
            range: inst ? anchorRange(model, inst) : rangeIn(model, file, w.nameSpan),
            code: this.code,
            message:
              `Call ${w.name} once per distinct argument and share the results. ` +
              `It instantiates nixpkgs here on every call, and ${finding.why}: each call evaluates another complete package set (genAttrs over systems, for example, makes one per system).`,
            related: finding.related,
          });
        }
      }
    }
    const fired = new Set(out.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.character}`));
    const push = (inst: Instance, message: string, related: Finding['related'] = []) => {
      const range = anchorRange(model, inst);
      const key = `${inst.file}:${range.start.line}:${range.start.character}`;
      if (fired.has(key)) return;
      fired.add(key);
      out.push({ file: inst.file, range, code: this.code, message, related });
    };
    const configurations = (inst: Instance): string | null => {
      const { named, computed } = model.configurationsOf(model.flakeOf(inst.file));
      // A computed set (`mapAttrs mkHost hosts`) is taken as several: it exists to build many.
      return named >= 2 ? `${named} in this flake` : computed ? 'built from a list of hosts' : null;
    };
    const helpers = perHostHelpers(model);

    for (const inst of model.instances) {
      if (!inst.evaluated || !inst.createsInstance || inst.kind !== 'import') continue;
      // Overlays that instantiate: the overlay runs once per package set it extends, and in a flake
      // whose modules set `nixpkgs.overlays`, that is every configuration's package set.
      if (inst.site.overlay) {
        const count = configurations(inst);
        if (count === null || !model.setsOverlays(model.flakeOf(inst.file))) continue;
        push(
          inst,
          'Create this instance once where the configurations are built. ' +
            `This overlay instantiates nixpkgs each time it is applied, and modules here add it to the package set of every configuration (${count}): ` +
            'each evaluates another complete package set. The overlay (or specialArgs) can hand over that one instance instead.',
        );
        continue;
      }
      // A helper file that builds a host each time it is called (`lib/mkHost.nix`): what it
      // instantiates for the host is instantiated again for every host.
      const helper = helpers.get(inst.file);
      if (helper && helper.some((b) => b.start <= inst.site.span.start && inst.site.span.end <= b.end) && inst.scope !== 'per-system') {
        const count = configurations(inst);
        if (count === null) continue;
        push(
          inst,
          'Create this instance once per system where hosts are built; pass it in. ' +
            `This file builds a configuration each time it is called (${count}), and creates this package set anew for each.`,
        );
      }
    }
    // Factories handed to per-host helpers (`genSpecialArgs`, `pkgsFor` through `specialArgs`):
    // each helper call calls the factory again.
    for (const entry of model.factFiles) {
      for (const w of entry.facts.wrappers) {
        if (!model.evaluation.fileEvaluated(entry.path)) continue;
        // The helper may call the factory, or a function that defines it anew on each call.
        let called: string | null = null;
        let callers: string[] = [];
        for (const name of [w.name, ...w.within]) {
          const word = nameRegExp(name);
          callers = [...helpers.keys()].filter((f) => f !== entry.path && word.test(model.files.get(f)?.lines.text ?? ''));
          if (callers.length) {
            called = name;
            break;
          }
        }
        if (called === null) continue;
        const body = model.instances.filter((i) => i.file === entry.path && i.kind === 'import' && i.site.wrapper === w.name);
        if (body.length === 0 || configurations(body[0]!) === null) continue;
        const related = callers.slice(0, MAX_RELATED).map((f) => ({
          file: f,
          range: rangeIn(model, f, { start: 0, end: 0 }),
          message: `builds a configuration on each call, and calls ${called}`,
        }));
        const through = called === w.name ? '' : ` (through ${w.name}, which each call of ${called} defines anew)`;
        for (const inst of body) {
          push(
            inst,
            `Call ${called} once per system, where the hosts are built. ` +
              `It instantiates nixpkgs here on every call${through}, and a helper that builds each configuration calls it: each host evaluates another complete package set. Share the results instead.`,
            related,
          );
        }
      }
    }
    return out;
  },
};
