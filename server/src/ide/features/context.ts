/**
 * What every editor feature (completion, hover, navigation, symbols) is
 * handed, and the few helpers they share. Features are pure: they read
 * texts, trees and the workspace model and return plain data with
 * {@link Range}s; the LSP adapter converts them.
 */
import type { Node } from '../../syntax/ast.js';
import { ParseRefused, type NixParser, type Tree } from '../../syntax/parser.js';
import { LineIndex, type Range, type Span } from '../text.js';
import type { WorkspaceModel } from '../workspace.js';

export interface FeatureContext {
  model: WorkspaceModel;
  /** The current text of a workspace file (open or not). */
  text(file: string): string | undefined;
  /** The open document's tree, or null (then features parse `text(file)` themselves and free it). */
  tree(file: string): Tree | null;
  parser: NixParser;
}

/** A place in the workspace. */
export interface FileRange {
  file: string;
  range: Range;
}

/** A span in a file, before it becomes a range. */
export interface FileSpan {
  file: string;
  span: Span;
}

/**
 * Runs `body` on the file's syntax tree: the open document's, or a fresh one
 * parsed from its text and deleted afterwards. `body` must not keep nodes.
 */
export function withTree<T>(ctx: FeatureContext, file: string, fallback: T, body: (root: Node, text: string) => T): T {
  const text = ctx.text(file);
  if (text === undefined) return fallback;
  const open = ctx.tree(file);
  if (open) return body(open.rootNode, text);
  try {
    return withParsed(ctx, text, (root) => body(root, text));
  } catch (e) {
    // A file too large to parse (see ParseRefused) has nothing to offer.
    if (e instanceof ParseRefused) return fallback;
    throw e;
  }
}

/** Parses `text`, runs `body` on the tree and deletes it. `body` must not keep nodes. */
export function withParsed<T>(ctx: FeatureContext, text: string, body: (root: Node) => T): T {
  const tree = ctx.parser.parse(text);
  try {
    return body(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** The line index of a file: the model's when it has the file, else one made from its text. */
export function linesOf(ctx: FeatureContext, file: string): LineIndex | null {
  const entry = ctx.model.files.get(file);
  const text = ctx.text(file);
  if (entry && (text === undefined || entry.lines.text === text)) return entry.lines;
  return text === undefined ? null : new LineIndex(text);
}

export function toFileRange(ctx: FeatureContext, at: FileSpan): FileRange | null {
  const lines = linesOf(ctx, at.file);
  return lines ? { file: at.file, range: lines.range(at.span) } : null;
}

/** Distinct locations, in a stable order (file, then offset). */
export function uniqueSpans(spans: FileSpan[]): FileSpan[] {
  const seen = new Set<string>();
  const out: FileSpan[] = [];
  for (const s of spans) {
    const key = `${s.file}:${s.span.start}:${s.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/**
 * How to show a path in hover text: relative to the root flake's folder when
 * the file is inside it (`hosts/alpha.nix`), else as it is.
 */
export function displayPath(model: WorkspaceModel, file: string): string {
  const root = model.flakes.find((f) => f.root);
  if (!root) return file;
  const prefix = root.dir.endsWith('/') ? root.dir : root.dir + '/';
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/** `hosts/alpha.nix:12` (1-based line). */
export function displayLocation(ctx: FeatureContext, file: string, offset: number): string {
  const lines = linesOf(ctx, file);
  const line = lines ? lines.position(offset).line + 1 : 0;
  return `${displayPath(ctx.model, file)}:${line}`;
}
