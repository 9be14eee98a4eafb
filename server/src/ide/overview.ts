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

export interface InstanceEntry {
  file: string;
  range: Range;
  /** `unstable = import inputs.nixpkgs-unstable`, or the source when unbound. */
  label: string;
  /** `import · x86_64-linux → riscv64-unknown-linux-gnu · per host`. */
  description: string;
  createsInstance: boolean;
  /** The most severe of our diagnostics on this instance, if any. */
  problem: Severity | null;
  problems: string[];
}

export interface ConfigurationEntry {
  name: string;
  builder: string;
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
    const kind = inst.kind === 'pkgsCross' || inst.kind === 'variant' ? `${inst.kind} ${inst.site.member ?? ''}`.trim() : inst.kind;
    const sys = systemText(inst);
    const evals =
      inst.location === 'module' ? `${inst.evaluations} evaluation${inst.evaluations === 1 ? '' : 's'}` : inst.scope;
    return {
      file: inst.file,
      range: inst.range,
      label: inst.site.name ? `${inst.site.name} = ${inst.site.sourceText}` : inst.site.sourceText,
      description: [kind, sys, inst.createsInstance ? evals : 'shared'].filter(Boolean).join(' · '),
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
  const seen = new Set<string>();
  for (const b of model.builders) {
    const flake = model.flakeOf(b.file);
    const target = flakes.find((f) => f.file === flake?.path);
    if (!target) continue;
    for (const u of b.units) {
      const instances = u.modules.filter((m) => m !== b.file).flatMap((m) => (instancesByFile.get(m) ?? []).map(entry));
      const name = u.host ?? posix.basename(b.file);
      target.configurations.push({
        name,
        builder: b.fact.builder,
        file: b.file,
        range: model.files.get(b.file)!.lines.range(b.fact.span),
        instances,
      });
      for (const m of u.modules) seen.add(m);
    }
  }
  for (const f of flakes) f.configurations.sort((a, b) => a.name.localeCompare(b.name));
  const inFlake = new Set(flakes.map((f) => f.file));
  const other = model.instances.filter((i) => !inFlake.has(i.file) && !seen.has(i.file)).map(entry);
  const creating = model.instances.filter((i) => i.createsInstance);
  const locked = flakes.filter((f) => f.root && f.lock);
  return {
    flakes,
    other,
    totals: {
      instances: creating.length,
      evaluations: creating.reduce((n, i) => n + (i.location === 'module' ? Math.max(1, i.evaluations) : 1), 0),
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      infos: diagnostics.filter((d) => d.severity === 'information' || d.severity === 'hint').length,
      ...(locked.length ? { nixpkgsSources: locked.reduce((n, f) => n + f.lock!.nixpkgsSources, 0) } : {}),
    },
  };
}
