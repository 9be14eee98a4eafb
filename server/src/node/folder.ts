/**
 * A workspace folder into an `Analysis`, the same way for the command line and
 * the language server: the analysis reads closed files back from disk when it
 * dropped their text, and refuses text the grammar's lexer would take minutes
 * over; indexing reads every `.nix` file below the folder (leaving out the
 * `exclude` globs), hands each to the analysis, and reports every file left
 * out with its reason: unread by the loader (binary, too large, unreadable, …)
 * or refused by the parser (too slow or too large to parse). The flake.lock
 * beside each flake.nix is read too (an unusable one is left out likewise).
 */
import { Analysis } from '../ide/analysis.js';
import { parseCostProblem } from '../syntax/cost.js';
import { NixParser, ParseRefused } from '../syntax/parser.js';
import { excluder, loadLockBeside, loadWorkspace, readNixFile, type SkippedFile } from './loader.js';
import { parserLocation } from './paths.js';

/** An analysis of files on disk, with the grammar next to the bundle (or in the repository). */
export async function diskAnalysis(): Promise<Analysis> {
  return new Analysis(
    await NixParser.create(parserLocation()),
    (p) => {
      const r = readNixFile(p);
      return 'text' in r ? r.text : undefined;
    },
    // Text the grammar's lexer would take minutes over is skipped with its reason.
    parseCostProblem,
  );
}

export interface IndexOptions {
  /** `nixpkgsInstances.exclude` / `--exclude` globs, relative to the folder. */
  exclude?: readonly string[];
  /** Files whose disk text must not replace what the analysis holds (documents open in an editor). */
  keep?: (path: string) => boolean;
  /** Lets an event loop breathe (see `loadWorkspace`). */
  yieldAfterMs?: number;
  /** Checked before each file: once true the walk stops (a newer indexing run took over). */
  stop?: () => boolean;
  /** Called once per file handed to the analysis, with how many so far. */
  progress?: (files: number) => void;
  /** Called for each flake.nix without a flake.lock beside it (not locked yet: not a problem of a check). */
  noLock?: (flake: string) => void;
}

export interface Indexed {
  /** Files read and analysed. */
  files: number;
  /** Files left out, each with its reason: unread first, then refused by the parser, then unusable flake.lock files. */
  skipped: SkippedFile[];
  /** Whether `stop` ended the walk early. */
  stopped: boolean;
  ms: number;
}

/** Reads every `.nix` file below `root` into `analysis`. */
export async function indexFolder(analysis: Analysis, root: string, options: IndexOptions = {}): Promise<Indexed> {
  const started = Date.now();
  const exclude = excluder(options.exclude ?? []);
  // Files read but not analysed; kept apart from the loader's list, which exists only once the walk ends.
  const refused: SkippedFile[] = [];
  let handed = 0;
  const flakes: string[] = [];
  const { count, skipped, stopped } = await loadWorkspace(root, {
    ...(exclude ? { exclude } : {}),
    ...(options.yieldAfterMs !== undefined ? { yieldAfterMs: options.yieldAfterMs } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
    onFile: (f) => {
      if (f.path.endsWith('/flake.nix')) flakes.push(f.path);
      if (options.keep?.(f.path)) return;
      try {
        analysis.setFile(f.path, f.text);
      } catch (e) {
        // A refused text says why itself ("too slow to parse: …", "too large to parse: …").
        refused.push({ path: f.path, reason: e instanceof ParseRefused ? e.message : `could not be analysed: ${(e as Error).message}` });
      }
      options.progress?.(++handed);
    },
  });
  // The flake.lock beside each flake.nix: one that cannot be used is skipped like a file.
  const locks: SkippedFile[] = [];
  if (!stopped) {
    for (const flake of flakes) {
      const r = loadLockBeside(analysis, flake);
      if (r === null) options.noLock?.(flake);
      else if (r.skip !== null) locks.push({ path: r.path, reason: r.skip });
    }
  }
  return { files: count - refused.length, skipped: [...skipped, ...refused, ...locks], stopped, ms: Date.now() - started };
}
