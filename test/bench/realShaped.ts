/**
 * The real-shaped workspace: the `.nix` files of the real corpus
 * (test/real/corpus/, git-ignored, rebuilt by `node scripts/real-extract.mjs`)
 * copied whole, repository by repository, as many times as it takes to reach
 * the file count, each copy under renamed folders (`c2-owner+name/...`). The
 * mix of files is then the mix of real configurations (modules with formals,
 * `imports`, `pkgs.` uses and options; hosts, helpers, home-manager,
 * overlays, packages), not a generator's guess. Files `nix-instantiate
 * --parse` rejects (it also rejects unbound variables, which files read in
 * their caller's scope have) are left out, so that Nix and the index parse
 * the same files. Cached in tmp/bench-cache/
 * under the corpus's commits and the copy count; the stamp file is written
 * last, so a folder without it is incomplete.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { listNixFiles } from '../../server/src/node/loader.js';
import { nixRejected } from './nixParse.js';

const STAMP = 'real-shaped.json';

export interface RealShaped {
  root: string;
  files: number;
  bytes: number;
  copies: number;
  repositories: number;
  /** The corpus's own size, for the report. */
  corpus: { files: number; bytes: number };
  /** Corpus files left out because Nix rejects them; null when Nix is not installed (nothing left out). */
  rejected: number | null;
}

/** Why there is no real-shaped workspace on this machine, or null when the corpus is there. */
export function corpusMissing(corpus: string): string | null {
  if (!existsSync(corpus)) return `${corpus} is absent (it is git-ignored; node scripts/real-extract.mjs rebuilds it from repository snapshots)`;
  const repos = readdirSync(corpus).filter((r) => existsSync(join(corpus, r, '.commit')));
  return repos.length === 0 ? `${corpus} holds no extracted repository (node scripts/real-extract.mjs)` : null;
}

/** The workspace for `targetFiles` (whole copies of the corpus, at least one), built when missing. */
export async function realShapedWorkspace(corpusDir: string, cacheDir: string, targetFiles: number, nix: boolean, log: (line: string) => void): Promise<RealShaped> {
  // Absolute, as Nix names the files in its errors.
  const corpus = resolve(corpusDir);
  const repos = readdirSync(corpus)
    .filter((r) => existsSync(join(corpus, r, '.commit')))
    .sort();
  const all = repos.flatMap((r) => listNixFiles(join(corpus, r)).map((p) => ({ repo: r, rel: relative(join(corpus, r), p), path: p })));
  const key = createHash('sha256')
    .update(repos.map((r) => `${r}@${readFileSync(join(corpus, r, '.commit'), 'utf8').trim()}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  const copies = Math.max(1, Math.round(targetFiles / all.length));
  const root = join(cacheDir, `real-${key}-x${copies}${nix ? '' : '-unchecked'}`);
  const stamp = join(root, STAMP);
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8')) as RealShaped;
  let rejected: Set<string> | null = null;
  if (nix) {
    log(`checking the ${all.length} corpus files with nix-instantiate --parse (once) ...`);
    rejected = new Set(await nixRejected(all.map((f) => f.path)));
  }
  const files = all.filter((f) => !rejected?.has(f.path));
  const corpusBytes = files.reduce((n, f) => n + statSync(f.path).size, 0);
  log(`building the real-shaped workspace: ${copies} copies of ${files.length} corpus files from ${repos.length} repositories ...`);
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  for (let c = 0; c < copies; c++) {
    for (const f of files) {
      const to = join(partial, `c${c}-${f.repo}`, f.rel);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f.path, to);
    }
  }
  const result: RealShaped = {
    root,
    files: files.length * copies,
    bytes: corpusBytes * copies,
    copies,
    repositories: repos.length,
    corpus: { files: files.length, bytes: corpusBytes },
    rejected: rejected ? rejected.size : null,
  };
  writeFileSync(join(partial, STAMP), JSON.stringify(result, null, 2));
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return result;
}
