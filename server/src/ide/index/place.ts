/**
 * Where an instance site sits, as far as the cost of evaluating a flake needs it: the flake
 * output it is written under (`devShells`, `homeConfigurations.ada`), and for a site repeated per
 * system the systems its generator is given when they are written out
 * (`genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: ...)`). Read from the tree once while
 * extracting (`SiteFact.output`, `SiteFact.systems`); facts hold no nodes.
 */
import { ancestors, applyParts, bindings, isAttrset, K, parentOf, selectParts, staticString, unparen, variableName, type Node } from '../../syntax/ast.js';

/** flake-utils' `defaultSystems`, what `eachDefaultSystem` and `eachDefaultSystemMap` iterate over. */
const FLAKE_UTILS_DEFAULT = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

/**
 * The output attribute path (at most two names: `packages.x86_64-linux`, `devShells`) that the
 * site lies under in the attribute set `outputs` returns; null outside it (a `let` of `outputs`
 * shared by several outputs, or a file that is not a flake.nix).
 */
export function outputOf(node: Node, outputsFn: Node | null): string | null {
  if (!outputsFn) return null;
  let top = unparen(outputsFn.childForFieldName('body') ?? outputsFn);
  while (top.type === K.Let) top = unparen(top.childForFieldName('body') ?? top);
  if (!isAttrset(top)) return null;
  const up = ancestors(node); // nearest first
  const at = up.findIndex((n) => n.equals(top));
  if (at < 0) return null;
  const path: string[] = [];
  let set: Node = top;
  // Down from the outputs set: the binding holding the site, then the binding inside its value.
  for (let i = at - 1; i >= 0 && path.length < 2; i--) {
    const n = up[i]!;
    if (n.type !== K.Binding || !parentOf(n) || !parentOf(parentOf(n)!)?.equals(set)) continue;
    const attrpath = n.childForFieldName('attrpath');
    if (!attrpath) break;
    path.push(...attrpath.childrenForFieldName('attr').map((a) => (a ? (a.type === K.Identifier ? a.text : (staticString(a) ?? a.text)) : '?')));
    const value = n.childForFieldName('expression');
    if (!value || !isAttrset(unparen(value))) break;
    set = unparen(value);
  }
  return path.length ? path.slice(0, 2).join('.') : null;
}

/**
 * For a site inside the function a per-system generator calls: the systems written out for that
 * generator, or null when they are not (a `systems` input, `lib.systems.flakeExposed`).
 */
export function systemsOf(node: Node, perSystem: ReadonlySet<string>): string[] | null {
  const up = ancestors(node);
  for (let i = 0; i < up.length; i++) {
    const n = up[i]!;
    if (n.type !== K.Apply || !n.childForFieldName('argument')?.equals(up[i - 1] ?? node)) continue;
    // The whole call `f a b (system: ...)`.
    let call = n;
    for (let j = i + 1; j < up.length && up[j]!.type === K.Apply && up[j]!.childForFieldName('function')?.equals(call); j++) call = up[j]!;
    const parts = applyParts(call);
    if (!parts) continue;
    const found = generatorSystems(parts.fn, parts.args.slice(0, -1), call, perSystem);
    if (found !== undefined) return found;
  }
  return null;
}

/** `undefined`: not a per-system generator; null: one whose systems are not written out. */
function generatorSystems(fn: Node, args: Node[], at: Node, perSystem: ReadonlySet<string>, depth = 0): string[] | null | undefined {
  const name = calleeName(fn);
  if (name === 'eachDefaultSystem' || name === 'eachDefaultSystemMap') return FLAKE_UTILS_DEFAULT;
  // `forAllSystems = genAttrs [ ... ];` bound in a let around the call.
  const local = variableName(fn);
  const def = local && depth < 4 ? lookup(local, at) : null;
  const parts = def ? applyParts(unparen(def)) : null;
  if (parts) return generatorSystems(parts.fn, [...parts.args, ...args], def!, perSystem, depth + 1);
  if (name && perSystem.has(name)) return args[0] ? systemList(args[0], at) : null;
  return undefined;
}

function calleeName(fn: Node): string | null {
  const { base, path } = selectParts(fn);
  return path.length ? (path.at(-1) ?? null) : variableName(base);
}

/** A list of string literals, directly or through a name bound in a `let` around `at`. */
function systemList(arg: Node, at: Node, depth = 0): string[] | null {
  const n = unparen(arg);
  if (n.type === K.List) {
    const out: string[] = [];
    for (const e of n.namedChildren) {
      if (!e || e.type === K.Comment) continue;
      const s = staticString(e);
      if (s === null) return null;
      out.push(s);
    }
    return out;
  }
  const name = variableName(n);
  const def = name && depth < 4 ? lookup(name, at) : null;
  return def ? systemList(def, def, depth + 1) : null;
}

/** The value bound to `name` by the nearest `let` or `rec` set around `at`. */
function lookup(name: string, at: Node): Node | null {
  for (const n of ancestors(at)) {
    if (n.type !== K.Let && n.type !== K.RecAttrset) continue;
    for (const e of bindings(n)) {
      if (e.kind === 'binding' && e.path.length === 1 && e.path[0] === name) return e.value;
    }
  }
  return null;
}
