/**
 * `textDocument/codeLens`: the core's lenses (ide/features/lens.ts) as LSP CodeLenses. Each has a
 * command with an empty id, which editors show as a plain, unclickable label.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import { lenses } from '../ide/features/lens.js';
import type { Analysis } from '../ide/analysis.js';

export function codeLenses(a: Analysis, path: string): CodeLens[] {
  return lenses(a.workspace(), path).map((l) => ({ range: l.range, command: { title: l.title, command: '' } }));
}
