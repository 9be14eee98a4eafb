/**
 * The registry of diagnostic kinds, alphabetical. Adding a kind means adding
 * its file and one line here; settings, docs and tests read this list.
 */
import { duplicateInstance } from './duplicate-instance.js';
import { emulatedAndCross } from './emulated-and-cross.js';
import { globalOverlays } from './global-overlays.js';
import { impureSystem } from './impure-system.js';
import { instanceInModule } from './instance-in-module.js';
import { instancePerCall } from './instance-per-call.js';
import { invalidCrossSystem } from './invalid-cross-system.js';
import { pkgsWithConfig } from './pkgs-with-config.js';
import { preferLegacyPackages } from './prefer-legacy-packages.js';
import { systemAndLocalSystem } from './system-and-local-system.js';
import { unfollowedNixpkgs } from './unfollowed-nixpkgs.js';
import type { Diagnostic, DiagnosticKind, Severity } from './types.js';
import type { WorkspaceModel } from '../workspace.js';

export const DIAGNOSTIC_KINDS = [
  duplicateInstance,
  emulatedAndCross,
  globalOverlays,
  impureSystem,
  instanceInModule,
  instancePerCall,
  invalidCrossSystem,
  pkgsWithConfig,
  preferLegacyPackages,
  systemAndLocalSystem,
  unfollowedNixpkgs,
] as const satisfies readonly DiagnosticKind[];

/** Every diagnostic code, as a type: derived from the registry, so a code cannot be misspelt. */
export type DiagnosticCode = (typeof DIAGNOSTIC_KINDS)[number]['code'];

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
    const override = overrides.get(kind.code);
    if (override === 'off') continue;
    for (const d of kind.check(model)) {
      if (isSuppressed(model, d.file, d.range.start.line, kind.code)) continue;
      out.push({ ...d, severity: override ?? d.severity ?? kind.defaultSeverity });
    }
  }
  // In order of file, line, character and code, ties as found: grouped by file first (most share
  // a long folder prefix, and comparing those paths was most of the sorting), each file's sorted.
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of out) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...byFile.keys()].sort().flatMap((file) =>
    byFile.get(file)!.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || cmp(a.code, b.code),
    ),
  );
}

function isSuppressed(model: WorkspaceModel, file: string, line: number, code: string): boolean {
  const sup = model.files.get(file)?.facts.suppressions ?? [];
  return sup.some((s) => (s.line === line - 1 || s.line === line) && (s.codes.length === 0 || s.codes.includes(code)));
}

export type { Diagnostic, DiagnosticKind, Severity } from './types.js';
