import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient.js';
import { REPO_ROOT, writeWorkspace } from '../support/workspace.js';
import { SHARED_MODULE_WORKSPACE } from '../support/sharedModule.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { lockText } from '../support/lock.js';
import { join } from 'node:path';

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

test('over stdio: completion, hover, definition, and a hoist code action as one versioned WorkspaceEdit', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(SHARED_MODULE_WORKSPACE);
  const client = await TestClient.start(ws.root);
  try {
    const uri = pathToFileURL(ws.path('m.nix')).href;
    const text = (await import('node:fs')).readFileSync(ws.path('m.nix'), 'utf8');
    await client.open(uri, text, 7);
    await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'instance-in-module'));
    const c = client.connection;
    const { CompletionRequest, HoverRequest, DefinitionRequest, CodeActionRequest } = await import('vscode-languageserver-protocol');

    // Completion inside the argument set: localSystem is not offered beside system.
    const line = 2;
    const inside = text.split('\n')[line]!.indexOf('; }') + 2;
    const items = await c.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character: inside } });
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);
    assert.ok(labels.includes('config'), labels.join(', '));
    assert.ok(!labels.includes('localSystem'), labels.join(', '));

    // Hover on the instance says how often it is evaluated.
    const hover = await c.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 8 } });
    assert.match(JSON.stringify(hover?.contents), /nixpkgs-unstable/);

    // Definition of `inputs` in the module leads to flake.nix.
    const def = await c.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 0, character: 9 } });
    const defs = Array.isArray(def) ? def : def ? [def] : [];
    assert.ok(defs.some((d) => ('uri' in d ? d.uri : d.targetUri).endsWith('/flake.nix')), JSON.stringify(defs));

    // The hoist: one WorkspaceEdit over both files; the open module carries its version, flake.nix (closed) null.
    const actions = await c.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line, character: 8 }, end: { line, character: 8 } },
      context: { diagnostics: [] },
    });
    const hoist = (actions ?? []).find((a) => 'title' in a && a.title.startsWith('Hoist')) as import('vscode-languageserver-protocol').CodeAction | undefined;
    assert.ok(hoist?.edit?.documentChanges, JSON.stringify(actions));
    const changes = hoist.edit.documentChanges as { textDocument: { uri: string; version: number | null } }[];
    assert.deepEqual(
      changes.map((d) => [d.textDocument.uri.split('/').pop(), d.textDocument.version]).sort(),
      [['flake.nix', null], ['m.nix', 7]],
    );
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});

test('cross-file: typing an identical instance in one file updates another file’s diagnostics; closing goes back to the disk text', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        a = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
        b = import ./other.nix { inherit nixpkgs; };
      };
    }
    #- /other.nix
    { nixpkgs }: { }
  `);
  const client = await TestClient.start(ws.root);
  try {
    const flakeUri = pathToFileURL(ws.path('flake.nix')).href;
    const otherUri = pathToFileURL(ws.path('other.nix')).href;
    const dup = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'duplicate-instance');
    const fs = await import('node:fs');
    await client.open(otherUri, fs.readFileSync(ws.path('other.nix'), 'utf8'), 1);
    // Type the same instance into the other file: flake.nix (closed) now has a duplicate too.
    await client.change(otherUri, 2, [
      { range: { start: { line: 0, character: 13 }, end: { line: 0, character: 16 } }, text: 'import nixpkgs { localSystem = "x86_64-linux"; config = { allowUnfree = true; }; }' },
    ]);
    const flakeDiags = await client.diagnostics(flakeUri, (p) => dup(p).length === 1);
    assert.match(String(dup(flakeDiags)[0]!.message), /1 other site/);
    assert.ok(dup(flakeDiags)[0]!.relatedInformation?.[0]?.location.uri.endsWith('/other.nix'));
    await client.diagnostics(otherUri, (p) => dup(p).length === 1);

    // Closing the file (unsaved) goes back to the disk text: the duplicate disappears from flake.nix.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: otherUri } });
    await client.diagnostics(flakeUri, (p) => dup(p).length === 0);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});

test('the overview request works without params, as the VS Code client sends it', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(`
    #- /flake.nix
    { inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; overlays = [ ]; }; }; }
  `);
  const client = await TestClient.start(ws.root);
  try {
    const overview = (await client.connection.sendRequest('nixpkgsInstances/overview')) as { totals: { instances: number } } | null;
    assert.equal(overview?.totals.instances, 1);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});

test('the server without a transport prints a short usage naming --stdio and exits 2; --help, --version and serverInfo', { timeout: 60_000 }, async () => {
  const server = join(REPO_ROOT, 'dist', 'server.js');
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const bare = spawnSync(process.execPath, [server], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(bare.status, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /^nixpkgs-instances-server: no transport given\n\nUsage: .*--stdio/);
  // A usage, not a stack trace with the bundle's source.
  assert.ok(bare.stderr.length < 1000, `${bare.stderr.length} characters on stderr`);
  assert.doesNotMatch(bare.stderr, /\n\s+at /);
  const help = spawnSync(process.execPath, [server, '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--stdio/);
  const v = spawnSync(process.execPath, [server, '--version'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(v.status, 0);
  assert.equal(v.stdout, `${version}\n`);
  const client = await TestClient.start(null);
  try {
    assert.deepEqual(client.initializeResult?.serverInfo, { name: 'nixpkgs-instances', version });
  } finally {
    assert.equal(await client.stop(), 0);
  }
});

test('over stdio: a snippet in a module names the argument, adds it to the formals with additionalTextEdits, and keeps its whitespace', { timeout: 60_000 }, async () => {
  const ws = writeWorkspace(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }: {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };
        nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };
      };
    }
    #- /m.nix
    { pkgs, ... }:
    let
      cross = ;
    in { }
  `);
  const client = await TestClient.start(ws.root, {
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } },
  });
  try {
    const uri = pathToFileURL(ws.path('m.nix')).href;
    await client.open(uri, readFileSync(ws.path('m.nix'), 'utf8'), 1);
    const { CompletionRequest, InsertTextMode } = await import('vscode-languageserver-protocol');
    const result = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 10 } });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    const riscv = items.find((i) => i.label === 'nixpkgs-riscv64');
    assert.ok(riscv, items.map((i) => i.label).join(', '));
    assert.deepEqual(riscv.textEdit, { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 10 } }, newText: 'pkgs-riscv64$0' });
    assert.deepEqual(riscv.additionalTextEdits, [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, newText: 'pkgs-riscv64, ' }]);
    assert.equal(riscv.insertTextMode, InsertTextMode.asIs);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});

test('flake.lock: unfollowed-nixpkgs is published from the lock on disk, and a watcher event re-reads it', { timeout: 60_000 }, async () => {
  const lock = (own: boolean) =>
    lockText(
      { nixpkgs: 'nixpkgs', 'home-manager': 'home-manager' },
      {
        nixpkgs: {},
        'home-manager': { repo: 'home-manager', inputs: { nixpkgs: own ? 'nixpkgs_2' : ['nixpkgs'] } },
        ...(own ? { nixpkgs_2: {} } : {}),
      },
    );
  const ws = writeWorkspace({
    'flake.nix': '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs";\n  inputs.home-manager.url = "github:nix-community/home-manager";\n  outputs = _: { };\n}\n',
    'flake.lock': lock(true),
    'sub/flake.nix': '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = _: { }; }\n',
  });
  const client = await TestClient.start(ws.root);
  try {
    const uri = pathToFileURL(ws.path('flake.nix')).href;
    const unfollowed = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'unfollowed-nixpkgs');
    const first = await client.diagnostics(uri, (p) => unfollowed(p).length > 0);
    assert.deepEqual(unfollowed(first)[0]!.range.start, { line: 2, character: 9 });
    await client.log((l) => l.startsWith(`no flake.lock beside ${ws.path('sub/flake.nix')}`));
    const changed = (text: string | Buffer) => {
      writeFileSync(ws.path('flake.lock'), text);
      return client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: pathToFileURL(ws.path('flake.lock')).href, type: 2 }],
      });
    };
    await changed(lock(false));
    await client.diagnostics(uri, (p) => unfollowed(p).length === 0);
    await changed(lock(true));
    await client.diagnostics(uri, (p) => unfollowed(p).length === 1);
    // A lock that cannot be read any more: one line in the log, and its facts are gone.
    await changed('{ "version": 7, ');
    await client.log((l) => l.startsWith(`skipped ${ws.path('flake.lock')}: not valid JSON`));
    await client.diagnostics(uri, (p) => unfollowed(p).length === 0);
    assert.deepEqual(client.protocolErrors, []);
  } finally {
    assert.equal(await client.stop(), 0);
    ws.dispose();
  }
});
