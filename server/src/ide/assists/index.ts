/**
 * The registry of assists (code actions), alphabetical. Each lives in its own
 * file named by its id, with a doc comment holding a before/after example.
 */
import type { Assist, AssistContext, AssistHandler, AssistKind } from './types.js';

export const ASSIST_HANDLERS: AssistHandler[] = [];

/** Registers handlers (each assist file calls this once; see ./all.ts). */
export function registerAssists(...handlers: AssistHandler[]): void {
  for (const h of handlers) if (!ASSIST_HANDLERS.some((x) => x.id === h.id)) ASSIST_HANDLERS.push(h);
  ASSIST_HANDLERS.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Every assist applicable at the context, but those of handlers whose kind `skip` names. A
 * handler that throws is skipped (and reported through `onError`).
 */
export function assistsAt(ctx: AssistContext, onError: (id: string, e: unknown) => void = () => {}, skip: readonly AssistKind[] = []): Assist[] {
  const out: Assist[] = [];
  for (const h of ASSIST_HANDLERS) {
    if (h.kind !== undefined && skip.includes(h.kind)) continue;
    try {
      out.push(...h.assists(ctx));
    } catch (e) {
      onError(h.id, e);
    }
  }
  return out;
}

export type { Assist, AssistContext, AssistHandler, AssistKind } from './types.js';
export { applyEdits, SourceChangeBuilder, type SourceChange, type TextEdit } from './edit.js';
