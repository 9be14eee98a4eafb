/**
 * The editing session benchmark, run in a fresh process by bench.ts:
 *   node session.js ROOT MODULES vscode|plain
 * Starts `dist/server.js --stdio` on ROOT (instances.ts: MODULES module files,
 * one instance each) as a client like VS Code (`vscode`: it resolves code
 * actions and asks for the light bulb with triggerKind Automatic) or a plain
 * one (`plain`: no resolve, no trigger kind, so every action comes with its
 * edit, Hoist all included, as every request cost before code actions
 * resolved), waits for the index, then opens ten modules one after
 * the other and in each asks, as an editor does while the cursor moves,
 * `textDocument/codeAction` on every line (automatic, as for the light bulb),
 * the Source Action menu once, completion after `pkgs.` and hover on the
 * instance, `pkgs` and `inputs`; `vscode` also resolves the hoist quick fix. Prints the round trips in ms as JSON.
 *
 *   node session.js --first-diagnostics ROOT
 * Times a server from spawning it to its first `publishDiagnostics` (and to its
 * "indexed" log line) on ROOT.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, CodeAction, Command } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient.js';

export interface SessionResult {
  modules: number;
  resolve: boolean;
  indexedMs: number;
  /** codeAction round trips: the first after each didOpen (a new revision), and the others. */
  codeActionFirstMs: number[];
  codeActionMs: number[];
  resolveMs: number[];
  /** The Source Action menu (`only: ["source"]`): Hoist all, planned once per revision. */
  sourceMenuMs: number[];
  completionMs: number[];
  hoverMs: number[];
  /** What the hoist-all action said, to show it was planned. */
  hoistAll: string | null;
}

export interface FirstDiagnosticsResult {
  indexedMs: number;
  firstDiagnosticsMs: number;
}

const VS_CODE_LIKE: ClientCapabilities = {
  workspace: { didChangeWatchedFiles: { dynamicRegistration: false } },
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    codeAction: { dataSupport: true, resolveSupport: { properties: ['edit'] } },
  },
};

const NO_RESOLVE: ClientCapabilities = {
  workspace: { didChangeWatchedFiles: { dynamicRegistration: false } },
  textDocument: { completion: { completionItem: { snippetSupport: true } } },
};

const WAIT = 600_000;

async function timed<T>(out: number[], f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await f();
  out.push(performance.now() - t);
  return r;
}

async function session(root: string, modules: number, resolve: boolean): Promise<SessionResult> {
  const started = performance.now();
  const client = await TestClient.start(root, { capabilities: resolve ? VS_CODE_LIKE : NO_RESOLVE });
  const trigger = resolve ? { triggerKind: 2 } : {};
  const result: SessionResult = {
    modules,
    resolve,
    indexedMs: 0,
    codeActionFirstMs: [],
    codeActionMs: [],
    resolveMs: [],
    sourceMenuMs: [],
    completionMs: [],
    hoverMs: [],
    hoistAll: null,
  };
  try {
    await client.log((l) => l.startsWith('indexed '), WAIT);
    result.indexedMs = performance.now() - started;
    for (let i = 0; i < 10; i++) {
      const k = (i * Math.floor(modules / 10) + 1) % modules;
      const path = join(root, 'modules', `m${k}.nix`);
      const uri = pathToFileURL(path).href;
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n');
      await client.open(uri, text, 1);
      await client.diagnostics(uri, (p) => p.version === 1, WAIT);
      const textDocument = { uri };
      for (let line = 0; line < lines.length; line++) {
        const at = { line, character: Math.min(4, lines[line]!.length) };
        const actions = await timed(line === 0 ? result.codeActionFirstMs : result.codeActionMs, () =>
          // As VS Code asks for the light bulb on every cursor move: automatically (triggerKind 2).
          client.request<(CodeAction | Command)[]>('textDocument/codeAction', { textDocument, range: { start: at, end: at }, context: { diagnostics: [], ...trigger } }, WAIT),
        );
        if (resolve && actions.some((a) => 'kind' in a && a.kind === 'source')) throw new Error('a source action in an automatic request');
      }
      // The Source Action menu: asked for by the user, with only: ["source"].
      const sources = await timed(result.sourceMenuMs, () =>
        client.request<CodeAction[]>('textDocument/codeAction', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source'], triggerKind: 1 } }, WAIT),
      );
      result.hoistAll = sources.find((a) => a.kind === 'source')?.title ?? null;
      const instance = lines.findIndex((l) => l.includes('= import inputs.'));
      const column = lines[instance]!.indexOf('import') + 2;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument,
        range: { start: { line: instance, character: column }, end: { line: instance, character: column } },
        context: { diagnostics: [], ...trigger },
      });
      const hoist = actions.find((a) => a.kind === 'quickfix' && a.title.startsWith('Hoist'));
      if (resolve && hoist) await timed(result.resolveMs, () => client.request('codeAction/resolve', hoist, WAIT));
      const packages = lines.findIndex((l) => l.includes('pkgs.git'));
      const places = [
        { line: instance, character: lines[instance]!.indexOf('import') + 2 },
        { line: 0, character: 12 },
        { line: instance, character: lines[instance]!.indexOf('inputs.') + 2 },
      ];
      for (let n = 0; n < 4; n++) {
        await timed(result.completionMs, () =>
          client.request('textDocument/completion', { textDocument, position: { line: packages, character: lines[packages]!.indexOf('pkgs.git') + 5 } }, WAIT),
        );
        for (const position of places) await timed(result.hoverMs, () => client.request('textDocument/hover', { textDocument, position }, WAIT));
      }
      await client.connection.sendNotification('textDocument/didClose', { textDocument });
    }
  } finally {
    await client.stop().catch(() => client.kill());
  }
  return result;
}

async function firstDiagnostics(root: string): Promise<FirstDiagnosticsResult> {
  const started = performance.now();
  const client = await TestClient.start(root, { capabilities: VS_CODE_LIKE });
  try {
    await client.log((l) => l.startsWith('indexed '), WAIT);
    const indexedMs = performance.now() - started;
    // Published after the debounce that follows the index: poll the client's record of them.
    while (client.published.length === 0) await new Promise((r) => setTimeout(r, 2));
    return { indexedMs, firstDiagnosticsMs: performance.now() - started };
  } finally {
    await client.stop().catch(() => client.kill());
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args[0] === '--first-diagnostics' ? await firstDiagnostics(args[1]!) : await session(args[0]!, Number(args[1]), args[2] === 'vscode');
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
