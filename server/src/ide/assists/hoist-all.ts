/**
 * `hoist-all` (source action, and the command "Hoist All Instances to
 * flake.nix"): hoists every module instance of the workspace in one edit.
 * Identical instances share one binding in flake.nix.
 *
 * ```nix
 * # before: modules/a.nix and modules/b.nix both
 * let u = import inputs.nixpkgs-unstable { system = "x86_64-linux"; }; in ...
 * # after: flake.nix
 * let u = import nixpkgs-unstable { system = "x86_64-linux"; }; in ...  # once, passed to both
 * ```
 */
import type { AssistHandler } from './types.js';
import { hoistEdit, isHoistCandidate, planHoist } from './hoist.js';

export const hoistAll: AssistHandler = {
  id: 'hoist-all',
  assists(ctx) {
    const candidates = ctx.model.instances.filter(isHoistCandidate);
    if (candidates.length === 0) return [];
    const plan = planHoist(ctx, candidates);
    const base = { id: 'hoist-all', kind: 'source' as const, fixes: [] };
    if ('reason' in plan) return [{ ...base, title: 'Hoist all nixpkgs instances to flake.nix', disabled: plan.reason, edit: () => ({ files: new Map() }) }];
    if (plan.items.length === 0) {
      return [
        {
          ...base,
          title: 'Hoist all nixpkgs instances to flake.nix',
          disabled: `No instance can be hoisted: ${plan.skipped[0]?.reason ?? 'none found'}.`,
          edit: () => ({ files: new Map() }),
        },
      ];
    }
    const total = candidates.length;
    return [
      {
        ...base,
        title:
          plan.items.length === total
            ? `Hoist all ${total} module instances to flake.nix`
            : `Hoist ${plan.items.length} of ${total} module instances to flake.nix (${total - plan.items.length} cannot move)`,
        edit: () => hoistEdit(ctx, plan),
      },
    ];
  },
};
