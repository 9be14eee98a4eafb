/**
 * A small fuzz run in the suite (the harness is test/fuzz/fuzz.ts; `npm run
 * fuzz -- --n 100000 --nix` is the large run whose figures the README
 * gives). Mutated flakes and modules go through indexing, every diagnostic,
 * the editor features and every code action; nothing may throw, hang or
 * break a guarantee, and with Nix installed each applied code action must
 * leave files that parse wherever they parsed before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz, summaryLine } from '../fuzz/fuzz.js';
import { nixOrExplain } from '../support/nixOracle.js';

test('fuzz: 300 mutated workspaces through every feature and code action, Nix-checked edits', async (t) => {
  const nix = nixOrExplain(t);
  const crashDir = mkdtempSync(join(tmpdir(), 'fuzz-crashes-'));
  try {
    // Seed 20261121 is not the seed of the recorded large run (1), so the suite covers other inputs.
    const s = await runFuzz({ n: 300, seed: 20261121, nix, crashDir, timeoutMs: 30_000 });
    t.diagnostic(summaryLine(s, nix));
    const findings = s.findings.map((f) => `${f.kind} #${f.index} ${f.phase}: ${f.message}`).join('\n');
    assert.equal(s.inputs, 300);
    assert.deepEqual(
      { crashes: s.crashes, failures: s.failures, timeouts: s.timeouts, nixFailures: s.nixFailures },
      { crashes: 0, failures: 0, timeouts: 0, nixFailures: 0 },
      findings,
    );
    // The run reached what it claims to test: requests were answered and code actions applied.
    assert.ok(s.requests > 300 * 10, `${s.requests} requests`);
    assert.ok(s.applied > 50, `${s.applied} code actions applied`);
    if (nix) assert.ok(s.nixChecked > 20, `${s.nixChecked} edits checked with Nix`);
  } finally {
    rmSync(crashDir, { recursive: true, force: true });
  }
});
