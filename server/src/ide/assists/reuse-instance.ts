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
import { applyParts, K, outsideParens, parentOf, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../text.js';
import type { Instance } from '../workspace.js';
import { SourceChangeBuilder } from './edit.js';
import { enclosingWiths, freeNames, lexicalDefinition, nodeWithSpan, spanWithOwnParens, type Definition } from './syntax.js';
import type { Assist, AssistHandler } from './types.js';
import { duplicateInstance } from '../diagnostics/duplicate-instance.js';
import { NIX_GLOBALS } from '../scope.js';

const ID = 'reuse-instance';


const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

export const reuseInstance: AssistHandler = {
  id: ID,
  assists(ctx) {
    const lines = ctx.model.files.get(ctx.file)?.lines;
    if (!lines) return [];
    // One pass over the file's instances and one tree for every diagnostic in the range: a
    // selection over a file with hundreds of equal instances asks about all of them at once.
    const inFile = ctx.model.instancesIn(ctx.file);
    const byAnchor = new Map<string, Instance>();
    const byKey = new Map<string, Instance[]>();
    for (const i of inFile) {
      if (i.kind === 'import' && i.key !== null) byAnchor.set(`${i.site.anchor.start}:${i.site.anchor.end}`, i);
      if (i.key === null || !i.createsInstance || i.site.name === null || !IDENTIFIER.test(i.site.name)) continue;
      const group = byKey.get(i.key) ?? [];
      group.push(i);
      byKey.set(i.key, group);
    }
    const work: { d: Diagnostic; here: Instance; candidates: Instance[] }[] = [];
    for (const d of ctx.diagnostics) {
      if (d.code !== duplicateInstance.code) continue;
      const span = lines.span(d.range);
      const here = byAnchor.get(`${span.start}:${span.end}`);
      if (!here) continue;
      // Not the instance this one sits in (or the reverse).
      const candidates = (byKey.get(here.key!) ?? []).filter(
        (o) => o !== here && !overlaps(o.site.bindingSpan ?? o.site.span, here.site.span),
      );
      if (candidates.length > 0) work.push({ d, here, candidates });
    }
    if (work.length === 0) return [];
    const out: Assist[] = [];
    ctx.withTree(ctx.file, (tree) => {
      const free = new Map<number, Set<string>>();
      for (const w of work) for (const plan of plansFor(tree.rootNode, w.here, w.candidates, free)) out.push(assist(ctx.file, w.d, plan));
    });
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
    title: `Reuse ${plan.name} (the same instance)`,
    kind: 'quickfix',
    fixes: [d],
    edit: () => new SourceChangeBuilder().replace(file, plan.span, plan.name).finish(),
  };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * @param free the free names of nodes already looked at (by node id), shared by the sites of one
 * request: the bound instance is compared with every duplicate of it.
 */
function plansFor(root: Node, here: Instance, candidates: Instance[], free: Map<number, Set<string>>): Plan[] {
  const site = nodeWithSpan(root, here.site.span, [K.Apply]);
  if (!site) return [];
  const plans: Plan[] = [];
  // Where each name is bound as seen from this site: one lookup per name, not per candidate.
  const defs = new Map<string, Definition | null>();
  for (const other of candidates) {
    const name = other.site.name!;
    if (plans.some((p) => p.name === name)) continue;
    // The name must reach this site and mean the other binding there: a `let` or `rec` entry, not shadowed.
    if (!defs.has(name)) defs.set(name, lexicalDefinition(site, name));
    const def = defs.get(name);
    if (!def || (def.kind !== 'let' && def.kind !== 'rec') || def.entry?.type !== K.Binding) continue;
    const value = def.entry.childForFieldName('expression');
    if (value === null || value.startIndex > other.site.span.start || value.endIndex < other.site.span.end) continue;
    const otherSite = nodeWithSpan(root, other.site.span, [K.Apply]);
    if (!otherSite || !holds(def.entry, otherSite)) continue;
    if (!sameMeaning(site, otherSite, free)) continue;
    plans.push({ name, span: spanWithOwnParens(site) });
  }
  return plans;
}

/** Whether `binding`'s value is `site` itself (parentheses aside). */
function holds(binding: Node, site: Node): boolean {
  const n = outsideParens(site);
  return parentOf(n)?.equals(binding) === true && binding.childForFieldName('expression')?.equals(n) === true;
}

/** Whether every name the two instantiations use is bound by the same lambda, `let`, `rec` or `with` at both. */
function sameMeaning(a: Node, b: Node, free: Map<number, Set<string>>): boolean {
  const freeOf = (n: Node): Set<string> => {
    let names = free.get(n.id);
    if (!names) free.set(n.id, (names = freeNames(n)));
    return names;
  };
  const names = new Set([...freeOf(a), ...freeOf(b)]);
  for (const name of names) {
    const da = lexicalDefinition(a, name);
    const db = lexicalDefinition(b, name);
    if (da || db) {
      if (!da || !db || !da.scope.equals(db.scope)) return false;
      continue;
    }
    // Free at both: a builtin (which no `with` can hide), or supplied by the same `with`s.
    if (NIX_GLOBALS.has(name)) continue;
    const wa = enclosingWiths(a);
    const wb = enclosingWiths(b);
    if (wa.length !== wb.length || wa.some((w, i) => !w.equals(wb[i]!))) return false;
  }
  // The source of both is part of the instantiation too (`import nixpkgs`), already covered above.
  return applyParts(a) !== null && applyParts(b) !== null;
}
