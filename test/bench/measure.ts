/**
 * Runs one command in a fresh process and measures it: wall time from here,
 * and peak resident memory and CPU time from GNU time (`/usr/bin/time -v`)
 * when it is installed. Without it, Node commands load `rssProbe.js`, which
 * reports the same figures from inside the process; other commands get none.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const GNU_TIME = '/usr/bin/time';

/** Precedes the figures that rssProbe.js writes to stderr. */
export const PROBE_MARKER = 'BENCH_RSS_PROBE ';

export interface Measured {
  wallMs: number;
  /** Peak resident set size in bytes, when it could be measured. */
  maxRssBytes: number | null;
  /** User plus system CPU time in ms, when it could be measured. */
  cpuMs: number | null;
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep stdout (else it goes to /dev/null, so writing it costs what it costs the program). */
  stdout?: boolean;
}

/** GNU time is used when installed, unless `BENCH_NO_GNU_TIME` is set (to try the fallback). */
export function gnuTimeAvailable(): boolean {
  return !process.env.BENCH_NO_GNU_TIME && existsSync(GNU_TIME);
}

function run(command: string, args: string[], options: RunOptions): Promise<{ wallMs: number; code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', options.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ wallMs: performance.now() - start, code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: err }),
    );
  });
}

/** Runs `command args` and measures it. `isNode` says that `command` is Node, so the probe can be used. */
export async function measure(command: string, args: string[], options: RunOptions = {}, isNode = false): Promise<Measured> {
  if (gnuTimeAvailable()) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
    try {
      const report = join(dir, 'time.txt');
      const r = await run(GNU_TIME, ['-v', '-o', report, command, ...args], options);
      const text = readFileSync(report, 'utf8');
      const field = (name: string): number | null => {
        const m = text.match(new RegExp(`${name}: ([0-9.]+)`));
        return m ? Number(m[1]) : null;
      };
      const kb = field('Maximum resident set size \\(kbytes\\)');
      const user = field('User time \\(seconds\\)');
      const sys = field('System time \\(seconds\\)');
      // GNU time exits with the command's status, or prints "Command exited with non-zero status N".
      return {
        ...r,
        maxRssBytes: kb === null ? null : kb * 1024,
        cpuMs: user === null || sys === null ? null : (user + sys) * 1000,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (isNode) {
    const r = await run(command, ['--require', join(__dirname, 'rssProbe.js'), ...args], options);
    const m = r.stderr.match(new RegExp(`${PROBE_MARKER}(\\d+) (\\d+)`));
    return {
      ...r,
      stderr: r.stderr.replace(new RegExp(`\\n?${PROBE_MARKER}.*\\n?`), ''),
      maxRssBytes: m ? Number(m[1]) * 1024 : null,
      cpuMs: m ? Number(m[2]) / 1000 : null,
    };
  }
  return { ...(await run(command, args, options)), maxRssBytes: null, cpuMs: null };
}
