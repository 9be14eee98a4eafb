/**
 * Fixture helpers for the editor features: build a {@link FeatureContext}
 * from a fixture (`#- /path` headers, `$0` cursor) and show results as
 * short strings tests can compare (`/flake.nix:12:7 pkgs-unstable`).
 */
import assert from 'node:assert/strict';
import type { FeatureContext, FileRange } from '../../server/src/ide/features/index.js';
import type { Tree } from '../../server/src/syntax/parser.js';
import { Analysis } from '../../server/src/ide/analysis.js';
import { addFixtureFile, parseFixture, testParser, type Fixture } from './fixture.js';

export interface FeatureFixture {
  ctx: FeatureContext;
  fixture: Fixture;
  file: string;
  offset: number;
  /** Frees the trees of "open" documents. */
  dispose(): void;
}

/**
 * A workspace from a fixture. With `open: true` the cursor's file is served
 * as an open document (its tree comes from `ctx.tree`), as the server does
 * for the file being edited.
 */
export async function featureFixture(source: string, options: { open?: boolean } = {}): Promise<FeatureFixture> {
  const fixture = parseFixture(source);
  const parser = await testParser();
  // Files the index skips keep no text: they are read again, here from the fixture, as the server reads the disk.
  const analysis = new Analysis(parser, (path) => fixture.files.get(path));
  for (const [path, text] of fixture.files) addFixtureFile(analysis, path, text);
  const trees = new Map<string, Tree>();
  const cursor = fixture.cursor ?? { file: [...fixture.files.keys()][0]!, offset: 0 };
  if (options.open) trees.set(cursor.file, parser.parse(fixture.files.get(cursor.file)!));
  const ctx: FeatureContext = {
    model: analysis.workspace(),
    text: (file) => analysis.documentText(file),
    tree: (file) => trees.get(file) ?? null,
    parser,
  };
  return {
    ctx,
    fixture,
    file: cursor.file,
    offset: cursor.offset,
    dispose: () => {
      for (const t of trees.values()) t.delete();
      trees.clear();
    },
  };
}

/** Runs `body` on a fixture that must have a `$0` cursor, in both the closed and the open-document setting, and checks both agree. */
export async function atCursor<T>(source: string, body: (f: FeatureFixture) => T): Promise<T> {
  const results: T[] = [];
  for (const open of [false, true]) {
    const f = await featureFixture(source, { open });
    assert.ok(f.fixture.cursor, 'the fixture needs a $0 cursor');
    try {
      results.push(body(f));
    } finally {
      f.dispose();
    }
  }
  assert.deepEqual(results[1], results[0], 'open and closed documents give different answers');
  return results[0]!;
}

/** `/flake.nix:12:7 pkgs-unstable`: file, 1-based line and column, and the text the range covers. */
export function showLocation(f: FeatureFixture, loc: FileRange): string {
  const text = f.fixture.files.get(loc.file) ?? '';
  const lines = text.split('\n');
  const { start, end } = loc.range;
  const covered =
    start.line === end.line
      ? (lines[start.line] ?? '').slice(start.character, end.character)
      : (lines[start.line] ?? '').slice(start.character) + '…';
  return `${loc.file}:${start.line + 1}:${start.character + 1} ${covered}`;
}

/** The text a range covers in a fixture file. */
export function textOf(f: FeatureFixture, file: string, range: FileRange['range']): string {
  const text = f.fixture.files.get(file) ?? '';
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offsetOf(range.start), offsetOf(range.end));
}
