/**
 * Syntax shapes the index reads beside instances: module references in `modules`/`imports`
 * lists, overlay functions (`final: prev: { ... }`) and the attributes an overlay list replaces.
 */
import { K, applyParts, bindings, formals, selectParts, unparen, variableName, type Node } from '../../syntax/ast.js';
import { spanOf } from './args.js';
import type { ModuleRef } from './facts.js';
/** Functions that pass a module list on (their last argument) or a part of it. */
const LIST_PASSING = new Set(['optionals', 'optional', 'flatten', 'concatLists', 'mkIf', 'mkDefault', 'mkForce', 'mkBefore', 'mkAfter', 'mkOrder']);

/**
 * Module references in `modules = [ ... ]` / `imports = [ ... ]`, through `++` concatenations,
 * `lib.optionals cond [ ... ]`, `lib.flatten`, `lib.mkIf` and the like, and names bound in the
 * file (`modules = common ++ [ ./host.nix ];` with `common = [ ./a.nix ];` in a `let`), which
 * `resolve` looks up.
 */
export function moduleRefs(value: Node, resolve: (name: string) => Node | null = () => null): ModuleRef[] {
  const out: ModuleRef[] = [];
  const visit = (n: Node, depth: number): void => {
    if (depth > 50) return;
    const v = unparen(n);
    if (v.type === K.List) {
      for (const el of v.namedChildren) if (el) visit(el, depth + 1);
    } else if (v.type === K.Binary) {
      const l = v.childForFieldName('left');
      const r = v.childForFieldName('right');
      // `./machines + "/${name}"`: one path, a host folder per name.
      const joined = l && r && v.childForFieldName('operator')?.text === '+' ? joinedPath(l, r) : null;
      if (joined !== null) out.push({ path: joined, span: spanOf(v) });
      else {
        if (l) visit(l, depth + 1);
        if (r) visit(r, depth + 1);
      }
    } else if (v.type === K.Path) {
      out.push({ path: pathPattern(v), span: spanOf(v) });
    } else if (v.type === K.Apply) {
      // `import ./x.nix`, `(import ./x.nix { ... })` name the file too.
      const parts = applyParts(v);
      const callee = parts ? (variableName(parts.fn) ?? selectParts(parts.fn).path.at(-1)) : null;
      if (parts && callee === 'import' && parts.args[0]) visit(parts.args[0], depth + 1);
      else if (parts && callee && LIST_PASSING.has(callee) && parts.args.length) visit(parts.args.at(-1)!, depth + 1);
    } else if (v.type === K.Variable) {
      const name = variableName(v);
      const bound = name !== null ? resolve(name) : null;
      if (bound) visit(bound, depth + 5);
    }
  };
  visit(value, 0);
  return out;
}

/** `./machines + "/${name}"` as the pattern `./machines/${name}`; null for anything else. */
function joinedPath(left: Node, right: Node): string | null {
  const l = unparen(left);
  const r = unparen(right);
  if (l.type !== K.Path || r.type !== K.String) return null;
  const tail = pathPattern(r).replace(/^"|"$/g, '');
  return tail.startsWith('/') ? pathPattern(l) + tail : null;
}

/**
 * `./hosts/${name}/default.nix` keeps `${name}` (the workspace substitutes the
 * host names it knows); any other computed segment becomes `*`.
 */
export function pathPattern(path: Node): string {
  let out = '';
  for (const c of path.children) {
    if (!c) continue;
    if (c.type === K.Interpolation) {
      const e = c.childForFieldName('expression');
      const name = e ? variableName(e) : null;
      out += name ? '${' + name + '}' : '*';
    } else out += c.text;
  }
  return out;
}

/** `final: prev: { ... }`: both lambdas take one plain parameter, the inner returns a set. */
export function isOverlayShape(outer: Node, inner: Node): boolean {
  const a = formals(outer);
  const b = formals(inner);
  if (!a?.universal || a.set || !b?.universal || b.set) return false;
  return attrsetLike(inner.childForFieldName('body') ?? inner, 0);
}

/**
 * Whether an expression builds an attribute set as an overlay body does: `{ ... }`, through
 * `let`, `optionalAttrs cond { ... }`, `a // { ... }` and `if c then { ... } else { }`.
 */
export function attrsetLike(node: Node, depth: number): boolean {
  const n = unparen(node);
  if (depth > 8) return false;
  if (n.type === K.Attrset || n.type === K.RecAttrset) return true;
  if (n.type === K.Let) return attrsetLike(n.childForFieldName('body') ?? n, depth + 1);
  if (n.type === K.Binary) {
    const op = n.childForFieldName('operator')?.text;
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    return op === '//' && ((!!l && attrsetLike(l, depth + 1)) || (!!r && attrsetLike(r, depth + 1)));
  }
  if (n.type === K.If) {
    const c = n.childForFieldName('consequence');
    const a = n.childForFieldName('alternative');
    return (!!c && attrsetLike(c, depth + 1)) || (!!a && attrsetLike(a, depth + 1));
  }
  if (n.type === K.Apply) {
    const parts = applyParts(n);
    const callee = parts ? (variableName(parts.fn) ?? selectParts(parts.fn).path.at(-1)) : null;
    return !!parts && (callee === 'optionalAttrs' || callee === 'mkIf') && attrsetLike(parts.args.at(-1)!, depth + 1);
  }
  return false;
}

/** Attribute names an overlay list replaces: `final: prev: { openssl = ...; }` → `openssl`. */
export function overlayReplacements(value: Node, resolve: (name: string) => Node | null): string[] {
  const out: string[] = [];
  // `lib.mkAfter [ ... ]`, `mkBefore`, `mkForce`, `mkOrder 500 [ ... ]`: the list is the last argument.
  let list = unparen(value);
  for (let i = 0; i < 4 && list.type === K.Apply; i++) {
    const parts = applyParts(list);
    const callee = parts ? (variableName(parts.fn) ?? selectParts(parts.fn).path.at(-1)) : null;
    if (!parts || !callee || !/^mk(After|Before|Force|Default|Order|Override)$/.test(callee)) break;
    list = unparen(parts.args.at(-1)!);
  }
  const elements = list.type === K.List ? list.namedChildren : [list];
  for (const el of elements) {
    if (!el) continue;
    let body: Node = unparen(el);
    // An overlay bound to a name in scope (`let ssl = final: prev: { ... }; in [ ssl ]`).
    for (let i = 0; i < 4; i++) {
      const name = variableName(body);
      const target = name ? resolve(name) : null;
      if (!target) break;
      body = unparen(target);
    }
    while (body.type === K.Function) body = unparen(body.childForFieldName('body') ?? body);
    while (body.type === K.Let) body = unparen(body.childForFieldName('body') ?? body);
    if (body.type !== K.Attrset && body.type !== K.RecAttrset) continue;
    for (const e of bindings(body)) {
      if (e.kind === 'binding' && e.path[0]) out.push(e.path[0]);
      if (e.kind === 'inherit') out.push(...e.names.map((n) => n.name));
    }
  }
  return out;
}
