/**
 * `fix-cross-abi` (quick fix on `invalid-cross-system` findings that carry a
 * replacement): writes the value the finding suggests. For `gcc.abi` that is
 * the ABI that fits the arch (`lp64d` for `rv64gc`), for `gcc.arch` the ISA
 * string of the right width or in canonical order, and for a `config` triple
 * the component nixpkgs knows (`gnu` for `gnux`).
 *
 * ```nix
 * # before
 * crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "ilp32d"; };
 * # after
 * crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; };
 * ```
 */
import { ancestors, K, parentOf, type Node } from '../../syntax/ast.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { Span } from '../text.js';
import { SourceChangeBuilder } from './edit.js';
import type { Assist, AssistHandler } from './types.js';
import { invalidCrossSystem } from '../diagnostics/invalid-cross-system.js';

const ID = 'fix-cross-abi';

/** What `invalid-cross-system` puts in `data` when it has a suggestion. */
interface CrossFixData {
  replacement: string;
  /** The range is the whole value (`"ilp32d"`, quotes included), not a part inside the string. */
  whole: boolean;
}

function fixData(d: Diagnostic): CrossFixData | null {
  const data = d.data as Partial<CrossFixData> | undefined;
  if (!data || typeof data.replacement !== 'string' || data.replacement === '') return null;
  return { replacement: data.replacement, whole: data.whole === true };
}

export const fixCrossAbi: AssistHandler = {
  id: ID,
  assists(ctx) {
    const out: Assist[] = [];
    const lines = ctx.model.files.get(ctx.file)?.lines;
    if (!lines) return out;
    const seen = new Set<string>();
    for (const d of ctx.diagnostics) {
      if (d.code !== invalidCrossSystem.code) continue;
      const data = fixData(d);
      if (!data) continue;
      const span = lines.span(d.range);
      const plan = ctx.withTree(ctx.file, (tree) => planFor(tree.rootNode, span, data));
      if (!plan) continue;
      // Two findings at one place with one suggestion are one action.
      const key = `${plan.span.start}:${plan.span.end}:${plan.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        id: ID,
        title: plan.title,
        kind: 'quickfix',
        fixes: [d],
        edit: () => new SourceChangeBuilder().replace(ctx.file, plan.span, plan.text).finish(),
      });
    }
    return out;
  },
};

interface Plan {
  span: Span;
  text: string;
  title: string;
}

function planFor(root: Node, span: Span, data: CrossFixData): Plan | null {
  const node = root.descendantForIndex(span.start);
  const str = node ? ([node, ...ancestors(node)].find((n) => n.type === K.String) ?? null) : null;
  if (!str || str.startIndex > span.start || str.endIndex < span.end) return null;
  // Offsets inside the string are only character offsets when it has no escapes or interpolations.
  if (str.namedChildren.some((c) => c && c.type !== 'string_fragment')) return null;
  const field = fieldName(str);
  const replacement = escapeNix(data.replacement);
  if (data.whole) {
    if (str.startIndex !== span.start || str.endIndex !== span.end) return null;
    return {
      span,
      text: `"${replacement}"`,
      title: field ? `Set ${field} to "${data.replacement}"` : `Change to "${data.replacement}"`,
    };
  }
  if (span.start <= str.startIndex || span.end >= str.endIndex) return null;
  const old = str.text.slice(span.start - str.startIndex, span.end - str.startIndex);
  return {
    span,
    text: replacement,
    title: `Replace "${old}" with "${data.replacement}"${field ? ` in ${field}` : ''}`,
  };
}

/** `gcc.abi` for `gcc.abi = "..."` and for `abi = "..."` inside `gcc = { ... }`. */
function fieldName(value: Node): string | null {
  const names: string[] = [];
  for (let n: Node | null = parentOf(value); n && names.length < 3; n = parentOf(n)) {
    if (n.type === K.Binding) names.unshift(n.childForFieldName('attrpath')?.text ?? '');
    else if (n.type !== K.BindingSet && n.type !== K.Attrset && n.type !== K.Paren) break;
  }
  const path = names.join('.').split('.');
  // `crossSystem.gcc.abi` reads best from the `gcc` part on.
  const gcc = path.indexOf('gcc');
  const shown = gcc > 0 ? path.slice(gcc) : path;
  return shown.length && shown.every((p) => p !== '') ? shown.join('.') : null;
}

function escapeNix(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${');
}
