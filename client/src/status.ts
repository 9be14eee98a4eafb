/**
 * What the status bar item shows: the number of package sets evaluating every output creates
 * (the `created` of ide/cost.ts, as `report` and the view count them), and a spinner
 * while the server indexes. Problems are not counted here: they are in VS
 * Code's own counters beside it. Pure (no `vscode`), so the unit suite checks
 * it; `view.ts` puts it on the item.
 */
import type { Overview } from '../../server/src/ide/overview';

export interface StatusView {
  /** The item's text, with codicons (`$(package) 11 package sets`). */
  text: string;
  /** Plain text for screen readers (no codicons, no markdown). */
  accessibilityLabel: string;
  /** Markdown for the hover. */
  tooltip: string;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The item for the last overview and whether an indexing run is under way; null hides it. */
export function statusView(totals: Overview['totals'] | null, indexing: boolean): StatusView | null {
  if (indexing) {
    const known = totals ? ` ${count(totals.packageSets, 'package set')}` : '';
    return {
      text: `$(loading~spin)${known}`,
      accessibilityLabel: 'Nixpkgs Instances: indexing the .nix files of the workspace',
      tooltip: '**Nixpkgs Instances**\n\nIndexing the `.nix` files of the workspace…',
    };
  }
  if (!totals) return null;
  const sets = `evaluating every output creates ${count(totals.packageSets, 'nixpkgs package set')}`;
  const unknown = totals.unknown ? ` (and ${count(totals.unknown, 'site')} whose count the text does not tell)` : '';
  const sites = `from ${count(totals.instances, 'instantiation')} in the workspace`;
  const sources = totals.nixpkgsSources === undefined ? '' : ` flake.lock pins ${count(totals.nixpkgsSources, 'nixpkgs source')}.`;
  return {
    text: `$(package) ${count(totals.packageSets, 'package set')}`,
    accessibilityLabel: `Nixpkgs Instances: ${sets}${unknown}, ${sites}.${sources} Open the Nixpkgs Instances view.`,
    tooltip:
      `**Nixpkgs Instances**\n\nEvaluating every output creates ${count(totals.packageSets, 'nixpkgs package set')}${unknown}, ${sites}.${sources}\n\n` +
      'Their problems are in the Problems panel. Click to open the view.',
  };
}
