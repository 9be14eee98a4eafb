/**
 * Text-editing helpers shared by assists: where a binding starts and ends,
 * how a line is indented, how to remove a node together with its line.
 */
import { ancestors, K, parentOf, type Node } from '../../syntax/ast.js';
import type { Span } from '../text.js';

/** The smallest node of one of `types` that contains `span`. */
export function enclosing(root: Node, span: Span, types: readonly string[]): Node | null {
  const at = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  return at ? ([at, ...ancestors(at)].find((n) => types.includes(n.type)) ?? null) : null;
}

/** The whitespace at the start of the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The line break style of a text. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Whether only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/**
 * The span that removes `span` cleanly: its whole lines when it stands alone on
 * them (with the line break), otherwise the text and the spaces after it.
 */
export function removalSpan(text: string, span: Span): Span {
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  let lineEnd = text.indexOf('\n', span.end);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, span.start);
  const after = text.slice(span.end, lineEnd);
  if (before.trim() === '' && after.trim() === '') {
    return { start: lineStart, end: Math.min(text.length, lineEnd + 1) };
  }
  let end = span.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return { start: span.start, end };
}

/** Is `node` a binding or inherit inside a binding set? */
export function isBindingLike(node: Node): boolean {
  return node.type === K.Binding || node.type === K.Inherit || node.type === K.InheritFrom;
}

// ---------------------------------------------------------------- spans and scopes
// (used by the quick fixes: remove-system-arg, add-local-system, use-legacy-packages,
// fix-cross-abi, reuse-instance)
import { bindings, formals, variableName, walk } from '../../syntax/ast.js';

/** The innermost node whose span is exactly `span` (of one of `types`, when given), or null. */
export function nodeWithSpan(root: Node, span: Span, types?: readonly string[]): Node | null {
  const at = root.descendantForIndex(span.start);
  for (const n of at ? [at, ...ancestors(at)] : []) {
    if (n.startIndex < span.start || n.endIndex > span.end) return null;
    if (n.startIndex === span.start && n.endIndex === span.end && (!types || types.includes(n.type))) return n;
  }
  return null;
}

/**
 * The span to replace when `node` becomes a variable or a selection (`a.b.c`):
 * parentheses holding nothing but `node` go with it, because such an
 * expression never needs them (`(import nixpkgs { }).hello` → `pkgs.hello`).
 * Parentheses that hold a comment stay.
 */
export function spanWithOwnParens(node: Node): Span {
  let n = node;
  for (let p = parentOf(n); p && p.type === K.Paren && p.namedChildren.length === 1; p = parentOf(n)) n = p;
  return { start: n.startIndex, end: n.endIndex };
}

/** Where a name is bound: a lambda's formal or argument, or a `let`/`rec` entry. */
export interface Definition {
  kind: 'formal' | 'universal' | 'let' | 'rec';
  /** The lambda, `let` or `rec` set that binds the name. */
  scope: Node;
  /** The `binding`/`inherit` entry of a let or rec set, or the `formal` of a lambda. */
  entry: Node | null;
}

/**
 * The lexical binding of `name` seen from `node` (the nearest enclosing lambda,
 * `let` or `rec` set that binds it), or null when the name is free there. A
 * `with` never hides a lexical binding in Nix, so `with` is not consulted.
 */
export function lexicalDefinition(node: Node, name: string): Definition | null {
  for (const n of ancestors(node)) {
    if (n.type === K.Function) {
      const f = formals(n);
      if (f?.universal === name) return { kind: 'universal', scope: n, entry: null };
      const formal = f?.set?.names.find((x) => x.name === name);
      if (formal) return { kind: 'formal', scope: n, entry: parentOf(formal.node) };
    } else if (n.type === K.Let || n.type === K.RecAttrset) {
      const entry = scopeEntries(n).get(name);
      if (entry) return { kind: n.type === K.Let ? 'let' : 'rec', scope: n, entry };
    }
  }
  return null;
}

/** The entries of `let` and `rec` sets by the names they bind, per tree and node id. */
const scopeCache = new WeakMap<object, Map<number, Map<string, Node>>>();

/**
 * The entry that binds each name in a `let` or `rec` set (the first, as Nix
 * would report the others as duplicates). Cached: the free names of a site
 * look up every variable in every set around it, and a set may have hundreds
 * of entries.
 */
function scopeEntries(set: Node): Map<string, Node> {
  let perTree = scopeCache.get(set.tree);
  if (!perTree) scopeCache.set(set.tree, (perTree = new Map()));
  let names = perTree.get(set.id);
  if (!names) {
    names = new Map();
    for (const e of bindings(set)) {
      const bound = e.kind === 'binding' ? [e.path[0]] : e.names.map((x) => x.name);
      for (const name of bound) if (typeof name === 'string' && !names.has(name)) names.set(name, e.node);
    }
    perTree.set(set.id, names);
  }
  return names;
}

/** The `with` expressions whose body holds `node`, innermost first (they supply free names). */
export function enclosingWiths(node: Node): Node[] {
  const out: Node[] = [];
  let c = node;
  for (const n of ancestors(node)) {
    if (n.type === K.With && n.childForFieldName('body')?.equals(c)) out.push(n);
    c = n;
  }
  return out;
}

/**
 * The names `node` refers to from outside: variables and `inherit x;` names
 * not bound inside `node` itself (a lambda's own arguments in an overlay are not).
 */
export function freeNames(node: Node): Set<string> {
  const out = new Set<string>();
  const inside = (d: Definition | null) => d !== null && d.scope.startIndex >= node.startIndex && d.scope.endIndex <= node.endIndex;
  walk(node, (n) => {
    if (n.type === K.Variable) {
      const name = variableName(n);
      if (name !== null && !inside(lexicalDefinition(n, name))) out.add(name);
    } else if (n.type === K.Inherit) {
      // `inherit x;` reads `x` from outside the set it stands in.
      const up = parentOf(n);
      const set = up ? parentOf(up) : null;
      for (const a of n.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) {
        if (!a || a.type !== K.Identifier || a.isMissing || !set) continue;
        if (!inside(lexicalDefinition(set, a.text))) out.add(a.text);
      }
    }
  });
  return out;
}

/**
 * How to add an entry (`localSystem = system;`) to an attribute set in the
 * set's own style: `{ }` becomes `{ entry; }`; a one-line set gets it first on
 * its line; a multi-line set gets a line of its own above its first entry (and
 * above the comments right over that entry), indented like that entry.
 */
export function entryInsertion(text: string, set: Node, entry: string): { offset: number; text: string } {
  const open = set.children.find((c) => c?.type === '{');
  const openEnd = open ? open.endIndex : set.startIndex + 1;
  const first = set.namedChildren.find((c) => c?.type === K.BindingSet)?.namedChildren.find((c) => c && c.type !== K.Comment);
  const oneLine = !/[\r\n]/.test(text.slice(set.startIndex, set.endIndex));
  if (!first) {
    if (oneLine) return { offset: openEnd, text: ` ${entry}${text[openEnd] === '}' ? ' ' : ''}` };
    return { offset: openEnd, text: `${eol(text)}${indentAt(text, set.startIndex)}  ${entry}` };
  }
  if (oneLine || !startsLine(text, first.startIndex)) return { offset: first.startIndex, text: `${entry} ` };
  let at = text.lastIndexOf('\n', first.startIndex - 1) + 1;
  for (;;) {
    const prevStart = text.lastIndexOf('\n', at - 2) + 1;
    if (at === 0 || prevStart <= openEnd || !text.slice(prevStart, at).trim().startsWith('#')) break;
    at = prevStart;
  }
  return { offset: at, text: `${indentAt(text, first.startIndex)}${entry}${eol(text)}` };
}

/**
 * How to add an entry right after `binding` in the binding's own style: on a line of its
 * own, indented like the binding, when the binding ends its line (a comment after it stays
 * with it); otherwise after it on the same line.
 */
export function entryAfter(text: string, binding: Node, entry: string): { offset: number; text: string } {
  const end = binding.endIndex;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  if (startsLine(text, binding.startIndex) && /^[ \t]*(#.*)?$/.test(text.slice(end, lineEnd))) {
    return { offset: lineEnd, text: `${eol(text)}${indentAt(text, binding.startIndex)}${entry}` };
  }
  return { offset: end, text: ` ${entry}` };
}
