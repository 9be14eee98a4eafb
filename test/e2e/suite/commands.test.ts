/** The commands the extension contributes, run the way the command palette runs them. */
import * as fs from 'node:fs';
import * as assert from 'node:assert/strict';
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

  it('a server that dies is restarted and analyses edits again', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    const present = (ds: vscode.Diagnostic[]) => ours(ds, CODE).length === 1;
    await waitForDiagnostics(uri, `a ${CODE} error`, present);

    // The server is a child of this extension host (node IPC); a crash is a kill as far as the
    // client can tell.
    const [pid, ...others] = serverProcesses();
    assert.ok(pid !== undefined && others.length === 0, `one server process, found ${[pid, ...others].join(', ')}`);
    const withdrawn = waitForDiagnostics(uri, "the dead server's diagnostics withdrawn", (ds) => ours(ds).length === 0);
    process.kill(pid, 'SIGKILL');
    await withdrawn;
    await waitForDiagnostics(uri, `the ${CODE} error from the restarted server`, present);
    const restarted = serverProcesses();
    assert.equal(restarted.length, 1);
    assert.notEqual(restarted[0], pid, 'a new server process');

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

/** The language servers this extension host started: its children running dist/server.js (Linux /proc). */
function serverProcesses(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of stat is the parent; the command name (field 2) may hold spaces, so read after it.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.endsWith('/dist/server.js'))) out.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return out;
}
