/**
 * The analysis host: the set of workspace files (texts in, facts kept), open
 * documents with incremental syntax trees, and the workspace model built on
 * demand. Pure: it is handed texts and a parser, and never touches the disk.
 */
import { SyntaxDocument, type TextChange } from '../syntax/document.js';
import type { NixParser } from '../syntax/parser.js';
import { computeDiagnostics, type Diagnostic, type SeverityOverride } from './diagnostics/index.js';
import { assistsAt } from './assists/all.js';
import type { Assist, AssistContext } from './assists/index.js';
import type { Tree } from '../syntax/parser.js';
import type { FeatureContext } from './features/index.js';
import type { Span } from './text.js';
import { BUILDERS, extractFacts, VARIANTS } from './index/extract.js';
import type { FileFacts } from './index/facts.js';
import { LineIndex } from './text.js';
import { WorkspaceModel, type FileEntry } from './workspace.js';

/**
 * Whether a file can hold anything the index records: an instantiation, a
 * builder, module imports, `nixpkgs.*` options, emulated systems or a
 * suppression comment. A file without any of these words yields empty facts.
 */
const MAY_MATTER = new RegExp(
  [
    'import',
    'legacyPackages',
    ...VARIANTS,
    'extend',
    'appendOverlays',
    'nixpkgs',
    'System\\b',
    ...[...BUILDERS].filter((b) => !b.endsWith('System')),
    'modules',
    'specialArgs',
    'emulatedSystems',
    'inputs',
  ].join('|'),
);

export function mayMatter(text: string): boolean {
  return MAY_MATTER.test(text);
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
  };
}

const EMPTY_LINES = new LineIndex('');

export function isFlakeFile(path: string): boolean {
  return path === 'flake.nix' || path.endsWith('/flake.nix');
}

export class Analysis {
  private readonly files = new Map<string, FileEntry>();
  private readonly open = new Map<string, SyntaxDocument>();
  private model: WorkspaceModel | null = null;
  private diagnostics: Diagnostic[] | null = null;
  private overrides: ReadonlyMap<string, SeverityOverride> = new Map();

  /**
   * @param readText reads a closed file's current text when the analysis did not keep it
   * (files the prefilter skipped); adapters pass a disk read, tests nothing.
   */
  constructor(
    private readonly parser: NixParser,
    private readonly readText: (path: string) => string | undefined = () => undefined,
  ) {}

  /** Adds or replaces a closed file's text: parsed, read into facts, tree freed. */
  setFile(path: string, text: string): void {
    if (this.open.has(path)) return;
    if (!mayMatter(text) && !isFlakeFile(path)) {
      // Most files of a large configuration (package definitions, generated sets) name none of
      // the things the index looks for: skip the parse, which costs 10x the regex, and do not
      // keep the text (it is read again if a feature ever needs it).
      this.files.set(path, { path, lines: EMPTY_LINES, facts: emptyFacts(), textDropped: true });
      this.invalidate();
      return;
    }
    const tree = this.parser.parse(text);
    try {
      this.store(path, text, extractFacts(tree.rootNode, text, { isFlake: isFlakeFile(path) }));
    } finally {
      tree.delete();
    }
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
    this.invalidate();
  }

  openDocument(path: string, text: string): void {
    this.open.get(path)?.dispose();
    const doc = new SyntaxDocument(this.parser, text);
    this.open.set(path, doc);
    this.refreshOpen(path, doc);
  }

  changeDocument(path: string, changes: readonly TextChange[]): void {
    const doc = this.open.get(path);
    if (!doc) return;
    doc.update(changes);
    this.refreshOpen(path, doc);
  }

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
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  workspace(): WorkspaceModel {
    return (this.model ??= new WorkspaceModel(this.files));
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
    if (text === undefined) return undefined;
    const tree = this.parser.parse(text);
    try {
      return fn(tree);
    } finally {
      tree.delete();
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

  /** The code actions applicable to `span` of `path`. */
  assists(path: string, span: Span, onError?: (id: string, e: unknown) => void): Assist[] {
    const model = this.workspace();
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
      withTree: (f, fn) => this.withTree(f, fn),
      parser: this.parser,
    };
    return assistsAt(ctx, onError);
  }

  /** The parser, for features that parse snippets of text. */
  get nixParser(): NixParser {
    return this.parser;
  }

  private refreshOpen(path: string, doc: SyntaxDocument): void {
    this.store(path, doc.text, extractFacts(doc.tree.rootNode, doc.text, { isFlake: isFlakeFile(path) }));
  }

  private store(path: string, text: string, facts: FileFacts): void {
    this.files.set(path, { path, lines: new LineIndex(text), facts });
    this.invalidate();
  }

  private invalidate(): void {
    this.model = null;
    this.diagnostics = null;
  }
}
