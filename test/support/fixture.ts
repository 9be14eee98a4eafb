/**
 * The fixture DSL every analysis test uses. A fixture is Nix text:
 *
 *   #- /flake.nix                    starts a file (default: /default.nix)
 *   { outputs = { nixpkgs, ... }: { x = import nixpkgs { system = "a"; localSystem = "b"; }; }; }
 *   #                                                   ^^^^^^ error system-and-local-system: only one
 *
 * - `#- /path` headers split a multi-file workspace (paths are absolute, `/`-rooted).
 * - `$0` marks the cursor (removed from the text).
 * - `#  ^^^ SEVERITY CODE[: text]` annotates the nearest line above that is not an
 *   annotation: the carets give the columns, `text` must occur in the message.
 *   Annotations are Nix comments, so they stay in the text and every file stays valid Nix.
 */
import type { Diagnostic } from '../../server/src/ide/diagnostics/index.js';
import { Analysis } from '../../server/src/ide/analysis.js';
import { NixParser } from '../../server/src/syntax/parser.js';
import { parserLocation } from '../../server/src/node/paths.js';
import { assertMessageShapes } from './messages.js';

export interface Annotation {
  file: string;
  line: number;
  startCol: number;
  endCol: number;
  severity: string;
  code: string;
  text: string | null;
}

export interface Fixture {
  files: Map<string, string>;
  cursor: { file: string; offset: number } | null;
  annotations: Annotation[];
}

const HEADER = /^\s*#-\s+(\S+)\s*$/;
const ANNOTATION = /^(\s*#\s*)(\^+)\s+(error|warning|information|hint)\s+([a-z0-9-]+)(?::\s*(.*))?$/;

/** Removes the common indentation of a template literal so fixtures can be indented in tests. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

export function parseFixture(source: string): Fixture {
  const text = dedent(source);
  const files = new Map<string, string>();
  const annotations: Annotation[] = [];
  let cursor: Fixture['cursor'] = null;
  let current = '/default.nix';
  let lines: string[] = [];
  let lastCodeLine = -1;
  const flush = () => {
    if (lines.length === 0 && !files.has(current)) return;
    let body = lines.join('\n');
    const c = body.indexOf('$0');
    if (c !== -1) {
      cursor = { file: current, offset: c };
      body = body.slice(0, c) + body.slice(c + 2);
    }
    files.set(current, body.endsWith('\n') || body === '' ? body : body + '\n');
  };
  for (const raw of text.split('\n')) {
    const header = HEADER.exec(raw);
    if (header) {
      flush();
      current = header[1]!;
      lines = [];
      lastCodeLine = -1;
      continue;
    }
    const ann = ANNOTATION.exec(raw);
    if (ann && lastCodeLine >= 0) {
      const startCol = ann[1]!.length;
      annotations.push({
        file: current,
        line: lastCodeLine,
        startCol,
        endCol: startCol + ann[2]!.length,
        severity: ann[3]!,
        code: ann[4]!,
        text: ann[5]?.trim() || null,
      });
      lines.push(raw);
      continue;
    }
    lines.push(raw);
    lastCodeLine = lines.length - 1;
  }
  flush();
  // Drop the trailing empty file created by a final newline.
  return { files, cursor, annotations };
}

let parser: Promise<NixParser> | undefined;
export function testParser(): Promise<NixParser> {
  return (parser ??= NixParser.create(parserLocation()));
}

export async function analyse(fixture: Fixture | string): Promise<Analysis> {
  const f = typeof fixture === 'string' ? parseFixture(fixture) : fixture;
  const a = new Analysis(await testParser());
  for (const [path, text] of f.files) addFixtureFile(a, path, text);
  return a;
}

/** A fixture file into the analysis: `flake.lock` files as locks (a lock it cannot use throws), the rest as Nix. */
export function addFixtureFile(a: Analysis, path: string, text: string): void {
  if (!path.endsWith('/flake.lock')) return a.setFile(path, text);
  const skip = a.setLock(path, text);
  if (skip !== null) throw new Error(`fixture ${path} is not a usable lock: ${skip}`);
}

function describe(d: { file: string; line: number; startCol: number; endCol: number; severity: string; code: string }): string {
  return `${d.file}:${d.line + 1}:${d.startCol + 1}-${d.endCol + 1}: ${d.severity} ${d.code}`;
}

/**
 * Checks that the workspace's diagnostics are exactly the annotated ones.
 * `codes` limits the comparison to some diagnostic codes (others are ignored).
 */
export async function checkDiagnostics(source: string, codes?: string[]): Promise<Diagnostic[]> {
  const fixture = parseFixture(source);
  const analysis = await analyse(fixture);
  const all = analysis.allDiagnostics().filter((d) => !codes || codes.includes(d.code));
  assertMessageShapes(all);
  const missing: string[] = [];
  const unexpected: string[] = [];
  const matched = new Set<Diagnostic>();
  for (const a of fixture.annotations) {
    if (codes && !codes.includes(a.code)) continue;
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
    else missing.push(describe(a) + (a.text ? `: …${a.text}…` : ''));
  }
  for (const d of all) {
    if (matched.has(d)) continue;
    const endCol = d.range.end.line === d.range.start.line ? d.range.end.character : d.range.start.character + 1;
    unexpected.push(
      describe({ file: d.file, line: d.range.start.line, startCol: d.range.start.character, endCol, severity: d.severity, code: d.code }) +
        `: ${d.message}`,
    );
  }
  if (missing.length || unexpected.length) {
    throw new Error(
      'diagnostics differ from the fixture\n' +
        (missing.length ? `missing:\n  ${missing.join('\n  ')}\n` : '') +
        (unexpected.length ? `unexpected:\n  ${unexpected.join('\n  ')}\n` : ''),
    );
  }
  return all;
}
