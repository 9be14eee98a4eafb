/**
 * The workspace at a glance, for the editor's "Nixpkgs Instances" view and
 * status bar: each flake, the configurations it builds, and the instances
 * each evaluates, with their problems. Plain data; the LSP adapter serves it
 * as the `nixpkgsInstances/overview` request.
 */
import { posix } from 'node:path';
import type { Diagnostic, Severity } from './diagnostics/index.js';
import type { Range } from './text.js';
import type { Instance, WorkspaceModel } from './workspace.js';
import { unfollowedInputs } from './diagnostics/unfollowed-nixpkgs.js';
import { costSiteOf, workspaceCost, type CostSite } from './cost.js';

export interface InstanceEntry {
  file: string;
  range: Range;
  /** `unstable = import inputs.nixpkgs-unstable`, or the source when unbound. */
  label: string;
  /** `modules/common.nix:10 · once per configuration that loads this file (alpha, beta)`: where and why, plain words. */
  description: string;
  /** 1-based line of the site. */
  line: number;
  /** Package sets the site makes when every output is evaluated (cost.ts); null when the text does not tell. */
  count: number | null;
  /** Why it makes that many, in plain words. */
  why: string;
  createsInstance: boolean;
  /** The most severe of our diagnostics on this instance, if any. */
  problem: Severity | null;
  problems: string[];
}

export interface ConfigurationEntry {
  /** The configuration's name (`alpha`), or the output's (`devShells`). */
  name: string;
  /** `nixosConfigurations.alpha`, `devShells`: the output as `report` names it. */
  output: string;
  /** The builder (`nixosSystem`), or `output` for an output that is no configuration. */
  builder: string;
  /** Package sets the workspace's own expressions create for its evaluation (cost.ts). */
  packageSets: number;
  /** 1 when a NixOS or nix-darwin configuration builds its own package set besides. */
  own: number;
  /** Sites whose count the text does not tell. */
  unknown: number;
  file: string;
  range: Range;
  instances: InstanceEntry[];
}

export interface FlakeEntry {
  file: string;
  /** Folder relative to the workspace root (`.` for the root flake). */
  label: string;
  root: boolean;
  /** Instances in the flake.nix itself. */
  instances: InstanceEntry[];
  configurations: ConfigurationEntry[];
  /**
   * The distinct nixpkgs its flake.lock pins (its own and those its inputs, and their inputs,
   * lock), and how many of its inputs lock one of their own; null without a usable lock.
   */
  lock: { nixpkgsSources: number; unfollowed: number } | null;
}

export interface Overview {
  flakes: FlakeEntry[];
  /** Instances in files no flake reaches. */
  other: InstanceEntry[];
  totals: {
    instances: number;
    evaluations: number;
    /** Package sets the workspace's own expressions create when every output is evaluated (cost.ts). */
    packageSets: number;
    /** Sites whose count the text does not tell (not in `packageSets`). */
    unknown: number;
    errors: number;
    warnings: number;
    infos: number;
    /** The nixpkgs sources of the root flakes' locks (absent when no root flake has a usable lock). */
    nixpkgsSources?: number;
  };
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

function systemText(inst: Instance): string | null {
  const attrs = inst.site.args?.attrs;
  if (!attrs) return null;
  const pick = (k: string) => {
    const a = attrs.get(k);
    if (!a) return null;
    return a.string ?? a.attrs?.get('config')?.string ?? a.attrs?.get('system')?.string ?? a.text;
  };
  const local = pick('system') ?? pick('localSystem');
  const cross = pick('crossSystem');
  if (local && cross) return `${local} → ${cross}`;
  return cross ? `→ ${cross}` : local;
}

export function overview(model: WorkspaceModel, diagnostics: Diagnostic[], root: string | null): Overview {
  const cost = workspaceCost(model);
  const where = (file: string) => {
    const flake = model.flakeOf(file);
    return posix.relative(flake?.dir ?? root ?? posix.dirname(file), file) || posix.basename(file);
  };
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const instancesByFile = new Map<string, Instance[]>();
  for (const i of model.instances) {
    const list = instancesByFile.get(i.file);
    if (list) list.push(i);
    else instancesByFile.set(i.file, [i]);
  }
  const entry = (inst: Instance): InstanceEntry => {
    const mine = (byFile.get(inst.file) ?? []).filter(
      (d) =>
        d.file === inst.file &&
        (d.range.start.line > inst.range.start.line ||
          (d.range.start.line === inst.range.start.line && d.range.start.character >= inst.range.start.character)) &&
        (d.range.end.line < inst.range.end.line ||
          (d.range.end.line === inst.range.end.line && d.range.end.character <= inst.range.end.character)),
    );
    const worst = mine.reduce<Severity | null>((w, d) => (w === null || RANK[d.severity] > RANK[w] ? d.severity : w), null);
    const site = costSiteOf(model, inst);
    const why = site ? site.why : inst.kind === 'nixpkgs.pkgs' ? 'hands the configuration a package set made elsewhere' : 'nothing evaluates it';
    const sys = systemText(inst);
    return {
      file: inst.file,
      range: inst.range,
      label: inst.site.name ? `${inst.site.name} = ${inst.site.sourceText}` : inst.site.sourceText,
      description: [`${where(inst.file)}:${inst.range.start.line + 1}`, sys, why].filter(Boolean).join(' · '),
      line: inst.range.start.line + 1,
      count: site ? site.count : 0,
      why,
      createsInstance: inst.createsInstance,
      problem: worst,
      problems: [...new Set(mine.map((d) => d.code))],
    };
  };
  const flakes: FlakeEntry[] = model.flakes.map((f) => ({
    file: f.path,
    label: root ? posix.relative(root, f.dir) || '.' : f.dir,
    root: f.root,
    instances: (instancesByFile.get(f.path) ?? []).map(entry),
    configurations: [],
    lock: f.lock ? { nixpkgsSources: f.lock.nixpkgsNodes.length, unfollowed: unfollowedInputs(f).length } : null,
  }));
  // One node per output (configurations by name, devShells, packages, ...), as `report` lists them.
  const bySite = new Map<CostSite, Instance>();
  for (const i of model.instances) {
    const site = costSiteOf(model, i);
    if (site) bySite.set(site, i);
  }
  const seen = new Set<string>();
  for (const o of cost.outputs) {
    const target = flakes.find((f) => f.file === model.flakeOf(o.file)?.path);
    if (!target) continue;
    target.configurations.push({
      name: o.label,
      output: o.name,
      builder: o.builder ?? 'output',
      packageSets: o.created,
      own: o.own,
      unknown: o.unknown,
      file: o.file,
      range: o.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      instances: o.sets.map((s) => ({ ...entry(bySite.get(s.site)!), count: s.count })),
    });
    for (const s of o.sets) seen.add(s.site.file);
  }
  for (const b of model.builders) for (const u of b.units) for (const m of u.modules) seen.add(m);
  const inFlake = new Set(flakes.map((f) => f.file));
  const other = model.instances.filter((i) => !inFlake.has(i.file) && !seen.has(i.file)).map(entry);
  // A cross set whose platform two modules write (see `pairPlatforms`) is one instance.
  const creating = model.instances.filter((i) => i.createsInstance && i.pair?.half !== 'host');
  const locked = flakes.filter((f) => f.root && f.lock);
  return {
    flakes,
    other,
    totals: {
      instances: creating.length,
      evaluations: creating.reduce((n, i) => n + (i.location === 'module' ? Math.max(1, i.evaluations) : 1), 0),
      packageSets: cost.totals.created,
      unknown: cost.totals.unknown,
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      infos: diagnostics.filter((d) => d.severity === 'information' || d.severity === 'hint').length,
      ...(locked.length ? { nixpkgsSources: locked.reduce((n, f) => n + f.lock!.nixpkgsSources, 0) } : {}),
    },
  };
}
