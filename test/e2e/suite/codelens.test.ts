/** CodeLenses above instances, as VS Code collects them from every CodeLens provider. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, BOTH_SYSTEMS, discardEditors, openFixture, SHARED_MODULE } from './support.js';

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
}

describe('codeLens', () => {
  before(activateExtension);
  afterEach(discardEditors);

  it('above a module instance: how often it is evaluated and by which hosts, as plain text', async () => {
    const { document } = await openFixture(SHARED_MODULE.file);
    const ours = (await lensesOf(document)).filter((l) => l.command?.title.startsWith('evaluated '));
    assert.deepEqual(
      ours.map((l) => l.command!.title),
      [`evaluated 2x: ${SHARED_MODULE.hosts.join(', ')}`],
    );
    const line = document.lineAt(ours[0]!.range.start.line).text;
    assert.ok(line.includes(SHARED_MODULE.instance), `the lens sits above ${JSON.stringify(line)}`);
  });

  it('above an instance one host loads: evaluated 1x with that host', async () => {
    const { document } = await openFixture(BOTH_SYSTEMS.file);
    const ours = (await lensesOf(document)).filter((l) => l.command?.title.startsWith('evaluated '));
    assert.deepEqual(ours.map((l) => l.command!.title), ['evaluated 1x: host']);
  });
});
