/**
 * `hoist-to-flake` (quick fix on `instance-in-module`): moves a module's nixpkgs
 * instance into the root flake.nix, creates it once there, passes it to every
 * configuration that loads the module through `specialArgs` (NixOS, nix-darwin)
 * or `extraSpecialArgs` (home-manager), and makes the module take it as an
 * argument.
 *
 * ```nix
 * # before: modules/common.nix
 * { pkgs, inputs, ... }:
 * let unstable = import inputs.nixpkgs-unstable { system = pkgs.system; }; in
 * { environment.systemPackages = [ unstable.helix ]; }
 *
 * # after: modules/common.nix
 * { pkgs, inputs, unstable, ... }:
 * { environment.systemPackages = [ unstable.helix ]; }
 * # after: flake.nix
 * outputs = { nixpkgs, nixpkgs-unstable, ... }@inputs:
 *   let unstable = import nixpkgs-unstable { system = "x86_64-linux"; }; in
 *   { nixosConfigurations.a = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs unstable; }; ... }; };
 * ```
 */
import type { AssistHandler } from './types.js';
import { hoistEdit, instanceAt, isHoistCandidate, planHoist, plannedNames } from './hoist.js';

export const hoistToFlake: AssistHandler = {
  id: 'hoist-to-flake',
  assists(ctx) {
    const inst = instanceAt(ctx.model, ctx.file, ctx.span);
    if (!inst || !isHoistCandidate(inst)) return [];
    const fixes = ctx.diagnostics.filter((d) => d.code === 'instance-in-module');
    const plan = planHoist(ctx, [inst]);
    const base = { id: 'hoist-to-flake', kind: 'quickfix' as const, fixes };
    if ('reason' in plan) return [{ ...base, title: 'Hoist this instance to flake.nix', disabled: plan.reason, edit: () => ({ files: new Map() }) }];
    const skipped = plan.skipped[0];
    if (skipped) {
      return [{ ...base, title: 'Hoist this instance to flake.nix', disabled: `Cannot hoist: ${skipped.reason}.`, edit: () => ({ files: new Map() }) }];
    }
    const item = plan.items[0]!;
    const n = item.units.length;
    const name = plannedNames(ctx, plan).get(item) ?? item.wanted;
    return [
      {
        ...base,
        title: `Hoist ${name} to flake.nix (evaluated once instead of ${n === 1 ? 'once per configuration' : `${n} times`})`,
        preferred: true,
        edit: () => hoistEdit(ctx, plan),
      },
    ];
  },
};
