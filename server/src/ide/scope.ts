/**
 * Nix's lexical scope over the syntax tree, in one place: which lambda (formals, an `@`
 * pattern, a plain parameter), `let` or `rec` set binds a name at a place, the names a place
 * sees, the names an expression takes from outside, and the `with`s around it. Features
 * (definition, references, completion, module arguments) and assists (hoisting, sharing,
 * reusing) ask this module, so they agree on every binding.
 *
 * Nix rules it keeps: a formal's default sees every formal of its lambda; a `let` and a `rec`
 * set see their own names everywhere inside them, except that `inherit x;` (without `from`)
 * reads the `x` outside the set it stands in; a plain attribute set binds nothing; `with`
 * never hides a lexical binding (names it supplies are free here, see `enclosingWiths`).
 *
 * The index (`index/extract.ts`) keeps a scope stack of its own while it walks a file once with
 * a cursor (resolving from the root for every node would be quadratic there); it binds by the
 * same rules.
 */
import { ancestors, bindings, formals, K, parentOf, unparen, variableName, walk, type Node } from '../syntax/ast.js';

/** Where a name is bound. */
export interface Binder {
  kind: 'formal' | 'universal' | 'let' | 'rec';
  /** The lambda, `let` or `rec` set that binds it. */
  scope: Node;
  /** The identifier that introduces the name (the formal, the `@` name or parameter, the binding's first attribute). */
  def: Node;
  /** The `formal`, or the `binding`/`inherit` entry of a `let`/`rec` set; null for a lambda's plain or `@` parameter. */
  entry: Node | null;
}

/** Names Nix provides everywhere without `builtins.` (a `let` or a formal can still shadow them). */
export const NIX_GLOBALS: ReadonlySet<string> = new Set([
  'abort', 'baseNameOf', 'builtins', 'derivation', 'dirOf', 'false', 'fetchGit', 'fetchTarball', 'fetchTree', 'fetchurl',
  'fromTOML', 'import', 'isNull', 'map', 'null', 'placeholder', 'removeAttrs', 'scopedImport', 'throw', 'toString', 'true',
  '__curPos',
]);

/** The file's top expression as written (comments before it skipped), or null for an empty file. */
export function topNode(root: Node): Node | null {
  return root.childForFieldName('expression') ?? root.namedChildren.find((c) => c && c.type !== K.Comment) ?? null;
}

/** The file's top expression, parentheses removed. */
export function topExpression(root: Node): Node | null {
  const top = topNode(root);
  return top ? unparen(top) : null;
}

interface SetEntry {
  /** The identifier that introduces the name. */
  def: Node;
  /** The `binding` or `inherit` entry. */
  entry: Node;
  /** Set for `inherit x;` without `from`. */
  plainInherit: boolean;
}

/** The entries of `let` and `rec` sets by the names they bind, per tree and node id. */
const setCache = new WeakMap<object, Map<number, Map<string, SetEntry>>>();

/**
 * The names a `let` or `rec` set binds (the first entry of each, as Nix reports the others as
 * duplicates). Cached: the free names of an expression look up every variable in every set
 * around it, and a set may have hundreds of entries.
 */
function setNames(set: Node): Map<string, SetEntry> {
  let perTree = setCache.get(set.tree);
  if (!perTree) setCache.set(set.tree, (perTree = new Map()));
  let names = perTree.get(set.id);
  if (!names) {
    names = new Map();
    for (const e of bindings(set)) {
      if (e.kind === 'binding') {
        const name = e.path[0];
        const first = e.attrpath.childrenForFieldName('attr')[0];
        if (typeof name === 'string' && first && !names.has(name)) names.set(name, { def: first, entry: e.node, plainInherit: false });
      } else {
        for (const n of e.names) if (!names.has(n.name)) names.set(n.name, { def: n.node, entry: e.node, plainInherit: e.from === null });
      }
    }
    perTree.set(set.id, names);
  }
  return names;
}

const inside = (node: Node, outer: Node) => node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;

/**
 * The binder of `name` as seen from `from` (a node at the place of use), or null when the name
 * is free there (a global, something a `with` supplies, or unbound).
 */
export function resolveName(from: Node, name: string): Binder | null {
  for (const n of ancestors(from)) {
    if (n.type === K.Function) {
      const f = formals(n);
      if (!f) continue;
      const formal = f.set?.names.find((x) => x.name === name);
      if (formal) return { kind: 'formal', scope: n, def: formal.node, entry: parentOf(formal.node) };
      if (f.universal === name) {
        const u = n.childForFieldName('universal');
        if (u) return { kind: 'universal', scope: n, def: u, entry: null };
      }
    } else if (n.type === K.Let || n.type === K.RecAttrset) {
      const e = setNames(n).get(name);
      if (!e) continue;
      // `let inherit x; in`: the x the entry reads is the one outside the set.
      if (e.plainInherit && inside(from, e.entry)) continue;
      return { kind: n.type === K.Let ? 'let' : 'rec', scope: n, def: e.def, entry: e.entry };
    }
  }
  return null;
}

/** Whether a binder is `inherit name;` (without `from`) in a `let` or `rec` set. */
export function isPlainInherit(b: Binder): boolean {
  return (b.kind === 'let' || b.kind === 'rec') && b.entry?.type === K.Inherit;
}

/** The binder of `name`, looking through `let inherit name;` entries, which bind the value outside them. */
export function resolveThroughInherit(from: Node, name: string): Binder | null {
  let b = resolveName(from, name);
  for (let depth = 0; b && isPlainInherit(b) && depth < 20; depth++) b = resolveName(b.def, name);
  return b;
}

/** Every name visible at `offset` (formals, parameters, `let` and `rec` names). */
export function namesInScope(root: Node, offset: number): Set<string> {
  const names = new Set<string>();
  const at = root.descendantForIndex(offset, offset);
  for (const n of at ? [at, ...ancestors(at)] : []) {
    if (n.type === K.Function) {
      const f = formals(n);
      for (const x of f?.set?.names ?? []) names.add(x.name);
      if (f?.universal) names.add(f.universal);
    } else if (n.type === K.Let || n.type === K.RecAttrset) {
      for (const name of setNames(n).keys()) names.add(name);
    }
  }
  return names;
}

/** The `with` expressions whose body holds `node`, innermost first (they supply free names). */
export function enclosingWiths(node: Node): Node[] {
  const out: Node[] = [];
  let c = node;
  for (const n of ancestors(node)) {
    if (n.type === K.With && n.childForFieldName('body')?.equals(c)) out.push(n);
    c = n;
  }
  return out;
}

/**
 * The names `node` takes from outside itself: variables and `inherit x;` names whose binder is
 * not inside `node` (an overlay's own `final` and `prev` are not).
 */
export function freeNames(node: Node): Set<string> {
  const out = new Set<string>();
  const bindsInside = (b: Binder | null) => b !== null && inside(b.scope, node);
  walk(node, (n) => {
    if (n.type === K.Variable) {
      const name = variableName(n);
      if (name !== null && !bindsInside(resolveName(n, name))) out.add(name);
    } else if (n.type === K.Inherit) {
      for (const a of n.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) {
        if (!a || a.type !== K.Identifier || a.isMissing) continue;
        // Seen from the attribute itself: `inherit x;` in a `let` reads the x outside that `let`.
        if (!bindsInside(resolveName(a, a.text))) out.add(a.text);
      }
    }
  });
  return out;
}
