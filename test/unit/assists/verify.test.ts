/**
 * The last check before a fix is offered (server/src/ide/assists/verify.ts): an edit that would
 * leave a syntax error is refused with the file and line; one that fixes or keeps a file's
 * syntax is accepted; a file that was broken before is not this edit's doing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokenEdit } from '../../../server/src/ide/assists/verify.js';
import type { AssistContext } from '../../../server/src/ide/assists/types.js';
import type { SourceChange } from '../../../server/src/ide/assists/edit.js';
import { testParser } from '../../support/fixture.js';

async function contextOf(files: Record<string, string>): Promise<AssistContext> {
  const parser = await testParser();
  return {
    text: (f: string) => files[f],
    parser,
    withTree: <T>(f: string, fn: (tree: import('web-tree-sitter').Tree) => T) => {
      const tree = parser.parse(files[f]!);
      try {
        return fn(tree);
      } finally {
        tree.delete();
      }
    },
  } as unknown as AssistContext;
}

const insert = (file: string, offset: number, text: string): SourceChange => ({
  files: new Map([[file, [{ span: { start: offset, end: offset }, newText: text }]]]),
});

test('an edit that leaves a syntax error is refused with its file and line', async () => {
  const ctx = await contextOf({ '/w/flake.nix': '{\n  a = 1;\n}\n' });
  assert.equal(brokenEdit(ctx, insert('/w/flake.nix', 10, 'b = ;\n')), 'the edit would leave a syntax error in flake.nix at line 2');
});

test('an edit that keeps the file valid is accepted', async () => {
  const ctx = await contextOf({ '/w/flake.nix': '{\n  a = 1;\n}\n' });
  assert.equal(brokenEdit(ctx, insert('/w/flake.nix', 10, '  b = 2;\n')), null);
});

test('a file that was broken before the edit is not held against it', async () => {
  const ctx = await contextOf({ '/w/m.nix': '{ a = ; }\n' });
  assert.equal(brokenEdit(ctx, insert('/w/m.nix', 0, '# note\n')), null);
});
