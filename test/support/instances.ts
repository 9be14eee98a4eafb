/** Compact, readable summaries of the index for assertions. */
import { analyse, parseFixture } from './fixture.js';
import type { Instance } from '../../server/src/ide/workspace.js';

/**
 * One line per instance: `file:line kind source [input=X] location scope [name=N] [evals=N]`,
 * sorted by file and position. Lines are 1-based like the CLI's.
 */
export function summary(i: Instance): string {
  const parts = [
    `${i.file}:${i.range.start.line + 1}`,
    i.kind,
    i.site.sourceText,
    i.input ? `input=${i.input}` : null,
    i.location,
    i.scope,
    i.site.name ? `name=${i.site.name}` : null,
    i.site.member ? `member=${i.site.member}` : null,
    i.createsInstance ? null : 'shared',
    i.location === 'module' ? `evals=${i.evaluations}` : null,
  ];
  return parts.filter((p) => p !== null).join(' ');
}

export async function instances(source: string): Promise<string[]> {
  const analysis = await analyse(parseFixture(source));
  return analysis.workspace().instances.map(summary).sort(byFileLine);
}

function byFileLine(a: string, b: string): number {
  const [fa, la] = a.split(' ')[0]!.split(':');
  const [fb, lb] = b.split(' ')[0]!.split(':');
  return fa!.localeCompare(fb!) || Number(la) - Number(lb);
}
