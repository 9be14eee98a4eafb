/**
 * The shape every diagnostic message keeps: it leads with what to do, in one
 * short sentence that survives the Problems panel's truncation, and explains
 * after it; it is plain text (the Problems panel, the CLI and SARIF show no
 * markdown). `checkDiagnostics` applies this to every diagnostic a fixture
 * produces, so each message variant is checked where its test makes it.
 */
import type { Diagnostic } from '../../server/src/ide/diagnostics/index.js';

/** What a message may start with: the fixes the diagnostics ask for. */
export const FIX_VERBS = ['Add', 'Apply', 'Call', 'Change', 'Choose', 'Create', 'Hoist', 'Move', 'Pass', 'Remove', 'Use'] as const;

/** The longest first sentence: what the Problems panel shows beside a file name and position. */
export const MAX_FIX_LENGTH = 80;

/** The first sentence: up to the first `.` followed by a space (names like `a.b` have none). */
export function fixSentence(message: string): string {
  const end = message.search(/\.\s/);
  return end < 0 ? message : message.slice(0, end + 1);
}

/** What is wrong with a message's shape; empty when it leads with a short fix and explains after. */
export function messageShapeProblems(d: Pick<Diagnostic, 'code' | 'message' | 'related'>): string[] {
  const out: string[] = [];
  const fix = fixSentence(d.message);
  const verb = fix.split(' ')[0] ?? '';
  if (!(FIX_VERBS as readonly string[]).includes(verb)) out.push(`does not lead with a fix (${FIX_VERBS.join(', ')}): "${fix}"`);
  if (fix.length > MAX_FIX_LENGTH) out.push(`first sentence has ${fix.length} characters (at most ${MAX_FIX_LENGTH}): "${fix}"`);
  if (d.message.length - fix.length < 20) out.push(`no explanation after the fix: "${d.message}"`);
  for (const text of [d.message, ...d.related.map((r) => r.message)]) {
    if (/`|\*\*|\]\(/.test(text)) out.push(`markdown in plain text: "${text}"`);
  }
  return out.map((p) => `${d.code}: ${p}`);
}

/** Throws when any diagnostic's message has the wrong shape. */
export function assertMessageShapes(diagnostics: readonly Diagnostic[]): void {
  const problems = diagnostics.flatMap((d) => messageShapeProblems(d));
  if (problems.length) throw new Error(`diagnostic messages must lead with the fix:\n  ${problems.join('\n  ')}`);
}
