/**
 * `remove-system-arg` (quick fix on `system-and-local-system`, preferred):
 * nixpkgs asserts that `system` and `localSystem` are not both given, so one
 * has to go. `localSystem` is the modern name and can carry a whole platform,
 * so `system` is the one removed: its binding, or its name from an `inherit`
 * (the whole `inherit` when it was the only name), with its line when it
 * stands alone on one.
 *
 * ```nix
 * # before
 * pkgs = import nixpkgs {
 *   inherit system;
 *   localSystem = "x86_64-linux";
 * };
 * # after
 * pkgs = import nixpkgs {
 *   localSystem = "x86_64-linux";
 * };
 * ```
 */
import { K, parentOf, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../text.js';
import { SourceChangeBuilder } from './edit.js';
import { nodeWithSpan, removalSpan } from './syntax.js';
import type { Assist, AssistHandler } from './types.js';
import { systemAndLocalSystem } from '../diagnostics/system-and-local-system.js';

export const removeSystemArg: AssistHandler = {
  id: 'remove-system-arg',
  assists(ctx) {
    const out: Assist[] = [];
    const lines = ctx.model.files.get(ctx.file)?.lines;
    const text = ctx.text(ctx.file);
    if (!lines || text === undefined) return out;
    for (const d of ctx.diagnostics) {
      if (d.code !== systemAndLocalSystem.code) continue;
      const keySpan = lines.span(d.range);
      // The finding points at the `system` key of an instance's own arguments.
      const inst = ctx.model.instancesIn(ctx.file).find((i) => {
        const s = i.site.args?.attrs?.get('system')?.keySpan;
        return s !== undefined && s.start === keySpan.start && s.end === keySpan.end;
      });
      if (!inst) continue;
      const span = ctx.withTree(ctx.file, (tree) => removal(tree.rootNode, text, keySpan));
      if (!span) continue;
      out.push(assist(ctx.file, d, span));
    }
    return out;
  },
};

function assist(file: string, d: Diagnostic, span: Span): Assist {
  return {
    id: 'remove-system-arg',
    title: 'Remove system (keep localSystem)',
    kind: 'quickfix',
    fixes: [d],
    preferred: true,
    edit: () => new SourceChangeBuilder().delete(file, span).finish(),
  };
}

/** What to delete for the `system` key at `keySpan`, or null when it is not a plain entry. */
function removal(root: Node, text: string, keySpan: Span): Span | null {
  const key = nodeWithSpan(root, keySpan, [K.Identifier, K.String]);
  if (!key) return null;
  const parent = parentOf(key);
  // `system = ...;` (a one-name attrpath whose binding sits in the argument set).
  if (parent?.type === K.Attrpath) {
    const binding = parentOf(parent);
    if (binding?.type !== K.Binding || parent.childrenForFieldName('attr').length !== 1) return null;
    return removalSpan(text, { start: binding.startIndex, end: binding.endIndex });
  }
  // `inherit system;`, `inherit (args) system localSystem;`
  if (parent?.type === K.InheritedAttrs) {
    const entry = parentOf(parent);
    if (!entry || (entry.type !== K.Inherit && entry.type !== K.InheritFrom)) return null;
    const names = parent.childrenForFieldName('attr').filter((a): a is Node => a !== null);
    if (names.length === 1) return removalSpan(text, { start: entry.startIndex, end: entry.endIndex });
    // Only the name: with the space before it when it is last, after it otherwise.
    const i = names.findIndex((a) => a.equals(key));
    if (i === -1) return null;
    const span = i === names.length - 1 ? { start: names[i - 1]!.endIndex, end: key.endIndex } : { start: key.startIndex, end: names[i + 1]!.startIndex };
    // A comment between the names stays.
    return text.slice(span.start, span.end).replace(key.text, '').trim() === '' ? span : { start: key.startIndex, end: key.endIndex };
  }
  return null;
}
