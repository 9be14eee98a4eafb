/**
 * Runs a hoist assist on a fixture and evaluates the workspace with Nix before
 * and after the edit (stand-in inputs, see nixOracle.ts). What a user relies
 * on when they click "Hoist": every changed file is still valid Nix, every
 * configuration ends up with the same packages, and the hoisted instance is
 * evaluated once instead of once per configuration.
 */
import { performance } from 'node:perf_hooks';
import { applyAssist } from './assists.js';
import {
  evaluateFlakeWithStandIns,
  parseWithNix,
  type FlakeEvaluation,
  type InstanceEvaluations,
  type NixParseResult,
} from './nixOracle.js';
import { writeWorkspace } from './workspace.js';

export interface HoistedFiles {
  /** Every fixture file before and after the edit. */
  before: Map<string, string>;
  after: Map<string, string>;
  /** Files the edit changed, sorted. */
  changed: string[];
}

/** Applies assist `id` at the fixture's `$0` (fails when it is not offered or disabled). */
export async function hoistFixture(id: 'hoist-to-flake' | 'hoist-all' | 'share-per-system', fixture: string): Promise<HoistedFiles> {
  const { before, after } = await applyAssist(id, fixture);
  const changed = [...after].filter(([file, text]) => before.get(file) !== text).map(([file]) => file).sort();
  return { before, after, changed };
}

/** `nix-instantiate --parse` of the files `names` of `files`. */
export function parseFiles(files: Map<string, string>, names: readonly string[]): Promise<NixParseResult[]> {
  return parseWithNix(names.map((name) => ({ name, text: files.get(name)! })));
}

/** Evaluates the workspace `files` (written to a temporary folder) with stand-in inputs, timed. */
export async function evaluateFiles(files: Map<string, string>): Promise<{ evaluation: FlakeEvaluation; ms: number }> {
  const ws = writeWorkspace(Object.fromEntries(files));
  try {
    const start = performance.now();
    const evaluation = await evaluateFlakeWithStandIns(ws.root);
    return { evaluation, ms: performance.now() - start };
  } finally {
    ws.dispose();
  }
}

export interface HoistProof {
  parsed: NixParseResult[];
  before: FlakeEvaluation;
  after: FlakeEvaluation;
  /** Wall-clock milliseconds of each stand-in evaluation. */
  ms: { before: number; after: number };
}

/**
 * Parses the changed files and, when they all parse, evaluates the workspace
 * before and after. A file Nix rejects is reported with Nix's message rather
 * than as a failed evaluation.
 */
export async function proveWithNix(files: HoistedFiles): Promise<HoistProof> {
  const parsed = await parseFiles(files.after, files.changed);
  const broken = parsed.filter((p) => !p.ok);
  if (broken.length) {
    throw new Error(`Nix rejects files after the edit:\n${broken.map((p) => `${p.name}: ${p.error}`).join('\n')}`);
  }
  const before = await evaluateFiles(files.before);
  const after = await evaluateFiles(files.after);
  return { parsed, before: before.evaluation, after: after.evaluation, ms: { before: before.ms, after: after.ms } };
}

/** `count × key` per instance, for messages and reports. */
export function describeEvaluations(evaluations: readonly InstanceEvaluations[]): string[] {
  return evaluations.map((e) => `${e.count} × ${e.key}`);
}

/** The evaluations of one instance key (0 when it was never evaluated). */
export function countOf(evaluation: FlakeEvaluation, key: string): number {
  return evaluation.evaluations.find((e) => e.key === key)?.count ?? 0;
}
