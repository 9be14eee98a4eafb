/**
 * The analysis host: the set of workspace files (texts in, facts kept), open
 * documents with incremental syntax trees, and the workspace model built on
 * demand. Pure: it is handed texts and a parser, and never touches the disk.
 */
import { SyntaxDocument, type TextChange } from '../syntax/document.js';
import { ParseRefused, type NixParser } from '../syntax/parser.js';
import { computeDiagnostics, type Diagnostic, type SeverityOverride } from './diagnostics/index.js';
import { assistsAt } from './assists/all.js';
import type { Assist, AssistContext, AssistKind } from './assists/index.js';
import type { Tree } from '../syntax/parser.js';
import type { FeatureContext } from './features/index.js';
import type { Span } from './text.js';
import { extractFacts } from './index/extract.js';
import { MAY_MATTER, SIGNIFICANT } from './index/vocabulary.js';
import type { FileFacts } from './index/facts.js';
import type { Evaluation } from './evaluation.js';
import { pathRefs, type PathRef } from './index/refs.js';
import { LineIndex } from './text.js';
import { hasFacts, WorkspaceModel, type FileEntry } from './workspace.js';
import { lockFacts, parseLock, type LockFacts } from './lock.js';
import { inertLeafAt, outsideFacts, shiftDiagnostics, shiftSpans, tokenAt, type Leaf } from './inert-edit.js';

/** Whether a file can hold anything the index records (else its facts are empty and it is not parsed). */
export function mayMatter(text: string): boolean {
  return MAY_MATTER.test(text);
}

/** Whether `Analysis.setFile` parses this file (else the prefilter gives its facts from the text alone). */
export function parsesFile(path: string, text: string): boolean {
  return mayMatter(text) || isFlakeFile(path);
}

/**
 * A closed file's facts as `Analysis.setFile` computes them: the text screened, parsed, read
 * into facts, the tree freed. Throws `ParseRefused` for a text refused by `screen` or the parser.
 * Also what an indexing worker thread runs (node/index-worker.ts), so both give the same facts.
 */
export function parseFacts(parser: NixParser, screen: (text: string) => string | null, path: string, text: string): FileFacts {
  const why = screen(text);
  if (why !== null) throw new ParseRefused(why, false);
  const tree = parser.parse(text);
  try {
    return extractFacts(tree.rootNode, text, { isFlake: isFlakeFile(path) });
  } finally {
    tree.delete();
  }
}

export function emptyFacts(): FileFacts {
  return {
    sites: [],
    wrappers: [],
    flakeInputs: null,
    builders: [],
    imports: [],
    moduleShaped: false,
    moduleFormals: null,
    options: [],
    emulatedSystems: [],
    suppressions: [],
    partial: null,
    partialAt: null,
    refs: [],
    configurations: [],
    topFunction: false,
    fileCalls: [],
  };
}

const EMPTY_LINES = new LineIndex('');

/** The same change with the common prefix and suffix of the old and new text left out. */
function narrow(text: string, c: TextChange): TextChange {
  const start = Math.max(0, Math.min(c.start, text.length));
  const end = Math.max(start, Math.min(c.end, text.length));
  const removed = text.slice(start, end);
  let p = 0;
  const max = Math.min(removed.length, c.text.length);
  while (p < max && removed.charCodeAt(p) === c.text.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && removed.charCodeAt(removed.length - 1 - q) === c.text.charCodeAt(c.text.length - 1 - q)) q++;
  // Never split a surrogate pair.
  if (p > 0 && /[\uDC00-\uDFFF]/.test(c.text.charAt(p))) p--;
  if (q > 0 && /[\uD800-\uDBFF]/.test(c.text.charAt(c.text.length - q - 1))) q--;
  return { start: start + p, end: end - q, text: c.text.slice(p, c.text.length - q) };
}

/** Facts as comparable text (argument trees hold Maps). */
function factsText(facts: unknown): string {
  return JSON.stringify(facts, (_k, v: unknown) => (v instanceof Map ? { map: [...v] } : v));
}

function sameRefs(a: readonly PathRef[], b: readonly PathRef[]): boolean {
  return a.length === b.length && a.every((r, i) => JSON.stringify(r) === JSON.stringify(b[i]));
}

export function isFlakeFile(path: string): boolean {
  return path === 'flake.nix' || path.endsWith('/flake.nix');
}

export class Analysis {
  private readonly files = new Map<string, FileEntry>();
  private readonly open = new Map<string, SyntaxDocument>();
  /** flake.lock files understood, by path (see lock.ts). */
  private readonly locks = new Map<string, LockFacts>();
  private model: WorkspaceModel | null = null;
  /** The evaluation layer of the last model, while no file's path references changed. */
  private reusableEvaluation: Evaluation | null = null;
  /** The last model, whose module graph still holds while no file's builders, imports or file calls changed. */
  private reusableGraph: WorkspaceModel | null = null;
  private diagnostics: Diagnostic[] | null = null;
  private overrides: ReadonlyMap<string, SeverityOverride> = new Map();
  private currentRevision = 0;
  /** The assists of the current revision: the last few places asked about, and `ctx.memo`'s values. */
  private assistCache = { revision: -1, at: new Map<string, Assist[]>(), memos: new Map<string, unknown>() };

  /**
   * @param readText reads a closed file's current text when the analysis did not keep it
   * (files the prefilter skipped, and files whose facts hold nothing); adapters pass a disk read,
   * tests nothing (then only the prefilter's files are not kept).
   * @param screen says why a closed file's text must not be parsed, or null: it sees only
   * the texts the analysis would parse (not those the prefilter skips). The adapters pass
   * `parseCostProblem` (syntax/cost.ts), refusing text the lexer would take minutes over.
   */
  constructor(
    private readonly parser: NixParser,
    readText?: (path: string) => string | undefined,
    private readonly screen: (text: string) => string | null = () => null,
  ) {
    this.readText = readText ?? (() => undefined);
    this.rereads = readText !== undefined;
  }

  private readonly readText: (path: string) => string | undefined;
  /** Whether texts can be read again (from disk): then a closed file whose facts hold nothing keeps no text. */
  private readonly rereads: boolean;

  /**
   * Adds or replaces a closed file's text: parsed, read into facts, tree freed. A text
   * refused (by `screen` or the parser) throws `ParseRefused` and leaves the file out.
   * `compute` gives the facts of a text the prefilter lets through when they were computed
   * elsewhere (a worker thread running `parseFacts`), throwing as `parseFacts` does.
   */
  setFile(path: string, text: string, compute?: () => FileFacts): void {
    if (this.open.has(path)) return;
    if (!parsesFile(path, text)) {
      // Most files of a large configuration (package definitions, generated sets) name none of
      // the things the index looks for: skip the parse, which costs 10x the regex, and do not
      // keep the text (it is read again if a feature ever needs it).
      this.files.set(path, { path, lines: EMPTY_LINES, facts: { ...emptyFacts(), refs: pathRefs(text) }, textDropped: true });
      this.invalidate();
      return;
    }
    let facts: FileFacts;
    try {
      facts = compute ? compute() : parseFacts(this.parser, this.screen, path, text);
    } catch (e) {
      // Refused: what the file held before must not stay in the index.
      if (this.files.delete(path)) this.invalidate();
      throw e;
    }
    if (this.rereads && !hasFacts(facts) && facts.partial === null && !isFlakeFile(path)) {
      // Nothing in the file is recorded (a quarter of a large configuration's text): its text is
      // read again if a feature needs it, as for the files the prefilter skips.
      this.files.set(path, { path, lines: EMPTY_LINES, facts, textDropped: true });
      this.invalidate();
      return;
    }
    this.store(path, text, facts);
  }

  /** Adds facts computed elsewhere (a worker thread) for a closed file. */
  setFacts(path: string, text: string, facts: FileFacts): void {
    if (this.open.has(path)) return;
    this.store(path, text, facts);
  }

  removeFile(path: string): void {
    this.open.get(path)?.dispose();
    this.open.delete(path);
    if (this.files.delete(path)) this.invalidate();
  }

  /** Forgets every closed file (before indexing the folders again). Open documents stay. */
  clearClosedFiles(): void {
    for (const path of [...this.files.keys()]) if (!this.open.has(path)) this.files.delete(path);
    this.locks.clear();
    this.invalidate();
  }

  /**
   * Adds or replaces a flake.lock (its path: the folder of a flake.nix plus `flake.lock`).
   * Returns why the text cannot be used, or null; a lock that cannot be used is left out,
   * and whatever the path held before goes with it.
   */
  setLock(path: string, text: string): string | null {
    const r = parseLock(text);
    if ('skip' in r) {
      this.removeLock(path);
      return r.skip;
    }
    this.locks.set(path, lockFacts(path, r.lock));
    // Locks decide no file's reach: the evaluation layer stays.
    this.invalidate(true);
    return null;
  }

  removeLock(path: string): void {
    if (this.locks.delete(path)) this.invalidate(true);
  }

  /** Opens (or reopens) a document; throws `ParseRefused` for a text too large to parse, leaving the file out. */
  openDocument(path: string, text: string): void {
    this.removeFile(path);
    const doc = new SyntaxDocument(this.parser, text);
    this.open.set(path, doc);
    this.refreshOpen(path, doc);
  }

  /** Applies edits to an open document; throws `ParseRefused` for a text too large to parse, leaving the file out. */
  changeDocument(path: string, changes: readonly TextChange[]): void {
    const doc = this.open.get(path);
    if (!doc) return;
    const entry = this.files.get(path);
    // Clients may send a whole line for a one-character change: narrow it to what differs.
    const c = changes.length === 1 ? narrow(doc.text, changes[0]!) : null;
    if (c) changes = [c];
    // The fast paths (see inert-edit.ts): decided on the old tree, confirmed on the new one.
    let oldLeaf: Leaf | null = null;
    let oldToken: Leaf | null = null;
    if (c && entry && !entry.textDropped && this.model && this.diagnostics) {
      const removed = doc.text.slice(c.start, c.end);
      if (!/[\r\n]/.test(removed + c.text) && outsideFacts(entry.facts, c.start, c.end)) {
        oldLeaf = inertLeafAt(doc.tree, c.start, c.end);
        if (!isFlakeFile(path)) oldToken = tokenAt(doc.tree, c.start, c.end);
      }
    }
    const hadError = doc.tree.rootNode.hasError;
    try {
      doc.update(changes);
    } catch (e) {
      // Too large to parse (see ParseRefused): the document is closed and the file left out.
      this.removeFile(path);
      throw e;
    }
    if (c && entry && oldLeaf && doc.tree.rootNode.hasError === hadError) {
      const delta = c.text.length - (c.end - c.start);
      const newLeaf = inertLeafAt(doc.tree, c.start, c.start + c.text.length);
      if (
        newLeaf &&
        newLeaf.type === oldLeaf.type &&
        newLeaf.start === oldLeaf.start &&
        newLeaf.end === oldLeaf.end + delta &&
        !mayMatter(oldLeaf.text) &&
        !mayMatter(newLeaf.text) &&
        !SIGNIFICANT.test(oldLeaf.text) &&
        !SIGNIFICANT.test(newLeaf.text) &&
        sameRefs(entry.facts.refs, pathRefs(doc.text))
      ) {
        this.keepShifted(path, entry, doc.text, c.end, delta);
        return;
      }
    }
    // The second fast path: a token the first could not prove inert (a variable renamed, `true`
    // made `false`, a word in a comment) is read again, and when the file's facts are the old
    // ones moved by the edit, the workspace model and diagnostics are kept, moved likewise.
    if (c && entry && oldToken && doc.tree.rootNode.hasError === hadError) {
      const delta = c.text.length - (c.end - c.start);
      const newToken = tokenAt(doc.tree, c.start, c.start + c.text.length);
      if (newToken && newToken.start === oldToken.start && newToken.end === oldToken.end + delta && this.quiet(oldToken.text) && this.quiet(newToken.text)) {
        const facts = extractFacts(doc.tree.rootNode, doc.text, { isFlake: false });
        const moved = structuredClone(entry.facts);
        shiftSpans(moved, c.end, delta);
        // References that name nothing (a string such as "Europe/Berlin" reads as a path) change no reach.
        const evaluation = this.reusableEvaluation;
        const live = (f: FileFacts): FileFacts => ({ ...f, refs: f.refs.filter((r) => !evaluation?.namesNothing(path, r)) });
        if (factsText(moved) === factsText(facts) || (evaluation && factsText(live(moved)) === factsText(live(facts)))) {
          this.keepShifted(path, entry, doc.text, c.end, delta);
          entry.facts.refs = facts.refs;
          return;
        }
        this.store(path, doc.text, facts);
        return;
      }
    }
    this.refreshOpen(path, doc);
  }

  /**
   * Whether a token's text names nothing the index or the diagnostics read: no word of the
   * prefilters, and no name of a function that instantiates (`instance-per-call` looks for those
   * in the text of helper files).
   */
  private quiet(text: string): boolean {
    if (mayMatter(text) || SIGNIFICANT.test(text)) return false;
    for (const e of this.model!.factFiles) {
      for (const w of e.facts.wrappers) if ([w.name, ...w.within].some((n) => text.includes(n))) return false;
    }
    return true;
  }

  /** An edit the facts do not see: they, the model and the diagnostics keep their places, moved by `delta` after `from`. */
  private keepShifted(path: string, entry: FileEntry, text: string, from: number, delta: number): void {
    const at = entry.lines.position(from);
    shiftSpans(entry.facts, from, delta);
    entry.lines = new LineIndex(text);
    for (const inst of this.model!.instances) if (inst.file === path) inst.range = entry.lines.range(inst.site.span);
    shiftDiagnostics(this.diagnostics!, path, at.line, at.character, delta);
    this.fastEdits++;
    this.currentRevision++;
  }

  /**
   * Changes with every text the analysis holds and every setting that changes its results
   * (not with closing a document, whose text stays): what an adapter keeps with a result it
   * hands out, so it can tell later whether the result still holds.
   */
  get revision(): number {
    return this.currentRevision;
  }

  /** How many edits took the fast path (for tests and the benchmark). */
  fastEdits = 0;

  /** Closes a document; its last text stays in the workspace until the disk says otherwise. */
  closeDocument(path: string): void {
    const doc = this.open.get(path);
    if (!doc) return;
    doc.dispose();
    this.open.delete(path);
  }

  documentText(path: string): string | undefined {
    const open = this.open.get(path);
    if (open) return open.text;
    const entry = this.files.get(path);
    if (!entry) return undefined;
    return entry.textDropped ? this.readText(path) : entry.lines.text;
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  setSeverityOverrides(overrides: ReadonlyMap<string, SeverityOverride>): void {
    this.overrides = overrides;
    this.diagnostics = null;
    this.currentRevision++;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  workspace(): WorkspaceModel {
    if (!this.model) {
      this.model = new WorkspaceModel(this.files, this.reusableEvaluation, this.locks, this.reusableGraph);
      this.reusableEvaluation = this.model.evaluation;
      this.reusableGraph = this.model;
    }
    return this.model;
  }

  allDiagnostics(): Diagnostic[] {
    return (this.diagnostics ??= computeDiagnostics(this.workspace(), this.overrides));
  }

  diagnosticsFor(path: string): Diagnostic[] {
    return this.allDiagnostics().filter((d) => d.file === path);
  }

  /** Runs `fn` on a syntax tree of the file: the open document's, or a fresh parse freed afterwards. */
  withTree<T>(path: string, fn: (tree: Tree) => T): T | undefined {
    const doc = this.open.get(path);
    if (doc) return fn(doc.tree);
    const text = this.documentText(path);
    const tree = text === undefined ? undefined : this.parseOrNot(text);
    if (tree === undefined) return undefined;
    try {
      return fn(tree);
    } finally {
      tree.delete();
    }
  }

  /** A tree of a closed file's text, or undefined when the parser refuses it (see ParseRefused). */
  private parseOrNot(text: string): Tree | undefined {
    try {
      return this.parser.parse(text);
    } catch (e) {
      if (e instanceof ParseRefused) return undefined;
      throw e;
    }
  }

  /** The context editor features (completion, hover, navigation, symbols) run in. */
  featureContext(): FeatureContext {
    return {
      model: this.workspace(),
      text: (f) => this.documentText(f),
      tree: (f) => this.open.get(f)?.tree ?? null,
      parser: this.parser,
    };
  }

  /**
   * The code actions applicable to `span` of `path`. Kept for the current revision: asking
   * again about the same place (a code action list, then resolving one of its actions) finds
   * the same assists, with the edits the ones that move code already built and checked.
   */
  assists(path: string, span: Span, onError?: (id: string, e: unknown) => void, skip: readonly AssistKind[] = []): Assist[] {
    const cache = this.assistCache;
    if (cache.revision !== this.currentRevision) {
      cache.revision = this.currentRevision;
      cache.at.clear();
      cache.memos.clear();
    }
    const key = `${path}\0${span.start}:${span.end}\0${skip.join(',')}`;
    const known = cache.at.get(key);
    if (known) return known;
    const found = this.computeAssists(path, span, onError, skip);
    // A few places are enough: the editor asks about the cursor, then resolves what it showed.
    if (cache.at.size >= 8) cache.at.delete(cache.at.keys().next().value!);
    cache.at.set(key, found);
    return found;
  }

  private computeAssists(path: string, span: Span, onError: ((id: string, e: unknown) => void) | undefined, skip: readonly AssistKind[]): Assist[] {
    const model = this.workspace();
    // While the assists are found, and while one computes its edit, each closed file is parsed
    // once: `hoist-all` looks at every module instance, and parsing a module file per instance
    // made each request cost seconds in a file with a hundred instances.
    const trees = new Map<string, Tree>();
    let caching = 0;
    const withTree = <T>(f: string, fn: (tree: Tree) => T): T | undefined => {
      if (caching === 0 || this.open.has(f)) return this.withTree(f, fn);
      let tree = trees.get(f);
      if (!tree) {
        const text = this.documentText(f);
        tree = text === undefined ? undefined : this.parseOrNot(text);
        if (tree === undefined) return undefined;
        trees.set(f, tree);
      }
      return fn(tree);
    };
    const cached = <T>(body: () => T): T => {
      caching++;
      try {
        return body();
      } finally {
        if (--caching === 0) {
          for (const tree of trees.values()) tree.delete();
          trees.clear();
        }
      }
    };
    const memos = this.assistCache.memos;
    const ctx: AssistContext = {
      model,
      file: path,
      span,
      diagnostics: this.diagnosticsFor(path).filter((d) => {
        const lines = model.files.get(path)?.lines;
        if (!lines) return false;
        const ds = lines.span(d.range);
        return ds.start <= span.end && span.start <= ds.end;
      }),
      text: (f) => this.documentText(f),
      withTree,
      parser: this.parser,
      memo: <T>(key: string, compute: () => T): T => {
        if (!memos.has(key)) memos.set(key, compute());
        return memos.get(key) as T;
      },
    };
    return cached(() => assistsAt(ctx, onError, skip)).map((a) => ({ ...a, edit: () => cached(() => a.edit()) }));
  }

  /** The parser, for features that parse snippets of text. */
  get nixParser(): NixParser {
    return this.parser;
  }

  private refreshOpen(path: string, doc: SyntaxDocument): void {
    this.store(path, doc.text, extractFacts(doc.tree.rootNode, doc.text, { isFlake: isFlakeFile(path) }));
  }

  private store(path: string, text: string, facts: FileFacts): void {
    const old = this.files.get(path);
    this.files.set(path, { path, lines: new LineIndex(text), facts });
    // Which files the outputs evaluate depends only on every file's path references (and, for a
    // flake.nix, its text and which folders hold flakes): an edit that leaves the file's
    // references alone keeps it, and the model rebuild skips the walk over the whole workspace.
    const same = old !== undefined && !old.textDropped && !isFlakeFile(path);
    const evaluation = this.reusableEvaluation;
    const keepEvaluation = same && sameReach(old.facts, facts, (r) => evaluation?.namesNothing(path, r) ?? false);
    // The module graph (which configurations load which modules) reads only builders, imports and
    // file calls, besides the flakes and the files there are: an edit of a module's instance keeps it.
    this.invalidate(keepEvaluation, keepEvaluation && sameGraph(old!.facts, facts));
  }

  /** Drops the model and diagnostics; the evaluation layer too unless `keepEvaluation`. */
  private invalidate(keepEvaluation = false, keepGraph = false): void {
    if (!keepGraph) this.reusableGraph = null;
    this.currentRevision++;
    this.model = null;
    this.diagnostics = null;
    if (!keepEvaluation) this.reusableEvaluation = null;
  }
}

/** Whether two facts of one file give the same module graph: equal builders, imports and file calls. */
function sameGraph(a: FileFacts, b: FileFacts): boolean {
  return factsText(a.builders) === factsText(b.builders) && factsText(a.imports) === factsText(b.imports) && factsText(a.fileCalls) === factsText(b.fileCalls);
}

/**
 * Whether two facts of one file reach the same files: equal module shape, and equal path
 * references but for those that name nothing (`namesNothing`).
 */
function sameReach(a: FileFacts, b: FileFacts, namesNothing: (ref: PathRef) => boolean): boolean {
  if (a.moduleShaped !== b.moduleShaped) return false;
  if (JSON.stringify(a.refs) === JSON.stringify(b.refs)) return true;
  const live = (refs: readonly PathRef[]) => JSON.stringify(refs.filter((r) => !namesNothing(r)));
  return live(a.refs) === live(b.refs);
}
