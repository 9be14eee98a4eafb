/**
 * Runs one fuzz input through everything a user can reach: indexing (closed
 * files and open documents), every diagnostic, completion, hover, definition,
 * references and symbols at random offsets, every code action offered at each
 * instance, each diagnostic and random selections (enabled ones are computed
 * and applied), and typing into an open document. An exception anywhere is a
 * crash. Besides crashes it checks what a user relies on without looking:
 * every range points inside its file, every edit stays inside the text it was
 * computed for and never splits a character, and an edited open document
 * analyses exactly as a fresh one with the same text.
 */
import { Analysis } from '../../server/src/ide/analysis.js';
import { applyEdits, type Assist } from '../../server/src/ide/assists/index.js';
import type { Diagnostic } from '../../server/src/ide/diagnostics/index.js';
import {
  completion,
  definition,
  documentSymbols,
  hover,
  references,
  workspaceSymbols,
  type FeatureContext,
} from '../../server/src/ide/features/index.js';
import { LineIndex, type Range, type Span } from '../../server/src/ide/text.js';
import { parseCostProblem } from '../../server/src/syntax/cost.js';
import { ParseRefused, type NixParser } from '../../server/src/syntax/parser.js';
import { Random } from '../bench/random.js';
import { inputSeed, subtrees, TOKENS, type FuzzInput } from './mutate.js';

/** Feature requests (completion, hover, definition, references) per input, spread over its files. */
export const OFFSETS_PER_INPUT = 20;
/** Code-action requests per input, at most (instances, diagnostics and random ranges). */
const MAX_ASSIST_RANGES = 40;

export interface Problem {
  /** Where it happened: `index`, `completion@120 /ws/flake.nix`, `assist hoist-to-flake edit`, ... */
  phase: string;
  message: string;
  stack?: string;
}

/**
 * The files one code action changed. With Nix, when every `before` parses,
 * every `after` must: an action that moves text (hoisting from a module into
 * flake.nix) is only held to this where its source was valid Nix too.
 */
export interface AppliedEdit {
  assist: string;
  files: { file: string; before: string; after: string }[];
}

export interface InputResult {
  index: number;
  ms: number;
  crashes: Problem[];
  /** Broken guarantees that threw nothing (bad ranges, bad edits, incremental drift). */
  failures: Problem[];
  /** Code actions whose edit was computed and applied. */
  applied: number;
  /** Distinct results of those actions. */
  edits: AppliedEdit[];
  requests: number;
  /** Typing sessions whose incremental tree differed from a full parse of the same text. */
  divergences: number;
  /** Texts refused as too slow or too large to parse, as the CLI and the server refuse them. */
  refused: number;
}

function problem(phase: string, e: unknown): Problem {
  const err = e instanceof Error ? e : new Error(String(e));
  return { phase, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}

/** Whether `range` lies inside `text` (positions round-trip through the line index). */
function rangeInside(lines: LineIndex, range: Range): boolean {
  const ok = (p: { line: number; character: number }) => {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return false;
    const back = lines.position(lines.offset(p));
    return back.line === p.line && back.character === p.character;
  };
  if (!ok(range.start) || !ok(range.end)) return false;
  return lines.offset(range.start) <= lines.offset(range.end);
}

/**
 * An offset a client can name: positions go through `LineIndex.offset`, which
 * never lands between the `\r` and `\n` of a line break (the middle of a
 * surrogate pair it can, and that is kept).
 */
function reachable(text: string, offset: number): number {
  return offset > 0 && text.charCodeAt(offset - 1) === 13 && text.charCodeAt(offset) === 10 ? offset - 1 : offset;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Whether an edit boundary at `offset` falls between the halves of a surrogate pair. */
function splitsPair(text: string, offset: number): boolean {
  return offset > 0 && offset < text.length && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
}

/** What a user sees of the diagnostics, in a stable order, for comparing two analyses. */
function diagnosticsKey(ds: readonly Diagnostic[]): string[] {
  return ds
    .map((d) =>
      JSON.stringify([d.file, d.range, d.severity, d.code, d.message, d.related, d.data ?? null]),
    )
    .sort();
}

/**
 * What a user sees of the instances. Keys are internal (they may name
 * functions by offset, which the fast path does not rewrite): what counts is
 * which instances share one, so each is shown as the first instance with the
 * same key.
 */
function instancesKey(a: Analysis): string[] {
  const rows = a
    .workspace()
    .instances.map((i) => ({ row: JSON.stringify([i.file, i.range, i.kind, i.createsInstance, i.input, i.location, i.scope, i.evaluations]), key: i.key }))
    .sort((x, y) => (x.row < y.row ? -1 : x.row > y.row ? 1 : 0));
  const first = new Map<string, string>();
  return rows.map(({ row, key }) => {
    if (key === null) return `${row} unique`;
    if (!first.has(key)) first.set(key, row);
    return `${row} same as ${first.get(key)}`;
  });
}

class Checker {
  readonly crashes: Problem[] = [];
  readonly failures: Problem[] = [];
  applied = 0;
  requests = 0;
  /** Edited documents whose incremental tree differs from a full parse (syntax errors recovered differently). */
  divergences = 0;
  refused = 0;
  private readonly seen = new Set<string>();
  private readonly offered = new Set<string>();
  readonly edits: AppliedEdit[] = [];

  constructor(
    readonly parser: NixParser,
    readonly input: FuzzInput,
    readonly r: Random,
  ) {}

  guard<T>(phase: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.crashes.push(problem(phase, e));
      return undefined;
    }
  }

  fail(phase: string, message: string): void {
    this.failures.push({ phase, message });
  }

  private readonly lines = new Map<string, LineIndex>();

  checkRange(phase: string, analysis: Analysis, file: string, range: Range): void {
    const text = analysis.documentText(file);
    if (text === undefined) return this.fail(phase, `a range in ${file}, which the workspace does not have`);
    let lines = this.lines.get(file);
    if (!lines || lines.text !== text) this.lines.set(file, (lines = new LineIndex(text)));
    if (!rangeInside(lines, range)) {
      this.fail(phase, `range ${JSON.stringify(range)} is outside ${file} (${text.length} characters)`);
    }
  }

  /**
   * An analysis as the adapters build it: with the same screen for text too slow to parse,
   * every file set from "disk" (a refused one left out, as the CLI and the server skip it),
   * then the chosen ones opened as documents (the server refuses to open what the screen
   * refuses, so callers pass only texts it accepts).
   */
  analysisOf(files: ReadonlyMap<string, string>, open: readonly string[]): Analysis {
    const a = new Analysis(this.parser, (p) => files.get(p), parseCostProblem);
    const refusable = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof ParseRefused)) throw e;
        this.refused++;
      }
    };
    for (const [path, text] of this.input.files) refusable(() => a.setFile(path, text));
    for (const path of open) refusable(() => a.openDocument(path, files.get(path)!));
    return a;
  }

  /** Builds the analysis of the input. */
  build(open: readonly string[]): Analysis | undefined {
    return this.guard('index', () => this.analysisOf(this.input.files, open));
  }

  diagnostics(analysis: Analysis): void {
    const ds = this.guard('diagnostics', () => analysis.allDiagnostics());
    for (const d of ds ?? []) {
      this.checkRange(`diagnostic ${d.code}`, analysis, d.file, d.range);
      for (const rel of d.related) this.checkRange(`diagnostic ${d.code} related`, analysis, rel.file, rel.range);
    }
    this.guard('instances', () => {
      for (const i of analysis.workspace().instances) this.checkRange('instance range', analysis, i.file, i.range);
    });
  }

  /** An offset in one of the input's files, half of the time next to a node boundary. */
  randomOffset(analysis: Analysis, file: string): number {
    const text = analysis.documentText(file) ?? '';
    return reachable(text, this.r.int(0, text.length));
  }

  /** Requests at random offsets, mostly in `focus` (the open documents, as in an editor). */
  features(analysis: Analysis, count: number, focus: readonly string[]): void {
    const ctx = this.guard('featureContext', () => analysis.featureContext());
    if (!ctx) return;
    const files = [...this.input.files.keys()];
    for (let k = 0; k < count; k++) {
      const file = this.r.chance(0.9) ? this.r.pick(focus) : this.r.pick(files);
      const offset = this.randomOffset(analysis, file);
      this.featuresAt(analysis, ctx, file, offset);
    }
    for (const file of files) {
      const symbols = this.guard(`documentSymbols ${file}`, () => documentSymbols(ctx, file)) ?? [];
      for (const s of symbols) {
        this.checkRange('documentSymbols range', analysis, s.file, s.range);
        this.checkRange('documentSymbols selectionRange', analysis, s.file, s.selectionRange);
      }
    }
    const query = this.r.pick(['', 'pkgs', 'riscv', 'x', '\ud83d', 'unstable']);
    for (const s of this.guard(`workspaceSymbols ${JSON.stringify(query)}`, () => workspaceSymbols(ctx, query)) ?? []) {
      this.checkRange('workspaceSymbols range', analysis, s.file, s.range);
    }
    this.requests += files.length + 1;
  }

  featuresAt(analysis: Analysis, ctx: FeatureContext, file: string, offset: number): void {
    const at = `@${offset} ${file}`;
    this.requests += 4;
    for (const item of this.guard(`completion${at}`, () => completion(ctx, file, offset)) ?? []) {
      if (item.replaceRange) this.checkRange(`completion${at} replaceRange`, analysis, file, item.replaceRange);
      if (typeof item.label !== 'string' || item.label === '') this.fail(`completion${at}`, 'an item without a label');
    }
    const h = this.guard(`hover${at}`, () => hover(ctx, file, offset));
    if (h) this.checkRange(`hover${at}`, analysis, file, h.range);
    for (const loc of this.guard(`definition${at}`, () => definition(ctx, file, offset)) ?? []) {
      this.checkRange(`definition${at}`, analysis, loc.file, loc.range);
    }
    const decl = this.r.chance(0.5);
    for (const loc of this.guard(`references${at}`, () => references(ctx, file, offset, decl)) ?? []) {
      this.checkRange(`references${at}`, analysis, loc.file, loc.range);
    }
  }

  /** Where code actions are asked for: every instance, every diagnostic, and random selections. */
  assistSpans(analysis: Analysis): { file: string; span: Span }[] {
    const spans: { file: string; span: Span }[] = [];
    const model = this.guard('workspace', () => analysis.workspace());
    if (!model) return spans;
    for (const inst of model.instances) {
      spans.push({ file: inst.file, span: inst.site.span });
      spans.push({ file: inst.file, span: { start: inst.site.anchor.start, end: inst.site.anchor.start } });
    }
    for (const d of this.guard('diagnostics', () => analysis.allDiagnostics()) ?? []) {
      const lines = model.files.get(d.file)?.lines;
      if (lines) spans.push({ file: d.file, span: lines.span(d.range) });
    }
    const chosen = spans.length > MAX_ASSIST_RANGES - 6 ? this.r.sample(spans, MAX_ASSIST_RANGES - 6) : spans;
    for (let k = 0; k < 6; k++) {
      const file = this.r.pick(this.input.mutated);
      const text = analysis.documentText(file) ?? '';
      const start = reachable(text, this.r.int(0, text.length));
      const kind = this.r.int(0, 3);
      const end = kind === 0 ? start : kind === 3 ? text.length : reachable(text, Math.min(text.length, start + this.r.int(1, 120)));
      chosen.push({ file, span: kind === 3 ? { start: 0, end } : { start, end } });
    }
    return chosen;
  }

  assists(analysis: Analysis): void {
    for (const { file, span } of this.assistSpans(analysis)) {
      const at = `${file}@${span.start}-${span.end}`;
      this.requests++;
      const offered =
        this.guard(`assists ${at}`, () =>
          analysis.assists(file, span, (id, e) => this.crashes.push(problem(`assist ${id} at ${at}`, e))),
        ) ?? [];
      for (const assist of offered) this.applyAssist(analysis, assist, at);
    }
  }

  applyAssist(analysis: Analysis, assist: Assist, at: string): void {
    const phase = `assist ${assist.id} at ${at}`;
    if (typeof assist.title !== 'string' || assist.title === '') this.fail(phase, 'an assist without a title');
    if (assist.disabled !== undefined) return;
    // The same action offered at another cursor position (hoist-all everywhere) makes the same edit.
    const same = `${assist.id}\0${assist.title}\0${JSON.stringify(assist.fixes.map((d) => [d.file, d.range, d.code]))}`;
    if (this.offered.has(same)) return;
    this.offered.add(same);
    const change = this.guard(`${phase}: edit()`, () => assist.edit());
    if (!change) return;
    this.applied++;
    const changed: AppliedEdit['files'] = [];
    for (const [file, edits] of change.files) {
      const before = analysis.documentText(file);
      if (before === undefined) {
        this.fail(phase, `edits ${file}, which is not in the workspace`);
        continue;
      }
      let prevEnd = 0;
      let bad = false;
      for (const e of edits) {
        const { start, end } = e.span;
        if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > before.length) {
          this.fail(phase, `edit span ${start}-${end} outside ${file} (${before.length} characters)`);
          bad = true;
        } else if (start < prevEnd) {
          this.fail(phase, `overlapping edits in ${file} at ${start}`);
          bad = true;
        } else if (splitsPair(before, start) || splitsPair(before, end)) {
          this.fail(phase, `edit span ${start}-${end} splits a surrogate pair in ${file}`);
          bad = true;
        }
        prevEnd = Math.max(prevEnd, end);
      }
      if (bad) continue;
      const after = this.guard(`${phase}: applyEdits`, () => applyEdits(before, edits));
      if (after === undefined || after === before) continue;
      changed.push({ file, before, after });
    }
    if (!changed.length) return;
    const key = changed.map((c) => `${c.file}\0${c.after}`).join('\0');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.edits.push({ assist: assist.id, files: changed });
  }

  /**
   * Types into the open documents (tokens, deletions, characters inside
   * strings and comments, whole-line replacements as some clients send), then
   * compares the index and diagnostics with a fresh analysis of the same
   * texts: incremental updates and their fast path must never drift.
   */
  typing(analysis: Analysis, open: readonly string[]): void {
    if (!open.length) return;
    const texts = new Map(this.input.files);
    const typed: string[] = [];
    for (let k = this.r.int(1, 4); k > 0; k--) {
      const file = this.r.pick(open);
      const text = analysis.documentText(file) ?? '';
      const raw = this.randomChange(text);
      const start = reachable(text, raw.start);
      const change = { start, end: Math.max(start, reachable(text, raw.end)), text: raw.text };
      // The server stops analysing a document that became too slow to parse (lsp/documents.ts).
      if (parseCostProblem(text.slice(0, change.start) + change.text + text.slice(change.end)) !== null) {
        this.refused++;
        break;
      }
      this.requests++;
      const ok = this.guard(`changeDocument ${file} ${JSON.stringify(change).slice(0, 200)}`, () => {
        analysis.changeDocument(file, [change]);
        return true;
      });
      if (!ok) return;
      typed.push(`${file} ${JSON.stringify(change).slice(0, 300)}`);
      texts.set(file, text.slice(0, change.start) + change.text + text.slice(change.end));
      if (analysis.documentText(file) !== texts.get(file)) {
        this.fail('changeDocument', `the document's text differs from the edited text in ${file}`);
        return;
      }
      // Ask for diagnostics between edits too: the fast path only runs when they are current.
      if (this.r.chance(0.7)) this.guard('diagnostics after typing', () => analysis.allDiagnostics());
    }
    const fresh = this.guard('index (fresh, after typing)', () => this.analysisOf(texts, open));
    if (!fresh) return;
    const got = this.guard('diagnostics after typing', () => diagnosticsKey(analysis.allDiagnostics()));
    const want = this.guard('diagnostics (fresh)', () => diagnosticsKey(fresh.allDiagnostics()));
    const gotI = this.guard('instances after typing', () => instancesKey(analysis));
    const wantI = this.guard('instances (fresh)', () => instancesKey(fresh));
    const differ = (a: string[] | undefined, b: string[] | undefined) => a !== undefined && b !== undefined && a.join('\n') !== b.join('\n');
    if (differ(got, want) || differ(gotI, wantI)) {
      // In text with syntax errors, tree-sitter's incremental reparse may recover differently
      // from a full parse. Then the trees differ, and so may everything read from them: counted,
      // not a failure of the analysis. With equal trees, the results must be equal.
      const diverged = open.some((path) => {
        const tree = analysis.featureContext().tree(path);
        if (!tree) return false;
        const again = this.parser.parse(texts.get(path)!);
        try {
          return tree.rootNode.toString() !== again.rootNode.toString();
        } finally {
          again.delete();
        }
      });
      if (diverged) this.divergences++;
      else {
        for (const [what, a, b] of [['diagnostics', got!, want!], ['instances', gotI!, wantI!]] as const) {
          if (!differ(a, b)) continue;
          const extra = a.filter((x) => !b.includes(x));
          const missing = b.filter((x) => !a.includes(x));
          this.fail(
            `incremental ${what}`,
            `after typing ${typed.join(', ')}, ${what} differ from a fresh analysis: unexpected ${extra.join(' ') || 'none'}; missing ${missing.join(' ') || 'none'}`,
          );
        }
      }
    }
    for (const path of open) this.guard('close (fresh)', () => fresh.closeDocument(path));
    // The edited tree answers requests too.
    const ctx = this.guard('featureContext after typing', () => analysis.featureContext());
    if (ctx) for (let k = 0; k < 3; k++) {
      const file = this.r.pick(open);
      this.featuresAt(analysis, ctx, file, this.randomOffset(analysis, file));
    }
  }

  randomChange(text: string): { start: number; end: number; text: string } {
    const r = this.r;
    const kind = r.int(0, 5);
    if (kind <= 1) {
      // A character typed inside a leaf (string, comment, number, identifier): the fast path's case.
      const leaves = subtrees(this.parser, text).filter((s) =>
        ['string_fragment', 'comment', 'integer_expression', 'float_expression', 'identifier', 'indented_string_expression'].includes(s.type),
      );
      if (leaves.length) {
        const s = r.pick(leaves);
        const at = r.int(s.start, s.end);
        return kind === 0 || s.end === s.start
          ? { start: at, end: at, text: r.pick(['a', '1', ' ', 'é', '\ud83d\ude00', '"', '}', '$', '\\', 'x86_64-linux']) }
          : { start: at, end: Math.min(s.end, at + 1), text: '' };
      }
    }
    if (kind === 2) {
      // A whole line replaced by a copy of itself with one character changed (clients do this).
      const at = r.int(0, text.length);
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      let lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1) lineEnd = text.length;
      const line = text.slice(lineStart, lineEnd);
      const k = r.int(0, line.length);
      return { start: lineStart, end: lineEnd, text: line.slice(0, k) + r.pick(['x', '', ';', '{']) + line.slice(k) };
    }
    if (kind === 3) {
      const start = r.int(0, text.length);
      return { start, end: Math.min(text.length, start + r.int(0, 40)), text: '' };
    }
    if (kind === 4) {
      const start = r.int(0, text.length);
      return { start, end: start, text: r.pick(TOKENS) + r.pick([' ', '\n', '']) };
    }
    // Paste: a copy of another part of the text.
    const a = r.int(0, text.length);
    const b = Math.min(text.length, a + r.int(0, 300));
    const at = r.int(0, text.length);
    return { start: at, end: at, text: text.slice(a, b) };
  }
}

/**
 * Runs every check on one input. Never throws: every exception is recorded
 * as a crash with the phase it happened in.
 */
export function checkInput(parser: NixParser, input: FuzzInput, seed: number): InputResult {
  const t0 = performance.now();
  const r = new Random(inputSeed(seed, input.index) ^ 0x51ed27);
  const c = new Checker(parser, input, r);
  // Editors ask about open documents: most inputs have their mutated files open (incremental
  // trees). The rest stay closed, as files indexed from disk, and get a few requests that parse
  // them afresh each time.
  const chosen = r.chance(0.75) ? input.mutated : input.mutated.filter(() => r.chance(0.3));
  // The server refuses to open a document too slow to parse (lsp/documents.ts).
  const open = chosen.filter((path) => {
    const slow = parseCostProblem(input.files.get(path)!) !== null;
    if (slow) c.refused++;
    return !slow;
  });
  const analysis = c.build(open);
  if (analysis) {
    c.diagnostics(analysis);
    c.features(analysis, open.length ? OFFSETS_PER_INPUT : 5, open.length ? open : input.mutated);
    c.assists(analysis);
    c.typing(analysis, open);
    for (const path of open) c.guard('closeDocument', () => analysis.closeDocument(path));
  }
  return {
    index: input.index,
    ms: performance.now() - t0,
    crashes: c.crashes,
    failures: c.failures,
    applied: c.applied,
    edits: c.edits,
    requests: c.requests,
    divergences: c.divergences,
    refused: c.refused,
  };
}
