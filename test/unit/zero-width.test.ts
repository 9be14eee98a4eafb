/**
 * Zero-width nodes (the MISSING identifier tree-sitter inserts in `x = ;`) deep
 * inside broken text. Asking tree-sitter for such a node's parent recursed in
 * C and overflowed the WebAssembly stack, corrupting the parser's memory: the
 * fuzzer found a 38 KB module where indexing then failed with "memory access
 * out of bounds" and every later parse in the process was suspect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestors, parentOf, walk } from '../../server/src/syntax/ast.js';
import { Analysis } from '../../server/src/ide/analysis.js';
import { completion, definition, hover, references } from '../../server/src/ide/features/index.js';
import { testParser } from '../support/fixture.js';

/**
 * The shape of the fuzzer's input, reduced: `rec { x = ` nested `levels` times where a set
 * expects a key, then closed with the innermost value missing. At 100 levels asking
 * tree-sitter for the MISSING node's parent already broke the parser's memory.
 */
function brokenNesting(levels: number): string {
  const nest = 'rec { x = '.repeat(levels) + '; }'.repeat(levels);
  return `{ inputs, ... }:\n{\n  nixpkgs.overlays = [\n    (final: prev: {\n      ${nest}\n    })\n  ];\n  b = import inputs.nixpkgs { };\n}\n`;
}

test('parents and ancestors of zero-width nodes deep in broken text, as the tree has them', async () => {
  const parser = await testParser();
  const text = brokenNesting(400);
  const tree = parser.parse(text);
  try {
    let zeroWidth = 0;
    const found: import('web-tree-sitter').Node[] = [];
    walk(tree.rootNode, (n) => {
      if (n.startIndex === n.endIndex) found.push(n);
    });
    for (const n of found) {
      zeroWidth++;
      const up = ancestors(n);
      assert.equal(up.at(-1)?.id, tree.rootNode.id, 'the last ancestor is the root');
      const parent = parentOf(n);
      assert.ok(parent, 'a zero-width node has a parent');
      assert.equal(parent.id, up[0]!.id);
      // The parent holds the node among its children (the cursor's view of the tree).
      assert.ok(parent.children.some((c) => c?.id === n.id), `${parent.type} holds the ${n.type} at ${n.startIndex}`);
    }
    assert.ok(zeroWidth >= 1, 'the text has zero-width nodes');
    // The parser is still sound afterwards.
    const again = parser.parse('{ a = 1; }');
    assert.equal(again.rootNode.hasError, false);
    again.delete();
  } finally {
    tree.delete();
  }
});

test('indexing and editor features on a module with 400 levels of missing values', async () => {
  const parser = await testParser();
  const text = brokenNesting(400);
  const a = new Analysis(parser);
  a.setFile('/m.nix', text);
  a.openDocument('/m.nix', text);
  const ctx = a.featureContext();
  const offsets = [text.indexOf('x = ;') + 4, text.indexOf('; }') + 1, text.lastIndexOf('; }'), text.indexOf('import')];
  for (const at of offsets) {
    completion(ctx, '/m.nix', at);
    hover(ctx, '/m.nix', at);
    definition(ctx, '/m.nix', at);
    references(ctx, '/m.nix', at, true);
  }
  for (const s of a.workspace().instances) a.assists(s.file, { start: 0, end: text.length });
  assert.equal(a.workspace().instances.length, 1, 'the instance after the broken nesting is indexed');
  // The parser still parses correctly after all of that.
  const tree = parser.parse('{ a = 1; }');
  assert.equal(tree.rootNode.hasError, false);
  tree.delete();
});

test('no code outside syntax/ast.ts asks tree-sitter for a parent directly (parentOf and ancestors are safe)', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { REPO_ROOT } = await import('../support/workspace.js');
  const src = join(REPO_ROOT, 'server', 'src');
  const offenders: string[] = [];
  for (const f of readdirSync(src, { recursive: true }).map(String)) {
    if (!f.endsWith('.ts') || f.endsWith('syntax/ast.ts')) continue;
    readFileSync(join(src, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/^\s*\*/.test(code)) return;
        if (/\.parent\b/.test(code)) offenders.push(`server/src/${f}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, [], 'use parentOf(node) or ancestors(node) from syntax/ast.ts');
});
