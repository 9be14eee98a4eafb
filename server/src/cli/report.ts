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

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, one rule per
 * diagnostic code, locations relative to the checked folder (`%SRCROOT%`).
 */
export function formatSarif(
  result: CheckResult,
  rules: readonly { code: string; title: string; defaultSeverity: Severity }[],
  version: string,
  docsUrl: string,
): string {
  const loc = (file: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(relPath(result.root, file)), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  });
  const ruleIndex = new Map(rules.map((r, i) => [r.code, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nixpkgs-instances',
            version,
            informationUri: docsUrl,
            rules: rules.map((r) => ({
              id: r.code,
              name: r.code.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title.replace(/`/g, '') },
              helpUri: `${docsUrl}#${r.code}`,
              defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(result.root) + '/' } },
        columnKind: 'utf16CodeUnits',
        results: result.diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code) ?? -1,
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [loc(d.file, d.range)],
          relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...loc(r.file, r.range), message: { text: r.message } })),
        })),
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function pathToFileUri(path: string): string {
  return 'file://' + encodeURI(path.startsWith('/') ? path : `/${path}`);
}
