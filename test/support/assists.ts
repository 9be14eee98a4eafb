/**
 * Code-action tests as data: a fixture with `$0` at the cursor (or `$0…$0` around
 * a selection), the assist id, and the expected text of every file after the
 * edit (files not listed must be unchanged).
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { nixOrExplain, parseWithNix } from './nixOracle.js';
import { analyse, parseFixture, dedent } from './fixture.js';
import { applyEdits, type Assist } from '../../server/src/ide/assists/index.js';

/** `$0` once is a cursor; `$0 ... $0` is a selection (parseFixture takes the first, this the second). */
async function assistsFor(before: string) {
  const fixture = parseFixture(before);
  if (!fixture.cursor) throw new Error('the fixture needs a $0 cursor');
  const text = fixture.files.get(fixture.cursor.file)!;
  let end = fixture.cursor.offset;
  const second = text.indexOf('$0', fixture.cursor.offset);
  if (second !== -1) {
    fixture.files.set(fixture.cursor.file, text.slice(0, second) + text.slice(second + 2));
    end = second;
  }
  const analysis = await analyse(fixture);
  const errors: string[] = [];
  const assists = analysis.assists(fixture.cursor.file, { start: fixture.cursor.offset, end }, (id, e) =>
    errors.push(`${id}: ${(e as Error).stack}`),
  );
  assert.deepEqual(errors, [], 'an assist threw');
  return { fixture, analysis, assists };
}

/** Finds the assist `id` at the cursor, applies it, and compares every file with `after`. */
export async function checkAssist(id: string, before: string, after: string, opts: { title?: RegExp } = {}): Promise<Assist> {
  const { fixture, assists } = await assistsFor(before);
  const assist = assists.find((a) => a.id === id);
  assert.ok(assist, `no ${id} assist here; offered: ${assists.map((a) => a.id).join(', ') || 'none'}`);
  assert.equal(assist.disabled, undefined, `${id} is disabled: ${assist.disabled}`);
  if (opts.title) assert.match(assist.title, opts.title);
  const change = assist.edit();
  const expected = parseFixture(after.includes('#- /') ? after : `#- ${fixture.cursor!.file}\n${dedent(after)}`).files;
  const actual = new Map<string, string>();
  for (const [file, text] of fixture.files) {
    const edits = change.files.get(file);
    actual.set(file, edits ? applyEdits(text, edits) : text);
  }
  for (const file of change.files.keys()) assert.ok(fixture.files.has(file), `edit to a file outside the fixture: ${file}`);
  for (const [file, text] of expected) {
    assert.equal(actual.get(file), text, `${file} after ${id}`);
  }
  for (const [file, text] of actual) {
    if (!expected.has(file)) assert.equal(text, fixture.files.get(file), `${file} changed but the expectation does not list it`);
  }
  return assist;
}

/** Asserts that assist `id` is not offered at the cursor. */
export async function checkAssistNotApplicable(id: string, before: string): Promise<void> {
  const { assists } = await assistsFor(before);
  const a = assists.find((x) => x.id === id);
  assert.equal(a, undefined, `${id} was offered: ${a?.title}`);
}

/** Asserts that assist `id` is offered but disabled, with a reason matching `reason`. */
export async function checkAssistDisabled(id: string, before: string, reason: RegExp): Promise<void> {
  const { assists } = await assistsFor(before);
  const a = assists.find((x) => x.id === id);
  assert.ok(a, `no ${id} assist here`);
  assert.match(a.disabled ?? '(enabled)', reason);
}

/** All changed files' texts after applying `id` (for Nix parse and evaluation checks). */
export async function applyAssist(id: string, before: string): Promise<{ before: Map<string, string>; after: Map<string, string> }> {
  const { fixture, assists } = await assistsFor(before);
  const assist = assists.find((a) => a.id === id);
  assert.ok(assist && !assist.disabled, `no enabled ${id} here (${assist?.disabled ?? 'not offered'})`);
  const change = assist.edit();
  const after = new Map<string, string>();
  for (const [file, text] of fixture.files) after.set(file, change.files.get(file) ? applyEdits(text, change.files.get(file)!) : text);
  return { before: fixture.files, after };
}

/**
 * A quick fix, checked end to end: `checkAssist` (before/after of every file), it names the
 * diagnostic it fixes, re-analysing the result no longer reports that diagnostic, and every
 * changed file parses with Nix before and after (see `nixOrExplain` for a machine without Nix).
 */
export async function checkFix(
  t: TestContext,
  id: string,
  code: string,
  before: string,
  after: string,
  opts: { title?: RegExp; preferred?: boolean } = {},
): Promise<void> {
  const assist = await checkAssist(id, before, after, opts.title ? { title: opts.title } : {});
  if (opts.preferred !== undefined) assert.equal(assist.preferred ?? false, opts.preferred);
  assert.deepEqual(
    assist.fixes.map((d) => d.code),
    [code],
  );
  const { before: was, after: now } = await applyAssist(id, before);
  const left = (await analyse({ files: now, cursor: null, annotations: [] })).allDiagnostics().filter((d) => d.code === code);
  assert.deepEqual(left.map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`), []);
  if (!nixOrExplain(t)) return;
  const texts = [...now].filter(([file, text]) => was.get(file) !== text);
  assert.ok(texts.length > 0, 'the assist changed nothing');
  const results = await parseWithNix([
    ...texts.map(([file]) => ({ name: `${file} (before)`, text: was.get(file)! })),
    ...texts.map(([file, text]) => ({ name: `${file} (after)`, text })),
  ]);
  assert.deepEqual(results.filter((r) => !r.ok), []);
}

/** Asserts that diagnostic `code` is at the cursor (so the case means something) and assist `id` is still not offered. */
export async function checkNotApplicableDespiteDiagnostic(id: string, code: string, before: string): Promise<void> {
  const fixture = parseFixture(before);
  const at = fixture.cursor!;
  const analysis = await analyse(fixture);
  const lines = analysis.workspace().files.get(at.file)!.lines;
  const here = analysis.diagnosticsFor(at.file).filter((d) => {
    const s = lines.span(d.range);
    return d.code === code && s.start <= at.offset && at.offset <= s.end;
  });
  assert.ok(here.length > 0, `no ${code} at the cursor: the case would prove nothing`);
  await checkAssistNotApplicable(id, before);
}
