/**
 * The fuzz harness: `npm run fuzz -- --n N [--seed S] [--nix]`.
 *
 * Builds N inputs from the corpus (test/fuzz/corpus.ts and examples/) by
 * grammar-aware mutation plus random bytes (mutate.ts), and runs each through
 * indexing, diagnostics, editor features, every code action and typing
 * (check.ts) in a worker thread. The main thread watches the worker: an input
 * that takes longer than the time limit, or exhausts the worker's memory, is
 * reported and the run goes on with a fresh worker. With `--nix`, every file a
 * code action changed is parsed with `nix-instantiate --parse` wherever its
 * text before the action parsed (batched, alongside the fuzzing).
 *
 * Every crash, broken guarantee, hang and Nix failure is saved under
 * tmp/fuzz-crashes/ with the seed and index; `--only I` replays one input in
 * this thread and prints what went wrong.
 *
 * Other options: --from I (first index), --timeout-ms MS (per input, default
 * 20000), --crash-dir DIR, --quiet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../support/workspace.js';
import { parseWithNix } from '../support/nixOracle.js';
import { checkInput, type AppliedEdit, type InputResult, type Problem } from './check.js';
import { fuzzEnv } from './env.js';
import { makeInput } from './mutate.js';
import type { RunMessage, WorkerData, WorkerMessage } from './worker.js';

// Node 20 can deadlock a worker thread in NodePlatform::DrainTasks when a concurrent
// optimising-compile task waits for a foreground task posted just after the worker drained its
// queue (nodejs/node#54918): the worker sleeps with no CPU and never reads its next message, and
// `terminate()` never returns. Seen here as input 0 "timing out" in about half of the runs once the
// analysis grew; compiling on the worker's own thread avoids it (16 of 16 clean runs, against 1 of
// 16 without). V8 flags are per process; set before the first worker starts.
setFlagsFromString('--no-concurrent-recompilation');

export interface FuzzOptions {
  n: number;
  seed: number;
  /** First input index (default 0): with the seed, names the inputs of a run. */
  from?: number;
  /** Check applied code actions with `nix-instantiate --parse`. */
  nix?: boolean;
  /** Per-input time limit; longer inputs are reported as timeouts (default 20 s). */
  timeoutMs?: number;
  /** Where crash reports go (default tmp/fuzz-crashes in the repository). */
  crashDir?: string;
  /** Progress and findings, one line each (default: nothing). */
  log?: (line: string) => void;
}

export interface Finding {
  kind: 'crash' | 'failure' | 'timeout' | 'nix';
  index: number;
  phase: string;
  message: string;
  /** The saved report. */
  file: string;
}

export interface FuzzSummary {
  seed: number;
  inputs: number;
  crashes: number;
  /** Broken guarantees that threw nothing (ranges, edits, incremental drift). */
  failures: number;
  timeouts: number;
  /** Feature and code-action requests made. */
  requests: number;
  /** Edited documents whose incremental tree differed from a full parse (in text with syntax errors). */
  divergences: number;
  /** Texts refused as too slow or too large to parse, as the CLI and the server refuse them. */
  refused: number;
  /** Code actions whose edit was computed and applied. */
  applied: number;
  /** Changed files of applied code actions whose files all parsed with Nix before the action. */
  nixChecked: number;
  nixFailures: number;
  slowest: { index: number; ms: number };
  peakRssMb: number;
  wallMs: number;
  findings: Finding[];
}

/** Inputs per message to the worker. */
const CHUNK = 50;
/** Changed files waiting for Nix before the fuzzing waits for Nix. */
const NIX_HIGH_WATER = 3000;
/** Changed files per Nix round. */
const NIX_ROUND = 600;

export function summaryLine(s: FuzzSummary, nix: boolean): string {
  return (
    `fuzz: ${s.inputs} inputs (seed ${s.seed}) in ${(s.wallMs / 1000).toFixed(1)} s: ` +
    `${s.crashes} crashes, ${s.failures} failures, ${s.timeouts} timeouts; ` +
    `${s.requests} requests, ${s.applied} code actions applied, ` +
    (nix ? `${s.nixChecked} Nix-checked edits, ${s.nixFailures} Nix failures; ` : 'Nix check off; ') +
    `slowest input ${Math.round(s.slowest.ms)} ms (#${s.slowest.index}); peak RSS ${s.peakRssMb} MB; ` +
    `${s.refused} texts refused as too slow or large to parse; ` +
    `${s.divergences} incremental parses recovered differently from a full parse`
  );
}

function peakRssMb(): number {
  // maxRSS is in kilobytes and covers the whole process, worker threads included.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs the harness. Resolves when every input and every Nix check is done; never rejects on findings. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const { n, seed } = options;
  const from = options.from ?? 0;
  const to = from + n;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const crashDir = options.crashDir ?? join(REPO_ROOT, 'tmp', 'fuzz-crashes');
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  const summary: FuzzSummary = {
    seed,
    inputs: 0,
    crashes: 0,
    failures: 0,
    timeouts: 0,
    requests: 0,
    divergences: 0,
    refused: 0,
    applied: 0,
    nixChecked: 0,
    nixFailures: 0,
    slowest: { index: -1, ms: 0 },
    peakRssMb: 0,
    wallMs: 0,
    findings: [],
  };

  const save = (kind: Finding['kind'], index: number, problem: Problem, extra: Record<string, unknown>): void => {
    mkdirSync(crashDir, { recursive: true });
    const file = join(crashDir, `seed${seed}-${index}-${kind}-${summary.findings.length}.json`);
    const report = {
      kind,
      seed,
      index,
      replay: `npm run fuzz -- --seed ${seed} --only ${index}`,
      ...problem,
      ...extra,
    };
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    summary.findings.push({ kind, index, phase: problem.phase, message: problem.message, file });
    log(`${kind} at input ${index} (${problem.phase}): ${problem.message.split('\n')[0]} -> ${file}`);
  };

  // Nix: applied actions wait here; whether a text before an action parses is cached by text.
  const pending: (AppliedEdit & { index: number })[] = [];
  const parsesBefore = new Map<string, boolean>();
  let nixRound: Promise<void> | null = null;
  const runNixRound = async (): Promise<void> => {
    while (pending.length) {
      const batch = pending.splice(0, NIX_ROUND);
      if (parsesBefore.size > 20_000) parsesBefore.clear();
      const befores = [...new Set(batch.flatMap((e) => e.files.map((f) => f.before)))].filter((t) => !parsesBefore.has(t));
      const results = await parseWithNix(befores.map((text, i) => ({ name: `before-${i}.nix`, text })));
      befores.forEach((t, i) => parsesBefore.set(t, results[i]!.ok));
      // Only actions whose every file parsed before: what moves out of a broken file may be broken.
      const checked = batch.filter((e) => e.files.every((f) => parsesBefore.get(f.before) === true));
      const afters = checked.flatMap((e) => e.files.map((f) => ({ e, f })));
      const after = await parseWithNix(afters.map(({ f }) => ({ name: f.file, text: f.after })));
      summary.nixChecked += afters.length;
      after.forEach((res, i) => {
        if (res.ok) return;
        const { e, f } = afters[i]!;
        summary.nixFailures++;
        save('nix', e.index, { phase: `assist ${e.assist} on ${f.file}`, message: res.error ?? 'does not parse' }, {
          file: f.file,
          before: f.before,
          after: f.after,
          otherFiles: e.files.filter((o) => o !== f).map((o) => ({ file: o.file, before: o.before, after: o.after })),
        });
      });
    }
  };
  const kickNix = (): Promise<void> => {
    if (!options.nix || nixRound || !pending.length) return nixRound ?? Promise.resolve();
    nixRound = runNixRound().finally(() => {
      nixRound = null;
    });
    return nixRound;
  };

  let lastLog = performance.now();
  const onResult = (m: Extract<WorkerMessage, { type: 'result' }>): void => {
    const r: InputResult = m.result;
    summary.inputs++;
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(
        `progress: ${summary.inputs}/${n} inputs, ${summary.crashes} crashes, ${summary.failures} failures, ` +
          `${summary.timeouts} timeouts, ${summary.nixChecked} Nix-checked, ${Math.round((lastLog - t0) / 1000)} s`,
      );
    }
    summary.requests += r.requests;
    summary.divergences += r.divergences;
    summary.refused += r.refused;
    summary.applied += r.applied;
    if (r.ms > summary.slowest.ms) summary.slowest = { index: r.index, ms: r.ms };
    const extra = { files: Object.fromEntries(m.files ?? []), recipe: m.recipe ?? [] };
    // One report per distinct problem of an input: an assist that throws does so at every range.
    for (const [kind, problems] of [['crash', r.crashes], ['failure', r.failures]] as const) {
      for (const group of distinct(problems)) {
        if (kind === 'crash') summary.crashes++;
        else summary.failures++;
        save(kind, r.index, group.problem, { ...extra, occurrences: group.count, phases: group.phases.slice(0, 20) });
      }
    }
    if (options.nix) for (const e of r.edits) pending.push({ ...e, index: r.index });
  };

  let next = from;
  while (next < to) {
    // One worker until it finishes, hangs, runs out of memory or asks to be replaced.
    const stoppedAt = await new Promise<number>((resolve) => {
      const worker = new Worker(join(__dirname, 'worker.js'), {
        workerData: { seed } satisfies WorkerData,
        // The main thread's stack (V8's default, about 1 MB), where the server and the CLI run: a
        // worker's default of 4 MB would hide recursion that overflows there.
        resourceLimits: { maxOldGenerationSizeMb: 3072, stackSizeMb: 1 },
      });
      let current = next;
      let lastProgress = performance.now();
      let settled = false;
      const finish = (at: number, problem?: Problem, kind: Finding['kind'] = 'crash') => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        if (problem) {
          if (kind === 'timeout') summary.timeouts++;
          else summary.crashes++;
          summary.inputs++;
          save(kind, at, problem, {});
          at++;
        }
        void worker.terminate().then(() => resolve(at));
      };
      const sendChunk = async () => {
        if (current >= to) return finish(to);
        if (options.nix && pending.length > NIX_HIGH_WATER) await kickNix();
        else void kickNix();
        lastProgress = performance.now();
        worker.postMessage({ type: 'run', from: current, to: Math.min(to, current + CHUNK) } satisfies RunMessage);
      };
      const watchdog = setInterval(() => {
        if (performance.now() - lastProgress > timeoutMs) {
          finish(current, { phase: 'time limit', message: `input took longer than ${timeoutMs} ms` }, 'timeout');
        }
      }, Math.min(1000, timeoutMs / 4));
      worker.on('message', (m: WorkerMessage) => {
        if (settled) return;
        if (m.type === 'ready') void sendChunk();
        else if (m.type === 'result') {
          onResult(m);
          current = m.result.index + 1;
          lastProgress = performance.now();
        } else if (m.type === 'chunk-done') void sendChunk();
        else if (m.type === 'restart-me') finish(current);
      });
      worker.on('error', (e) => {
        const oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish(current, { phase: oom ? 'memory limit' : 'worker', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
      });
      worker.on('exit', (code) => {
        if (!settled) finish(current, { phase: 'worker exit', message: `the worker exited with code ${code}` });
      });
    });
    next = stoppedAt;
  }
  await kickNix();
  while (nixRound) await nixRound;
  summary.peakRssMb = peakRssMb();
  summary.wallMs = performance.now() - t0;
  return summary;
}

/** Problems grouped by what went wrong, with where (offsets left out) and how often. */
function distinct(problems: readonly Problem[]): { problem: Problem; count: number; phases: string[] }[] {
  const groups = new Map<string, { problem: Problem; count: number; phases: string[] }>();
  for (const p of problems) {
    const where = p.phase.replace(/ at \S+@\d+-\d+/g, '').replace(/@\d+/g, '').replace(/ \{.*$/, '');
    const key = `${where}\0${p.message.split('\n')[0]!.replace(/\d+/g, 'N')}`;
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.phases.push(p.phase);
    } else groups.set(key, { problem: p, count: 1, phases: [p.phase] });
  }
  return [...groups.values()];
}

/** Replays one input in this thread and prints everything it found. */
async function replay(seed: number, index: number): Promise<number> {
  const env = await fuzzEnv();
  const input = makeInput(seed, index, env);
  process.stdout.write(`input ${index} of seed ${seed}: ${input.recipe.join(', ')}\n`);
  for (const [path, text] of input.files) {
    process.stdout.write(`--- ${path} (${text.length} characters)\n${text.length > 4000 ? text.slice(0, 4000) + '\n[...]' : text}\n`);
  }
  const r = checkInput(env.parser, input, seed);
  for (const c of r.crashes) process.stdout.write(`CRASH ${c.phase}: ${c.stack ?? c.message}\n`);
  for (const f of r.failures) process.stdout.write(`FAILURE ${f.phase}: ${f.message}\n`);
  process.stdout.write(`${Math.round(r.ms)} ms, ${r.requests} requests, ${r.applied} code actions applied, ${r.edits.length} changed files\n`);
  return r.crashes.length || r.failures.length ? 1 : 0;
}

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      from: { type: 'string', default: '0' },
      nix: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '20000' },
      'crash-dir': { type: 'string' },
      only: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const int = (name: string, v: string | undefined): number => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 0) throw new Error(`--${name} wants a whole number, not '${v}'`);
    return x;
  };
  const seed = int('seed', values.seed);
  if (values.only !== undefined) return replay(seed, int('only', values.only));
  const summary = await runFuzz({
    n: int('n', values.n),
    seed,
    from: int('from', values.from),
    nix: values.nix,
    timeoutMs: int('timeout-ms', values['timeout-ms']),
    ...(values['crash-dir'] ? { crashDir: values['crash-dir'] } : {}),
    log: values.quiet ? () => {} : (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(summaryLine(summary, values.nix ?? false) + '\n');
  return summary.crashes + summary.failures + summary.timeouts + summary.nixFailures === 0 ? 0 : 1;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`fuzz: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}
