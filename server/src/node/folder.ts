/**
 * A workspace folder into an `Analysis`, the same way for the command line and
 * the language server: the analysis reads closed files back from disk when it
 * dropped their text, and refuses text the grammar's lexer would take minutes
 * over; indexing reads every `.nix` file below the folder (leaving out the
 * `exclude` globs), hands each to the analysis, and reports every file left
 * out with its reason: unread by the loader (binary, too large, unreadable, …)
 * or refused by the parser (too slow or too large to parse). The flake.lock
 * beside each flake.nix is read too (an unusable one is left out likewise).
 */
import { Analysis, parsesFile } from '../ide/analysis.js';
import type { FileFacts } from '../ide/index/facts.js';
import { parseCostProblem } from '../syntax/cost.js';
import { NixParser, ParseRefused } from '../syntax/parser.js';
import { excluder, loadLockBeside, loadWorkspace, readNixFile, type SkippedFile } from './loader.js';
import { parserLocation } from './paths.js';
import { defaultWorkers, IndexPool, type IndexOutcome } from './pool.js';

/** An analysis of files on disk, with the grammar next to the bundle (or in the repository). */
export async function diskAnalysis(): Promise<Analysis> {
  return new Analysis(
    await NixParser.create(parserLocation()),
    (p) => {
      const r = readNixFile(p);
      return 'text' in r ? r.text : undefined;
    },
    // Text the grammar's lexer would take minutes over is skipped with its reason.
    parseCostProblem,
  );
}

export interface IndexOptions {
  /** `nixpkgsInstances.exclude` / `--exclude` globs, relative to the folder. */
  exclude?: readonly string[];
  /** Files whose disk text must not replace what the analysis holds (documents open in an editor). */
  keep?: (path: string) => boolean;
  /** Lets an event loop breathe (see `loadWorkspace`). */
  yieldAfterMs?: number;
  /** Checked before each file: once true the walk stops (a newer indexing run took over). */
  stop?: () => boolean;
  /** Called once per file handed to the analysis, with how many so far. */
  progress?: (files: number) => void;
  /** Called for each flake.nix without a flake.lock beside it (not locked yet: not a problem of a check). */
  noLock?: (flake: string) => void;
  /**
   * Worker threads that parse (default: one per core, at most 4; 0 parses on this thread).
   * They start only for a folder with more than a few dozen files to parse.
   */
  workers?: number;
  /** How many files are parsed on this thread before the workers start (default 64). */
  workersAfter?: number;
  /** The worker script (default: index-worker.js beside this code); for tests of a missing or failing one. */
  workerScript?: string;
  /** Where to say that workers could not be used and the files are parsed on this thread. */
  log?: (line: string) => void;
}

export interface Indexed {
  /** Files read and analysed. */
  files: number;
  /** Files left out, each with its reason: unread first, then refused by the parser, then unusable flake.lock files. */
  skipped: SkippedFile[];
  /** Files whose facts came from worker threads. */
  onWorkers: number;
  /** Whether `stop` ended the walk early. */
  stopped: boolean;
  ms: number;
}

/** Files parsed on the main thread before workers start: a small folder never starts them. */
const WORKERS_AFTER = 64;
/** Files read ahead of the analysis at most (their texts wait in memory for their facts). */
const MAX_AHEAD = 512;

/** One file read, waiting for its turn: files reach the analysis in the order they were read. */
interface Pending {
  path: string;
  text: string;
  done: boolean;
  /** The facts a worker computed (or its refusal, thrown); undefined: setFile parses here. */
  compute?: () => FileFacts;
}

/** The answer of a worker as `setFile`'s `compute`: the facts, or the refusal or error, thrown as on this thread. */
function fromWorker(o: IndexOutcome): () => FileFacts {
  if ('facts' in o) return () => o.facts;
  if ('refused' in o) return () => {
    throw new ParseRefused(o.refused, o.tooLarge);
  };
  return () => {
    throw new Error(o.error);
  };
}

/** Reads every `.nix` file below `root` into `analysis`. */
export async function indexFolder(analysis: Analysis, root: string, options: IndexOptions = {}): Promise<Indexed> {
  const started = Date.now();
  const exclude = excluder(options.exclude ?? []);
  // Files read but not analysed; kept apart from the loader's list, which exists only once the walk ends.
  const refused: SkippedFile[] = [];
  let handed = 0;
  const flakes: string[] = [];
  const workers = options.workers ?? defaultWorkers();
  const log = options.log ?? (() => {});
  let pool: IndexPool | null = null;
  let poolTried = false;
  let parsedHere = 0;
  let onWorkers = 0;
  const order: Pending[] = [];
  let resume: (() => void) | null = null;
  let idle: (() => void) | null = null;
  const apply = (p: Pending): void => {
    try {
      analysis.setFile(p.path, p.text, p.compute);
    } catch (e) {
      // A refused text says why itself ("too slow to parse: …", "too large to parse: …").
      refused.push({ path: p.path, reason: e instanceof ParseRefused ? e.message : `could not be analysed: ${(e as Error).message}` });
    }
    options.progress?.(++handed);
  };
  const drain = (): void => {
    while (order.length && order[0]!.done) apply(order.shift()!);
    if (resume && order.length <= MAX_AHEAD / 2) {
      const r = resume;
      resume = null;
      r();
    }
    if (idle && order.length === 0) idle();
  };
  try {
    const { count, skipped, stopped } = await loadWorkspace(root, {
      ...(exclude ? { exclude } : {}),
      ...(options.yieldAfterMs !== undefined ? { yieldAfterMs: options.yieldAfterMs } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
      onFile: (f) => {
        if (f.path.endsWith('/flake.nix')) flakes.push(f.path);
        if (options.keep?.(f.path)) return;
        const p: Pending = { path: f.path, text: f.text, done: true };
        if (parsesFile(f.path, f.text) && !analysis.isOpen(f.path) && ++parsedHere > (options.workersAfter ?? WORKERS_AFTER)) {
          if (!poolTried) {
            poolTried = true;
            pool = IndexPool.start(workers, parserLocation(), log, options.workerScript);
          }
          if (pool?.usable) {
            p.done = false;
            pool.submit(f.path, f.text).then(
              (o) => {
                onWorkers++;
                p.compute = fromWorker(o);
                p.done = true;
                drain();
              },
              // The worker stopped: this file is parsed here.
              () => {
                p.done = true;
                drain();
              },
            );
          }
        }
        order.push(p);
        drain();
        if (order.length < MAX_AHEAD) return;
        (pool as IndexPool | null)?.flush();
        return new Promise<void>((r) => (resume = r));
      },
    });
    if (order.length) {
      (pool as IndexPool | null)?.flush();
      await new Promise<void>((r) => (idle = r));
    }
    // The flake.lock beside each flake.nix: one that cannot be used is skipped like a file.
    const locks: SkippedFile[] = [];
    if (!stopped) {
      for (const flake of flakes) {
        const r = loadLockBeside(analysis, flake);
        if (r === null) options.noLock?.(flake);
        else if (r.skip !== null) locks.push({ path: r.path, reason: r.skip });
      }
    }
    return { files: count - refused.length, skipped: [...skipped, ...refused, ...locks], onWorkers, stopped, ms: Date.now() - started };
  } finally {
    await (pool as IndexPool | null)?.close();
  }
}
