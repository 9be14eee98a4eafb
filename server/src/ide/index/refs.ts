/**
 * The files a file refers to, read from its text: path literals (`./hosts`, `../lib/mk.nix`,
 * `./hosts/${name}`) and paths under the flake's own source (`"${self}/modules"`,
 * `self + "/modules"`), and strings that are relative paths under the flake (`"hosts/common"`,
 * given to helpers such as `relativeToRoot`). The evaluation layer follows them from the entry points to learn which
 * files anything evaluates at all.
 *
 * A text scan, not the syntax tree: it runs on every file, also those the prefilter spares a
 * parse. It over-approximates on purpose (a path in a string or after code on a line still
 * counts), so a file is called unreachable only when no text anywhere on the way names it; only
 * lines that are nothing but a comment (a commented-out import) are left out.
 */

export interface PathRef {
  /** Relative to the referring file's folder, or to the flake's folder when `fromFlake`. */
  path: string;
  /** `"${self}/x"`, `self + "/x"`: relative to the folder of the flake the file belongs to. */
  fromFlake: boolean;
  /**
   * The path is applied to an empty attribute set (`import ./shell.nix { }`), so the
   * defaults of its formals are evaluated.
   */
  emptyCall: boolean;
  /** `./.` (or `../.`): the folder itself; framework loaders read it whole, `import` reads its default.nix. */
  dot: boolean;
  /**
   * `"${./update.nix}"`: the file is copied to the store for a program to read at run time; Nix
   * does not evaluate it. Such a file is not reached through a folder either.
   */
  copy?: true;
  /**
   * A string that reads as a path (`"hosts/common/core"`): it names a file, or a folder's
   * default.nix, but never a whole folder, and never a file that is only copied to the store.
   */
  loose?: true;
  /**
   * The path is what `import` or `callPackage` is applied to (`callPackage ./pkgs/foo { }`): a
   * folder means its default.nix, not every file under it.
   */
  called?: true;
  /**
   * `./.` handed to a function that loads a folder's files (`mapModules ./. import`,
   * `importTree ./.`, `haumea.lib.load { src = ./.; }`): every file under it, not its default.nix.
   */
  loader?: true;
}

/** A path literal: `./x`, `../x/y.nix`, `./.`, and the literal part of `./hosts/${name}`. */
const PATH = /(?<![\w'\-+.\/~])(\.\.?(?:\/[\w.+\-]+)*)(\/\$\{)?/g;
const SELF_PATH = /\$\{\s*(?:inputs\.)?self\s*\}(\/[\w.+\-\/]*)|(?:inputs\.)?\bself\s*\+\s*"(\/[\w.+\-\/]*)"/g;
/**
 * The text right before `./.` when a folder loader gets it: a function named for mapping, loading,
 * reading or importing a tree (`mapModules`, `loadModules`, `importTree`, `rakeLeaves`,
 * `listFilesRecursive`), or haumea's `src = ./.` inside `load { ... }`.
 */
const LOADER = /(?:\b(?:map|load|rake|read|import[-_]?[Tt]ree|list)[\w-]*|\bload\s*\{[^}]*\bsrc\s*=)\s*\(?\s*$/;
const EMPTY_CALL = /^\s*\)?\s*\{\s*\}/;
/** The text right before a path that `import` or a `callPackage` reads. */
const CALLED = /(?:\bimport|\bcallPackages?|\bcallPackageWith\s+\S+)\s*\(?\s*$/;
/**
 * A string that is nothing but a relative path with a folder (`"hosts/common/core"`): helpers
 * such as `relativeToRoot = lib.path.append ../.;` turn these into paths under the flake's
 * folder. Taken as such (a string that names no workspace file reaches nothing).
 */
const ROOT_STRING = /"((?:[\w+\-][\w.+\-]*\/)+[\w.+\-]+)\/?"/g;

/** Lines that hold only a comment (`# ./retiolum.nix`, a commented-out import): blanked, same length. */
const COMMENT_LINE = /^[ \t]*#.*$/gm;

export function pathRefs(source: string): PathRef[] {
  // A commented-out import names a file nothing evaluates. Only whole comment lines are dropped:
  // a `#` after code may sit in a string or URL, and the scan stays a text scan.
  const text = source.includes('#') ? source.replace(COMMENT_LINE, (line) => ' '.repeat(line.length)) : source;
  const out: PathRef[] = [];
  const seen = new Set<string>();
  const add = (ref: PathRef) => {
    const key = `${ref.fromFlake ? 'flake:' : ''}${ref.path}${ref.emptyCall ? '{}' : ''}${ref.copy ? '$' : ''}${ref.loose ? '~' : ''}${ref.called ? '()' : ''}${ref.loader ? '*' : ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(ref);
  };
  for (const m of text.matchAll(PATH)) {
    const path = m[1]!;
    // `..` alone, `...` in formals and `.` operators are not paths: a path has a slash.
    if (!path.includes('/') && !m[2]) continue;
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 8);
    // `"${./update.sh}"`, `"... -f ${./packages.nix}"`: the file is copied to the store and read
    // at run time by a program, not evaluated by Nix.
    const copy = !m[2] && text.slice(Math.max(0, m.index! - 2), m.index!) === '${' && /^\s*\}/.test(after);
    const dot = /(^|\/)\.$/.test(path);
    const ref: PathRef = { path: dot ? path.replace(/\/?\.$/, '') || '.' : path, fromFlake: false, emptyCall: !m[2] && EMPTY_CALL.test(after), dot };
    const before = text.slice(Math.max(0, m.index! - 48), m.index!);
    if (!m[2] && CALLED.test(before)) ref.called = true;
    else if (dot && LOADER.test(before)) ref.loader = true;
    add(copy ? { ...ref, copy } : ref);
  }
  for (const m of text.matchAll(SELF_PATH)) {
    const path = (m[1] ?? m[2] ?? '/').replace(/\/+$/, '');
    add({ path: '.' + path, fromFlake: true, emptyCall: false, dot: path === '' });
  }
  for (const m of text.matchAll(ROOT_STRING)) add({ path: `./${m[1]!}`, fromFlake: true, emptyCall: false, dot: false, loose: true });
  return out;
}
