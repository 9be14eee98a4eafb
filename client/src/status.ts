/**
 * What the status bar item shows: the number of instances, and a spinner
 * while the server indexes. Problems are not counted here: they are in VS
 * Code's own counters beside it. Pure (no `vscode`), so the unit suite checks
 * it; `view.ts` puts it on the item.
 */
import type { Overview } from '../../server/src/ide/overview';

export interface StatusView {
  /** The item's text, with codicons (`$(package) 9 instances`). */
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
    const known = totals ? ` ${count(totals.instances, 'instance')}` : '';
    return {
      text: `$(loading~spin)${known}`,
      accessibilityLabel: 'Nixpkgs Instances: indexing the .nix files of the workspace',
      tooltip: '**Nixpkgs Instances**\n\nIndexing the `.nix` files of the workspace…',
    };
  }
  if (!totals) return null;
  const instances = count(totals.instances, 'nixpkgs instance');
  const evaluations = `about ${count(totals.evaluations, 'evaluation')} of nixpkgs in all`;
  const sources = totals.nixpkgsSources === undefined ? '' : ` flake.lock pins ${count(totals.nixpkgsSources, 'nixpkgs source')}.`;
  return {
    text: `$(package) ${count(totals.instances, 'instance')}`,
    accessibilityLabel: `Nixpkgs Instances: ${instances} in the workspace, ${evaluations}.${sources} Open the Nixpkgs Instances view.`,
    tooltip:
      `**Nixpkgs Instances**\n\n${instances} in the workspace, ${evaluations}.${sources}\n\n` +
      'Their problems are in the Problems panel. Click to open the view.',
  };
}
