/**
 * The registry of diagnostic kinds, alphabetical. Adding a kind means adding
 * its file and one line here; settings, docs and tests read this list.
 */
import { systemAndLocalSystem } from './system-and-local-system.js';
import type { Diagnostic, DiagnosticKind, Severity } from './types.js';
import type { WorkspaceModel } from '../workspace.js';

export const DIAGNOSTIC_KINDS: readonly DiagnosticKind[] = [systemAndLocalSystem];

export type SeverityOverride = Severity | 'off';

/**
 * Every diagnostic of the workspace, with severities from `overrides` and
 * `# nixpkgs-instances: ignore CODE` comments (on the line before) applied.
 */
export function computeDiagnostics(
  model: WorkspaceModel,
  overrides: ReadonlyMap<string, SeverityOverride> = new Map(),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of DIAGNOSTIC_KINDS) {
    const severity = overrides.get(kind.code) ?? kind.defaultSeverity;
    if (severity === 'off') continue;
    for (const d of kind.check(model)) {
      if (isSuppressed(model, d.file, d.range.start.line, kind.code)) continue;
      out.push({ ...d, severity });
    }
  }
  return out.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.code.localeCompare(b.code),
  );
}

function isSuppressed(model: WorkspaceModel, file: string, line: number, code: string): boolean {
  const sup = model.files.get(file)?.facts.suppressions ?? [];
  return sup.some((s) => (s.line === line - 1 || s.line === line) && (s.codes.length === 0 || s.codes.includes(code)));
}

export type { Diagnostic, DiagnosticKind, Severity } from './types.js';
