import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient.js';
import { writeWorkspace } from '../support/workspace.js';

const CODE = 'system-and-local-system';
const mine = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === CODE);

// The timeout is a safety net so a broken server fails the test instead of hanging it; the tests wait on events.
test('the stdio server publishes system-and-local-system for a workspace file and follows edits', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        legacy = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
      };
    }
  `);
  const client = await TestClient.start(ws.root);
  try {
    const uri = pathToFileURL(ws.path('flake.nix')).href;
    // Published for the closed file from the workspace index.
    const first = await client.diagnostics(uri, (p) => mine(p).length > 0);
    assert.deepEqual(
      mine(first).map((d) => [d.code, d.source, d.severity, d.range.start, d.codeDescription?.href.endsWith('#system-and-local-system')]),
      [['system-and-local-system', 'nixpkgs-instances', 1, { line: 3, character: 30 }, true]],
    );
    assert.equal(mine(first)[0]!.relatedInformation?.[0]?.location.range.start.character, 55);

    // Open, then delete `system = "x86_64-linux"; ` with an incremental change: the error goes away.
    const text = ws.path('flake.nix');
    await client.open(uri, (await import('node:fs')).readFileSync(text, 'utf8'), 1);
    await client.change(uri, 2, [
      { range: { start: { line: 3, character: 30 }, end: { line: 3, character: 55 } }, text: '' },
    ]);
    const cleared = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(mine(cleared), []);

    // And comes back when typed again.
    await client.change(uri, 3, [
      { range: { start: { line: 3, character: 30 }, end: { line: 3, character: 30 } }, text: 'system = "x"; ' },
    ]);
    const again = await client.diagnostics(uri, (p) => p.version === 3);
    assert.equal(mine(again).length, 1);
    assert.deepEqual(client.protocolErrors, []);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});

test('the stdio server works without a workspace folder (single file)', { timeout: 60_000 }, async () => {
  const client = await TestClient.start(null);
  try {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, 'import <nixpkgs> { system = "a"; localSystem = "b"; }\n');
    const p = await client.diagnostics(uri, (x) => mine(x).length > 0);
    assert.equal(mine(p).length, 1);
  } finally {
    assert.equal(await client.stop(), 0);
  }
});
