/** What the adapters and tests use of the assists: their types and edits (the registry is ./all.ts). */
export type { Assist, AssistContext, AssistHandler, AssistKind } from './types.js';
export { applyEdits, SourceChangeBuilder, type SourceChange, type TextEdit } from './edit.js';
