/** Plain-data diagnostics of the analysis core (converted to LSP or CLI output by the adapters). */
import type { Range } from '../text.js';
import type { WorkspaceModel } from '../workspace.js';
import type { DiagnosticCode } from './index.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  related: RelatedInfo[];
  /** Data for a quick fix (kept opaque by adapters; LSP carries it in `Diagnostic.data`). */
  data?: unknown;
}

export type Finding = Omit<Diagnostic, 'severity'> & { severity?: Severity };

/** One kind of diagnostic: a stable code, its default severity, and the check. */
export interface DiagnosticKind<Code extends string = string> {
  code: Code;
  /** One line for settings and docs. */
  title: string;
  defaultSeverity: Severity;
  /**
   * The findings. A finding may carry its own default severity (`impure-system` is an
   * error inside a flake's evaluation, a warning elsewhere); a user's setting wins.
   */
  check(model: WorkspaceModel): Finding[];
}
