/**
 * `nixpkgs-instances report`: the cost of evaluating every output (server/src/ide/cost.ts),
 * as text and as JSON format version 1, on the example workspace (whose numbers
 * test/unit/examples.test.ts and test/unit/cost-eval.test.ts hold to Nix's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/workspace.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('report --format json: version 1, totals, an estimate labelled as one, Hoist all, outputs by name', () => {
  const r = run(['report', '--format', 'json', 'examples']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.totals, { created: 11, nixos: 2, legacyPackages: 2, derived: 2, unknown: 0, packageSets: 17 });
  assert.equal(doc.estimate.memoryMiB, 1700);
  assert.equal(doc.estimate.seconds, 17);
  assert.match(doc.estimate.note, /^an estimate: about 100 MiB .* and 1 s .* per package set$/);
  // common.nix and riscv-tools.nix (3 hosts each) become one set each; firmware, home and flake.nix stay.
  assert.equal(doc.hoistAll.created, 7);
  assert.deepEqual(
    doc.outputs.map((o: { name: string; created: number; own: number }) => `${o.name} ${o.created}${o.own ? ' +own' : ''}`),
    [
      'devShells 2',
      'formatter 0',
      'homeConfigurations.ada 2',
      'nixosConfigurations.alpha 2 +own',
      'nixosConfigurations.beta 2',
      'nixosConfigurations.gamma 3 +own',
      'packages.${system} 0',
    ],
  );
  const gamma = doc.outputs.find((o: { name: string }) => o.name === 'nixosConfigurations.gamma');
  assert.deepEqual(
    gamma.sets.map((s: { file: string; line: number; kind: string; count: number }) => `${s.file}:${s.line} ${s.kind} ${s.count}`),
    ['modules/common.nix:10 created 1', 'modules/firmware.nix:5 created 1', 'modules/firmware.nix:14 derived 1', 'modules/riscv-tools.nix:5 created 1'],
  );
  const common = doc.sites.find((s: { file: string }) => s.file === 'modules/common.nix');
  assert.deepEqual([common.count, common.evaluatedBy], [3, ['alpha', 'beta', 'gamma']]);
  // Instances shared between outputs count once: the totals are the sites', not the outputs' sum.
  assert.equal(doc.sites.filter((s: { kind: string }) => s.kind === 'created').reduce((n: number, s: { count: number }) => n + s.count, 0), 11);
});

test('report as text: totals first, the estimate labelled, then each output with file:line and why', () => {
  const r = run(['report', 'examples']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], "Evaluating every output creates 11 package sets from the workspace's own expressions.");
  assert.match(r.stdout, /^Estimate: about 1\.7 GiB of evaluator memory and 17 s of evaluation \(an estimate: /m);
  assert.match(r.stdout, /^Hoist all would leave 7 package sets \(Hoist all 4 module instances to flake\.nix\)\.$/m);
  assert.match(
    r.stdout,
    /^nixosConfigurations\.alpha: 2 package sets, and its own package set\n {2}1 {2}examples\/modules\/common\.nix:10 {2}unstable = import inputs\.nixpkgs-unstable: once per configuration that loads this file \(alpha, beta, gamma\)$/m,
  );
  assert.doesNotMatch(r.stdout, /per-call|per-host|wrapper-call/);
});

test('report takes text and json only; sarif is for check', () => {
  const r = run(['report', '--format', 'sarif', 'examples']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown format 'sarif' \(use text, json\)/);
  assert.equal(r.stdout, '');
});
