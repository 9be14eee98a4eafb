/** The extension loads where the runner put it and contributes what a user finds before any analysis. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, discardEditors, EXPECTED_EXTENSION_ROOT_ENV, openFixture } from './support.js';

describe('activation', () => {
  afterEach(discardEditors);

  it('activates nixpkgs-instances.nixpkgs-instances from the location under test', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
    const expected = process.env[EXPECTED_EXTENSION_ROOT_ENV];
    assert.ok(expected, `the runner did not set ${EXPECTED_EXTENSION_ROOT_ENV}`);
    const where = extension.extensionPath;
    assert.ok(
      where === expected || where.startsWith(expected + path.sep),
      `the extension was loaded from ${where}, not from ${expected}`,
    );
  });

  it('opens .nix files as the nix language', async () => {
    await activateExtension();
    const editor = await openFixture('flake.nix');
    assert.equal(editor.document.languageId, 'nix');
  });

  it('registers every command its manifest contributes', async () => {
    const extension = await activateExtension();
    const manifest = extension.packageJSON as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    const expected = ['restartServer', 'showOutput', 'showInstances', 'refresh', 'hoistAll'].map((c) => `nixpkgsInstances.${c}`);
    for (const command of expected) {
      assert.ok(contributed.includes(command), `the manifest does not contribute ${command}`);
    }
    const registered = await vscode.commands.getCommands(true);
    assert.deepEqual(contributed.filter((c) => !registered.includes(c)), [], 'contributed but not registered');
  });
});
