/**
 * A test that needs a missing program is reported as skipped with the reason
 * (locally) or fails (in CI): it never passes as if it had run. Checked by
 * running the real Neovim and Nix-oracle tests with an empty PATH.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { inCi } from '../support/programs.js';

const UNIT = join(__dirname);

function runWithoutPrograms(file: string, ci: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: '/nonexistent' };
  delete env['CI'];
  // Set by the runner for its own children; a nested run would report to it instead of printing TAP.
  delete env['NODE_TEST_CONTEXT'];
  if (ci !== undefined) env['CI'] = ci;
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', join(UNIT, file)], { env, encoding: 'utf8', timeout: 120_000 });
  const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(r.stdout)?.[1] ?? NaN);
  return { status: r.status, stdout: r.stdout, pass: count('pass'), fail: count('fail'), skipped: count('skipped') };
}

test('without Neovim: skipped with the reason locally, a failure in CI', { timeout: 120_000 }, () => {
  const local = runWithoutPrograms('neovim.test.js', undefined);
  assert.equal(local.status, 0, local.stdout);
  assert.deepEqual([local.pass, local.fail, local.skipped], [0, 0, 1], local.stdout);
  assert.match(local.stdout, /# SKIP Neovim is not installed \(nvim is not on PATH\); install it to run this test: Debian: apt-get install -y neovim/);
  const ci = runWithoutPrograms('neovim.test.js', 'true');
  assert.notEqual(ci.status, 0);
  assert.deepEqual([ci.pass, ci.fail, ci.skipped], [0, 1, 0], ci.stdout);
  assert.match(ci.stdout, /CI must install Neovim/);
});

test('without Nix: the Nix-checked snippet tests are skipped with the reason, the others still run', { timeout: 120_000 }, () => {
  const local = runWithoutPrograms('features/snippets.test.js', undefined);
  assert.equal(local.status, 0, local.stdout);
  assert.ok(local.skipped >= 1 && local.pass >= 1 && local.fail === 0, local.stdout);
  assert.match(local.stdout, /# SKIP Nix is not installed \(nix-instantiate is not on PATH\)/);
  const ci = runWithoutPrograms('features/snippets.test.js', 'true');
  assert.equal(ci.fail, local.skipped, ci.stdout);
  assert.match(ci.stdout, /CI must install Nix/);
});

test('CI is recognised the way CI services set it', () => {
  assert.equal(inCi({ CI: 'true' }), true);
  assert.equal(inCi({ CI: '1' }), true);
  assert.equal(inCi({}), false);
  assert.equal(inCi({ CI: 'false' }), false);
  assert.equal(inCi({ CI: '0' }), false);
});
