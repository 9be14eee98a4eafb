/**
 * What evaluating the workspace costs: for every flake output (each configuration, `devShells`,
 * `packages`, ...), the nixpkgs package sets its evaluation creates, each with its site and why
 * it is created there, and the totals when every output is evaluated in one evaluation (a set
 * two outputs share counts once). The one source of these numbers: the CLI's `report`, the
 * overview (VS Code view and status bar), hovers and CodeLenses all read them from here.
 *
 * Four kinds of package set are told apart:
 * - `created`: the workspace's own expressions create it (`import nixpkgs { ... }`, a call of a
 *   factory, `pkgs.extend`, `appendOverlays`);
 * - `nixos`: the set a `nixosSystem`/`darwinSystem` builds from its `nixpkgs.*` options, one per
 *   configuration unless a module hands it one with `nixpkgs.pkgs`;
 * - `legacyPackages`: nixpkgs' own shared set, one per input and system;
 * - `derived`: `pkgsCross.<name>`, `pkgsStatic`, ... of another set, cached with it.
 *
 * Counts come from syntax (see workspace.ts): a module's site once per configuration that loads
 * it, a site under `genAttrs [ ... ]` once per system written there, a site in a function that
 * builds hosts once per host. Where the text does not tell (systems not written out, an overlay
 * applied who knows where), the count is `null` and the site is counted in `unknown`.
 * Pure: the model in, plain data out.
 */
import { posix } from 'node:path';
import type { Range } from './text.js';
import type { EvalUnit, Instance, WorkspaceModel } from './workspace.js';

export type SetKind = 'created' | 'nixos' | 'legacyPackages' | 'derived';

/** One place in the text that makes package sets. */
export interface CostSite {
  file: string;
  range: Range;
  /** `unstable = import inputs.nixpkgs-unstable`, or the expression when unbound. */
  label: string;
  kind: SetKind;
  /** Package sets it makes when every output is evaluated; null when the text does not tell. */
  count: number | null;
  /** Why it is made that often, in plain words: `once per configuration that loads this module`. */
  why: string;
  /** What evaluates it once each: configurations, systems or outputs (empty when nothing does). */
  evaluatedBy: string[];
}

/** One flake output and the package sets its evaluation makes. */
export interface OutputCost {
  /** `nixosConfigurations.alpha`, `devShells`, `packages.x86_64-linux`, `flake.nix (shared)`. */
  name: string;
  /** The configuration's host name (`alpha`), or the output name. */
  label: string;
  /** The builder of a configuration (`nixosSystem`), null for another output. */
  builder: string | null;
  file: string;
  range: Range | null;
  /** Package sets the workspace's own expressions create for it (`created` sites only). */
  created: number;
  /** Sites whose count the text does not tell. */
  unknown: number;
  /** The set a NixOS or nix-darwin configuration builds itself (0 or 1), apart from `created`. */
  own: number;
  /** The sites, each with how many sets it makes for this output. */
  sets: { site: CostSite; count: number | null; why: string }[];
}

export interface WorkspaceCost {
  totals: {
    /** Package sets the workspace's own expressions create when every output is evaluated once. */
    created: number;
    nixos: number;
    legacyPackages: number;
    derived: number;
    /** Sites whose count the text does not tell (not in `created`). */
    unknown: number;
    /** Every package set: created, nixos, legacyPackages and derived. */
    packageSets: number;
  };
  /** An estimate only, from the figures in the README: about 100 MiB and 1 s per package set. */
  estimate: { memoryMiB: number; seconds: number };
  /** Outputs in name order. */
  outputs: OutputCost[];
  /** Sites in file and line order (evaluated ones; a site nothing evaluates is left out). */
  sites: CostSite[];
}

/** The product's premise (DOMAIN.md, README): roughly 100 MiB and a second per package set. */
export const MIB_PER_SET = 100;
export const SECONDS_PER_SET = 1;

const OUTPUT_OF_BUILDER: Record<string, string> = {
  nixosSystem: 'nixosConfigurations',
  darwinSystem: 'darwinConfigurations',
  homeManagerConfiguration: 'homeConfigurations',
};

/** Builders that build their own package set from `nixpkgs.*` options. */
const OWN_SET = new Set(['nixosSystem', 'darwinSystem']);

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function kindOf(inst: Instance): SetKind | null {
  switch (inst.kind) {
    case 'import':
      return inst.site.wrapper === null ? 'created' : null;
    case 'wrapper-call':
    case 'extend':
    case 'appendOverlays':
    case 'framework':
      return 'created';
    case 'legacyPackages':
      return 'legacyPackages';
    case 'pkgsCross':
    case 'variant':
      return 'derived';
    default:
      return null;
  }
}

/** The configuration name a builder unit is listed under: `nixosConfigurations.alpha`. */
export function unitName(unit: EvalUnit): { name: string; label: string } {
  const label = unit.host ?? posix.basename(unit.builder.file);
  return { name: `${OUTPUT_OF_BUILDER[unit.builder.fact.builder] ?? unit.builder.fact.builder}.${label}`, label };
}

interface Counted {
  count: number | null;
  why: string;
  by: string[];
  /** The configurations it is evaluated for, one set each (module and per-host sites). */
  units: EvalUnit[];
}

/**
 * The configurations whose package set an overlay in `file` extends: those loading a module that
 * sets `nixpkgs.overlays` and is the file, or names it (directly, or through files that name it).
 */
function overlayUnits(model: WorkspaceModel, file: string): EvalUnit[] {
  const naming = new Set([file]);
  let frontier = [file];
  for (let depth = 0; depth < 4 && frontier.length; depth++) {
    frontier = frontier.flatMap((f) => model.evaluation.namedBy(f)).filter((f) => !naming.has(f) && naming.add(f));
  }
  const sets = (f: string) => model.files.get(f)?.facts.options.some((o) => o.option === 'nixpkgs.overlays') === true;
  let setters = [...naming].filter(sets);
  // Handed over by the file that builds the hosts (`specialArgs = { inherit overlays; }`): every
  // module of the flake that sets `nixpkgs.overlays`.
  if (setters.length === 0 && [...naming].some((f) => model.builders.some((b) => b.file === f))) {
    const flake = model.flakeOf(file);
    setters = [...model.reachedBy.keys()].filter((m) => model.flakeOf(m) === flake && sets(m));
  }
  const units = new Set<EvalUnit>();
  for (const m of setters) {
    for (const u of model.reachedBy.get(m) ?? []) units.add(u);
    // An inline module of a builder call (`modules = [ { nixpkgs.overlays = ...; } ]`): its hosts.
    const spans = (model.files.get(m)?.facts.options ?? []).filter((o) => o.option === 'nixpkgs.overlays').map((o) => o.span);
    for (const b of model.builders) {
      if (b.file === m && spans.some((s) => b.fact.span.start <= s.start && s.end <= b.fact.span.end)) for (const u of b.units) units.add(u);
    }
  }
  return [...units];
}

/** The distinct systems of the hosts built in the flake of `file`, when every one is written out. */
function hostSystems(model: WorkspaceModel, file: string): string[] | null {
  const flake = model.flakeOf(file);
  const units = model.builders.filter((b) => model.flakeOf(b.file) === flake).flatMap((b) => b.units);
  if (units.length === 0) return null;
  const systems = new Set<string>();
  for (const u of units) {
    const fact = u.builder.fact;
    const vars = u.vars ?? fact.units.find((x) => x.host === u.host)?.vars ?? {};
    const system = fact.system ?? vars['system'] ?? null;
    if (system === null) return null;
    systems.add(system);
  }
  return [...systems];
}

/** How many sets a site makes when every output is evaluated, and why. */
function countSite(model: WorkspaceModel, inst: Instance, hostUnits: Map<string, EvalUnit[]>, nameOf: (u: EvalUnit) => { label: string }): Counted {
  const site = inst.site;
  const systems = site.systems ?? null;
  const call = inst.kind === 'wrapper-call' ? `a call of ${site.wrapper ?? 'a function that instantiates nixpkgs'}, ` : '';
  if (inst.location === 'module' && inst.evaluations > 0) {
    const units = model.reachedBy.get(inst.file) ?? [];
    const names = units.map((u) => nameOf(u).label);
    const per = site.overlay ? 'once per configuration whose package set this overlay extends' : 'once per configuration that loads this file';
    if (inst.scope === 'per-system') {
      const n = systems ? systems.length * units.length : null;
      return { count: n, why: `${call}${per}, and in it once per system`, by: names, units };
    }
    return { count: units.length, why: `${call}${per} (${names.join(', ')})`, by: names, units };
  }
  if (site.overlay) {
    const units = overlayUnits(model, inst.file);
    const names = units.map((u) => nameOf(u).label);
    return units.length
      ? { count: units.length, why: `${call}in an overlay that modules add to the package set of ${names.length === 1 ? 'a configuration' : 'each configuration'} (${names.join(', ')}): once per configuration`, by: names, units }
      : { count: null, why: `${call}in an overlay: once per package set it is applied to, which the text does not tell`, by: [], units: [] };
  }
  // A helper file whose function builds a host on each call (`lib/mkHost.nix`): what it creates
  // inside that function, it creates again for every host.
  const helper = model.files.get(inst.file)?.facts;
  if (helper?.topFunction && helper.builders.length > 0 && helper.flakeInputs === null && (inst.scope === 'per-call' || inst.scope === 'per-host')) {
    const units = hostUnits.get(inst.file) ?? [];
    const names = units.map((u) => nameOf(u).label);
    if (units.some((u) => u.host === null)) return { count: null, why: `${call}in a file whose function builds each host: once per host, and the hosts are not written out here`, by: [], units: [] };
    return { count: units.length, why: `${call}in a file whose function builds each host: once per host (${names.join(', ')})`, by: names, units };
  }
  switch (inst.scope) {
    case 'once':
      return { count: 1, why: `${call}once`, by: [site.output ?? posix.basename(inst.file)], units: [] };
    case 'per-system': {
      if (systems) return { count: systems.length, why: `${call}once per system (${systems.join(', ')})`, by: systems, units: [] };
      // A set per system bound for the hosts to select their own (`unstable-by-system.${system}`):
      // Nix evaluates only the systems selected, those of the hosts built here.
      const used = site.output ? null : hostSystems(model, inst.file);
      return used
        ? { count: used.length, why: `${call}once per system the hosts use (${used.join(', ')})`, by: used, units: [] }
        : { count: null, why: `${call}once per system, and the systems are not written out here`, by: [], units: [] };
    }
    case 'per-host': {
      const units = hostUnits.get(inst.file) ?? [];
      const names = units.map((u) => nameOf(u).label);
      return units.length
        ? { count: units.length, why: `${call}once per host built in this file (${names.join(', ')})`, by: names, units }
        : { count: null, why: `${call}once per host built by the function around it`, by: [], units: [] };
    }
    case 'per-call':
      return { count: null, why: `${call}once per call of the function around it`, by: [], units: [] };
    default:
      return { count: null, why: `${call}once for every file or function that uses this one`, by: [], units: [] };
  }
}

function labelOf(inst: Instance): string {
  const member = inst.site.member ? `${inst.site.sourceText}.${inst.kind === 'pkgsCross' ? 'pkgsCross.' : ''}${inst.site.member}` : null;
  if (inst.kind === 'pkgsCross' || inst.kind === 'variant') return inst.site.name ? `${inst.site.name} = ${member}` : member!;
  const head = inst.kind === 'wrapper-call' ? `${inst.site.wrapper ?? 'call'} (import ${inst.site.sourceText})` : inst.kind === 'legacyPackages' ? `${inst.site.sourceText}.legacyPackages` : `import ${inst.site.sourceText}`;
  return inst.site.name ? `${inst.site.name} = ${head}` : head;
}

/** The systems a `legacyPackages` site selects: written out, or those of its generator; else the site itself. */
function legacySystems(model: WorkspaceModel, inst: Instance): string[] {
  const text = model.files.get(inst.file)?.lines.text.slice(inst.site.span.start, inst.site.span.end) ?? '';
  const m = /legacyPackages\s*\.\s*("?)([\w-]+)\1/.exec(text);
  if (m) return [m[2]!];
  if (inst.scope === 'per-system' && inst.site.systems) return inst.site.systems;
  return [`${inst.file}:${inst.site.span.start}`];
}

const computed = new WeakMap<WorkspaceModel, WorkspaceCost>();

/** The cost of evaluating every output of the workspace (computed once per model). */
export function workspaceCost(model: WorkspaceModel): WorkspaceCost {
  let cost = computed.get(model);
  if (!cost) computed.set(model, (cost = computeCost(model)));
  return cost;
}

/** The cost site of an instance (by its file and range), if it makes package sets. */
export function costSiteOf(model: WorkspaceModel, inst: Instance): CostSite | null {
  return workspaceCost(model).sites.find((s) => s.file === inst.file && s.range.start.line === inst.range.start.line && s.range.start.character === inst.range.start.character) ?? null;
}

function computeCost(model: WorkspaceModel): WorkspaceCost {
  // Hosts built in each file (helpers such as `mkHost` called per host): per-host sites there.
  const hostUnits = new Map<string, EvalUnit[]>();
  for (const b of model.builders) hostUnits.set(b.file, [...(hostUnits.get(b.file) ?? []), ...b.units]);

  // Two configurations under one name (hosts named by an argument they share) are both listed.
  const names = new Map<EvalUnit, { name: string; label: string }>();
  const taken = new Set<string>();
  for (const u of model.builders.flatMap((b) => b.units)) {
    const { name, label } = unitName(u);
    let k = 1;
    while (taken.has(k === 1 ? name : `${name} (${k})`)) k++;
    taken.add(k === 1 ? name : `${name} (${k})`);
    names.set(u, k === 1 ? { name, label } : { name: `${name} (${k})`, label: `${label} (${k})` });
  }
  const nameOf = (u: EvalUnit) => names.get(u) ?? unitName(u);

  const sites: CostSite[] = [];
  const outputs = new Map<string, OutputCost>();
  const output = (name: string, label: string, file: string, range: Range | null, builder: string | null = null): OutputCost => {
    let o = outputs.get(name);
    if (!o) outputs.set(name, (o = { name, label, builder, file, range, created: 0, unknown: 0, own: 0, sets: [] }));
    return o;
  };
  const units = model.builders.flatMap((b) => b.units);
  for (const u of units) {
    const { name, label } = nameOf(u);
    const o = output(name, label, u.builder.file, model.files.get(u.builder.file)?.lines.range(u.builder.fact.span) ?? null, u.builder.fact.builder);
    if (OWN_SET.has(u.builder.fact.builder)) {
      const given = u.modules.some((m) => model.instancesIn(m).some((i) => i.kind === 'nixpkgs.pkgs'));
      const overlays = u.modules.some((m) => model.files.get(m)?.facts.options.some((x) => x.option === 'nixpkgs.overlays'));
      o.own = given ? (overlays ? 1 : 0) : 1;
    }
  }

  const legacy = new Set<string>();
  let derived = 0;
  let created = 0;
  let unknown = 0;
  const sorted = [...model.instances].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.site.span.start - b.site.span.start));
  for (const inst of sorted) {
    const kind = kindOf(inst);
    if (kind === null || !inst.evaluated) continue;
    const counted = countSite(model, inst, hostUnits, nameOf);
    const site: CostSite = {
      file: inst.file,
      range: inst.range,
      label: labelOf(inst),
      kind,
      count: inst.kind === 'framework' ? null : counted.count,
      why: inst.kind === 'framework' ? 'a framework instantiates the flake inputs once per system, which the text does not tell' : counted.why,
      evaluatedBy: counted.by,
    };
    sites.push(site);
    if (kind === 'legacyPackages') for (const s of legacySystems(model, inst)) legacy.add(`${inst.input ?? inst.site.sourceText}|${s}`);
    else if (kind === 'derived') derived += site.count ?? 1;
    else if (site.count === null) unknown++;
    else created += site.count;

    // Which outputs it belongs to: the configurations that evaluate it, one set each, else the
    // output it is written under (or its file, for a let shared by several outputs).
    if (counted.units.length && site.count !== null) {
      const each = site.count / counted.units.length;
      for (const u of counted.units) {
        const o = outputs.get(nameOf(u).name)!;
        o.sets.push({ site, count: each, why: site.why });
      }
      continue;
    }
    const flake = model.flakeOf(inst.file);
    const rel = flake ? posix.relative(flake.dir, inst.file) : posix.basename(inst.file);
    const under = inst.site.output ?? null;
    const conf = under ? outputs.get(under) : undefined;
    const o = conf ?? output(under ?? (posix.basename(inst.file) === 'flake.nix' ? `${rel} (shared)` : rel), under ?? rel, inst.file, under ? inst.range : null);
    o.sets.push({ site, count: site.count, why: site.why });
  }
  for (const o of outputs.values()) {
    o.created = o.sets.reduce((n, s) => n + (s.site.kind === 'created' && s.count !== null ? s.count : 0), 0);
    o.unknown = o.sets.filter((s) => s.site.kind === 'created' && s.count === null).length;
  }
  const nixos = [...outputs.values()].reduce((n, o) => n + o.own, 0);
  const packageSets = created + nixos + legacy.size + derived;
  return {
    totals: { created, nixos, legacyPackages: legacy.size, derived, unknown, packageSets },
    estimate: { memoryMiB: packageSets * MIB_PER_SET, seconds: packageSets * SECONDS_PER_SET },
    outputs: [...outputs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    sites,
  };
}

/** The CodeLens text of a site: `evaluated 3x: alpha, beta, gamma`; null when nothing evaluates it. */
export function lensText(site: CostSite): string | null {
  if (site.count === 0) return null;
  if (site.count === null) return `evaluated an unknown number of times: ${site.why}`;
  return site.evaluatedBy.length ? `evaluated ${site.count}x: ${site.evaluatedBy.join(', ')}` : `evaluated ${site.count}x`;
}

/** `3 package sets` / `1 package set`, for rows and messages. */
export function setsText(n: number): string {
  return plural(n, 'package set');
}
