/**
 * Typed helpers over the tree-sitter-nix tree. Analysis code asks these
 * questions ("what are the formals of this lambda?", "which bindings does this
 * attribute set have?") instead of walking grammar fields itself, so grammar
 * details and the recovery for its known gaps live here only.
 */
import type { Node } from 'web-tree-sitter';

export type { Node } from 'web-tree-sitter';

export const enum K {
  Apply = 'apply_expression',
  Assert = 'assert_expression',
  Attrpath = 'attrpath',
  Attrset = 'attrset_expression',
  Binary = 'binary_expression',
  Binding = 'binding',
  BindingSet = 'binding_set',
  Comment = 'comment',
  Formal = 'formal',
  Formals = 'formals',
  Function = 'function_expression',
  HasAttr = 'has_attr_expression',
  Identifier = 'identifier',
  If = 'if_expression',
  IndentedString = 'indented_string_expression',
  Inherit = 'inherit',
  InheritFrom = 'inherit_from',
  InheritedAttrs = 'inherited_attrs',
  Interpolation = 'interpolation',
  Let = 'let_expression',
  LetAttrset = 'let_attrset_expression',
  List = 'list_expression',
  Paren = 'parenthesized_expression',
  Path = 'path_expression',
  HPath = 'hpath_expression',
  RecAttrset = 'rec_attrset_expression',
  Select = 'select_expression',
  SourceCode = 'source_code',
  SPath = 'spath_expression',
  String = 'string_expression',
  StringFragment = 'string_fragment',
  Unary = 'unary_expression',
  Variable = 'variable_expression',
  With = 'with_expression',
}

/** Strips any number of parentheses: `((x))` is `x`. */
export function unparen(node: Node): Node {
  let n = node;
  while (n.type === K.Paren) {
    const inner = n.childForFieldName('expression');
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The name of a `variable_expression`, or null. */
export function variableName(node: Node): string | null {
  const n = unparen(node);
  if (n.type !== K.Variable) return null;
  const name = n.childForFieldName('name');
  return name && !name.isMissing ? name.text : null;
}

/** `f a b` as the function `f` and its arguments `[a, b]`. */
export function applyParts(node: Node): { fn: Node; args: Node[] } | null {
  if (node.type !== K.Apply) return null;
  const args: Node[] = [];
  let n: Node = node;
  while (n.type === K.Apply) {
    const arg = n.childForFieldName('argument');
    const fn = n.childForFieldName('function');
    if (!arg || !fn) return null;
    args.push(arg);
    n = fn;
  }
  args.reverse();
  return { fn: n, args };
}

/**
 * The static text of an attribute name (`a`, `"a"`, `${"a"}`), or null when it is
 * computed.
 */
export function attrName(attr: Node): string | null {
  switch (attr.type) {
    case K.Identifier:
      return attr.isMissing ? null : attr.text;
    case K.String:
      return staticString(attr);
    case K.Interpolation: {
      const e = attr.childForFieldName('expression');
      return e ? staticString(e) : null;
    }
    default:
      return null;
  }
}

/** The attribute names of an `attrpath`; null entries are computed names. */
export function attrpathNames(attrpath: Node): (string | null)[] {
  return attrpath.childrenForFieldName('attr').map((a) => (a ? attrName(a) : null));
}

/**
 * `e.a.b` as its base `e` and the path `["a", "b"]`; a computed component makes
 * the path null. Non-select nodes are their own base with an empty path.
 */
export function selectParts(node: Node): { base: Node; path: (string | null)[]; hasDefault: boolean } {
  const n = unparen(node);
  if (n.type !== K.Select) return { base: n, path: [], hasDefault: false };
  const base = n.childForFieldName('expression');
  const attrpath = n.childForFieldName('attrpath');
  if (!base || !attrpath) return { base: n, path: [], hasDefault: false };
  const inner = selectParts(base);
  return {
    base: inner.base,
    path: [...inner.path, ...attrpathNames(attrpath)],
    hasDefault: n.childForFieldName('default') !== null,
  };
}

/**
 * The value of a string without interpolations, with escapes resolved; null
 * for anything else. Indented strings are handled too (their common
 * indentation is not stripped: callers compare short single-line values).
 */
export function staticString(node: Node): string | null {
  const n = unparen(node);
  if (n.type !== K.String && n.type !== K.IndentedString) return null;
  let out = '';
  for (const child of n.namedChildren) {
    if (!child) continue;
    switch (child.type) {
      case K.StringFragment:
        out += child.text;
        break;
      case 'escape_sequence':
        out += unescape(child.text, n.type === K.IndentedString);
        break;
      case 'dollar_escape':
        out += '$';
        break;
      default:
        return null;
    }
  }
  return out;
}

function unescape(seq: string, indented: boolean): string {
  const c = indented ? seq.slice(3) : seq.slice(1);
  if (indented && seq === "'''") return "''";
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    default:
      return c;
  }
}

/** One `name = value;` entry of a binding set, path split into names. */
export interface BindingEntry {
  kind: 'binding';
  node: Node;
  attrpath: Node;
  path: (string | null)[];
  value: Node;
}

/** One `inherit a b;` or `inherit (from) a b;` entry. */
export interface InheritEntry {
  kind: 'inherit';
  node: Node;
  from: Node | null;
  names: { name: string; node: Node }[];
}

export type BindingSetEntry = BindingEntry | InheritEntry;

/** The `binding_set` child of an attrset, rec attrset or let. */
export function bindingSet(node: Node): Node | null {
  for (const c of node.namedChildren) if (c && c.type === K.BindingSet) return c;
  return null;
}

/**
 * The entries of an attrset, `rec` attrset or `let` expression. Entries the
 * parser could not read (missing names, errors) are left out, so a half-typed
 * binding never hides the others.
 */
export function bindings(node: Node): BindingSetEntry[] {
  const set = bindingSet(node);
  if (!set) return [];
  const out: BindingSetEntry[] = [];
  for (const b of set.namedChildren) {
    if (!b) continue;
    if (b.type === K.Binding) {
      const attrpath = b.childForFieldName('attrpath');
      const value = b.childForFieldName('expression');
      if (!attrpath || !value || value.isMissing) continue;
      out.push({ kind: 'binding', node: b, attrpath, path: attrpathNames(attrpath), value });
    } else if (b.type === K.Inherit || b.type === K.InheritFrom) {
      const attrs = b.childForFieldName('attrs');
      const names: { name: string; node: Node }[] = [];
      for (const a of attrs?.childrenForFieldName('attr') ?? []) {
        if (!a) continue;
        const name = attrName(a);
        if (name !== null) names.push({ name, node: a });
      }
      out.push({
        kind: 'inherit',
        node: b,
        from: b.type === K.InheritFrom ? b.childForFieldName('expression') : null,
        names,
      });
    }
  }
  return out;
}

export function isAttrset(node: Node): boolean {
  return node.type === K.Attrset || node.type === K.RecAttrset;
}

/** A lambda's parameters: a plain `x:`, a formals set `{ a, b ? 1, ... }@args:`, or both. */
export interface Formals {
  /** `x` in `x: ...` or `args` in `{ ... }@args:`. */
  universal: string | null;
  /** The formals set, or null for a plain `x:` lambda. */
  set: {
    node: Node;
    names: { name: string; node: Node; hasDefault: boolean }[];
    ellipsis: boolean;
  } | null;
}

/**
 * The parameters of a `function_expression`. Recovers from the tree-sitter-nix
 * 0.0.2 gap with nixfmt's trailing comma (`{ a, b, }:`), which the grammar reads
 * as a formal with a MISSING name or an ERROR node: those are dropped, so the
 * result is exactly the formals written.
 */
export function formals(fn: Node): Formals | null {
  if (fn.type !== K.Function) return null;
  const universal = fn.childForFieldName('universal');
  const set = fn.childForFieldName('formals');
  return {
    universal: universal && !universal.isMissing ? universal.text : null,
    set: set
      ? {
          node: set,
          names: set
            .childrenForFieldName('formal')
            .flatMap((f) => {
              const name = f?.childForFieldName('name');
              if (!f || !name || name.isMissing || name.text === '') return [];
              return [{ name: name.text, node: name, hasDefault: f.childForFieldName('default') !== null }];
            }),
          ellipsis: set.childForFieldName('ellipses') !== null,
        }
      : null,
  };
}

/**
 * The nodes from the root down to `node`'s parent, outermost first (empty for
 * the root), or null when `node` lies more than `limit` levels down.
 *
 * In tree-sitter `node.parent` searches down from the root, so it costs time
 * proportional to the node's depth, and a loop over `.parent` is quadratic: at
 * 20,000 nested parentheses one walk up took minutes. This descends once.
 *
 * Zero-width nodes (the MISSING identifier of `x = ;`) take a second road:
 * tree-sitter's own search recurses in C for them, and in a deeply nested
 * broken file that recursion overflowed the WebAssembly stack and corrupted
 * the parser's memory (found by the fuzzer). For them a tree cursor searches
 * the nodes that touch the offset, in JavaScript and without recursion.
 */
function pathFromRoot(node: Node, limit = Infinity): Node[] | null {
  const root = node.tree.rootNode;
  if (node.startIndex === node.endIndex) return zeroWidthPath(root, node, limit);
  const path: Node[] = [];
  let n: Node | null = root;
  while (n && n.id !== node.id) {
    if (path.length >= limit) return null;
    path.push(n);
    n = n.childWithDescendant(node);
  }
  return path;
}

function zeroWidthPath(root: Node, node: Node, limit: number): Node[] | null {
  const at = node.startIndex;
  const cursor = root.walk();
  const path: Node[] = [];
  try {
    for (;;) {
      if (cursor.nodeId === node.id) return path;
      // Only a node that touches the offset can hold the zero-width node.
      if (cursor.startIndex <= at && at <= cursor.endIndex) {
        const here = cursor.currentNode;
        if (cursor.gotoFirstChild()) {
          if (path.length >= limit) return null;
          path.push(here);
          continue;
        }
      }
      // The next sibling that can still touch the offset, or up.
      for (;;) {
        if (cursor.gotoNextSibling() && cursor.startIndex <= at) break;
        if (!cursor.gotoParent()) return [];
        path.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The ancestors of `node`, innermost first, ending with the root (empty for the root). */
export function ancestors(node: Node): Node[] {
  return (pathFromRoot(node) ?? []).reverse();
}

/**
 * The parent of `node`. Use this instead of `node.parent`, which for a
 * zero-width node in deeply nested broken text can corrupt the parser's
 * memory (see {@link pathFromRoot}).
 */
export function parentOf(node: Node): Node | null {
  if (node.startIndex !== node.endIndex) return node.parent;
  return zeroWidthPath(node.tree.rootNode, node, Infinity)?.at(-1) ?? null;
}

/** `node` with the parentheses around it (`((x))` for the `x`): the node its parent holds. */
export function outsideParens(node: Node): Node {
  let n = node;
  for (let p = parentOf(n); p?.type === K.Paren; p = parentOf(n)) n = p;
  return n;
}

/** Whether `node` is the part `field` of a parent of kind `type` (the function of a call, say). */
export function isFieldOf(node: Node, type: string, field: string): boolean {
  const p = parentOf(node);
  return p?.type === type && p.childForFieldName(field)?.equals(node) === true;
}

/**
 * Deeper than this (nodes from the root), analysis does not look: extraction
 * stops descending and marks the file partial, and editor features answer
 * nothing at such a place. Real files stay below 100.
 */
export const MAX_NESTING = 1000;

/**
 * Whether the smallest node at `offset` (or just before it) lies more than
 * {@link MAX_NESTING} nodes below the root. Descends at most that far, so the
 * answer costs little however deep the tree is.
 */
export function tooDeep(root: Node, offset: number): boolean {
  for (const at of offset > 0 ? [offset, offset - 1] : [offset]) {
    const target = root.descendantForIndex(at, at);
    if (target && pathFromRoot(target, MAX_NESTING) === null) return true;
  }
  return false;
}

/** Whether `node` lies inside a string, indented string or comment (never code). */
export function inStringOrComment(node: Node): boolean {
  for (const n of [node, ...ancestors(node)]) {
    if (n.type === K.String || n.type === K.IndentedString || n.type === K.Comment) {
      // An interpolation inside a string is code again.
      return true;
    }
    if (n.type === K.Interpolation) return false;
  }
  return false;
}

/**
 * Visits every named node in document order. `visit` returns false to skip a
 * node's children; nodes deeper than `maxDepth` below `root` are not visited.
 * Uses a cursor: walking node objects one by one is several times slower in
 * web-tree-sitter.
 */
export function walk(root: Node, visit: (node: Node) => boolean | void, maxDepth = Infinity): void {
  const cursor = root.walk();
  try {
    let descend = true;
    let depth = 0;
    for (;;) {
      if (descend) {
        const node = cursor.currentNode;
        descend = node.isNamed ? visit(node) !== false : true;
        if (descend && depth < maxDepth && cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      let up = false;
      while (cursor.gotoParent()) {
        depth--;
        if (cursor.gotoNextSibling()) {
          up = true;
          break;
        }
      }
      if (!up) return;
      descend = true;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The first syntax error in the tree (an ERROR node or a MISSING token), as
 * offsets, or null. The grammar's gaps that Nix accepts and that `formals` and
 * `bindings` recover exactly are not errors: nixfmt's trailing comma in
 * formals (`{ a, b, }:`, a formal with a MISSING name or an ERROR holding the
 * `,`) and an empty `inherit;` (a MISSING name in zero-width attributes).
 * Looks only into nodes that hold an error, without recursion (any depth).
 */
export function firstSyntaxError(root: Node): { start: number; end: number } | null {
  if (!root.hasError) return null;
  // Depth first, in document order: children pushed in reverse. An ERROR that holds errors
  // (the parser gave up on a whole outer set because of one inside it) is answered by the
  // first of those; `fallback` entries, popped once its children are done, answer with it.
  const stack: { node: Node; parent: Node | null; fallback?: true }[] = [{ node: root, parent: null }];
  while (stack.length > 0) {
    const { node, parent, fallback } = stack.pop()!;
    if (fallback) return { start: node.startIndex, end: node.endIndex };
    if (node.isMissing) {
      if (!recoveredGap(node, parent)) return { start: node.startIndex, end: node.endIndex };
      continue;
    }
    const children = node.children.filter((c): c is Node => c !== null && (c.hasError || c.isMissing || c.type === 'ERROR'));
    if (node.type === 'ERROR' && !recoveredGap(node, parent)) {
      if (children.length === 0) return { start: node.startIndex, end: node.endIndex };
      stack.push({ node, parent, fallback: true });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, parent: node });
  }
  return null;
}

/** Whether an error node is one of the gaps Nix accepts and the helpers here read exactly. */
function recoveredGap(node: Node, parent: Node | null): boolean {
  if (!parent) return false;
  // `{ a, }:` read as an ERROR holding the last `,`, right before the closing brace.
  if (node.type === 'ERROR') return parent.type === K.Formals && node.childCount === 1 && node.child(0)?.type === ',' && node.nextSibling?.type === '}';
  // `{ a, b, }:` read as a last formal whose name is missing, right before the closing brace.
  if (parent.type === K.Formal && node.type === K.Identifier) return parent.childCount === 1 && parent.nextSibling?.type === '}';
  // `inherit;` and `inherit (x);`: nothing inherited.
  return parent.type === K.InheritedAttrs && parent.startIndex === parent.endIndex;
}
