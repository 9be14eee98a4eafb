/**
 * Text-editing helpers shared by assists: where a binding starts and ends,
 * how a line is indented, how to remove a node together with its line.
 */
import { ancestors, K, parentOf, type Node } from '../../syntax/ast.js';
import type { Span } from '../text.js';
import { resolveName, type Binder } from '../scope.js';

export { enclosingWiths, freeNames } from '../scope.js';

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

/** Where a name is bound (see `../scope.ts`, the one resolver). */
export type Definition = Binder;

/** The binder of `name` seen from `node`, or null when the name is free there. */
export const lexicalDefinition = resolveName;

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
