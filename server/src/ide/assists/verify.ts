/**
 * The last check before an assist is offered: every file its edit touches must
 * still parse. An edit that would leave a syntax error is offered disabled, with
 * the file and line, never applied.
 */
import { firstSyntaxError } from '../../syntax/ast.js';
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
      // The grammar's gaps that Nix accepts (nixfmt's trailing commas in formals) are not errors.
      const error = firstSyntaxError(tree.rootNode);
      if (error === null) continue;
      // Breaking a file that was already broken is not this edit's doing; only new errors count.
      const old = ctx.withTree(file, (t) => firstSyntaxError(t.rootNode) !== null);
      if (old) continue;
      const line = after.slice(0, error.start).split('\n').length;
      return `the edit would leave a syntax error in ${file.split('/').at(-1)} at line ${line}`;
    } finally {
      tree.delete();
    }
  }
  return null;
}
