/**
 * Builds the text edits of one code action across any number of files. An
 * assist says what to replace, insert or delete in which file; `finish()`
 * returns plain data that the LSP adapter turns into one versioned
 * WorkspaceEdit. Edits to one file must not overlap (checked here).
 */
import type { Span } from '../text.js';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface SourceChange {
  /** Edits per file (absolute path), sorted by position, non-overlapping. */
  files: Map<string, TextEdit[]>;
}

export class SourceChangeBuilder {
  private readonly files = new Map<string, TextEdit[]>();

  replace(file: string, span: Span, newText: string): this {
    const list = this.files.get(file) ?? [];
    list.push({ span: { start: span.start, end: span.end }, newText });
    this.files.set(file, list);
    return this;
  }

  insert(file: string, offset: number, text: string): this {
    return this.replace(file, { start: offset, end: offset }, text);
  }

  delete(file: string, span: Span): this {
    return this.replace(file, span, '');
  }

  finish(): SourceChange {
    const files = new Map<string, TextEdit[]>();
    for (const [file, edits] of this.files) {
      const sorted = edits
        .map((e, i) => ({ e, i }))
        .sort((a, b) => a.e.span.start - b.e.span.start || a.e.span.end - b.e.span.end || a.i - b.i)
        .map((x) => x.e);
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1]!;
        const cur = sorted[i]!;
        if (cur.span.start < prev.span.end) {
          throw new Error(`overlapping edits in ${file} at ${prev.span.start}-${prev.span.end} and ${cur.span.start}-${cur.span.end}`);
        }
      }
      files.set(file, sorted);
    }
    return { files };
  }
}

/** Applies a file's edits to its text (for tests and previews). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let pos = 0;
  for (const e of [...edits].sort((a, b) => a.span.start - b.span.start)) {
    out += text.slice(pos, e.span.start) + e.newText;
    pos = e.span.end;
  }
  return out + text.slice(pos);
}

/** One change made of several (edits to one file must still not overlap). */
export function mergeChanges(changes: readonly SourceChange[]): SourceChange {
  const b = new SourceChangeBuilder();
  for (const c of changes) for (const [file, edits] of c.files) for (const e of edits) b.replace(file, e.span, e.newText);
  return b.finish();
}
