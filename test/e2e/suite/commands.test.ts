/** The commands the extension contributes, run the way the command palette runs them. */
import * as vscode from 'vscode';
import { activateExtension, BOTH_SYSTEMS, deleteText, discardEditors, openFixture, ours, waitForDiagnostics } from './support.js';

const { file: FILE, code: CODE, removeToFix } = BOTH_SYSTEMS;

describe('commands', () => {
  before(activateExtension);
  afterEach(discardEditors);

  it('nixpkgsInstances.restartServer replaces the server with one that analyses edits', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    const present = (ds: vscode.Diagnostic[]) => ours(ds, CODE).length === 1;
    await waitForDiagnostics(uri, `a ${CODE} error`, present);

    // Stopping the old server withdraws its diagnostics; the new one publishes them again.
    const withdrawn = waitForDiagnostics(uri, 'the old server\'s diagnostics withdrawn', (ds) => ours(ds).length === 0);
    await vscode.commands.executeCommand('nixpkgsInstances.restartServer');
    await withdrawn;
    await waitForDiagnostics(uri, `the ${CODE} error from the new server`, present);

    await deleteText(editor, removeToFix);
    await waitForDiagnostics(uri, `no ${CODE} error after the edit`, (ds) => ours(ds, CODE).length === 0);
  });

  // The API cannot tell which output channel the panel shows (output documents are not
  // exposed to extensions), so this checks that the command runs to completion: a missing
  // registration or a throwing handler rejects here.
  it('nixpkgsInstances.showOutput runs', async () => {
    await vscode.commands.executeCommand('nixpkgsInstances.showOutput');
  });
});
