/**
 * CodeLenses: above each instance, how often evaluating every output evaluates it and for what
 * (`evaluated 3x: alpha, beta, gamma`), the numbers of cost.ts that `report`, the view and the
 * hover show. Plain text; none above a site nothing evaluates.
 */
import { lensText, workspaceCost } from '../cost.js';
import type { Range } from '../text.js';
import type { WorkspaceModel } from '../workspace.js';

export interface Lens {
  /** The instance's first line (a lens sits above the line its range starts on). */
  range: Range;
  title: string;
}

export function lenses(model: WorkspaceModel, file: string): Lens[] {
  const out: Lens[] = [];
  for (const site of workspaceCost(model).sites) {
    if (site.file !== file) continue;
    const title = lensText(site);
    if (title !== null) out.push({ range: { start: site.range.start, end: site.range.start }, title });
  }
  return out;
}
