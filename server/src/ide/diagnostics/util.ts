/** Small helpers shared by the diagnostic kinds. */

/** At most this many related locations per diagnostic. */
export const MAX_RELATED = 20;
import type { Span } from '../text.js';
import type { EvalUnit, Instance, WorkspaceModel } from '../workspace.js';
import type { Range } from '../text.js';
import type { RelatedInfo } from './types.js';

export function rangeIn(model: WorkspaceModel, file: string, span: Span): Range {
  return model.files.get(file)!.lines.range(span);
}

/** The range a diagnostic on an instance points at: its head (`import nixpkgs`). */
export function anchorRange(model: WorkspaceModel, inst: Instance): Range {
  return rangeIn(model, inst.file, inst.site.anchor);
}

/** `alpha, beta and gamma`; long lists end with `and N more`. */
export function listNames(names: string[], max = 4): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? '';
  if (unique.length > max) return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
  return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Related information pointing at the builder calls that evaluate a module. */
export function unitsRelated(model: WorkspaceModel, units: EvalUnit[]): RelatedInfo[] {
  const seen = new Set<string>();
  const out: RelatedInfo[] = [];
  for (const u of units) {
    if (out.length >= MAX_RELATED) break;
    const key = `${u.builder.file}:${u.builder.fact.span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hosts = units.filter((x) => x.builder === u.builder).map((x) => x.host ?? '?');
    out.push({
      file: u.builder.file,
      range: rangeIn(model, u.builder.file, u.builder.fact.span),
      message: `${u.builder.fact.builder} evaluates this module for ${listNames(hosts)}`,
    });
  }
  return out;
}
