/** Code actions ("assists") of the analysis core, as plain data. */
import type { Diagnostic } from '../diagnostics/index.js';
import type { NixParser } from '../../syntax/parser.js';
import type { Tree } from '../../syntax/parser.js';
import type { Span } from '../text.js';
import type { WorkspaceModel } from '../workspace.js';
import type { SourceChange } from './edit.js';

export type AssistKind = 'quickfix' | 'refactor.rewrite' | 'source';

export interface AssistContext {
  model: WorkspaceModel;
  /** The file and selection the user asked about. */
  file: string;
  span: Span;
  /** Our diagnostics that overlap the selection (a quick fix names the ones it fixes). */
  diagnostics: Diagnostic[];
  /** Current text of any workspace file. */
  text(file: string): string | undefined;
  /** A syntax tree of any workspace file; the caller owns it only through `withTree`. */
  withTree<T>(file: string, fn: (tree: Tree) => T): T | undefined;
  parser: NixParser;
  /**
   * A value computed once per analysis revision (any text or setting changed) and shared by
   * every request until then: what does not depend on the file and selection asked about
   * (`hoist-all` plans the whole workspace). `compute` must not keep trees.
   */
  memo<T>(key: string, compute: () => T): T;
}

export interface Assist {
  /** Stable kebab-case id (also the file name). */
  id: string;
  title: string;
  kind: AssistKind;
  /** The diagnostics this fixes (shown by the editor next to them). */
  fixes: Diagnostic[];
  /** Set when the action is offered but cannot be applied, with the reason shown to the user. */
  disabled?: string;
  /** Whether the editor should prefer it (applied by "auto fix"). */
  preferred?: boolean;
  /**
   * Computes the edit; only called when the user picks the action (the LSP adapter calls it on
   * `codeAction/resolve`). Cheap assists compute it here; the ones that move code built it
   * before they were offered (see verify.ts) and return it.
   */
  edit(): SourceChange;
  /** What the action leaves out and why, one line each (`modules/x.nix:12: reason`), for the log. */
  notes?: string[];
}

export interface AssistHandler {
  id: string;
  /** The kind of every assist it returns, when that is always the same (callers may skip a kind they do not want). */
  kind?: AssistKind;
  /** Returns the assists applicable at the context, or [] (never throws on odd input). */
  assists(ctx: AssistContext): Assist[];
}
