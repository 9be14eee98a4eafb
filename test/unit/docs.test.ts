import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_KINDS } from '../../server/src/ide/diagnostics/index.js';
import { ASSIST_HANDLERS } from '../../server/src/ide/assists/all.js';
import { REPO_ROOT } from '../support/workspace.js';

test('the README documents every diagnostic code, generated from the code (node scripts/gen-docs.mjs)', () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-docs.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const kind of DIAGNOSTIC_KINDS) {
    assert.match(readme, new RegExp(`^### ${kind.code}\\n\\*\\*`, 'm'), kind.code);
  }
});

test('both registries (diagnostics, assists) are alphabetical, with unique kebab-case codes and ids', () => {
  for (const codes of [DIAGNOSTIC_KINDS.map((k) => k.code), ASSIST_HANDLERS.map((h) => h.id)]) {
    assert.deepEqual(codes, [...codes].sort());
    assert.equal(new Set(codes).size, codes.length);
    for (const c of codes) assert.match(c, /^[a-z]+(-[a-z]+)*$/);
  }
});

test('CHANGELOG has an Unreleased section (Keep a Changelog)', () => {
  const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(changelog, /^## \[Unreleased\]$/m);
});

test("the README's first screen says what the product does, shows it, and gives the two commands", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  // What a 1080p browser window shows of the rendered page, roughly: the first 30 source lines.
  const screen = readme.split('\n').slice(0, 30).join('\n');
  assert.match(screen, /^# Nixpkgs Instances\n\n\*\*Find every nixpkgs instantiation in your Nix flakes and modules/);
  assert.match(screen, /!\[[^\]]+\]\(docs\/images\/[\w-]+\.png\)/);
  assert.match(screen, /^npm ci && npm start +#/m);
  assert.match(screen, /^npm test +#/m);
  // The figures live in docs/, linked from the README.
  for (const doc of ['docs/robustness.md', 'docs/accuracy.md', 'docs/development.md']) {
    assert.ok(readme.includes(`](${doc})`), `README links ${doc}`);
    assert.ok(existsSync(join(REPO_ROOT, doc)), doc);
  }
  assert.doesNotMatch(readme, /^## Performance$/m, 'the benchmark tables are in docs/robustness.md');
});

test('the README says what npm start does and what the command line writes, as it does', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', 'examples'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, 'npm start exits 1 on the examples');
  assert.match(readme, /exits 1: it has problems on purpose/);
  // The lines the README quotes are the ones the check prints.
  const quoted = /```text\n(examples\/modules\/common\.nix[^\n]*)\n([^\n]*)\n```/.exec(readme);
  assert.ok(quoted, 'the README quotes npm start');
  assert.ok(r.stdout.split('\n').includes(quoted[1]!), `not printed: ${quoted[1]}`);
  assert.equal(r.stderr.trimEnd().split('\n').at(-1), quoted[2]);
});
