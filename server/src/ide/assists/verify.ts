/**
 * The last check before an assist is offered: every file its edit touches must
 * still parse. An edit that would leave a syntax error is offered disabled, with
 * the file and line, never applied.
 */
import { applyEdits, type SourceChange } from './edit.js';
import type { AssistContext } from './types.js';

/** Why the edit would break a file (`flake.nix:12: ...`), or null when every changed file parses. */
export function brokenEdit(ctx: AssistContext, change: SourceChange): string | null {
  for (const [file, edits] of change.files) {
    const before = ctx.text(file);
    if (before === undefined) return `${file} could not be read`;
    const after = applyEdits(before, edits);
    let tree;
    try {
      tree = ctx.parser.parse(after);
    } catch {
      return `${file} would be too large to check after the edit`;
    }
    try {
      if (!tree.rootNode.hasError) continue;
      // Breaking a file that was already broken is not this edit's doing; only new errors count.
      const old = ctx.withTree(file, (t) => t.rootNode.hasError);
      if (old) continue;
      const line = firstErrorLine(tree.rootNode);
      return `the edit would leave a syntax error in ${file.split('/').at(-1)}${line === null ? '' : ` at line ${line + 1}`}`;
    } finally {
      tree.delete();
    }
  }
  return null;
}

type TreeNode = { hasError: boolean; isError: boolean; isMissing: boolean; startPosition: { row: number }; children: (TreeNode | null)[] };

function firstErrorLine(node: TreeNode): number | null {
  if (node.isError || node.isMissing) return node.startPosition.row;
  for (const c of node.children) if (c && (c.hasError || c.isMissing)) return firstErrorLine(c);
  return null;
}
