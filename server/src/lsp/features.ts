/**
 * The editor features over LSP, one function per method: check the params,
 * find the place, ask `ide/features`, convert the answer.
 */
import {
  MarkupKind,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Range,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import type { Analysis } from '../ide/analysis.js';
import * as features from '../ide/features/index.js';
import { LineIndex } from '../ide/text.js';
import { pathToUri, SYMBOL_KIND, toCompletionItem, uriToPath } from './convert.js';
import * as check from './params.js';

type Params = Record<string, unknown>;

/** The path and offset of a position in a document the analysis knows, or null. */
function locate(a: Analysis, params: Params, method: string): { path: string; offset: number } | null {
  const path = uriToPath(check.documentUri(params, method));
  const position = check.position(params['position'], 'position');
  const text = a.documentText(path);
  if (text === undefined) return null;
  const lines = a.isOpen(path) || !a.workspace().files.get(path)?.textDropped ? a.workspace().files.get(path)?.lines : undefined;
  const index = lines && lines.text === text ? lines : new LineIndex(text);
  return { path, offset: index.offset(position) };
}

const toLocation = (r: { file: string; range: Range }): Location => ({ uri: pathToUri(r.file), range: r.range });

export function completion(a: Analysis, params: Params, snippetSupport: boolean): CompletionItem[] {
  const at = locate(a, params, 'textDocument/completion');
  if (!at) return [];
  return features.completion(a.featureContext(), at.path, at.offset).map((item) => toCompletionItem(item, snippetSupport));
}

export function hover(a: Analysis, params: Params): Hover | null {
  const at = locate(a, params, 'textDocument/hover');
  if (!at) return null;
  const h = features.hover(a.featureContext(), at.path, at.offset);
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
}

export function definition(a: Analysis, params: Params): Location[] {
  const at = locate(a, params, 'textDocument/definition');
  return at ? features.definition(a.featureContext(), at.path, at.offset).map(toLocation) : [];
}

export function references(a: Analysis, params: Params): Location[] {
  const context = check.object(params['context'], 'context');
  const at = locate(a, params, 'textDocument/references');
  return at ? features.references(a.featureContext(), at.path, at.offset, context['includeDeclaration'] === true).map(toLocation) : [];
}

export function documentSymbols(a: Analysis, params: Params): DocumentSymbol[] {
  const path = uriToPath(check.documentUri(params, 'textDocument/documentSymbol'));
  return features.documentSymbols(a.featureContext(), path).map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
  }));
}

export function workspaceSymbols(a: Analysis, params: Params): SymbolInformation[] {
  return features.workspaceSymbols(a.featureContext(), check.string(params['query'], 'query')).map((s) => ({
    name: s.name,
    containerName: s.detail,
    kind: SYMBOL_KIND[s.kind],
    location: { uri: pathToUri(s.file), range: s.selectionRange },
  }));
}
