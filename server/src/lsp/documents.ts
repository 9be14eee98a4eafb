/**
 * The documents the editor has open: their versions, and which of them are too
 * large to analyse.
 *
 * Size limit: an open document longer than `MAX_DOCUMENT_CHARS` (10 Mi UTF-16
 * code units, the loader's 10 MiB for files on disk) is followed but not
 * analysed: the server keeps its text up to date through every change, answers
 * requests about it with empty results, publishes no diagnostics for it, and
 * says so with one log line (and one more if it shrinks back under the limit,
 * when it is analysed again). Parsing is linear, but a syntax tree costs about
 * 20 bytes per character: a 50 MB generated file would take a gigabyte of
 * parser memory and seconds per keystroke. Counting code units keeps the check
 * O(1) per change, and a file the index reads from disk (at most 10 MiB of
 * UTF-8, so at most as many code units) is always analysed when opened.
 *
 * While a document is not analysed the analysis holds no copy of it (not even
 * the disk's), so no code action can compute an edit against text the editor
 * no longer has.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../ide/analysis.js';
import { LineIndex } from '../ide/text.js';
import { MAX_FILE_BYTES } from '../node/loader.js';
import { ordered, type ContentChange } from './params.js';

/** The largest open document the server analyses, in UTF-16 code units (what the editor sends). */
export const MAX_DOCUMENT_CHARS = MAX_FILE_BYTES;

const LIMIT = `${MAX_DOCUMENT_CHARS / 1024 / 1024} MiB`;

export class OpenDocuments {
  private readonly versions = new Map<string, number>();
  /** Open documents over the limit, followed as plain text. */
  private readonly oversized = new Map<string, TextDocument>();

  constructor(
    private readonly analysis: Analysis,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether the editor has `path` open (analysed or not). */
  isOpen(path: string): boolean {
    return this.versions.has(path);
  }

  /** The editor's version of an open document; null for a closed file. */
  version(path: string): number | null {
    return this.versions.get(path) ?? null;
  }

  open(path: string, version: number, text: string): void {
    this.versions.set(path, version);
    this.oversized.delete(path);
    if (text.length > MAX_DOCUMENT_CHARS) this.refuse(path, version, text);
    else this.analysis.openDocument(path, text);
  }

  /** Applies a didChange: every change in order, each against the text the previous one left. */
  change(path: string, version: number, changes: readonly ContentChange[]): void {
    if (!this.isOpen(path)) return;
    this.versions.set(path, version);
    for (const change of changes) {
      const big = this.oversized.get(path);
      if (big) {
        const next = TextDocument.update(big, [change], version);
        if (next.getText().length > MAX_DOCUMENT_CHARS) this.oversized.set(path, next);
        else {
          this.oversized.delete(path);
          this.log(`analysing ${path} again: now ${next.getText().length} characters, within the ${LIMIT} limit for open documents`);
          this.analysis.openDocument(path, next.getText());
        }
        continue;
      }
      const text = this.analysis.documentText(path);
      if (text === undefined || !this.analysis.isOpen(path)) return;
      if (!('range' in change)) {
        if (change.text.length > MAX_DOCUMENT_CHARS) this.refuse(path, version, change.text);
        else this.analysis.openDocument(path, change.text);
        continue;
      }
      const span = new LineIndex(text).span(ordered(change.range));
      const length = text.length - (span.end - span.start) + change.text.length;
      if (length > MAX_DOCUMENT_CHARS) this.refuse(path, version, text.slice(0, span.start) + change.text + text.slice(span.end));
      else this.analysis.changeDocument(path, [{ start: span.start, end: span.end, text: change.text }]);
    }
  }

  /** Forgets an open document; the caller reads the file back from disk. */
  close(path: string): void {
    this.versions.delete(path);
    this.oversized.delete(path);
    this.analysis.closeDocument(path);
  }

  private refuse(path: string, version: number, text: string): void {
    this.analysis.removeFile(path);
    this.oversized.set(path, TextDocument.create(path, 'nix', version, text));
    this.log(`not analysing ${path} while it is open: ${text.length} characters is over the ${LIMIT} limit for open documents`);
  }
}
