/**
 * `npm run bench [-- --files N --mb M --seed S --quick --edits N --runs N --profile --json --no-cache --no-real]`
 *
 * Speed and memory against the project's targets, each figure beside its
 * baseline measured in the same run, each program in a fresh process:
 *
 * Two workspaces, side by side:
 *   synthetic     generate.ts: 40,000 files and 150 MB by default, cached in
 *                 tmp/bench-cache/ for the next run with the same parameters;
 *   real-shaped   realShaped.ts: the real corpus (test/real/corpus/, git-ignored,
 *                 `node scripts/real-extract.mjs`) copied under renamed folders to
 *                 about as many files; when the corpus is absent (CI) this column
 *                 is left out and the reason printed.
 * For each: read only (a Node script that reads and decodes every file, the
 * floor), nix parse (`nix-instantiate --parse`, 500 files per process, the
 * reference) and the cold index (`node dist/cli.js check --format json`: wall
 * time, peak RSS). Targets: cold index ≤ 0.5x nix parse, peak RSS ≤ 300 MB.
 *
 * Editing: on the synthetic workspace, one 1,500-line document open in an
 * `Analysis` holding the whole workspace, one-line edits each followed by that
 * file's diagnostics (target: < 5 ms median). With 300 module instances
 * (instances.ts), the server over stdio (session.ts) as VS Code drives it
 * (resolving code actions, automatic light bulb requests) beside a plain
 * client that gets every edit in the list (the cost before code actions
 * resolved): codeAction ≤ 15 ms median and ≤ 50 ms p95, completion and hover
 * ≤ 15 ms median; one-line edits of a module with its diagnostics (in process)
 * ≤ 16 ms p95. And the time from spawning the server to its first diagnostics
 * on the real-shaped workspace (the synthetic one without the corpus).
 *
 * A missed target prints FAIL; the exit status stays 0 (a benchmark reports,
 * it does not gate). `--quick` is a 2,000-file smoke run (one copy of the
 * corpus). `--profile` also profiles the cold index (`node --cpu-prof`) of the
 * real-shaped workspace (else the synthetic one) and prints where the time
 * goes. 1 MB = 10^6 bytes.
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
import { writeInstancesWorkspace } from './instances.js';
import { corpusMissing, realShapedWorkspace } from './realShaped.js';
import type { FirstDiagnosticsResult, SessionResult } from './session.js';

/** The repository root, from out/test/bench. */
const REPO_ROOT = join(__dirname, '..', '..', '..');
const DIST = join(REPO_ROOT, 'dist');
const DIST_FILES = ['cli.js', 'cli.js.map', 'index-worker.js', 'index-worker.js.map', 'tree-sitter-nix.wasm', 'web-tree-sitter.wasm'];

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

export const TARGETS = {
  ratio: 0.5,
  rssMb: 300,
  editMedianMs: 5,
  codeActionMedianMs: 15,
  codeActionP95Ms: 50,
  completionMedianMs: 15,
  hoverMedianMs: 15,
  sessionEditP95Ms: 16,
};

/** Module instances in the editing session benchmark (the issue's figure). */
export const SESSION_MODULES = 300;

export interface BenchOptions {
  files: number;
  mb: number;
  seed: number;
  edits: number;
  runs: number;
  cache: boolean;
  profile: boolean;
  /** Whether to build and measure the real-shaped workspace (when the corpus is there). */
  real: boolean;
  /** Progress lines (to stderr in the command). */
  log: (line: string) => void;
}

export interface Figure {
  wallMs: number;
  cpuMs: number | null;
  maxRssBytes: number | null;
}

/** One workspace measured: reading, Nix's parse and the cold index of the same files. */
export interface WorkspaceRun {
  name: string;
  root: string;
  files: number;
  bytes: number;
  /** How it came to be (generated, reused, copied from the corpus). */
  origin: string;
  readOnly: Figure;
  nixParse: (Figure & { processes: number; errors: string[] }) | null;
  coldIndex: Figure & { exitCode: number; files: number; instances: number; diagnostics: number; skipped: number };
  ratio: number | null;
  pass: { ratio: boolean | null; rss: boolean | null };
}

export interface Stats {
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface BenchResult {
  machine: { cpus: number; node: string; nix: string | null; gnuTime: boolean };
  workspaces: WorkspaceRun[];
  /** Why the real-shaped workspace was left out, or null. */
  realSkipped: string | null;
  incremental: {
    editTarget: string;
    edits: number;
    medianMs: number;
    p95Ms: number;
    meanMs: number;
    maxMs: number;
    changeMedianMs: number;
    diagnosticsMedianMs: number;
    detail: IncrementalResult;
  };
  session: {
    modules: number;
    vscode: SessionResult;
    plain: SessionResult;
    /** Every automatic codeAction round trip (first after each didOpen included), per client. */
    codeAction: { vscode: Stats; plain: Stats };
    edits: Stats & { target: string; fastEdits: number };
    firstDiagnostics: (FirstDiagnosticsResult & { workspace: string; files: number }) | null;
  };
  pass: { edit: boolean; codeAction: boolean; completion: boolean; hover: boolean; sessionEdit: boolean };
  profile: string | null;
}

function stats(xs: readonly number[]): Stats {
  return { n: xs.length, medianMs: median(xs), p95Ms: percentile(xs, 0.95), maxMs: Math.max(...xs) };
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

/** Reading, Nix's parse and the cold index of one workspace, in that order, one after the other. */
async function measureWorkspace(
  name: string,
  ws: { root: string; bytes: number; origin: string },
  cli: string,
  scratch: string,
  options: BenchOptions,
  nix: string | null,
): Promise<{ run: WorkspaceRun; paths: string[] }> {
  const paths = await listNixFiles(ws.root);
  const listFile = join(scratch, `${name}-files.txt`);
  writeFileSync(listFile, paths.join('\n') + '\n');
  const node = process.execPath;

  options.log(`${name}: read only, ${paths.length} files ...`);
  const read = await medianRun(options.runs, () => measure(node, [join(__dirname, 'readAll.js'), listFile], { stdout: true }, true));
  if (read.code !== 0) throw new Error(`reading the files failed:\n${read.stderr}`);

  let nixRun: NixParseRun | null = null;
  if (nix) {
    options.log(`${name}: nix-instantiate --parse, ${Math.ceil(paths.length / NIX_BATCH)} processes ...`);
    nixRun = await medianRun(options.runs, () => nixParseAll(paths));
  }

  options.log(`${name}: cold index, dist/cli.js check ...`);
  const cold = await medianRun(options.runs, () => measure(node, [cli, 'check', '--format', 'json', ws.root], { stdout: true }, true));
  if (cold.code !== 0 && cold.code !== 1) throw new Error(`dist/cli.js check failed (exit status ${cold.code}):\n${cold.stderr}`);
  const report = JSON.parse(cold.stdout) as { files: number; instances: unknown[]; diagnostics: unknown[]; skipped?: unknown[] };
  const ratio = nixRun ? cold.wallMs / nixRun.wallMs : null;
  return {
    paths,
    run: {
      name,
      root: ws.root,
      files: paths.length,
      bytes: ws.bytes,
      origin: ws.origin,
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
      pass: {
        ratio: ratio === null ? null : ratio <= TARGETS.ratio,
        rss: cold.maxRssBytes === null ? null : cold.maxRssBytes <= TARGETS.rssMb * MB,
      },
    },
  };
}

/** Runs one of the bench's own scripts in a fresh process and parses the JSON it prints. */
async function script<T>(file: string, args: string[], what: string): Promise<T> {
  const r = await measure(process.execPath, [join(__dirname, file), ...args], { stdout: true }, true);
  if (r.code !== 0) throw new Error(`${what} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-bench-run-'));
  let workspace: ReturnType<typeof workspaceFor> | undefined;
  try {
    const cli = snapshotCli(join(scratch, 'dist'));
    const nix = nixVersion();
    if (!nix) options.log('nix-instantiate is not installed: the nix parse rows are left out (Debian: apt-get install -y nix-bin)');
    workspace = workspaceFor(options);
    const { root, manifest, generatedMs } = workspace;
    const synthetic = await measureWorkspace(
      'synthetic',
      { root, bytes: manifest.written.bytes, origin: generatedMs === null ? 'reused' : `generated in ${sec(generatedMs)}` },
      cli,
      scratch,
      options,
      nix,
    );
    const workspaces = [synthetic.run];

    const corpus = join(REPO_ROOT, 'test', 'real', 'corpus');
    let realSkipped = options.real ? corpusMissing(corpus) : 'left out (--no-real)';
    if (realSkipped === null) {
      const real = await realShapedWorkspace(corpus, join(REPO_ROOT, 'tmp', 'bench-cache'), options.files, nix !== null, options.log);
      const left = real.rejected === null ? 'not checked with Nix' : `${real.rejected} that Nix rejects left out`;
      const origin = `${real.copies} copies of ${real.corpus.files.toLocaleString('en')} corpus files of ${real.repositories} repositories, ${left}`;
      workspaces.push((await measureWorkspace('real-shaped', { root: real.root, bytes: real.bytes, origin }, cli, scratch, options, nix)).run);
    } else {
      options.log(`real-shaped workspace skipped: ${realSkipped}`);
    }
    const largest = workspaces.at(-1)!;

    options.log(`incremental: ${options.edits} edits of ${manifest.editTarget.path} ...`);
    const editProfile = join(scratch, 'edits.cpuprofile');
    const incArgs = [root, manifest.editTarget.path, String(options.edits), String(options.seed)];
    const detail = await script<IncrementalResult>('incremental.js', options.profile ? [...incArgs, editProfile] : incArgs, 'the incremental benchmark');

    // The editing session with 300 module instances: the server as VS Code drives it, and a plain client.
    const sessionRoot = join(scratch, 'instances');
    const modules = writeInstancesWorkspace(sessionRoot, SESSION_MODULES);
    options.log(`session: ${SESSION_MODULES} module instances, the server over stdio (a VS Code-like client, then a plain one) ...`);
    const vscode = await script<SessionResult>('session.js', [sessionRoot, String(SESSION_MODULES), 'vscode'], 'the session benchmark');
    const plain = await script<SessionResult>('session.js', [sessionRoot, String(SESSION_MODULES), 'plain'], 'the session benchmark');
    const editTarget = modules[1]!;
    options.log(`session: ${options.edits} edits of ${editTarget} ...`);
    const sessionEdits = await script<IncrementalResult>('incremental.js', [sessionRoot, editTarget, String(options.edits), String(options.seed)], 'the session edits');
    options.log(`first diagnostics: the server on the ${largest.name} workspace ...`);
    const first = await script<FirstDiagnosticsResult>('session.js', ['--first-diagnostics', largest.root], 'the first-diagnostics run');

    let profile: string | null = null;
    if (options.profile) {
      const edits = formatProfile(JSON.parse(readFileSync(editProfile, 'utf8')), 15, 'the incremental edits');
      options.log(`profiling the cold index of the ${largest.name} workspace (node --cpu-prof) ...`);
      const dir = join(scratch, 'profile');
      const p = await measure(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, cli, 'check', '--format', 'json', largest.root], {}, true);
      if (p.code !== 0 && p.code !== 1) throw new Error(`profiling failed:\n${p.stderr}`);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error('node --cpu-prof wrote no profile');
      profile = formatProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), 25, `the cold index (${largest.name})`) + '\n' + edits;
    }

    const edits = detail.editsMs;
    const medianMs = median(edits.total);
    const codeAction = {
      vscode: stats([...vscode.codeActionFirstMs, ...vscode.codeActionMs]),
      plain: stats([...plain.codeActionFirstMs, ...plain.codeActionMs]),
    };
    const sessionEditStats = { ...stats(sessionEdits.editsMs.total), target: editTarget, fastEdits: sessionEdits.fastEdits };
    return {
      machine: { cpus: cpus().length, node: process.version, nix, gnuTime: gnuTimeAvailable() },
      workspaces,
      realSkipped,
      incremental: {
        editTarget: manifest.editTarget.path,
        edits: edits.total.length,
        medianMs,
        p95Ms: percentile(edits.total, 0.95),
        meanMs: edits.total.reduce((a, b) => a + b, 0) / edits.total.length,
        maxMs: Math.max(...edits.total),
        changeMedianMs: median(edits.change),
        diagnosticsMedianMs: median(edits.diagnostics),
        detail,
      },
      session: {
        modules: SESSION_MODULES,
        vscode,
        plain,
        codeAction,
        edits: sessionEditStats,
        firstDiagnostics: { ...first, workspace: largest.name, files: largest.files },
      },
      pass: {
        edit: medianMs < TARGETS.editMedianMs,
        codeAction: codeAction.vscode.medianMs <= TARGETS.codeActionMedianMs && codeAction.vscode.p95Ms <= TARGETS.codeActionP95Ms,
        completion: median(vscode.completionMs) <= TARGETS.completionMedianMs,
        hover: median(vscode.hoverMs) <= TARGETS.hoverMedianMs,
        sessionEdit: sessionEditStats.p95Ms <= TARGETS.sessionEditP95Ms,
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

/** Rows of cells as aligned text: the first column left, the others right, `left` columns left too. */
function table(rows: string[][], left: ReadonlySet<number> = new Set()): string[] {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((row) => (row[k] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, k) => (k === 0 || left.has(k) ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function formatResult(r: BenchResult): string {
  const ws = r.workspaces;
  const cpu = (f: Figure): string => (f.cpuMs === null ? '' : ` (CPU ${sec(f.cpuMs)})`);
  const both = (label: string, cell: (w: WorkspaceRun) => string, target = '', result: (w: WorkspaceRun) => string = () => ''): string[] => [
    label,
    ...ws.map(cell),
    target,
    ws.map(result).filter((x) => x !== '').join(' / '),
  ];
  const rows: string[][] = [
    ['Workspace', ...ws.map((w) => w.name), 'Target', 'Result'],
    both('files, size', (w) => `${w.files.toLocaleString('en')}, ${(w.bytes / MB).toFixed(1)} MB`),
    both('read every file (node)', (w) => `${sec(w.readOnly.wallMs)}${cpu(w.readOnly)}`),
    both(`nix-instantiate --parse (${NIX_BATCH}/process)`, (w) => (w.nixParse ? `${sec(w.nixParse.wallMs)}${cpu(w.nixParse)}${w.nixParse.errors.length ? ` ${w.nixParse.errors.length} batches with errors` : ''}` : 'no Nix')),
    both('cold index (dist/cli.js check)', (w) => `${sec(w.coldIndex.wallMs)}${cpu(w.coldIndex)}`),
    both('  cold index / nix parse', (w) => (w.ratio === null ? 'n/a' : `${w.ratio.toFixed(2)}x`), `≤ ${TARGETS.ratio}x`, (w) => verdict(w.pass.ratio)),
    both('  cold index peak RSS', (w) => mb(w.coldIndex.maxRssBytes), `≤ ${TARGETS.rssMb} MB`, (w) => verdict(w.pass.rss)),
    both('  found', (w) => `${w.coldIndex.instances} instances, ${w.coldIndex.diagnostics} diagnostics`),
  ];
  const s = r.session;
  const st = (x: Stats) => `${msec(x.medianMs)} / ${msec(x.p95Ms)}`;
  const sx = (xs: number[]) => (xs.length ? st(stats(xs)) : 'n/a');
  const session: string[][] = [
    [`Editing, ${s.modules} module instances (server over stdio)`, 'VS Code-like client', 'plain client (baseline)', 'Target', 'Result'],
    ['codeAction at the cursor, median / p95', st(s.codeAction.vscode), st(s.codeAction.plain), `≤ ${TARGETS.codeActionMedianMs} / ${TARGETS.codeActionP95Ms} ms`, verdict(r.pass.codeAction)],
    ['  first after opening a module, median / p95', sx(s.vscode.codeActionFirstMs), sx(s.plain.codeActionFirstMs), '', ''],
    ['  max', msec(s.codeAction.vscode.maxMs), msec(s.codeAction.plain.maxMs), '', ''],
    ['codeAction/resolve of the hoist, median / p95', sx(s.vscode.resolveMs), 'in the list', '', ''],
    ['Source Action menu (Hoist all), median / p95', sx(s.vscode.sourceMenuMs), sx(s.plain.sourceMenuMs), '', ''],
    ['completion, median / p95', sx(s.vscode.completionMs), sx(s.plain.completionMs), `≤ ${TARGETS.completionMedianMs} ms median`, verdict(r.pass.completion)],
    ['hover, median / p95', sx(s.vscode.hoverMs), sx(s.plain.hoverMs), `≤ ${TARGETS.hoverMedianMs} ms median`, verdict(r.pass.hover)],
    [`one-line edit + its diagnostics, median / p95 (in process)`, st(s.edits), '', `≤ ${TARGETS.sessionEditP95Ms} ms p95`, verdict(r.pass.sessionEdit)],
  ];
  const i = r.incremental;
  const p = i.detail.phasesMs;
  const first = s.firstDiagnostics;
  const out = [
    `Machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}, ${r.machine.nix ?? 'no Nix'}, ${r.machine.gnuTime ? 'RSS and CPU from /usr/bin/time -v' : 'RSS and CPU from process.resourceUsage()'}`,
    ...ws.map((w) => `${w.name}: ${w.root} (${w.origin})`),
    ...(r.realSkipped ? [`real-shaped: skipped: ${r.realSkipped}`] : []),
    '',
    ...table(rows),
    '',
    `Incremental edit, synthetic workspace (${i.edits} edits of a ${i.detail.target.lines}-line file, in process): median ${msec(i.medianMs)} (target < ${TARGETS.editMedianMs} ms: ${verdict(r.pass.edit)}), p95 ${msec(i.p95Ms)}, ` +
      `max ${msec(i.maxMs)}; per edit changeDocument ${msec(i.changeMedianMs)} + diagnosticsFor ${msec(i.diagnosticsMedianMs)} (medians).`,
    `In one process: parser init ${msec(p.parserInit)}, read ${sec(p.read)}, parse + extract ${sec(p.parseAndExtract)}, workspace model ${msec(p.workspaceModel)}, ` +
      `all diagnostics ${msec(p.diagnostics)}; then RSS ${mb(i.detail.memory.rssBytes)}, JS heap ${mb(i.detail.memory.heapUsedBytes)}.`,
    '',
    ...table(session),
    `(${s.vscode.codeActionFirstMs.length + s.vscode.codeActionMs.length} automatic codeAction requests per client on ten modules, each opened first; ` +
      `the plain client asks without trigger kind and resolve support, so every action carries its edit, Hoist all included. ` +
      `Edits: ${s.edits.n} of ${s.edits.target}, ${s.edits.fastEdits} on the typing fast path.)`,
    first
      ? `Server start to first diagnostics, ${first.workspace} workspace (${first.files.toLocaleString('en')} files): ${sec(first.firstDiagnosticsMs)} (indexed after ${sec(first.indexedMs)}; reported, no target).`
      : '',
    'MB = 10^6 bytes. Wall times include process start; nix parse sums its processes, its RSS is the largest one.',
  ];
  for (const w of ws) if (w.nixParse?.errors.length) out.push('', `nix-instantiate --parse reported errors (${w.name}):`, ...w.nixParse.errors.slice(0, 5).map((e) => `  ${e.split('\n')[0]}`));
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
      'no-real': { type: 'boolean', default: false },
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
    real: !values['no-real'],
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
