/**
 * A fresh clone's first commands stay quiet and accurate: the grammar build
 * says what it does in two lines (no compiler-loading progress, no expected
 * linker warning), and the Node version the project asks for satisfies every
 * locked package, so `npm ci` prints no EBADENGINE warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { REPO_ROOT } from '../support/workspace.js';

test('the grammar build prints what it does and where, and nothing of the compiler it runs', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-grammar-'));
  try {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-grammar.mjs'), '--force', '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^grammar: compiling tree-sitter-nix to WebAssembly with @yowasp\/clang from node_modules/);
    assert.match(lines[1]!, /^grammar: built .*tree-sitter-nix\.wasm \(\d+ bytes, [\d.]+ s\)$/);
    // The same bytes as the build the other tests use: the quiet build is the real one.
    assert.deepEqual(
      readFileSync(join(out, 'tree-sitter-nix.wasm')),
      readFileSync(join(REPO_ROOT, 'dist', 'tree-sitter-nix.wasm')),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("the project's Node floor satisfies every locked package, and the README states it", () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const floor = semver.minVersion(pkg.engines.node);
  assert.ok(floor, pkg.engines.node);
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[] }>;
  };
  const refuse = Object.entries(lock.packages)
    .filter(([name, p]) => name !== '' && p.engines && !Array.isArray(p.engines) && typeof p.engines.node === 'string')
    .filter(([, p]) => !semver.satisfies(floor, (p.engines as { node: string }).node))
    .map(([name, p]) => `${name} wants node ${(p.engines as { node: string }).node}`);
  assert.deepEqual(refuse, [], `Node ${floor.version} is refused by`);
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const short = floor.patch === 0 ? `${floor.major}.${floor.minor}` : floor.version;
  assert.ok(readme.includes(`Node ${short}+`), `README names Node ${short}+`);
});
