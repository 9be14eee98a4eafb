/**
 * Hostile workspaces: binary and non-UTF-8 files and names, files over the size limit and
 * text the parser cannot afford, 20,000-deep nesting, symlink loops and dangling links,
 * FIFOs, sockets and unreadable files, files deleted while being indexed, a `result` link
 * into a Nix store, and 100,000 files. What a user relies on is checked: each skipped file
 * is reported once with its exact reason, the summary counts are right, and the valid
 * files beside the hostile ones are still indexed with their diagnostics. Every tree is
 * built in a fresh temporary folder and removed afterwards. No test waits for a fixed
 * time; CLI runs have a generous timeout so that a hang fails the test instead of
 * blocking the runner (spawnSync blocks the event loop).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analysis } from '../../server/src/ide/analysis.js';
import { completion, definition, documentSymbols, hover, references } from '../../server/src/ide/features/index.js';
import { OpenDocuments } from '../../server/src/lsp/documents.js';
import { loadWorkspace, MAX_FILE_BYTES, readNixFile, type LoadedFile } from '../../server/src/node/loader.js';
import { parseCostProblem } from '../../server/src/syntax/cost.js';
import { ParseRefused } from '../../server/src/syntax/parser.js';
import { dedent, testParser } from '../support/fixture.js';
import { TestClient } from '../support/lspClient.js';
import { REPO_ROOT } from '../support/workspace.js';
import { Random } from '../bench/random.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const isRoot = process.getuid?.() === 0;

interface TempTree {
  root: string;
  path(rel: string): string;
  write(rel: string, content: string | Buffer): string;
  /** Makes a file or folder unreadable (chmod 000), undone before removal. */
  lock(path: string): void;
  dispose(): void;
}

/** A fresh temporary folder. */
function tempTree(): TempTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'nixpkgs-instances-hostile-')));
  const path = (rel: string) => join(root, rel);
  const locked: string[] = [];
  return {
    root,
    path,
    write(rel, content) {
      const full = path(rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    lock(p) {
      chmodSync(p, 0o000);
      locked.push(p);
    },
    dispose() {
      for (const p of locked) chmodSync(p, 0o755);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mkfifo: ${r.stderr}`);
}

/** Listens on a UNIX socket at `path` (a socket named .nix); close it after the run. */
function socketAt(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd = REPO_ROOT): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 28 });
  assert.equal(r.signal, null, `the CLI did not finish (${r.signal}); stderr:\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Report {
  files: number;
  instances: { file: string; createsInstance: boolean }[];
  diagnostics: { file: string; code: string; severity: string; range: { start: { line: number; character: number } } }[];
  skipped: { file: string; reason: string }[];
}

/** `check --format json`: the exit code, the report, and stderr (the skipped lines and the summary, as in text). */
function checkJson(root: string): { code: number | null; doc: Report; stderr: string } {
  const r = cli(['check', '--format', 'json', root]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
const sortedSkips = (doc: Report) => [...doc.skipped].sort(byFile);
const diagnosticsOf = (doc: Report) => doc.diagnostics.map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`).sort();
/** The `skipped FILE: REASON` lines of a text-format run's stderr, sorted. */
const skipLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('skipped ')).sort();
const summaryLine = (stderr: string) => stderr.trimEnd().split('\n').at(-1);

/**
 * The valid part of every hostile workspace: a flake whose host module creates its own
 * instance (one warning, so the CLI exits 1).
 */
const VALID: Record<string, string> = {
  'flake.nix': dedent(`
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        nixosConfigurations.host = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./modules/host.nix ];
        };
        nixosConfigurations.spare = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          modules = [ ./modules/host.nix ];
        };
      };
    }
  `),
  'modules/host.nix': dedent(`
    { pkgs, inputs, ... }:
    let
      unstable = import inputs.nixpkgs { system = pkgs.system; config.allowUnfree = true; };
    in
    { environment.systemPackages = [ unstable.hello ]; }
  `),
};
const VALID_DIAGNOSTIC = 'modules/host.nix:3:14 instance-in-module';

function writeValid(tree: TempTree): void {
  for (const [rel, text] of Object.entries(VALID)) tree.write(rel, text);
}

/** A standalone file with one known error: `system` and `localSystem` both given (at 1:20). */
const CLASH = 'import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; }\n';
/** The same error in an instance of its own (no `duplicate-instance` when several files have one). */
const clash = (name: string) => CLASH.replace(' }', ` config.name = "${name}"; }`);

/** Deterministic random numbers in [0, 1), so the junk is the same on every run. */
function prng(seed: number): () => number {
  const r = new Random(seed);
  return () => r.float();
}

test('binary junk and files or names that are not UTF-8 are skipped once each with their reason; the flake beside them is still checked', () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    const random = prng(7);
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(random() * 256);
    junk[100] = 0;
    tree.write('junk.nix', junk);
    tree.write('nul.nix', Buffer.concat([Buffer.from(CLASH), Buffer.from([0])]));
    tree.write('utf16.nix', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLASH, 'utf16le')]));
    tree.write('latin1.nix', Buffer.from('{ name = "caf\xe9"; p = import <nixpkgs> { }; }\n', 'latin1'));
    tree.write('surrogate.nix', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22, 0x0a]));
    tree.write('overlong.nix', Buffer.from([0x22, 0xc0, 0xaf, 0x22, 0x0a]));
    tree.write('truncated.nix', Buffer.concat([Buffer.from('"costs 5 '), Buffer.from([0xe2, 0x82])]));
    // A UTF-8 byte order mark is dropped, and positions do not count it.
    tree.write('bom.nix', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CLASH)]));
    // Names that are not UTF-8: a file, and a folder holding a file.
    writeFileSync(Buffer.from(tree.path('caf\xe9.nix'), 'latin1'), CLASH);
    mkdirSync(Buffer.from(tree.path('d\xe9j\xe0'), 'latin1'));
    writeFileSync(Buffer.concat([Buffer.from(tree.path('d\xe9j\xe0'), 'latin1'), Buffer.from('/inner.nix')]), CLASH);

    const { code, doc, stderr } = checkJson(tree.root);
    assert.equal(code, 1, stderr);
    assert.deepEqual(sortedSkips(doc), [
      { file: 'caf\ufffd.nix', reason: 'file name is not valid UTF-8' },
      { file: 'd\ufffdj\ufffd', reason: 'folder name is not valid UTF-8' },
      { file: 'junk.nix', reason: 'binary file (contains NUL bytes)' },
      { file: 'latin1.nix', reason: 'not valid UTF-8' },
      { file: 'nul.nix', reason: 'binary file (contains NUL bytes)' },
      { file: 'overlong.nix', reason: 'not valid UTF-8' },
      { file: 'surrogate.nix', reason: 'not valid UTF-8' },
      { file: 'truncated.nix', reason: 'not valid UTF-8' },
      { file: 'utf16.nix', reason: 'binary file (contains NUL bytes)' },
    ]);
    assert.equal(doc.files, 3);
    assert.deepEqual(diagnosticsOf(doc), ['bom.nix:1:20 system-and-local-system', VALID_DIAGNOSTIC]);

    const text = cli(['check', tree.root], tree.root);
    assert.equal(text.code, 1);
    assert.deepEqual(
      skipLines(text.stderr),
      sortedSkips(doc).map((s) => `skipped ${s.file}: ${s.reason}`),
    );
    assert.equal(text.stderr.split('\n').filter((l) => l !== '').length, 9 + 1, 'one line per skipped file and the summary');
    assert.equal(summaryLine(text.stderr), '3 files, 2 instances, 1 error, 1 warning, 9 skipped');
  } finally {
    tree.dispose();
  }
});

/** Text of exactly `bytes` bytes made of lines that each instantiate nixpkgs (with an error). */
function instanceLines(bytes: number): string {
  const parts: string[] = ['{\n'];
  let size = 2;
  for (let i = 0; ; i++) {
    const line = `  p${i} = import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; };\n`;
    if (size + line.length + 3 > bytes) break;
    parts.push(line);
    size += line.length;
  }
  parts.push('#'.repeat(bytes - size - 3), '\n}\n');
  const text = parts.join('');
  assert.equal(Buffer.byteLength(text), bytes);
  return text;
}

test('a 50 MB file and one byte over 10 MiB are skipped unread; a file of exactly 10 MiB is analysed', { timeout: 300_000 }, () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    tree.write('generated/huge.nix', instanceLines(50 * 1024 * 1024));
    tree.write('generated/over.nix', '#'.repeat(MAX_FILE_BYTES - CLASH.length + 1) + CLASH);
    // At the limit: one comment token and an instance, cheap to parse.
    tree.write('generated/limit.nix', '#'.repeat(MAX_FILE_BYTES - CLASH.length - 1) + '\n' + CLASH);
    const { code, doc } = checkJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(sortedSkips(doc), [
      { file: 'generated/huge.nix', reason: 'larger than 10 MiB (52428800 bytes)' },
      { file: 'generated/over.nix', reason: 'larger than 10 MiB (10485761 bytes)' },
    ]);
    assert.equal(doc.files, 3);
    assert.deepEqual(diagnosticsOf(doc), ['generated/limit.nix:2:20 system-and-local-system', VALID_DIAGNOSTIC]);
  } finally {
    tree.dispose();
  }
});

test('a 50 MB text in memory: refused as an open document with one log line, analysed once cut down', async () => {
  const analysis = new Analysis(await testParser());
  const logs: string[] = [];
  const docs = new OpenDocuments(analysis, (line) => logs.push(line));
  const huge = instanceLines(50 * 1024 * 1024);
  docs.open('/ws/huge.nix', 1, huge);
  assert.deepEqual(logs, [
    'not analysing /ws/huge.nix while it is open: 52428800 characters is over the 10 MiB limit for open documents',
  ]);
  assert.equal(analysis.documentText('/ws/huge.nix'), undefined);
  assert.deepEqual(analysis.allDiagnostics(), []);
  const ctx = analysis.featureContext();
  assert.deepEqual(completion(ctx, '/ws/huge.nix', 100), []);
  assert.equal(hover(ctx, '/ws/huge.nix', 100), null);
  assert.deepEqual(documentSymbols(ctx, '/ws/huge.nix'), []);
  // Ten edits in the middle are followed without a further line.
  for (let v = 2; v < 12; v++) {
    docs.change('/ws/huge.nix', v, [{ range: { start: { line: v * 1000, character: 2 }, end: { line: v * 1000, character: 3 } }, text: 'q' }]);
  }
  assert.equal(logs.length, 1);
  // Cut to its first two instances: analysed, from the text the edits left.
  docs.change('/ws/huge.nix', 12, [{ range: { start: { line: 3, character: 0 }, end: { line: 10_000_000, character: 0 } }, text: '}\n' }]);
  const small = huge.slice(0, huge.indexOf('\n  p2 ') + 1) + '}\n';
  assert.equal(analysis.documentText('/ws/huge.nix'), small);
  assert.equal(logs[1], `analysing /ws/huge.nix again: now ${small.length} characters, within the 10 MiB limit for open documents and cheap to parse`);
  assert.deepEqual(
    analysis.diagnosticsFor('/ws/huge.nix').filter((d) => d.code === 'system-and-local-system').map((d) => d.range.start.line),
    [1, 2],
  );
  assert.equal(logs.length, 2);
});

/** The real instance each deep file starts with, and the variable the nesting ends in. */
const DEEP_PRELUDE = 'let p = import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; }; in\n';
const DEPTH = 20_000;

/**
 * 20,000 levels of each kind of nesting around `p`: [before, after]. Operators and
 * applications that nest to the left (`1 + 1 + … + p`, `f f … p`) are deepest at their
 * start, and `p` is near the top: see LEFT_NESTED.
 */
const NESTINGS: Record<string, [string, string]> = {
  parentheses: ['('.repeat(DEPTH), ')'.repeat(DEPTH)],
  lists: ['[ '.repeat(DEPTH), ' ]'.repeat(DEPTH)],
  attrsets: ['{ a = '.repeat(DEPTH), '; }'.repeat(DEPTH)],
  'rec-attrsets': ['rec { a = '.repeat(DEPTH), '; }'.repeat(DEPTH)],
  lets: ['let a = 1; in '.repeat(DEPTH), ''],
  lambdas: ['x: '.repeat(DEPTH), ''],
  'formals-lambdas': ['{ x ? 1 }: '.repeat(DEPTH), ''],
  ifs: ['if true then 1 else '.repeat(DEPTH), ''],
  withs: ['with a; '.repeat(DEPTH), ''],
  interpolations: ['"${'.repeat(DEPTH), '}"'.repeat(DEPTH)],
  'update-operators': ['{ } // '.repeat(DEPTH), ''],
  'binary-operators': ['1 + '.repeat(DEPTH), ''],
  applications: ['f '.repeat(DEPTH), ''],
  // Never closed: a syntax error 20,000 levels down.
  unclosed: ['('.repeat(DEPTH), ''],
};

const LEFT_NESTED = new Set(['binary-operators', 'applications']);
const BOTH_WAYS = new Set(['parentheses', 'lists', 'attrsets', 'lets', 'lambdas']);

function deepText(before: string, after: string): string {
  return `${DEEP_PRELUDE}${before}p${after}\n`;
}

test('20,000-deep nesting of every kind: the instance before it is indexed, the file is marked partial, and every feature answers at its start, middle and end', { timeout: 300_000 }, async () => {
  const parser = await testParser();
  const at = (text: string, needle: string) => text.indexOf(needle);
  for (const [kind, [before, after]] of Object.entries(NESTINGS)) {
    const file = `/ws/${kind}.nix`;
    const text = deepText(before, after);
    const analysis = new Analysis(parser);
    analysis.setFile(file, text);
    const model = analysis.workspace();
    assert.equal(
      model.files.get(file)!.facts.partial,
      kind === 'unclosed' ? 'syntax errors' : 'nesting deeper than 1000 levels was not analysed',
      kind,
    );
    assert.deepEqual(
      model.instances.map((i) => [i.range.start.line, i.range.start.character, i.site.name]),
      [[0, 8, 'p']],
      kind,
    );
    assert.deepEqual(
      analysis.allDiagnostics().map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`),
      ['0:27 system-and-local-system'],
      kind,
    );
    const atP = DEEP_PRELUDE.length + before.length;
    // Closed, features parse the text; open (as in the editor), they use the document's
    // incremental tree. The five kinds the issue names are tried both ways, the others open.
    for (const open of BOTH_WAYS.has(kind) ? [false, true] : [true]) {
      if (open) analysis.openDocument(file, text);
      const where = `${kind} (${open ? 'open' : 'closed'})`;
      const ctx = analysis.featureContext();
      const errors: string[] = [];
      const assistsAt = (offset: number) =>
        analysis.assists(file, { start: offset, end: offset }, (id, e) => errors.push(`${id} at ${offset}: ${String(e)}`));
      assert.deepEqual(documentSymbols(ctx, file).map((s) => s.name), ['p'], where);
      // At the start of the file (before `let`) and near it, everything works as in any file.
      assert.deepEqual(completion(ctx, file, 0), [], where);
      assert.equal(hover(ctx, file, 0), null, where);
      assert.deepEqual(assistsAt(0), [], where);
      assert.match(hover(ctx, file, at(text, 'import') + 2)?.contents ?? '', /^\*\*nixpkgs instance `p`\*\*/, where);
      // `p` at the end is found where it is not nested deeper than analysis looks. (Unclosed, the
      // `let` does not parse as one: there is no scope to search.)
      assert.deepEqual(
        references(ctx, file, 4, true).map((l) => `${l.range.start.line}:${l.range.start.character}`),
        kind === 'unclosed' ? [] : LEFT_NESTED.has(kind) ? ['0:4', `1:${before.length}`] : ['0:4'],
        where,
      );
      assert.ok(completion(ctx, file, at(text, 'system')).length > 0, where);
      const remove = assistsAt(at(text, 'system') + 1).find((a) => a.id === 'remove-system-arg');
      assert.ok(remove, `${where}: remove-system-arg offered`);
      assert.equal(remove.edit().files.size, 1, where);
      if (LEFT_NESTED.has(kind)) {
        // `p` is near the top: answered as anywhere else (references were checked above).
        for (const offset of [atP, text.length]) {
          completion(ctx, file, offset);
          assert.equal(hover(ctx, file, offset), null, where);
          assert.deepEqual(definition(ctx, file, offset), [], where);
          assistsAt(offset);
        }
      }
      // Where the nesting begins, half-way in, at `p` 20,000 levels down and at the end of the
      // file: nothing to offer, nothing thrown, in time linear in the depth (no walk up with `.parent`).
      const inside = [DEEP_PRELUDE.length + 1, DEEP_PRELUDE.length + Math.floor(before.length / 2)];
      for (const offset of LEFT_NESTED.has(kind) ? inside : [...inside, atP, text.length]) {
        const place = `${where} at ${offset}`;
        // Right after the first `{` of a set (`{ a = …`, `{ } // …`), a binding can go: the instance snippets, as in any set.
        const bindingPlace = (kind === 'attrsets' || kind === 'update-operators') && offset === inside[0];
        assert.deepEqual(
          completion(ctx, file, offset).map((i) => i.label),
          bindingPlace
            ? ['nixpkgs-riscv64', 'nixpkgs-riscv64-musl', 'nixpkgs-riscv64-embedded', 'nixpkgs-riscv32', 'nixpkgs-riscv64-emulated', 'pkgscross-riscv64', 'nixpkgs-overlays']
            : [],
          place,
        );
        assert.equal(hover(ctx, file, offset), null, place);
        assert.deepEqual(definition(ctx, file, offset), [], place);
        assert.deepEqual(references(ctx, file, offset, true), [], place);
        assert.deepEqual(assistsAt(offset).map((a) => a.id), [], place);
      }
      assert.deepEqual(errors, [], where);
    }
  }
});

test('the CLI over 20,000-deep files: every file indexed, nothing skipped, each instance before the nesting reported', { timeout: 300_000 }, () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    for (const [kind, [before, after]] of Object.entries(NESTINGS)) {
      tree.write(`deep/${kind}.nix`, deepText(before, after).replace(' };', ` config.name = "${kind}"; };`));
    }
    const { code, doc } = checkJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(doc.skipped, []);
    assert.equal(doc.files, 2 + Object.keys(NESTINGS).length);
    assert.deepEqual(
      diagnosticsOf(doc),
      [...Object.keys(NESTINGS).map((kind) => `deep/${kind}.nix:1:28 system-and-local-system`), VALID_DIAGNOSTIC].sort(),
    );
  } finally {
    tree.dispose();
  }
});

/**
 * Text the grammar's lexer takes quadratic time over (see syntax/cost.ts): 40,000
 * characters of `p.a.a…` took 14 s to parse, so the 200,000 here would take six minutes.
 */
const SLOW_TO_PARSE: Record<string, [string, string]> = {
  'select-chain.nix': [`{ x = p${'.a'.repeat(100_000)}; q = ${CLASH.trim()}; }\n`, 'too slow to parse: 200001 characters without a space or delimiter at line 1'],
  'sum.nix': [`${CLASH.trim()} // {\n  x = ${'1+'.repeat(50_000)}1;\n}\n`, 'too slow to parse: 100001 characters without a space or delimiter at line 2'],
  'dashes.nix': [`[ ${CLASH.trim()} ${'-'.repeat(30_000)}x ]\n`, 'too slow to parse: 30001 characters without a space or delimiter at line 1'],
  'comments.nix': [`${CLASH.trim()} ${'/* a '.repeat(20_000)}\n`, 'too slow to parse: 20000 unterminated /* comments'],
};

test('text the lexer would take minutes over is refused with its reason; the same characters in strings and comments are analysed', { timeout: 300_000 }, async () => {
  const parser = await testParser();
  // As the CLI and the server build it: closed files are screened before they are parsed.
  const screened = () => new Analysis(parser, undefined, parseCostProblem);
  for (const [name, [text, reason]] of Object.entries(SLOW_TO_PARSE)) {
    assert.equal(parseCostProblem(text), reason, name);
    const analysis = screened();
    // What a file held before must not survive it becoming unparsable.
    analysis.setFile(`/ws/${name}`, CLASH);
    assert.throws(() => analysis.setFile(`/ws/${name}`, text), (e: unknown) => e instanceof ParseRefused && e.message === reason, name);
    assert.deepEqual(analysis.paths(), [], name);
    assert.deepEqual(analysis.allDiagnostics(), [], name);
  }
  // In strings, indented strings and comments these runs cost the lexer nothing.
  const run = 'p' + '.a'.repeat(100_000);
  const cheap = [
    `{ s = "${run}"; q = ${CLASH.trim()}; }\n`,
    `{ s = ''\n  ${run}\n''; q = ${CLASH.trim()}; }\n`,
    `# ${run}\n${CLASH}`,
    `/* ${run} */ ${CLASH}`,
    `{ s = "\${"nested ${run}"}"; q = ${CLASH.trim()}; }\n`,
  ];
  for (const text of cheap) {
    assert.equal(parseCostProblem(text), null, text.slice(0, 20));
    const analysis = screened();
    analysis.setFile('/ws/cheap.nix', text);
    assert.deepEqual(analysis.allDiagnostics().map((d) => d.code), ['system-and-local-system'], text.slice(0, 20));
  }
});

test('the CLI skips text too slow or too large to parse with one line each, and the files after it are still analysed', { timeout: 300_000 }, () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    for (const [name, [text]] of Object.entries(SLOW_TO_PARSE)) tree.write(`slow/${name}`, text);
    // 10 MiB whose syntax tree would not fit in the parser's 2 GiB of memory: parsing it
    // aborted the wasm module after 9 s, and every file after it then failed to parse.
    const half = Math.floor((MAX_FILE_BYTES - CLASH.length) / 2);
    tree.write('aaa/dense.nix', `${CLASH}${'('.repeat(half)}${')'.repeat(half)}`);
    tree.write('zzz/after.nix', CLASH);
    const r = cli(['check', tree.root], tree.root);
    assert.equal(r.code, 1, r.stderr);
    const lines = skipLines(r.stderr);
    assert.equal(lines.length, 5, r.stderr);
    assert.match(lines[0]!, /^skipped aaa\/dense\.nix: too large to parse: (the parser would run out of memory|over 15000000 parser operations)$/);
    assert.deepEqual(
      lines.slice(1),
      Object.entries(SLOW_TO_PARSE).map(([name, [, reason]]) => `skipped slow/${name}: ${reason}`).sort(),
    );
    assert.equal(summaryLine(r.stderr), '3 files, 2 instances, 1 error, 1 warning, 5 skipped');
    assert.match(r.stdout, /^zzz\/after\.nix:1:20: error system-and-local-system: /m);
  } finally {
    tree.dispose();
  }
});

test('an open document that becomes too slow to parse is refused with one line, and analysed again once it is not', async () => {
  const analysis = new Analysis(await testParser());
  const logs: string[] = [];
  const docs = new OpenDocuments(analysis, (line) => logs.push(line));
  const uri = '/ws/doc.nix';
  const base = `{ q = ${CLASH.trim()}; x = p; }\n`;
  const xAt = base.indexOf('p; }');
  const pos = (offset: number) => ({ line: 0, character: offset });
  const codes = () => analysis.diagnosticsFor(uri).map((d) => d.code);
  docs.open(uri, 1, base);
  assert.deepEqual(codes(), ['system-and-local-system']);
  // Pasting a 200,000-character select chain: an incremental edit, refused before parsing.
  const chain = '.a'.repeat(100_000);
  docs.change(uri, 2, [{ range: { start: pos(xAt + 1), end: pos(xAt + 1) }, text: chain }]);
  assert.deepEqual(logs, [`not analysing ${uri} while it is open: too slow to parse: 200001 characters without a space or delimiter at line 1`]);
  assert.equal(analysis.documentText(uri), undefined);
  assert.deepEqual(analysis.allDiagnostics(), []);
  // Typing while refused: followed, no further line.
  docs.change(uri, 3, [{ range: { start: pos(0), end: pos(0) }, text: ' ' }]);
  assert.equal(logs.length, 1);
  // Undoing the paste: analysed again, from the text the edits made.
  docs.change(uri, 4, [{ range: { start: pos(xAt + 2), end: pos(xAt + 2 + chain.length) }, text: '' }]);
  assert.match(logs[1]!, /^analysing \/ws\/doc\.nix again: /);
  assert.equal(analysis.documentText(uri), ' ' + base);
  assert.deepEqual(codes(), ['system-and-local-system']);

  // A long run inside a string is cheap; deleting the quote that opens the string makes it code.
  const quoted = `{ q = ${CLASH.trim()}; s = "${'p' + chain}"; }\n`;
  docs.open(uri, 5, quoted);
  assert.deepEqual(codes(), ['system-and-local-system']);
  assert.equal(logs.length, 2);
  const quote = quoted.indexOf('"p.a');
  docs.change(uri, 6, [{ range: { start: pos(quote), end: pos(quote + 1) }, text: '' }]);
  assert.deepEqual(logs.slice(2), [`not analysing ${uri} while it is open: too slow to parse: 200001 characters without a space or delimiter at line 1`]);
  // Typing the quote back: analysed again.
  docs.change(uri, 7, [{ range: { start: pos(quote), end: pos(quote) }, text: '"' }]);
  assert.equal(logs.length, 4);
  assert.deepEqual(codes(), ['system-and-local-system']);
  assert.equal(analysis.documentText(uri), quoted);
  // Typing inside the string's long run joins it, but it is still in a string: analysed.
  docs.change(uri, 8, [{ range: { start: pos(quote + 1000), end: pos(quote + 1000) }, text: 'xyz' }]);
  assert.equal(logs.length, 4);
  assert.equal(analysis.documentText(uri), quoted.slice(0, quote + 1000) + 'xyz' + quoted.slice(quote + 1000));
  assert.deepEqual(codes(), ['system-and-local-system']);
});

test('symlink loops and dangling links are reported once each; directory links (loops, links outside) are not followed', () => {
  const tree = tempTree();
  const outside = tempTree();
  try {
    writeValid(tree);
    tree.write('lib/extra.nix', CLASH);
    symlinkSync('b.nix', tree.path('a.nix'));
    symlinkSync('a.nix', tree.path('b.nix'));
    symlinkSync('self.nix', tree.path('self.nix'));
    symlinkSync('nowhere.nix', tree.path('dangling.nix'));
    symlinkSync(join('..', 'missing', 'x.nix'), tree.path('lib/dangling-up.nix'));
    // A folder linking to its parent and to the root: a walk that followed them would never end.
    symlinkSync('..', tree.path('lib/parent'));
    symlinkSync(tree.root, tree.path('lib/root'));
    // A file link inside the folder is read (under its own name); links to files or folders outside are not.
    symlinkSync(join('lib', 'extra.nix'), tree.path('linked.nix'));
    outside.write('secret.nix', CLASH);
    symlinkSync(outside.path('secret.nix'), tree.path('outside.nix'));
    symlinkSync(outside.root, tree.path('elsewhere'));
    symlinkSync('modules', tree.path('folder-link.nix'));

    const { code, doc } = checkJson(tree.root);
    assert.equal(code, 1);
    assert.deepEqual(sortedSkips(doc), [
      { file: 'a.nix', reason: 'symbolic link loop' },
      { file: 'b.nix', reason: 'symbolic link loop' },
      { file: 'dangling.nix', reason: 'dangling symbolic link' },
      { file: 'lib/dangling-up.nix', reason: 'dangling symbolic link' },
      { file: 'self.nix', reason: 'symbolic link loop' },
    ]);
    assert.equal(doc.files, 4);
    // The linked file is read under both names, so its instance is checked twice. Nothing the
    // flake evaluates names either, so the two are not duplicates of each other.
    assert.deepEqual(diagnosticsOf(doc), [
      'lib/extra.nix:1:20 system-and-local-system',
      'linked.nix:1:20 system-and-local-system',
      VALID_DIAGNOSTIC,
    ]);
  } finally {
    tree.dispose();
    outside.dispose();
  }
});

test('FIFOs and sockets named .nix are reported and never opened; unreadable files and folders are reported; a folder named .nix is a folder', async () => {
  const tree = tempTree();
  let socket: Server | null = null;
  try {
    writeValid(tree);
    tree.write('x.nix/inner.nix', clash('inner'));
    mkfifo(tree.path('y.nix'));
    socket = await socketAt(tree.path('s.nix'));
    tree.write('secret.nix', clash('secret'));
    tree.write('locked/hidden.nix', clash('hidden'));
    tree.lock(tree.path('secret.nix'));
    tree.lock(tree.path('locked'));
    // The file watcher's path reads single files: a FIFO must not block it either.
    assert.deepEqual(readNixFile(tree.path('y.nix')), { skip: 'not a regular file' });

    const { code, doc } = checkJson(tree.root);
    assert.equal(code, 1);
    const special = [
      { file: 's.nix', reason: 'not a regular file (socket)' },
      { file: 'y.nix', reason: 'not a regular file (FIFO)' },
    ];
    if (isRoot) {
      // Permissions do not stop root: the files are read like any other.
      assert.deepEqual(sortedSkips(doc), special);
      assert.equal(doc.files, 5);
      assert.deepEqual(diagnosticsOf(doc), [
        'locked/hidden.nix:1:20 system-and-local-system',
        VALID_DIAGNOSTIC,
        'secret.nix:1:20 system-and-local-system',
        'x.nix/inner.nix:1:20 system-and-local-system',
      ]);
    } else {
      assert.deepEqual(sortedSkips(doc), [
        { file: 'locked', reason: 'cannot read folder: EACCES' },
        ...special.slice(0, 1),
        { file: 'secret.nix', reason: 'cannot read: EACCES' },
        ...special.slice(1),
      ]);
      assert.equal(doc.files, 3);
      assert.deepEqual(diagnosticsOf(doc), [VALID_DIAGNOSTIC, 'x.nix/inner.nix:1:20 system-and-local-system']);
    }
  } finally {
    await new Promise((resolve) => (socket ? socket.close(resolve) : resolve(undefined)));
    tree.dispose();
  }
});

test('files deleted, or replaced by a FIFO or a folder, while the workspace is read are reported, and the rest is indexed', async () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    for (const name of ['a', 'b', 'c', 'd', 'e']) tree.write(`hosts/${name}.nix`, clash(name));
    const analysis = new Analysis(await testParser());
    const seen: string[] = [];
    const { count, skipped } = await loadWorkspace(tree.root, {
      onFile: (f: LoadedFile) => {
        seen.push(f.path.slice(tree.root.length + 1));
        if (f.path.endsWith('hosts/a.nix')) {
          unlinkSync(tree.path('hosts/b.nix'));
          unlinkSync(tree.path('hosts/c.nix'));
          mkfifo(tree.path('hosts/c.nix'));
          unlinkSync(tree.path('hosts/d.nix'));
          mkdirSync(tree.path('hosts/d.nix'));
          // A folder not yet walked is gone too (folders are walked first, so this one is already listed).
          rmSync(tree.path('modules'), { recursive: true });
        }
        analysis.setFile(f.path, f.text);
      },
    });
    assert.deepEqual(seen, ['flake.nix', 'hosts/a.nix', 'hosts/e.nix']);
    assert.equal(count, 3);
    assert.deepEqual(
      skipped.map((s) => [s.path.slice(tree.root.length + 1), s.reason]),
      [
        ['hosts/b.nix', 'deleted while reading'],
        ['hosts/c.nix', 'not a regular file'],
        ['hosts/d.nix', 'not a regular file'],
        ['modules/host.nix', 'deleted while reading'],
      ],
    );
    assert.deepEqual(
      analysis.allDiagnostics().map((d) => `${d.file.slice(tree.root.length + 1)} ${d.code}`).sort(),
      ['hosts/a.nix system-and-local-system', 'hosts/e.nix system-and-local-system'],
    );
  } finally {
    tree.dispose();
  }
});

test('a `result` link into a Nix store is not entered: nothing in the store is indexed or reported', () => {
  const tree = tempTree();
  const store = tempTree();
  try {
    writeValid(tree);
    // A system closure's worth of .nix files, each with problems that would show if it were read.
    const system = '0123456789abcdfghijklmnpqrsvwxyz-nixos-system-host-24.05';
    for (let i = 0; i < 500; i++) store.write(`${system}/sw/share/nix/pkg${i}/default.nix`, 'import <nixpkgs> { }\n');
    store.write(`${system}/configuration.nix`, CLASH);
    symlinkSync(store.path(system), tree.path('result'));
    symlinkSync(store.path(system), tree.path('result-1'));
    symlinkSync(store.path(`${system}/configuration.nix`), tree.path('result.nix'));

    const { code, doc, stderr } = checkJson(tree.root);
    assert.equal(code, 1);
    assert.equal(stderr, '2 files, 1 instance, 1 warning\n');
    assert.deepEqual(doc.skipped, []);
    assert.equal(doc.files, 2);
    assert.deepEqual(diagnosticsOf(doc), [VALID_DIAGNOSTIC]);
  } finally {
    tree.dispose();
    store.dispose();
  }
});

test('100,000 files: all indexed, the instances among them found, the summary right', { timeout: 600_000 }, (t) => {
  const tree = tempTree();
  try {
    writeValid(tree);
    // 100 folders of 1,000 package files; every 250th instantiates nixpkgs with an error (the same
    // instance each time; nothing the flake evaluates names them, so they are not duplicates).
    let written = 2;
    let clashes = 0;
    for (let d = 0; written < 100_000; d++) {
      const dir = tree.path(`pkgs/group-${d}`);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 1000 && written < 100_000; i++, written++) {
        const instance = (written - 2) % 250 === 0;
        if (instance) clashes++;
        writeFileSync(
          join(dir, `pkg-${i}.nix`),
          instance ? CLASH : `{ stdenv, fetchurl }:\nstdenv.mkDerivation { pname = "pkg-${d}-${i}"; version = "1.0"; }\n`,
        );
      }
    }
    assert.equal(clashes, 400);
    const started = performance.now();
    const r = cli(['check', tree.root], tree.root);
    t.diagnostic(`check over 100,000 files: ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(r.code, 1);
    const summary = `100000 files, ${1 + clashes} instances, ${clashes} errors, 1 warning`;
    assert.equal(r.stderr, summary + '\n');
    const out = r.stdout.split('\n').filter((l) => l !== '');
    assert.equal(out.filter((l) => l.includes(' error system-and-local-system: ')).length, clashes);
    assert.equal(out.filter((l) => l.includes(' warning duplicate-instance: ')).length, 0);
    assert.equal(out.filter((l) => l.startsWith('modules/host.nix:3:14: warning instance-in-module: ')).length, 1);
    assert.equal(out.length, clashes + 1);
  } finally {
    tree.dispose();
  }
});

test('the language server indexes a hostile workspace: one log line per skipped file, and the valid files diagnosed', { timeout: 120_000 }, async () => {
  const tree = tempTree();
  try {
    writeValid(tree);
    tree.write('binary.nix', Buffer.from([0x7b, 0x00, 0x7d]));
    tree.write('latin1.nix', Buffer.from('"caf\xe9"\n', 'latin1'));
    tree.write('slow.nix', SLOW_TO_PARSE['select-chain.nix']![0]);
    tree.write('deep.nix', deepText(...NESTINGS['parentheses']!));
    mkfifo(tree.path('fifo.nix'));
    symlinkSync('loop.nix', tree.path('loop.nix'));
    symlinkSync('..', tree.path('modules/up'));
    const client = await TestClient.start(tree.root);
    try {
      await client.log((l) => l.startsWith('indexed '));
      const host = await client.diagnostics(pathToFileURL(tree.path('modules/host.nix')).href, (p) => p.diagnostics.length > 0);
      assert.deepEqual(host.diagnostics.map((d) => d.code), ['instance-in-module']);
      const deep = await client.diagnostics(pathToFileURL(tree.path('deep.nix')).href, (p) => p.diagnostics.length > 0);
      assert.deepEqual(deep.diagnostics.map((d) => d.code), ['system-and-local-system']);
      const at = (rel: string) => tree.path(rel);
      assert.deepEqual(
        client.logs.filter((l) => l.startsWith('skipped ')).sort(),
        [
          `skipped ${at('binary.nix')}: binary file (contains NUL bytes)`,
          `skipped ${at('fifo.nix')}: not a regular file (FIFO)`,
          `skipped ${at('latin1.nix')}: not valid UTF-8`,
          `skipped ${at('loop.nix')}: symbolic link loop`,
          `skipped ${at('slow.nix')}: too slow to parse: 200001 characters without a space or delimiter at line 1`,
        ].sort(),
      );
      assert.ok(client.logs.some((l) => l.startsWith(`indexed 3 files in ${tree.root} (`)), client.logs.join('\n'));
      assert.deepEqual(client.logs.filter((l) => / failed: /.test(l)), []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
    }
  } finally {
    tree.dispose();
  }
});
