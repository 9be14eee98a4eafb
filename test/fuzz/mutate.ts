/**
 * Grammar-aware mutations for the fuzz harness. A mutation reads the syntax
 * tree of its input (tree-sitter, the same grammar the product uses) and
 * deletes, duplicates, swaps or replaces whole subtrees, so most results stay
 * close to Nix a user could be typing; byte-level mutations (tokens, unicode,
 * line endings, truncation, very long lines, deep nesting) and random bytes
 * cover the rest. Everything is drawn from a seeded {@link Random}: the same
 * seed and index always give the same input.
 */
import type { NixParser } from '../../server/src/syntax/parser.js';
import { Random } from '../bench/random.js';
import { BASE_FLAKE, BASE_MODULE, type CorpusFile } from './corpus.js';

/** Inputs are cut to this many UTF-16 units: big enough for long lines, small enough to stay fast. */
export const MAX_INPUT_CHARS = 150_000;

/** A subtree (or token) of a parsed input. */
export interface Sub {
  start: number;
  end: number;
  type: string;
  named: boolean;
}

/** Up to `limit` nodes of `text`'s tree in document order (the cursor's fields avoid node objects). */
export function subtrees(parser: NixParser, text: string, limit = 6000): Sub[] {
  const tree = parser.parse(text);
  const out: Sub[] = [];
  const cursor = tree.rootNode.walk();
  try {
    for (;;) {
      if (out.length >= limit) break;
      out.push({ start: cursor.startIndex, end: cursor.endIndex, type: cursor.nodeType, named: cursor.nodeIsNamed });
      if (cursor.gotoFirstChild()) continue;
      let moved = false;
      while (!moved) {
        if (cursor.gotoNextSibling()) moved = true;
        else if (!cursor.gotoParent()) break;
      }
      if (!moved) break;
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
  return out.filter((s) => s.end <= text.length && s.start <= s.end);
}

/** Tokens a user types (or leaves half-typed). */
export const TOKENS = [
  '{', '}', '[', ']', '(', ')', ';', '=', '.', ':', ',', '@', '?', '...', '${', '}', "''", '"', '#', '/*', '*/',
  '//', '++', '->', '||', '&&', '==', '!=', '<', '>', '<=', '>=', '!', '-', '+', '*', '/', '|>', '<|', "''$", "'''",
  '\\', '$', '~/', './', '../', '<nixpkgs>', '<', 'or', 'import', 'nixpkgs', 'inherit', 'inherit (', 'let', 'in',
  'with', 'rec', 'if', 'then', 'else', 'assert', 'import nixpkgs', 'import nixpkgs {', 'import nixpkgs { }',
  'import <nixpkgs> {}', 'inputs.nixpkgs', 'pkgs', 'system', 'localSystem', 'crossSystem', 'config', 'overlays',
  '#- /x.nix', '# nixpkgs-instances: ignore', '# nixpkgs-instances: ignore impure-system', 'x:', '{ ... }:',
  'a.b.c', '"${system}"', 'true', 'null', '0', '1.5e3', '-1',
];

/** Names the index reads: renaming an identifier to one of these reaches deep into extraction. */
const SIGNIFICANT = [
  'nixpkgs', 'import', 'inputs', 'pkgs', 'system', 'localSystem', 'crossSystem', 'config', 'overlays',
  'crossOverlays', 'specialArgs', 'extraSpecialArgs', 'modules', 'imports', 'legacyPackages', 'pkgsCross',
  'pkgsStatic', 'pkgsi686Linux', 'extend', 'appendOverlays', 'nixosSystem', 'darwinSystem',
  'homeManagerConfiguration', 'genAttrs', 'forAllSystems', 'eachSystem', 'eachDefaultSystem', 'perSystem',
  '_module', 'args', 'meta', 'outPath', 'path', 'fetchTarball', 'fetchFromGitHub', 'fetchGit', 'builtins',
  'emulatedSystems', 'binfmt', 'boot', 'hostPlatform', 'buildPlatform', 'gcc', 'arch', 'abi', 'lib', 'self',
  'nixpkgs-unstable', 'unstable', 'home-manager', 'useGlobalPkgs', 'users', 'readOnlyPkgs', 'outputs', 'url',
  'follows', 'description', 'x', 'allowUnfree', 'final', 'prev', 'mkPkgs', 'callPackage', 'or',
];

/** String contents the index and the cross-system checks read. */
const STRINGS = [
  'x86_64-linux', 'aarch64-linux', 'riscv64-linux', 'riscv32-linux', 'x86_64-darwin', 'i686-linux', '',
  'riscv64-unknown-linux-gnu', 'riscv64-unknown-linux-musl', 'riscv32-none-elf', 'riscv64-none-elf',
  'riscv64-unknown-linux-gnux', 'armv7l-unknown-linux-gnueabihf', 'wasm32-unknown-wasi', 'x86_64-w64-mingw32',
  'rv64gc', 'rv64imac', 'rv32e', 'rv32imc', 'rv64gcv_zba_zbb', 'RV64GC', 'rv64', 'rv128i', 'rv64g_zicsr_',
  'lp64d', 'lp64', 'ilp32e', 'ilp32d', 'lp64q', 'github:NixOS/nixpkgs/nixos-24.05', 'nixpkgs/nixos-unstable',
  'git+https://github.com/NixOS/nixpkgs?ref=master', 'github:numtide/flake-utils', 'nixpkgs', 'path:./x',
  '${x}', '${', '\\"', '\\${', '$${', '\u00e9', '\ud83d\ude00', 'a\nb', 'nixpkgs-instances: ignore',
];

/** Characters that break assumptions about text: non-ASCII, astral (surrogate pairs), lone surrogates, controls, breaks. */
const ODD_CHARS = [
  '\u00e9', '\u00f1', '\u4e2d', '\ud83d\ude00', '\ud835\udd18', '\u200d', '\u202e', '\u0301', '\u00a0', '\u2028',
  '\u2029', '\u0085', '\ud800', '\udc00', '\ufffd', '\ufeff', '\u0000', '\u0007', '\t', '\v', '\f', '\r', '\r\n',
  '\u000b', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{10FFFF}',
];

export interface MutationEnv {
  parser: NixParser;
  /** Texts to splice from. */
  donors: readonly CorpusFile[];
  /** Cached subtrees of the donors (by donor index). */
  donorSubs: (i: number) => Sub[];
}

type Mutation = (r: Random, text: string, env: MutationEnv) => string;

function pickSub(r: Random, subs: Sub[], named = true): Sub | null {
  const pool = named ? subs.filter((s) => s.named && s.end > s.start) : subs;
  return pool.length ? r.pick(pool) : null;
}

/** A subtree, preferring small ones: most edits touch a few tokens, not whole files. */
function pickSmallish(r: Random, subs: Sub[]): Sub | null {
  const named = subs.filter((s) => s.named && s.end > s.start);
  if (!named.length) return null;
  const a = r.pick(named);
  const b = r.pick(named);
  return a.end - a.start <= b.end - b.start ? a : b;
}

function replace(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** An offset, half of the time at a node boundary (where tokens meet). */
function offsetIn(r: Random, text: string, subs: Sub[]): number {
  if (subs.length && r.chance(0.5)) {
    const s = r.pick(subs);
    return r.chance(0.5) ? s.start : s.end;
  }
  return r.int(0, text.length);
}

function donorSub(r: Random, env: MutationEnv, type?: string): string | null {
  const i = r.int(0, env.donors.length - 1);
  const text = env.donors[i]!.text;
  const subs = env.donorSubs(i).filter((s) => s.named && s.end > s.start && (!type || s.type === type));
  if (!subs.length) return null;
  const s = r.pick(subs);
  return text.slice(s.start, s.end);
}

const MUTATIONS: Record<string, Mutation> = {
  deleteSubtree(r, text, env) {
    const s = pickSmallish(r, subtrees(env.parser, text));
    return s ? replace(text, s.start, s.end, '') : text;
  },
  duplicateSubtree(r, text, env) {
    const s = pickSmallish(r, subtrees(env.parser, text));
    if (!s) return text;
    const copy = text.slice(s.start, s.end);
    return replace(text, s.end, s.end, r.pick([' ', '\n', '; ', '']) + copy);
  },
  swapSubtrees(r, text, env) {
    const subs = subtrees(env.parser, text).filter((s) => s.named && s.end > s.start);
    for (let tries = 0; tries < 8 && subs.length > 1; tries++) {
      let a = r.pick(subs);
      let b = r.pick(subs);
      if (a.start > b.start) [a, b] = [b, a];
      if (a.end > b.start) continue;
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
    return text;
  },
  replaceWithDonor(r, text, env) {
    const subs = subtrees(env.parser, text);
    const s = pickSub(r, subs);
    if (!s) return text;
    // Same node type most of the time: the result is then usually a well-formed tree.
    const insert = donorSub(r, env, r.chance(0.7) ? s.type : undefined);
    return insert === null ? text : replace(text, s.start, s.end, insert);
  },
  insertDonor(r, text, env) {
    const insert = donorSub(r, env);
    if (insert === null) return text;
    const at = offsetIn(r, text, subtrees(env.parser, text));
    return replace(text, at, at, insert);
  },
  insertToken(r, text, env) {
    const at = offsetIn(r, text, subtrees(env.parser, text));
    const token = r.pick(TOKENS);
    return replace(text, at, at, r.chance(0.5) ? ` ${token} ` : token);
  },
  deleteToken(r, text, env) {
    const tokens = subtrees(env.parser, text).filter((s) => !s.named && s.end > s.start);
    if (!tokens.length) return text;
    const s = r.pick(tokens);
    return replace(text, s.start, s.end, '');
  },
  renameIdentifier(r, text, env) {
    const ids = subtrees(env.parser, text).filter((s) => s.type === 'identifier');
    if (!ids.length) return text;
    const s = r.pick(ids);
    return replace(text, s.start, s.end, r.pick(SIGNIFICANT));
  },
  changeString(r, text, env) {
    const frags = subtrees(env.parser, text).filter((s) => s.type === 'string_fragment' || s.type === 'string_expression');
    if (!frags.length) return text;
    const s = r.pick(frags);
    const value = r.pick(STRINGS);
    return replace(text, s.start, s.end, s.type === 'string_expression' ? `"${value}"` : value);
  },
  truncate(r, text) {
    return text.slice(0, r.int(0, text.length));
  },
  cutMiddle(r, text) {
    const a = r.int(0, text.length);
    const b = Math.min(text.length, a + r.int(1, 200));
    return replace(text, a, b, '');
  },
  splice(r, text, env) {
    const other = r.pick(env.donors).text;
    return text.slice(0, r.int(0, text.length)) + other.slice(r.int(0, other.length));
  },
  lineEndings(r, text) {
    const choice = r.int(0, 3);
    if (choice === 0) return text.replace(/\n/g, '\r\n');
    if (choice === 1) return text.replace(/\n/g, '\r');
    if (choice === 2) return text.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r', '\n\r']));
    return '\ufeff' + text;
  },
  oddChars(r, text, env) {
    const subs = subtrees(env.parser, text);
    let out = text;
    for (let k = r.int(1, 4); k > 0; k--) {
      const at = r.chance(0.5) ? offsetIn(r, out, subs.filter((s) => s.end <= out.length)) : r.int(0, out.length);
      out = replace(out, at, at, r.pick(ODD_CHARS));
    }
    return out;
  },
  /** Splits a surrogate pair or a CRLF: offsets inside one are where position conversions go wrong. */
  splitPair(r, text) {
    const at = r.int(0, text.length);
    const astral = '\ud83d\ude00';
    return replace(text, at, at, r.chance(0.5) ? astral + astral.slice(0, 1) : '\r\n\r');
  },
  /**
   * A very long line. Attribute paths stay under 1,500 names: tree-sitter-nix 0.0.2's scanner
   * looks for a path (`a/b`) from every token of a run of path characters, so parsing such a run
   * takes time quadratic in its length (12,600 names: 16 s), which is a known grammar problem
   * rather than something to rediscover in every run.
   */
  longLine(r, text, env) {
    // Mostly lines of a few thousand characters; now and then one of a hundred thousand.
    const n = r.chance(0.03) ? r.int(30_000, 120_000) : r.int(500, 8_000);
    const at = offsetIn(r, text, subtrees(env.parser, text));
    const kind = r.int(0, 6);
    const insert =
      kind === 0 ? 'a'.repeat(n)
      : kind === 1 ? `"${'x'.repeat(n)}"`
      : kind === 2 ? `[ ${'1 '.repeat(n / 2)}]`
      : kind === 3 ? Array.from({ length: Math.min(n / 8, 1500) }, (_, i) => `a${i}`).join('.')
      : kind === 4 ? `{ ${Array.from({ length: n / 12 }, (_, i) => `k${i} = ${i};`).join(' ')} }`
      : kind === 5 ? `# ${'comment '.repeat(n / 8)}`
      : `''${'${x}'.repeat(n / 4)}''`;
    return replace(text, at, at, insert);
  },
  deepNest(r, text, env) {
    const s = pickSmallish(r, subtrees(env.parser, text));
    const depth = r.chance(0.8) ? r.int(2, 200) : r.int(200, 3000);
    const inner = s ? text.slice(s.start, s.end) : 'x';
    const shapes: [string, string][] = [
      ['(', ')'],
      ['[ ', ' ]'],
      ['{ a = ', '; }'],
      ['let x = ', '; in x'],
      ['x: ', ''],
      ['{ pkgs, ... }: ', ''],
      ['import nixpkgs { overlays = [ ', ' ]; }'],
      ['if true then ', ' else null'],
      ['!', ''],
      ['with x; ', ''],
      ['"${', '}"'],
      ['rec { x = ', '; }'],
    ];
    const [open, close] = r.pick(shapes);
    const nested = open.repeat(depth) + inner + close.repeat(depth);
    return s ? replace(text, s.start, s.end, nested) : nested;
  },
  /** Many copies of one subtree: hundreds of instances or bindings in one file. */
  repeatSubtree(r, text, env) {
    const subs = subtrees(env.parser, text).filter((s) => s.type === 'binding' || s.type === 'apply_expression');
    const s = subs.length ? r.pick(subs) : null;
    if (!s) return text;
    const copy = text.slice(s.start, s.end);
    // Many copies of a small subtree, not of one that an earlier mutation made huge.
    const n = Math.min(r.chance(0.05) ? r.int(100, 300) : r.int(2, 60), Math.max(1, Math.floor(60_000 / Math.max(1, copy.length))));
    const sep = s.type === 'binding' ? '\n' : ' ';
    return replace(text, s.end, s.end, (sep + copy).repeat(n));
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Random bytes decoded as text (invalid UTF-8 becomes U+FFFD, as an editor shows it) or as Latin-1. */
function randomBytesText(r: Random): string {
  const n = r.chance(0.95) ? r.int(0, 2_000) : r.int(2_000, 40_000);
  const bytes = new Uint8Array(n);
  const printable = r.chance(0.5);
  for (let i = 0; i < n; i++) bytes[i] = printable ? r.int(9, 126) : r.int(0, 255);
  return r.chance(0.7) ? new TextDecoder('utf-8').decode(bytes) : Buffer.from(bytes).toString('latin1');
}

/** A random sequence of Nix tokens, identifiers and odd characters. */
function tokenSoup(r: Random): string {
  let out = '';
  for (let k = r.int(1, 400); k > 0; k--) {
    const c = r.int(0, 9);
    out += c < 6 ? r.pick(TOKENS) : c < 8 ? r.pick(SIGNIFICANT) : c < 9 ? `"${r.pick(STRINGS)}"` : r.pick(ODD_CHARS);
    out += r.pick([' ', ' ', '\n', '']);
  }
  return out;
}

/** One fuzz input: a small workspace, the files that were mutated, and how they were made. */
export interface FuzzInput {
  index: number;
  files: Map<string, string>;
  /** Paths of the files the harness made up (where offsets and ranges are drawn). */
  mutated: string[];
  /** How each mutated file was made, for the crash report. */
  recipe: string[];
}

export const FLAKE_PATH = '/ws/flake.nix';
export const MODULE_PATH = '/ws/modules/fuzz.nix';
const SUB_FLAKE_PATH = '/ws/sub/flake.nix';

/** The seed of input `index` of a run: independent streams, so any input can be replayed alone. */
export function inputSeed(seed: number, index: number): number {
  let h = (seed ^ 0x5bd1e995) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = (h + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

function mutatedText(r: Random, env: MutationEnv, role: 'flake' | 'module', recipe: string[]): string {
  const kind = r.float();
  if (kind < 0.05) {
    recipe.push('random-bytes');
    return randomBytesText(r);
  }
  if (kind < 0.09) {
    recipe.push('token-soup');
    return tokenSoup(r);
  }
  const pool = env.donors.filter((d) => d.role === role || r.chance(0.15));
  const base = (pool.length ? r.pick(pool) : r.pick(env.donors));
  recipe.push(`base ${base.name}`);
  let text = base.text;
  // Mostly one or two mutations; sometimes a pile-up.
  const count = r.chance(0.1) ? 0 : r.chance(0.6) ? r.int(1, 2) : r.int(3, 8);
  for (let k = 0; k < count; k++) {
    const name = r.pick(MUTATION_NAMES);
    text = MUTATIONS[name]!(r, text, env);
    if (text.length > MAX_INPUT_CHARS) text = text.slice(0, MAX_INPUT_CHARS);
    recipe.push(name);
  }
  return text;
}

/** Builds input `index` of the run with `seed`. */
export function makeInput(seed: number, index: number, env: MutationEnv): FuzzInput {
  const r = new Random(inputSeed(seed, index));
  const files = new Map<string, string>();
  const recipe: string[] = [];
  const mode = r.float();
  let mutated: string[];
  if (mode < 0.5) {
    files.set(FLAKE_PATH, BASE_FLAKE);
    files.set(MODULE_PATH, mutatedText(r, env, 'module', recipe));
    mutated = [MODULE_PATH];
  } else if (mode < 0.85) {
    files.set(FLAKE_PATH, mutatedText(r, env, 'flake', recipe));
    files.set(MODULE_PATH, BASE_MODULE);
    mutated = [FLAKE_PATH];
  } else {
    files.set(FLAKE_PATH, mutatedText(r, env, 'flake', recipe));
    recipe.push('|');
    files.set(MODULE_PATH, mutatedText(r, env, 'module', recipe));
    mutated = [FLAKE_PATH, MODULE_PATH];
  }
  if (r.chance(0.1)) {
    const sub = r.pick(env.donors.filter((d) => d.role === 'flake'));
    files.set(SUB_FLAKE_PATH, sub.text);
    recipe.push(`sub-flake ${sub.name}`);
  }
  return { index, files, mutated, recipe };
}
