/**
 * Which nixpkgs an instantiation's source names, as far as one file tells (pure functions of
 * syntax; the workspace settles flake inputs across files): flake input URLs, fetcher URLs,
 * channels, paths into a checkout, and sources the file cannot name but whose arguments only
 * nixpkgs takes.
 */
import { K, bindings, staticString, unparen, type Node } from '../../syntax/ast.js';
import { readArgs } from './args.js';
import type { SourceRef } from './facts.js';
import { NIXPKGS_ONLY_ARGS } from './vocabulary.js';
export function fetcherUrl(args: Node[]): string | null {
  const a = args[0];
  if (!a) return null;
  const v = unparen(a);
  const s = staticString(v);
  if (s !== null) return s;
  if (v.type === K.Attrset) {
    let owner = '';
    let repo = '';
    for (const e of bindings(v)) {
      if (e.kind !== 'binding') continue;
      const k = e.path.join('.');
      const val = staticString(e.value);
      if (k === 'url' && val) return val;
      if (k === 'owner' && val) owner = val;
      if (k === 'repo' && val) repo = val;
    }
    if (repo) return `github:${owner}/${repo}`;
  }
  return null;
}

/** Whether a flake input URL (or, without one, its registry name) is a nixpkgs. */
export function isNixpkgsUrl(url: string | null, name: string): boolean {
  if (url === null) return name === 'nixpkgs';
  return /(^|[:/])nixpkgs(\.git)?([/?#&]|$)/i.test(url) || /^nixpkgs[-/]/.test(url);
}

/** Whether a source, as seen in this file, names a nixpkgs (before cross-file resolution). */
export function isNixpkgsSource(source: SourceRef, node: Node): boolean {
  switch (source.kind) {
    case 'input':
    case 'arg':
      // Resolved properly by the workspace; here any name may be an input. Keep candidates that
      // can be a nixpkgs: plain names and `inputs.X` selections.
      return true;
    case 'channel':
      // `<nixpkgs>`, `<nixpkgs-unstable>`, `<nixos>`, `<nixos-unstable>`, `<nixos-24.05>`; not
      // `<nixos-hardware>`, `<nixos-config>` or a file inside a channel (`<nixpkgs/nixos>`).
      return /^nixpkgs([/-]|$)/.test(source.name) || /^nixos(-(?!hardware|config)[\w.-]+)?$/.test(source.name);
    case 'fetcher':
      return source.url !== null && /nixpkgs/i.test(source.url);
    case 'pkgs-path':
    case 'param':
      return true;
    case 'path':
      // `../nixpkgs` is a checkout; `./inputs/nixpkgs.nix` is a file of the workspace that returns one.
      return /nixpkgs/i.test(source.path) && !/\.nix$/.test(source.path.replace(/\/(default|pkgs\/top-level\/impure)\.nix$/, ''));
    case 'unknown':
      return /nixpkgs/i.test(node.text) && unparen(node).type !== K.String && !namesFileInside(node.text);
  }
}

/** Arguments that only nixpkgs' entry point takes, and at least one. */
export function onlyNixpkgsKeys(attrs: ReadonlyMap<string, unknown> | null): boolean {
  return attrs !== null && attrs.size > 0 && [...attrs.keys()].every((k) => NIXPKGS_ONLY_ARGS.has(k));
}

/** A source the file cannot name: an expression, a channel of another name, or a fetcher whose URL is not written out. */
export function isOpaque(source: SourceRef): boolean {
  return source.kind === 'unknown' || source.kind === 'channel' || (source.kind === 'fetcher' && source.url === null);
}

/**
 * Whether `import X <args>` with a source the file cannot name is a nixpkgs by its arguments:
 * only nixpkgs' own (`localSystem`, `overlays`, `config`, ...), and more than `system` alone
 * (`import (self + "/pkgs") { inherit system; }` is a package set of the repository), unless the
 * source reads as a channel (`sources.nixos-stable`, npins and niv).
 */
export function nixpkgsArgs(argNode: Node, sourceNode: Node): boolean {
  const attrs = readArgs(argNode).attrs;
  if (!onlyNixpkgsKeys(attrs)) return false;
  return [...attrs!.keys()].some((k) => k !== 'system') || /\bnixos-(?:unstable|stable|\d|\$\{)/.test(sourceNode.text);
}

/**
 * `nixpkgs + "/pkgs/top-level/release-lib.nix"`, `"${nixpkgs}/nixos/lib/eval-config.nix"`: a file
 * inside a nixpkgs (a library, NixOS' entry point), not the package set. Its top level
 * (`/`, `/default.nix`, `/pkgs/top-level`, `impure.nix`) is the package set.
 */
export function namesFileInside(text: string): boolean {
  const m = /(?:\+\s*"|\})(\/[^"$]*)"/.exec(text);
  if (!m) return false;
  const sub = m[1]!.replace(/\/+$/, '');
  return !['', '/default.nix', '/pkgs/top-level', '/pkgs/top-level/default.nix', '/pkgs/top-level/impure.nix'].includes(sub);
}
