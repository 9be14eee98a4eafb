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
import type { Assist, AssistContext, AssistHandler } from './types.js';
import { hoistEdit, isHoistCandidate, planHoist, rel, type HoistItem, type HoistPlan } from './hoist.js';
import { brokenEdit } from './verify.js';
import { mergeChanges } from './edit.js';

export const hoistAll: AssistHandler = {
  id: 'hoist-all',
  kind: 'source',
  // The same wherever it is asked for: planned (and its edit built and checked) once per revision.
  assists: (ctx) => ctx.memo('hoist-all', () => plan(ctx)),
};

function plan(ctx: AssistContext): Assist[] {
  const candidates = ctx.model.instances.filter(isHoistCandidate);
  if (candidates.length === 0) return [];
  const base = { id: 'hoist-all', kind: 'source' as const, fixes: [] };
  const first = planHoist(ctx, candidates);
  if ('reason' in first) return [{ ...base, title: 'Hoist all nixpkgs instances to flake.nix', disabled: first.reason, edit: () => ({ files: new Map() }) }];
  // One plan per place where configurations are built (flake.nix, helper files).
  const plans: HoistPlan[] = [first];
  for (;;) {
    const elsewhere = plans.at(-1)!.skipped.filter((s) => s.reason.startsWith('its configurations are built in '));
    if (elsewhere.length === 0) break;
    const next = planHoist(ctx, elsewhere.map((s) => s.inst));
    if ('reason' in next || plans.some((p) => p.target === next.target)) break;
    for (const p of plans) p.skipped = p.skipped.filter((s) => !elsewhere.includes(s));
    plans.push(next);
  }
  const nested = plans.reduce((n, p) => n + dropNested(p), 0);
  const items = plans.reduce((n, p) => n + p.items.length, 0);
  const skipped = plans.flatMap((p) => p.skipped);
  // Every instance left in place, each with its own reason (not only the first).
  const notes = skipped.map((x) => {
    const line = ctx.model.files.get(x.inst.file)?.lines.position(x.inst.site.anchor.start).line;
    return `${rel(first.flake, x.inst.file)}${line === undefined ? '' : `:${line + 1}`}: ${x.reason}`;
  });
  const where = plans.length === 1 && first.target === first.flake.path ? 'flake.nix' : 'where their configurations are built';
  if (items === 0) {
    return [
      {
        ...base,
        title: 'Hoist all nixpkgs instances to flake.nix',
        disabled: `No instance can be hoisted: ${skipped[0]?.reason ?? 'none found'}.`,
        notes,
        edit: () => ({ files: new Map() }),
      },
    ];
  }
  // An instance inside another that moves goes along with it (counted with it).
  const total = candidates.length - nested;
  const title =
    items === total
      ? `Hoist all ${total} module instance${total === 1 ? '' : 's'} to ${where}`
      : `Hoist ${items} of ${total} module instances to ${where} (${total - items} cannot move)`;
  let change;
  try {
    change = mergeChanges(plans.filter((p) => p.items.length > 0).map((p) => hoistEdit(ctx, p)));
  } catch (e) {
    return [{ ...base, title, disabled: `Cannot hoist: ${(e as Error).message}.`, edit: () => ({ files: new Map() }) }];
  }
  const broken = brokenEdit(ctx, change);
  if (broken) return [{ ...base, title, disabled: `Cannot hoist: ${broken}.`, edit: () => ({ files: new Map() }) }];
  return [{ ...base, title, notes, edit: () => change }];
}

/**
 * Leaves out the items that sit inside another item (DOMAIN shape 13: an
 * `import` in the `overlays` of another `import`): the outer expression moves
 * to flake.nix with the inner one in it, and a second edit inside the first
 * would overlap it. Returns how many were left out.
 */
function dropNested(plan: HoistPlan): number {
  const extent = (i: HoistItem) => i.inst.site.bindingSpan ?? i.inst.site.span;
  const sorted = [...plan.items].sort(
    (a, b) => (a.inst.file < b.inst.file ? -1 : a.inst.file > b.inst.file ? 1 : extent(a).start - extent(b).start || extent(b).end - extent(a).end),
  );
  const inner = new Set<HoistItem>();
  let outer: HoistItem | null = null;
  for (const item of sorted) {
    if (outer && outer.inst.file === item.inst.file && item.inst.site.span.end <= extent(outer).end) inner.add(item);
    else outer = item;
  }
  if (inner.size) plan.items = plan.items.filter((i) => !inner.has(i));
  return inner.size;
}
