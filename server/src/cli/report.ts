/**
 * The CLI's output formats, built from the analysis results. JSON format
 * version 1 is a stable interface that other tools read: only additions.
 */
import { posix } from 'node:path';
import type { Diagnostic, Severity } from '../ide/diagnostics/index.js';
import type { Instance } from '../ide/workspace.js';
import type { ArgNode } from '../ide/index/args.js';

export interface CheckResult {
  root: string;
  files: number;
  instances: Instance[];
  diagnostics: Diagnostic[];
  skipped: { path: string; reason: string }[];
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function relPath(root: string, file: string): string {
  const rel = posix.relative(root, file);
  return rel === '' ? posix.basename(file) : rel;
}

/** `path:line:col: severity code: message`, 1-based line and column. */
export function formatText(result: CheckResult, displayPath: (file: string) => string): string {
  return result.diagnostics
    .map(
      (d) =>
        `${displayPath(d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}\n`,
    )
    .join('');
}

function argValue(arg: ArgNode | undefined): unknown {
  if (!arg) return null;
  if (arg.attrs) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of [...arg.attrs].sort(([a], [b]) => a.localeCompare(b))) o[k] = argValue(v);
    return o;
  }
  return arg.string ?? arg.text;
}

export function formatJson(result: CheckResult): string {
  const root = result.root;
  const doc = {
    version: 1,
    root,
    files: result.files,
    instances: result.instances.map((i) => {
      const attrs = i.site.args?.attrs ?? null;
      const config = attrs?.get('config');
      const overlays = attrs?.get('overlays');
      const crossOverlays = attrs?.get('crossOverlays');
      return {
        file: relPath(root, i.file),
        range: i.range,
        kind: i.kind,
        createsInstance: i.createsInstance,
        source: i.site.sourceText,
        input: i.input,
        location: i.location,
        scope: i.scope,
        name: i.site.name,
        args: {
          system: argValue(attrs?.get('system')),
          localSystem: argValue(attrs?.get('localSystem')),
          crossSystem: argValue(attrs?.get('crossSystem')),
          config: config ? (config.attrs ? [...config.attrs.keys()].sort() : [config.text ?? '']) : [],
          overlays: overlays ? (overlays.listLength ?? null) : attrs ? 0 : null,
          crossOverlays: crossOverlays ? (crossOverlays.listLength ?? null) : attrs ? 0 : null,
        },
      };
    }),
    diagnostics: result.diagnostics.map((d) => ({
      file: relPath(root, d.file),
      range: d.range,
      severity: d.severity,
      code: d.code,
      message: d.message,
      related: d.related.map((r) => ({ file: relPath(root, r.file), range: r.range, message: r.message })),
    })),
    skipped: result.skipped.map((s) => ({ file: relPath(root, s.path), reason: s.reason })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
