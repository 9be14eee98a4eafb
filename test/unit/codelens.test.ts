/**
 * CodeLenses over LSP (server/src/lsp/codeLens.ts, ide/features/lens.ts): above each instance
 * how often evaluating every output evaluates it and for what, in plain text; none above a site
 * nothing evaluates; `workspace/codeLens/refresh` when another file's edit changes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol';
import { TestClient, within, DEFAULT_WAIT_MS } from '../support/lspClient.js';
import { writeWorkspace } from '../support/workspace.js';

const WORKSPACE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./m.nix ]; };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./m.nix ]; };
    nixosConfigurations.gamma = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./m.nix ]; };
    devShells = nixpkgs.lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
      default = (import nixpkgs { inherit system; config.allowUnfree = true; }).mkShell { };
    });
  };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  u = import inputs.nixpkgs-unstable { system = pkgs.system; };
in { environment.systemPackages = [ u.hello ]; }
#- /shell.nix
{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }
`;

const shown = (lenses: CodeLens[] | null) => (lenses ?? []).map((l) => `${l.range.start.line}: ${l.command?.title} [${l.command?.command}]`);

test('codeLens: "evaluated 3x: alpha, beta, gamma" above a module instance, per system in flake.nix, none where nothing evaluates; refreshed after another file changes', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(WORKSPACE);
  let refreshes = 0;
  let refreshed: () => void = () => {};
  const client = await TestClient.start(ws.root, {
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false }, codeLens: { refreshSupport: true } } },
  });
  client.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    refreshed();
    return null;
  });
  try {
    assert.deepEqual(client.initializeResult?.capabilities.codeLensProvider, { resolveProvider: false });
    const uri = (f: string) => pathToFileURL(ws.path(f)).href;
    const lensesOf = (f: string) => client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri(f) } });
    assert.deepEqual(shown(await lensesOf('m.nix')), ['2: evaluated 3x: alpha, beta, gamma []']);
    assert.deepEqual(shown(await lensesOf('flake.nix')), ['8: evaluated 2x: x86_64-linux, aarch64-linux []']);
    assert.deepEqual(shown(await lensesOf('shell.nix')), [], 'nothing evaluates the default argument');
    for (const l of (await lensesOf('m.nix')) ?? []) assert.doesNotMatch(l.command!.title, /`|\*\*/, 'plain text');

    // gamma goes: the module's lens follows, and the client is asked to refresh.
    const flake = readFileSync(ws.path('flake.nix'), 'utf8');
    const gammaLine = flake.split('\n').findIndex((l) => l.includes('nixosConfigurations.gamma'));
    const before = refreshes;
    const asked = new Promise<void>((resolve) => (refreshed = () => refreshes > before && resolve()));
    await client.open(uri('flake.nix'), flake, 1);
    await client.change(uri('flake.nix'), 2, [{ range: { start: { line: gammaLine, character: 0 }, end: { line: gammaLine + 1, character: 0 } }, text: '' }]);
    await within(asked, DEFAULT_WAIT_MS, 'workspace/codeLens/refresh');
    assert.deepEqual(shown(await lensesOf('m.nix')), ['2: evaluated 2x: alpha, beta []']);
    assert.deepEqual(client.protocolErrors, []);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});
