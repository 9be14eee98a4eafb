/**
 * The workspace pass: joins every file's facts into instances with resolved
 * sources, the flake/module graph, and evaluation counts. Runs on facts only
 * (no trees), so it is cheap enough to rerun after any change.
 */
import { posix } from 'node:path';
import { fingerprint, type ArgNode, type InstanceArgs } from './index/args.js';
import type { BuilderFact, EvalScope, FileFacts, FlakeInputFact, InstanceKind, SiteFact, SourceRef } from './index/facts.js';
import { isNixpkgsUrl } from './index/sources.js';
import { parseTriple } from './cross/index.js';
import { Evaluation, nearestFolder } from './evaluation.js';
import type { LockFacts } from './lock.js';
import type { LineIndex, Range, Span } from './text.js';
import { withPrefix } from './sorted.js';

export type Location = 'flake' | 'subflake' | 'module' | 'other';

/** One analysed file: its path (absolute, `/`-separated), line index and facts. */
export interface FileEntry {
  path: string;
  /** Line index (and text) of the file; empty for files whose text was not kept (see `textDropped`). */
  lines: LineIndex;
  facts: FileFacts;
  /** The prefilter found nothing in the file: its text was not kept (facts are empty). */
  textDropped?: boolean;
}

/** A resolved instance site. */
export interface Instance {
  file: string;
  site: SiteFact;
  range: Range;
  kind: InstanceKind;
  createsInstance: boolean;
  /** The flake input it instantiates, when known. */
  input: string | null;
  inputUrl: string | null;
  location: Location;
  scope: EvalScope;
  /** Builders (host/configuration evaluations) that reach the file, for module sites. */
  evaluations: number;
  reachedBy: string[];
  /**
   * Whether an output (or a channel-era configuration) evaluates this site: its file is reached
   * from an entry point, and a default argument only where a caller leaves it out (see evaluation.ts).
   */
  evaluated: boolean;
  /** Source identity + normalised arguments: equal keys are duplicate instances. */
  key: string | null;
  /**
   * For a `platform` site: the other half of a cross package set whose options one configuration
   * takes from two modules (`nixpkgs.hostPlatform` in the host's module, `nixpkgs.buildPlatform`
   * in a module written beside the host's file). See `pairPlatforms`.
   */
  pair?: { other: Instance; half: 'host' | 'build' };
}

export interface FlakeInfo {
  path: string;
  dir: string;
  root: boolean;
  inputs: FlakeInputFact[];
  /** The flake.lock beside it, when one was read and understood. */
  lock: LockFacts | null;
}

export interface BuilderInfo {
  file: string;
  fact: BuilderFact;
  /** The evaluations of this call (one per host it builds). */
  units: EvalUnit[];
  /**
   * Set when no call in the workspace builds these configurations but a framework does, from its
   * folder layout (`fact` then stands for the framework's own builder call, at the flake's mkFlake).
   */
  layout?: 'snowfall-lib';
}

/** One evaluation of a builder: one host or configuration, and the module files it loads. */
export interface EvalUnit {
  builder: BuilderInfo;
  host: string | null;
  /** Module files loaded (transitively through `imports`), sorted. */
  modules: string[];
  /** The literal values of the builder's function parameters for this host (`system`), when known. */
  vars?: Record<string, string>;
}

/** Whether a file's facts record anything the workspace passes read (else they skip the file). */
export function hasFacts(f: FileFacts): boolean {
  return (
    f.sites.length > 0 ||
    f.builders.length > 0 ||
    f.imports.length > 0 ||
    f.options.length > 0 ||
    f.emulatedSystems.length > 0 ||
    f.wrappers.length > 0 ||
    f.configurations.length > 0 ||
    f.fileCalls.length > 0 ||
    f.flakeInputs !== null
  );
}

/** The flake.lock beside a flake.nix. */
export function lockPathOf(flakeFile: string): string {
  return posix.join(posix.dirname(flakeFile), 'flake.lock');
}

/** Whether `path` lies strictly inside folder `dir` (also for the root folder `/`). */
export function isUnder(path: string, dir: string): boolean {
  return dir === '/' ? path.startsWith('/') && path !== '/' : path.startsWith(dir + '/');
}

export class WorkspaceModel {
  readonly flakes: FlakeInfo[] = [];
  readonly instances: Instance[] = [];
  readonly builders: BuilderInfo[] = [];
  /** For each module file, the builders that reach it. */
  readonly reachedBy = new Map<string, EvalUnit[]>();

  /**
   * The files with any facts, in path order: most files of a large workspace have none, and
   * passes over the workspace only need these.
   */
  readonly factFiles: FileEntry[];
  /** Which files anything evaluates (entry points, reached files, side files). */
  readonly evaluation: Evaluation;
  /** Per-flake answers, computed once per model: diagnostics ask them for every site. */
  private readonly configurationCounts = new Map<FlakeInfo | null, { named: number; computed: boolean }>();
  private readonly overlaySetters = new Map<FlakeInfo | null, boolean>();

  /**
   * `evaluation`: the previous model's, when no file's path references changed since (see Analysis).
   * `locks`: the flake.lock files read, by path. `graph`: the previous model, when no file's
   * builders, imports or file calls changed since, nor the files there are (see Analysis).
   */
  constructor(
    readonly files: ReadonlyMap<string, FileEntry>,
    evaluation: Evaluation | null = null,
    private readonly locks: ReadonlyMap<string, LockFacts> = new Map(),
    graph: WorkspaceModel | null = null,
  ) {
    this.factFiles = [...files.values()].filter((e) => !e.textDropped && hasFacts(e.facts));
    if (graph && evaluation) {
      this.evaluation = evaluation;
      this.reuseGraph(graph);
      this.resolveInstances();
      return;
    }
    this.findFlakes();
    this.evaluation = evaluation ?? new Evaluation(
      new Map(
        [...files.values()].map((e) => [e.path, { path: e.path, facts: e.facts, text: e.textDropped ? null : e.lines.text }] as const),
      ),
      this.flakes.map((f) => f.dir),
    );
    this.buildGraph();
    this.resolveInstances();
  }

  /**
   * The module graph of `graph`, a model of the same files whose builders, imports and file calls
   * are those of these facts (see Analysis): its flakes, builders and what each configuration loads.
   * Each builder points at the fact of the file as it is now (equal to the old one).
   */
  private reuseGraph(graph: WorkspaceModel): void {
    this.flakes.push(...graph.flakes);
    const seen = new Map<string, number>();
    for (const info of graph.builders) {
      if (!info.layout) {
        const k = seen.get(info.file) ?? 0;
        seen.set(info.file, k + 1);
        info.fact = this.files.get(info.file)!.facts.builders[k]!;
      }
      this.builders.push(info);
    }
    for (const [m, units] of graph.reachedBy) this.reachedBy.set(m, units);
    for (const [k, v] of graph.resolved) this.resolved.set(k, v);
    this.sortedPaths = graph.sortedPaths;
  }

  private findFlakes(): void {
    const flakePaths = [...this.files.keys()].filter((p) => posix.basename(p) === 'flake.nix').sort();
    for (const path of flakePaths) {
      const dir = posix.dirname(path);
      const root = !flakePaths.some((other) => other !== path && isUnder(dir, posix.dirname(other)));
      this.flakes.push({ path, dir, root, inputs: this.files.get(path)!.facts.flakeInputs ?? [], lock: this.locks.get(lockPathOf(path)) ?? null });
    }
  }

  /**
   * The system a configuration is built for, when the text gives it as a literal: a module's
   * `nixpkgs.hostPlatform` (or `nixpkgs.system`, also under `lib.mkDefault`) wins over the
   * builder's `system`, which NixOS only sets as a default. One answer for every assist.
   */
  configurationSystem(unit: EvalUnit): string | null {
    let system: string | null = null;
    for (const m of unit.modules) {
      for (const o of this.files.get(m)?.facts.options ?? []) {
        if ((o.option === 'nixpkgs.hostPlatform' || o.option === 'nixpkgs.system') && o.value) system = o.value;
      }
    }
    return system ?? unit.builder.fact.system;
  }

  /** The flake a file belongs to: the nearest flake.nix above it (a walk up its folders: diagnostics ask for every site). */
  flakeOf(file: string): FlakeInfo | null {
    this.flakeByDir ??= new Map(this.flakes.map((f) => [f.dir, f]));
    return nearestFolder(file, this.flakeByDir) ?? null;
  }

  private flakeByDir: Map<string, FlakeInfo> | null = null;
  private filesByFlake: Map<FlakeInfo | null, FileEntry[]> | null = null;

  /** The files with facts of a flake (null: outside every flake), grouped once per model. */
  private factFilesOf(flake: FlakeInfo | null): readonly FileEntry[] {
    if (!this.filesByFlake) {
      this.filesByFlake = new Map();
      for (const e of this.factFiles) {
        const f = this.flakeOf(e.path);
        const list = this.filesByFlake.get(f) ?? [];
        list.push(e);
        this.filesByFlake.set(f, list);
      }
    }
    return this.filesByFlake.get(flake) ?? [];
  }

  /** Every file's path, sorted once per model (a workspace of many flakes asks for many folders). */
  private sortedPaths: string[] | null = null;

  /** The paths that start with `prefix`, sorted. */
  private pathsUnder(prefix: string): string[] {
    return withPrefix((this.sortedPaths ??= [...this.files.keys()].sort()), prefix);
  }

  private buildGraph(): void {
    for (const entry of this.factFiles) {
      const path = entry.path;
      for (const fact of entry.facts.builders) {
        const info: BuilderInfo = { file: path, fact, units: [] };
        let known = fact.units.length ? fact.units : [{ host: fact.hosts[0] ?? null, vars: {} }];
        // Mapped over a collection the file is given (`{ hosts }: mapAttrs (...) hosts`): the
        // entries the callers write out are the hosts.
        const entries = fact.mappedOver && known.every((u) => u.host === null) ? this.entriesGiven(path, fact.mappedOver) : [];
        const valueParam = fact.mappedOver?.valueParam ?? null;
        if (entries.length) known = entries.map(([host, value]) => ({ host, vars: valueParam !== null && value !== null ? { [valueParam]: value } : {} }));
        for (const unit of known) {
          const fixed: string[] = [];
          let dynamic: { host: string; file: string }[] | null = null;
          for (const ref of fact.modules) {
            const pattern = ref.path.replace(/\$\{([^}]*)\}/g, (m: string, v: string) => unit.vars[v] ?? '*');
            const matches = this.resolveModulePath(path, pattern);
            if (!pattern.includes('*')) fixed.push(...matches);
            else if (dynamic === null) {
              // An unknown host name (`./hosts/${name}` with no literal call): one host per match.
              const re = this.patternRegex(path, pattern);
              dynamic = matches.map((file) => ({ host: re.exec(file)?.[1] ?? file, file }));
            } else fixed.push(...matches);
          }
          const variants = dynamic ?? [null];
          for (const d of variants) {
            const roots = d ? [...fixed, d.file] : fixed;
            info.units.push({ builder: info, host: d?.host ?? unit.host, modules: this.closure(roots), vars: unit.vars });
          }
        }
        this.addBuilder(info);
      }
    }
    for (const flake of this.flakes) if (flake.root) this.snowfallLayout(flake);
  }

  /**
   * snowfall-lib's layout (`mkFlake { src = ./.; }`): each `systems/<system>/<host>/default.nix`
   * is a NixOS (or, for a `-darwin` system, nix-darwin) configuration, each
   * `homes/<system>/<user@host>/default.nix` a home-manager one, and every module under
   * `modules/nixos`, `modules/darwin` or `modules/home` is loaded by all configurations of its kind.
   */
  private snowfallLayout(flake: FlakeInfo): void {
    const entry = this.files.get(flake.path);
    const text = entry && !entry.textDropped ? entry.lines.text : '';
    if (!/\bsnowfall-lib\b/.test(text) || !/\bmkFlake\b/.test(text) || !/\bsrc\s*=\s*\.\/\.\s*;/.test(text)) return;
    const under = (folder: string) => {
      const prefix = posix.join(flake.dir, folder) + '/';
      return this.pathsUnder(prefix).map((p) => ({ path: p, rest: p.slice(prefix.length).split('/') }));
    };
    const modulesOf = (kind: string) => under(`modules/${kind}`).filter((f) => f.rest.at(-1) === 'default.nix').map((f) => f.path);
    const kinds = [
      { folder: 'systems', module: (system: string) => (system.endsWith('-darwin') ? 'darwin' : 'nixos'), builder: (system: string) => (system.endsWith('-darwin') ? 'darwinSystem' : 'nixosSystem') },
      { folder: 'homes', module: () => 'home', builder: () => 'homeManagerConfiguration' },
    ];
    const span = entry!.facts.sites.find((s) => s.kind === 'framework')?.span ?? { start: 0, end: 0 };
    for (const kind of kinds) {
      for (const f of under(kind.folder)) {
        if (f.rest.length !== 3 || f.rest[2] !== 'default.nix') continue;
        const [system, host] = f.rest as [string, string];
        const fact: BuilderFact = {
          builder: kind.builder(system),
          span,
          modules: [],
          specialArgs: [],
          specialArgsSpreadsInputs: true,
          system,
          evaluations: 1,
          hosts: [host],
          units: [{ host, vars: {} }],
          nameSpans: [],
        };
        const info: BuilderInfo = { file: flake.path, fact, units: [], layout: 'snowfall-lib' };
        info.units.push({ builder: info, host, modules: this.closure([f.path, ...modulesOf(kind.module(system))]) });
        this.addBuilder(info);
      }
    }
  }

  /** The names the callers of `file` write out for its formal `formal` (at curried position `index`). */
  private entriesGiven(file: string, { index, formal }: { index: number; formal: string }): [string, string | null][] {
    const out = new Map<string, string | null>();
    for (const entry of this.factFiles) {
      for (const call of entry.facts.fileCalls) {
        const target = posix.normalize(posix.join(posix.dirname(entry.path), call.path));
        if (target !== file && posix.join(target, 'default.nix') !== file) continue;
        for (const [name, value] of call.args[index]?.[formal] ?? []) if (!out.has(name)) out.set(name, value);
      }
    }
    return [...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private addBuilder(info: BuilderInfo): void {
    this.builders.push(info);
    for (const unit of info.units) {
      for (const m of unit.modules) {
        const list = this.reachedBy.get(m) ?? [];
        list.push(unit);
        this.reachedBy.set(m, list);
      }
    }
  }

  private closure(roots: string[]): string[] {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length) {
      const m = queue.shift()!;
      if (seen.has(m)) continue;
      seen.add(m);
      for (const ref of this.files.get(m)?.facts.imports ?? []) {
        queue.push(...this.resolveModulePath(m, ref.path.replace(/\$\{[^}]*\}/g, '*')));
      }
    }
    return [...seen].sort();
  }

  private patternRegex(from: string, pattern: string): RegExp {
    const abs = posix.normalize(posix.join(posix.dirname(from), pattern));
    return new RegExp(
      '^' +
        abs
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('([^/]+)') +
        '(?:\\.nix|/default\\.nix)?$',
    );
  }

  /**
   * `./hosts/*` from `/cfg/flake.nix` → the workspace files it can name (`./dir` means
   * `./dir/default.nix`). Kept per model: every host's closure resolves the same imports.
   */
  resolveModulePath(from: string, pattern: string): string[] {
    const key = `${from}\0${pattern}`;
    let found = this.resolved.get(key);
    if (!found) this.resolved.set(key, (found = this.resolveModulePathOnce(from, pattern)));
    return found;
  }

  private readonly resolved = new Map<string, string[]>();

  private resolveModulePathOnce(from: string, pattern: string): string[] {
    if (!pattern.startsWith('.') && !pattern.startsWith('/')) return [];
    const abs = posix.normalize(posix.join(posix.dirname(from), pattern));
    if (!abs.includes('*')) {
      if (this.files.has(abs)) return [abs];
      const dflt = posix.join(abs, 'default.nix');
      return this.files.has(dflt) ? [dflt] : [];
    }
    const re = this.patternRegex(from, pattern);
    return [...this.files.keys()].filter((p) => re.test(p)).sort();
  }

  locationOf(file: string): Location {
    const flake = this.flakes.find((f) => f.path === file);
    if (flake) return flake.root ? 'flake' : 'subflake';
    if (this.reachedBy.has(file) || this.files.get(file)?.facts.moduleShaped) return 'module';
    return 'other';
  }

  private resolveInstances(): void {
    for (const entry of this.factFiles) {
      const path = entry.path;
      if (entry.facts.sites.length === 0) continue;
      const location = this.locationOf(path);
      const flake = this.flakeOf(path);
      for (const site of entry.facts.sites) {
        const resolved = this.resolveSource(site.source, path, flake);
        if (!resolved.nixpkgs && (site.kind === 'import' || site.kind === 'wrapper-call')) continue;
        if (site.kind === 'legacyPackages' && !resolved.nixpkgs) continue;
        const reached = this.reachedBy.get(path) ?? [];
        const evaluations = reached.length;
        // legacyPackages and `nixpkgs.pkgs = <existing set>` share a set; a wrapper's body is
        // instantiated by its calls, which are sites of their own.
        const createsInstance =
          site.kind === 'platform'
            ? isCrossPlatform(site)
            : site.kind !== 'legacyPackages' && site.kind !== 'nixpkgs.pkgs' && !(site.kind === 'import' && site.wrapper !== null);
        this.instances.push({
          file: path,
          site,
          range: entry.lines.range(site.span),
          kind: site.kind,
          createsInstance,
          input: resolved.input,
          inputUrl: resolved.url,
          location,
          scope: site.scope,
          evaluations,
          reachedBy: reached.map((u) => u.host ?? posix.basename(u.builder.file)),
          evaluated: this.evaluation.siteEvaluated(path, site),
          key: site.args ? `${resolved.identity}|${fingerprint(site.args)}|${site.argsScope ?? ''}` : null,
        });
      }
    }
    this.pairPlatforms();
  }

  /**
   * Cross-compiled boards often split their platform between two modules of one configuration:
   * the host's module says `nixpkgs.hostPlatform.system = "riscv64-linux"`, and the file that
   * builds the hosts adds `{ nixpkgs.buildPlatform.system = "x86_64-linux"; }` beside it (in the
   * same `modules` list, or the same host record as `path = ./hosts/board.nix`). The module system
   * merges them into one cross package set, so the two sites are paired: the host's half creates
   * that set too, and each half reads the other's options. Silence over guesses: only when the
   * files written beside the inline module reach exactly one host platform.
   */
  private pairPlatforms(): void {
    const platforms = this.instances.filter((i) => i.kind === 'platform');
    for (const inline of platforms) {
      const besides = inline.site.besides;
      if (!besides?.length || !inline.site.args?.attrs) continue;
      const roots = besides.flatMap((rel) => this.evaluation.fileAt(posix.normalize(posix.join(posix.dirname(inline.file), rel))) ?? []);
      if (roots.length === 0) continue;
      const reached = this.evaluation.closure(roots);
      const halves = platforms.filter((h) => h !== inline && reached.has(h.file) && completes(inline.site, h.site));
      const hosts = new Set(halves.map((h) => fingerprint(h.site.args!)));
      if (halves.length === 0 || hosts.size !== 1) continue;
      inline.pair = { other: halves[0]!, half: 'build' };
      for (const h of halves) {
        h.pair = { other: inline, half: 'host' };
        h.createsInstance = true;
      }
    }
  }

  /** Settles which nixpkgs a source names, using the flake's inputs. */
  resolveSource(
    source: SourceRef,
    file: string,
    flake: FlakeInfo | null,
  ): { nixpkgs: boolean; input: string | null; url: string | null; identity: string } {
    const owner = flake ?? this.flakes.find((f) => f.root) ?? null;
    const inputs = owner?.inputs ?? [];
    const byName = (name: string) => {
      const i = inputs.find((x) => x.name === name);
      // Two flakes may pin different revisions under one input name: the identity names the flake.
      if (i) return { nixpkgs: i.isNixpkgs, input: name, url: i.url, identity: `input:${owner?.path ?? ''}#${name}` };
      return { nixpkgs: isNixpkgsUrl(null, name) || /nixpkgs/i.test(name), input: null, url: null, identity: `name:${name}` };
    };
    switch (source.kind) {
      case 'input':
        return byName(source.input);
      case 'arg':
        if (source.arg === 'inputs' && source.path.length === 1) return byName(source.path[0]!);
        if (source.path.length === 0) return byName(source.arg);
        return { nixpkgs: /nixpkgs/i.test(source.path.join('.')), input: null, url: null, identity: `arg:${source.arg}.${source.path.join('.')}` };
      case 'channel':
        return { nixpkgs: true, input: null, url: null, identity: `<${source.name}>` };
      case 'fetcher':
        return { nixpkgs: true, input: null, url: source.url, identity: `fetch:${source.url}` };
      case 'pkgs-path':
        return { nixpkgs: true, input: null, url: null, identity: `path:${source.base}` };
      case 'path':
        return { nixpkgs: true, input: null, url: null, identity: `path:${posix.join(posix.dirname(file), source.path)}` };
      case 'param':
        return { nixpkgs: true, input: null, url: null, identity: `param:${file}#${source.wrapper}.${source.param}` };
      case 'unknown':
        return { nixpkgs: true, input: null, url: null, identity: 'unknown' };
    }
  }

  /**
   * The configurations a flake's evaluated files define as outputs (`nixosConfigurations.<name>`,
   * `darwinConfigurations`, `homeConfigurations`): how many are named, and whether a computed
   * set (`mapAttrs mkHost hosts`) adds an unknown number.
   */
  configurationsOf(flake: FlakeInfo | null): { named: number; computed: boolean } {
    const known = this.configurationCounts.get(flake);
    if (known) return known;
    let named = 0;
    let computed = false;
    for (const entry of this.factFilesOf(flake)) {
      if (entry.facts.configurations.length === 0) continue;
      if (!this.evaluation.fileEvaluated(entry.path)) continue;
      for (const c of entry.facts.configurations) {
        if (c.name === null) computed = true;
        else named++;
      }
    }
    const counts = { named, computed };
    this.configurationCounts.set(flake, counts);
    return counts;
  }

  /** Whether an evaluated file of the flake sets `nixpkgs.overlays` to something. */
  setsOverlays(flake: FlakeInfo | null): boolean {
    const known = this.overlaySetters.get(flake);
    if (known !== undefined) return known;
    const sets = this.factFilesOf(flake).some(
      (e) => this.evaluation.fileEvaluated(e.path) && e.facts.options.some((o) => o.option === 'nixpkgs.overlays'),
    );
    this.overlaySetters.set(flake, sets);
    return sets;
  }

  instancesIn(file: string): Instance[] {
    return this.instances.filter((i) => i.file === file);
  }
}

/**
 * Whether a module's platform options make its configurations' package set a cross one (or a
 * tuned one): a build platform or crossSystem, or a host platform with more than a system
 * (`config`, `gcc.arch`, ...). A plain `hostPlatform = "x86_64-linux"` is the ordinary set.
 */
function isCrossPlatform(site: SiteFact): boolean {
  const attrs = site.args?.attrs;
  if (!attrs) return false;
  if (attrs.has('crossSystem') || attrs.has('buildPlatform')) return true;
  const host = attrs.get('hostPlatform') ?? attrs.get('localSystem');
  return host?.attrs !== null && host?.attrs !== undefined && [...host.attrs.keys()].some((k) => k !== 'system');
}

/**
 * Whether the inline module's `nixpkgs.buildPlatform` and the host module's `nixpkgs.hostPlatform`
 * make one cross package set. NixOS reads `buildPlatform` only beside `hostPlatform`, refuses
 * them beside the legacy `system`/`localSystem`/`crossSystem`, and cross-compiles only when the
 * two differ: so exactly those two options, one on each side, not the same platform when written.
 */
function completes(inline: SiteFact, host: SiteFact): boolean {
  const a = inline.args?.attrs;
  const b = host.args?.attrs;
  if (!a || !b || a.size !== 1 || b.size !== 1 || !a.has('buildPlatform') || !b.has('hostPlatform')) return false;
  const platform = (arg: ArgNode) => {
    const text = arg.string ?? arg.attrs?.get('system')?.string ?? arg.attrs?.get('config')?.string ?? null;
    return text === null ? null : (parseTriple(text).system?.double ?? text);
  };
  const build = platform(a.get('buildPlatform')!);
  const runs = platform(b.get('hostPlatform')!);
  return build === null || runs === null || build !== runs;
}

/** Both halves' platform options, for a site paired with another (see `pairPlatforms`). */
export function platformArgs(inst: Instance): InstanceArgs | null {
  const own = inst.site.args;
  const other = inst.pair?.other.site.args?.attrs;
  if (!own?.attrs || !other) return own;
  return { ...own, attrs: new Map([...other, ...own.attrs]) };
}

export type { InstanceArgs, Span };
