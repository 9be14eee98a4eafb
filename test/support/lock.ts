/**
 * flake.lock texts for fixtures, written compactly: the root's inputs and each
 * node's source and inputs (a node name, or a follows path). Produces the JSON
 * Nix writes (format version 7), dates as `lastModified`.
 */
import { dedent } from './fixture.js';

export interface NodeSpec {
  owner?: string;
  repo?: string;
  /** `2024-05-31`: becomes `lastModified` (midnight UTC). */
  date?: string;
  rev?: string;
  ref?: string;
  inputs?: Record<string, string | string[]>;
}

export function lockText(root: Record<string, string | string[]>, nodes: Record<string, NodeSpec>, version = 7): string {
  const out: Record<string, unknown> = { root: { inputs: root } };
  for (const [name, n] of Object.entries(nodes)) {
    const owner = n.owner ?? 'NixOS';
    const repo = n.repo ?? 'nixpkgs';
    out[name] = {
      ...(n.inputs ? { inputs: n.inputs } : {}),
      locked: {
        lastModified: Math.floor(Date.parse(`${n.date ?? '2024-06-01'}T00:00:00Z`) / 1000),
        narHash: 'sha256-0000000000000000000000000000000000000000000=',
        owner,
        repo,
        rev: n.rev ?? `${name.replace(/[^0-9a-f]/g, 'a')}0000000000000000000000000000000000000000`.slice(0, 40),
        type: 'github',
      },
      original: { owner, repo, ...(n.ref ? { ref: n.ref } : {}), type: 'github' },
    };
  }
  return JSON.stringify({ nodes: out, root: 'root', version }, null, 2) + '\n';
}

/** A fixture (`#- /path` headers) with a lock file added after it, at `path`. */
export function withLock(fixture: string, lock: string, path = '/flake.lock'): string {
  return `${dedent(fixture)}#- ${path}\n${lock}`;
}
