/**
 * Symbols: the instances of a file (and the wrappers that make them) for the
 * outline, and a workspace-wide search over every instance ("where do I
 * create the riscv64 set?").
 */
import type { Range } from '../text.js';
import type { Instance } from '../workspace.js';
import { linesOf, type FeatureContext } from './context.js';
import { bindingNameSpan, instanceSummary } from './describe.js';

export interface Symbol {
  name: string;
  detail: string;
  kind: 'variable' | 'function' | 'module' | 'object';
  file: string;
  /** The whole binding or expression. */
  range: Range;
  /** The name (or the instantiating head), inside `range`. */
  selectionRange: Range;
}

function instanceSymbol(ctx: FeatureContext, inst: Instance): Symbol | null {
  const lines = linesOf(ctx, inst.file);
  if (!lines) return null;
  const nameSpan = bindingNameSpan(ctx.model, inst);
  const body = inst.site.bindingSpan && nameSpan ? inst.site.bindingSpan : inst.site.span;
  const selection = nameSpan ?? inst.site.anchor;
  // LSP wants the selection inside the range.
  const whole = { start: Math.min(body.start, selection.start), end: Math.max(body.end, selection.end) };
  const head = lines.text.slice(inst.site.anchor.start, inst.site.anchor.end).replace(/\s+/g, ' ');
  return {
    name: inst.site.name ?? head,
    detail: instanceSummary(ctx.model, inst),
    kind: inst.site.name ? 'variable' : 'object',
    file: inst.file,
    range: lines.range(whole),
    selectionRange: lines.range(selection),
  };
}

/** The instances and instance wrappers of one file, in document order. */
export function documentSymbols(ctx: FeatureContext, file: string): Symbol[] {
  const lines = linesOf(ctx, file);
  if (!lines) return [];
  const out: { start: number; symbol: Symbol }[] = [];
  for (const inst of ctx.model.instancesIn(file)) {
    const s = instanceSymbol(ctx, inst);
    if (s) out.push({ start: (inst.site.bindingSpan ?? inst.site.span).start, symbol: s });
  }
  for (const w of ctx.model.files.get(file)?.facts.wrappers ?? []) {
    out.push({
      start: w.span.start,
      symbol: {
        name: w.name,
        detail: `instance wrapper: each call instantiates nixpkgs (${w.calls === 1 ? '1 call' : `${w.calls} calls`})`,
        kind: 'function',
        file,
        range: lines.range(w.span),
        selectionRange: lines.range(w.nameSpan),
      },
    });
  }
  return out.sort((a, b) => a.start - b.start).map((x) => x.symbol);
}

/** Whether `query`'s characters appear in `text` in order (case-insensitive), as editors filter symbols. */
function fuzzyMatch(query: string, text: string): boolean {
  let i = 0;
  const t = text.toLowerCase();
  for (const c of query.toLowerCase()) {
    i = t.indexOf(c, i);
    if (i === -1) return false;
    i++;
  }
  return true;
}

/** Every instance in the workspace whose name matches `query` (or whose source or systems contain it). */
export function workspaceSymbols(ctx: FeatureContext, query: string, limit = 500): Symbol[] {
  const q = query.trim();
  const out: Symbol[] = [];
  const instances = [...ctx.model.instances].sort((a, b) => a.file.localeCompare(b.file) || a.site.span.start - b.site.span.start);
  for (const inst of instances) {
    const s = instanceSymbol(ctx, inst);
    if (!s) continue;
    if (q && !fuzzyMatch(q, s.name) && !s.detail.toLowerCase().includes(q.toLowerCase())) continue;
    out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}
