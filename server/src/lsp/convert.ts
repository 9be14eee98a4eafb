/** Conversions between the analysis core's plain data and LSP types. */
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  InsertTextMode,
  SymbolKind,
  type CompletionItem as LspCompletionItem,
  type Diagnostic as LspDiagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { SourceChange } from '../ide/assists/index.js';
import type { LineIndex } from '../ide/text.js';
import { snippetToPlainText, type CompletionItem, type Symbol } from '../ide/features/index.js';
import type { Diagnostic, Severity } from '../ide/diagnostics/index.js';
import { toPosix } from '../node/loader.js';

export const SOURCE = 'nixpkgs-instances';
export { DOCS_URL } from '../ide/meta.js';
import { DOCS_URL } from '../ide/meta.js';

/** A document URI as an analysis path: file URIs become absolute posix paths, others stay as they are. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return toPosix(fileURLToPath(uri));
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path) ? pathToFileURL(path).href : path;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: `${DOCS_URL}#${d.code}` },
    source: SOURCE,
    message: d.message,
    relatedInformation: d.related.map((r) => ({
      location: { uri: pathToUri(r.file), range: r.range },
      message: r.message,
    })),
    ...(d.data !== undefined ? { data: d.data } : {}),
  };
}

/**
 * A fingerprint of one file's diagnostics, cheap next to sending them: equal
 * keys mean the editor already shows exactly this list (ranges, severities,
 * messages, related places and fix data included).
 */
export function diagnosticsKey(list: readonly Diagnostic[]): string {
  const r = (x: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
    `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;
  let key = '';
  for (const d of list) {
    key += `${d.code}|${d.severity}|${r(d.range)}|${d.message}`;
    for (const rel of d.related) key += `|${rel.file}@${r(rel.range)}:${rel.message}`;
    if (d.data !== undefined) key += `|${JSON.stringify(d.data)}`;
    key += '\n';
  }
  return key;
}

/** A core SourceChange as one WorkspaceEdit; open documents carry their version, closed files null. */
export function toWorkspaceEdit(
  change: SourceChange,
  lines: (file: string) => LineIndex | undefined,
  version: (file: string) => number | null,
): WorkspaceEdit {
  const documentChanges: TextDocumentEdit[] = [];
  for (const [file, edits] of change.files) {
    const li = lines(file);
    if (!li) throw new Error(`no text for ${file}`);
    documentChanges.push({
      textDocument: { uri: pathToUri(file), version: version(file) },
      edits: edits.map((e) => ({ range: li.range(e.span), newText: e.newText })),
    });
  }
  return { documentChanges };
}

const COMPLETION_KIND: Record<CompletionItem['kind'], CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  variable: CompletionItemKind.Variable,
  module: CompletionItemKind.Module,
};

/** A core completion item for a client; snippets become plain text for clients without snippet support. */
export function toCompletionItem(item: CompletionItem, snippetSupport: boolean): LspCompletionItem {
  const snippet = item.insertTextFormat === 'snippet' && snippetSupport;
  const text = item.insertText === undefined ? undefined : item.insertTextFormat === 'snippet' && !snippetSupport ? snippetToPlainText(item.insertText) : item.insertText;
  const out: LspCompletionItem = { label: item.label, kind: COMPLETION_KIND[item.kind] };
  if (item.detail) out.detail = item.detail;
  if (item.documentation) out.documentation = { kind: 'markdown', value: item.documentation };
  if (item.sortText) out.sortText = item.sortText;
  if (item.filterText) out.filterText = item.filterText;
  if (snippet) out.insertTextFormat = InsertTextFormat.Snippet;
  if (item.replaceRange) out.textEdit = { range: item.replaceRange, newText: text ?? item.label };
  else if (text !== undefined) out.insertText = text;
  if (item.keepWhitespace) out.insertTextMode = InsertTextMode.asIs;
  if (item.additionalEdits?.length) out.additionalTextEdits = item.additionalEdits.map((e) => ({ range: e.range, newText: e.newText }));
  return out;
}

export const SYMBOL_KIND: Record<Symbol['kind'], SymbolKind> = {
  variable: SymbolKind.Variable,
  function: SymbolKind.Function,
  module: SymbolKind.Module,
  object: SymbolKind.Object,
};
