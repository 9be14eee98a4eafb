/**
 * Reads a workspace folder from disk for the analysis: every `.nix` file, with
 * the folders that never hold configuration skipped and every file that cannot
 * be analysed (unreadable, binary, not UTF-8, too large) reported once and
 * left out. Symlinks are followed only when they stay inside the folder, so
 * loops and links into /nix/store are harmless.
 */
import { promises as fs, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Minimatch } from 'minimatch';

/** Files above this size are skipped (generated files, not configuration). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.direnv', '.jj', '.hg', '.svn']);

export interface LoadedFile {
  /** Absolute path with `/` separators. */
  path: string;
  text: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadOptions {
  /** Glob-like patterns (relative to the root) to leave out. */
  exclude?: (relPath: string) => boolean;
  maxFileBytes?: number;
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Lists the `.nix` files below `root` (absolute paths). */
export async function listNixFiles(
  root: string,
  options: LoadOptions = {},
  skipped: SkippedFile[] = [],
): Promise<string[]> {
  const out: string[] = [];
  const rootReal = await fs.realpath(root);
  const seenDirs = new Set<string>();
  const stack: string[] = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (e) {
      skipped.push({ path: dir, reason: `cannot resolve folder: ${(e as Error).message}` });
      continue;
    }
    if (seenDirs.has(real)) continue;
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: dir, reason: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = toPosix(relative(root, full));
      if (options.exclude?.(rel)) continue;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // `result` links point into /nix/store; other links are followed only inside the root.
        let target: string;
        try {
          target = await fs.realpath(full);
        } catch {
          skipped.push({ path: full, reason: 'dangling symbolic link' });
          continue;
        }
        if (!(target === rootReal || target.startsWith(rootReal + sep))) continue;
        const st = await fs.stat(full).catch(() => null);
        if (!st) continue;
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        if (!SKIPPED_DIRS.has(entry.name)) stack.push(full);
      } else if (isFile && entry.name.endsWith('.nix')) {
        out.push(full);
      }
    }
  }
  return out.sort();
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads one file as text, or says why it cannot be analysed. */
export async function readNixFile(
  path: string,
  maxBytes = MAX_FILE_BYTES,
): Promise<{ text: string } | { skip: string }> {
  let bytes: Buffer;
  try {
    const st = await fs.stat(path);
    if (st.size > maxBytes) return { skip: `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB (${st.size} bytes)` };
    bytes = await fs.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { skip: code === 'ENOENT' ? 'deleted while reading' : `cannot read: ${code ?? (e as Error).message}` };
  }
  if (bytes.length > maxBytes) return { skip: `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB` };
  if (bytes.includes(0)) return { skip: 'binary file (contains NUL bytes)' };
  try {
    let text = decoder.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text };
  } catch {
    return { skip: 'not valid UTF-8' };
  }
}

export async function loadWorkspace(
  root: string,
  options: LoadOptions = {},
): Promise<{ files: LoadedFile[]; skipped: SkippedFile[] }> {
  const skipped: SkippedFile[] = [];
  const paths = await listNixFiles(root, options, skipped);
  const files: LoadedFile[] = [];
  for (const path of paths) {
    const r = await readNixFile(path, options.maxFileBytes);
    if ('skip' in r) skipped.push({ path, reason: r.skip });
    else files.push({ path: toPosix(path), text: r.text });
  }
  return { files, skipped };
}

/** A predicate for `nixpkgsInstances.exclude` globs (relative paths, `/`-separated). */
export function excluder(globs: readonly string[]): ((relPath: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const matchers = globs.map((g) => new Minimatch(g.replace(/^\.\//, ''), { dot: true }));
  return (rel) => matchers.some((m) => m.match(rel) || m.match(rel + '/'));
}
