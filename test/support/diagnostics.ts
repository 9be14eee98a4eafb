/**
 * Helpers for the diagnostic tests that `checkDiagnostics` does not cover:
 * related information (the other sites a diagnostic points at), severity
 * overrides, and fixtures whose files use CRLF line ends.
 *
 * Positions in the summaries are 1-based `file:line:col`, like the CLI's.
 */
import type { Diagnostic, SeverityOverride } from '../../server/src/ide/diagnostics/index.js';
import type { Range } from '../../server/src/ide/text.js';
import { analyse, parseFixture, type Fixture } from './fixture.js';
import { assertMessageShapes } from './messages.js';

export interface CheckOptions {
  /** Severity settings, as the `nixpkgsInstances.diagnostics` setting gives them. */
  overrides?: ReadonlyMap<string, SeverityOverride>;
  /** Rewrite every file with CRLF line ends (annotations keep their line and column). */
  crlf?: boolean;
}

export function at(file: string, range: Range): string {
  return `${file}:${range.start.line + 1}:${range.start.character + 1}`;
}

/** `file:line:col severity code` of one diagnostic. */
export function summary(d: Diagnostic): string {
  return `${at(d.file, d.range)} ${d.severity} ${d.code}`;
}

/** The diagnostics of a fixture workspace, limited to `codes` when given. */
export async function diagnosticsOf(source: string | Fixture, codes?: string[], options: CheckOptions = {}): Promise<Diagnostic[]> {
  const fixture = typeof source === 'string' ? parseFixture(source) : source;
  const files = options.crlf
    ? new Map([...fixture.files].map(([path, text]) => [path, text.replace(/\r?\n/g, '\r\n')] as const))
    : fixture.files;
  const analysis = await analyse({ ...fixture, files });
  if (options.overrides) analysis.setSeverityOverrides(options.overrides);
  const all = analysis.allDiagnostics().filter((d) => !codes || codes.includes(d.code));
  assertMessageShapes(all);
  return all;
}

/**
 * For each diagnostic of `code`, its position and the related information it
 * carries: `{ '/flake.nix:5:9': ['/modules/a.nix:3:14 the same instance'] }`.
 */
export async function relatedOf(source: string, code: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const d of await diagnosticsOf(source, [code])) {
    const key = at(d.file, d.range);
    if (out[key]) throw new Error(`two ${code} diagnostics at ${key}`);
    out[key] = d.related.map((r) => `${at(r.file, r.range)} ${r.message}`);
  }
  return out;
}

/**
 * `checkDiagnostics` with options: the workspace's diagnostics (of `codes`)
 * must be exactly the fixture's `^^^` annotations; the error lists what was
 * missing and what was unexpected.
 */
export async function checkDiagnosticsWith(source: string, codes: string[], options: CheckOptions): Promise<Diagnostic[]> {
  const fixture = parseFixture(source);
  const all = await diagnosticsOf(fixture, codes, options);
  const matched = new Set<Diagnostic>();
  const missing: string[] = [];
  for (const a of fixture.annotations) {
    if (!codes.includes(a.code)) continue;
    const hit = all.find(
      (d) =>
        !matched.has(d) &&
        d.file === a.file &&
        d.range.start.line === a.line &&
        d.range.start.character === a.startCol &&
        (d.range.end.line > a.line || d.range.end.character === a.endCol) &&
        d.severity === a.severity &&
        d.code === a.code &&
        (a.text === null || d.message.includes(a.text)),
    );
    if (hit) matched.add(hit);
    else missing.push(`${a.file}:${a.line + 1}:${a.startCol + 1}-${a.endCol + 1}: ${a.severity} ${a.code}${a.text ? `: …${a.text}…` : ''}`);
  }
  const unexpected = all.filter((d) => !matched.has(d)).map((d) => `${summary(d)}: ${d.message}`);
  if (missing.length || unexpected.length) {
    throw new Error(
      'diagnostics differ from the fixture\n' +
        (missing.length ? `missing:\n  ${missing.join('\n  ')}\n` : '') +
        (unexpected.length ? `unexpected:\n  ${unexpected.join('\n  ')}\n` : ''),
    );
  }
  return all;
}
