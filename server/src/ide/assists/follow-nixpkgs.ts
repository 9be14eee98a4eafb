/**
 * `follow-nixpkgs` (quick fix on `unfollowed-nixpkgs`, preferred): makes the
 * input follow the flake's nixpkgs, written the way flake.nix declares the
 * input. An input declared as a set gets the entry in that set (in its nested
 * `inputs = { ... }` when it has one); an input declared with dotted lines
 * (`inputs.x.url = ...;`, or `x.url = ...;` inside `inputs = { ... }`) gets a
 * dotted line of the same shape beside its last one. The edit is parsed before
 * it is offered; `nix flake lock` then drops the input's own nixpkgs.
 *
 * ```nix
 * # before
 * inputs.home-manager = { url = "github:nix-community/home-manager"; };
 * inputs.sops-nix.url = "github:Mic92/sops-nix";
 * # after
 * inputs.home-manager = { url = "github:nix-community/home-manager"; inputs.nixpkgs.follows = "nixpkgs"; };
 * inputs.sops-nix.url = "github:Mic92/sops-nix";
 * inputs.sops-nix.inputs.nixpkgs.follows = "nixpkgs";
 * ```
 */
import { bindings, isAttrset, K, unparen, type BindingEntry, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { UnfollowedData } from '../diagnostics/unfollowed-nixpkgs.js';
import { SourceChangeBuilder } from './edit.js';
import { entryAfter, entryInsertion } from './syntax.js';
import type { Assist, AssistContext, AssistHandler } from './types.js';
import { brokenEdit } from './verify.js';
import { unfollowedNixpkgs } from '../diagnostics/unfollowed-nixpkgs.js';
import { topExpression } from '../scope.js';

const ID = 'follow-nixpkgs';
const FOLLOWS = 'nixpkgs.follows = "nixpkgs";';

export const followNixpkgs: AssistHandler = {
  id: ID,
  assists(ctx) {
    const out: Assist[] = [];
    for (const d of ctx.diagnostics) {
      if (d.code !== unfollowedNixpkgs.code) continue;
      const input = (d.data as UnfollowedData | undefined)?.input;
      if (typeof input !== 'string') continue;
      const text = ctx.text(ctx.file);
      if (text === undefined) continue;
      const plan = ctx.withTree(ctx.file, (tree) => insertion(text, tree.rootNode, input));
      if (!plan) continue;
      out.push(assist(ctx, d, input, plan));
    }
    return out;
  },
};

interface Insertion {
  offset: number;
  text: string;
}

function assist(ctx: AssistContext, d: Diagnostic, input: string, plan: Insertion): Assist {
  const change = new SourceChangeBuilder().insert(ctx.file, plan.offset, plan.text).finish();
  const broken = brokenEdit(ctx, change);
  return {
    id: ID,
    title: `Make ${input} follow the flake's nixpkgs`,
    kind: 'quickfix',
    fixes: [d],
    preferred: true,
    ...(broken ? { disabled: broken } : {}),
    edit: () => change,
  };
}

/** Where and what to insert so that `input` follows the flake's nixpkgs, or null when flake.nix does not declare it. */
export function insertion(text: string, root: Node, input: string): Insertion | null {
  const flake = topExpression(root);
  if (!flake || !isAttrset(flake)) return null;
  // The input's declarations, each with the path before the input's name (`inputs.` or nothing).
  const decls: { entry: BindingEntry; prefix: string }[] = [];
  for (const e of bindings(flake)) {
    if (e.kind !== 'binding' || e.path[0] !== 'inputs') continue;
    if (e.path[1] === input) decls.push({ entry: e, prefix: 'inputs.' });
    else if (e.path.length === 1 && isAttrset(unparen(e.value))) {
      for (const inner of bindings(unparen(e.value))) {
        if (inner.kind === 'binding' && inner.path[0] === input) decls.push({ entry: inner, prefix: '' });
      }
    }
  }
  const depth = (d: { prefix: string }) => (d.prefix ? 2 : 1);
  // A set for the whole input (`x = { ... };`) takes the entry inside.
  const whole = decls.find((d) => d.entry.path.length === depth(d) && isAttrset(unparen(d.entry.value)));
  if (whole) {
    const set = unparen(whole.entry.value);
    const nested = bindings(set).find((e): e is BindingEntry => e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'inputs');
    if (nested && isAttrset(unparen(nested.value))) return into(text, unparen(nested.value), FOLLOWS);
    return into(text, set, `inputs.${FOLLOWS}`);
  }
  // Dotted lines: one more of the same shape after the last.
  const last = decls.filter((d) => d.entry.path.length > depth(d)).at(-1);
  if (!last) return null;
  return entryAfter(text, last.entry.node, `${last.prefix}${input}.inputs.${FOLLOWS}`);
}

/** The entry last in a set (after its last entry), or in an empty set. */
function into(text: string, set: Node, entry: string): Insertion {
  const last = bindings(set).at(-1);
  return last ? entryAfter(text, last.node, entry) : entryInsertion(text, set, entry);
}
