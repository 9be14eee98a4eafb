/**
 * The analysis host: the set of workspace files (texts in, facts kept), open
 * documents with incremental syntax trees, and the workspace model built on
 * demand. Pure: it is handed texts and a parser, and never touches the disk.
 */
import { SyntaxDocument, type TextChange } from '../syntax/document.js';
import type { NixParser } from '../syntax/parser.js';
import { computeDiagnostics, type Diagnostic, type SeverityOverride } from './diagnostics/index.js';
import { extractFacts } from './index/extract.js';
import type { FileFacts } from './index/facts.js';
import { LineIndex } from './text.js';
import { WorkspaceModel, type FileEntry } from './workspace.js';

export function isFlakeFile(path: string): boolean {
  return path === 'flake.nix' || path.endsWith('/flake.nix');
}

export class Analysis {
  private readonly files = new Map<string, FileEntry>();
  private readonly open = new Map<string, SyntaxDocument>();
  private model: WorkspaceModel | null = null;
  private diagnostics: Diagnostic[] | null = null;
  private overrides: ReadonlyMap<string, SeverityOverride> = new Map();

  constructor(private readonly parser: NixParser) {}

  /** Adds or replaces a closed file's text: parsed, read into facts, tree freed. */
  setFile(path: string, text: string): void {
    if (this.open.has(path)) return;
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
    return this.open.get(path)?.text ?? this.files.get(path)?.lines.text;
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
