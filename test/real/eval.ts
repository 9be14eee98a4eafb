/**
 * `npm run eval:real`: the analysis measured against our labels of public repositories
 * (test/real/labels/*.json, written by reading the code; see test/real/LABELLING.md).
 *
 * For each labelled repository whose corpus is extracted (scripts/real-extract.mjs), the
 * folder is analysed as the CLI does, and the figures are printed per half of the corpus
 * ("seen" is what we work against, "unseen" is looked at only when a change is finished):
 * - per diagnostic code: true and false positives, misses, precision and recall
 *   (only information and above: hints are not judged);
 * - instance recall, split into sites the repository's outputs evaluate and side files,
 *   by kind and by pattern;
 * - for each true `instance-in-module`/`instance-per-call`: is a fix offered, enabled,
 *   and does its edit parse with Nix;
 * - with `--review`: diagnostics no label covers and instances no label names.
 *
 * Usage: node out/test/real/eval.js [--half seen|unseen] [--repo owner/name] [--review] [--json FILE] [--no-fix]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseFolder } from '../../server/src/cli/main.js';
import type { Diagnostic } from '../../server/src/ide/diagnostics/index.js';
import { applyEdits } from '../../server/src/ide/assists/edit.js';
import { LineIndex } from '../../server/src/ide/text.js';
import { toPosix } from '../../server/src/node/loader.js';
import { nixAvailable, parseWithNix } from '../support/nixOracle.js';

const ROOT = join(__dirname, '../../..');
const REAL = join(ROOT, 'test/real');
const CORPUS = join(REAL, 'corpus');
const LABELS = join(REAL, 'labels');
const HOLDOUT = join(REAL, 'HOLDOUT');
const FIXED_CODES = new Set(['instance-in-module', 'instance-per-call']);

interface Where {
  file: string;
  line?: number;
  endLine?: number;
}
interface InstanceLabel extends Where {
  line: number;
  kind: string;
  creates?: string;
  evaluated: boolean;
  count?: number | null;
  calls?: Where[];
  patterns?: string[];
  diagnostics?: string[];
  why?: string;
}
interface ExpectLabel extends Where {
  line: number;
  code: string;
  why?: string;
}
interface SilentLabel extends Where {
  code?: string;
  why?: string;
}
interface RepoLabels {
  repo: string;
  commit: string;
  half: string;
  instances: InstanceLabel[];
  expect?: ExpectLabel[];
  silent?: SilentLabel[];
}
interface Repo {
  repo: string;
  commit: string;
  half: string;
}

/** Per-code counts. */
interface CodeScore {
  tp: number;
  fp: number;
  miss: number;
}
interface Tally {
  repos: string[];
  codes: Map<string, CodeScore>;
  unlabelled: number;
  instances: { evaluated: [number, number]; side: [number, number]; byKind: Map<string, [number, number]>; byPattern: Map<string, [number, number]> };
  unmatchedInstances: number;
  /** `unfollowed-nixpkgs` warnings (flake.lock facts, not judged by the labels). */
  lockFindings: number;
  fixes: { findings: number; offered: number; enabled: number; parses: number; parseChecked: number };
  review: string[];
}

function newTally(): Tally {
  return {
    repos: [],
    codes: new Map(),
    unlabelled: 0,
    instances: { evaluated: [0, 0], side: [0, 0], byKind: new Map(), byPattern: new Map() },
    unmatchedInstances: 0,
    lockFindings: 0,
    fixes: { findings: 0, offered: 0, enabled: 0, parses: 0, parseChecked: 0 },
    review: [],
  };
}

function readRepos(): Repo[] {
  const [header, ...rows] = readFileSync(join(REAL, 'repos.tsv'), 'utf8').trim().split('\n');
  const cols = header.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((v, i) => [cols[i], v])) as unknown as Repo);
}

const within = (w: Where, file: string, line: number): boolean =>
  w.file === file && (w.line === undefined || (line >= w.line && line <= (w.endLine ?? w.line)));

function bump(map: Map<string, [number, number]>, key: string, found: boolean): void {
  const v = map.get(key) ?? [0, 0];
  v[0] += found ? 1 : 0;
  v[1] += 1;
  map.set(key, v);
}

function score(t: Tally, code: string): CodeScore {
  let s = t.codes.get(code);
  if (!s) t.codes.set(code, (s = { tp: 0, fp: 0, miss: 0 }));
  return s;
}

const JUDGED = new Set(['information', 'warning', 'error']);

async function evalRepo(repo: Repo, labels: RepoLabels, t: Tally, opts: { fix: boolean; review: boolean }): Promise<void> {
  const folder = join(CORPUS, repo.repo.replace('/', '+'));
  const { analysis } = await analyseFolder(folder, () => {});
  const model = analysis.workspace();
  const rel = (file: string) => toPosix(relative(folder, file));
  // `unfollowed-nixpkgs` reads flake.lock, a fact the labels (written from the Nix code, several
  // before the diagnostic existed) do not judge: its file-wide silences meant instances. It is
  // counted apart, per repository, and checked against the lock files by its own tests.
  const all = analysis.allDiagnostics().filter((d) => JUDGED.has(d.severity));
  t.lockFindings += all.filter((d) => d.code === 'unfollowed-nixpkgs').length;
  const diagnostics = all.filter((d) => d.code !== 'unfollowed-nixpkgs');
  const say = (line: string) => t.review.push(`${repo.repo}: ${line}`);

  // Instances: a label is found when the product reports an instance that creates a
  // package set starting inside the label's lines (or at one of its factory calls).
  // A factory's calls create the package sets its body's `import` describes: a call matches a
  // label written at that import as well as one written at the call.
  const reported = model.instances.filter((i) => i.createsInstance);
  const bodyLines = (i: (typeof reported)[number]): number[] =>
    i.kind === 'wrapper-call' && i.site.wrapper !== null
      ? model.instances.filter((b) => b.file === i.file && b.kind === 'import' && b.site.wrapper === i.site.wrapper).map((b) => b.range.start.line + 1)
      : [];
  const matched = new Set<object>();
  for (const label of labels.instances) {
    const places: Where[] = [label, ...(label.calls ?? [])];
    const hit = reported.filter((i) =>
      places.some((w) => within(w, rel(i.file), i.range.start.line + 1) || bodyLines(i).some((line) => within(w, rel(i.file), line))),
    );
    hit.forEach((i) => matched.add(i));
    const found = hit.length > 0;
    const bucket = label.evaluated ? t.instances.evaluated : t.instances.side;
    bucket[0] += found ? 1 : 0;
    bucket[1] += 1;
    bump(t.instances.byKind, `${label.kind}${label.evaluated ? '' : ' (side)'}`, found);
    for (const p of label.patterns ?? []) bump(t.instances.byPattern, p, found);
    if (!found && opts.review && label.evaluated) say(`missed instance ${label.file}:${label.line} (${label.kind}) ${label.creates ?? ''}`);
  }
  for (const i of reported) {
    if (matched.has(i)) continue;
    t.unmatchedInstances++;
    if (opts.review) say(`instance no label names: ${rel(i.file)}:${i.range.start.line + 1} ${i.kind} ${i.site.sourceText}`);
  }

  // Diagnostics.
  const expected: { where: Where; code: string; label: string; hit: Diagnostic | null }[] = [];
  for (const l of labels.instances) for (const code of l.diagnostics ?? []) expected.push({ where: l, code, label: 'instance', hit: null });
  for (const e of labels.expect ?? []) expected.push({ where: e, code: e.code, label: 'expect', hit: null });
  const truePositives: Diagnostic[] = [];
  for (const d of diagnostics) {
    const file = rel(d.file);
    const line = d.range.start.line + 1;
    const exp = expected.find((e) => !e.hit && e.code === d.code && withinAny(e.where, file, line));
    if (exp) {
      score(t, d.code).tp++;
      exp.hit = d;
      truePositives.push(d);
      continue;
    }
    const atInstance = labels.instances.find((l) => withinAny(l, file, line));
    const silent = (labels.silent ?? []).find((s) => within(s, file, line) && (s.code === undefined || s.code === d.code));
    if (atInstance || silent) {
      score(t, d.code).fp++;
      if (opts.review) say(`false ${d.severity} ${d.code} at ${file}:${line}: ${(atInstance?.why ?? silent?.why ?? '').slice(0, 120)}`);
      continue;
    }
    t.unlabelled++;
    if (opts.review) say(`unlabelled ${d.severity} ${d.code} at ${file}:${line}: ${d.message.slice(0, 140)}`);
  }
  for (const e of expected) {
    if (e.hit) continue;
    score(t, e.code).miss++;
    if (opts.review) say(`missed ${e.code} at ${e.where.file}:${e.where.line}`);
  }

  // Fixes for the true findings that hoisting answers.
  for (const d of truePositives.filter((x) => FIXED_CODES.has(x.code))) {
    t.fixes.findings++;
    const lines = model.files.get(d.file)?.lines ?? new LineIndex(analysis.documentText(d.file) ?? '');
    let assists;
    try {
      assists = analysis.assists(d.file, lines.span(d.range)).filter((a) => a.fixes.some((f) => f.code === d.code));
    } catch (e) {
      say(`assists failed at ${rel(d.file)}: ${(e as Error).message}`);
      continue;
    }
    if (assists.length === 0) continue;
    t.fixes.offered++;
    const enabled = assists.find((a) => !a.disabled);
    if (!enabled) {
      if (opts.review) say(`fix disabled at ${rel(d.file)}:${d.range.start.line + 1}: ${assists[0].disabled}`);
      continue;
    }
    t.fixes.enabled++;
    if (!opts.fix || !nixAvailable()) continue;
    const change = enabled.edit();
    const texts = [...change.files].map(([file, edits]) => ({ name: rel(file), text: applyEdits(analysis.documentText(file) ?? '', edits) }));
    const results = await parseWithNix(texts);
    t.fixes.parseChecked++;
    if (results.every((r) => r.ok)) t.fixes.parses++;
    else say(`fix ${enabled.id} at ${rel(d.file)} does not parse: ${results.find((r) => !r.ok)?.error}`);
  }
}

/** Whether a diagnostic line falls in an instance label's lines or at one of its calls. */
function withinAny(w: Where & { calls?: Where[] }, file: string, line: number): boolean {
  return within(w, file, line) || (w.calls ?? []).some((c) => within(c, file, line));
}

const pct = (a: number, b: number): string => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function print(half: string, t: Tally): string {
  const out: string[] = [];
  out.push(`== ${half}: ${t.repos.length} repositories`);
  out.push('diagnostics (information and above)');
  out.push(`  ${'code'.padEnd(26)}   tp   fp miss  precision  recall`);
  let [tp, fp, miss] = [0, 0, 0];
  for (const [code, s] of [...t.codes].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${code.padEnd(26)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.miss).padStart(4)}     ${pct(s.tp, s.tp + s.fp)}  ${pct(s.tp, s.tp + s.miss)}`);
    tp += s.tp;
    fp += s.fp;
    miss += s.miss;
  }
  out.push(`  ${'all'.padEnd(26)} ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(miss).padStart(4)}     ${pct(tp, tp + fp)}  ${pct(tp, tp + miss)}`);
  out.push(`  not covered by any label (for review): ${t.unlabelled}`);
  const { evaluated, side } = t.instances;
  out.push('instances (found / labelled)');
  out.push(`  evaluated by outputs       ${String(evaluated[0]).padStart(4)} / ${String(evaluated[1]).padEnd(4)} ${pct(evaluated[0], evaluated[1])}`);
  out.push(`  side files                 ${String(side[0]).padStart(4)} / ${String(side[1]).padEnd(4)} ${pct(side[0], side[1])}`);
  for (const [k, [f, n]] of [...t.instances.byKind].sort()) out.push(`    kind ${k.padEnd(21)} ${String(f).padStart(4)} / ${String(n).padEnd(4)} ${pct(f, n)}`);
  for (const [k, [f, n]] of [...t.instances.byPattern].sort()) out.push(`    pattern ${k.padEnd(18)} ${String(f).padStart(4)} / ${String(n).padEnd(4)} ${pct(f, n)}`);
  out.push(`  reported instances no label names: ${t.unmatchedInstances}`);
  out.push(`unfollowed-nixpkgs (from flake.lock, not judged by labels): ${t.lockFindings}`);
  const f = t.fixes;
  out.push(`fixes for true instance-in-module / instance-per-call: ${f.findings}`);
  out.push(`  offered ${f.offered}, enabled ${f.enabled}${f.parseChecked ? `, edit parses with Nix ${f.parses} / ${f.parseChecked}` : nixAvailable() ? '' : ' (Nix not installed: edits not parsed)'}`);
  return out.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      half: { type: 'string' },
      repo: { type: 'string' },
      review: { type: 'boolean', default: false },
      json: { type: 'string' },
      'no-fix': { type: 'boolean', default: false },
    },
  });
  if (!existsSync(CORPUS) || readdirSync(CORPUS).length === 0) {
    console.error('The real corpus has not been extracted: run `node scripts/real-extract.mjs` (it needs the repository snapshots; see test/real/README.md).');
    return 2;
  }
  const tallies = new Map<string, Tally>();
  const notReady: string[] = [];
  // A holdout half is measured only when asked for by name (once, when a round of changes is done).
  const held = existsSync(HOLDOUT) ? readFileSync(HOLDOUT, 'utf8').split(/\s+/).filter(Boolean) : [];
  const skipped = new Set<string>();
  for (const repo of readRepos()) {
    if (values.repo && repo.repo !== values.repo) continue;
    if (values.half && repo.half !== values.half) continue;
    if (!values.half && !values.repo && held.includes(repo.half)) {
      skipped.add(repo.half);
      continue;
    }
    const name = repo.repo.replace('/', '+');
    const labelFile = join(LABELS, `${name}.json`);
    const stamp = join(CORPUS, name, '.commit');
    if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== repo.commit) {
      notReady.push(`${repo.repo}: not extracted at ${repo.commit.slice(0, 12)}`);
      continue;
    }
    if (!existsSync(labelFile)) {
      notReady.push(`${repo.repo}: not labelled yet`);
      continue;
    }
    const labels = JSON.parse(readFileSync(labelFile, 'utf8')) as RepoLabels;
    if (labels.commit !== repo.commit) {
      notReady.push(`${repo.repo}: labels are for ${labels.commit.slice(0, 12)}, corpus is ${repo.commit.slice(0, 12)}`);
      continue;
    }
    let t = tallies.get(repo.half);
    if (!t) tallies.set(repo.half, (t = newTally()));
    t.repos.push(repo.repo);
    const started = Date.now();
    await evalRepo(repo, labels, t, { fix: !values['no-fix'], review: values.review });
    console.error(`${repo.repo.padEnd(34)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const line of notReady) console.error(`skipped ${line}`);
  for (const half of skipped) console.log(`held out: ${half} (test/real/HOLDOUT); measure it once, when a round of changes is done, with --half ${half}`);
  const report = [...tallies].sort(([a], [b]) => a.localeCompare(b)).map(([half, t]) => print(half, t));
  console.log(report.join('\n\n'));
  if (values.review) for (const t of tallies.values()) for (const line of t.review) console.log(line);
  if (values.json) {
    const doc = Object.fromEntries(
      [...tallies].map(([half, t]) => [
        half,
        { ...t, codes: Object.fromEntries(t.codes), instances: { ...t.instances, byKind: Object.fromEntries(t.instances.byKind), byPattern: Object.fromEntries(t.instances.byPattern) } },
      ]),
    );
    writeFileSync(values.json, JSON.stringify(doc, null, 2) + '\n');
  }
  return tallies.size === 0 ? 2 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error((e as Error).stack ?? e);
    process.exitCode = 2;
  },
);
