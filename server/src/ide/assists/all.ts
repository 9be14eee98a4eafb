/**
 * The registry of assists (code actions), alphabetical by id, as `diagnostics/index.ts` is for
 * diagnostics. Each assist lives in its own file named by its id, with a doc comment holding a
 * before/after example. Adding an assist means adding its file and one line here.
 */
import { addLocalSystem } from './add-local-system.js';
import { fixCrossAbi } from './fix-cross-abi.js';
import { followNixpkgs } from './follow-nixpkgs.js';
import { hoistAll } from './hoist-all.js';
import { hoistToFlake } from './hoist-to-flake.js';
import { removeSystemArg } from './remove-system-arg.js';
import { reuseInstance } from './reuse-instance.js';
import { sharePerSystem } from './share-per-system.js';
import type { Assist, AssistContext, AssistHandler, AssistKind } from './types.js';
import { useLegacyPackages } from './use-legacy-packages.js';

export const ASSIST_HANDLERS: readonly AssistHandler[] = [
  addLocalSystem,
  fixCrossAbi,
  followNixpkgs,
  hoistAll,
  hoistToFlake,
  removeSystemArg,
  reuseInstance,
  sharePerSystem,
  useLegacyPackages,
];

/**
 * Every assist applicable at the context, but those of handlers whose kind `skip` names. A
 * handler that throws is skipped (and reported through `onError`).
 */
export function assistsAt(ctx: AssistContext, onError: (id: string, e: unknown) => void = () => {}, skip: readonly AssistKind[] = []): Assist[] {
  const out: Assist[] = [];
  for (const h of ASSIST_HANDLERS) {
    if (h.kind !== undefined && skip.includes(h.kind)) continue;
    try {
      out.push(...h.assists(ctx));
    } catch (e) {
      onError(h.id, e);
    }
  }
  return out;
}
