/**
 * flake.lock, read as plain data: the lock nodes, how the root's inputs and
 * their inputs resolve (a node name, or a `follows` path from the root), and
 * which nodes are a nixpkgs. Pure: the adapters hand it the text they read
 * beside each flake.nix. Text that is not a lock of a known format version is
 * refused with the reason (the adapters log it once and go on without it).
 */
import { isNixpkgsUrl } from './index/sources.js';

/** Lock format versions read: 5 (Nix 2.4) introduced the node graph that 6 and 7 keep. */
export const LOCK_VERSIONS = [5, 6, 7];

/** What a lock node records about the source it pins (fields it lacks are null). */
export interface LockedSource {
  type: string | null;
  owner: string | null;
  repo: string | null;
  url: string | null;
  rev: string | null;
  /** Seconds since the epoch of the pinned commit. */
  lastModified: number | null;
  /** The branch or tag asked for (`original.ref`), when the flake.nix names one. */
  ref: string | null;
}

export interface LockNode {
  name: string;
  /** Input name → node name, or a `follows` path from the root. */
  inputs: Map<string, string | string[]>;
  locked: LockedSource | null;
}

/** The node graph, as much of a lock as resolving needs. */
export interface LockGraph {
  root: string;
  nodes: ReadonlyMap<string, LockNode>;
}

export interface FlakeLock extends LockGraph {
  version: number;
}

/** How one root input of the flake resolves in its lock. */
export interface InputLock {
  name: string;
  /** The lock node it resolves to (through `follows`), or null when the lock cannot resolve it. */
  node: string | null;
  /** The `follows` path it has in the lock, when it follows instead of being locked itself. */
  follows: string[] | null;
  source: LockedSource | null;
  /** The node its own `nixpkgs` input resolves to, or null when it has none. */
  nixpkgs: string | null;
}

/** The lock facts of one flake. */
export interface LockFacts extends LockGraph {
  /** The lock file's path. */
  path: string;
  version: number;
  /** The node of the root input named `nixpkgs`, or null when the flake has no such input. */
  rootNixpkgs: string | null;
  inputs: InputLock[];
  /** Every distinct node reachable from the root that is a nixpkgs, sorted. */
  nixpkgsNodes: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function source(locked: unknown, original: unknown): LockedSource | null {
  if (locked === null || typeof locked !== 'object' || Array.isArray(locked)) return null;
  const l = locked as Record<string, unknown>;
  const o = original !== null && typeof original === 'object' && !Array.isArray(original) ? (original as Record<string, unknown>) : {};
  const lm = l['lastModified'];
  return {
    type: str(l['type']),
    owner: str(l['owner']),
    repo: str(l['repo']),
    url: str(l['url']),
    rev: str(l['rev']),
    lastModified: typeof lm === 'number' && Number.isFinite(lm) ? lm : null,
    ref: str(o['ref']),
  };
}

/** Parses a flake.lock, or says why it cannot be used. Never throws. */
export function parseLock(text: string): { lock: FlakeLock } | { skip: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { skip: `not valid JSON (${(e as Error).message.split('\n')[0]})` };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { skip: 'not a lock file (not a JSON object)' };
  const r = raw as Record<string, unknown>;
  const version = r['version'];
  if (typeof version !== 'number' || !LOCK_VERSIONS.includes(version)) {
    return { skip: `lock format version ${JSON.stringify(version) ?? 'missing'} is not one this reads (${LOCK_VERSIONS.join(', ')})` };
  }
  const root = r['root'];
  const rawNodes = r['nodes'];
  if (typeof root !== 'string' || rawNodes === null || typeof rawNodes !== 'object' || Array.isArray(rawNodes)) {
    return { skip: 'not a lock file (no root or nodes)' };
  }
  const nodes = new Map<string, LockNode>();
  for (const [name, value] of Object.entries(rawNodes as Record<string, unknown>)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const v = value as Record<string, unknown>;
    const inputs = new Map<string, string | string[]>();
    const rawInputs = v['inputs'];
    if (rawInputs !== null && typeof rawInputs === 'object' && !Array.isArray(rawInputs)) {
      for (const [k, target] of Object.entries(rawInputs as Record<string, unknown>)) {
        if (typeof target === 'string') inputs.set(k, target);
        else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) inputs.set(k, target as string[]);
      }
    }
    nodes.set(name, { name, inputs, locked: source(v['locked'], v['original']) });
  }
  if (!nodes.has(root)) return { skip: `the root node '${root}' is missing` };
  return { lock: { version, root, nodes } };
}

/** Follows deeper than this are a cycle (Nix itself refuses them). */
const MAX_FOLLOWS = 64;

/** The node that `node`'s input `name` resolves to, following `follows` paths from the root. */
export function resolveInput(lock: LockGraph, node: string, name: string, depth = 0): string | null {
  if (depth > MAX_FOLLOWS) return null;
  const target = lock.nodes.get(node)?.inputs.get(name);
  if (target === undefined) return null;
  if (typeof target === 'string') return lock.nodes.has(target) ? target : null;
  return resolvePath(lock, target, depth + 1);
}

/** The node a `follows` path from the root names (`[]` is the root itself). */
export function resolvePath(lock: LockGraph, path: readonly string[], depth = 0): string | null {
  let at: string | null = lock.root;
  for (const step of path) {
    if (at === null) return null;
    at = resolveInput(lock, at, step, depth + 1);
  }
  return at;
}

/** Whether a node pins a nixpkgs: its owner/repo, url or the name its inputs call it say so. */
function isNixpkgsNode(node: LockNode, calledNixpkgs: boolean): boolean {
  const l = node.locked;
  if (!l) return false;
  if (l.repo !== null && /^nixpkgs$/i.test(l.repo)) return true;
  if (l.url !== null && isNixpkgsUrl(l.url, '')) return true;
  // A path or indirect input named nixpkgs (`nixpkgs.url = "nixpkgs";`) pins one too.
  return calledNixpkgs && l.repo === null && l.url === null;
}

/** The lock facts of a flake: its root inputs, their nixpkgs, and the distinct nixpkgs nodes. */
export function lockFacts(path: string, lock: FlakeLock): LockFacts {
  const root = lock.nodes.get(lock.root)!;
  const inputs: InputLock[] = [];
  for (const [name, target] of root.inputs) {
    const node = resolveInput(lock, lock.root, name);
    inputs.push({
      name,
      node,
      follows: Array.isArray(target) ? target : null,
      source: node === null ? null : (lock.nodes.get(node)?.locked ?? null),
      nixpkgs: node === null ? null : resolveInput(lock, node, 'nixpkgs'),
    });
  }
  // Every node reachable from the root, and whether some input calls it `nixpkgs`.
  const called = new Map<string, boolean>();
  const stack = [lock.root];
  const seen = new Set<string>(stack);
  while (stack.length) {
    const at = stack.pop()!;
    for (const name of lock.nodes.get(at)?.inputs.keys() ?? []) {
      const next = resolveInput(lock, at, name);
      if (next === null) continue;
      if (name === 'nixpkgs') called.set(next, true);
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(next);
    }
  }
  const nixpkgsNodes = [...seen].filter((n) => n !== lock.root && isNixpkgsNode(lock.nodes.get(n)!, called.get(n) ?? false)).sort();
  return {
    path,
    version: lock.version,
    rootNixpkgs: root.inputs.has('nixpkgs') ? resolveInput(lock, lock.root, 'nixpkgs') : null,
    inputs,
    nixpkgsNodes,
    root: lock.root,
    nodes: lock.nodes,
  };
}

/** `1a2b3c4`: a revision as people quote it. */
export function shortRev(rev: string | null): string | null {
  return rev === null ? null : rev.slice(0, 7);
}

/** `2024-05-31` from `lastModified`. */
export function lockDate(lastModified: number | null): string | null {
  if (lastModified === null) return null;
  const d = new Date(lastModified * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** `NixOS/nixpkgs`, the url, or the type: where a node's source comes from. */
export function sourceName(s: LockedSource): string | null {
  if (s.owner !== null && s.repo !== null) return `${s.owner}/${s.repo}`;
  return s.url ?? s.type;
}
