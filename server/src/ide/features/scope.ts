/**
 * Where a name is used and which identifier the cursor is on, for definition and references.
 * Which binder a name has is `../scope.ts`, the one resolver of the analysis core.
 */
import { K, MAX_NESTING, tooDeep, walk, type Node } from '../../syntax/ast.js';
import { spanOf } from '../index/args.js';
import type { Span } from '../text.js';
import { isPlainInherit, resolveName, type Binder } from '../scope.js';

export { namesInScope, resolveName, resolveThroughInherit, topExpression, type Binder } from '../scope.js';

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
