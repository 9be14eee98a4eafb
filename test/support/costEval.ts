/**
 * Holds the cost counts (server/src/ide/cost.ts) to reality: the same workspace is counted by
 * the analysis, from its text, and evaluated by Nix with stand-in inputs (nixOracle.ts), which
 * records every package set the evaluation creates. Used by test/unit/cost-eval.test.ts and by
 * the hoist proofs (before and after each hoist).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceCost, type WorkspaceCost } from '../../server/src/ide/cost.js';
import type { FlakeEvaluation, NixInstance } from './nixOracle.js';
import { analyse, type Fixture } from './fixture.js';

/** The `.nix` files under `dir` as fixture files (`/`-rooted paths relative to `dir`). */
export function folderFiles(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of folderFiles(full, base)) out.set(k, v);
    else if (entry.name.endsWith('.nix')) out.set('/' + path.relative(base, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return out;
}

/** The example workspace (examples/) as fixture files. */
export function examplesFiles(): Map<string, string> {
  return folderFiles(path.resolve(__dirname, '../../../examples'));
}

/** The cost of a workspace given as files (absolute `/`-paths, as fixtures have them). */
export async function costOf(files: Map<string, string>): Promise<WorkspaceCost> {
  const fixture: Fixture = { files, cursor: null, annotations: [] };
  return workspaceCost((await analyse(fixture)).workspace());
}

/** What Nix created, in cost.ts's categories. */
export function nixCounts(evaluation: FlakeEvaluation): { created: number; nixos: number; legacyPackages: number; derived: number } {
  const n = (...kinds: NixInstance['kind'][]) => evaluation.instances.filter((i) => kinds.includes(i.kind)).length;
  return {
    // The workspace's own expressions: imports (calls of factories included) and extend.
    created: n('import', 'extend'),
    // A NixOS configuration's own set, or appendOverlays of the one nixpkgs.pkgs gives it.
    nixos: n('nixos', 'appendOverlays'),
    legacyPackages: n('legacyPackages'),
    derived: n('pkgsCross'),
  };
}

/** Where Nix created each set: `file:line count`, for failure messages. */
function nixSites(evaluation: FlakeEvaluation): string {
  const by = new Map<string, number>();
  for (const i of evaluation.instances) {
    const key = i.kind === 'import' ? `${i.file}:${i.line} import ${i.input}` : `${i.kind} ${i.input ?? i.parent ?? ''}`;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by].map(([k, v]) => `  ${v} × ${k}`).sort().join('\n');
}

function costSites(cost: WorkspaceCost): string {
  return cost.sites.map((s) => `  ${s.count ?? '?'} × ${s.file}:${s.range.start.line + 1} ${s.kind} ${s.label} (${s.why})`).join('\n');
}

/**
 * Asserts that the analysis counts what Nix created: `created`, `legacyPackages` and `derived`
 * exactly when no site's count is unknown; with unknown sites, `created` is a lower bound.
 * A NixOS configuration's own set is not compared: the stand-in module system creates it only
 * when a module reads `pkgs` (real NixOS always does, for `system.build.toplevel`), so Nix's
 * count there is the stand-in's laziness, not the workspace's cost. Returns the unknown sites.
 */
export function assertCountsMatch(cost: WorkspaceCost, evaluation: FlakeEvaluation, what: string): number {
  const nix = nixCounts(evaluation);
  const message = `${what}: the analysis counts\n${costSites(cost)}\nNix created\n${nixSites(evaluation)}`;
  if (cost.totals.unknown > 0) {
    assert.ok(cost.totals.created <= nix.created, `${message}\nmore than Nix created`);
    return cost.totals.unknown;
  }
  assert.deepEqual(
    { created: cost.totals.created, legacyPackages: cost.totals.legacyPackages, derived: cost.totals.derived },
    { created: nix.created, legacyPackages: nix.legacyPackages, derived: nix.derived },
    message,
  );
  return 0;
}
