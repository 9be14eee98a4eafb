/**
 * `add-local-system` (quick fix on `impure-system`): an instance without
 * `system` or `localSystem` makes nixpkgs read `builtins.currentSystem`, which
 * pure flake evaluation does not have. This adds `localSystem = ...;` with the
 * first of these that applies:
 *
 * 1. a `system` in scope at the site (a lambda argument, a `let` or `rec`
 *    entry): `localSystem = system;`
 * 2. the literal `system` of a builder call the site sits in
 *    (`nixosSystem { system = "x86_64-linux"; specialArgs = { ... }; }`);
 * 3. in a module that takes `pkgs`: `localSystem = pkgs.stdenv.hostPlatform.system;`
 *    (not inside `nixpkgs.*` or `_module.args`, which `pkgs` itself depends on);
 * 4. the literal `system` of every builder that reaches the file, when they agree;
 * 5. in flake.nix, the `let system = "...";` of the outputs, when there is one value.
 *
 * Otherwise the action is offered disabled, with the reason. One-line sets stay
 * on one line; multi-line sets get a line of their own, indented like their
 * first entry.
 *
 * ```nix
 * # before
 * { pkgs, inputs, ... }:
 * let
 *   unstable = import inputs.nixpkgs-unstable {
 *     config.allowUnfree = true;
 *   };
 * in
 * { environment.systemPackages = [ unstable.hello ]; }
 * # after
 * { pkgs, inputs, ... }:
 * let
 *   unstable = import inputs.nixpkgs-unstable {
 *     localSystem = pkgs.stdenv.hostPlatform.system;
 *     config.allowUnfree = true;
 *   };
 * in
 * { environment.systemPackages = [ unstable.hello ]; }
 * ```
 */
import { ancestors, bindings, formals, K, staticString, unparen, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { listNames } from '../diagnostics/util.js';
import type { Span } from '../text.js';
import type { Instance } from '../workspace.js';
import { SourceChangeBuilder } from './edit.js';
import { entryInsertion, freeNames, lexicalDefinition, nodeWithSpan, type Definition } from './syntax.js';
import type { Assist, AssistContext, AssistHandler } from './types.js';
import { impureSystem } from '../diagnostics/impure-system.js';
import { topExpression } from '../scope.js';

const ID = 'add-local-system';

export const addLocalSystem: AssistHandler = {
  id: ID,
  assists(ctx) {
    const out: Assist[] = [];
    const lines = ctx.model.files.get(ctx.file)?.lines;
    if (!lines) return out;
    for (const d of ctx.diagnostics) {
      if (d.code !== impureSystem.code) continue;
      const span = lines.span(d.range);
      const inst = ctx.model
        .instancesIn(ctx.file)
        .find((i) => i.kind === 'import' && i.site.anchor.start === span.start && i.site.anchor.end === span.end);
      const attrs = inst?.site.args?.attrs;
      if (!inst || !attrs || attrs.has('system') || attrs.has('localSystem')) continue;
      // Only where the edit can be made: half-typed arguments (`import nixpkgs {6_64-linux"; }`)
      // may have no argument set for the new entry to go into.
      const choice = ctx.withTree(ctx.file, (tree) =>
        argumentSet(tree.rootNode, inst.site.args!.span) ? chooseSystem(ctx, tree.rootNode, inst) : null,
      );
      if (!choice) continue;
      out.push(assist(ctx, d, inst, choice));
    }
    return out;
  },
};

type Choice = { value: string } | { disabled: string };

function assist(ctx: AssistContext, d: Diagnostic, inst: Instance, choice: Choice): Assist {
  const base = { id: ID, kind: 'quickfix' as const, fixes: [d] };
  if ('disabled' in choice) {
    return {
      ...base,
      title: 'Add localSystem',
      disabled: choice.disabled,
      // Never applied (the editor shows the reason instead).
      edit: () => new SourceChangeBuilder().finish(),
    };
  }
  const entry = `localSystem = ${choice.value};`;
  return {
    ...base,
    title: `Add ${entry}`,
    edit: () => {
      const text = ctx.text(inst.file)!;
      const insertion = ctx.withTree(inst.file, (tree) => {
        const set = argumentSet(tree.rootNode, inst.site.args!.span);
        return set ? entryInsertion(text, set, entry) : null;
      });
      if (!insertion) throw new Error(`${ID}: the argument set of the instance is gone`);
      return new SourceChangeBuilder().insert(inst.file, insertion.offset, insertion.text).finish();
    },
  };
}

function argumentSet(root: Node, span: Span): Node | null {
  const node = nodeWithSpan(root, span);
  if (!node) return null;
  const set = unparen(node);
  return set.type === K.Attrset ? set : null;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function quote(system: string): string {
  return JSON.stringify(system).replace(/\$\{/g, '\\${');
}

function chooseSystem(ctx: AssistContext, root: Node, inst: Instance): Choice | null {
  const site = nodeWithSpan(root, inst.site.span, [K.Apply]);
  if (!site) return null;

  // 1. A `system` in scope, unless it is computed from this very instance.
  const def = lexicalDefinition(site, 'system');
  if (def && !(def.entry && contains(def.entry, site)) && !computedFrom(def, site)) return { value: 'system' };
  // Said when nothing else names a system either.
  const noSystem = def ? 'The system in scope here is computed from this instance' : 'No system is in scope here';

  // 2. A builder call around the site with a literal system.
  const around = ctx.model.builders
    .filter((b) => b.file === inst.file && b.fact.span.start <= inst.site.span.start && inst.site.span.end <= b.fact.span.end)
    .sort((a, b) => b.fact.span.start - a.fact.span.start)[0];
  if (around?.fact.system) return { value: quote(around.fact.system) };

  // 3. A module's own `pkgs`.
  const top = topExpression(root);
  const moduleFn = top;
  if (inst.location === 'module' && moduleFn?.type === K.Function) {
    const pkgs = lexicalDefinition(site, 'pkgs');
    const formalsNode = moduleFn.childForFieldName('formals');
    if (
      pkgs?.kind === 'formal' &&
      pkgs.scope.equals(moduleFn) &&
      !(formalsNode && contains(formalsNode, site)) &&
      !underPkgsOption(site)
    ) {
      return { value: 'pkgs.stdenv.hostPlatform.system' };
    }
  }

  // 4. Every builder that reaches the file gives the same literal system.
  const units = ctx.model.reachedBy.get(inst.file) ?? [];
  if (units.length > 0) {
    const systems = units.map((u) => ctx.model.configurationSystem(u));
    const distinct = [...new Set(systems)];
    if (distinct.length === 1 && distinct[0]) return { value: quote(distinct[0]) };
    if (systems.some((s) => s === null)) {
      return {
        disabled:
          `${noSystem}, and not every builder that evaluates this file gives a literal system: ` +
          'bind system (or take pkgs as a module argument) first.',
      };
    }
    const bySystem = distinct.map((s) => `${s} (${listNames(units.filter((u) => ctx.model.configurationSystem(u) === s).map((u) => u.host ?? '?'))})`);
    return {
      disabled: `${noSystem}, and the builders that evaluate this file use different systems: ${bySystem.join(', ')}.`,
    };
  }

  // 5. flake.nix: the outputs' `let system = "...";`.
  if (ctx.model.flakes.some((f) => f.path === inst.file) && top) {
    const literals = flakeSystemLiterals(unparen(top));
    if (literals.size === 1) return { value: quote([...literals][0]!) };
    if (literals.size > 1) {
      return { disabled: `${noSystem}, and flake.nix binds system to several values (${[...literals].join(', ')}).` };
    }
  }
  return {
    disabled:
      `${noSystem}, and no builder with a literal system reaches this file: ` +
      'take system as an argument (or bind it in a let) first.',
  };
}

/**
 * Whether a `let`/`rec` entry `system` depends, through entries of the same
 * set, on the entry that holds the site (`pkgs = import nixpkgs { };
 * system = pkgs.system;`): `localSystem = system;` would be infinite recursion.
 */
function computedFrom(def: Definition, site: Node): boolean {
  if (def.kind !== 'let' && def.kind !== 'rec') return false;
  const entries = bindings(def.scope);
  const holder = entries.find((e) => contains(e.node, site));
  const holderNames = holder ? (holder.kind === 'binding' ? [holder.path[0]] : holder.names.map((n) => n.name)) : [];
  if (holderNames.length === 0) return false;
  const seen = new Set<string>();
  const queue = ['system'];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    if (holderNames.includes(name)) return true;
    for (const e of entries) {
      if (e.kind !== 'binding' || e.path[0] !== name) continue;
      for (const used of freeNames(e.value)) if (entries.some((x) => (x.kind === 'binding' ? x.path[0] === used : x.names.some((n) => n.name === used)))) queue.push(used);
    }
  }
  return false;
}

/** Whether the site is part of `nixpkgs.*` or `_module.args`, which a module's `pkgs` is built from. */
function underPkgsOption(site: Node): boolean {
  for (const n of ancestors(site)) {
    if (n.type !== K.Binding) continue;
    const path = n.childForFieldName('attrpath')?.text.split('.') ?? [];
    const i = path[0] === 'config' ? 1 : 0;
    if (path[i] === 'nixpkgs' || path[i] === '_module') return true;
  }
  return false;
}

/** The static values of `system = "...";` entries of the `let`s inside a flake's `outputs`. */
function flakeSystemLiterals(top: Node): Set<string> {
  const out = new Set<string>();
  if (top.type !== K.Attrset) return out;
  const outputs = bindings(top).find((e) => e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'outputs');
  if (!outputs || outputs.kind !== 'binding') return out;
  const fn = unparen(outputs.value);
  if (fn.type !== K.Function || !formals(fn)) return out;
  const visit = (n: Node, depth: number): void => {
    if (depth > 200) return;
    if (n.type === K.Let) {
      for (const e of bindings(n)) {
        if (e.kind !== 'binding' || e.path.length !== 1 || e.path[0] !== 'system') continue;
        const s = staticString(e.value);
        if (s !== null) out.add(s);
      }
    }
    for (const c of n.namedChildren) if (c) visit(c, depth + 1);
  };
  visit(fn, 0);
  return out;
}
