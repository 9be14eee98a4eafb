/**
 * `share-per-system` (quick fix on `instance-per-call`): an instantiation that a
 * function runs on every call (an overlay applied to each host's package set, a
 * `genSpecialArgs = system: { pkgs-stable = import ...; }` called per host) is
 * created once per system, in the nearest scope outside that function where
 * everything its arguments use is bound, and the site selects from it with its
 * own system expression. Attribute sets are lazy and their values shared, so
 * each system's package set is evaluated at most once however many calls ask.
 *
 * Arguments that do not depend on the call at all (`system = "x86_64-linux";`)
 * are lifted as a plain binding. `let` bindings the arguments use that read
 * nothing of the function move out with the set; a file that is the function
 * itself (`_final: prev: ...`) gets the set at its top (Nix evaluates an
 * imported file once). A factory that functions call with their argument
 * (`W = p: let c = F p; in ...`), all of them given the same one, is called once
 * beside those calls and the result passed in (`W = c: ...`). The fix is
 * disabled, with the reason, when the arguments use what the call passes
 * (`overlays` of `{ system, overlays }:`), read the package set an overlay
 * extends (`inherit (prev) config;`), when the function is a file that builds a
 * host per call (the instance belongs where the hosts are built), or when no
 * nixpkgs `lib` is at hand. In flake.nix nothing goes above `outputs`.
 *
 * ```nix
 * # before
 * { inputs, ... }: {
 *   unstable-packages = final: _prev: {
 *     unstable = import inputs.nixpkgs-unstable {
 *       system = final.stdenv.hostPlatform.system;
 *       config.allowUnfree = true;
 *     };
 *   };
 * }
 * # after
 * { inputs, ... }: let
 *   unstableBySystem = inputs.nixpkgs-unstable.lib.genAttrs inputs.nixpkgs-unstable.lib.systems.flakeExposed (system: import inputs.nixpkgs-unstable {
 *     inherit system;
 *     config.allowUnfree = true;
 *   });
 * in {
 *   unstable-packages = final: _prev: {
 *     unstable = unstableBySystem.${final.stdenv.hostPlatform.system};
 *   };
 * }
 * ```
 *
 * `lib.systems.flakeExposed` lists every system a flake can expose (Linux,
 * Darwin and FreeBSD on the common CPUs, `riscv64-linux` included).
 */
import { posix } from 'node:path';
import { ancestors, applyParts, bindings, formals, isFieldOf, K, outsideParens, parentOf, unparen, variableName, walk, type BindingSetEntry, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import { nameRegExp } from '../text.js';
import type { Instance } from '../workspace.js';
import { mergeChanges, SourceChangeBuilder, type SourceChange } from './edit.js';
import { eol, enclosingWiths, freeNames, indentAt, lexicalDefinition, nodeWithSpan, removalSpan, spanWithOwnParens, startsLine, type Definition } from './syntax.js';
import type { Assist, AssistContext, AssistHandler } from './types.js';
import { brokenEdit } from './verify.js';
import { instancePerCall } from '../diagnostics/instance-per-call.js';
import { topExpression, topNode } from '../scope.js';

const ID = 'share-per-system';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** What the fix will write, or why it cannot. */
type Plan =
  | { ok: true; name: string; perSystem: boolean; change: () => SourceChange }
  | { ok: false; name: string; why: string };

export const sharePerSystem: AssistHandler = {
  id: ID,
  assists(ctx) {
    const entry = ctx.model.files.get(ctx.file);
    if (!entry) return [];
    const wanted = ctx.diagnostics.filter((d) => d.code === instancePerCall.code);
    if (wanted.length === 0) return [];
    const byAnchor = new Map<string, Instance>();
    for (const i of ctx.model.instancesIn(ctx.file)) {
      if (i.kind === 'import') byAnchor.set(`${i.site.anchor.start}:${i.site.anchor.end}`, i);
    }
    const out: Assist[] = [];
    ctx.withTree(ctx.file, (tree) => {
      for (const d of wanted) {
        const span = entry.lines.span(d.range);
        const inst = byAnchor.get(`${span.start}:${span.end}`);
        if (!inst) continue;
        const plan = planShare(ctx, tree.rootNode, inst);
        if (plan) out.push(assist(ctx, d, plan));
      }
    });
    return out;
  },
};

function assist(ctx: AssistContext, d: Diagnostic, plan: Plan): Assist {
  const title = plan.ok && !plan.perSystem ? `Create ${plan.name} once and share it` : `Create ${plan.name} once per system and share it`;
  if (!plan.ok) {
    return { id: ID, title, kind: 'quickfix', fixes: [d], disabled: plan.why, edit: () => ({ files: new Map() }) };
  }
  const change = plan.change();
  const broken = brokenEdit(ctx, change);
  return {
    id: ID,
    title,
    kind: 'quickfix',
    fixes: [d],
    preferred: broken === null,
    ...(broken !== null ? { disabled: broken } : {}),
    edit: () => change,
  };
}

/** The system entry of an instance's arguments: how the site names its system. */
interface SystemEntry {
  entry: BindingSetEntry;
  /** The expression that gives the system at the site, as text. */
  key: string;
  /** The nodes that expression is made of (to tell where its names are bound). */
  keyNodes: Node[];
  /** The entry's text in the per-system function (default `inherit system;`). */
  rewrite?: string;
}

function systemEntryOf(argset: Node, text: string): SystemEntry | null | 'odd' {
  for (const e of bindings(argset)) {
    // `localSystem = { inherit system; };` (or `{ system = E; }`): the same key, kept as the platform set.
    if (e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'localSystem') {
      const v = unparen(e.value);
      // `localSystem = prev.stdenv.hostPlatform.system;`: the key is the value itself.
      if (v.type !== K.Attrset) return { entry: e, key: parenthesise(e.value), keyNodes: [e.value], rewrite: 'localSystem = system;' };
      const inner = bindings(v);
      if (inner.length !== 1) return 'odd';
      const only = inner[0]!;
      if (only.kind === 'inherit' && only.from === null && only.names.length === 1 && only.names[0]!.name === 'system') return { entry: e, key: 'system', keyNodes: [], rewrite: 'localSystem = { inherit system; };' };
      if (only.kind === 'binding' && only.path.length === 1 && only.path[0] === 'system') return { entry: e, key: parenthesise(only.value), keyNodes: [only.value], rewrite: 'localSystem = { inherit system; };' };
      return 'odd';
    }
    if (e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'system') {
      return { entry: e, key: parenthesise(e.value), keyNodes: [e.value] };
    }
    if (e.kind === 'inherit' && e.names.some((n) => n.name === 'system')) {
      if (e.from === null) return { entry: e, key: 'system', keyNodes: [] };
      // `inherit (final.stdenv.hostPlatform) system;` alone: the key is `<from>.system`.
      if (e.names.length !== 1) return 'odd';
      const from = unparen(e.from);
      const base = from.type === K.Variable || from.type === K.Select ? from.text : `(${text.slice(from.startIndex, from.endIndex)})`;
      return { entry: e, key: `${base}.system`, keyNodes: [e.from] };
    }
  }
  return null;
}

/** An expression's text, in parentheses unless it is a name, a selection or a literal. */
function parenthesise(n: Node): string {
  const u = unparen(n);
  return [K.Variable, K.Select, K.String, K.SPath, K.Path].includes(u.type as K) ? u.text : `(${u.text})`;
}

/** The definitions of the free names of `nodes`, seen from `from`; `null` values are free in the file. */
function definitionsOf(nodes: Node[], from: Node, except: string[] = []): Map<string, Definition | null> {
  const out = new Map<string, Definition | null>();
  for (const n of nodes) {
    for (const name of freeNames(n)) if (!except.includes(name) && !out.has(name)) out.set(name, lexicalDefinition(from, name));
  }
  return out;
}

/** Whether scope `a` lies inside scope `b` (or is it). */
const within = (a: Node, b: Node) => a.startIndex >= b.startIndex && a.endIndex <= b.endIndex;

/** The innermost of the definitions (the scope a lifted binding can go to at the outermost). */
function innermost(defs: Map<string, Definition | null>): Definition | null {
  let target: Definition | null = null;
  for (const def of defs.values()) if (def && (!target || def.scope.startIndex > target.scope.startIndex)) target = def;
  return target;
}

/** Whether a `with` between `scope` and one of `nodes` may supply a name that is free in the file. */
function withMaySupply(defs: Map<string, Definition | null>, nodes: Node[], scope: Node): boolean {
  return [...defs.values()].includes(null) && nodes.some((n) => enclosingWiths(n).some((w) => w.startIndex > scope.startIndex));
}

/**
 * The `let` bindings the arguments use that sit inside the function the instance repeats in but
 * use nothing of it (`source = (import ../sources.nix).pinned;` beside the instance in an
 * overlay): they move out with the set. The definitions the arguments then depend on, and the
 * bindings to move; null when none can move (a binding that reads the function's arguments, one
 * whose name something outside already binds, or the last binding of its `let`).
 */
function carryLets(defs: Map<string, Definition | null>, text: string): { defs: Map<string, Definition | null>; entries: Node[] } | null {
  const out = new Map(defs);
  const entries: Node[] = [];
  for (;;) {
    const t = innermost(out);
    if (!t || t.kind !== 'let' || t.entry?.type !== K.Binding || t.entry.childForFieldName('attrpath')?.text !== t.def.text) break;
    const fn = ancestors(t.scope).find((n) => n.type === K.Function);
    const value = t.entry.childForFieldName('expression');
    if (!fn || !value) break;
    const valueDefs = definitionsOf([value], t.entry);
    if ([...valueDefs.values()].some((d) => d !== null && within(d.scope, fn))) break;
    // Nothing outside the `let` may bind the name (its uses inside would then change meaning).
    const outside = parentOf(t.scope);
    if (!outside || lexicalDefinition(outside, t.def.text) !== null) break;
    const set = t.scope.namedChildren.find((c) => c?.type === K.BindingSet);
    const left = set?.namedChildren.filter((c) => c && c.type !== K.Comment && !entries.some((e) => e.equals(c)) && !c.equals(t.entry!)) ?? [];
    if (left.length === 0 || !startsLine(text, t.entry.startIndex)) break;
    out.delete(t.def.text);
    for (const [n, d] of valueDefs) if (!out.has(n)) out.set(n, d);
    entries.push(t.entry);
  }
  return entries.length > 0 ? { defs: out, entries: entries.sort((a, b) => a.startIndex - b.startIndex) } : null;
}

/** `body`, written at `text`'s `offset`, for a new place: its continuation lines re-indented under `indent`. */
function reindented(text: string, offset: number, body: string, indent: string): string {
  const own = indentAt(text, offset);
  return body
    .split(/\r?\n/)
    .map((line, i) => (i === 0 || line.trim() === '' ? line.trimEnd() : indent + (line.startsWith(own) ? line.slice(own.length) : line.trimStart())))
    .join(eol(text));
}

/**
 * Where a binding for `scope` can go in the file: in flake.nix, whose top must stay an attribute
 * set, the file's own scope is the `outputs` function that holds `site` (called once per
 * evaluation); null when the site is outside it.
 */
function scopeInFile(file: string, root: Node, scope: Node, site: Node): Node | null {
  if (!scope.equals(root) || posix.basename(file) !== 'flake.nix') return scope;
  const top = topNode(root);
  if (!top || top.type !== K.Attrset) return null;
  const outputs = bindings(top).find((e) => e.kind === 'binding' && e.path.length === 1 && e.path[0] === 'outputs');
  const fn = outputs?.kind === 'binding' ? unparen(outputs.value) : null;
  return fn?.type === K.Function && within(site, fn) ? fn : null;
}

/**
 * Why an overlay's instance cannot be one per system: its arguments read `prev` (or `final`).
 * Reading `prev.config` gives each package set its own nixpkgs.config; a module that sets
 * `nixpkgs.config` is named, as the reason hosts differ.
 */
function overlayReadReason(ctx: AssistContext, argset: Node, set: string): string {
  const readsConfig = bindings(argset).some((e) =>
    e.kind === 'inherit'
      ? e.from !== null && unparen(e.from).text === set && e.names.some((n) => n.name === 'config')
      : e.path.length === 1 && e.path[0] === 'config' && unparen(e.value).text === `${set}.config`,
  );
  const setter = readsConfig ? ctx.model.factFiles.find((f) => f.facts.moduleShaped && f.facts.options.some((o) => o.option === 'nixpkgs.config')) : undefined;
  if (setter) {
    // The module's path from the folder it shares with this file.
    const here = posix.dirname(ctx.file).split('/');
    const there = setter.path.split('/');
    let i = 0;
    while (i < here.length && i < there.length - 1 && here[i] === there[i]) i++;
    return `its arguments read ${set}.config, the nixpkgs.config of each package set it extends, and modules set it per configuration (${there.slice(i).join('/')}): one set per system would give every host the same config`;
  }
  return `its arguments read ${set}, the package set the overlay extends, which may differ from host to host`;
}

const PER_HOST_FUNCTION = 'this builds a configuration on each call: create the package set where the configurations are built and pass it in';

/**
 * Whether `scope` lies in a function that builds a configuration on each call (`mkHost = name:
 * nixosSystem { ... }`, or a whole helper file): a set created there is still one per host.
 */
function insideHostBuilder(ctx: AssistContext, root: Node, scope: Node, file = ctx.file): boolean {
  const facts = ctx.model.factFiles.find((f) => f.path === file)?.facts;
  return (facts?.builders ?? []).some((b) => {
    const n = root.descendantForIndex(b.span.start, b.span.end - 1);
    const fn = n ? ancestors(n).find((x) => x.type === K.Function) : undefined;
    // flake.nix's `outputs` is called once, however many hosts it builds.
    return fn !== undefined && within(scope, fn) && scopeInFile(file, root, root, fn)?.equals(fn) !== true;
  });
}

function planShare(ctx: AssistContext, root: Node, inst: Instance): Plan | null {
  const text = ctx.text(ctx.file);
  if (text === undefined) return null;
  const site = nodeWithSpan(root, inst.site.span, [K.Apply]);
  const parts = site ? applyParts(site) : null;
  if (!site || !parts || variableName(parts.fn) !== 'import' || parts.args.length !== 2) return null;
  const [src, rawArgs] = parts.args as [Node, Node];
  const argset = unparen(rawArgs);
  const base = baseName(inst, site);
  if (argset.type !== K.Attrset) {
    return (inst.site.wrapper !== null && planWrapperCallers(ctx, root, text, inst.site.wrapper)) || { ok: false, name: base, why: 'its arguments are not an attribute set written here' };
  }
  const sys = systemEntryOf(argset, text);
  if (sys === 'odd') return { ok: false, name: base, why: 'its system is given in a form the fix does not rewrite' };

  // Everything but the system: these names decide how far the instance can move.
  const rest = [src, ...bindings(argset).filter((e) => !sys || !e.node.equals(sys.entry.node)).map((e) => e.node)];
  let restDefs = definitionsOf(rest, site);
  if (sys?.entry.kind === 'inherit' && sys.entry.from === null) {
    for (const n of sys.entry.names) if (n.name !== 'system' && !restDefs.has(n.name)) restDefs.set(n.name, lexicalDefinition(site, n.name));
  }
  const keyDefs = sys ? (sys.key === 'system' && sys.keyNodes.length === 0 ? new Map([['system', lexicalDefinition(site, 'system')]]) : definitionsOf(sys.keyNodes, site)) : new Map();
  if (restDefs.has('system') && sys && sys.key !== 'system') {
    return { ok: false, name: base, why: 'its arguments use system besides the system they instantiate for' };
  }

  // The target: the innermost scope that binds a name the arguments use (or the file).
  // In flake.nix, whose top must stay an attribute set, the file's scope is its `outputs` function.
  const ROOTLESS = 'nothing binds it in flake.nix but its top, which must stay an attribute set';
  let target = innermost(restDefs);
  let targetScope = scopeInFile(ctx.file, root, target?.scope ?? root, site);
  if (!targetScope) return { ok: false, name: base, why: ROOTLESS };
  const repeatingIn = (scope: Node) => ancestors(site).filter((n) => n.type === K.Function && within(n, scope) && !n.equals(scope));
  let repeating = repeatingIn(targetScope);
  if (repeating.length === 0 && inst.site.wrapper !== null && !inst.site.overlay && target?.kind !== 'rec') {
    // The factory's body: the calls are what repeats; share them instead.
    const calls = planCalls(ctx, root, text, inst.site.wrapper);
    if (calls) return calls;
  }
  // `let` bindings inside the repeating function that use nothing of it move out with the set.
  let carried: Node[] = [];
  if (repeating.length === 0) {
    const moved = carryLets(restDefs, text);
    if (moved) {
      ({ defs: restDefs, entries: carried } = moved);
      target = innermost(restDefs);
      targetScope = scopeInFile(ctx.file, root, target?.scope ?? root, site);
      if (!targetScope) return { ok: false, name: base, why: ROOTLESS };
      repeating = repeatingIn(targetScope);
    }
  }
  if (target?.kind === 'rec') return { ok: false, name: base, why: 'its arguments use a name of the rec set around it' };
  // Names free in the file may come from a `with` between the target and the site.
  if (withMaySupply(restDefs, [site, ...carried], targetScope)) return { ok: false, name: base, why: 'a with around it may supply names its arguments use' };
  // A function that builds a configuration on each call (`mkHost = name: nixosSystem { ... }`,
  // or a whole helper file): moving the set to its body still makes one per host.
  if (insideHostBuilder(ctx, root, targetScope)) return { ok: false, name: base, why: PER_HOST_FUNCTION };
  if (repeating.length === 0) {
    const own = [...restDefs].find(([, d]) => d !== null && d.scope.equals(targetScope) && d.kind !== 'let');
    if (own && !inst.site.overlay && inst.site.wrapper !== null) {
      const callers = planWrapperCallers(ctx, root, text, inst.site.wrapper);
      if (callers) return callers;
    }
    return {
      ok: false,
      name: base,
      why: own
        ? inst.site.overlay
          ? overlayReadReason(ctx, argset, own[0])
          : `its arguments use ${own[0]}, which each call passes: create the package sets where the calls are made`
        : 'nothing around it to move it out of',
    };
  }
  // In the body of the file's own function, the set is shared by the calls of that function only:
  // a module that imports the file (`import ./overlays { inherit inputs; }`) calls it per host.
  // Outside it, at the file's top, it is shared by every import: Nix evaluates a file once.
  let callerChange: SourceChange | null = null;
  const top = topExpression(root);
  if (top && top.type === K.Function && !targetScope.equals(root) && within(targetScope, top)) {
    const perHostCaller = ctx.model.evaluation.namedBy(ctx.file, { called: true }).find((f) => {
      const facts = ctx.model.files.get(f)?.facts;
      return facts !== undefined && facts.moduleShaped && posix.basename(f) !== 'flake.nix';
    });
    if (perHostCaller) {
      // The caller's call can move out of the function that repeats it (`mkHost` in a flake-parts
      // module): both edits together create the set once; a NixOS module calls it per host.
      const lifted = liftCalls(ctx, perHostCaller, inst.site.overlay ? 'overlays' : 'value');
      if (typeof lifted === 'string') {
        return {
          ok: false,
          name: base,
          why: `${posix.basename(perHostCaller)} calls this file again in every configuration it is part of: ${lifted}`,
        };
      }
      callerChange = lifted;
    }
  }
  // A key whose names are all bound at the target or outside it (or nowhere: builtins) is the
  // same on every call: the instance moves as it is.
  const perSystem = sys !== null && [...keyDefs.values()].some((d) => d !== null && within(d.scope, targetScope) && !d.scope.equals(targetScope));

  const place = insertionPlace(targetScope, root, site, text);
  if (!place) return { ok: false, name: base, why: 'no place outside the function to bind it' };
  // Lifted as it is from `name = import ...;` in a plain attribute set, the binding keeps its
  // name and the entry becomes `inherit name;` (in a `let` or `rec` set that would recurse).
  const own = perSystem ? null : ownBinding(site, base, text);
  const name = own ? base : freshName(perSystem ? bySystemName(base) : base, text);
  let lib: string | null = null;
  // With no lib in scope and a source that is not a flake input: the lib in the source's tree.
  let ownLib: string | null = null;
  if (perSystem) {
    const libDef = lexicalDefinition(place.lookup, 'lib');
    const srcText = unparen(src);
    // An input with `flake = false` is a source tree: its lib is a file in it, not an attribute.
    const notFlake = ctx.model.flakeOf(ctx.file)?.inputs.some((i) => i.name === inst.input && i.notFlake) ?? false;
    if (libDef) lib = 'lib';
    else if (!notFlake && ((inst.input !== null && (srcText.type === K.Variable || srcText.type === K.Select)) || /^inputs\.[A-Za-z_][\w'-]*$/.test(srcText.text))) lib = `${srcText.text}.lib`;
    else if ((inst.input === null || notFlake) && !restDefs.has('lib')) {
      lib = 'lib';
      ownLib = `import (${parenthesise(src)} + "/lib")`;
    }
    if (!lib) return { ok: false, name: base, why: 'no nixpkgs lib at hand where it would be created' };
  }
  const value = liftedText(text, site, sys, perSystem, place.indent);
  const genAttrs = `${lib}.genAttrs ${lib}.systems.flakeExposed (system: ${value})`;
  const binding = perSystem ? `${name} = ${ownLib ? `let lib = ${ownLib}; in ` : ''}${genAttrs};` : `${name} = ${value};`;
  const moved = carried.map((e) => reindented(text, e.startIndex, text.slice(e.startIndex, e.endIndex), place.indent)).join(`${eol(text)}${place.indent}`);
  const replacement = perSystem ? `${name}.\${${sys!.key}}` : name;
  return {
    ok: true,
    name: perSystem ? name : base,
    perSystem,
    change: () => {
      const b = new SourceChangeBuilder();
      if (own) b.replace(ctx.file, { start: own.startIndex, end: own.endIndex }, `inherit ${name};`);
      else b.replace(ctx.file, spanWithOwnParens(site), replacement);
      for (const e of carried) b.delete(ctx.file, removalSpan(text, { start: e.startIndex, end: e.endIndex }));
      b.insert(ctx.file, place.offset, place.wrap(moved ? `${moved}${eol(text)}${place.indent}${binding}` : binding));
      return callerChange ? mergeChanges([b.finish(), callerChange]) : b.finish();
    },
  };
}

/**
 * Moves `import <this file> <args>` in `caller` out of the function that repeats it, to the
 * innermost scope that binds what the arguments use, as `<stem><Kind> = import ...;`: the edit
 * in the caller, or why it cannot be made (the caller is a module every host loads, the call
 * is not alone, nothing repeats it).
 */
function liftCalls(ctx: AssistContext, caller: string, kind: 'overlays' | 'value'): SourceChange | string {
  const refuse = 'call it once where the configurations are built and pass the result';
  if (ctx.model.reachedBy.has(caller)) return refuse;
  const text = ctx.text(caller);
  if (text === undefined) return refuse;
  const result = ctx.withTree(caller, (tree): SourceChange | string => {
    const root = tree.rootNode;
    const calls: Node[] = [];
    walk(root, (n) => {
      if (n.type !== K.Apply || isFieldOf(n, K.Apply, 'function')) return true;
      const parts = applyParts(n);
      const path = parts?.args[0] ? unparen(parts.args[0]) : null;
      if (parts && variableName(parts.fn) === 'import' && parts.args.length === 2 && path?.type === K.Path) {
        const target = posix.normalize(posix.join(posix.dirname(caller), path.text));
        if (target === ctx.file || posix.join(target, 'default.nix') === ctx.file) calls.push(n);
      }
      return true;
    });
    if (calls.length !== 1) return refuse;
    const call = calls[0]!;
    const defs = definitionsOf([applyParts(call)!.args[1]!], call);
    const target = innermost(defs);
    if (target?.kind === 'rec') return refuse;
    const scope = target?.scope ?? root;
    if (!ancestors(call).some((n) => n.type === K.Function && within(n, scope) && !n.equals(scope))) return refuse;
    if (withMaySupply(defs, [call], scope)) return refuse;
    if (insideHostBuilder(ctx, root, scope, caller)) return refuse;
    const place = insertionPlace(scope, root, call, text);
    if (!place) return refuse;
    const stem = posix.basename(ctx.file) === 'default.nix' ? posix.basename(posix.dirname(ctx.file)) : posix.basename(ctx.file, '.nix');
    const camel = stem.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[^A-Za-z_]+/, '');
    const name = freshName(kind === 'overlays' ? `${camel || 'local'}Overlays` : camel || 'imported', text);
    const b = new SourceChangeBuilder();
    b.replace(caller, spanWithOwnParens(call), name);
    b.insert(caller, place.offset, place.wrap(`${name} = ${text.slice(call.startIndex, call.endIndex)};`));
    return b.finish();
  });
  return result ?? refuse;
}

/**
 * A factory whose calls differ only in the system they pass (`mkPkgs host.system nixpkgs
 * overlays` per host, `mkPkgs system nixpkgs overlays` per system): one set per system, made
 * by calling it once per system in the innermost scope that binds everything else the calls
 * pass, and each call selects its own system there. Null when the factory takes no system
 * parameter or its calls do not fit (then the reason about its body stands).
 */
function planCalls(ctx: AssistContext, root: Node, text: string, wrapper: string): Plan | null {
  const facts = ctx.model.factFiles.find((f) => f.path === ctx.file)?.facts;
  const w = facts?.wrappers.find((x) => x.name === wrapper);
  if (!w) return null;
  const sysIndex = w.params.findIndex((p) => p === 'system');
  if (sysIndex === -1) return null;
  const calls = ctx.model
    .instancesIn(ctx.file)
    .filter((i) => i.kind === 'wrapper-call' && i.site.wrapper === wrapper && i.evaluated)
    .map((i) => ({ inst: i, node: nodeWithSpan(root, i.site.span, [K.Apply]) }));
  const base = baseName(calls[0]?.inst ?? null);
  if (calls.length < 2) return null;
  const keys: string[] = [];
  let rest: string | null = null;
  let restNodes: Node[] = [];
  for (const { node } of calls) {
    const parts = node ? applyParts(node) : null;
    if (!node || !parts || variableName(parts.fn) !== wrapper) return null;
    if (parts.args.length !== w.params.length) return { ok: false, name: base, why: `a call of ${wrapper} does not pass all its arguments` };
    const others = parts.args.filter((_, i) => i !== sysIndex);
    const restText = others.map((a) => text.slice(a.startIndex, a.endIndex).replace(/\s+/g, ' ')).join('\0');
    if (rest !== null && restText !== rest) return { ok: false, name: base, why: `its calls pass ${wrapper} different arguments besides the system` };
    if (rest === null) restNodes = [parts.fn, ...others];
    rest = restText;
    keys.push(parenthesise(parts.args[sysIndex]!));
  }
  // The names the calls pass must mean the same at every call, and be bound around all of them.
  const first = calls[0]!.node!;
  const defs = definitionsOf(restNodes, first);
  if (defs.has('system')) return { ok: false, name: base, why: 'its calls use system besides the system they pass' };
  const differs = meaningElsewhere(defs, calls.slice(1).map(({ node }) => node!));
  if (differs) return { ok: false, name: base, why: `${differs} means something else at another call of ${wrapper}` };
  const target = innermost(defs);
  if (target?.kind === 'rec') return { ok: false, name: base, why: 'its calls use a name of the rec set around them' };
  const targetScope = scopeInFile(ctx.file, root, target?.scope ?? root, first);
  if (!targetScope || calls.some(({ node }) => !within(node!, targetScope))) return null;
  if (withMaySupply(defs, calls.map(({ node }) => node!), targetScope)) return { ok: false, name: base, why: 'a with around its calls may supply names they use' };
  if (insideHostBuilder(ctx, root, targetScope)) return { ok: false, name: base, why: PER_HOST_FUNCTION };
  const place = insertionPlace(targetScope, root, first, text);
  if (!place) return { ok: false, name: base, why: 'no place outside the calls to bind it' };
  let lib: string | null = lexicalDefinition(place.lookup, 'lib') ? 'lib' : null;
  if (!lib) {
    const input = restNodes.find((n) => /^inputs\.[A-Za-z_][\w'-]*$/.test(unparen(n).text));
    if (input) lib = `${unparen(input).text}.lib`;
  }
  lib ??= factoryInputLib(ctx, root, wrapper, place.lookup);
  if (!lib) return { ok: false, name: base, why: 'no nixpkgs lib at hand where it would be created' };
  const name = freshName(bySystemName(base), text);
  const parts = applyParts(first)!;
  const callText = [wrapper, ...parts.args.map((a, i) => (i === sysIndex ? 'system' : text.slice(a.startIndex, a.endIndex)))].join(' ');
  const binding = `${name} = ${lib}.genAttrs ${lib}.systems.flakeExposed (system: ${callText});`;
  return {
    ok: true,
    name,
    perSystem: true,
    change: () => {
      const b = new SourceChangeBuilder();
      calls.forEach(({ node }, i) => b.replace(ctx.file, spanWithOwnParens(node!), `${name}.\${${keys[i]}}`));
      b.insert(ctx.file, place.offset, place.wrap(binding));
      return b.finish();
    },
  };
}

/**
 * `nixpkgs.lib` when the factory imports a flake input (`pkgsFor = system: import nixpkgs { ... }`)
 * whose name means that input where the set would be bound too (a formal of `outputs`).
 */
function factoryInputLib(ctx: AssistContext, root: Node, wrapper: string, at: Node): string | null {
  const site = ctx.model.instancesIn(ctx.file).find((i) => i.kind === 'import' && i.site.wrapper === wrapper && i.input !== null);
  // An input with `flake = false` is a source tree: it has no `.lib`.
  if (site && ctx.model.flakeOf(ctx.file)?.inputs.some((i) => i.name === site.input && i.notFlake)) return null;
  const head = site?.site.sourceText.split('.')[0];
  const node = site ? nodeWithSpan(root, site.site.span) : null;
  if (!site || !head || !node || !/^[A-Za-z_][\w'-]*(\.[A-Za-z_][\w'-]*)*$/.test(site.site.sourceText)) return null;
  const there = lexicalDefinition(node, head);
  const here = lexicalDefinition(at, head);
  return there && here && there.def.equals(here.def) ? `${site.site.sourceText}.lib` : null;
}

/** The variables named `name` in `node`'s subtree. */
function variablesNamed(node: Node, name: string): Node[] {
  const out: Node[] = [];
  walk(node, (n) => {
    if (n.type === K.Variable && variableName(n) === name) out.push(n);
    return true;
  });
  return out;
}

/** The calls `name x` of a function the file binds once, when the file mentions it nowhere else. */
function onlyCalls(root: Node, text: string, name: string): Node[] | null {
  const refs = variablesNamed(root, name);
  if (refs.length === 0 || (text.match(nameRegExp(name, 'g'))?.length ?? 0) !== refs.length + 1) return null;
  const calls: Node[] = [];
  for (const r of refs) {
    const call = parentOf(r);
    const parts = call ? applyParts(call) : null;
    if (!call || !parts || !parts.fn.equals(r) || parts.args.length !== 1) return null;
    calls.push(call);
  }
  return calls;
}

/** A name of `defs` that is bound somewhere else seen from one of `nodes`, if any. */
function meaningElsewhere(defs: Map<string, Definition | null>, nodes: Node[]): string | null {
  for (const node of nodes) {
    for (const [name, def] of defs) if ((lexicalDefinition(node, name)?.scope.startIndex ?? -1) !== (def?.scope.startIndex ?? -1)) return name;
  }
  return null;
}

/**
 * A factory whose every call is `c = F p;` in functions `W = p: let c = F p; ... in ...` that
 * are all called with the same argument in one scope (`(earlyFixes args) ++ (lateFixes args)`):
 * each `W` would build its own `F args`. The factory is called once in that scope and its result
 * passed in: `W = c: ...`, `c = F args;` beside the calls, `W c`. Null when the calls do not
 * have that shape (the reason about the factory's body stands).
 */
function planWrapperCallers(ctx: AssistContext, root: Node, text: string, factory: string): Plan | null {
  const uses = onlyCalls(root, text, factory);
  if (!uses) return null;
  let result: string | null = null;
  const wrappers: { fn: Node; param: string; entry: Node; let: Node; name: string }[] = [];
  for (const call of uses) {
    const fn = ancestors(call).find((n) => n.type === K.Function);
    const param = fn ? formals(fn) : null;
    if (!fn || !param?.universal || param.set || variableName(applyParts(call)!.args[0]!) !== param.universal) return null;
    // `W = p: let c = F p; ... in ...`, and `p` used nowhere else in `W`.
    const entry = parentOf(call);
    const body = fn.childForFieldName('body');
    if (entry?.type !== K.Binding || !body || body.type !== K.Let || !within(entry, body) || parentOf(parentOf(entry)!)?.equals(body) !== true) return null;
    const c = entry.childForFieldName('attrpath')?.text;
    if (!c || !IDENTIFIER.test(c) || (result !== null && c !== result)) return null;
    if (variablesNamed(fn, param.universal).length !== 1) return null;
    const binding = parentOf(fn);
    const name = binding?.type === K.Binding && binding.childForFieldName('expression')?.equals(fn) ? binding.childForFieldName('attrpath')?.text : undefined;
    if (!name || !IDENTIFIER.test(name)) return null;
    result = c;
    wrappers.push({ fn, param: param.universal, entry, let: body, name });
  }
  if (wrappers.length < 2 || new Set(wrappers.map((w) => w.name)).size !== wrappers.length) return null;
  // Every call of every wrapper passes the same argument, meaning the same there.
  const calls: Node[] = [];
  for (const w of wrappers) {
    const own = onlyCalls(root, text, w.name);
    if (!own) return null;
    calls.push(...own);
  }
  const args = calls.map((c) => applyParts(c)!.args[0]!);
  const argText = text.slice(args[0]!.startIndex, args[0]!.endIndex);
  const base = result!;
  if (args.some((a) => text.slice(a.startIndex, a.endIndex) !== argText)) {
    return { ok: false, name: base, why: `the functions that call ${factory} are called with different arguments` };
  }
  const defs = definitionsOf([args[0]!], calls[0]!);
  const differs = meaningElsewhere(defs, calls.slice(1));
  if (differs) return { ok: false, name: base, why: `${differs} means something else at another call of ${wrappers[0]!.name}` };
  const target = innermost(defs);
  if (target?.kind === 'rec') return { ok: false, name: base, why: 'its callers pass a name of the rec set around them' };
  const scope = scopeInFile(ctx.file, root, target?.scope ?? root, calls[0]!);
  if (!scope || calls.some((c) => !within(c, scope))) return null;
  if (withMaySupply(defs, calls, scope)) return { ok: false, name: base, why: 'a with around its callers may supply names they pass' };
  // The factory must be the same one where the result is created.
  const factoryDef = lexicalDefinition(uses[0]!, factory);
  const place = insertionPlace(scope, root, calls[0]!, text);
  if (!place || !factoryDef || lexicalDefinition(place.lookup, factory)?.def.equals(factoryDef.def) !== true) return null;
  // The wrappers' own `c` keeps its name when nothing else in the file says `c`.
  const elsewhere = variablesNamed(root, base).some((v) => !wrappers.some((w) => within(v, w.fn)));
  const name = elsewhere || lexicalDefinition(place.lookup, base) ? freshName(base, text) : base;
  return {
    ok: true,
    name,
    perSystem: false,
    change: () => {
      const b = new SourceChangeBuilder();
      for (const w of wrappers) {
        b.replace(ctx.file, { start: w.fn.childForFieldName('universal')!.startIndex, end: w.fn.childForFieldName('universal')!.endIndex }, base);
        const set = w.let.namedChildren.find((c) => c?.type === K.BindingSet);
        const others = set?.namedChildren.filter((c) => c && c.type !== K.Comment && !c.equals(w.entry)) ?? [];
        const body = w.let.childForFieldName('body');
        // The `let` held only `c = F p;`: it goes, with its comments; else only the binding.
        if (others.length === 0 && body) b.delete(ctx.file, { start: w.let.startIndex, end: body.startIndex });
        else b.delete(ctx.file, removalSpan(text, { start: w.entry.startIndex, end: w.entry.endIndex }));
      }
      for (const call of calls) {
        const arg = applyParts(call)!.args[0]!;
        b.replace(ctx.file, { start: arg.startIndex, end: arg.endIndex }, name);
      }
      b.insert(ctx.file, place.offset, place.wrap(`${name} = ${factory} ${parenthesise(args[0]!)};`));
      return b.finish();
    },
  };
}

/** The name the package set had at the site (`unstable`), or one made from its input. */
function baseName(inst: Instance | null, site: Node | null = null): string {
  if (!inst) return 'pkgs';
  const last = inst.site.name?.split('.').at(-1) ?? (site ? assertedBinding(site) : null);
  if (last && IDENTIFIER.test(last) && last !== 'pkgs') return last;
  if (inst.input && IDENTIFIER.test(inst.input) && inst.input !== 'nixpkgs') return inst.input.replace(/^nixpkgs-?/, 'pkgs-').replace(/-$/, '');
  return 'pkgs';
}

/** The binding `name = assert ...; <site>;` whose value is the site behind assertions, if any. */
function assertedBinding(site: Node): string | null {
  let n = outsideParens(site);
  for (let p = parentOf(n); p?.type === K.Assert && p.childForFieldName('body')?.equals(n); p = parentOf(n)) n = outsideParens(p);
  const binding = parentOf(n);
  return !n.equals(outsideParens(site)) && binding?.type === K.Binding && binding.childForFieldName('expression')?.equals(n) ? (binding.childForFieldName('attrpath')?.text ?? null) : null;
}

/** `unstable` → `unstableBySystem`, `pkgs-stable` → `pkgs-stable-by-system`, `pkgsFor` → `pkgsBySystem`. */
function bySystemName(base: string): string {
  if (base.includes('-')) return `${base.replace(/-for$/, '')}-by-system`;
  return `${base.replace(/(?<=.)For$/, '')}BySystem`;
}

/**
 * The `base = <site>;` entry of a plain (not `rec`) attribute set that holds the site, when
 * `base` appears nowhere else in the file: the entry can become `inherit base;`.
 */
function ownBinding(site: Node, base: string, text: string): Node | null {
  const binding = parentOf(outsideParens(site));
  if (!binding || binding.type !== K.Binding || !binding.childForFieldName('expression')?.equals(outsideParens(site))) return null;
  if (binding.childForFieldName('attrpath')?.text !== base) return null;
  const bindingSet = parentOf(binding);
  const set = bindingSet ? parentOf(bindingSet) : null;
  if (!set || set.type !== K.Attrset) return null;
  const mentions = text.match(nameRegExp(base, 'g'))?.length ?? 0;
  return mentions === 1 ? binding : null;
}

/** `base`, or `base2`, ... : a name the file does not mention anywhere (so nothing is captured). */
function freshName(base: string, text: string): string {
  const used = (n: string) => nameRegExp(n).test(text);
  let name = base;
  // `pkgs_x86_64` becomes `pkgs_x86_64_2`, not `pkgs_x86_642`.
  const sep = /\d$/.test(base) ? (base.includes('_') ? '_' : '-') : '';
  for (let i = 2; used(name); i++) name = `${base}${sep}${i}`;
  return name;
}

interface Place {
  offset: number;
  indent: string;
  /** A node inside the scope the binding joins (to look names up from). */
  lookup: Node;
  /** The text to insert around the binding. */
  wrap(binding: string): string;
}

/**
 * Where the new binding goes: into the `let` that is the target (before the entry that holds
 * the site, so it reads next to its use), into a `let` that is the target function's body, or
 * a new `let ... in` around that body (or around the file's expression).
 */
function insertionPlace(scope: Node, root: Node, site: Node, text: string): Place | null {
  const nl = eol(text);
  let letNode: Node | null = scope.type === K.Let ? scope : null;
  let body: Node | null = null;
  if (!letNode) {
    body = scope.type === K.Function ? scope.childForFieldName('body') : topNode(root);
    if (!body) return null;
    if (scope !== root && body.type === K.Let) letNode = body;
  }
  if (letNode) {
    const set = letNode.namedChildren.find((c) => c?.type === K.BindingSet);
    const entries = set?.namedChildren.filter((c): c is Node => !!c && c.type !== K.Comment) ?? [];
    if (!set || entries.length === 0) return null;
    const holder = entries.find((e) => within(site, e)) ?? null;
    const anchor = holder ?? entries[0]!;
    const indent = indentAt(text, anchor.startIndex);
    if (!startsLine(text, anchor.startIndex)) return null;
    let at = text.lastIndexOf('\n', anchor.startIndex - 1) + 1;
    if (holder) {
      // Above the comment lines that belong to the entry.
      for (;;) {
        const prevStart = text.lastIndexOf('\n', at - 2) + 1;
        if (at === 0 || prevStart <= letNode.startIndex || !text.slice(prevStart, at).trim().startsWith('#')) break;
        at = prevStart;
      }
      return { offset: at, indent, lookup: anchor, wrap: (b) => `${indent}${b}${nl}${nl}` };
    }
    // The site is in the body: after the last entry.
    const last = entries.at(-1)!;
    return { offset: last.endIndex, indent, lookup: anchor, wrap: (b) => `${nl}${nl}${indent}${b}` };
  }
  // A new `let ... in` before the body.
  const outer = indentAt(text, body!.startIndex);
  const indent = `${outer}  `;
  const ownLine = startsLine(text, body!.startIndex);
  return {
    offset: body!.startIndex,
    indent,
    lookup: body!,
    wrap: (b) => `let${nl}${indent}${b}${nl}${outer}in${ownLine ? `${nl}${outer}` : ' '}`,
  };
}

/**
 * The instantiation's text for its new place: the system entry becomes `inherit system;` (the
 * argument of the per-system function) and its lines are indented for the binding.
 */
function liftedText(text: string, site: Node, sys: SystemEntry | null, perSystem: boolean, indent: string): string {
  let body = text.slice(site.startIndex, site.endIndex);
  if (perSystem && sys && !(sys.entry.kind === 'inherit' && sys.entry.from === null)) {
    const s = sys.entry.node.startIndex - site.startIndex;
    const e = sys.entry.node.endIndex - site.startIndex;
    if (sys.rewrite !== 'localSystem = { inherit system; };' || sys.key !== 'system') body = `${body.slice(0, s)}${sys.rewrite ?? 'inherit system;'}${body.slice(e)}`;
  }
  return reindented(text, site.startIndex, body, indent);
}
