import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_KINDS } from '../../server/src/ide/diagnostics/index.js';
import { REPO_ROOT } from '../support/workspace.js';

test('the README documents every diagnostic code, generated from the code (node scripts/gen-docs.mjs)', () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-docs.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  for (const kind of DIAGNOSTIC_KINDS) {
    assert.match(readme, new RegExp(`^### ${kind.code}\\n\\*\\*`, 'm'), kind.code);
  }
});

test('the registry is alphabetical and codes are unique kebab-case', () => {
  const codes = DIAGNOSTIC_KINDS.map((k) => k.code);
  assert.deepEqual(codes, [...codes].sort());
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^[a-z]+(-[a-z]+)*$/);
});

test('CHANGELOG has an Unreleased section (Keep a Changelog)', () => {
  const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(changelog, /^## \[Unreleased\]$/m);
});
