/**
 * Worker threads that parse files for indexing (index-worker.ts): the texts go out in
 * batches, the facts (plain data) come back, and the caller hands them to the analysis in
 * file order. Threads, not processes: the server starts none. Where workers cannot run (no
 * worker script next to the program, a worker that fails to start or dies), `start` answers
 * null or `submit` rejects, each with the reason logged once, and the caller parses on its
 * own thread: the facts are the same either way.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../ide/index/facts.js';
import type { ParserLocation } from '../syntax/parser.js';

export interface IndexWorkerData {
  location: ParserLocation;
}

export interface IndexJob {
  id: number;
  path: string;
  text: string;
}

/** A job's answer: its facts, or why the text was refused (`ParseRefused`), or the error extraction threw. */
export type IndexOutcome =
  | { id: number; facts: FileFacts }
  | { id: number; refused: string; tooLarge: boolean }
  | { id: number; error: string };

/** The worker script: next to the bundle (dist/index-worker.js) or to this file (out/…/node/). */
export const WORKER_SCRIPT = join(__dirname, 'index-worker.js');

/** How many workers by default: one per core, at most 4 (each holds a parser and its own heap). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A batch goes out once it holds this many characters or files. */
const BATCH_CHARS = 64 * 1024;
const BATCH_FILES = 16;

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered, by id. */
  inFlight: Map<number, { resolve: (o: IndexOutcome) => void; reject: (e: Error) => void }>;
  alive: boolean;
}

let flagsSet = false;

export class IndexPool {
  private readonly slots: Slot[] = [];
  private batch: IndexJob[] = [];
  private batchChars = 0;
  private batchWaiters: Slot['inFlight'] = new Map();
  private nextId = 0;

  private constructor(private readonly log: (line: string) => void) {}

  /** A pool of `size` workers, or null (with the reason logged) when workers cannot run here. */
  static start(size: number, location: ParserLocation, log: (line: string) => void, script = WORKER_SCRIPT): IndexPool | null {
    if (size < 1) return null;
    if (!existsSync(script)) {
      log(`indexing on one thread: no worker script at ${script}`);
      return null;
    }
    if (!flagsSet) {
      // Node 20 can deadlock a worker in NodePlatform::DrainTasks when a concurrent optimising
      // compile waits for a foreground task (nodejs/node#54918; see test/fuzz/fuzz.ts): compile
      // on each thread itself. V8 flags are per process, set before the first worker starts.
      setFlagsFromString('--no-concurrent-recompilation');
      flagsSet = true;
    }
    const pool = new IndexPool(log);
    try {
      for (let i = 0; i < size; i++) pool.spawn(script, { location } satisfies IndexWorkerData);
    } catch (e) {
      log(`indexing on one thread: cannot start a worker thread: ${(e as Error).message}`);
      void pool.close();
      return null;
    }
    return pool;
  }

  private spawn(script: string, workerData: IndexWorkerData): void {
    // A worker's garbage is one file's nodes at a time: a young generation of 4 MB (V8's default is
    // 16 MB per semi-space) keeps each worker some 12 MB smaller for the same time (peak RSS of the
    // real-shaped workspace 293 MB -> 267 MB with two workers).
    const worker = new Worker(script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const slot: Slot = { worker, inFlight: new Map(), alive: true };
    this.slots.push(slot);
    const lose = (why: string) => {
      if (!slot.alive) return;
      slot.alive = false;
      this.log(`indexing worker stopped (${why}): its files are parsed on the main thread`);
      const lost = new Error(why);
      for (const w of slot.inFlight.values()) w.reject(lost);
      slot.inFlight.clear();
      void worker.terminate();
    };
    worker.on('message', (m: IndexOutcome[] | { ready: true } | { failed: string }) => {
      if (!Array.isArray(m)) {
        if ('failed' in m) lose(m.failed);
        return;
      }
      for (const o of m) {
        const w = slot.inFlight.get(o.id);
        slot.inFlight.delete(o.id);
        w?.resolve(o);
      }
    });
    worker.on('error', (e) => lose(e.message));
    worker.on('exit', (code) => lose(`exit code ${code}`));
  }

  /** Whether a worker is still running. */
  get usable(): boolean {
    return this.slots.some((s) => s.alive);
  }

  /** Queues a text for parsing; the promise rejects when the worker holding it stops. */
  submit(path: string, text: string): Promise<IndexOutcome> {
    const id = this.nextId++;
    const answer = new Promise<IndexOutcome>((resolve, reject) => this.batchWaiters.set(id, { resolve, reject }));
    this.batch.push({ id, path, text });
    this.batchChars += text.length;
    if (this.batchChars >= BATCH_CHARS || this.batch.length >= BATCH_FILES) this.flush();
    return answer;
  }

  /** Sends the jobs queued so far to the least busy worker. */
  flush(): void {
    if (this.batch.length === 0) return;
    const jobs = this.batch;
    const waiters = this.batchWaiters;
    this.batch = [];
    this.batchChars = 0;
    this.batchWaiters = new Map();
    let slot: Slot | null = null;
    for (const s of this.slots) if (s.alive && (slot === null || s.inFlight.size < slot.inFlight.size)) slot = s;
    if (slot === null) {
      const lost = new Error('no indexing worker is running');
      for (const w of waiters.values()) w.reject(lost);
      return;
    }
    for (const [id, w] of waiters) slot.inFlight.set(id, w);
    slot.worker.postMessage(jobs);
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const s of slots) s.alive = false;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
