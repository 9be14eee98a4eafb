/**
 * `nix-instantiate --parse` over many files, as the reference speed for
 * "parsing Nix": 500 files per process, one process after the other (the
 * analysis runs on one thread too). Nix prints each file's syntax tree; the
 * output goes to /dev/null. Run offline and without any user or system
 * configuration (see test/support/nixOracle.ts for why these variables).
 */
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

export async function nixParseAll(paths: readonly string[], batch = NIX_BATCH): Promise<NixParseRun> {
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
  const result: NixParseRun = { wallMs: 0, cpuMs: 0, maxRssBytes: 0, processes: 0, errors: [] };
  try {
    for (let i = 0; i < paths.length; i += batch) {
      const m = await measure('nix-instantiate', ['--parse', ...paths.slice(i, i + batch)], { env });
      result.wallMs += m.wallMs;
      result.processes++;
      result.cpuMs = m.cpuMs === null || result.cpuMs === null ? null : result.cpuMs + m.cpuMs;
      result.maxRssBytes = m.maxRssBytes === null || result.maxRssBytes === null ? null : Math.max(result.maxRssBytes, m.maxRssBytes);
      if (m.code !== 0) result.errors.push(m.stderr.trim() || `exit status ${m.code}`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return result;
}
