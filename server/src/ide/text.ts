/**
 * Offsets and positions. The analysis works on UTF-16 offsets into the text
 * (what JavaScript strings and web-tree-sitter use); this is the only place
 * where an offset becomes a line/character position (0-based, UTF-16 units,
 * as LSP and the CLI's JSON expect) and back.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span of UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * The position of an offset. An offset between the `\r` and `\n` of a line break has no
   * position of its own (an editor cannot put the cursor there): it becomes the end of the line.
   */
  position(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    if (o > 0 && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13) o--;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }

  /** The offset of a position; out-of-range lines and characters are clamped to the text. */
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const start = this.starts[pos.line]!;
    const end = pos.line + 1 < this.starts.length ? this.lineEnd(pos.line) : this.text.length;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** Offset just before the line break of `line`. */
  private lineEnd(line: number): number {
    let end = this.starts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  span(range: Range): Span {
    return { start: this.offset(range.start), end: this.offset(range.end) };
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const end = line + 1 < this.starts.length ? this.lineEnd(line) : this.text.length;
    return this.text.slice(this.starts[line], end);
  }
}

/**
 * A regular expression for the Nix identifier `name` as a whole word: not part of a longer name
 * (`pkgs` in `pkgs-2505` or `mypkgs`). A text search, for places that have no syntax tree at hand.
 */
export function nameRegExp(name: string, flags = ''): RegExp {
  return new RegExp(`(?<![\\w'-])${name.replace(/[-']/g, '\\$&')}(?![\\w'-])`, flags);
}
