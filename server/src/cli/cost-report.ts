/**
 * `nixpkgs-instances report`: what evaluating every output of the workspace costs (see
 * ide/cost.ts), as text for people or as JSON (format version 1, which only grows by additions).
 */
import { posix } from 'node:path';
import type { AfterHoistAll } from '../ide/cost-after-hoist.js';
import { MIB_PER_SET, SECONDS_PER_SET, setsText, type CostSite, type WorkspaceCost } from '../ide/cost.js';

export interface CostReport {
  root: string;
  cost: WorkspaceCost;
  hoistAll: AfterHoistAll | { reason: string };
}

const ESTIMATE_NOTE = `an estimate: about ${MIB_PER_SET} MiB of evaluator memory and ${SECONDS_PER_SET} s of evaluation per package set`;

function siteJson(root: string, s: CostSite) {
  return { file: posix.relative(root, s.file) || s.file, line: s.range.start.line + 1, label: s.label, kind: s.kind, count: s.count, why: s.why, evaluatedBy: s.evaluatedBy };
}

export function formatCostJson(r: CostReport): string {
  const { cost, root } = r;
  const doc = {
    version: 1,
    root,
    totals: cost.totals,
    estimate: { ...cost.estimate, note: ESTIMATE_NOTE },
    hoistAll: 'reason' in r.hoistAll ? { created: null, reason: r.hoistAll.reason } : { created: r.hoistAll.created, unknown: r.hoistAll.unknown, title: r.hoistAll.title, notes: r.hoistAll.notes },
    outputs: cost.outputs.map((o) => ({
      name: o.name,
      file: posix.relative(root, o.file) || o.file,
      line: o.range ? o.range.start.line + 1 : null,
      created: o.created,
      unknown: o.unknown,
      own: o.own,
      sets: o.sets.map((s) => ({ ...siteJson(root, s.site), count: s.count })),
    })),
    sites: cost.sites.map((s) => siteJson(root, s)),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function memory(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`;
}

export function formatCostText(r: CostReport, displayPath: (file: string) => string): string {
  const { cost } = r;
  const t = cost.totals;
  const lines: string[] = [];
  const unknown = t.unknown ? `, and ${t.unknown} more site${t.unknown === 1 ? '' : 's'} whose count the text does not tell` : '';
  lines.push(`Evaluating every output creates ${setsText(t.created)} from the workspace's own expressions${unknown}.`);
  lines.push(
    `Besides: ${t.nixos} built by NixOS or nix-darwin configurations themselves, ${t.legacyPackages} legacyPackages (shared), ${t.derived} derived (pkgsCross and the like); ${setsText(t.packageSets)} in all.`,
  );
  lines.push(`Estimate: about ${memory(cost.estimate.memoryMiB)} of evaluator memory and ${cost.estimate.seconds} s of evaluation (${ESTIMATE_NOTE}).`);
  lines.push('reason' in r.hoistAll ? `Hoist all: ${r.hoistAll.reason}.` : `Hoist all would leave ${setsText(r.hoistAll.created)} (${r.hoistAll.title}).`);
  for (const o of cost.outputs) {
    const own = o.own ? `, and its own package set` : '';
    const unknownHere = o.unknown ? `, ${o.unknown} more not counted` : '';
    lines.push('', `${o.name}: ${setsText(o.created)}${own}${unknownHere}`);
    for (const s of o.sets) {
      const count = s.count === null ? '?' : String(s.count);
      const kind = s.site.kind === 'created' ? '' : ` [${s.site.kind === 'derived' ? 'derived' : 'shared'}]`;
      lines.push(`  ${count}  ${displayPath(s.site.file)}:${s.site.range.start.line + 1}  ${s.site.label}${kind}: ${s.why}`);
    }
  }
  return lines.join('\n') + '\n';
}
