/**
 * The TextMate grammar (syntaxes/nix.tmLanguage.json) and language-configuration.json, checked
 * through vscode-textmate and oniguruma as VS Code runs them: what a user sees coloured as code,
 * string or comment, and which words get which scopes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  contextOf,
  grammarPath,
  loadNixGrammar,
  repoRoot,
  scopeWith,
  tokenAt,
  tokenize,
  type Context,
  type Tokenized,
} from '../support/tmgrammar';

/** One expectation: the token at `needle` (its `nth` occurrence, 0-based) has a scope starting with `scope`. */
interface Expect {
  needle: string;
  nth?: number;
  scope?: string;
  /** A scope prefix the token must not have. */
  not?: string;
  context?: Context;
}

function describeToken(t: Tokenized, src: string, e: Expect): string {
  const tok = tokenAt(t, src, e.needle, e.nth ?? 0);
  return `${JSON.stringify(e.needle)}#${e.nth ?? 0} -> token ${JSON.stringify(tok.text)} [${tok.scopes.join(' ')}]`;
}

async function check(src: string, expects: Expect[]): Promise<void> {
  const t = tokenize(await loadNixGrammar(), src);
  for (const e of expects) {
    const tok = tokenAt(t, src, e.needle, e.nth ?? 0);
    if (e.scope !== undefined) {
      assert.ok(scopeWith(tok.scopes, e.scope), `expected ${e.scope}: ${describeToken(t, src, e)}`);
    }
    if (e.not !== undefined) {
      assert.equal(scopeWith(tok.scopes, e.not), undefined, `unexpected ${e.not}: ${describeToken(t, src, e)}`);
    }
    if (e.context !== undefined) {
      assert.equal(contextOf(tok.scopes), e.context, `expected ${e.context}: ${describeToken(t, src, e)}`);
    }
  }
  assert.equal(t.endState.depth, 1, `every construct should be closed at the end of ${JSON.stringify(src)}`);
}

test('the grammar is source.nix, injects into nothing, and matches the manifest', () => {
  const raw = JSON.parse(fs.readFileSync(grammarPath(), 'utf8'));
  assert.equal(raw.scopeName, 'source.nix');
  assert.equal(raw.injectionSelector, undefined);
  assert.equal(raw.injections, undefined);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8'));
  const grammars: Array<{ language?: string; scopeName: string; path: string; injectTo?: string[] }> =
    manifest.contributes.grammars;
  const nix = grammars.find((g) => g.language === 'nix');
  assert.ok(nix, 'package.json contributes a grammar for language nix');
  assert.equal(nix.scopeName, raw.scopeName);
  assert.equal(path.resolve(repoRoot(), nix.path), grammarPath());
  assert.ok(grammars.every((g) => g.injectTo === undefined), 'no grammar injects into other languages');
});

test('every include in the grammar names a rule that exists', () => {
  const raw = JSON.parse(fs.readFileSync(grammarPath(), 'utf8'));
  const missing: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'include' && typeof value === 'string' && value.startsWith('#')) {
        if (!(value.slice(1) in raw.repository)) missing.push(value);
      } else walk(value);
    }
  };
  walk(raw);
  assert.deepEqual(missing, []);
});

test('comments hide code: import in a comment is a comment', () =>
  check('# import nixpkgs { system = "x"; }\n/* import <nixpkgs> {} */ code', [
    { needle: 'import', scope: 'comment.line.number-sign.nix', context: 'comment' },
    { needle: '#', scope: 'punctuation.definition.comment.nix' },
    { needle: 'import', nth: 1, scope: 'comment.block.nix', context: 'comment' },
    { needle: '<nixpkgs>', context: 'comment', not: 'string.unquoted.path' },
    { needle: 'code', context: 'code' },
  ]));

test('a block comment spans lines and ends at */', () =>
  check('/*\n  import nixpkgs {}\n*/ import x', [
    { needle: 'import', context: 'comment' },
    { needle: 'import', nth: 1, scope: 'support.function.builtin.nix', context: 'code' },
  ]));

test('double-quoted strings: text like an instantiation stays string, escapes are escapes', () =>
  check(String.raw`x = "import nixpkgs { system = \"rv64gc\"; } \\ \n \${notCode} $` + '${alsoNot}"', [
    { needle: 'import', scope: 'string.quoted.double.nix', context: 'string', not: 'support.function' },
    { needle: 'nixpkgs {', context: 'string' },
    { needle: String.raw`\"`, scope: 'constant.character.escape.nix' },
    { needle: 'rv64gc', context: 'string', not: 'constant.numeric' },
    { needle: String.raw`\\`, scope: 'constant.character.escape.nix' },
    { needle: String.raw`\n`, scope: 'constant.character.escape.nix' },
    { needle: String.raw`\$`, scope: 'constant.character.escape.nix' },
    { needle: 'notCode', context: 'string', not: 'meta.embedded' },
    // `$$` is two literal dollars in Nix, so `$${...}` does not interpolate.
    { needle: 'alsoNot', context: 'string', not: 'meta.embedded' },
  ]));

test('a backslash at the end of a line escapes the line break, not the next line', () =>
  check('"a \\\nb" + c', [
    { needle: 'b', context: 'string' },
    { needle: 'c', context: 'code' },
  ]));

test('interpolation in a double-quoted string is code, nested strings and interpolations included', () =>
  check('"pre ${import ./x.nix { a = "in ${toString b} str"; }} post"', [
    { needle: '${', scope: 'punctuation.section.embedded.begin.nix' },
    { needle: 'import', scope: 'support.function.builtin.nix', context: 'code' },
    { needle: './x.nix', scope: 'string.unquoted.path.nix', context: 'code' },
    { needle: 'a =', scope: 'entity.other.attribute-name.nix' },
    { needle: 'in ', context: 'string', not: 'keyword' },
    { needle: 'toString', scope: 'support.function.builtin.nix', context: 'code' },
    { needle: ' str', context: 'string' },
    { needle: ' post', context: 'string' },
  ]));

test('indented strings: content is string, interpolation returns to code, escapes stay string', () =>
  check(
    [
      "script = ''",
      '  import nixpkgs { }',
      '  ${pkgs.hello}/bin/hello',
      "  ''${HOME} is literal, ''\\t and '''quoted'''",
      '  $${notInterpolated}',
      "'';",
      'after = 1;',
    ].join('\n'),
    [
      { needle: "''", scope: 'punctuation.definition.string.begin.nix' },
      { needle: 'import', scope: 'string.quoted.other.nix', context: 'string', not: 'support.function' },
      { needle: 'pkgs.hello', scope: 'meta.embedded', context: 'code' },
      { needle: '/bin/hello', context: 'string', not: 'string.unquoted.path' },
      { needle: "''$", scope: 'constant.character.escape.nix', context: 'string' },
      { needle: 'HOME', context: 'string', not: 'meta.embedded' },
      { needle: "''\\t", scope: 'constant.character.escape.nix' },
      { needle: "'''", scope: 'constant.character.escape.nix' },
      { needle: 'quoted', context: 'string' },
      { needle: 'notInterpolated', context: 'string' },
      { needle: "'';", scope: 'punctuation.definition.string.end.nix' },
      { needle: 'after', context: 'code' },
    ],
  ));

test('paths, search paths and paths with interpolation', () =>
  check('[ ./a/b.nix ../x /abs/p ~/x <nixpkgs> <nixpkgs/lib> ./hosts/${name}.nix a/b ]', [
    { needle: './a/b.nix', scope: 'string.unquoted.path.nix' },
    { needle: 'b.nix', scope: 'string.unquoted.path.nix' },
    { needle: '../x', scope: 'string.unquoted.path.nix' },
    { needle: '/abs/p', scope: 'string.unquoted.path.nix' },
    { needle: '~/x', scope: 'string.unquoted.path.nix' },
    { needle: '<nixpkgs>', scope: 'string.unquoted.path.nix' },
    { needle: 'nixpkgs/lib', scope: 'string.unquoted.path.nix' },
    { needle: './hosts/', scope: 'string.unquoted.path.nix' },
    { needle: 'name', scope: 'meta.embedded', context: 'code' },
    { needle: '.nix a/b', scope: 'string.unquoted.path.nix' },
    { needle: '}.nix', scope: 'punctuation.section.embedded.end.nix' },
    { needle: 'a/b ', scope: 'string.unquoted.path.nix' },
  ]));

test('division and update are operators, not paths', () =>
  check('x = a / b // c;', [
    { needle: '/', scope: 'keyword.operator.arithmetic.nix', not: 'string' },
    { needle: '//', scope: 'keyword.operator.update.nix', not: 'string' },
    { needle: 'c', context: 'code', not: 'string' },
  ]));

test('URIs are literals, and `x: x` is a lambda rather than a URI', () =>
  check('[ https://example.org/a?b=c github:NixOS/nixpkgs (x: x) ]', [
    { needle: 'https', scope: 'string.unquoted.url.nix' },
    { needle: 'github:NixOS/nixpkgs', scope: 'string.unquoted.url.nix' },
    { needle: 'x:', scope: 'variable.parameter.nix', not: 'string' },
    { needle: ':', nth: 2, scope: 'punctuation.separator.lambda.nix' },
  ]));

test('numbers, and digits inside names are not numbers', () =>
  check('[ 1 2.5 .5e3 1.0e-2 rv64gc x86_64-linux i686 ]', [
    { needle: '1', scope: 'constant.numeric.integer.nix' },
    { needle: '2.5', scope: 'constant.numeric.float.nix' },
    { needle: '.5e3', scope: 'constant.numeric.float.nix' },
    { needle: '1.0e-2', scope: 'constant.numeric.float.nix' },
    { needle: '64gc', not: 'constant.numeric' },
    { needle: '86_64', not: 'constant.numeric' },
    { needle: '686', not: 'constant.numeric' },
  ]));

test('keywords, and names that only contain a keyword', () =>
  check(
    'rec { a = if c then let x = 1; in x else assert d; with e; f.g or h; inputs = in-x; letter = then\'; }',
    [
      { needle: 'rec', scope: 'keyword.control.rec.nix' },
      { needle: 'if', scope: 'keyword.control.if.nix' },
      { needle: 'then', scope: 'keyword.control.then.nix' },
      { needle: 'let', scope: 'keyword.control.let.nix' },
      { needle: 'in x', scope: 'keyword.control.in.nix' },
      { needle: 'else', scope: 'keyword.control.else.nix' },
      { needle: 'assert', scope: 'keyword.control.assert.nix' },
      { needle: 'with', scope: 'keyword.control.with.nix' },
      { needle: 'or', scope: 'keyword.operator.or.nix' },
      { needle: 'inputs', scope: 'entity.other.attribute-name.nix', not: 'keyword' },
      { needle: 'in-x', not: 'keyword' },
      { needle: 'letter', not: 'keyword' },
      { needle: "then'", not: 'keyword' },
    ],
  ));

test('constants and builtins; lib.map is an attribute, not the builtin', () =>
  check('[ true false null (import ./x) (throw "no") (abort "no") (map f l) builtins.attrNames lib.map ]', [
    { needle: 'true', scope: 'constant.language.nix' },
    { needle: 'false', scope: 'constant.language.nix' },
    { needle: 'null', scope: 'constant.language.nix' },
    { needle: 'import', scope: 'support.function.builtin.nix' },
    { needle: 'throw', scope: 'support.function.builtin.nix' },
    { needle: 'abort', scope: 'support.function.builtin.nix' },
    { needle: 'map', scope: 'support.function.builtin.nix' },
    { needle: 'builtins', scope: 'support.constant.builtins.nix' },
    { needle: 'attrNames', scope: 'support.function.builtin.nix' },
    { needle: 'map', nth: 1, not: 'support' },
  ]));

test('operators', async () => {
  const ops: Array<[string, string]> = [
    ['++', 'keyword.operator.concat.nix'],
    ['//', 'keyword.operator.update.nix'],
    ['->', 'keyword.operator.implication.nix'],
    ['==', 'keyword.operator.comparison.nix'],
    ['!=', 'keyword.operator.comparison.nix'],
    ['<=', 'keyword.operator.relational.nix'],
    ['>=', 'keyword.operator.relational.nix'],
    ['&&', 'keyword.operator.logical.nix'],
    ['||', 'keyword.operator.logical.nix'],
    ['|>', 'keyword.operator.pipe.nix'],
    ['<|', 'keyword.operator.pipe.nix'],
    ['?', 'keyword.operator.has-attr.nix'],
    ['*', 'keyword.operator.arithmetic.nix'],
    ['-', 'keyword.operator.arithmetic.nix'],
  ];
  for (const [op, scope] of ops) {
    const src = `a ${op} b`;
    const t = tokenize(await loadNixGrammar(), src);
    const tok = tokenAt(t, src, op);
    assert.equal(tok.text, op, `${op} is one token`);
    assert.ok(scopeWith(tok.scopes, scope), `${op}: [${tok.scopes.join(' ')}]`);
  }
  await check('!a', [{ needle: '!', scope: 'keyword.operator.logical.nix' }]);
});

test('attribute paths in bindings: names, quoted names and dynamic names', () =>
  check('{ a.b."c d" = 1; ${x}.e = f.g; h = i; }', [
    { needle: 'a', scope: 'entity.other.attribute-name.nix' },
    { needle: 'b', scope: 'entity.other.attribute-name.nix' },
    { needle: 'c d', scope: 'string.quoted.double.nix' },
    { needle: '=', scope: 'keyword.operator.bind.nix' },
    { needle: 'x', scope: 'meta.embedded', context: 'code' },
    { needle: 'e', scope: 'entity.other.attribute-name.nix' },
    // the value side is an expression, not attribute names
    { needle: 'f.g', not: 'entity.other.attribute-name' },
    { needle: 'h', scope: 'entity.other.attribute-name.nix' },
    { needle: 'i', not: 'entity.other.attribute-name' },
    { needle: ';', scope: 'punctuation.terminator.bind.nix' },
  ]));

test('a binding value with `with ...;` does not end the binding early', () =>
  check('{ packages = with pkgs; [ hello ]; other = 1; }', [
    { needle: 'with', scope: 'keyword.control.with.nix' },
    { needle: 'hello', not: 'entity.other.attribute-name' },
    { needle: 'other', scope: 'entity.other.attribute-name.nix' },
  ]));

test('inherit: the source is an expression, the names are attribute names', () =>
  check('{ inherit (pkgs) hello world; inherit system; }', [
    { needle: 'inherit', scope: 'keyword.control.inherit.nix' },
    { needle: 'pkgs', not: 'entity.other.attribute-name' },
    { needle: 'hello', scope: 'entity.other.attribute-name' },
    { needle: 'world', scope: 'entity.other.attribute-name' },
    { needle: 'system', scope: 'entity.other.attribute-name' },
  ]));

test('function formals on one line, with defaults, ellipsis and @-pattern', () =>
  check('{ a, b ? 1, pkgs ? import <nixpkgs> { }, ... }@args: a', [
    { needle: 'a,', scope: 'variable.parameter.nix' },
    { needle: 'b', scope: 'variable.parameter.nix' },
    { needle: '1', scope: 'constant.numeric.integer.nix' },
    { needle: 'pkgs', scope: 'variable.parameter.nix' },
    { needle: 'import', scope: 'support.function.builtin.nix' },
    { needle: '<nixpkgs>', scope: 'string.unquoted.path.nix' },
    { needle: '...', scope: 'keyword.operator.ellipsis.nix' },
    { needle: 'args', scope: 'variable.parameter.nix' },
    { needle: 'a', nth: 2, not: 'variable.parameter' },
  ]));

test('function formals in nixfmt style, old leading-comma style and args@{ }', () =>
  check(
    [
      '{',
      '  config,',
      '  lib,',
      '  ...',
      '}:',
      'args@{ stdenv',
      ', fetchurl # comment',
      ', extra ? { x = 1; }',
      '}:',
      '{ }',
    ].join('\n'),
    [
      { needle: 'config', scope: 'variable.parameter.nix' },
      { needle: 'lib', scope: 'variable.parameter.nix' },
      { needle: 'args', scope: 'variable.parameter.nix' },
      { needle: 'stdenv', scope: 'variable.parameter.nix' },
      { needle: 'fetchurl', scope: 'variable.parameter.nix' },
      { needle: 'extra', scope: 'variable.parameter.nix' },
      { needle: 'x =', scope: 'entity.other.attribute-name.nix' },
    ],
  ));

test('simple lambdas: the parameter is a parameter', () =>
  check('genAttrs systems (system: import nixpkgs { inherit system; })', [
    { needle: 'system:', scope: 'variable.parameter.nix' },
    { needle: 'system;', scope: 'entity.other.attribute-name' },
    { needle: 'systems', not: 'variable.parameter' },
  ]));

test('a whole flake: the real instantiation is code, the ones in a comment and a string are not', () =>
  check(
    [
      '{',
      '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";',
      '  outputs = { self, nixpkgs, ... }@inputs:',
      '    let',
      '      # pkgs = import nixpkgs { };',
      '      note = "import nixpkgs { crossSystem.gcc.arch = \\"rv64gc\\"; }";',
      '      pkgs = import nixpkgs {',
      '        system = "x86_64-linux";',
      '        crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; };',
      '      };',
      '    in',
      '    { packages.x86_64-linux.default = pkgs.hello; };',
      '}',
    ].join('\n'),
    [
      { needle: 'url', scope: 'entity.other.attribute-name.nix' },
      { needle: 'import', nth: 0, context: 'comment' },
      { needle: 'import', nth: 1, context: 'string' },
      { needle: 'import', nth: 2, context: 'code', scope: 'support.function.builtin.nix' },
      { needle: 'rv64gc', nth: 0, context: 'string' },
      { needle: 'rv64gc', nth: 1, context: 'string' },
      { needle: 'arch', nth: 1, scope: 'entity.other.attribute-name.nix' },
      { needle: 'in\n', scope: 'keyword.control.in.nix' },
      { needle: 'packages', scope: 'entity.other.attribute-name.nix' },
      { needle: 'x86_64-linux.default', scope: 'entity.other.attribute-name.nix' },
    ],
  ));

test('half-typed code recovers at the next closing bracket or `in`', () =>
  check(['let', '  a = 1', 'in', '{ b = 2 }', '[ (x ]', 'import ./y'].join('\n'), [
    { needle: 'in', scope: 'keyword.control.in.nix' },
    { needle: 'b', scope: 'entity.other.attribute-name.nix' },
    { needle: 'import', scope: 'support.function.builtin.nix', context: 'code' },
    { needle: './y', scope: 'string.unquoted.path.nix' },
  ]));

test('hostile lines tokenize without hitting the time limit (no catastrophic backtracking)', async () => {
  const grammar = await loadNixGrammar();
  const n = 20_000;
  const lines = [
    '{ ' + 'a.'.repeat(n) + ' }', // attribute path that never reaches `=`
    '{ ' + 'a . '.repeat(n) + ' }', // the same with spaces
    '{ ' + 'a = 1; '.repeat(n) + '}', // many bindings on one line
    '{ ' + '"\\'.repeat(n) + ' }', // unterminated quoted attribute with escapes
    '{ ' + '${'.repeat(200) + 'x' + ' }', // unbalanced interpolations in a binding head
    'x'.repeat(n) + ':', // very long name
    'a' + '/a'.repeat(n), // very long path
    'http:' + 'a'.repeat(n), // very long URI
    '1'.repeat(n) + '.', // very long number
    "''" + "'''".repeat(n) + "''", // escapes in an indented string
    '{ ' + 'a, '.repeat(n) + ' }:', // many formals
    'x-'.repeat(n), // identifier made of keyword-ish pieces
  ];
  for (const line of lines) {
    // About 300 ms at worst here for linear rules; a quadratic rule takes tens of seconds.
    const t = tokenize(grammar, line, 3000);
    assert.deepEqual(t.stoppedEarly, [], `hit the time limit on ${JSON.stringify(line.slice(0, 30))}...`);
  }
});

test('language-configuration.json: comments, brackets, auto-closing and words', () => {
  const config = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'language-configuration.json'), 'utf8'));
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  assert.deepEqual(config.brackets, [
    ['{', '}'],
    ['[', ']'],
    ['(', ')'],
  ]);
  const pairs = new Map<string, { close: string; notIn?: string[] }>(
    config.autoClosingPairs.map((p: { open: string; close: string; notIn?: string[] }) => [p.open, p]),
  );
  for (const open of ['{', '[', '(', '"', "''"]) assert.ok(pairs.has(open), `auto-closes ${open}`);
  assert.equal(pairs.get('"')?.close, '"');
  assert.ok(pairs.get('"')?.notIn?.includes('string'), 'no auto-closing quote inside strings');
  assert.equal(pairs.get("''")?.close, "''");
  assert.ok(config.surroundingPairs.some((p: string[]) => p[0] === '"' && p[1] === '"'));

  // VS Code compiles these with RegExp; a Nix identifier contains `-` and `'`, not `.`.
  const word = new RegExp(config.wordPattern, 'g');
  assert.deepEqual('pkgs-unstable.hello x\' rv64gc 2.5'.match(word), ['pkgs-unstable', 'hello', "x'", 'rv64gc', '2.5']);

  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ['  pkgs = import nixpkgs {', 'let', '  xs = [', '  f = g (', '  outputs =', "  text = ''"]) {
    assert.ok(increase.test(line), `indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['  a = 1;', '  a = "{";', '  b = 1; # {', "  ''"]) {
    assert.ok(!increase.test(line), `no indent after ${JSON.stringify(line)}`);
  }
  for (const line of ['  }', '  ];', '  )', '  in', "  '';"]) {
    assert.ok(decrease.test(line), `dedent ${JSON.stringify(line)}`);
  }
  for (const line of ['  inherit x;', '  inputs = 1;', "  ''${x}"]) {
    assert.ok(!decrease.test(line), `no dedent for ${JSON.stringify(line)}`);
  }
});
