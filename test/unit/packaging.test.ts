/**
 * The command line where CI users expect it:
 * - the npm package: `npm pack`'s tarball installs into an empty prefix
 *   offline (it has no dependencies to fetch: dist/ bundles them), and its
 *   `nixpkgs-instances` command checks a folder;
 * - the GitHub Action (action.yml): its shell steps, run in order as the
 *   runner runs them (inputs and step outputs in the environment, the `if:`
 *   conditions honoured), write the SARIF the upload step is given and fail
 *   exactly when findings reach the threshold;
 * - the pre-commit hook (.pre-commit-hooks.yaml): its entry checks the
 *   repository it runs in.
 * The `uses:` steps (setup-node, upload-sarif) need GitHub and are checked
 * for what they are given, not run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO_ROOT, writeWorkspace, type TempWorkspace } from '../support/workspace.js';

/** A module two hosts load that makes its own instance (a warning), and a file with an error in `error.nix` when asked. */
function workspace(withError: boolean): TempWorkspace {
  const ws = writeWorkspace({
    'flake.nix': [
      '{',
      '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";',
      '  outputs = { nixpkgs, ... }: {',
      '    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };',
      '    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };',
      '  };',
      '}',
      '',
    ].join('\n'),
    'm.nix': '{ ... }:\nlet u = import <nixpkgs> { localSystem = "x86_64-linux"; config.allowUnfree = true; }; in { environment.systemPackages = [ u.hello ]; }\n',
    ...(withError ? { 'vendor/error.nix': 'import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; }\n' } : {}),
  });
  mkdirSync(ws.path('.git'));
  return ws;
}

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('the npm tarball installs into an empty prefix offline, and its command checks a folder', { timeout: 180_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-pack-'));
  const ws = workspace(true);
  try {
    // Scripts stay off (the repository's .npmrc): the tarball holds dist/ as the build made it.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO_ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/index-worker.js',
      'dist/server.js',
      'dist/tree-sitter-nix.provenance.json',
      'dist/tree-sitter-nix.wasm',
      'dist/web-tree-sitter.wasm',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: object; version: string };
    assert.equal(manifest.dependencies, undefined, 'every runtime dependency is bundled into dist/');

    // An empty prefix and an empty cache, offline: nothing may need the network.
    const prefix = join(tmp, 'prefix');
    npm(['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, '--cache', join(tmp, 'cache'), join(tmp, packed[0]!.filename)], tmp);
    const bin = join(prefix, 'bin', 'nixpkgs-instances');
    accessSync(bin, constants.X_OK);
    const r = spawnSync(bin, ['check', '.'], { cwd: ws.root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^vendor\/error\.nix:1:20: error system-and-local-system: Remove system and keep localSystem\./m);
    assert.match(r.stderr, /^3 files, 2 instances, 1 error, 1 warning\n$/m);
    const server = spawnSync(join(prefix, 'bin', 'nixpkgs-instances-server'), ['--version'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(server.stdout, `${manifest.version}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    ws.dispose();
  }
});

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
}

const action = yaml.load(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;

/** `${{ inputs.x }}` and `${{ steps.s.outputs.o }}` in a value, as the runner expands them. */
function expand(value: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) return inputs[input[1]!] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (output) return outputs[output[1]!]?.[output[2]!] ?? '';
    throw new Error(`the test does not know the expression ${expr}`);
  });
}

/** The `if:` conditions action.yml uses: `<reference> == '<text>'` and `<reference> != '<text>'`. */
function condition(expr: string | undefined, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): boolean {
  if (expr === undefined) return true;
  const m = /^([\w.-]+) (==|!=) '([^']*)'$/.exec(expr.trim());
  if (!m) throw new Error(`the test does not know the condition ${expr}`);
  const value = expand(`\${{ ${m[1]} }}`, inputs, outputs);
  return m[2] === '==' ? value === m[3] : value !== m[3];
}

interface ActionRun {
  /** The step that failed, or null. */
  failed: string | null;
  ran: string[];
  /** What each upload-sarif step was given. */
  uploads: Record<string, string>[];
  outputs: Record<string, Record<string, string>>;
  log: string;
  sarif: { runs: { results: { ruleId: string }[] }[] } | null;
}

/** Runs the action's shell steps on `ws`, as the runner would; returns what happened. */
function runAction(ws: TempWorkspace, given: Record<string, string>): ActionRun {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const outputs: Record<string, Record<string, string>> = {};
  const temp = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-action-'));
  const ran: string[] = [];
  const uploads: Record<string, string>[] = [];
  let log = '';
  const finish = (failed: string | null): ActionRun => {
    const sarifFile = outputs['check']?.['sarif-file'];
    const sarif = sarifFile && existsSync(sarifFile) ? (JSON.parse(readFileSync(sarifFile, 'utf8')) as ActionRun['sarif']) : null;
    return { failed, ran, uploads, outputs, log, sarif };
  };
  try {
    for (const [i, step] of action.runs.steps.entries()) {
      if (!condition(step.if, inputs, outputs)) continue;
      const label = step.id ?? step.name ?? String(i);
      if (step.uses) {
        if (step.uses.startsWith('github/codeql-action/upload-sarif@')) {
          uploads.push(Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), inputs, outputs)])));
        }
        continue;
      }
      assert.equal(step.shell, 'bash', `${label} runs in bash`);
      const outputFile = join(temp, `output-${i}`);
      writeFileSync(outputFile, '');
      const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTION_PATH: REPO_ROOT, GITHUB_WORKSPACE: ws.root, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: temp };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v), inputs, outputs);
      const r = spawnSync('bash', ['-e', '-c', expand(step.run!, inputs, outputs)], { cwd: ws.root, env, encoding: 'utf8', timeout: 120_000 });
      ran.push(label);
      log += r.stdout + r.stderr;
      const lines = readFileSync(outputFile, 'utf8').split('\n').filter((l) => l.includes('='));
      if (step.id) outputs[step.id] = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      if (r.status !== 0) return finish(label);
    }
    return finish(null);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

test('action.yml is a composite action: setup, build, check, upload SARIF, fail on the threshold', () => {
  assert.equal(action.runs.using, 'composite');
  assert.deepEqual(
    action.runs.steps.map((s) => s.uses?.replace(/@.*/, '') ?? s.id ?? s.name),
    ['actions/setup-node', 'install', 'check', 'github/codeql-action/upload-sarif', 'Fail on findings at or above the threshold'],
  );
  const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
  assert.equal(upload.with?.['sarif_file'], '${{ steps.check.outputs.sarif-file }}');
  assert.deepEqual(Object.keys(action.inputs).sort(), ['category', 'exclude', 'path', 'severity', 'upload-sarif']);
});

test("the action's steps, run locally: an error fails the run after the SARIF is written and handed to the upload", { timeout: 180_000 }, () => {
  const ws = workspace(true);
  try {
    const r = runAction(ws, {});
    assert.deepEqual(r.ran, ['install', 'check', 'Fail on findings at or above the threshold'], r.log);
    assert.equal(r.failed, 'Fail on findings at or above the threshold', r.log);
    assert.equal(r.outputs['check']?.['status'], '1');
    assert.deepEqual(r.uploads, [{ sarif_file: r.outputs['check']!['sarif-file'], category: 'nixpkgs-instances' }]);
    assert.deepEqual(r.sarif!.runs[0]!.results.map((x) => x.ruleId).sort(), ['instance-in-module', 'system-and-local-system']);
    // The text report is in the log, ready for a reader.
    assert.match(r.log, /vendor\/error\.nix:1:20: error system-and-local-system: /);
  } finally {
    ws.dispose();
  }
});

test("the action's threshold and exclude inputs: only errors fail; an excluded folder is not checked; no upload when asked", { timeout: 180_000 }, () => {
  const ws = workspace(true);
  const clean = workspace(false);
  try {
    // A warning alone does not reach `error`.
    const warningOnly = runAction(clean, { severity: 'error', 'upload-sarif': 'false' });
    assert.equal(warningOnly.failed, null, warningOnly.log);
    assert.equal(warningOnly.outputs['check']?.['status'], '0');
    assert.deepEqual(warningOnly.uploads, []);
    assert.deepEqual(warningOnly.sarif!.runs[0]!.results.map((x) => x.ruleId), ['instance-in-module']);
    // With the folder that holds the error left out, the same threshold passes.
    const excluded = runAction(ws, { severity: 'error', exclude: 'vendor/**\n' });
    assert.equal(excluded.failed, null, excluded.log);
    // `none` never fails, and still reports.
    const none = runAction(ws, { severity: 'none' });
    assert.equal(none.failed, null, none.log);
    assert.equal(none.sarif!.runs[0]!.results.length, 2);
    // A usage error (a path that is not there) fails the check step itself.
    const missing = runAction(ws, { path: 'not-here' });
    assert.equal(missing.failed, 'check', missing.log);
    assert.match(missing.log, /cannot read 'not-here'/);
  } finally {
    ws.dispose();
    clean.dispose();
  }
});

test('the pre-commit hook: its entry checks the repository it runs in, with the hook args before the folder', { timeout: 120_000 }, () => {
  const hooks = yaml.load(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }[];
  assert.equal(hooks.length, 1);
  const [hook] = hooks;
  assert.equal(hook!.id, 'nixpkgs-instances');
  assert.equal(hook!.language, 'script');
  assert.equal(hook!.pass_filenames, false);
  assert.ok(new RegExp(hook!.files).test('modules/common.nix') && !new RegExp(hook!.files).test('README.md'));
  const entry = join(REPO_ROOT, hook!.entry);
  accessSync(entry, constants.X_OK);
  // Tracked as executable, which is what a clone gets.
  assert.match(spawnSync('git', ['ls-files', '-s', hook!.entry], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout, /^100755 /);

  const ws = workspace(true);
  try {
    const failing = spawnSync(entry, [], { cwd: ws.root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(failing.status, 1, failing.stderr);
    assert.match(failing.stdout, /^vendor\/error\.nix:1:20: error system-and-local-system: /m);
    const passing = spawnSync(entry, ['--exclude', 'vendor/**', '--severity', 'error'], { cwd: ws.root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(passing.status, 0, passing.stderr);
    assert.deepEqual(readdirSync(ws.root).sort(), ['.git', 'flake.nix', 'm.nix', 'vendor'], 'the hook writes nothing into the repository');
  } finally {
    ws.dispose();
  }
});
