/**
 * `npm run bench [-- --files N --mb M --seed S --quick --edits N --runs N --profile --json --no-cache]`
 *
 * Indexing speed and memory against the project's targets, on a synthetic
 * workspace (generate.ts) of 40,000 files and 150 MB by default, cached in
 * tmp/bench-cache/ for the next run with the same parameters. Side by side,
 * each in a fresh process:
 *   read only     a Node script that reads and decodes every file (the floor),
 *   nix parse     `nix-instantiate --parse`, 500 files per process (the reference),
 *   cold index    `node dist/cli.js check --format json <dir>`: wall time, peak RSS, MB/s,
 *   incremental   one 1,500-line document open in an `Analysis` holding the whole
 *                 workspace: one-line edits, each followed by that file's diagnostics.
 * Targets: cold index ≤ 0.5x the time of nix parse, peak RSS ≤ 300 MB, incremental
 * edit < 5 ms median. A missed target prints FAIL; the exit status stays 0 (a
 * benchmark reports, it does not gate). `--quick` is a 2,000-file smoke run.
 * `--profile` also profiles the cold index (`node --cpu-prof`) and prints where
 * the time goes. 1 MB = 10^6 bytes.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listNixFiles } from '../../server/src/node/loader.js';
import { GENERATOR_VERSION, MB, defaultMb, generateWorkspace, readManifest, type Manifest } from './generate.js';
import type { IncrementalResult } from './incremental.js';
import { gnuTimeAvailable, measure, type Measured } from './measure.js';
import { NIX_BATCH, nixInstantiateAvailable, nixParseAll, type NixParseRun } from './nixParse.js';
import { formatProfile } from './profile.js';

/** The repository root, from out/test/bench. */
const REPO_ROOT = join(__dirname, '..', '..', '..');
const DIST = join(REPO_ROOT, 'dist');
const DIST_FILES = ['cli.js', 'cli.js.map', 'tree-sitter-nix.wasm', 'web-tree-sitter.wasm'];

/**
 * Copies the CLI bundle (with its wasm files) into `dir`, so that a rebuild of
 * dist/ by someone else during the run changes neither the measured program
 * nor the source map its profile is read with. The source map's paths are
 * made absolute, as they were relative to dist/.
 */
function snapshotCli(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const f of DIST_FILES) {
    const from = join(DIST, f);
    if (!existsSync(from)) throw new Error(`${from} is missing: run \`npm run build\` first`);
    if (f.endsWith('.map')) {
      const map = JSON.parse(readFileSync(from, 'utf8')) as { sources: string[]; sourceRoot?: string };
      map.sources = map.sources.map((s) => resolve(DIST, map.sourceRoot ?? '', s));
      delete map.sourceRoot;
      writeFileSync(join(dir, f), JSON.stringify(map));
    } else {
      copyFileSync(from, join(dir, f));
    }
  }
  return join(dir, 'cli.js');
}

export const TARGETS = { ratio: 0.5, rssMb: 300, editMedianMs: 5 };

export interface BenchOptions {
  files: number;
  mb: number;
  seed: number;
  edits: number;
  runs: number;
  cache: boolean;
  profile: boolean;
  /** Progress lines (to stderr in the command). */
  log: (line: string) => void;
}

export interface Figure {
  wallMs: number;
  cpuMs: number | null;
  maxRssBytes: number | null;
}

export interface BenchResult {
  workspace: { root: string; files: number; bytes: number; generatedMs: number | null; editTarget: string; editTargetLines: number };
  machine: { cpus: number; node: string; nix: string | null; gnuTime: boolean };
  readOnly: Figure;
  nixParse: (Figure & { processes: number; errors: string[] }) | null;
  coldIndex: Figure & { exitCode: number; files: number; instances: number; diagnostics: number; skipped: number };
  ratio: number | null;
  incremental: {
    edits: number;
    medianMs: number;
    p95Ms: number;
    meanMs: number;
    maxMs: number;
    changeMedianMs: number;
    diagnosticsMedianMs: number;
    detail: IncrementalResult;
  };
  pass: { ratio: boolean | null; rss: boolean | null; edit: boolean };
  profile: string | null;
}

function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

/** Nearest-rank percentile. */
function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

/** Runs `once` `runs` times and keeps the run with the median wall time. */
async function medianRun<T extends { wallMs: number }>(runs: number, once: () => Promise<T>): Promise<T> {
  const all: T[] = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  all.sort((a, b) => a.wallMs - b.wallMs);
  return all[Math.floor((all.length - 1) / 2)];
}

function figure(m: Measured | NixParseRun): Figure {
  return { wallMs: m.wallMs, cpuMs: m.cpuMs, maxRssBytes: m.maxRssBytes };
}

/** The cached workspace for these parameters, generated first when missing. */
function workspaceFor(options: BenchOptions): { root: string; manifest: Manifest; generatedMs: number | null; temporary: boolean } {
  const params = { files: options.files, mb: options.mb, seed: options.seed, out: '' };
  if (!options.cache) {
    const root = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-bench-'));
    const t = performance.now();
    const { manifest } = generateWorkspace({ ...params, out: root });
    return { root, manifest, generatedMs: performance.now() - t, temporary: true };
  }
  const cacheDir = join(REPO_ROOT, 'tmp', 'bench-cache');
  const root = join(cacheDir, `v${GENERATOR_VERSION}-files${options.files}-mb${options.mb}-seed${options.seed}`);
  const cached = readManifest(root);
  if (cached && cached.generator === GENERATOR_VERSION && cached.files === options.files && cached.mb === options.mb && cached.seed === options.seed) {
    return { root, manifest: cached, generatedMs: null, temporary: false };
  }
  // Generate beside it and rename, so an interrupted run never leaves a folder that looks complete.
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  options.log(`generating ${options.files} files, ${options.mb} MB (seed ${options.seed}) in ${relative(REPO_ROOT, root)} ...`);
  const t = performance.now();
  let manifest: Manifest;
  try {
    manifest = generateWorkspace({ ...params, out: partial }).manifest;
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  const generatedMs = performance.now() - t;
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return { root, manifest, generatedMs, temporary: false };
}

function nixVersion(): string | null {
  if (!nixInstantiateAvailable()) return null;
  const r = spawnSync('nix-instantiate', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-bench-run-'));
  let workspace: ReturnType<typeof workspaceFor> | undefined;
  try {
    const cli = snapshotCli(join(scratch, 'dist'));
    workspace = workspaceFor(options);
    const { root, manifest, generatedMs } = workspace;
    const paths = await listNixFiles(root);
    const bytes = manifest.written.bytes;
    const listFile = join(scratch, 'files.txt');
    writeFileSync(listFile, paths.join('\n') + '\n');
    const node = process.execPath;

    options.log(`read only: ${paths.length} files ...`);
    const read = await medianRun(options.runs, () => measure(node, [join(__dirname, 'readAll.js'), listFile], { stdout: true }, true));
    if (read.code !== 0) throw new Error(`reading the files failed:\n${read.stderr}`);

    const nix = nixVersion();
    let nixRun: NixParseRun | null = null;
    if (nix) {
      options.log(`nix-instantiate --parse: ${Math.ceil(paths.length / NIX_BATCH)} processes ...`);
      nixRun = await medianRun(options.runs, () => nixParseAll(paths));
    } else {
      options.log('nix-instantiate is not installed: the nix parse column is left out (Debian: apt-get install -y nix-bin)');
    }

    options.log('cold index: dist/cli.js check ...');
    const cold = await medianRun(options.runs, () => measure(node, [cli, 'check', '--format', 'json', root], { stdout: true }, true));
    if (cold.code !== 0 && cold.code !== 1) throw new Error(`dist/cli.js check failed (exit status ${cold.code}):\n${cold.stderr}`);
    const report = JSON.parse(cold.stdout) as { files: number; instances: unknown[]; diagnostics: unknown[]; skipped?: unknown[] };

    options.log(`incremental: ${options.edits} edits of ${manifest.editTarget.path} ...`);
    const editProfile = join(scratch, 'edits.cpuprofile');
    const incArgs = [join(__dirname, 'incremental.js'), root, manifest.editTarget.path, String(options.edits), String(options.seed)];
    const inc = await measure(node, options.profile ? [...incArgs, editProfile] : incArgs, { stdout: true }, true);
    if (inc.code !== 0) throw new Error(`the incremental benchmark failed:\n${inc.stderr}`);
    const detail = JSON.parse(inc.stdout) as IncrementalResult;

    let profile: string | null = null;
    if (options.profile) {
      const edits = formatProfile(JSON.parse(readFileSync(editProfile, 'utf8')), 15, 'the incremental edits');
      options.log('profiling the cold index (node --cpu-prof) ...');
      const dir = join(scratch, 'profile');
      const p = await measure(node, ['--cpu-prof', '--cpu-prof-dir', dir, cli, 'check', '--format', 'json', root], {}, true);
      if (p.code !== 0 && p.code !== 1) throw new Error(`profiling failed:\n${p.stderr}`);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error('node --cpu-prof wrote no profile');
      profile = formatProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), 25, 'the cold index') + '\n' + edits;
    }

    const ratio = nixRun ? cold.wallMs / nixRun.wallMs : null;
    const edits = detail.editsMs;
    const medianMs = median(edits.total);
    return {
      workspace: { root, files: paths.length, bytes, generatedMs, editTarget: manifest.editTarget.path, editTargetLines: detail.target.lines },
      machine: { cpus: cpus().length, node: process.version, nix, gnuTime: gnuTimeAvailable() },
      readOnly: figure(read),
      nixParse: nixRun ? { ...figure(nixRun), processes: nixRun.processes, errors: nixRun.errors } : null,
      coldIndex: {
        ...figure(cold),
        exitCode: cold.code,
        files: report.files,
        instances: report.instances.length,
        diagnostics: report.diagnostics.length,
        skipped: report.skipped?.length ?? 0,
      },
      ratio,
      incremental: {
        edits: edits.total.length,
        medianMs,
        p95Ms: percentile(edits.total, 0.95),
        meanMs: edits.total.reduce((a, b) => a + b, 0) / edits.total.length,
        maxMs: Math.max(...edits.total),
        changeMedianMs: median(edits.change),
        diagnosticsMedianMs: median(edits.diagnostics),
        detail,
      },
      pass: {
        ratio: ratio === null ? null : ratio <= TARGETS.ratio,
        rss: cold.maxRssBytes === null ? null : cold.maxRssBytes <= TARGETS.rssMb * MB,
        edit: medianMs < TARGETS.editMedianMs,
      },
      profile,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (workspace?.temporary) rmSync(workspace.root, { recursive: true, force: true });
  }
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const msec = (ms: number): string => `${ms.toFixed(2)} ms`;
const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : `${Math.round(bytes / MB)} MB`);
const verdict = (pass: boolean | null): string => (pass === null ? 'n/a' : pass ? 'PASS' : 'FAIL');

export function formatResult(r: BenchResult): string {
  const w = r.workspace;
  const speed = (ms: number): string => `${(w.bytes / MB / (ms / 1000)).toFixed(1)}`;
  const rows: string[][] = [['Measurement', 'Wall', 'CPU', 'MB/s', 'Peak RSS', 'Target', 'Result']];
  const cpu = (f: Figure): string => (f.cpuMs === null ? 'n/a' : sec(f.cpuMs));
  rows.push(['read only (node, every file)', sec(r.readOnly.wallMs), cpu(r.readOnly), speed(r.readOnly.wallMs), mb(r.readOnly.maxRssBytes), '', '']);
  if (r.nixParse) {
    rows.push([`nix-instantiate --parse (${NIX_BATCH}/process)`, sec(r.nixParse.wallMs), cpu(r.nixParse), speed(r.nixParse.wallMs), mb(r.nixParse.maxRssBytes), '', r.nixParse.errors.length ? 'ERRORS' : '']);
  } else {
    rows.push(['nix-instantiate --parse: not installed', '', '', '', '', '', 'n/a']);
  }
  const c = r.coldIndex;
  rows.push(['cold index (dist/cli.js check)', sec(c.wallMs), cpu(c), speed(c.wallMs), mb(c.maxRssBytes), '', '']);
  rows.push(['  cold index / nix parse', r.ratio === null ? 'n/a' : `${r.ratio.toFixed(2)}x`, '', '', '', `≤ ${TARGETS.ratio}x`, verdict(r.pass.ratio)]);
  rows.push(['  cold index peak RSS', '', '', '', mb(c.maxRssBytes), `≤ ${TARGETS.rssMb} MB`, verdict(r.pass.rss)]);
  const i = r.incremental;
  rows.push([`incremental edit (${i.edits} edits, ${i.detail.target.lines}-line file)`, '', '', '', '', '', '']);
  rows.push(['  median (index + file diagnostics)', msec(i.medianMs), '', '', '', `< ${TARGETS.editMedianMs} ms`, verdict(r.pass.edit)]);
  rows.push(['  p95', msec(i.p95Ms), '', '', '', '', '']);
  const widths = rows[0].map((_, k) => Math.max(...rows.map((row) => row[k].length)));
  const right = new Set([1, 2, 3, 4]);
  const line = (row: string[]): string => row.map((cell, k) => (right.has(k) ? cell.padStart(widths[k]) : cell.padEnd(widths[k]))).join('  ').trimEnd();
  const p = i.detail.phasesMs;
  const out = [
    `Workspace: ${w.files.toLocaleString('en')} files, ${(w.bytes / MB).toFixed(1)} MB, ${w.generatedMs === null ? 'reused' : `generated in ${sec(w.generatedMs)}`} (${w.root})`,
    `Machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.nix ?? 'no Nix'}, ${r.machine.gnuTime ? 'RSS and CPU from /usr/bin/time -v' : 'RSS and CPU from process.resourceUsage()'}`,
    '',
    line(rows[0]),
    ...rows.slice(1).map(line),
    '',
    `Cold index found ${c.instances} instances and ${c.diagnostics} diagnostics in ${c.files} files (exit status ${c.exitCode}${c.skipped ? `, ${c.skipped} skipped` : ''}).`,
    `In one process (incremental run): parser init ${msec(p.parserInit)}, read ${sec(p.read)}, parse + extract ${sec(p.parseAndExtract)}, ` +
      `workspace model ${msec(p.workspaceModel)}, all diagnostics ${msec(p.diagnostics)}, open document ${msec(p.openDocument)}; ` +
      `then RSS ${mb(i.detail.memory.rssBytes)}, JS heap ${mb(i.detail.memory.heapUsedBytes)}, external ${mb(i.detail.memory.externalBytes)}.`,
    `Per edit: median changeDocument ${msec(i.changeMedianMs)} + diagnosticsFor ${msec(i.diagnosticsMedianMs)}; mean ${msec(i.meanMs)}, max ${msec(i.maxMs)}; ` +
      `${i.detail.target.diagnostics} diagnostics in ${i.detail.target.path} before editing.`,
    'MB = 10^6 bytes. Wall times include process start; nix parse sums its processes, its RSS is the largest one.',
  ];
  if (r.nixParse?.errors.length) out.push('', 'nix-instantiate --parse reported errors:', ...r.nixParse.errors.map((e) => `  ${e.split('\n')[0]}`));
  if (r.profile) out.push('', r.profile.trimEnd());
  return out.join('\n') + '\n';
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string' },
      mb: { type: 'string' },
      seed: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      edits: { type: 'string', default: '200' },
      runs: { type: 'string', default: '1' },
      'no-cache': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const files = Number(values.files ?? (values.quick ? 2000 : 40000));
  const options: BenchOptions = {
    files,
    mb: values.mb === undefined ? defaultMb(files) : Number(values.mb),
    seed: Number(values.seed),
    edits: Number(values.edits),
    runs: Math.max(1, Number(values.runs)),
    cache: !values['no-cache'],
    profile: values.profile,
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  for (const [name, v] of Object.entries({ files: options.files, mb: options.mb, seed: options.seed, edits: options.edits, runs: options.runs })) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} takes a number`);
  }
  const result = await runBench(options);
  process.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : formatResult(result));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  });
}
