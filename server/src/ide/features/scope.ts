/**
 * Lexical scope over the syntax tree: which lambda, `let` or `rec` set binds
 * a name at a place, and where a name is used. Just enough for module
 * arguments, flake inputs and instance bindings; `with` is not followed
 * (it hides nothing these features look for: a name bound by a lambda or a
 * `let` always wins over `with`).
 */
import { ancestors, bindings, formals, K, MAX_NESTING, parentOf, tooDeep, unparen, walk, type Node } from '../../syntax/ast.js';
import { spanOf } from '../index/args.js';
import type { Span } from '../text.js';

/** Where a name is bound. */
export interface Binder {
  kind: 'formal' | 'universal' | 'let' | 'rec';
  /** The lambda, `let` or `rec` set that binds it. */
  scope: Node;
  /** The identifier that introduces the name (the formal, the binding's first attribute). */
  def: Node;
}

/** The file's top expression, parentheses removed. */
export function topExpression(root: Node): Node | null {
  const top = root.childForFieldName('expression') ?? root.namedChildren.find((c) => c && c.type !== K.Comment) ?? null;
  return top ? unparen(top) : null;
}

/** The names a `let` or `rec` set binds, with the identifier that introduces each. */
function scopedNames(node: Node): Map<string, { def: Node; inherit: Node | null }> {
  const out = new Map<string, { def: Node; inherit: Node | null }>();
  for (const e of bindings(node)) {
    if (e.kind === 'binding') {
      const name = e.path[0];
      const first = e.attrpath.childrenForFieldName('attr')[0];
      if (name && first && !out.has(name)) out.set(name, { def: first, inherit: null });
    } else {
      for (const n of e.names) if (!out.has(n.name)) out.set(n.name, { def: n.node, inherit: e.node });
    }
  }
  return out;
}

function isInside(node: Node, outer: Node): boolean {
  return node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
}

/**
 * The binder of `name` as seen from `from` (a node at the place of use).
 * `inherit x;` inside a `let` refers to the `x` outside it, so a use inside
 * such an entry skips that level.
 */
export function resolveName(from: Node, name: string): Binder | null {
  for (const n of ancestors(from)) {
    if (n.type === K.Function) {
      const f = formals(n);
      if (!f) continue;
      // A formal's own name is a definition, seen from the lambda.
      const formal = f.set?.names.find((x) => x.name === name);
      if (formal) return { kind: 'formal', scope: n, def: formal.node };
      if (f.universal === name) {
        const u = n.childForFieldName('universal');
        if (u) return { kind: 'universal', scope: n, def: u };
      }
      continue;
    }
    if (n.type === K.Let || n.type === K.RecAttrset) {
      const entry = scopedNames(n).get(name);
      if (!entry) continue;
      // `let inherit x; in` (no `from`): the x inside the entry is the outer one.
      if (entry.inherit && entry.inherit.type === K.Inherit && isInside(from, entry.inherit)) continue;
      // A plain attrset's keys are not in scope; a rec set's are, everywhere inside it.
      return { kind: n.type === K.Let ? 'let' : 'rec', scope: n, def: entry.def };
    }
  }
  return null;
}

/** Whether a binder is `inherit name;` (without `from`) in a `let` or `rec` set. */
function isPlainInherit(b: Binder): boolean {
  const up = parentOf(b.def);
  return up?.type === K.InheritedAttrs && parentOf(up)?.type === K.Inherit;
}

/**
 * The binder of `name`, looking through `let inherit name;` entries, which
 * bind the same value as the name outside them.
 */
export function resolveThroughInherit(from: Node, name: string): Binder | null {
  let b = resolveName(from, name);
  for (let depth = 0; b && isPlainInherit(b) && depth < 20; depth++) b = resolveName(b.def, name);
  return b;
}

/** Every name visible at `offset` (formals, universal parameters, `let` and `rec` names). */
export function namesInScope(root: Node, offset: number): Set<string> {
  const names = new Set<string>();
  const at = root.descendantForIndex(offset, offset);
  for (const n of at ? [at, ...ancestors(at)] : []) {
    if (n.type === K.Function) {
      const f = formals(n);
      // Names of a lambda are visible in its body (and formals' defaults), which follow the head.
      for (const x of f?.set?.names ?? []) names.add(x.name);
      if (f?.universal) names.add(f.universal);
    } else if (n.type === K.Let || n.type === K.RecAttrset) {
      for (const name of scopedNames(n).keys()) names.add(name);
    }
  }
  return names;
}

/** A use of a name: a variable, or a name in `inherit x;` (without `from`). */
export interface NameUse {
  node: Node;
  span: Span;
}

/**
 * Every use of `name` in the tree whose binder is `target` (compared by the
 * defining identifier). A `let inherit name;` passes the same value on, so
 * uses of the name it binds count too.
 */
export function usesOf(root: Node, name: string, target: Node): NameUse[] {
  const out: NameUse[] = [];
  const reaches = (b: Binder | null, depth = 0): boolean => {
    if (!b || depth > 20) return false;
    if (b.def.equals(target)) return true;
    return isPlainInherit(b) ? reaches(resolveName(b.def, name), depth + 1) : false;
  };
  walk(root, (n) => {
    if (n.type === K.Comment) return false;
    if (n.type === K.Variable) {
      const id = n.childForFieldName('name');
      if (id && id.text === name) {
        if (reaches(resolveName(n, name))) out.push({ node: id, span: spanOf(id) });
      }
      return false;
    }
    if (n.type === K.Inherit) {
      const attrs = n.childForFieldName('attrs');
      for (const a of attrs?.childrenForFieldName('attr') ?? []) {
        if (!a || a.text !== name) continue;
        if (reaches(resolveName(a, name))) out.push({ node: a, span: spanOf(a) });
      }
      return false;
    }
    return true;
  }, MAX_NESTING);
  return out;
}

/**
 * The identifier (or attribute name) covering `offset`, if any. None deeper
 * than {@link MAX_NESTING}: what features do with it walks up the tree.
 */
export function identifierAt(root: Node, offset: number): Node | null {
  if (tooDeep(root, offset)) return null;
  const candidates = [root.descendantForIndex(offset, offset)];
  if (offset > 0) candidates.push(root.descendantForIndex(offset - 1, offset - 1));
  for (const n of candidates) {
    if (n && n.type === K.Identifier && !n.isMissing) return n;
  }
  return null;
}
