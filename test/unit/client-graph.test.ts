/**
 * The graph panel's picture (client/src/graph.ts): configurations, the files that instantiate
 * nixpkgs and the instances, sized by the package sets each stands for (the numbers of report),
 * in a stable layout; the HTML draws it as SVG and posts a node's id when it is clicked. The
 * real editor suite opens the panel and clicks through (test/e2e/suite/graph.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, graphHtml } from '../../client/src/graph.js';
import { overview } from '../../server/src/ide/overview.js';
import { analyse } from '../support/fixture.js';
import { examplesFiles } from '../support/costEval.js';

async function examplesOverview() {
  const a = await analyse({ files: examplesFiles(), cursor: null, annotations: [] });
  return overview(a.workspace(), a.allDiagnostics(), '/');
}

const rel = (f: string) => f.replace(/^\//, '');

test('configurations sized by the package sets they create, files and instances by how often they are evaluated', async () => {
  const g = buildGraph(await examplesOverview(), rel);
  const weights = (kind: string) => g.nodes.filter((n) => n.kind === kind).map((n) => `${n.label} ${n.weight}`);
  assert.deepEqual(weights('configuration'), ['devShells 2', 'formatter 0', 'ada 2', 'alpha 2', 'beta 2', 'gamma 3', 'packages.${system} 0']);
  assert.deepEqual(weights('file'), ['flake.nix 6', 'home/user.nix 1', 'modules/common.nix 3', 'modules/firmware.nix 2', 'modules/riscv-tools.nix 3']);
  const common = g.nodes.find((n) => n.id.startsWith('i:/modules/common.nix'))!;
  assert.equal(common.weight, 3);
  assert.match(common.detail, /^modules\/common\.nix:10 unstable = inputs\.nixpkgs-unstable: evaluated 3 times, once per configuration that loads this file \(alpha, beta, gamma\)$/);
  assert.ok(common.r > g.nodes.find((n) => n.id.startsWith('i:/home/user.nix'))!.r, 'sized by evaluations');
  assert.deepEqual(
    g.edges.filter((e) => e.to === 'f:/modules/common.nix').map((e) => `${e.from} ${e.weight}`),
    ['c:nixosConfigurations.alpha 1', 'c:nixosConfigurations.beta 1', 'c:nixosConfigurations.gamma 1'],
  );
  // Every node leads to its code.
  for (const n of g.nodes) assert.ok(n.target.file.startsWith('/'), n.id);
  // Stable: the same picture for the same overview.
  assert.deepEqual(buildGraph(await examplesOverview(), rel), g);
});

test('the HTML: one SVG circle per node with a plain-text label, scripts only with the nonce, a click posts the node id', async () => {
  const g = buildGraph(await examplesOverview(), rel);
  const html = graphHtml(g, 'N0NCE', 'vscode-resource:');
  assert.equal(html.match(/<circle /g)?.length, g.nodes.length);
  assert.match(html, /script-src 'nonce-N0NCE'/);
  assert.equal(html.match(/<script/g)?.length, html.match(/<script nonce="N0NCE">/g)?.length);
  assert.match(html, /vscode\.postMessage\(\{ type: 'open', id: g\.dataset\.id \}\)/);
  assert.match(html, /aria-label="modules\/common\.nix:10 unstable = inputs\.nixpkgs-unstable: evaluated 3 times, once per configuration/);
  assert.doesNotMatch(html, /per-call|wrapper-call/);
});
