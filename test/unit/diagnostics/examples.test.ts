/**
 * The findings of the bundled example workspace (`examples/`), loaded from
 * disk the way the CLI loads a folder: what `npm start` prints and the tour in
 * `examples/README.md` walks through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Analysis } from '../../../server/src/ide/analysis.js';
import type { Diagnostic } from '../../../server/src/ide/diagnostics/index.js';
import { loadWorkspace, toPosix } from '../../../server/src/node/loader.js';
import { testParser } from '../../support/fixture.js';
import { assertMessageShapes, messageShapeProblems } from '../../support/messages.js';
import { REPO_ROOT } from '../../support/workspace.js';

const EXAMPLES = toPosix(join(REPO_ROOT, 'examples'));

let loaded: Promise<Diagnostic[]> | undefined;
function exampleDiagnostics(): Promise<Diagnostic[]> {
  return (loaded ??= (async () => {
    const analysis = new Analysis(await testParser());
    const { files, skipped } = await loadWorkspace(EXAMPLES);
    assert.deepEqual(skipped, []);
    for (const f of files) analysis.setFile(f.path, f.text);
    return analysis.allDiagnostics();
  })());
}

/** `path:line:col` relative to examples/, 1-based like the CLI. */
function at(file: string, range: { start: { line: number; character: number } }): string {
  return `${file.slice(EXAMPLES.length + 1)}:${range.start.line + 1}:${range.start.character + 1}`;
}

function find(all: Diagnostic[], where: string, code: string): Diagnostic {
  const d = all.find((x) => at(x.file, x.range) === where && x.code === code);
  assert.ok(d, `no ${code} at ${where}`);
  return d;
}

test('the example workspace has exactly the findings of the tour in examples/README.md', async () => {
  const all = await exampleDiagnostics();
  assert.deepEqual(
    all.map((d) => `${at(d.file, d.range)} ${d.severity} ${d.code}`),
    [
      // home-manager's pkgs: nothing but a system.
      'flake.nix:59:16 information prefer-legacy-packages',
      // A home-manager module with its own nixos-unstable (nothing but a system, so
      // `inputs.nixpkgs-unstable.legacyPackages.x86_64-linux` would do as well). One user
      // evaluates it: hoisting would save nothing, so no instance-in-module.
      'home/user.nix:4:14 information prefer-legacy-packages',
      // Points at `system` (line 9); `localSystem` (line 10) is the related site.
      'lib/legacy-pkgs.nix:9:3 error system-and-local-system',
      'modules/common.nix:10:14 warning instance-in-module',
      'modules/desktop.nix:4:3 information global-overlays',
      'modules/firmware.nix:11:17 error invalid-cross-system',
      'modules/riscv-tools.nix:5:11 information emulated-and-cross',
      'modules/riscv-tools.nix:5:11 warning instance-in-module',
      'modules/server.nix:6:3 error pkgs-with-config',
    ],
  );
});

test('each finding says what the tour says, and points at the other sites', async () => {
  const all = await exampleDiagnostics();
  assertMessageShapes(all);
  const related = (d: Diagnostic) => d.related.map((r) => `${at(r.file, r.range)} ${r.message}`);

  assert.match(find(all, 'flake.nix:59:16', 'prefer-legacy-packages').message, /^Use the shared nixpkgs\.legacyPackages\.\$\{system\}\. /);

  const common = find(all, 'modules/common.nix:10:14', 'instance-in-module');
  assert.match(common.message, /^Hoist to flake\.nix and pass it through specialArgs\. .*3 configurations \(alpha, beta and gamma\)/);
  assert.deepEqual(related(common), ['flake.nix:42:9 nixosSystem evaluates this module for alpha, beta and gamma']);
  assert.match(find(all, 'modules/riscv-tools.nix:5:11', 'instance-in-module').message, /alpha, beta and gamma/);

  // alpha emulates riscv64-linux and loads the cross instance; beta and gamma do not emulate.
  assert.deepEqual(related(find(all, 'modules/riscv-tools.nix:5:11', 'emulated-and-cross')), [
    'hosts/alpha/default.nix:15:35 riscv64-linux is emulated here',
  ]);

  assert.match(find(all, 'modules/firmware.nix:11:17', 'invalid-cross-system').message, /^Change crossSystem\.gcc\.abi to "lp64d"\. gcc\.abi "ilp32d" is a 32-bit ABI, but "riscv64-none-elf" is a 64-bit platform\.$/);
  assert.match(find(all, 'modules/desktop.nix:4:3', 'global-overlays').message, /^Apply this overlay to a separate instance if only some packages need it\. It replaces openssl /);

  const server = find(all, 'modules/server.nix:6:3', 'pkgs-with-config');
  assert.deepEqual(related(server), ['modules/server.nix:5:3 nixpkgs.pkgs is set here']);

  assert.deepEqual(related(find(all, 'lib/legacy-pkgs.nix:9:3', 'system-and-local-system')), [
    'lib/legacy-pkgs.nix:10:3 localSystem is given here',
  ]);
});

test('the message shape check rejects a message that explains before it says what to do', () => {
  const old = {
    code: 'instance-in-module' as const,
    message:
      'This module instantiates nixpkgs itself. 3 configurations (alpha, beta and gamma) each evaluate another complete nixpkgs here. Create the instance once in flake.nix.',
    related: [{ file: '/f', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: '`nixosSystem` evaluates this module' }],
  };
  const problems = messageShapeProblems(old);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /does not lead with a fix/);
  assert.match(problems[1]!, /markdown in plain text/);
  assert.deepEqual(messageShapeProblems({ ...old, message: 'Remove system. Both are given and nixpkgs asserts that only one is.', related: [] }), []);
  assert.match(messageShapeProblems({ ...old, message: `Use ${'x'.repeat(90)}. Because.`, related: [] }).join(), /characters/);
});
