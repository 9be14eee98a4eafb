/**
 * The editing benchmark, run in a fresh process by bench.ts:
 *   node incremental.js ROOT EDIT_TARGET EDITS SEED [PROFILE_FILE]
 * Loads the whole workspace into one `Analysis` (timing the phases of a cold
 * index on the way: read, parse and extract, workspace model, diagnostics),
 * opens EDIT_TARGET (relative to ROOT) as a document and applies EDITS
 * one-line edits, each followed by asking for that file's diagnostics, as the
 * language server does after a keystroke. Each edit changes one value on one
 * line (a number, a boolean, a string), among them the arguments of the
 * file's own nixpkgs instance. Prints the figures as JSON. With PROFILE_FILE,
 * the edits (only they) are CPU-profiled into that file.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { Analysis } from '../../server/src/ide/analysis.js';
import { loadWorkspace, toPosix } from '../../server/src/node/loader.js';
import { parserLocation } from '../../server/src/node/paths.js';
import { NixParser } from '../../server/src/syntax/parser.js';
import { Random } from './random.js';

export interface IncrementalResult {
  files: number;
  bytes: number;
  phasesMs: { parserInit: number; read: number; parseAndExtract: number; workspaceModel: number; diagnostics: number; openDocument: number };
  memory: { rssBytes: number; heapUsedBytes: number; externalBytes: number };
  target: { path: string; lines: number; diagnostics: number };
  /** Per edit, in ms: the whole step, `changeDocument` alone and `diagnosticsFor` alone. */
  editsMs: { total: number[]; change: number[]; diagnostics: number[] };
  /** How many of the edits took the typing fast path (kept the facts and the model). */
  fastEdits: number;
}

/** `name = value;` on one line, with a value an edit can change in place. */
const EDITABLE = /^(\s*[A-Za-z_"][A-Za-z0-9_.'"-]* = )(true|false|\d+|"[^"\\$]*")(;\s*)$/;

function changed(value: string): string {
  if (value === 'true') return 'false';
  if (value === 'false') return 'true';
  if (/^\d+$/.test(value)) return String(Number(value) + 1);
  return value.endsWith('x"') ? value.slice(0, -2) + '"' : value.slice(0, -1) + 'x"';
}

async function main(): Promise<void> {
  const [root, rel, editsArg, seedArg, profileFile] = process.argv.slice(2);
  const edits = Number(editsArg);
  const random = new Random(Number(seedArg));
  const now = (): number => performance.now();

  let t = now();
  const parser = await NixParser.create(parserLocation());
  const parserInit = now() - t;
  t = now();
  const { files } = await loadWorkspace(root);
  const read = now() - t;
  const analysis = new Analysis(parser);
  t = now();
  for (const f of files) analysis.setFile(f.path, f.text);
  const parseAndExtract = now() - t;
  t = now();
  analysis.workspace();
  const workspaceModel = now() - t;
  t = now();
  analysis.allDiagnostics();
  const diagnostics = now() - t;
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  files.length = 0;
  const mem = process.memoryUsage();

  const path = toPosix(join(root, rel));
  const initial = analysis.documentText(path);
  if (initial === undefined) throw new Error(`${path} is not in the workspace`);
  t = now();
  analysis.openDocument(path, initial);
  const before = analysis.diagnosticsFor(path);
  const openDocument = now() - t;

  const lines = initial.split('\n');
  const editable = lines.map((l, i) => (EDITABLE.test(l) ? i : -1)).filter((i) => i >= 0);
  if (editable.length === 0) throw new Error(`${rel} has no line an edit can change`);
  const result: IncrementalResult = {
    files: analysis.paths().length,
    bytes,
    phasesMs: { parserInit, read, parseAndExtract, workspaceModel, diagnostics, openDocument },
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, externalBytes: mem.external },
    target: { path: rel, lines: lines.length - (initial.endsWith('\n') ? 1 : 0), diagnostics: before.length },
    editsMs: { total: [], change: [], diagnostics: [] },
    fastEdits: 0,
  };
  const session = profileFile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
  }
  for (let k = 0; k < edits; k++) {
    const text = analysis.documentText(path)!;
    const lineNo = random.pick(editable);
    let start = 0;
    for (let i = 0; i < lineNo; i++) start = text.indexOf('\n', start) + 1;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end);
    const m = EDITABLE.exec(line);
    if (!m) throw new Error(`line ${lineNo + 1} is no longer editable: ${line}`);
    const replacement = m[1] + changed(m[2]) + m[3];
    const t0 = now();
    analysis.changeDocument(path, [{ start, end, text: replacement }]);
    const t1 = now();
    analysis.diagnosticsFor(path);
    const t2 = now();
    result.editsMs.total.push(t2 - t0);
    result.editsMs.change.push(t1 - t0);
    result.editsMs.diagnostics.push(t2 - t1);
  }
  if (session && profileFile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  result.fastEdits = analysis.fastEdits;
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
