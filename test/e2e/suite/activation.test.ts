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

  it('registers its commands', async () => {
    await activateExtension();
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['nixpkgsInstances.restartServer', 'nixpkgsInstances.showOutput']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });
});
