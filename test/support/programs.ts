/**
 * Tests that need a program users never need (Nix as an oracle, Neovim as a
 * second LSP client). Where it is missing, a test says so instead of passing
 * as if it had run: locally it is reported as skipped with the reason (the
 * runner's summary counts it under `skipped`); in CI (`CI=true`, as GitHub
 * Actions and .ci/run set it) a missing program fails the test, because CI
 * must install it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

const found = new Map<string, boolean>();

/** Whether `command` is an executable on PATH (checked once per command, no process started). */
export function onPath(command: string): boolean {
  let hit = found.get(command);
  if (hit === undefined) {
    hit = (process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .some((dir) => {
        try {
          fs.accessSync(path.join(dir, command), fs.constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
    found.set(command, hit);
  }
  return hit;
}

/** Whether this run is CI's: there a missing program is a failure. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env['CI'] ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Whether the test may use `command`. When it is missing: throws in CI, and
 * elsewhere marks the test skipped with `what` and how to install it, and
 * returns false (the caller returns at once).
 */
export function requireProgram(t: TestContext, command: string, what: string, install: string): boolean {
  if (onPath(command)) return true;
  const why = `${command} is not on PATH`;
  if (inCi()) throw new Error(`${why}; CI must install ${what} (${install})`);
  t.skip(`${what} is not installed (${why}); install it to run this test: ${install}`);
  return false;
}
