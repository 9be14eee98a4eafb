import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindings, firstSyntaxError, formals, K, staticString, walk, type Node } from '../../server/src/syntax/ast.js';
import { SyntaxDocument } from '../../server/src/syntax/document.js';
import { LineIndex } from '../../server/src/ide/text.js';
import { extractFacts } from '../../server/src/ide/index/extract.js';
import { testParser } from '../support/fixture.js';

async function parse(text: string) {
  return (await testParser()).parse(text);
}

function first(root: Node, type: string): Node {
  let found: Node | null = null;
  walk(root, (n) => {
    if (!found && n.type === type) found = n;
    return !found;
  });
  assert.ok(found, `no ${type} node`);
  return found;
}

test('formals: a plain formals set', async () => {
  const tree = await parse('{ a, b ? 1, ... }@args: a');
  const f = formals(first(tree.rootNode, K.Function))!;
  assert.deepEqual(f.set?.names.map((n) => n.name), ['a', 'b']);
  assert.equal(f.set?.ellipsis, true);
  assert.equal(f.universal, 'args');
  tree.delete();
});

test("formals: nixfmt's trailing comma yields exactly the formals written", async () => {
  for (const text of ['{ a, b, }: a', '{\n  a,\n  b,\n}:\na', '{ a, }: a', '{\r\n  config,\r\n  pkgs,\r\n}:\r\n{ }']) {
    const tree = await parse(text);
    const f = formals(first(tree.rootNode, K.Function))!;
    const expected = text.includes('config') ? ['config', 'pkgs'] : text.includes('b') ? ['a', 'b'] : ['a'];
    assert.deepEqual(f.set?.names.map((n) => n.name), expected, JSON.stringify(text));
    tree.delete();
  }
});

test('a trailing-comma module is still read as a module with its instance', async () => {
  const text = '{\n  config,\n  pkgs,\n  inputs,\n}:\nlet\n  u = import inputs.nixpkgs { system = "x"; };\nin\n{ }\n';
  const tree = await parse(text);
  const facts = extractFacts(tree.rootNode, text, { isFlake: false });
  assert.deepEqual(facts.moduleFormals, ['config', 'pkgs', 'inputs']);
  assert.equal(facts.sites.length, 1);
  assert.equal(facts.sites[0]!.name, 'u');
  tree.delete();
});

test('`inherit;` and `|>` do not hide the rest of the file', async () => {
  const text = '{ inherit; a = x |> f; b = import <nixpkgs> { system = "x86_64-linux"; }; }\n';
  const tree = await parse(text);
  const facts = extractFacts(tree.rootNode, text, { isFlake: false });
  assert.equal(facts.sites.length, 1);
  assert.equal(facts.sites[0]!.name, 'b');
  assert.equal(facts.partial, 'syntax errors');
  tree.delete();
});

test('strings, indented strings and comments that look like code are not code', async () => {
  const text = [
    'let',
    '  a = "import <nixpkgs> { system = \\"x\\"; }";',
    "  b = ''",
    '    import <nixpkgs> { }',
    "  '';",
    '  # c = import <nixpkgs> { };',
    '  /* d = import <nixpkgs> { }; */',
    '  e = "${import <nixpkgs> { system = "y"; }}";',
    'in a',
  ].join('\n');
  const tree = await parse(text);
  const facts = extractFacts(tree.rootNode, text, { isFlake: false });
  // Only the interpolation is code.
  assert.equal(facts.sites.length, 1);
  assert.equal(text.slice(facts.sites[0]!.span.start, facts.sites[0]!.span.end), 'import <nixpkgs> { system = "y"; }');
  tree.delete();
});

test('static strings resolve escapes; interpolated strings are not static', async () => {
  const tree = await parse('{ a = "x\\ty\\"z"; b = "a${b}"; c = \'\'  l\'\'\\n\'\'; }');
  const set = first(tree.rootNode, K.Attrset);
  const values = bindings(set).map((e) => (e.kind === 'binding' ? staticString(e.value) : null));
  assert.deepEqual(values, ['x\ty"z', null, '  l\n']);
  tree.delete();
});

test('LineIndex: CRLF, CR and unicode positions are LSP positions (UTF-16)', () => {
  const text = 'a😀b\r\nc\rd\ne';
  const li = new LineIndex(text);
  assert.equal(li.lineCount, 4);
  assert.deepEqual(li.position(text.indexOf('b')), { line: 0, character: 3 });
  assert.deepEqual(li.position(text.indexOf('c')), { line: 1, character: 0 });
  assert.deepEqual(li.position(text.indexOf('d')), { line: 2, character: 0 });
  assert.deepEqual(li.position(text.indexOf('e')), { line: 3, character: 0 });
  assert.equal(li.offset({ line: 0, character: 99 }), text.indexOf('\r'));
  assert.equal(li.offset({ line: 9, character: 0 }), text.length);
  assert.equal(li.lineText(0), 'a😀b');
  // Between the \r and \n of a line break is no place an editor can name: the end of the line.
  // (Found by the fuzzer: a diagnostic on a string holding a CRLF ended there.)
  assert.deepEqual(li.position(text.indexOf('\n')), { line: 0, character: 4 });
  assert.equal(li.offset(li.position(text.indexOf('\n'))), text.indexOf('\r'));
});

test('positions of sites in CRLF and unicode files', async () => {
  const text = '# héllo 😀\r\n{ a = import <nixpkgs> { system = "x"; localSystem = "y"; }; }\r\n';
  const tree = await parse(text);
  const facts = extractFacts(tree.rootNode, text, { isFlake: false });
  const li = new LineIndex(text);
  assert.deepEqual(li.range(facts.sites[0]!.anchor), {
    start: { line: 1, character: 6 },
    end: { line: 1, character: 22 },
  });
  tree.delete();
});

/** A small deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('incremental reparse gives the same tree as a full parse', async () => {
  const parser = await testParser();
  const base = '{ pkgs, ... }:\nlet\n  u = import <nixpkgs> { system = "x"; }; # ü😀\r\nin {\n  a = "${u.hello}";\n}\n';
  const pieces = ['x', ' ', '\n', '{', '}', '"', '😀', 'import', ';', '\r\n', "''", '#'];
  const rand = prng(42);
  const doc = new SyntaxDocument(parser, base);
  for (let i = 0; i < 300; i++) {
    const text = doc.text;
    const start = Math.floor(rand() * (text.length + 1));
    const end = Math.min(text.length, start + Math.floor(rand() * 4));
    // Never split a surrogate pair: editors don't.
    if (/[\uDC00-\uDFFF]/.test(text[start] ?? '') || /[\uDC00-\uDFFF]/.test(text[end] ?? '')) continue;
    const insert = rand() < 0.3 ? '' : pieces[Math.floor(rand() * pieces.length)]!;
    doc.update([{ start, end, text: insert }]);
    const full = parser.parse(doc.text);
    assert.equal(doc.tree.rootNode.toString(), full.rootNode.toString(), `after edit ${i}: ${JSON.stringify(doc.text)}`);
    full.delete();
  }
  doc.dispose();
});

test('firstSyntaxError: the gaps Nix accepts are not errors; real errors are found where they are', async () => {
  const at = async (text: string) => {
    const tree = await parse(text);
    try {
      const e = firstSyntaxError(tree.rootNode);
      return e && text.slice(0, e.start) + '⟨' + text.slice(e.start, e.end) + '⟩' + text.slice(e.end);
    } finally {
      tree.delete();
    }
  };
  // Accepted by `nix-instantiate --parse` (Nix 2.8) and read exactly by `formals` and `bindings`.
  for (const ok of ['{ a, b, }: a', '{ a, }: a', '{ a ? 1, }: a', '{ a, }@args: a', 'let inherit; in 1', '{ inherit (x); a = 1; }', '{ a, b }: a']) {
    assert.equal(await at(ok), null, ok);
  }
  // A doubled comma is not nixfmt's style: Nix rejects it.
  assert.equal(await at('{ a, , b }: a'), '{ a⟨,⟩ , b }: a');
  assert.equal(await at('x |> f'), 'x ⟨|⟩> f');
  // A let without `;` makes the parser give up on the whole outer set: the error inside it is the answer.
  assert.equal(await at('{ x = let p = 1 in p; }'), '{ x = let p = 1 ⟨in⟩ p; }');
});

test('partial: set with where the part not analysed starts, only for real syntax errors', async () => {
  const read = async (text: string) => {
    const tree = await parse(text);
    try {
      const f = extractFacts(tree.rootNode, text, { isFlake: false });
      return [f.partial, f.partialAt && text.slice(f.partialAt.start, f.partialAt.start + 3)];
    } finally {
      tree.delete();
    }
  };
  assert.deepEqual(await read('{\n  pkgs,\n  lib,\n}:\n{ }\n'), [null, null]);
  // The `]` missing right after the `2`.
  assert.deepEqual(await read('{ a = [ 1 2 ;\n  b = 2; }'), ['syntax errors', ' ;\n']);
});
