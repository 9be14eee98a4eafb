/**
 * The CLI's output formats, built from the analysis results. JSON format
 * version 1 is a stable interface that other tools read: only additions.
 */
import { posix } from 'node:path';
import type { Diagnostic, Severity } from '../ide/diagnostics/index.js';
import type { FlakeInfo, Instance } from '../ide/workspace.js';
import type { LockedSource } from '../ide/lock.js';
import type { ArgNode } from '../ide/index/args.js';
import type { Range } from '../ide/text.js';

export interface CheckResult {
  root: string;
  /** The folder SARIF locations are relative to: the repository holding `root` (or `root`). */
  sourceRoot?: string;
  files: number;
  instances: Instance[];
  diagnostics: Diagnostic[];
  skipped: { path: string; reason: string }[];
  /** Files analysed only in part, with where the part not analysed starts. */
  partial: PartialFile[];
  /** The flakes, with their flake.lock facts (JSON `locks`). */
  flakes?: FlakeInfo[];
}

export interface PartialFile {
  path: string;
  range: Range;
  /** `syntax errors`, or nesting too deep. */
  reason: string;
}

/** The code a file analysed in part is reported under, in every format. */
export const PARTIAL_CODE = 'analysed-in-part';
export const PARTIAL_TITLE = 'A file analysed only in part (a syntax error): instances after it may be missed';

export function partialMessage(p: PartialFile): string {
  return p.reason === 'syntax errors'
    ? 'Fix this syntax error. The file was analysed in part: an instance after it may be missed.'
    : `Nest this less deeply. The file was analysed in part (${p.reason}): an instance inside may be missed.`;
}

/** What every format reports as the summary (text on stderr, JSON and SARIF in the document). */
export interface Summary {
  files: number;
  instances: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  analysedInPart: number;
  skipped: number;
}

export function summarize(result: CheckResult): Summary {
  const count = (s: Severity) => result.diagnostics.filter((d) => d.severity === s).length;
  return {
    files: result.files,
    instances: result.instances.filter((i) => i.createsInstance && i.pair?.half !== 'host').length,
    errors: count('error'),
    warnings: count('warning'),
    information: count('information'),
    hints: count('hint'),
    analysedInPart: result.partial.length,
    skipped: result.skipped.length,
  };
}

/** `11 files, 9 instances, 3 errors, 2 warnings, 4 information, 1 analysed in part, 2 skipped`. */
export function summaryLine(s: Summary): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const problems = [
    s.errors && n(s.errors, 'error'),
    s.warnings && n(s.warnings, 'warning'),
    s.information && `${s.information} information`,
    s.hints && n(s.hints, 'hint'),
  ].filter((x): x is string => typeof x === 'string');
  return (
    `${n(s.files, 'file')}, ${n(s.instances, 'instance')}, ${problems.length ? problems.join(', ') : 'no problems'}` +
    (s.analysedInPart ? `, ${s.analysedInPart} analysed in part` : '') +
    (s.skipped ? `, ${s.skipped} skipped` : '')
  );
}

/** Whether the check fails: a file analysed in part, or a diagnostic at or above the threshold. */
export function failed(result: CheckResult, threshold: Severity): boolean {
  return result.partial.length > 0 || result.diagnostics.some((d) => atLeast(d.severity, threshold));
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
  const line = (file: string, range: Range, severity: Severity, code: string, message: string) =>
    `${displayPath(file)}:${range.start.line + 1}:${range.start.character + 1}: ${severity} ${code}: ${message}\n`;
  // Files analysed in part first: what follows may be incomplete for them.
  return (
    result.partial.map((p) => line(p.path, p.range, 'error', PARTIAL_CODE, partialMessage(p))).join('') +
    result.diagnostics.map((d) => line(d.file, d.range, d.severity, d.code, d.message)).join('')
  );
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
    partial: result.partial.map((p) => ({ file: relPath(root, p.path), range: p.range, reason: p.reason, message: partialMessage(p) })),
    summary: summarize(result),
    locks: (result.flakes ?? []).map((f) => lockJson(root, f)),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function sourceJson(s: LockedSource | null | undefined): Record<string, unknown> {
  return {
    type: s?.type ?? null,
    owner: s?.owner ?? null,
    repo: s?.repo ?? null,
    url: s?.url ?? null,
    rev: s?.rev ?? null,
    lastModified: s?.lastModified ?? null,
    ref: s?.ref ?? null,
  };
}

/** One flake's lock facts: `lock` is null when no flake.lock beside it could be used. */
function lockJson(root: string, f: FlakeInfo): unknown {
  const lock = f.lock;
  if (!lock) return { flake: relPath(root, f.path), lock: null };
  return {
    flake: relPath(root, f.path),
    lock: relPath(root, lock.path),
    version: lock.version,
    nixpkgs: lock.rootNixpkgs,
    nixpkgsSources: lock.nixpkgsNodes.map((node) => ({ node, ...sourceJson(lock.nodes.get(node)?.locked) })),
    inputs: lock.inputs.map((i) => ({
      name: i.name,
      node: i.node,
      follows: i.follows,
      ...sourceJson(i.source),
      nixpkgs: i.nixpkgs,
    })),
  };
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * SARIF 2.1.0, as GitHub code scanning reads it: one run, one rule per
 * diagnostic code (and one for files analysed in part), locations relative to
 * the repository that holds the checked folder (`%SRCROOT%`), so a subfolder's
 * results land on the right files. Skipped files are tool notifications, and
 * the summary is the run's `summary` property, as in the JSON.
 */
export function formatSarif(
  result: CheckResult,
  kinds: readonly { code: string; title: string; defaultSeverity: Severity }[],
  version: string,
  docsUrl: string,
): string {
  const base = result.sourceRoot ?? result.root;
  const artifact = (file: string) => ({ uri: encodeURI(relPath(base, file)), uriBaseId: '%SRCROOT%' });
  const loc = (file: string, range: Range) => ({
    physicalLocation: {
      artifactLocation: artifact(file),
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  });
  const rules = [...kinds, { code: PARTIAL_CODE, title: PARTIAL_TITLE, defaultSeverity: 'error' as const }];
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
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(base) + '/' } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.skipped.map((sk) => ({
              level: 'warning',
              message: { text: `skipped: ${sk.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifact(sk.path) } }],
            })),
          },
        ],
        results: [
          ...result.partial.map((p) => ({
            ruleId: PARTIAL_CODE,
            ruleIndex: ruleIndex.get(PARTIAL_CODE)!,
            level: 'error',
            message: { text: partialMessage(p) },
            locations: [loc(p.path, p.range)],
          })),
          ...result.diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: ruleIndex.get(d.code) ?? -1,
            level: SARIF_LEVEL[d.severity],
            message: { text: d.message },
            locations: [loc(d.file, d.range)],
            relatedLocations: d.related.map((r, i) => ({ id: i + 1, ...loc(r.file, r.range), message: { text: r.message } })),
          })),
        ],
        properties: { summary: summarize(result) },
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function pathToFileUri(path: string): string {
  return 'file://' + encodeURI(path.startsWith('/') ? path : `/${path}`);
}
