/**
 * Code actions over stdio with `codeAction/resolve` (server/src/lsp/actions.ts):
 * a client that resolves gets titles, kinds, diagnostics and disabled reasons
 * without edits, and the edit on resolve, equal to the one a client without
 * resolve support gets in the list; an action resolved after its document or
 * the workspace changed comes back without an edit, disabled with the reason;
 * source actions (Hoist all) are left out of automatic requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ClientCapabilities, CodeAction, Command } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient.js';
import { writeWorkspace } from '../support/workspace.js';
import { SHARED_MODULE_WORKSPACE } from '../support/sharedModule.js';

const RESOLVING: ClientCapabilities = {
  workspace: { didChangeWatchedFiles: { dynamicRegistration: false } },
  textDocument: { codeAction: { resolveSupport: { properties: ['edit'] }, dataSupport: true } },
};

const AT_INSTANCE = { start: { line: 2, character: 8 }, end: { line: 2, character: 8 } };

async function session(capabilities?: ClientCapabilities) {
  const ws = writeWorkspace(SHARED_MODULE_WORKSPACE);
  const client = await TestClient.start(ws.root, capabilities ? { capabilities } : {});
  const moduleUri = pathToFileURL(ws.path('m.nix')).href;
  const flakeUri = pathToFileURL(ws.path('flake.nix')).href;
  await client.open(moduleUri, readFileSync(ws.path('m.nix'), 'utf8'), 7);
  await client.diagnostics(moduleUri, (p) => p.diagnostics.some((d) => d.code === 'instance-in-module'));
  const list = async (range = AT_INSTANCE) =>
    ((await client.request('textDocument/codeAction', { textDocument: { uri: moduleUri }, range, context: { diagnostics: [] } })) as (CodeAction | Command)[]).filter(
      (a): a is CodeAction => 'kind' in a,
    );
  return { ws, client, moduleUri, flakeUri, list };
}

const hoistOf = (actions: CodeAction[]) => actions.find((a) => a.title.startsWith('Hoist u '));

test('a resolving client gets the list without edits and each edit on codeAction/resolve, as a client without resolve gets it', { timeout: 120_000 }, async () => {
  const plain = await session();
  let expected: CodeAction | undefined;
  try {
    expected = hoistOf(await plain.list());
    assert.ok(expected?.edit, 'a client without resolve support gets the edit in the list');
  } finally {
    assert.equal(await plain.client.stop(), 0);
    plain.ws.dispose();
  }

  const s = await session(RESOLVING);
  try {
    assert.deepEqual(s.client.initializeResult?.capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'refactor.rewrite', 'source'],
      resolveProvider: true,
    });
    const actions = await s.list();
    assert.ok(actions.length >= 2, JSON.stringify(actions));
    for (const a of actions) {
      assert.equal(a.edit, undefined, `${a.title} carries its edit in the list`);
      assert.ok(a.data, `${a.title} carries no data to resolve it with`);
      assert.doesNotMatch(a.title + (a.disabled?.reason ?? ''), /`/, 'titles and reasons are plain text');
    }
    const hoist = hoistOf(actions);
    assert.ok(hoist, actions.map((a) => a.title).join(' | '));
    assert.equal(hoist.isPreferred, true);
    assert.deepEqual(hoist.diagnostics?.map((d) => d.code), ['instance-in-module']);
    const resolved = (await s.client.request('codeAction/resolve', hoist)) as CodeAction;
    assert.equal(resolved.disabled, undefined);
    assert.equal(resolved.title, hoist.title);
    // The same edit, versions included (the open module 7, flake.nix closed: null), the paths aside.
    const relative = (x: unknown) => JSON.stringify(x).replaceAll(pathToFileURL(s.ws.root).href, 'ROOT');
    const relativeExpected = JSON.stringify(expected!.edit).replace(/file:\/\/[^"]*?\/(flake|m)\.nix/g, 'ROOT/$1.nix');
    assert.equal(relative(resolved.edit), relativeExpected);

    // Hoist all, a source action, resolves too (planned once for the revision).
    const all = actions.find((a) => a.kind === 'source');
    assert.ok(all, 'no hoist-all in the list');
    const allResolved = (await s.client.request('codeAction/resolve', all)) as CodeAction;
    assert.ok(allResolved.edit?.documentChanges?.length, JSON.stringify(allResolved));

    // Asked automatically (VS Code's light bulb, which never shows source actions), Hoist all is
    // not planned; asked for with only: ["source"] (the Source Action menu), it is.
    const ask = async (context: object) =>
      ((await s.client.request('textDocument/codeAction', { textDocument: { uri: s.moduleUri }, range: AT_INSTANCE, context: { diagnostics: [], ...context } })) as CodeAction[]).map((a) => a.kind);
    assert.deepEqual((await ask({ triggerKind: 2 })).filter((k) => k === 'source'), []);
    assert.ok((await ask({ triggerKind: 2 })).includes('quickfix'));
    assert.deepEqual(await ask({ triggerKind: 1, only: ['source'] }), ['source']);
    assert.deepEqual(await ask({ triggerKind: 2, only: ['source'] }), ['source']);
    assert.deepEqual(s.client.protocolErrors, []);
  } finally {
    assert.equal(await s.client.stop(), 0);
    s.ws.dispose();
  }
});

test('resolving after the document or the workspace changed gives no edit, a disabled action with the reason', { timeout: 120_000 }, async () => {
  const s = await session(RESOLVING);
  try {
    // The document changed: version 7 in the action, 8 now.
    const old = hoistOf(await s.list())!;
    await s.client.change(s.moduleUri, 8, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment\n' }]);
    const stale = (await s.client.request('codeAction/resolve', old)) as CodeAction;
    assert.equal(stale.edit, undefined);
    assert.match(stale.disabled?.reason ?? '', /^m\.nix changed after this action was offered; ask for code actions again\.$/);

    // Another document changed (the module's version did not): the workspace moved on.
    const below = { start: { line: 3, character: 8 }, end: { line: 3, character: 8 } };
    const fresh = hoistOf(await s.list(below));
    assert.ok(fresh, 'no hoist after the comment');
    await s.client.open(s.flakeUri, readFileSync(s.ws.path('flake.nix'), 'utf8'), 1);
    const other = (await s.client.request('codeAction/resolve', fresh)) as CodeAction;
    assert.equal(other.edit, undefined);
    assert.match(other.disabled?.reason ?? '', /^The workspace changed after this action was offered/);

    // Asked again, it resolves, with the document's new version.
    const again = hoistOf(await s.list(below));
    assert.ok(again, 'no hoist after the edits');
    const resolved = (await s.client.request('codeAction/resolve', again)) as CodeAction;
    const versions = (resolved.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? [c.textDocument.uri.split('/').pop(), c.textDocument.version] : null));
    assert.deepEqual(versions.sort(), [['flake.nix', 1], ['m.nix', 8]]);

    // Data that is not this server's is refused with InvalidParams, not an exception in the log.
    await assert.rejects(s.client.request('codeAction/resolve', { title: 'x', data: { uri: 1 } }), /data\.uri must be a string/);
    await assert.rejects(s.client.request('codeAction/resolve', { title: 'x' }), /data must be an object/);
    assert.deepEqual(s.client.protocolErrors, []);
  } finally {
    assert.equal(await s.client.stop(), 0);
    s.ws.dispose();
  }
});
