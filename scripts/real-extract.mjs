#!/usr/bin/env node
// Rebuilds the real corpus (test/real/corpus/, git-ignored) from repository snapshots:
// for every row of test/real/repos.tsv, the `.nix` files and `flake.lock` files of the
// pinned commit. Snapshots are bare git directories brought by the team's `fetch` tool
// to /work/.mirror/<owner>+<name>/repo (or $REAL_MIRROR/<owner>+<name>/repo); nothing
// fetched is ever committed, only the list, this script and our labels.
//
// Usage: node scripts/real-extract.mjs [--only owner/name] [--force]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mirror = process.env.REAL_MIRROR ?? '/work/.mirror';
const corpus = join(root, 'test/real/corpus');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const force = args.includes('--force');

export function readRepos(file = join(root, 'test/real/repos.tsv')) {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((v, i) => [cols[i], v])));
}

function extract(repo) {
  const name = repo.repo.replace('/', '+');
  const gitDir = join(mirror, name, 'repo');
  const into = join(corpus, name);
  const stamp = join(into, '.commit');
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === repo.commit) return 'up to date';
  if (!existsSync(gitDir)) return `missing: no snapshot at ${gitDir} (bring it with the fetch tool: github:${repo.repo})`;
  const has = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${repo.commit}^{commit}`]);
  if (has.status !== 0) return `missing: the snapshot at ${gitDir} lacks commit ${repo.commit}`;
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  // ls-tree then cat-file --batch, not git archive: a snapshot lacks its largest blobs, and
  // archive stops at the first one missing (none of them is a Nix file we want).
  const entries = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', repo.commit], { maxBuffer: 1 << 28 })
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, oid] = line.slice(0, tab).split(' ');
      return { type, oid, path: line.slice(tab + 1) };
    })
    .filter((e) => e.type === 'blob' && (e.path.endsWith('.nix') || /(^|\/)flake\.lock$/.test(e.path)));
  const batch = execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
    input: entries.map((e) => e.oid).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  let at = 0;
  let written = 0;
  for (const e of entries) {
    const nl = batch.indexOf(10, at);
    const header = batch.subarray(at, nl).toString();
    at = nl + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    const file = join(into, e.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, batch.subarray(at, at + size));
    at += size + 1;
    if (e.path.endsWith('.nix')) written++;
  }
  writeFileSync(stamp, repo.commit + '\n');
  return `extracted ${written} .nix files`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let missing = 0;
  for (const repo of readRepos()) {
    if (only && repo.repo !== only) continue;
    const result = extract(repo);
    if (result.startsWith('missing')) missing++;
    console.log(`${repo.repo.padEnd(34)} ${result}`);
  }
  if (missing) {
    console.error(`\n${missing} repositories could not be extracted; eval:real skips them.`);
    process.exitCode = 1;
  }
}
