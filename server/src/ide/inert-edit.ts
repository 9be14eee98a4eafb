/**
 * The fast path for typing: an edit that changes one value inside a single
 * token (a number, a string's text, an attribute name) outside everything the
 * index recorded cannot change what the file means to the index. Its facts
 * are kept with their offsets shifted, and the workspace model and
 * diagnostics are kept with their positions shifted, instead of extracting
 * the file and rebuilding the workspace again. Anything else (line breaks,
 * let bindings, formals, words the index looks for, edits inside an instance
 * or a builder) takes the full path.
 */
import { ancestors, K, parentOf, type Node } from '../syntax/ast.js';
import type { Tree } from '../syntax/parser.js';
import type { Diagnostic } from './diagnostics/index.js';
import type { FileFacts } from './index/facts.js';
import type { Span } from './text.js';

/** Token kinds whose text can change without changing the shape of the tree. */
const INERT_LEAVES = new Set<string>(['integer_expression', 'float_expression', K.StringFragment, K.Identifier]);

export interface Leaf {
  type: string;
  start: number;
  end: number;
  text: string;
}

/** The token that holds `[start, end)`, if it is one the fast path accepts. */
export function inertLeafAt(tree: Tree, start: number, end: number): Leaf | null {
  const node = leafNodeAt(tree, start, end, (n) => INERT_LEAVES.has(n.type));
  if (!node || !INERT_LEAVES.has(node.type) || !inertContext(node)) return null;
  return { type: node.type, start: node.startIndex, end: node.endIndex, text: node.text };
}

/**
 * The token (of any kind) that holds `[start, end)`, for the second fast path, which checks the
 * facts itself; typing where two tokens meet types at the end of the first (`"Berlin|"`).
 */
export function tokenAt(tree: Tree, start: number, end: number): Leaf | null {
  const node = leafNodeAt(tree, start, end, () => false);
  return node ? { type: node.type, start: node.startIndex, end: node.endIndex, text: node.text } : null;
}

function leafNodeAt(tree: Tree, start: number, end: number, wanted: (leaf: Node) => boolean): Node | null {
  let node: Node | null = tree.rootNode.descendantForIndex(start, Math.max(start, end));
  // Typing at the end of a token (`"abc|"`) is an insertion at the boundary with the next one.
  if (node && start === end && start > 0 && !(node.childCount === 0 && wanted(node))) {
    const before = tree.rootNode.descendantForIndex(start - 1, start - 1);
    if (before && before.endIndex === start) node = before;
  }
  if (!node || node.childCount > 0) return null;
  if (node.startIndex > start || node.endIndex < end) return null;
  return node;
}

/** Whether a token's text is invisible to the facts wherever it changes. */
function inertContext(leaf: Node): boolean {
  const parent = parentOf(leaf);
  if (leaf.type === K.Identifier) {
    // Formals and lambda parameters shape scopes and module arguments; a variable's name decides
    // what it refers to (renaming the one use of a `let` binding leaves that binding unused).
    if (!parent || parent.type === K.Formal || parent.type === K.Function || parent.type === K.InheritedAttrs || parent.type === K.Variable) return false;
  }
  for (const n of ancestors(leaf)) {
    // Values of let and rec bindings are read through names (aliases, `system = "...";`).
    if (n.type === K.BindingSet) {
      const owner = parentOf(n)?.type;
      if (owner === K.Let || owner === K.RecAttrset || owner === K.LetAttrset) return false;
    }
    if (n.type === K.Formals || n.type === K.Comment) return false;
  }
  return true;
}

/** Every span recorded in a file's facts. */
function* factSpans(facts: FileFacts): Generator<Span> {
  for (const s of facts.sites) {
    yield s.span;
    yield s.anchor;
    if (s.bindingSpan) yield s.bindingSpan;
  }
  for (const w of facts.wrappers) yield w.span;
  for (const b of facts.builders) {
    yield b.span;
    yield* b.nameSpans;
  }
  for (const i of facts.imports) yield i.span;
  for (const c of facts.fileCalls) yield c.span;
  for (const o of facts.options) yield o.span;
  for (const e of facts.emulatedSystems) yield e.span;
  for (const i of facts.flakeInputs ?? []) {
    yield i.span;
    yield* i.nameSpans;
  }
}

/** Whether `[start, end)` touches none of the facts' spans. */
export function outsideFacts(facts: FileFacts, start: number, end: number): boolean {
  for (const s of factSpans(facts)) if (s.start <= end && start <= s.end) return false;
  return true;
}

/** Shifts every `{ start, end }` at or after `from` by `delta`, in place (facts hold plain objects and Maps). */
export function shiftSpans(value: unknown, from: number, delta: number, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const v of value.values()) shiftSpans(v, from, delta, seen);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) shiftSpans(v, from, delta, seen);
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o['start'] === 'number' && typeof o['end'] === 'number') {
    if ((o['start'] as number) >= from) o['start'] = (o['start'] as number) + delta;
    if ((o['end'] as number) >= from) o['end'] = (o['end'] as number) + delta;
    return;
  }
  for (const v of Object.values(o)) shiftSpans(v, from, delta, seen);
}

/** Shifts positions on `line` at or after `character` by `delta` in diagnostics of (and pointing into) `file`. */
export function shiftDiagnostics(diagnostics: Diagnostic[], file: string, line: number, character: number, delta: number): void {
  const fix = (p: { line: number; character: number }) => {
    if (p.line === line && p.character >= character) p.character += delta;
  };
  for (const d of diagnostics) {
    if (d.file === file) {
      fix(d.range.start);
      fix(d.range.end);
    }
    for (const r of d.related) {
      if (r.file !== file) continue;
      fix(r.range.start);
      fix(r.range.end);
    }
  }
}
