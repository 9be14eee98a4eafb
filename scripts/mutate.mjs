// Mutation testing for the analysis core: applies each mutant of the catalogue
// (scripts/mutants.mjs) on its own to a temporary copy of the sources, compiles
// the copy and runs the unit tests that exercise server/src/ide against it,
// stopping at the first failing test. A mutant is killed when a test fails (or
// times out), survives when every test passes, and is stale when its text is no
// longer in the file (the catalogue needs updating). The real tree is never
// written: everything happens under a temporary folder, removed at the end and
// on Ctrl-C.
//
//   npm run mutate                       every mutant
//   npm run mutate -- --changed          the mutants in files this branch changed since it left main
//   npm run mutate -- --files a.ts,b.ts  the mutants in these files (paths or path endings)
//   npm run mutate -- --list             print the catalogue and exit
//   npm run mutate -- --min 90           exit 1 when the score is below 90 % (default 90)
//
// Needs dist/tree-sitter-nix.wasm (`npm run build` or `npm test` once).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MUTANTS } from './mutants.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The unit tests that run the analysis in-process (no dist/, no spawned server or CLI). */
const EXCLUDED_TESTS = [
  'abuse.test.js', // server over stdio (dist/)
  'cli.test.js', // dist/cli.js
  'cli-report.test.js', // dist/cli.js
  'codelens.test.js', // dist/server.js
  'code-action-resolve.test.js', // server over stdio (dist/)
  'client-restart.test.js', // client only
  'client-status.test.js', // client only
  'docs.test.js', // README, CHANGELOG and the npm start output (dist/)
  'fuzz.test.js', // 30 s of random inputs: the fuzzer's job, not a fast check
  'guarantees.test.js', // dist/
  'hostile.test.js', // dist/, a minute
  'neovim.test.js', // dist/
  'packaging.test.js', // npm pack and an offline install
  'programs.test.js', // re-runs other tests without Nix or Neovim on the PATH
  'quiet-start.test.js', // the build's output
  'server.test.js', // dist/
  'tmgrammar.test.js', // the TextMate grammar
];

const { values } = parseArgs({
  options: {
    changed: { type: 'boolean', default: false },
    files: { type: 'string' },
    list: { type: 'boolean', default: false },
    min: { type: 'string', default: '90' },
    base: { type: 'string', default: 'main' },
  },
});

for (const [i, m] of MUTANTS.entries()) m.id = i + 1;

let selected = MUTANTS;
if (values.changed || values.files) {
  const wanted = values.files
    ? values.files.split(',').map((f) => f.trim()).filter(Boolean)
    : changedFiles(values.base);
  selected = MUTANTS.filter((m) => wanted.some((w) => m.file === w || m.file.endsWith('/' + w.replace(/^\.?\//, ''))));
  console.log(`files: ${wanted.length ? wanted.join(', ') : '(none)'}`);
}

if (values.list) {
  for (const m of selected) console.log(`#${m.id} ${m.file}: ${m.description}`);
  process.exit(0);
}
if (selected.length === 0) {
  console.log('no mutants in these files');
  process.exit(0);
}

/** Files under server/src/ide this branch changes since it left `base` (committed or not, new files too). */
function changedFiles(base) {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const fork = git('merge-base', base, 'HEAD');
  if (fork.status !== 0) throw new Error(`git merge-base ${base} HEAD failed: ${fork.stderr}`);
  const r = git('diff', '--name-only', fork.stdout.trim(), '--', 'server/src/ide');
  if (r.status !== 0) throw new Error(`git diff failed: ${r.stderr}`);
  const untracked = git('ls-files', '--others', '--exclude-standard', 'server/src/ide');
  return [...r.stdout.split('\n'), ...untracked.stdout.split('\n')].filter(Boolean);
}

// ---- the temporary copy -------------------------------------------------------------------

const wasm = join(root, 'dist', 'tree-sitter-nix.wasm');
if (!existsSync(wasm)) {
  console.error('dist/tree-sitter-nix.wasm is missing: run `npm run build` first');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-mutate-'));
let child = null;
const cleanup = () => {
  if (child && child.exitCode === null) killGroup(child);
  rmSync(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanup();
    console.error(`\ninterrupted; ${work} removed, the source tree was never modified`);
    process.exit(130);
  });
}

function killGroup(p) {
  try {
    process.kill(-p.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

try {
  await main();
} finally {
  cleanup();
}

async function main() {
  const skip = (src) => !src.split(sep).some((part) => part === 'corpus' || part === 'e2e' || part === 'node_modules');
  for (const dir of ['server', 'client', 'test']) cpSync(join(root, dir), join(work, dir), { recursive: true, filter: skip });
  cpSync(join(root, 'tsconfig.base.json'), join(work, 'tsconfig.base.json'));
  // Read-only things the tests read through REPO_ROOT: linked, not copied.
  for (const name of ['node_modules', 'examples', 'snippets', 'scripts', 'syntaxes', 'README.md', 'CHANGELOG.md', 'package.json', 'language-configuration.json']) {
    if (existsSync(join(root, name))) symlinkSync(join(root, name), join(work, name));
  }
  mkdirSync(join(work, 'dist'));
  cpSync(wasm, join(work, 'dist', 'tree-sitter-nix.wasm'));

  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const compile = (project) => spawnSync(process.execPath, [tsc, '-b', project], { cwd: work, encoding: 'utf8' });
  let t0 = Date.now();
  const first = compile('test');
  if (first.status !== 0) {
    console.error(`the unmodified copy does not compile:\n${first.stdout}${first.stderr}`);
    process.exitCode = 2;
    return;
  }

  const testDir = join(work, 'out', 'test', 'unit');
  const tests = readdirSync(testDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js') && !EXCLUDED_TESTS.includes(f))
    .sort();

  // Baseline: every selected test passes on the unmodified copy, and how long each takes.
  const baseline = new Map();
  for (const t of tests) {
    const r = await runTest(join(testDir, t), 120_000);
    if (r.outcome !== 'pass') {
      console.error(`the unmodified copy fails ${t} (${r.failed ?? r.outcome}): fix the suite first`);
      process.exitCode = 2;
      return;
    }
    baseline.set(t, r.ms);
  }
  console.log(
    `copy in ${work}: compiled and ${tests.length} test files passed in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${selected.length} mutants`,
  );

  const results = [];
  for (const m of selected) {
    t0 = Date.now();
    const result = await runMutant(m);
    result.seconds = (Date.now() - t0) / 1000;
    results.push({ m, ...result });
    const label = result.status === 'timeout' ? 'timed out' : result.status;
    const how = result.by ? `\n    ${result.status === 'timeout' ? 'in' : 'by'} ${result.by}` : result.detail ? `\n    ${result.detail}` : '';
    console.log(`#${m.id} ${label}: ${m.file.replace('server/src/ide/', '')}: ${m.description} (${result.seconds.toFixed(1)} s)${how}`);
  }

  const count = (s) => results.filter((r) => r.status === s).length;
  const killed = count('killed');
  const timeout = count('timeout');
  const survived = count('survived');
  const counted = killed + timeout + survived;
  const score = counted ? (100 * (killed + timeout)) / counted : 100;
  console.log('');
  console.log(
    `mutation score ${score.toFixed(1)} % (${killed + timeout} of ${counted} killed: ${killed} by a failing test, ${timeout} by a timeout; ${survived} survived; ${count('stale')} stale, ${count('invalid')} not compiling)`,
  );
  for (const r of results.filter((r) => r.status === 'survived')) console.log(`  survived #${r.m.id} ${r.m.file}: ${r.m.description}`);
  for (const r of results.filter((r) => r.status === 'stale' || r.status === 'invalid'))
    console.log(`  ${r.status} #${r.m.id} ${r.m.file}: ${r.m.description}: ${r.detail}`);
  const min = Number(values.min);
  if (count('stale') > 0 || count('invalid') > 0 || score < min) process.exitCode = 1;

  async function runMutant(m) {
    const file = join(work, m.file);
    if (!existsSync(file)) return { status: 'stale', detail: 'the file no longer exists' };
    const original = readFileSync(file, 'utf8');
    const at = original.indexOf(m.find);
    if (at === -1) return { status: 'stale', detail: 'the text to change is no longer in the file' };
    if (original.indexOf(m.find, at + 1) !== -1) return { status: 'stale', detail: 'the text to change occurs more than once' };
    writeFileSync(file, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
    try {
      const c = compile('server');
      if (c.status !== 0) return { status: 'invalid', detail: (c.stdout + c.stderr).split('\n').find((l) => l.includes('error')) ?? 'tsc failed' };
      for (const t of orderFor(m.file)) {
        const r = await runTest(join(testDir, t), Math.max(15_000, 5 * baseline.get(t)));
        if (r.outcome === 'fail') return { status: 'killed', by: `${t}: ${r.failed}` };
        if (r.outcome === 'timeout') return { status: 'timeout', by: t };
      }
      return { status: 'survived' };
    } finally {
      writeFileSync(file, original);
    }
  }

  /** Tests named after the mutated file first, then those of its folder, then the rest, fastest first. */
  function orderFor(file) {
    const stem = basename(file, '.ts');
    const area = basename(dirname(file));
    const rank = (t) => (basename(t, '.test.js') === stem || t.includes(stem) ? 0 : t.startsWith(area + sep) || t.includes(area) ? 1 : 2);
    return [...tests].sort((a, b) => rank(a) - rank(b) || baseline.get(a) - baseline.get(b));
  }
}

/** Runs one compiled test file in its own process group; the first failing test's name on failure. */
function runTest(file, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    let out = '';
    child = spawn(process.execPath, ['--test-reporter=tap', file], { cwd: work, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', () => {});
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (timedOut) return resolve({ outcome: 'timeout', ms });
      if (code === 0) return resolve({ outcome: 'pass', ms });
      const failed = /^\s*not ok \d+ - (.*)$/m.exec(out)?.[1] ?? `exit code ${code}`;
      resolve({ outcome: 'fail', ms, failed });
    });
  });
}

