/**
 * The documents the editor has open, and the one place that decides what the
 * analysis holds for a file the editor knows: the editor's text while it is
 * open (analysed, or followed as plain text when it may not be), the disk's
 * text once it is closed.
 *
 * The rules:
 * - While a document is open, its text is the editor's: indexing a folder and
 *   watched-file events leave it alone (`keepsEditorText`).
 * - An open document is analysed unless it is too large or too costly to parse
 *   (below); then it is followed as plain text, with one log line.
 * - On close, the disk is the truth (the editor may close without saving): the
 *   file is read again (`fromDisk`); a document with no file (untitled:, other
 *   schemes) is gone with its diagnostics.
 *
 * Size limit: an open document longer than `MAX_DOCUMENT_CHARS` (10 Mi UTF-16
 * code units, the loader's 10 MiB for files on disk) is followed but not
 * analysed: the server keeps its text up to date through every change, answers
 * requests about it with empty results, publishes no diagnostics for it, and
 * says so with one log line (and one more if it shrinks back under the limit,
 * when it is analysed again). Parsing is linear (but see below), yet a syntax
 * tree costs about 20 bytes per character: a 50 MB generated file would take a
 * gigabyte of parser memory and seconds per keystroke. Counting code units
 * keeps the check O(1) per change, and a file the index reads from disk (at
 * most 10 MiB of UTF-8, so at most as many code units) is never refused for its
 * size when opened.
 *
 * The same holds for a document the parser refuses (`ParseRefused`: text the
 * grammar's lexer would take minutes over, or a syntax tree too large for the
 * parser's memory): followed, not analysed, one log line with the reason. One
 * refused as too slow to parse is analysed again once its text is cheap to parse;
 * one refused as too large is tried again only once it has shrunk by a tenth
 * (each attempt costs seconds, so a keystroke must not make one).
 *
 * While a document is not analysed the analysis holds no copy of it (not even
 * the disk's), so no code action can compute an edit against text the editor
 * no longer has.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../ide/analysis.js';
import { LineIndex } from '../ide/text.js';
import { MAX_FILE_BYTES, readNixFile } from '../node/loader.js';
import { editKeepsLexerCost, parseCostProblem } from '../syntax/cost.js';
import { ParseRefused } from '../syntax/parser.js';
import { ordered, type ContentChange } from './params.js';

/** The largest open document the server analyses, in UTF-16 code units (what the editor sends). */
export const MAX_DOCUMENT_CHARS = MAX_FILE_BYTES;

const LIMIT = `${MAX_DOCUMENT_CHARS / 1024 / 1024} MiB`;

/** An open document that is not analysed, followed as plain text. */
interface Refused {
  doc: TextDocument;
  /** The text is looked at again only once it is shorter than this. */
  retryBelow: number;
}

export class OpenDocuments {
  private readonly versions = new Map<string, number>();
  private readonly refused = new Map<string, Refused>();

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
    this.refused.delete(path);
    this.analyse(path, version, text);
  }

  /** Applies a didChange: every change in order, each against the text the previous one left. */
  change(path: string, version: number, changes: readonly ContentChange[]): void {
    if (!this.isOpen(path)) return;
    this.versions.set(path, version);
    for (const change of changes) {
      const refused = this.refused.get(path);
      if (refused) {
        refused.doc = TextDocument.update(refused.doc, [change], version);
        const text = refused.doc.getText();
        if (text.length >= refused.retryBelow || this.whyNot(text) !== null) continue;
        this.refused.delete(path);
        if (this.analyse(path, version, text)) {
          this.log(`analysing ${path} again: now ${text.length} characters, within the ${LIMIT} limit for open documents and cheap to parse`);
        }
        continue;
      }
      const text = this.analysis.documentText(path);
      if (text === undefined || !this.analysis.isOpen(path)) return;
      if (!('range' in change)) {
        this.analyse(path, version, change.text);
        continue;
      }
      const span = new LineIndex(text).span(ordered(change.range));
      const length = text.length - (span.end - span.start) + change.text.length;
      const next = () => text.slice(0, span.start) + change.text + text.slice(span.end);
      if (length > MAX_DOCUMENT_CHARS) {
        this.refuse(path, version, next(), `${length} characters is over the ${LIMIT} limit for open documents`);
        continue;
      }
      // A keystroke leaves the lexer's cost as it was; a paste, a quote or a slash is checked in full.
      if (!editKeepsLexerCost(text, span.start, span.end, change.text)) {
        const after = next();
        const why = parseCostProblem(after);
        if (why !== null) {
          this.refuse(path, version, after, why);
          continue;
        }
      }
      try {
        this.analysis.changeDocument(path, [{ start: span.start, end: span.end, text: change.text }]);
      } catch (e) {
        if (!(e instanceof ParseRefused)) throw e;
        this.refuse(path, version, next(), e.message, e.tooLarge);
      }
    }
  }

  /** Forgets an open document; the analysis holds the disk's text again (or nothing, for a document with no file). */
  close(path: string): void {
    this.versions.delete(path);
    this.refused.delete(path);
    this.analysis.closeDocument(path);
    if (path.startsWith('/')) this.fromDisk(path);
    else this.analysis.removeFile(path);
  }

  /** Whether the analysis keeps the editor's text of `path`, whatever the disk holds. */
  keepsEditorText(path: string): boolean {
    return this.isOpen(path);
  }

  /**
   * A file changed (or was deleted) on disk: the analysis reads it again, unless the editor has
   * it open. Returns whether the analysis took the disk's text.
   */
  fromDisk(path: string, deleted = false): boolean {
    if (this.keepsEditorText(path)) return false;
    const r = deleted ? null : readNixFile(path);
    if (!r || !('text' in r)) {
      this.analysis.removeFile(path);
      return true;
    }
    try {
      this.analysis.setFile(path, r.text);
    } catch (e) {
      // Refused (too slow or too large to parse): out of the index, with the reason.
      if (!(e instanceof ParseRefused)) throw e;
      this.log(`skipped ${path}: ${e.message}`);
    }
    return true;
  }

  /** Why a text is not analysed while open, as far as is known without parsing it; null if it may be. */
  private whyNot(text: string): string | null {
    if (text.length > MAX_DOCUMENT_CHARS) return `${text.length} characters is over the ${LIMIT} limit for open documents`;
    return parseCostProblem(text);
  }

  /** Analyses the text, or refuses it with the reason; whether it is analysed. */
  private analyse(path: string, version: number, text: string): boolean {
    const why = this.whyNot(text);
    if (why !== null) {
      this.refuse(path, version, text, why);
      return false;
    }
    try {
      this.analysis.openDocument(path, text);
      return true;
    } catch (e) {
      if (!(e instanceof ParseRefused)) throw e;
      this.refuse(path, version, text, e.message, e.tooLarge);
      return false;
    }
  }

  /**
   * Follows the document as plain text. One too large for the parser is tried again only once
   * it has shrunk by a tenth: each attempt costs what the refused parse cost, seconds.
   */
  private refuse(path: string, version: number, text: string, why: string, tooLarge = false): void {
    this.analysis.removeFile(path);
    const retryBelow = tooLarge ? Math.floor(text.length * 0.9) : Infinity;
    this.refused.set(path, { doc: TextDocument.create(path, 'nix', version, text), retryBelow });
    this.log(`not analysing ${path} while it is open: ${why}`);
  }
}
