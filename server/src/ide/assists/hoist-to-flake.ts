/**
 * `hoist-to-flake` (quick fix on `instance-in-module`): moves a module's nixpkgs
 * instance to where its configurations are built (the root flake.nix, or the helper file whose
 * function builds them, `lib/default.nix` with `mkHost = name: nixosSystem { ... }`), creates it once there, passes it to every
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
import type { Assist, AssistContext, AssistHandler } from './types.js';
import type { Instance } from '../workspace.js';
import { hoistEdit, instanceAt, isHoistCandidate, planHoist, plannedNames, rel } from './hoist.js';
import { brokenEdit } from './verify.js';
import { instanceInModule } from '../diagnostics/instance-in-module.js';

export const hoistToFlake: AssistHandler = {
  id: 'hoist-to-flake',
  assists(ctx) {
    const inst = instanceAt(ctx.model, ctx.file, ctx.span);
    if (!inst || !isHoistCandidate(inst)) return [];
    const fixes = ctx.diagnostics.filter((d) => d.code === instanceInModule.code);
    // Planned, built and checked once per instance and revision, wherever in it the cursor is.
    const planned = ctx.memo(`hoist-to-flake ${inst.file} ${inst.site.span.start}`, () => plan(ctx, inst));
    return [{ ...planned, fixes }];
  },
};

function plan(ctx: AssistContext, inst: Instance): Omit<Assist, 'fixes'> {
  const plan = planHoist(ctx, [inst]);
  const base = { id: 'hoist-to-flake', kind: 'quickfix' as const };
  if ('reason' in plan) return { ...base, title: 'Hoist this instance to flake.nix', disabled: plan.reason, edit: () => ({ files: new Map() }) };
  const skipped = plan.skipped[0];
  if (skipped) {
    return { ...base, title: 'Hoist this instance to flake.nix', disabled: `Cannot hoist: ${skipped.reason}.`, edit: () => ({ files: new Map() }) };
  }
  const item = plan.items[0]!;
  const n = item.units.length;
  const name = plannedNames(ctx, plan).get(item) ?? item.wanted;
  const where = plan.target === plan.flake.path ? 'flake.nix' : rel(plan.flake, plan.target);
  const title =
    item.key !== null
      ? `Hoist ${name} to ${where} (once per system instead of ${n} times)`
      : `Hoist ${name} to ${where} (evaluated once instead of ${n === 1 ? 'once per configuration' : `${n} times`})`;
  let change;
  try {
    change = hoistEdit(ctx, plan);
  } catch (e) {
    return { ...base, title: title, disabled: `Cannot hoist: ${(e as Error).message}.`, edit: () => ({ files: new Map() }) };
  }
  const broken = brokenEdit(ctx, change);
  if (broken) return { ...base, title, disabled: `Cannot hoist: ${broken}.`, edit: () => ({ files: new Map() }) };
  return { ...base, title, preferred: true, edit: () => change };
}
