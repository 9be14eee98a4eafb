/**
 * Reads a workspace folder from disk for the analysis: every `.nix` file, with
 * the folders that never hold configuration skipped and every file that cannot
 * be analysed (unreadable, binary, not UTF-8, too large) reported once and
 * left out. Directory symlinks are not followed, so loops and links into
 * /nix/store are harmless.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
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

/**
 * Lists the `.nix` files below `root` (absolute paths), sorted. Directory
 * symlinks are not followed (as ripgrep does by default): no loop is possible,
 * and `result` links into /nix/store are never entered. File symlinks are
 * followed when their target stays inside the root. Synchronous: a walk of
 * 40,000 folders takes a fraction of a second this way, and callers that must
 * stay responsive call it once per workspace folder.
 */
export function listNixFiles(root: string, options: LoadOptions = {}, skipped: SkippedFile[] = []): string[] {
  const out: string[] = [];
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch (e) {
    skipped.push({ path: root, reason: `cannot resolve folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return out;
  }
  const stack: string[] = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: dir, reason: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    for (const entry of entries) {
      const name = entry.name;
      const full = join(dir, name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(name)) continue;
        if (options.exclude?.(toPosix(relative(root, full)))) continue;
        if (unreachableName(name, full)) skipped.push({ path: full, reason: 'folder name is not valid UTF-8' });
        else stack.push(full);
      } else if (name.endsWith('.nix')) {
        if (options.exclude?.(toPosix(relative(root, full)))) continue;
        if (unreachableName(name, full)) skipped.push({ path: full, reason: 'file name is not valid UTF-8' });
        else if (entry.isFile()) out.push(full);
        else if (entry.isSymbolicLink()) {
          let target: string;
          try {
            target = realpathSync(full);
          } catch (e) {
            skipped.push({ path: full, reason: brokenLink(e) });
            continue;
          }
          if (!(target === rootReal || target.startsWith(rootReal + sep))) continue;
          try {
            const st = statSync(full);
            if (st.isFile()) out.push(full);
            else if (!st.isDirectory()) skipped.push({ path: full, reason: notRegular(st) });
          } catch (e) {
            skipped.push({ path: full, reason: brokenLink(e) });
          }
        } else {
          // FIFOs, sockets and devices named .nix are never opened: reading one could block.
          skipped.push({ path: full, reason: notRegular(entry) });
        }
      }
    }
  }
  return out.sort();
}

/**
 * Whether a name read from a folder cannot be opened: bytes that are not UTF-8 come back as
 * U+FFFD, and the name with them replaced names nothing (it would read as "deleted").
 */
function unreachableName(name: string, full: string): boolean {
  return name.includes('\uFFFD') && lstatSync(full, { throwIfNoEntry: false }) === undefined;
}

function brokenLink(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'symbolic link loop' : 'dangling symbolic link';
}

/** The reason a special file named `.nix` is not read (it is never opened: a FIFO would block). */
function notRegular(entry: { isFIFO(): boolean; isSocket(): boolean }): string {
  return `not a regular file (${entry.isFIFO() ? 'FIFO' : entry.isSocket() ? 'socket' : 'device'})`;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads one file as text, or says why it cannot be analysed. Never blocks on special files. */
export function readNixFile(path: string, maxBytes = MAX_FILE_BYTES): { text: string } | { skip: string } {
  let bytes: Buffer;
  let fd: number | null = null;
  try {
    // Non-blocking: a FIFO (named .nix after the folder was listed, or reported by a file watcher)
    // would otherwise block the open until a writer came, which may be never.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile()) return { skip: 'not a regular file' };
    if (st.size > maxBytes) return { skip: `larger than ${Math.round(maxBytes / 1024 / 1024)} MiB (${st.size} bytes)` };
    bytes = readFileSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { skip: code === 'ENOENT' ? 'deleted while reading' : `cannot read: ${code ?? (e as Error).message}` };
  } finally {
    if (fd !== null) closeSync(fd);
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

/** Options of `loadWorkspace` for callers that share the event loop (the language server). */
export interface ResponsiveLoadOptions {
  onFile?: (file: LoadedFile) => void | Promise<void>;
  /** Yields to the event loop after every `yieldEvery` files. */
  yieldEvery?: number;
  /**
   * Yields to the event loop once this many ms of reading and `onFile` work have
   * passed. The yield is a zero-delay timer rather than `setImmediate`: the
   * JSON-RPC connection handles one queued message per `setImmediate` turn, and
   * a timer lets it run as many turns as arrive in that millisecond, so a burst
   * of requests and edits is not rationed to one message per slice of indexing.
   */
  yieldAfterMs?: number;
  /** Checked before each file: once it returns true the walk stops (a newer indexing run took over). */
  stop?: () => boolean;
}

/**
 * Reads every `.nix` file below `root`, handing each text to `onFile` as it is
 * read (so callers need not hold every text at once). `yieldEvery` and
 * `yieldAfterMs` let an event loop breathe between batches; `stop` abandons the
 * walk early.
 */
export async function loadWorkspace(
  root: string,
  options: LoadOptions & ResponsiveLoadOptions = {},
): Promise<{ files: LoadedFile[]; count: number; skipped: SkippedFile[]; stopped: boolean }> {
  const skipped: SkippedFile[] = [];
  const paths = listNixFiles(root, options, skipped);
  const files: LoadedFile[] = [];
  let count = 0;
  let sliceStart = performance.now();
  for (let i = 0; i < paths.length; i++) {
    if (options.stop?.()) return { files, count, skipped, stopped: true };
    const path = paths[i]!;
    const r = readNixFile(path, options.maxFileBytes);
    if ('skip' in r) skipped.push({ path, reason: r.skip });
    else {
      count++;
      const file = { path: toPosix(path), text: r.text };
      if (options.onFile) {
        // A caller that cannot take more yet (files waiting for worker threads) answers a promise.
        const wait = options.onFile(file);
        if (wait) await wait;
      }
      else files.push(file);
    }
    if (options.yieldEvery && i % options.yieldEvery === options.yieldEvery - 1) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    } else if (options.yieldAfterMs !== undefined && performance.now() - sliceStart >= options.yieldAfterMs) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sliceStart = performance.now();
    }
  }
  return { files, count, skipped, stopped: options.stop?.() ?? false };
}

/** A predicate for `nixpkgsInstances.exclude` globs (relative paths, `/`-separated). */
export function excluder(globs: readonly string[]): ((relPath: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const matchers = globs.map((g) => new Minimatch(g.replace(/^\.\//, ''), { dot: true }));
  return (rel) => matchers.some((m) => m.match(rel) || m.match(rel + '/'));
}

/** flake.lock files above this size are skipped (real ones are well under a MiB). */
export const MAX_LOCK_BYTES = 4 * 1024 * 1024;

/** Where the analysis keeps locks (`Analysis.setLock`/`removeLock`). */
export interface LockSink {
  setLock(path: string, text: string): string | null;
  removeLock(path: string): void;
}

/**
 * Reads the flake.lock beside a flake.nix into `sink`. Returns null when there is none (and
 * drops what the sink held for it), else the lock's path and why it was skipped (null when used):
 * unreadable, binary, not UTF-8, too large, not JSON, or a lock format this does not read.
 */
export function loadLockBeside(sink: LockSink, flakeFile: string): { path: string; skip: string | null } | null {
  const path = toPosix(join(flakeFile, '..', 'flake.lock'));
  let exists: boolean;
  try {
    exists = lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    exists = false;
  }
  if (!exists) {
    sink.removeLock(path);
    return null;
  }
  const r = readNixFile(path, MAX_LOCK_BYTES);
  if ('skip' in r) {
    sink.removeLock(path);
    return { path, skip: r.skip };
  }
  return { path, skip: sink.setLock(path, r.text) };
}
