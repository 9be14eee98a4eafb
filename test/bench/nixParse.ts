/**
 * `nix-instantiate --parse` over many files, as the reference speed for
 * "parsing Nix": 500 files per process, one process after the other (the
 * analysis runs on one thread too). Nix prints each file's syntax tree; the
 * output goes to /dev/null. Run offline and without any user or system
 * configuration (see test/support/nixOracle.ts for why these variables).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { measure } from './measure.js';

export const NIX_BATCH = 500;

export function nixInstantiateAvailable(): boolean {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d !== '')
    .some((d) => {
      try {
        accessSync(join(d, 'nix-instantiate'), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export interface NixParseRun {
  wallMs: number;
  cpuMs: number | null;
  /** The largest peak RSS of any one process. */
  maxRssBytes: number | null;
  processes: number;
  /** Messages of processes that failed (a file that is not valid Nix). */
  errors: string[];
}

/** Runs `fn` with an environment for nix-instantiate: offline, no user or system configuration. */
export async function withNixEnv<T>(fn: (env: NodeJS.ProcessEnv) => Promise<T> | T): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'bench-nix-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: home,
    XDG_CACHE_HOME: home,
    XDG_DATA_HOME: home,
    XDG_STATE_HOME: home,
    NIX_CONF_DIR: home,
    NIX_STATE_DIR: join(home, 'state'),
    NIX_REMOTE: 'dummy://',
    NIX_PATH: '',
  };
  try {
    return await fn(env);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The files of `paths` that `nix-instantiate --parse` rejects (it also rejects unbound
 * variables, and a batch stops at its first error, so a batch holding one would parse less
 * than the others): found batch by batch, each error's file named by its message, the batch
 * then going on after it. Not timed.
 */
export async function nixRejected(paths: readonly string[], batch = NIX_BATCH): Promise<string[]> {
  return withNixEnv((env) => {
    const rejected: string[] = [];
    for (let i = 0; i < paths.length; ) {
      const files = paths.slice(i, i + batch);
      const r = spawnSync('nix-instantiate', ['--parse', ...files], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      if (r.status === 0) {
        i += files.length;
        continue;
      }
      const named = [...r.stderr.matchAll(/(\/[^\s:]+\.nix):\d+:\d+/g)].map((m) => m[1]);
      const bad = files.findIndex((f) => named.includes(f));
      // An error that names no file of the batch: leave the batch out whole rather than guess.
      if (bad < 0) {
        rejected.push(...files);
        i += files.length;
      } else {
        rejected.push(files[bad]!);
        i += bad + 1;
      }
    }
    return rejected;
  });
}

export async function nixParseAll(paths: readonly string[], batch = NIX_BATCH): Promise<NixParseRun> {
  return withNixEnv(async (env) => {
    const result: NixParseRun = { wallMs: 0, cpuMs: 0, maxRssBytes: 0, processes: 0, errors: [] };
    for (let i = 0; i < paths.length; i += batch) {
      const m = await measure('nix-instantiate', ['--parse', ...paths.slice(i, i + batch)], { env });
      result.wallMs += m.wallMs;
      result.processes++;
      result.cpuMs = m.cpuMs === null || result.cpuMs === null ? null : result.cpuMs + m.cpuMs;
      result.maxRssBytes = m.maxRssBytes === null || result.maxRssBytes === null ? null : Math.max(result.maxRssBytes, m.maxRssBytes);
      if (m.code !== 0) result.errors.push(m.stderr.trim() || `exit status ${m.code}`);
    }
    return result;
  });
}
