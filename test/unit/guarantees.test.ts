/**
 * The guarantees the README makes about the language server, held by tests:
 * it writes no files, starts no processes and opens no network connections
 * (watched by a `--require` preload, test/support/abuseGuard.cjs, over a whole
 * editing session, and by comparing the workspace byte for byte afterwards);
 * and every edit it hands out is versioned, so an editor that has moved on
 * refuses it, and is never computed on text the disk no longer has.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { DEFAULT_WAIT_MS, TestClient, within } from '../support/lspClient.js';
import { REPO_ROOT, writeWorkspace } from '../support/workspace.js';

const GUARD = join(REPO_ROOT, 'test', 'support', 'abuseGuard.cjs');
const HOIST_ALL = 'nixpkgsInstances.server.hoistAll';

/** The guard's records in a process's stderr (its banner left out). */
function records(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('abuse-guard:') && !l.startsWith('abuse-guard: watching'));
}

/** Every entry below `root`: files by content, links by target, folders by name. */
function snapshot(root: string): Map<string, string | Buffer> {
  const out = new Map<string, string | Buffer>();
  for (const rel of readdirSync(root, { recursive: true }).map(String).sort()) {
    const full = join(root, rel);
    const st = lstatSync(full);
    out.set(rel, st.isSymbolicLink() ? `link -> ${readlinkSync(full)}` : st.isDirectory() ? 'folder' : readFileSync(full));
  }
  return out;
}

/** The files of examples/ (a realistic flake with hosts, modules and a home-manager user). */
function exampleFiles(): Record<string, string> {
  const dir = join(REPO_ROOT, 'examples');
  const files: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true }).map(String)) {
    if (rel.endsWith('.nix')) files['/' + rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return files;
}

/**
 * Checks one WorkspaceEdit the way a careful editor needs it: `documentChanges`
 * only (no unversioned `changes`, no file creation, renaming or deletion), each
 * open document with the version the editor has now, closed files with null.
 */
function checkVersioned(edit: WorkspaceEdit, open: ReadonlyMap<string, TextDocument>, what: string): void {
  assert.equal(edit.changes, undefined, `${what}: unversioned changes`);
  assert.ok(Array.isArray(edit.documentChanges) && edit.documentChanges.length > 0, `${what}: no documentChanges`);
  for (const change of edit.documentChanges) {
    assert.ok('textDocument' in change && 'edits' in change, `${what}: a file operation ${JSON.stringify(change)}`);
    const doc = open.get(change.textDocument.uri);
    assert.equal(change.textDocument.version, doc ? doc.version : null, `${what}: version of ${change.textDocument.uri}`);
  }
}

/** What an editor does with a versioned edit: refuse it if any open document has another version; else the new texts. */
function applyLikeAnEditor(edit: WorkspaceEdit, open: ReadonlyMap<string, TextDocument>, disk: (uri: string) => string): Map<string, string> | 'refused' {
  const out = new Map<string, string>();
  for (const change of edit.documentChanges as TextDocumentEdit[]) {
    const doc = open.get(change.textDocument.uri);
    if (doc && change.textDocument.version !== doc.version) return 'refused';
    const base = doc ?? TextDocument.create(change.textDocument.uri, 'nix', 0, disk(change.textDocument.uri));
    out.set(change.textDocument.uri, TextDocument.applyEdits(base, change.edits as TextEdit[]));
  }
  return out;
}

const actionsOf = (result: unknown) => ((result ?? []) as (CodeAction | Command)[]).filter((a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));

test('the guard records writes, processes and connections, and not reads', { timeout: 60_000 }, () => {
  const ws = writeWorkspace({ '/existing.nix': '{ }\n' });
  try {
    const script = `
      const fs = require('fs'), path = require('path');
      const d = ${JSON.stringify(ws.root)};
      fs.readFileSync(path.join(d, 'existing.nix'));
      fs.closeSync(fs.openSync(path.join(d, 'existing.nix'), 'r'));
      fs.writeFileSync(path.join(d, 'a.nix'), 'x');
      fs.closeSync(fs.openSync(path.join(d, 'a.nix'), 'a'));
      fs.mkdirSync(path.join(d, 'sub'));
      fs.renameSync(path.join(d, 'a.nix'), path.join(d, 'sub', 'b.nix'));
      fs.rmSync(path.join(d, 'sub'), { recursive: true });
      require('child_process').spawnSync(process.execPath, ['-e', '0']);
      require('net').connect(path.join(d, 'no.sock')).on('error', () => {});
      require('http').request({ socketPath: path.join(d, 'no.sock') }).on('error', () => {}).end();
      require('dgram').createSocket('udp4').close();
      fs.promises.writeFile(path.join(d, 'c.nix'), 'y');
    `;
    const r = spawnSync(process.execPath, ['--require', GUARD, '-e', script], { encoding: 'utf8', timeout: DEFAULT_WAIT_MS });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^abuse-guard: watching process \d+$/m);
    const calls = records(r.stderr).map((l) => /^abuse-guard: ([\w.]+)\(/.exec(l)?.[1]);
    for (const expected of ['fs.writeFileSync', 'fs.openSync', 'fs.mkdirSync', 'fs.renameSync', 'fs.rmSync', 'child_process.spawnSync', 'net.connect', 'http.request', 'dgram.createSocket', 'fs.promises.writeFile']) {
      assert.ok(calls.includes(expected), `${expected} not recorded in:\n${r.stderr}`);
    }
    // The read-only open and the read are not writes.
    assert.equal(records(r.stderr).filter((l) => l.includes('existing.nix')).length, 0, r.stderr);
  } finally {
    ws.dispose();
  }
});

test('over a whole session the server writes no files, starts no processes and connects nowhere; every edit is versioned', { timeout: 300_000 }, async (t) => {
  const ws = writeWorkspace(exampleFiles());
  const before = snapshot(ws.root);
  const client = await TestClient.start(ws.root, {
    nodeArgs: ['--require', GUARD],
    capabilities: {
      workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: false } },
      textDocument: { completion: { completionItem: { snippetSupport: true } } },
    },
  });
  try {
    await client.log((l) => l.startsWith('indexed '));
    const uriOf = (rel: string) => pathToFileURL(ws.path(rel)).href;
    const disk = (uri: string) => readFileSync(new URL(uri), 'utf8');
    const open = new Map<string, TextDocument>();
    const openDoc = async (rel: string, version: number) => {
      const uri = uriOf(rel);
      const doc = TextDocument.create(uri, 'nix', version, disk(uri));
      open.set(uri, doc);
      await client.open(uri, doc.getText(), version);
    };
    const edit = async (rel: string, at: { line: number; character: number }, text: string) => {
      const uri = uriOf(rel);
      const doc = open.get(uri)!;
      const version = doc.version + 1;
      const change = { range: { start: at, end: at }, text };
      // (TextDocument.update changes the document in place.)
      open.set(uri, TextDocument.update(doc, [change], version));
      await client.change(uri, version, [change]);
    };

    await openDoc('modules/common.nix', 7);
    await openDoc('flake.nix', 3);
    await openDoc('modules/firmware.nix', 40);
    await edit('modules/common.nix', { line: 0, character: 0 }, '# edited in the editor, not saved\n');
    await edit('flake.nix', { line: 1, character: 0 }, '  # also unsaved\n');
    await client.diagnostics(uriOf('modules/common.nix'), (p) => p.version === 8);

    // Everything a user does in a session, on every line of every file (open or not).
    const files = Object.keys(exampleFiles()).map((f) => f.slice(1));
    let actions = 0;
    let versionedEdits = 0;
    for (const rel of files) {
      const uri = uriOf(rel);
      const text = open.get(uri)?.getText() ?? disk(uri);
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        const range = { start: { line, character: 0 }, end: { line, character: lines[line]!.length } };
        const result = await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
        for (const action of actionsOf(result)) {
          actions++;
          if (!action.edit) continue;
          checkVersioned(action.edit, open, `${action.title} at ${rel}:${line + 1}`);
          versionedEdits++;
        }
        const character = Math.floor(lines[line]!.length / 2);
        await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
        await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
        await client.request('textDocument/definition', { textDocument: { uri }, position: { line, character } });
      }
      await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      await client.request('textDocument/references', { textDocument: { uri }, position: { line: 0, character: 0 }, context: { includeDeclaration: true } });
    }
    await client.request('workspace/symbol', { query: '' });
    await client.request('nixpkgsInstances/overview', {});
    assert.ok(versionedEdits > 5, `only ${versionedEdits} edits among ${actions} actions`);

    // An edit computed for one version is refused by the editor once the document moved on; a new one is not.
    const commonUri = uriOf('modules/common.nix');
    const at = open.get(commonUri)!.getText().split('\n').findIndex((l) => l.includes('import inputs.nixpkgs-unstable'));
    const ask = async () =>
      actionsOf(
        await client.request('textDocument/codeAction', {
          textDocument: { uri: commonUri },
          range: { start: { line: at, character: 14 }, end: { line: at, character: 14 } },
          context: { diagnostics: [] },
        }),
      ).find((a) => a.edit && a.edit.documentChanges?.some((c) => 'textDocument' in c && c.textDocument.uri === commonUri));
    const old = await ask();
    assert.ok(old?.edit, 'no edit of the module to check');
    await edit('modules/common.nix', { line: 0, character: 0 }, '#');
    assert.equal(applyLikeAnEditor(old.edit, open, disk), 'refused');
    const fresh = await ask();
    assert.ok(fresh?.edit);
    checkVersioned(fresh.edit, open, fresh.title);
    assert.notEqual(applyLikeAnEditor(fresh.edit, open, disk), 'refused');

    // Hoist All through the command, with the client refusing the edit: the server writes nothing itself.
    const result = await client.request('workspace/executeCommand', { command: HOIST_ALL, arguments: [] });
    assert.equal(result, null);
    assert.equal(client.appliedEdits.length, 1, 'the server did not ask the client to apply the hoist');
    checkVersioned(client.appliedEdits[0]!.edit, open, 'hoistAll');
    assert.ok(
      client.shown.some((m) => /not applied: refused by the test client/.test(m.message)),
      JSON.stringify(client.shown),
    );

    // Closing reads the file back from disk; a watched-file event reads it again. Reads are fine.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf('modules/firmware.nix') } });
    open.delete(uriOf('modules/firmware.nix'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('modules/server.nix'), type: 2 }] });
    const after = await client.request('workspace/executeCommand', { command: HOIST_ALL });
    assert.equal(after, null);
    checkVersioned(client.appliedEdits.at(-1)!.edit, open, 'hoistAll after a close');
    t.diagnostic(`${actions} code actions (${versionedEdits} with edits) and ${client.timings.length} requests checked under the guard`);

    assert.equal(await client.stop(), 0);
  } finally {
    client.kill();
  }
  const stderr = client.stderr.join('');
  assert.match(stderr, /^abuse-guard: watching process \d+$/m, 'the guard was not loaded');
  assert.deepEqual(records(stderr), []);
  // And the workspace is exactly as it was: no file changed, added or removed.
  const afterSnapshot = snapshot(ws.root);
  assert.deepEqual([...afterSnapshot.keys()], [...before.keys()]);
  for (const [rel, content] of before) assert.ok(Buffer.from(content).equals(Buffer.from(afterSnapshot.get(rel)!)), `${rel} changed`);
  ws.dispose();
});

test('an edit of a closed file is never computed on text the disk no longer has', { timeout: 120_000 }, async () => {
  const files = {
    '/flake.nix': [
      '{',
      '  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";',
      '  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";',
      '  outputs = { self, nixpkgs, ... }@inputs: {',
      '    nixosConfigurations.a = nixpkgs.lib.nixosSystem {',
      '      system = "x86_64-linux";',
      '      specialArgs = { inherit inputs; };',
      '      modules = [ ./m.nix ];',
      '    };',
      '  };',
      '}',
      '',
    ].join('\n'),
    '/m.nix': '{ pkgs, inputs, ... }:\nlet\n  u = import inputs.nixpkgs-unstable { system = pkgs.system; };\nin { environment.systemPackages = [ u.hello ]; }\n',
  };
  const ws = writeWorkspace(files);
  const flakeUri = pathToFileURL(ws.path('flake.nix')).href;
  const moduleUri = pathToFileURL(ws.path('m.nix')).href;
  const hoistEdit = async (client: TestClient) => {
    const result = await client.request('textDocument/codeAction', {
      textDocument: { uri: moduleUri },
      range: { start: { line: 2, character: 8 }, end: { line: 2, character: 8 } },
      context: { diagnostics: [] },
    });
    const hoist = actionsOf(result).find((a) => a.title.startsWith('Hoist'));
    return hoist?.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === flakeUri);
  };
  const client = await TestClient.start(ws.root);
  try {
    await client.log((l) => l.startsWith('indexed '));
    await client.open(moduleUri, files['/m.nix'], 1);
    const before = await hoistEdit(client);
    assert.ok(before, 'no hoist into flake.nix to check');
    assert.equal(before.textDocument.version, null);

    // flake.nix changes on disk, and the client sends no watched-file event (not every client watches).
    writeFileSync(ws.path('flake.nix'), '# formatted by a tool\n# two lines longer\n' + files['/flake.nix']);
    const fresh = await TestClient.start(ws.root);
    let expected;
    try {
      await fresh.log((l) => l.startsWith('indexed '));
      await fresh.open(moduleUri, files['/m.nix'], 1);
      expected = await hoistEdit(fresh);
    } finally {
      assert.equal(await fresh.stop(), 0);
    }
    assert.ok(expected);
    // The very next answer is computed on the new text (the server checks the disk before handing out an
    // edit of a closed file, reads it again if it changed, and recomputes every action), and says so once.
    assert.deepEqual(await hoistEdit(client), expected);
    assert.deepEqual(await hoistEdit(client), expected);
    assert.equal(client.logs.filter((l) => l.includes('changed on disk')).length, 1, client.logs.join('\n'));
    assert.notDeepEqual(expected.edits, before.edits);
    assert.equal(await client.stop(), 0);
  } finally {
    client.kill();
    ws.dispose();
  }
});
