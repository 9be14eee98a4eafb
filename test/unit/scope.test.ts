/**
 * The one name resolver (server/src/ide/scope.ts) that features and assists share: Nix's
 * scoping rules, each on the smallest text that shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeNames, namesInScope, resolveName, resolveThroughInherit, topExpression } from '../../server/src/ide/scope.js';
import { parentOf, walk, type Node } from '../../server/src/syntax/ast.js';
import { testParser } from '../support/fixture.js';

/** The binder of the variable named `name` at its `nth` use in `text`, as `kind@line:column`. */
async function binderOf(text: string, name: string, nth = 0): Promise<string | null> {
  const tree = (await testParser()).parse(text);
  try {
    const uses: Node[] = [];
    walk(tree.rootNode, (n) => {
      if ((n.type === 'variable_expression' && n.text === name) || (n.type === 'identifier' && n.text === name && parentOf(n)?.type === 'inherited_attrs')) uses.push(n);
    });
    const use = uses[nth];
    assert.ok(use, `no use ${nth} of ${name}`);
    const b = resolveName(use, name);
    return b ? `${b.kind}@${b.def.startPosition.row}:${b.def.startPosition.column}` : null;
  } finally {
    tree.delete();
  }
}

test('a formal, its default seeing the other formals, and the @ name', async () => {
  assert.equal(await binderOf('{ a, b ? a }@args: args', 'a'), 'formal@0:2');
  assert.equal(await binderOf('{ a, b ? a }@args: args', 'args'), 'universal@0:13');
  assert.equal(await binderOf('x: y: x', 'x'), 'universal@0:0');
});

test('let and rec see their own names; a plain attribute set binds nothing; with hides nothing lexical', async () => {
  assert.equal(await binderOf('let a = 1; b = a; in b', 'a'), 'let@0:4');
  assert.equal(await binderOf('rec { a = 1; b = a; }', 'a'), 'rec@0:6');
  assert.equal(await binderOf('a: { a = 1; b = a; }', 'a'), 'universal@0:0');
  assert.equal(await binderOf('a: with { a = 2; }; a', 'a'), 'universal@0:0');
  assert.equal(await binderOf('with pkgs; hello', 'hello'), null);
});

test('`inherit x;` in a let reads the x outside it, and resolveThroughInherit follows it', async () => {
  const text = 'x: let inherit x; y = x; in y';
  assert.equal(await binderOf(text, 'x', 0), 'universal@0:0', 'the inherited name is read outside the let');
  assert.equal(await binderOf(text, 'x', 1), 'let@0:15', 'a use in the body sees the let entry');
  const tree = (await testParser()).parse(text);
  try {
    let use: Node | null = null;
    walk(tree.rootNode, (n) => {
      if (n.type === 'variable_expression' && n.text === 'x') use = n;
    });
    assert.equal(resolveThroughInherit(use!, 'x')?.kind, 'universal');
  } finally {
    tree.delete();
  }
});

test('free names of an expression, names in scope, and the top expression past comments and parentheses', async () => {
  const text = '# a comment\n({ inputs, ... }: let u = final: prev: { x = import inputs.nixpkgs { inherit (prev) system; inherit overlays; }; }; in u)';
  const tree = (await testParser()).parse(text);
  try {
    const top = topExpression(tree.rootNode)!;
    assert.equal(top.type, 'function_expression');
    let overlay: Node | null = null;
    walk(tree.rootNode, (n) => {
      if (!overlay && n.type === 'function_expression' && n.text.startsWith('final')) overlay = n;
    });
    assert.deepEqual([...freeNames(overlay!)].sort(), ['import', 'inputs', 'overlays']);
    const at = text.indexOf('import');
    assert.deepEqual([...namesInScope(tree.rootNode, at)].sort(), ['final', 'inputs', 'prev', 'u']);
  } finally {
    tree.delete();
  }
});
