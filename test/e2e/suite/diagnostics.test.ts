/** Diagnostics as VS Code shows them: published for opened files and updated while the user types. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  BOTH_SYSTEMS,
  codeOf,
  deleteText,
  discardEditors,
  openFixture,
  ours,
  waitForDiagnostics,
} from './support.js';

const { file: FILE, code: CODE, removeToFix } = BOTH_SYSTEMS;

describe('diagnostics', () => {
  before(activateExtension);
  afterEach(discardEditors);

  it('reports system-and-local-system on `system` when modules/a.nix is opened', async () => {
    const editor = await openFixture(FILE);
    const document = editor.document;
    const all = await waitForDiagnostics(document.uri, `a ${CODE} error`, (ds) => ours(ds, CODE).length > 0);
    const found = ours(all, CODE);
    assert.equal(found.length, 1, `expected one ${CODE}, got ${found.length}`);
    const [d] = found;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 2);
    assert.equal(document.getText(d.range), 'system');
    // Plain text that leads with the fix (the Problems panel shows no markdown).
    assert.match(d.message, /^Remove system and keep localSystem\. /);
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(document.getText(d.relatedInformation[0].location.range), 'localSystem');
    // The code links to its section of the README.
    assert.ok(typeof d.code === 'object' && d.code.target.fragment === CODE, `no documentation link on ${codeOf(d)}`);
  });

  it('clears system-and-local-system as soon as `system` is removed, without saving', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, `a ${CODE} error`, (ds) => ours(ds, CODE).length > 0);
    await deleteText(editor, removeToFix);
    await waitForDiagnostics(uri, `no ${CODE} error after the edit`, (ds) => ours(ds, CODE).length === 0);
    assert.equal(editor.document.isDirty, true);
  });
});
