/**
 * An indexing worker thread (see pool.ts): parses the texts it is sent and answers with
 * their facts, plain data, never trees. It runs `parseFacts` with the same screen the
 * adapters give the analysis (`parseCostProblem`), so its facts are the ones `Analysis.setFile`
 * would compute on the main thread. Bundled as dist/index-worker.js beside cli.js and server.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseFacts } from '../ide/analysis.js';
import { parseCostProblem } from '../syntax/cost.js';
import { NixParser, ParseRefused, type ParserLocation } from '../syntax/parser.js';
import type { IndexJob, IndexOutcome, IndexWorkerData } from './pool.js';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = workerData as IndexWorkerData;
  let parser: NixParser;
  try {
    parser = await NixParser.create(data.location as ParserLocation);
  } catch (e) {
    port.postMessage({ failed: `cannot load the parser: ${(e as Error).message}` });
    return;
  }
  port.on('message', (jobs: IndexJob[]) => {
    const out: IndexOutcome[] = jobs.map((job) => {
      try {
        return { id: job.id, facts: parseFacts(parser, parseCostProblem, job.path, job.text) };
      } catch (e) {
        return e instanceof ParseRefused ? { id: job.id, refused: e.message, tooLarge: e.tooLarge } : { id: job.id, error: (e as Error).message };
      }
    });
    port.postMessage(out);
  });
  port.postMessage({ ready: true });
}

void serve();
