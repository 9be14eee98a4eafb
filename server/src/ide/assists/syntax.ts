/**
 * Text-editing helpers shared by assists: where a binding starts and ends,
 * how a line is indented, how to remove a node together with its line.
 */
import { K, type Node } from '../../syntax/ast.js';
import type { Span } from '../text.js';

/** The smallest node of one of `types` that contains `span`. */
export function enclosing(root: Node, span: Span, types: readonly string[]): Node | null {
  let n: Node | null = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  while (n && !types.includes(n.type)) n = n.parent;
  return n;
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
