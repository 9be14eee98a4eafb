/**
 * `unfollowed-nixpkgs` (warning): an input of the flake locks a nixpkgs of its
 * own instead of following the flake's. flake.lock then holds another nixpkgs
 * (a `nixpkgs_2` node): another download, and another evaluation of nixpkgs
 * whenever the input's packages, modules or overlays are used. Following the
 * root's `nixpkgs` shares one; the quick fix adds the line in the file's style.
 *
 * ```nix
 * # before: flake.lock locks home-manager's nixpkgs apart from the root's
 * inputs.home-manager.url = "github:nix-community/home-manager";
 * # after
 * inputs.home-manager.url = "github:nix-community/home-manager";
 * inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";
 * ```
 *
 * Read from the flake.lock beside flake.nix (format versions 5 to 7), resolving
 * inputs and `follows` paths through the lock's nodes, never by node name. Only
 * the flake's own inputs are reported, on their declaration: an input that
 * follows another nixpkgs input of the flake (`nixpkgs-unstable`) on purpose is
 * fine, a flake without an input named `nixpkgs` gets nothing, and inputs of
 * inputs count in the overview's nixpkgs sources. When flake.nix already sets the
 * input's `nixpkgs` (a follows or a url) but the lock still has a node of its own,
 * the lock is out of date (`nix flake lock` rewrites it): the hover says so, and
 * no diagnostic is raised. A missing, unreadable or unknown lock says nothing.
 */
import type { FlakeInputFact } from '../index/facts.js';
import { lockDate, resolvePath, shortRev, type InputLock, type LockFacts, type LockedSource } from '../lock.js';
import type { FlakeInfo, WorkspaceModel } from '../workspace.js';
import type { DiagnosticKind, Finding } from './types.js';
import { plural, rangeIn } from './util.js';

export const CODE = 'unfollowed-nixpkgs';

/** What a quick fix needs to know: the input to make follow the root's nixpkgs. */
export interface UnfollowedData {
  input: string;
}

export const unfollowedNixpkgs: DiagnosticKind<typeof CODE> = {
  code: CODE,
  title: 'A flake input locks a nixpkgs of its own instead of following the flake\'s',
  defaultSeverity: 'warning',
  check(model) {
    const out: Finding[] = [];
    for (const flake of model.flakes) {
      for (const u of unfollowedInputs(flake)) {
        const data: UnfollowedData = { input: u.decl.name };
        const rootDecl = flake.inputs.find((i) => i.name === 'nixpkgs');
        out.push({
          file: flake.path,
          range: rangeIn(model, flake.path, u.decl.nameSpans[0]!),
          code: CODE,
          message: message(u.decl.name, u.own, u.root),
          related: rootDecl
            ? [{ file: flake.path, range: rangeIn(model, flake.path, rootDecl.nameSpans[0]!), message: `the flake's nixpkgs${describe(u.root)}` }]
            : [],
          data,
        });
      }
    }
    return out;
  },
};

export interface Unfollowed {
  decl: FlakeInputFact;
  lock: InputLock;
  /** The input's own nixpkgs and the root's, as the lock pins them. */
  own: LockedSource | null;
  root: LockedSource | null;
}

/**
 * The inputs of a flake that lock a nixpkgs of their own: declared in flake.nix, locked as
 * a node of their own, whose `nixpkgs` is none of the flake's own inputs' nodes, while
 * flake.nix says nothing about that nixpkgs (else the lock is only out of date).
 */
export function unfollowedInputs(flake: FlakeInfo): Unfollowed[] {
  const lock = flake.lock;
  if (!lock || lock.rootNixpkgs === null) return [];
  const rootNodes = new Set(lock.inputs.map((i) => i.node).filter((n): n is string => n !== null));
  const out: Unfollowed[] = [];
  for (const decl of flake.inputs) {
    const l = lock.inputs.find((i) => i.name === decl.name);
    if (!l || l.follows !== null || decl.follows !== null || l.nixpkgs === null || rootNodes.has(l.nixpkgs)) continue;
    if (decl.overrides.some((o) => o.name === 'nixpkgs')) continue;
    out.push({ decl, lock: l, own: locked(lock, l.nixpkgs), root: locked(lock, lock.rootNixpkgs) });
  }
  return out;
}

/**
 * Whether flake.nix makes the input's nixpkgs follow something the lock does not resolve it
 * to: the lock is out of date (`nix flake lock` rewrites it).
 */
export function staleNixpkgs(flake: FlakeInfo, name: string): boolean {
  const lock = flake.lock;
  const follows = flake.inputs.find((i) => i.name === name)?.overrides.find((x) => x.name === 'nixpkgs')?.follows;
  const l = lock?.inputs.find((i) => i.name === name);
  if (!lock || !l || l.follows !== null || l.nixpkgs === null || follows === null || follows === undefined) return false;
  const wanted = resolvePath(lock, follows === '' ? [] : follows.split('/'));
  return wanted !== l.nixpkgs;
}

function locked(lock: LockFacts, node: string): LockedSource | null {
  return lock.nodes.get(node)?.locked ?? null;
}

/** ` (NixOS/nixpkgs 1a2b3c4 of 2024-05-31)`, with what is known. */
function describe(s: LockedSource | null): string {
  if (!s) return '';
  const parts = [shortRev(s.rev), lockDate(s.lastModified) && `of ${lockDate(s.lastModified)}`].filter(Boolean);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** `120 days older than the flake's`, or null when the dates are unknown. */
export function ageAgainst(own: LockedSource | null, root: LockedSource | null): string | null {
  if (own?.rev && own.rev === root?.rev) return "the same revision as the flake's, locked twice";
  if (own?.lastModified == null || root?.lastModified == null) return null;
  const days = Math.round((own.lastModified - root.lastModified) / 86400);
  if (days === 0) return "from the same day as the flake's";
  return `${plural(Math.abs(days), 'day')} ${days < 0 ? 'older' : 'newer'} than the flake's`;
}

/** The follows line that shares the flake's nixpkgs with `name`. */
export function followsLine(name: string): string {
  return `inputs.${name}.inputs.nixpkgs.follows = "nixpkgs";`;
}

function message(name: string, own: LockedSource | null, root: LockedSource | null): string {
  const line = followsLine(name);
  const fix = `Add ${line} to share nixpkgs.`;
  const short = fix.length <= 80;
  const pin = [shortRev(own?.rev ?? null), own?.lastModified != null ? `of ${lockDate(own.lastModified)}` : null].filter(Boolean).join(' ');
  const age = ageAgainst(own, root);
  const details = [pin, age].filter(Boolean).join(', ');
  return (
    `${short ? fix : "Add a follows of the flake's nixpkgs to this input."} ` +
    `${name} locks a nixpkgs of its own${details ? ` (${details})` : ''}: another download, and another evaluation ` +
    `of nixpkgs whenever its packages, modules or overlays are used.` +
    (short ? '' : ` ${line} shares the flake's.`)
  );
}
