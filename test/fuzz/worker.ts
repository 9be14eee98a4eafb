/**
 * The fuzz worker thread: builds inputs and checks them, one result message
 * per input. It runs apart from the main thread so that an input that hangs
 * or exhausts memory can be stopped (the worker is terminated and a fresh one
 * continues with the next input) and reported instead of stopping the run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkInput, type InputResult } from './check.js';
import { fuzzEnv } from './env.js';
import { makeInput } from './mutate.js';

export interface WorkerData {
  seed: number;
}

/** Main → worker: check inputs `from` (included) to `to` (excluded). */
export interface RunMessage {
  type: 'run';
  from: number;
  to: number;
}

/** Worker → main. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; result: InputResult; files?: [string, string][]; recipe?: string[] }
  | { type: 'chunk-done'; to: number }
  /** The last crash came from inside the WebAssembly parser: a fresh worker (and wasm instance) continues. */
  | { type: 'restart-me' };

/** Errors after which the parser's wasm memory cannot be trusted any more. */
const WASM_FAULT = /RuntimeError|memory access out of bounds|unreachable|Aborted/;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('fuzz worker started outside a worker thread');
  const { seed } = workerData as WorkerData;
  const env = await fuzzEnv();
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: RunMessage) => {
    for (let i = m.from; i < m.to; i++) {
      let result: InputResult;
      let files: [string, string][] | undefined;
      let recipe: string[] | undefined;
      try {
        const input = makeInput(seed, i, env);
        result = checkInput(env.parser, input, seed);
        if (result.crashes.length || result.failures.length) {
          files = [...input.files];
          recipe = input.recipe;
        }
      } catch (e) {
        // makeInput uses the parser too; a throw there is a harness bug or a parser fault.
        const err = e as Error;
        result = {
          index: i,
          ms: 0,
          crashes: [{ phase: 'making the input', message: err.message, ...(err.stack ? { stack: err.stack } : {}) }],
          failures: [],
          applied: 0,
          edits: [],
          requests: 0,
          divergences: 0,
          refused: 0,
        };
      }
      post({ type: 'result', result, ...(files ? { files } : {}), ...(recipe ? { recipe } : {}) });
      if (result.crashes.some((c) => WASM_FAULT.test(`${c.message}\n${c.stack ?? ''}`))) {
        post({ type: 'restart-me' });
        return;
      }
    }
    post({ type: 'chunk-done', to: m.to });
  });
  post({ type: 'ready' });
}

void main();
