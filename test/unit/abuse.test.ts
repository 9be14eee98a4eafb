/**
 * The stdio server under abuse: whatever a client sends, every request is
 * answered (a result or an LSP error), nothing hangs, nothing crashes, and
 * memory stays bounded. Runs the real bundle (`dist/server.js --stdio`) and
 * prints its figures (peak RSS, slowest request, the 1,000-didChange burst)
 * with `t.diagnostic`. Every wait has a generous timeout as a safety net; no
 * test waits for a fixed time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  ErrorCodes,
  ExitNotification,
  LSPErrorCodes,
  ResponseError,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_WAIT_MS, TestClient, within } from '../support/lspClient.js';
import { writeWorkspace } from '../support/workspace.js';
import { dedent } from '../support/fixture.js';
import { Random } from '../bench/random.js';

/** What one request got back: its result or the LSP error it was answered with. */
type Answer = { result: unknown } | { error: { code: number; message: string } };

async function answer(client: TestClient, method: string, params?: unknown, token?: CancellationTokenSource): Promise<Answer> {
  try {
    return { result: await client.request(method, params, DEFAULT_WAIT_MS, token?.token) };
  } catch (e) {
    if (e instanceof ResponseError) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}

const isEmpty = (a: Answer) => 'result' in a && (a.result === null || (Array.isArray(a.result) && a.result.length === 0));
const show = (a: Answer) => JSON.stringify(a).slice(0, 300);

/** The requests a client sends about one place in one document. */
function requestsAt(uri: string, position: unknown, range: unknown = { start: position, end: position }): [string, unknown][] {
  const textDocument = { uri };
  return [
    ['textDocument/hover', { textDocument, position }],
    ['textDocument/completion', { textDocument, position }],
    ['textDocument/definition', { textDocument, position }],
    ['textDocument/references', { textDocument, position, context: { includeDeclaration: true } }],
    ['textDocument/codeAction', { textDocument, range, context: { diagnostics: [] } }],
    ['textDocument/documentSymbol', { textDocument }],
  ];
}

const WORKSPACE = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, ... }@inputs: {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./m.nix ];
      };
      legacy = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
    };
  }
  #- /m.nix
  { pkgs, inputs, ... }:
  let
    u = import inputs.nixpkgs-unstable { system = pkgs.system; };
  in { environment.systemPackages = [ u.hello ]; environment.etc.v.text = v.hello.name; }
`;

/**
 * What the burst types: a standalone file with three instantiations whose
 * diagnostics are known (two system/localSystem clashes and an impossible
 * RISC-V ABI), imported by nothing, so no other file's diagnostics depend on it.
 */
const TYPED = dedent(`
  let
    clash = import <nixpkgs> { system = "aarch64-linux"; localSystem = "aarch64-linux"; };
    riscv = import <nixpkgs> {
      localSystem = "x86_64-linux";
      crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "ilp32d"; };
    };
    # a comment with an astral character 😀 and an accent é
    again = import <nixpkgs> { system = "i686-linux"; localSystem = "i686-linux"; };
  in
  {
    inherit clash riscv again;
  }
`);

/** Deterministic random numbers in [0, 1), so the junk is the same on every run. */
function prng(seed: number): () => number {
  const r = new Random(seed);
  return () => r.float();
}

/**
 * 1,000 incremental changes that type TYPED from an empty document the way a
 * hurried user does: typos corrected with backspace, Enter typed as CRLF and
 * corrected, a pasted block later deleted with one multi-line range, and
 * stray edits elsewhere undone. The final text is TYPED.
 */
function typingBurst(count: number): TextDocumentContentChangeEvent[][] {
  const random = prng(8);
  let doc = TextDocument.create('file:///burst.nix', 'nix', 0, '');
  const out: TextDocumentContentChangeEvent[][] = [];
  const apply = (changes: TextDocumentContentChangeEvent[]) => {
    out.push(changes);
    doc = TextDocument.update(doc, changes, doc.version + 1);
  };
  const replace = (start: number, end: number, text: string) =>
    apply([{ range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text }]);
  const noise = ['x', '{', '"', ';', '\r\n', '😀', '${', "''", '=', ' '];
  let typed = 0;
  while (typed < TYPED.length) {
    const left = count - out.length;
    const needed = TYPED.length - typed;
    const spare = left - needed;
    const r = random();
    if (spare >= 2 && r < 0.25) {
      // A typo, then backspace.
      const at = doc.getText().length;
      const typo = noise[Math.floor(random() * noise.length)]!;
      replace(at, at, typo);
      replace(at, at + typo.length, '');
    } else if (spare >= 2 && r < 0.3) {
      // A pasted block somewhere earlier, removed with one range across its lines.
      const at = Math.floor(random() * (doc.getText().length + 1));
      const text = doc.getText();
      // Never split a surrogate pair: an editor never does.
      const safe = at > 0 && /[\uDC00-\uDFFF]/.test(text.charAt(at)) ? at - 1 : at;
      const block = 'in let x = import <nixpkgs> {\n  system = ""; }\r\n';
      replace(safe, safe, block);
      replace(safe, safe + block.length, '');
    } else {
      // Type the next character (an astral character is one keystroke, two UTF-16 units).
      const code = TYPED.codePointAt(typed)!;
      const ch = String.fromCodePoint(code);
      const at = doc.getText().length;
      replace(at, at, ch);
      typed += ch.length;
    }
  }
  // Whatever is left: select a word and retype it (the text stays TYPED).
  while (out.length < count) {
    const text = doc.getText();
    const at = text.indexOf('aarch64');
    if (count - out.length >= 2) {
      replace(at, at + 7, 'armv7l');
      replace(at, at + 6, 'aarch64');
    } else {
      replace(at, at + 1, 'a');
    }
  }
  assert.equal(doc.getText(), TYPED);
  return out;
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || String(a.code).localeCompare(String(b.code));
const summary = (p: PublishDiagnosticsParams) =>
  [...p.diagnostics].sort(byPosition).map((d) => ({ code: d.code, severity: d.severity, range: d.range, message: d.message }));

test('the stdio server under abuse answers every request, stays small and keeps the text right', { timeout: 600_000 }, async (t) => {
  const ws = writeWorkspace(WORKSPACE);
  const client = await TestClient.start(ws.root);
  const figures: string[] = [];
  try {
    const moduleUri = pathToFileURL(ws.path('m.nix')).href;
    const moduleText = readFileSync(ws.path('m.nix'), 'utf8');
    await client.log((l) => l.startsWith('indexed '));
    await client.open(moduleUri, moduleText, 1);
    await client.diagnostics(moduleUri, (p) => p.version === 1);
    const failures = () => client.logs.filter((l) => /^[\w$/.]+ failed: /.test(l));

    await t.test('requests about documents the server never saw get empty answers', async () => {
      const uris = [
        pathToFileURL(ws.path('never-opened.nix')).href,
        'file:///nonexistent/folder/x.nix',
        'untitled:Untitled-9',
        'https://example.com/flake.nix',
        'vscode-notebook-cell:/x.ipynb#cell1',
        'file://server/share/x.nix',
        'not a uri at all',
        '',
      ];
      for (const uri of uris) {
        for (const [method, params] of requestsAt(uri, { line: 0, character: 0 })) {
          const a = await answer(client, method, params);
          assert.ok(isEmpty(a), `${method} on ${JSON.stringify(uri)}: ${show(a)}`);
        }
      }
      const ws2 = await answer(client, 'workspace/symbol', { query: 'no such symbol anywhere' });
      assert.ok(isEmpty(ws2), show(ws2));
      assert.deepEqual(failures(), []);
    });

    await t.test('a closed document without a file leaves no diagnostics behind', async () => {
      const uri = 'untitled:Untitled-3';
      await client.open(uri, 'import <nixpkgs> { system = "a"; localSystem = "b"; }\n', 1);
      await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'system-and-local-system'));
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const cleared = await client.diagnostics(uri, (p) => p.diagnostics.length === 0);
      assert.equal(cleared.version, undefined);
      const symbols = await answer(client, 'workspace/symbol', { query: '' });
      assert.ok('result' in symbols && !JSON.stringify(symbols.result).includes('Untitled-3'), show(symbols));
    });

    await t.test('positions out of range (negative, beyond the end, huge) are answered without a failure', async () => {
      const lines = moduleText.split('\n').length;
      const positions = [
        { line: -1, character: 0 },
        { line: 0, character: -5 },
        { line: -2147483648, character: -2147483648 },
        { line: lines, character: 0 },
        { line: lines + 1000, character: 3 },
        { line: 0, character: 1_000_000 },
        { line: 2, character: 2147483647 },
        { line: 2147483647, character: 2147483647 },
        { line: Number.MAX_SAFE_INTEGER, character: Number.MAX_SAFE_INTEGER },
        { line: 1.5, character: 2.25 },
      ];
      for (const position of positions) {
        for (const [method, params] of requestsAt(moduleUri, position)) {
          const a = await answer(client, method, params);
          assert.ok('result' in a, `${method} at ${JSON.stringify(position)}: ${show(a)}`);
        }
      }
      // A range whose end comes before its start, and one from before the start to beyond the end.
      for (const range of [
        { start: { line: 3, character: 5 }, end: { line: 0, character: 0 } },
        { start: { line: -1, character: -1 }, end: { line: 99999, character: 99999 } },
      ]) {
        const a = await answer(client, 'textDocument/codeAction', { textDocument: { uri: moduleUri }, range, context: { diagnostics: [] } });
        assert.ok('result' in a, show(a));
      }
      // Beyond the end of a line is the end of that line: hover there equals hover at the clamped place.
      const endOfLine2 = moduleText.split('\n')[2]!.length;
      const far = await answer(client, 'textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: 2, character: 1e9 } });
      const clamped = await answer(client, 'textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: 2, character: endOfLine2 } });
      assert.deepEqual(far, clamped);
      assert.deepEqual(failures(), []);
    });

    await t.test('malformed params are answered with InvalidParams, never a crash or silence', async () => {
      const bad: [string, unknown][] = [
        ['textDocument/hover', {}],
        ['textDocument/hover', { position: { line: 0, character: 0 } }],
        ['textDocument/hover', { textDocument: 5, position: { line: 0, character: 0 } }],
        ['textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } }],
        ['textDocument/hover', { textDocument: { uri: moduleUri } }],
        ['textDocument/hover', { textDocument: { uri: moduleUri }, position: 'start' }],
        ['textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: '1', character: null } }],
        ['textDocument/completion', { textDocument: { uri: moduleUri }, position: { line: 0 } }],
        ['textDocument/completion', { textDocument: null, position: null }],
        ['textDocument/definition', { textDocument: { uri: [moduleUri] }, position: { line: 0, character: 0 } }],
        ['textDocument/references', { textDocument: { uri: moduleUri }, position: { line: 0, character: 0 } }],
        ['textDocument/codeAction', { textDocument: { uri: moduleUri } }],
        ['textDocument/codeAction', { textDocument: { uri: moduleUri }, range: { start: 0, end: 1 }, context: { diagnostics: [] } }],
        ['textDocument/codeAction', { textDocument: { uri: moduleUri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { only: 'quickfix' } }],
        ['textDocument/documentSymbol', { textDocument: {} }],
        ['textDocument/documentSymbol', []],
        ['textDocument/documentSymbol', [1, 2, 3]],
        ['workspace/symbol', { query: 5 }],
        ['workspace/symbol', {}],
        ['workspace/executeCommand', { command: 5 }],
        ['workspace/executeCommand', { command: 'nixpkgsInstances.server.hoistAll', arguments: 'not an array' }],
        ['nixpkgsInstances/overview', 'a string'],
      ];
      for (const [method, params] of bad) {
        const a = await answer(client, method, params);
        // A by-position array where a by-name object belongs is also invalid params; a handler that
        // can do something sensible with junk (overview ignores its params) may answer with a result.
        if (method === 'nixpkgsInstances/overview' || (method === 'workspace/executeCommand' && 'result' in a)) continue;
        assert.ok('error' in a && a.error.code === ErrorCodes.InvalidParams, `${method} ${JSON.stringify(params)}: ${show(a)}`);
      }
      // Requests without any params at all.
      for (const method of ['textDocument/hover', 'textDocument/codeAction', 'workspace/symbol', 'workspace/executeCommand']) {
        const a = await answer(client, method);
        assert.ok('error' in a && a.error.code === ErrorCodes.InvalidParams, `${method} without params: ${show(a)}`);
      }
      // Malformed notifications are dropped (a log line each) and change nothing.
      const ranges = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => [d.code, d.range]);
      const before = await client.diagnostics(moduleUri, (p) => p.version === 1);
      const junk: [string, unknown][] = [
        ['textDocument/didOpen', {}],
        ['textDocument/didOpen', { textDocument: { uri: moduleUri, text: 42, version: 'x' } }],
        ['textDocument/didChange', { textDocument: { uri: moduleUri, version: 99 }, contentChanges: 'all of it' }],
        ['textDocument/didChange', { textDocument: { uri: moduleUri, version: 99 }, contentChanges: [{ range: { start: 'a', end: 'b' }, text: 'junk' }] }],
        ['textDocument/didChange', { textDocument: { uri: moduleUri, version: 99 }, contentChanges: [{ text: 5 }] }],
        ['textDocument/didChange', {}],
        ['textDocument/didClose', {}],
        ['textDocument/didClose', { textDocument: { uri: 7 } }],
        ['workspace/didChangeWatchedFiles', { changes: 'none' }],
        ['workspace/didChangeWatchedFiles', { changes: [{ uri: 5, type: 'deleted' }] }],
        ['workspace/didChangeConfiguration', { settings: { nixpkgsInstances: { exclude: 'not a list', diagnostics: 5 } } }],
        ['$/cancelRequest', {}],
        ['$/cancelRequest', undefined],
        ['$/cancelRequest', null],
        ['$/cancelRequest', { id: { nested: true } }],
        ['$/setTrace', { value: 42 }],
      ];
      for (const [method, params] of junk) {
        if (params === undefined) await client.connection.sendNotification(method);
        else await client.connection.sendNotification(method, params);
      }
      // The module's text is intact: renaming `u` to `v` (same length; the body names `v` too, so the
      // binding stays used) keeps every diagnostic where it was.
      await client.change(moduleUri, 2, [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 3 } }, text: 'v' }]);
      const after = await client.diagnostics(moduleUri, (p) => p.version === 2);
      assert.deepEqual(ranges(after), ranges(before));
      const symbols = await answer(client, 'textDocument/documentSymbol', { textDocument: { uri: moduleUri } });
      assert.ok('result' in symbols, show(symbols));
      assert.deepEqual(
        (symbols.result as { name: string; selectionRange: unknown }[]).map((x) => [x.name, x.selectionRange]),
        [['v', { start: { line: 2, character: 2 }, end: { line: 2, character: 3 } }]],
      );
      const hover = await answer(client, 'textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: 2, character: 2 } });
      assert.match(show(hover), /nixpkgs-unstable/);
      assert.ok(client.logs.filter((l) => l.startsWith('ignored a malformed ')).length >= 10, client.logs.join('\n'));
    });

    await t.test('unknown methods: requests get MethodNotFound, notifications are ignored', async () => {
      for (const method of ['textDocument/noSuchThing', 'nixpkgsInstances/noSuchThing', '$/noSuchThing', 'rpc.discover', '']) {
        const a = await answer(client, method, { textDocument: { uri: moduleUri } });
        assert.ok('error' in a && a.error.code === ErrorCodes.MethodNotFound, `${method}: ${show(a)}`);
      }
      for (const method of ['textDocument/noSuchThing', '$/noSuchThing', 'custom/notice']) await client.connection.sendNotification(method, { x: 1 });
      const still = await answer(client, 'textDocument/documentSymbol', { textDocument: { uri: moduleUri } });
      assert.ok('result' in still && Array.isArray(still.result) && still.result.length > 0, show(still));
    });

    await t.test('cancelled requests are answered with a result or RequestCancelled', async () => {
      const asked: Promise<[string, Answer]>[] = [];
      for (let i = 0; i < 40; i++) {
        for (const [method, params] of [
          ...requestsAt(moduleUri, { line: 2, character: 2 + (i % 5) }),
          ['workspace/symbol', { query: 'u' }] as [string, unknown],
          ['nixpkgsInstances/overview', {}] as [string, unknown],
        ]) {
          const source = new CancellationTokenSource();
          asked.push(answer(client, method, params, source).then((a) => [method, a]));
          // $/cancelRequest right after the request.
          source.cancel();
        }
      }
      const answers = await within(Promise.all(asked), DEFAULT_WAIT_MS, 'answers to every cancelled request');
      let cancelled = 0;
      for (const [method, a] of answers) {
        if ('error' in a) {
          assert.equal(a.error.code, LSPErrorCodes.RequestCancelled, `${method}: ${show(a)}`);
          cancelled++;
        }
      }
      figures.push(`cancelled requests: ${answers.length} sent, ${cancelled} answered RequestCancelled, ${answers.length - cancelled} with a result`);
      // A cancel for a request that was already answered, or never existed, is harmless.
      await client.connection.sendNotification('$/cancelRequest', { id: 999_999 });
      const fine = await answer(client, 'textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: 2, character: 2 } });
      assert.ok('result' in fine, show(fine));
    });

    await t.test('1,000 didChange notifications within a second: the final diagnostics match the final text', async () => {
      const uri = pathToFileURL(ws.path('typed.nix')).href;
      const burst = typingBurst(1000);
      await client.open(uri, '', 0);
      await client.diagnostics(uri, (p) => p.version === 0);
      const publishedBefore = client.published.length;
      const started = performance.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < burst.length; i++) sent.push(client.change(uri, i + 1, burst[i] as never));
      await Promise.all(sent);
      const sendMs = performance.now() - started;
      assert.ok(sendMs < 1000, `sending 1,000 changes took ${sendMs.toFixed(0)} ms`);
      // A request sent after the burst is answered after every change has been applied.
      const symbols = await answer(client, 'textDocument/documentSymbol', { textDocument: { uri } });
      const appliedMs = performance.now() - started;
      const final = await client.diagnostics(uri, (p) => p.version === burst.length);
      const publishedMs = performance.now() - started;
      assert.ok('result' in symbols && Array.isArray(symbols.result), show(symbols));
      assert.deepEqual(
        (symbols.result as { name: string }[]).map((s) => s.name),
        ['clash', 'riscv', 'again'],
        client.logs.join('\n'),
      );
      // The known diagnostics of the final text, at their places.
      const lines = TYPED.split('\n');
      const where = (code: string) =>
        final.diagnostics.filter((d) => d.code === code).map((d) => [d.range.start.line, lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character)]);
      assert.deepEqual(where('system-and-local-system').map(([l]) => l), [1, 7], JSON.stringify(final.diagnostics));
      assert.deepEqual(where('invalid-cross-system').map(([l]) => l), [4], JSON.stringify(final.diagnostics));
      // Typing sent only the typed file: nothing else's diagnostics changed, so nothing else was sent.
      const during = client.published.slice(publishedBefore);
      assert.deepEqual([...new Set(during.map((p) => p.uri))], [uri]);
      assert.ok(during.length <= 5, `${during.length} publishes for one burst`);
      // A fresh server that only ever saw the final text agrees exactly.
      const fresh = await TestClient.start(ws.root);
      try {
        await fresh.log((l) => l.startsWith('indexed '));
        await fresh.open(uri, TYPED, 1);
        const expected = await fresh.diagnostics(uri, (p) => p.version === 1);
        assert.deepEqual(summary(final), summary(expected));
      } finally {
        assert.equal(await fresh.stop(), 0);
      }
      figures.push(
        `1,000 didChange: sent in ${sendMs.toFixed(0)} ms, all applied ${appliedMs.toFixed(0)} ms after the first, final diagnostics ${publishedMs.toFixed(0)} ms after the first (${during.length} publish${during.length === 1 ? '' : 'es'})`,
      );
    });

    await t.test('a 50 MB document is refused with one log line and never hangs the server', async () => {
      const uri = pathToFileURL(ws.path('generated.nix')).href;
      const line = '  p%d = import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; };\n';
      const parts: string[] = ['{\n'];
      let size = 2;
      for (let i = 0; size < 50 * 1024 * 1024; i++) {
        const l = line.replace('%d', String(i));
        parts.push(l);
        size += l.length;
      }
      parts.push('}\n');
      const huge = parts.join('');
      const started = performance.now();
      await client.open(uri, huge, 1);
      const symbols = await answer(client, 'textDocument/documentSymbol', { textDocument: { uri } });
      const openMs = performance.now() - started;
      assert.ok(isEmpty(symbols), show(symbols));
      for (const [method, params] of requestsAt(uri, { line: 1000, character: 10 })) {
        const a = await answer(client, method, params);
        assert.ok(isEmpty(a), `${method}: ${show(a)}`);
      }
      // Incremental changes to it are followed (not analysed), and requests stay fast.
      for (let v = 2; v < 12; v++) {
        await client.change(uri, v, [{ range: { start: { line: v * 1000, character: 2 }, end: { line: v * 1000, character: 3 } }, text: 'q' }]);
      }
      const cleared = await client.diagnostics(uri, (p) => p.version !== undefined && p.version >= 1);
      assert.deepEqual(cleared.diagnostics, []);
      assert.equal(client.logs.filter((l) => l.includes('generated.nix')).length, 1, client.logs.filter((l) => l.includes('generated.nix')).join('\n'));
      assert.match(client.logs.find((l) => l.includes('generated.nix'))!, /10 MiB/);
      // Cut down to its first three lines (one edit): now it is analysed, from the text the edits made.
      const lastLine = parts.length;
      await client.change(uri, 12, [{ range: { start: { line: 3, character: 0 }, end: { line: lastLine, character: 0 } }, text: '}\n' }]);
      const small = await client.diagnostics(uri, (p) => p.version === 12);
      assert.deepEqual(
        small.diagnostics.filter((d) => d.code === 'system-and-local-system').map((d) => d.range.start.line),
        [1, 2],
      );
      // And refused again when it grows past the limit.
      await client.change(uri, 13, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: huge.slice(0, 11 * 1024 * 1024) }]);
      const refused = await client.diagnostics(uri, (p) => p.version === 13);
      assert.deepEqual(refused.diagnostics, []);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      const ok = await answer(client, 'textDocument/hover', { textDocument: { uri: moduleUri }, position: { line: 2, character: 2 } });
      assert.ok('result' in ok, show(ok));
      figures.push(`50 MB didOpen: refused and the next request answered after ${openMs.toFixed(0)} ms`);
    });

    const peak = client.peakRssKiB();
    const slowest = client.slowest()!;
    figures.push(`requests: ${client.timings.length}, slowest ${slowest.method} ${slowest.ms.toFixed(0)} ms`);
    figures.push(`server peak RSS (VmHWM): ${(peak / 1024).toFixed(0)} MiB`);
    for (const f of figures) t.diagnostic(f);
    // Bounded: the 50 MB message itself is held a few times over while it is read, never the analysis of it.
    assert.ok(peak < 1024 * 1024, `peak RSS ${(peak / 1024).toFixed(0)} MiB`);
    assert.ok(slowest.ms < 10_000, `${slowest.method} took ${slowest.ms.toFixed(0)} ms`);
    assert.deepEqual(client.protocolErrors, []);
    assert.deepEqual(failures(), []);
    assert.equal(await client.stop(), 0);
  } catch (e) {
    // What the server said last helps more than a timeout.
    for (const line of [...client.logs.slice(-10), ...client.stderr.slice(-10)]) t.diagnostic(`server: ${line.slice(0, 500)}`);
    throw e;
  } finally {
    client.kill();
    ws.dispose();
  }
});

test('exit without shutdown ends the server with code 1; a closed stdin ends it too', { timeout: 60_000 }, async () => {
  const a = await TestClient.start(null);
  await a.open('untitled:x', 'import <nixpkgs> {}');
  await a.connection.sendNotification(ExitNotification.type);
  assert.equal(await within(a.exited, DEFAULT_WAIT_MS, 'exit after exit'), 1);
  a.connection.dispose();

  const b = await TestClient.start(null);
  b.proc.stdin!.end();
  assert.equal(await within(b.exited, DEFAULT_WAIT_MS, 'exit after stdin closed'), 1);
  b.connection.dispose();
});

test('requests are answered while a large workspace is being indexed', { timeout: 300_000 }, async (t) => {
  // 3,000 module files, each instantiating nixpkgs: long enough to index that requests land mid-way.
  const files: Record<string, string> = {
    '/flake.nix': '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05"; outputs = { nixpkgs, ... }: { }; }\n',
  };
  const ws = writeWorkspace(files);
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(ws.root, `hosts${d}`));
    for (let i = 0; i < 100; i++) {
      writeFileSync(
        join(ws.root, `hosts${d}`, `m${i}.nix`),
        `{ pkgs, inputs, ... }:\nlet\n  u${i} = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = ${i % 2 ? 'true' : 'false'}; };\nin { environment.systemPackages = [ u${i}.hello ]; }\n`,
      );
    }
  }
  const client = await TestClient.start(ws.root);
  try {
    const uri = pathToFileURL(join(ws.root, 'hosts0', 'm1.nix')).href;
    const text = readFileSync(join(ws.root, 'hosts0', 'm1.nix'), 'utf8');
    await client.open(uri, text, 1);
    const started = performance.now();
    let indexedAt = Infinity;
    void client.log((l) => l.startsWith('indexed ')).then(() => (indexedAt = performance.now()));
    const hover = await answer(client, 'textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 2 } });
    const hoverAt = performance.now();
    const symbols = await answer(client, 'textDocument/documentSymbol', { textDocument: { uri } });
    // A code action waits for the whole workspace (its edits must be right for it); cancelled, it answers at once.
    const source = new CancellationTokenSource();
    const pending = answer(client, 'textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 2 } }, context: { diagnostics: [] } }, source);
    const action = answer(client, 'textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 2 } }, context: { diagnostics: [] } });
    source.cancel();
    const cancelled = await pending;
    const cancelledAt = performance.now();
    assert.ok('result' in hover && hover.result !== null, show(hover));
    assert.ok('result' in symbols && Array.isArray(symbols.result) && symbols.result.length === 1, show(symbols));
    assert.ok(hoverAt < indexedAt, 'the hover was answered only after indexing');
    assert.ok(cancelledAt < indexedAt, 'the cancelled code action was answered only after indexing');
    assert.ok('error' in cancelled && cancelled.error.code === LSPErrorCodes.RequestCancelled, show(cancelled));
    const actions = await action;
    // Answered once the index was complete (the log line comes first on the same stream).
    assert.ok(performance.now() >= indexedAt, 'the code action was answered before indexing ended');
    assert.ok('result' in actions && Array.isArray(actions.result) && actions.result.length > 0, show(actions));
    await client.log((l) => l.startsWith('indexed 3001 files'));
    t.diagnostic(`indexing 3,001 files: hover answered after ${(hoverAt - started).toFixed(0)} ms, indexing done after ${(indexedAt - started).toFixed(0)} ms`);
    t.diagnostic(`slowest request during indexing: ${client.slowest()!.method} ${client.slowest()!.ms.toFixed(0)} ms; peak RSS ${(client.peakRssKiB() / 1024).toFixed(0)} MiB`);
    assert.equal(await client.stop(), 0);
  } catch (e) {
    // What the server said last helps more than a timeout.
    for (const line of [...client.logs.slice(-10), ...client.stderr.slice(-10)]) t.diagnostic(`server: ${line.slice(0, 500)}`);
    throw e;
  } finally {
    client.kill();
    ws.dispose();
  }
});
