/**
 * What Hoist all would leave: the hoist-all assist's edit applied to the workspace's texts in a
 * second, throw-away `Analysis`, and the cost of that workspace (cost.ts). Nothing is written;
 * the edit is the one the editor would apply. Pure: texts and the parser in, numbers out.
 */
import { Analysis } from './analysis.js';
import { applyEdits } from './assists/edit.js';
import { workspaceCost } from './cost.js';

export interface AfterHoistAll {
  /** `created` after the edit (see cost.ts), and what the edit says it does. */
  created: number;
  unknown: number;
  title: string;
  /** Instances the edit leaves in place, each with its reason. */
  notes: string[];
}

/** The cost after Hoist all, or why there is nothing to compare (no flake, nothing to hoist, disabled). */
export function costAfterHoistAll(analysis: Analysis): AfterHoistAll | { reason: string } {
  const model = analysis.workspace();
  const root = model.flakes.find((f) => f.root);
  if (!root) return { reason: 'no flake.nix' };
  const assist = analysis.assists(root.path, { start: 0, end: 0 }).find((a) => a.id === 'hoist-all');
  if (!assist) return { reason: 'no module instance to hoist' };
  if (assist.disabled) return { reason: assist.disabled };
  const change = assist.edit();
  const after = new Analysis(analysis.nixParser);
  for (const entry of model.files.values()) {
    const text = analysis.documentText(entry.path);
    // A file whose text was not kept names no instance; its references still reach files.
    if (text === undefined) {
      after.setFacts(entry.path, '', entry.facts);
      continue;
    }
    const edits = change.files.get(entry.path);
    after.setFile(entry.path, edits ? applyEdits(text, edits) : text);
  }
  const cost = workspaceCost(after.workspace());
  return { created: cost.totals.created, unknown: cost.totals.unknown, title: assist.title, notes: assist.notes ?? [] };
}
