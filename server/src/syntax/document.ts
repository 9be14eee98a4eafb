/**
 * An open document's text and syntax tree, updated incrementally: each change
 * is applied to the old tree with `tree.edit` and the text reparsed with the
 * old tree, so a keystroke costs a fraction of a full parse.
 */
import { Edit, type Point } from 'web-tree-sitter';
import type { NixParser, Tree } from './parser.js';

/** A replacement of `[start, end)` (UTF-16 offsets into the current text) by `text`. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

function pointAt(text: string, offset: number): Point {
  // Rows are counted at "\n" as tree-sitter does; columns are UTF-16 units here.
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function pointAfter(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}

/** Documents up to this many UTF-16 units with syntax errors are parsed afresh on every change (about 5 ms). */
export const FULL_REPARSE_MAX_CHARS = 256 * 1024;

export class SyntaxDocument {
  private _tree: Tree;
  private _text: string;

  constructor(
    private readonly parser: NixParser,
    text: string,
  ) {
    this._text = text;
    this._tree = parser.parse(text);
  }

  get text(): string {
    return this._text;
  }

  get tree(): Tree {
    return this._tree;
  }

  /**
   * Applies changes in order (each against the text the previous one produced). When the
   * parser refuses the new text (`ParseRefused`) the document is left unusable: dispose it.
   */
  update(changes: readonly TextChange[]): void {
    let text = this._text;
    const tree = this._tree;
    for (const c of changes) {
      const start = Math.max(0, Math.min(c.start, text.length));
      const end = Math.max(start, Math.min(c.end, text.length));
      const startPosition = pointAt(text, start);
      const oldEndPosition = pointAt(text, end);
      tree.edit(
        new Edit({
          startIndex: start,
          oldEndIndex: end,
          newEndIndex: start + c.text.length,
          startPosition,
          oldEndPosition,
          newEndPosition: pointAfter(startPosition, c.text),
        }),
      );
      text = text.slice(0, start) + c.text + text.slice(end);
    }
    let next = this.parser.parse(text, tree);
    tree.delete();
    // An incremental parse of text with syntax errors may keep an error subtree a full parse
    // would not: the abuse test's typing burst ended on valid text whose incremental tree still
    // hid a binding in an ERROR node. While the tree has errors (a half-typed file), each change
    // is parsed afresh, up to a size where that costs a few milliseconds; beyond it the
    // incremental tree is kept, and may differ from a fresh parse while it has errors.
    if (next.rootNode.hasError && text.length <= FULL_REPARSE_MAX_CHARS) {
      const full = this.parser.parse(text);
      next.delete();
      next = full;
    }
    this._tree = next;
    this._text = text;
  }

  /** Replaces the whole text with a fresh parse. */
  replace(text: string): void {
    const tree = this.parser.parse(text);
    this._tree.delete();
    this._text = text;
    this._tree = tree;
  }

  dispose(): void {
    this._tree.delete();
  }
}
