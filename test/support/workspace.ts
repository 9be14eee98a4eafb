/** Writes a fixture's files into a fresh temporary folder, for tests that run the CLI or server on disk. */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFixture } from './fixture.js';

export interface TempWorkspace {
  root: string;
  path(rel: string): string;
  dispose(): void;
}

export function writeWorkspace(source: string | Record<string, string | Buffer>): TempWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'nixpkgs-instances-')));
  const files: [string, string | Buffer][] =
    typeof source === 'string' ? [...parseFixture(source).files] : Object.entries(source);
  for (const [rel, text] of files) {
    const full = join(root, rel.replace(/^\//, ''));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return {
    root,
    path: (rel) => join(root, rel.replace(/^\//, '')),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The repository root (for dist/ and examples/), from out/test/support. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
