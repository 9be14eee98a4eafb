/**
 * Which files anything evaluates: the first layer of the semantic model. Entry points are the
 * flakes (the root flake and every sub-flake, each evaluated on its own) and, outside any flake,
 * the channel-era configurations nothing imports (`configuration.nix`, modules). From them the
 * path references of each file (`refs.ts`) are followed. A file no entry point reaches is a side
 * file: a `shell.nix` for nix-shell, a nix-build script, a REPL helper, a dead copy. Nothing
 * evaluates its instances as part of an output, so it gets no cost diagnostics.
 *
 * Silence over guesses: references are over-approximated (a folder named anywhere reaches every
 * file under it), so "unreached" is said only when no text on any way from an entry point names
 * the file. Pure: facts in, a map out; no trees, no disk.
 */
import { posix } from 'node:path';
import type { FileFacts, SiteFact } from './index/facts.js';
import type { PathRef } from './index/refs.js';
import { lowerBound, withPrefix } from './sorted.js';

/** How a file is reached. */
export type Reach =
  /** A flake.nix, or a channel-era configuration nothing imports. */
  | 'entry'
  /** Named, directly or not, by an entry point. */
  | 'reached'
  /** Read on its own (nix-shell, nix-build, a script) or only by such a file. */
  | 'standalone'
  /** Inside a flake, but nothing the flake evaluates names it. */
  | 'unreached';

export interface EvaluationFile {
  path: string;
  facts: FileFacts;
  /** The file's text when kept (flake.nix always is). */
  text: string | null;
}

/** Names of channel-era entry points that `nixos-rebuild`, `darwin-rebuild` or `home-manager` read. */
const CHANNEL_ENTRY = /(^|[-_.])configuration\.nix$|^home\.nix$/;

/**
 * Frameworks whose flake.nix hands its whole folder to a loader: snowfall-lib (`src = ./.`),
 * nixos-unified (`root = ./.`, which imports every `modules/flake-parts` file), numtide's
 * blueprint (`prefix`, the flake's folder by default).
 */
const TREE_LOADERS = /\b(?:snowfall-lib|nixos-unified|numtide\/blueprint)\b/;

/** clan-core's entry point, which reads the flake's `machines/` folder. */
const CLAN = /\bclan-core\.lib\.(?:clan|buildClan)\b|\bclan-core\.flakeModules\b/;

export class Evaluation {
  private readonly reach = new Map<string, Reach>();
  /** Files some evaluated file applies to an empty set (`import ./x.nix { }`): their defaults are used. */
  private readonly emptyCalled = new Set<string>();
  private readonly sorted: string[];
  /** Files some file copies to the store for a program (`"${./x.nix}"`): data, not reached through folders. */
  private readonly copied = new Set<string>();

  constructor(
    private readonly files: ReadonlyMap<string, EvaluationFile>,
    /** Folders of the flakes in the workspace (root and sub-flakes). */
    private readonly flakeDirs: readonly string[],
  ) {
    this.sorted = [...files.keys()].sort();
    for (const d of flakeDirs) this.flakeDirSet.set(d, d);
    for (const [path, entry] of files) {
      for (const ref of entry.facts.refs) if (ref.copy) this.copied.add(posix.normalize(posix.join(posix.dirname(path), ref.path)));
    }
    const flakeRoots = this.sorted.filter((p) => posix.basename(p) === 'flake.nix');
    const reached = this.walk(flakeRoots, true);
    for (const p of flakeRoots) this.reach.set(p, 'entry');
    for (const p of reached) if (!this.reach.has(p)) this.reach.set(p, 'reached');

    // Outside the flakes: channel-era entry points are the files nothing names.
    const outside = this.sorted.filter((p) => this.flakeDirOf(p) === null);
    if (outside.length) {
      const named = new Set<string>();
      for (const p of outside) for (const t of this.targets(p)) if (t !== p) named.add(t);
      const entries = outside.filter((p) => !named.has(p) && this.isConfiguration(p));
      for (const p of this.walk(entries, true)) if (!this.reach.has(p)) this.reach.set(p, entries.includes(p) ? 'entry' : 'reached');
      const rest = outside.filter((p) => !this.reach.has(p) && !named.has(p));
      for (const p of this.walk(rest, false)) if (!this.reach.has(p)) this.reach.set(p, 'standalone');
    }
    for (const p of this.sorted) if (!this.reach.has(p)) this.reach.set(p, this.flakeDirOf(p) === null ? 'standalone' : 'unreached');
  }

  /**
   * Whether a reference of `file` names nothing this evaluation could follow: no file, no folder's
   * default.nix, nothing under it, and not a copy. Such a reference can come and go (typing a
   * string such as `"Europe/Berlin"`, which reads as a path) without changing any file's reach.
   */
  namesNothing(file: string, ref: PathRef): boolean {
    if (ref.copy) return false;
    const target = this.pathOf(file, ref);
    if (this.fileAt(target) !== null) return false;
    const prefix = target === '/' ? '/' : target + '/';
    const i = lowerBound(this.sorted, prefix);
    return !(i < this.sorted.length && this.sorted[i]!.startsWith(prefix));
  }

  /** The workspace file a path names: the file itself, or the folder's default.nix; null for neither. */
  fileAt(target: string): string | null {
    if (this.files.has(target)) return target;
    const dflt = posix.join(target, 'default.nix');
    return this.files.has(dflt) ? dflt : null;
  }

  reachOf(file: string): Reach {
    return this.reach.get(file) ?? 'unreached';
  }

  /** Whether an output (or a channel-era configuration) evaluates the file. */
  fileEvaluated(file: string): boolean {
    const r = this.reachOf(file);
    return r === 'entry' || r === 'reached';
  }

  /**
   * Whether an output evaluates the site: its file is evaluated, and a default argument
   * (`pkgs ? import <nixpkgs> { }`) only where a caller leaves the argument out.
   */
  siteEvaluated(file: string, site: SiteFact): boolean {
    if (!this.fileEvaluated(file) || site.unused) return false;
    return site.defaultOf === null || this.emptyCalled.has(file);
  }

  /**
   * The files that name `file` itself (`import ./overlays { ... }`, or its folder, which reads its
   * default.nix), not through a folder handed to a loader; with `called`, only those that apply
   * it with `import` or `callPackage` (not `imports = [ ./x.nix ]`). Computed on first use.
   */
  namedBy(file: string, opts: { called?: boolean } = {}): readonly string[] {
    if (!this.referrers) {
      this.referrers = new Map();
      for (const [path, entry] of this.files) {
        for (const ref of entry.facts.refs) {
          if (ref.copy) continue;
          const target = this.pathOf(path, ref);
          const direct = this.fileAt(target);
          if (direct === null || direct === path) continue;
          const list = this.referrers.get(direct) ?? [];
          const known = list.find((r) => r.path === path);
          if (known) known.called ||= ref.called === true;
          else list.push({ path, called: ref.called === true });
          this.referrers.set(direct, list);
        }
      }
    }
    return (this.referrers.get(file) ?? []).filter((r) => !opts.called || r.called).map((r) => r.path);
  }

  private referrers: Map<string, { path: string; called: boolean }[]> | null = null;

  /**
   * Every file the references of `roots` name one by one (`imports = [ ./base.nix ]`, a folder's
   * default.nix), `roots` included; a folder read whole (`./modules` handed to a loader) is not
   * followed. Computed once per roots while the references stay the same.
   */
  closure(roots: readonly string[]): ReadonlySet<string> {
    const key = roots.join('\0');
    let found = this.closures.get(key);
    if (found) return found;
    const seen = new Set(roots.filter((r) => this.files.has(r)));
    const queue = [...seen];
    while (queue.length) {
      const file = queue.pop()!;
      for (const ref of this.files.get(file)!.facts.refs) {
        if (ref.copy) continue;
        const target = this.pathOf(file, ref);
        const named = this.fileAt(target);
        if (named && !seen.has(named)) {
          seen.add(named);
          queue.push(named);
        }
      }
    }
    this.closures.set(key, seen);
    return seen;
  }

  private readonly closures = new Map<string, ReadonlySet<string>>();

  private isConfiguration(path: string): boolean {
    return CHANNEL_ENTRY.test(posix.basename(path)) || this.files.get(path)!.facts.moduleShaped;
  }

  /** The folder of the flake a file belongs to (asked for each file and reference: a walk up its folders). */
  private flakeDirOf(file: string): string | null {
    return nearestFolder(file, this.flakeDirSet) ?? null;
  }

  private readonly flakeDirSet = new Map<string, string>();

  /** The path a reference of `file` names: relative to its folder, or to its flake's for `"${self}/x"`. */
  private pathOf(file: string, ref: PathRef): string {
    const base = ref.fromFlake ? (this.flakeDirOf(file) ?? posix.dirname(file)) : posix.dirname(file);
    return posix.normalize(posix.join(base, ref.path));
  }

  /** Every file reachable from `roots` (roots included); records empty calls when `evaluated`. */
  private walk(roots: readonly string[], evaluated: boolean): Set<string> {
    const seen = new Set<string>(roots);
    const queue = [...roots];
    while (queue.length) {
      const file = queue.pop()!;
      for (const t of this.targets(file, evaluated)) {
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push(t);
      }
    }
    return seen;
  }

  /** The workspace files a file's references name. */
  private targets(file: string, recordCalls = false): string[] {
    const entry = this.files.get(file)!;
    const out: string[] = this.frameworkEntries(file, entry);
    for (const ref of entry.facts.refs) {
      if (ref.copy) continue;
      const target = this.pathOf(file, ref);
      const named = this.named(target, ref, entry);
      if (recordCalls && ref.emptyCall) for (const t of named.slice(0, 2)) this.emptyCalled.add(t);
      out.push(...named);
    }
    return out;
  }

  /**
   * Files a framework reads by its layout, named by no path in the text: clan-core's
   * `clan { inherit self; }` imports `machines/<name>/configuration.nix` of the flake.
   */
  private frameworkEntries(file: string, entry: EvaluationFile): string[] {
    if (posix.basename(file) !== 'flake.nix' || entry.text === null || !CLAN.test(entry.text)) return [];
    const machines = posix.join(posix.dirname(file), 'machines') + '/';
    return this.sorted.filter((p) => p.startsWith(machines) && /^[^/]+\/configuration\.nix$/.test(p.slice(machines.length)));
  }

  private named(target: string, ref: PathRef, from: EvaluationFile): string[] {
    const dflt = posix.join(target, 'default.nix');
    if (ref.called) return this.files.has(target) ? [target] : this.files.has(dflt) ? [dflt] : [];
    if (ref.loose) {
      const file = this.files.has(target) ? target : this.files.has(dflt) ? dflt : null;
      return file && !this.copied.has(file) ? [file] : [];
    }
    if (this.files.has(target)) return [target];
    // `import ./.` reads the folder's default.nix; a loader or framework handed `./.` reads all of it.
    if (ref.dot && !ref.loader && !(posix.basename(from.path) === 'flake.nix' && from.text !== null && TREE_LOADERS.test(from.text))) {
      return this.files.has(dflt) ? [dflt] : [];
    }
    // A folder: `imports = [ ./hosts ]` reads hosts/default.nix, but folders are also handed to
    // readDir, import-tree, haumea and `./hosts/${name}`: every file under it may be evaluated.
    const prefix = target === '/' ? '/' : target + '/';
    // Hidden folders under it (`.devenv/`, `.direnv/`) hold tools' state, not the tree's code.
    const out = withPrefix(this.sorted, prefix).filter((p) => !this.copied.has(p) && !p.slice(prefix.length).split('/').slice(0, -1).some((d) => d.startsWith('.')));
    // The folder's default.nix first: an empty call applies that one.
    return out.sort((a, b) => Number(b === dflt) - Number(a === dflt));
  }
}

/**
 * The value of the deepest folder above `path` that `byFolder` holds, up to and including `/` (or
 * `.` for a relative path): the nearest flake of a file, in as many steps as `path` has folders
 * rather than one per flake. Folders are compared whole (`/a-b/x.nix` is not under `/a`).
 */
export function nearestFolder<T>(path: string, byFolder: ReadonlyMap<string, T>): T | undefined {
  for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
    const found = byFolder.get(dir);
    if (found !== undefined) return found;
    if (dir === '/' || dir === '.') return undefined;
  }
}
