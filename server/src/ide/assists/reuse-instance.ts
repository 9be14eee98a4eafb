/**
 * `reuse-instance` (quick fix on `duplicate-instance`): when an identical
 * instance is already bound to a name in scope here (a `let` entry or an
 * entry of the `rec` set around this site, in the same file), this site
 * becomes that name, and its package set is evaluated once instead of twice.
 *
 * The two sites must mean the same thing, not only read the same: every name
 * their arguments use (`system`, `overlays`, ...) has to be bound by the same
 * lambda, `let` or `with` at both, so `inherit system;` inside another
 * `system: ...` lambda is never taken for the outer one. Instances in other
 * files are left to hoisting (`hoist-to-flake`).
 *
 * ```nix
 * # before
 * let
 *   pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
 * in
 * { packages = (import nixpkgs { inherit system; config.allowUnfree = true; }).hello; }
 * # after
 * let
 *   pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
 * in
 * { packages = pkgs.hello; }
 * ```
 */
import { applyParts, K, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../text.js';
import type { Instance } from '../workspace.js';
import { SourceChangeBuilder } from './edit.js';
import { enclosingWiths, freeNames, lexicalDefinition, nodeWithSpan, spanWithOwnParens } from './syntax.js';
import type { Assist, AssistHandler } from './types.js';

const ID = 'reuse-instance';

/** Names of Nix's base environment that `with` cannot hide (lexical scope wins over `with`). */
const BUILTINS = new Set([
  'abort', 'baseNameOf', 'builtins', 'derivation', 'dirOf', 'false', 'fetchGit', 'fetchTarball', 'fetchTree',
  'fromTOML', 'import', 'isNull', 'map', 'null', 'placeholder', 'removeAttrs', 'scopedImport', 'throw', 'toString', 'true',
]);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

export const reuseInstance: AssistHandler = {
  id: ID,
  assists(ctx) {
    const out: Assist[] = [];
    const lines = ctx.model.files.get(ctx.file)?.lines;
    if (!lines) return out;
    for (const d of ctx.diagnostics) {
      if (d.code !== 'duplicate-instance') continue;
      const span = lines.span(d.range);
      const here = ctx.model
        .instancesIn(ctx.file)
        .find((i) => i.kind === 'import' && i.key !== null && i.site.anchor.start === span.start && i.site.anchor.end === span.end);
      if (!here) continue;
      const candidates = ctx.model.instances.filter(
        (o) =>
          o !== here &&
          o.file === here.file &&
          o.key === here.key &&
          o.createsInstance &&
          o.site.name !== null &&
          IDENTIFIER.test(o.site.name) &&
          // Not the instance this one sits in (or the reverse).
          !overlaps(o.site.bindingSpan ?? o.site.span, here.site.span),
      );
      if (candidates.length === 0) continue;
      const plans = ctx.withTree(ctx.file, (tree) => plansFor(tree.rootNode, here, candidates)) ?? [];
      for (const plan of plans) out.push(assist(ctx.file, d, plan));
    }
    return out;
  },
};

interface Plan {
  name: string;
  span: Span;
}

function assist(file: string, d: Diagnostic, plan: Plan): Assist {
  return {
    id: ID,
    title: `Reuse \`${plan.name}\` (the same instance)`,
    kind: 'quickfix',
    fixes: [d],
    edit: () => new SourceChangeBuilder().replace(file, plan.span, plan.name).finish(),
  };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function plansFor(root: Node, here: Instance, candidates: Instance[]): Plan[] {
  const site = nodeWithSpan(root, here.site.span, [K.Apply]);
  if (!site) return [];
  const plans: Plan[] = [];
  for (const other of candidates) {
    const name = other.site.name!;
    if (plans.some((p) => p.name === name)) continue;
    const otherSite = nodeWithSpan(root, other.site.span, [K.Apply]);
    if (!otherSite) continue;
    // The name must reach this site and mean the other binding there: a `let` or `rec` entry, not shadowed.
    const def = lexicalDefinition(site, name);
    if (!def || (def.kind !== 'let' && def.kind !== 'rec') || def.entry?.type !== K.Binding) continue;
    if (def.entry.childForFieldName('expression') === null || !holds(def.entry, otherSite)) continue;
    if (!sameMeaning(site, otherSite)) continue;
    plans.push({ name, span: spanWithOwnParens(site) });
  }
  return plans;
}

/** Whether `binding`'s value is `site` itself (parentheses aside). */
function holds(binding: Node, site: Node): boolean {
  let n: Node = site;
  while (n.parent?.type === K.Paren) n = n.parent;
  return n.parent?.equals(binding) === true && binding.childForFieldName('expression')?.equals(n) === true;
}

/** Whether every name the two instantiations use is bound by the same lambda, `let`, `rec` or `with` at both. */
function sameMeaning(a: Node, b: Node): boolean {
  const names = new Set([...freeNames(a), ...freeNames(b)]);
  for (const name of names) {
    const da = lexicalDefinition(a, name);
    const db = lexicalDefinition(b, name);
    if (da || db) {
      if (!da || !db || !da.scope.equals(db.scope)) return false;
      continue;
    }
    // Free at both: a builtin (which no `with` can hide), or supplied by the same `with`s.
    if (BUILTINS.has(name)) continue;
    const wa = enclosingWiths(a);
    const wb = enclosingWiths(b);
    if (wa.length !== wb.length || wa.some((w, i) => !w.equals(wb[i]!))) return false;
  }
  // The source of both is part of the instantiation too (`import nixpkgs`), already covered above.
  return applyParts(a) !== null && applyParts(b) !== null;
}
