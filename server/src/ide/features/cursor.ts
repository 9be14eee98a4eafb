/**
 * Where the cursor is, in terms completion cares about: inside a comment or
 * a string value, at an attribute key, at a binding's value, after `x.y.`,
 * or among a lambda's formals.
 *
 * Half-typed code is the normal case here, so the text is parsed with a
 * placeholder identifier inserted at the cursor (as rust-analyzer does):
 * `{ gcc.| }` becomes `{ gcc.CURSOR }`, which tree-sitter reads as an
 * attribute path instead of giving up on the whole set. Offsets returned are
 * offsets into the real text.
 */
import { ancestors, applyParts, attrpathNames, isAttrset, K, outsideParens, parentOf, selectParts, tooDeep, unparen, variableName, type Node } from '../../syntax/ast.js';
import type { Span } from '../text.js';
import type { FeatureContext } from './context.js';

/** The placeholder identifier; no Nix file uses it. */
export const CURSOR_WORD = 'nixpkgsInstancesCursorHere';

/** `import <src> { ... }` around the cursor: the argument set and the path inside it. */
export interface ImportArgs {
  /** The whole argument attrset (in the parsed text). */
  set: Node;
  /** The source expression (`nixpkgs`, `inputs.nixpkgs`, `<nixpkgs>`). */
  source: Node;
  /** The whole application. */
  apply: Node;
  /** Attribute names from the argument set down to the cursor's set (`["crossSystem", "gcc"]`). */
  path: string[];
}

export type Place =
  /** Nothing to complete. `repair`: text to add after the placeholder for another try, when the parser lost the structure. */
  | { kind: 'none'; repair?: string }
  /** Inside the string value of `key = "…";`. `content` is the text between the quotes (real offsets). */
  | { kind: 'string'; key: string[]; container: Node; content: Span }
  /** At a key of a set or `let`; `path` holds the attribute names already typed before the last dot. */
  | { kind: 'key'; container: Node; path: string[] }
  /** At the value of `key = |`, with a bare word or nothing typed. */
  | { kind: 'value'; key: string[]; container: Node; binding: Node }
  /** After `a.b.` in an expression. */
  | { kind: 'member'; base: string[] }
  /** Among the formals of a lambda `{ a, b, | }:`. */
  | { kind: 'formal'; formals: Node };

/** The cursor's place and the word being typed there (real offsets). */
export interface Cursor {
  place: Place;
  /** The root of the parsed (placeholder) tree; offsets before the cursor are the real ones. */
  root: Node;
  /** The identifier characters around the cursor: what a completion replaces. */
  word: Span;
  /** The part of the word before the cursor. */
  prefix: string;
}

const WORD_CHAR = /[A-Za-z0-9_'-]/;

function wordAround(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  let end = offset;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  return { start, end };
}

/**
 * The last leaf token that starts before `offset` (the one covering
 * `offset - 1`, or the last one ending before it), skipping comments and
 * zero-width (MISSING) tokens.
 */
export function leafBefore(root: Node, offset: number): Node | null {
  let n: Node = root;
  for (;;) {
    let pick: Node | null = null;
    // All children at once: `child(i)` counts from the first child, so a loop over it is
    // quadratic in wide nodes (an attribute path of thousands of names).
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (!c || c.startIndex >= offset || c.endIndex === c.startIndex) continue;
      pick = c;
      break;
    }
    if (!pick) return n === root ? null : n;
    if (pick.childCount === 0) {
      if (pick.type === K.Comment) return leafBefore(root, pick.startIndex);
      return pick;
    }
    if (pick.type === K.String || pick.type === K.IndentedString) {
      // A whole string before the cursor counts as one token.
      if (pick.endIndex <= offset) return pick;
    }
    n = pick;
  }
}

/** Whether `node` sits in a comment or string (code inside `${}` does not). */
function enclosingLiteral(node: Node): Node | null {
  for (const n of [node, ...ancestors(node)]) {
    if (n.type === K.Comment || n.type === K.String || n.type === K.IndentedString) return n;
    if (n.type === K.Interpolation) return null;
  }
  return null;
}

function isSetLike(n: Node): boolean {
  return isAttrset(n) || n.type === K.Let || n.type === K.LetAttrset;
}

/** The attribute path of a binding, or null when a part is computed. */
function bindingKey(binding: Node): string[] | null {
  const attrpath = binding.childForFieldName('attrpath');
  if (!attrpath) return null;
  const names = attrpathNames(attrpath);
  return names.some((n) => n === null) ? null : (names as string[]);
}

/** The set a binding belongs to. */
function setOfBinding(binding: Node): Node | null {
  let p = parentOf(binding);
  if (p?.type === K.BindingSet) p = parentOf(p);
  // A binding the parser kept inside an ERROR: which set it belongs to is a guess, so say none.
  return p && isSetLike(p) ? p : null;
}

/**
 * Classifies the cursor. `body` runs with the parsed (placeholder) tree;
 * nodes must not escape it.
 */
export function withCursor<T>(ctx: FeatureContext, text: string, offset: number, body: (cursor: Cursor) => T): T {
  const word = wordAround(text, offset);
  const prefix = text.slice(word.start, offset);
  const attempt = (inserted: string, retry: boolean): T => {
    const parsed = text.slice(0, offset) + inserted + text.slice(offset);
    const shift = inserted.length;
    const real = (p: number) => (p <= offset ? p : Math.max(offset, p - shift));
    const tree = ctx.parser.parse(parsed);
    try {
      const root = tree.rootNode;
      const at = root.descendantForIndex(offset, offset + CURSOR_WORD.length) ?? root;
      // Nothing to offer in nesting deeper than any configuration, and classifying walks up the tree.
      if (tooDeep(root, offset)) return body({ place: { kind: 'none' }, root, word, prefix });
      const place = classify(root, at, word.start, offset, real);
      if (retry) {
        // `{ x }` alone reads as the formals of a lambda whose `:` is missing; inside a set
        // it is a key, which a placeholder binding makes plain.
        if (place.kind === 'formal' && looseFormals(place.formals)) return attempt(`${CURSOR_WORD} = null;`, false);
        if (place.kind === 'none' && place.repair) return attempt(CURSOR_WORD + place.repair, false);
      }
      return body({ place, root, word, prefix });
    } finally {
      tree.delete();
    }
  };
  return attempt(CURSOR_WORD, true);
}

/** Formals the parser guessed without a `:` after them and without a `,` or `...` that only formals have. */
function looseFormals(formalsNode: Node): boolean {
  if (parentOf(formalsNode)?.type === K.Function) return false;
  return !formalsNode.children.some((c) => c && (c.type === ',' || c.type === '...' || c.type === 'ellipses'));
}

function classify(root: Node, at: Node, wordStart: number, offset: number, real: (p: number) => number): Place {
  const literal = enclosingLiteral(at);
  if (literal) {
    if (literal.type !== K.String) return { kind: 'none' };
    return stringPlace(literal, real);
  }
  // The typed word plus the placeholder is one identifier; look at what precedes it.
  let prev = leafBefore(root, wordStart);
  const dotted: string[] = [];
  while (prev && prev.type === '.') {
    // Completion after a dot knows a few short paths; a generated path of thousands of names
    // would cost a walk through its parent per name.
    if (dotted.length >= 32) return { kind: 'none' };
    const name = leafBefore(root, prev.startIndex);
    if (!name || name.type !== K.Identifier) return { kind: 'none' };
    dotted.unshift(name.text);
    prev = leafBefore(root, name.startIndex);
  }
  const before = prev?.type ?? '';
  const parent = prev ? parentOf(prev) : null;
  if ((before === '{' || before === ',') && dotted.length === 0) {
    const formalsNode = ancestor(at, (n) => n.type === K.Formals, (n) => isSetLike(n));
    if (formalsNode) return { kind: 'formal', formals: formalsNode };
  }
  if (before === '{' || before === ';' || before === 'let') {
    const container = ancestor(at, isSetLike, (n) => n.type === K.Binding && !keyHolds(n, at));
    // `let\n  pk|\nin`: the half-typed binding breaks the `let`; a placeholder binding mends it.
    // The parser may also fall back to the legacy `let { ... }` form.
    if (!container || container.type === K.LetAttrset) return { kind: 'none', repair: ' = null;' };
    return { kind: 'key', container, path: dotted };
  }
  if (dotted.length > 0) return { kind: 'member', base: dotted };
  // `cross = nixp|` before `in` without its `;` breaks the `let`: add the `;`.
  if (before === '=' && parent?.type !== K.Binding) return { kind: 'none', repair: ';' };
  if (before === '=' && parent?.type === K.Binding) {
    const key = bindingKey(parent);
    const container = setOfBinding(parent);
    const value = parent.childForFieldName('expression');
    // Only a bare word (or nothing) as the value: `pkgs = |`, `pkgs = nixp|`.
    if (!key || !value || value.startIndex !== wordStart) return { kind: 'none' };
    if (!container) return { kind: 'none', repair: ';' };
    const v = unparen(value);
    const head = v.type === K.Apply ? (applyParts(v)?.fn ?? v) : v;
    if (head.type !== K.Variable || head.endIndex < offset) return { kind: 'none' };
    return { kind: 'value', key, container, binding: parent };
  }
  return { kind: 'none' };
}

/** Whether `at` lies in the attribute path (the key) of `binding`. */
function keyHolds(binding: Node, at: Node): boolean {
  const attrpath = binding.childForFieldName('attrpath');
  return attrpath !== null && at.startIndex >= attrpath.startIndex && at.endIndex <= attrpath.endIndex;
}

/** The nearest ancestor matching `want`, unless one matching `stop` comes first. */
function ancestor(from: Node, want: (n: Node) => boolean, stop: (n: Node) => boolean): Node | null {
  for (const n of [from, ...ancestors(from)]) {
    if (want(n)) return n;
    if (stop(n)) return null;
  }
  return null;
}

function stringPlace(str: Node, real: (p: number) => number): Place {
  const n = outsideParens(str);
  const binding = parentOf(n);
  if (!binding || binding.type !== K.Binding || !binding.childForFieldName('expression')?.equals(n)) return { kind: 'none' };
  const key = bindingKey(binding);
  const container = setOfBinding(binding);
  if (!key || !container) return { kind: 'none' };
  // Only plain strings: an interpolation makes the value something else.
  if (str.namedChildren.some((c) => c && c.type === K.Interpolation)) return { kind: 'none' };
  const open = str.startIndex + 1;
  const last = str.child(str.childCount - 1);
  const close = last && last.type === '"' && !last.isMissing && str.childCount > 1 ? str.endIndex - 1 : str.endIndex;
  const raw = str.text.slice(1, close - str.startIndex);
  // Editors replace within one line; these values never span lines.
  if (raw.includes('\n') || raw.includes('\r')) return { kind: 'none' };
  return { kind: 'string', key, container, content: { start: real(open), end: real(close) } };
}

/**
 * The `import <src> { ... }` whose argument set contains `set` (directly or
 * through nested sets), and the attribute path down to `set`.
 */
export function importArgsOf(set: Node): ImportArgs | null {
  let n: Node = set;
  const path: string[] = [];
  for (let depth = 0; depth < 20; depth++) {
    let p = parentOf(n);
    while (p && p.type === K.Paren) {
      n = p;
      p = parentOf(p);
    }
    if (!p) return null;
    if (p.type === K.Apply && p.childForFieldName('argument')?.equals(n)) {
      const parts = applyParts(p);
      if (!parts || parts.args.length !== 2 || !parts.args[1]!.equals(n)) return null;
      if (calleeName(parts.fn) !== 'import') return null;
      return { set: unparen(n), source: parts.args[0]!, apply: p, path };
    }
    if (p.type === K.Binding && p.childForFieldName('expression')?.equals(n)) {
      const key = bindingKey(p);
      const outer = setOfBinding(p);
      if (!key || !outer || !isAttrset(outer)) return null;
      path.unshift(...key);
      n = outer;
      continue;
    }
    return null;
  }
  return null;
}

/** `import`, `builtins.import`, `lib.nixosSystem` → the last name. */
export function calleeName(fn: Node): string | null {
  const v = variableName(fn);
  if (v) return v;
  const sel = selectParts(fn);
  const last = sel.path.at(-1);
  return typeof last === 'string' ? last : null;
}

/** The call a set is the last argument of (`nixosSystem { ... }`), with the callee's name. */
export function callOfSet(set: Node): { apply: Node; callee: string } | null {
  const n = outsideParens(set);
  const p = parentOf(n);
  if (!p || p.type !== K.Apply || !p.childForFieldName('argument')?.equals(n)) return null;
  const parts = applyParts(p);
  const callee = parts ? calleeName(parts.fn) : null;
  return callee ? { apply: p, callee } : null;
}

/** For a set that is the value of `key = { ... }`, the binding and its key. */
export function bindingOfValue(set: Node): { binding: Node; key: string[] } | null {
  const n = outsideParens(set);
  const p = parentOf(n);
  if (!p || p.type !== K.Binding || !p.childForFieldName('expression')?.equals(n)) return null;
  const key = bindingKey(p);
  return key ? { binding: p, key } : null;
}
