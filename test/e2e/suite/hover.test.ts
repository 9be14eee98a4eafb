/** Hover over an instance, as VS Code collects it from every hover provider. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, discardEditors, openFixture, positionAfter, SHARED_MODULE } from './support.js';

function markdownOf(hover: vscode.Hover): string {
  return hover.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

async function hoversAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover[]> {
  return vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
}

describe('hover', () => {
  before(activateExtension);
  afterEach(discardEditors);

  it('on a module instance tells its source input, settings, and how often which hosts evaluate it', async () => {
    const { document } = await openFixture(SHARED_MODULE.file);
    // Inside `import`, as the mouse would be.
    const hovers = await hoversAt(document, positionAfter(document, 'imp'));
    const ours = hovers.filter((h) => markdownOf(h).includes('nixpkgs instance'));
    assert.equal(ours.length, 1, `expected one instance hover, got: ${JSON.stringify(hovers.map(markdownOf))}`);
    const [hover] = ours;
    const text = markdownOf(hover!);
    for (const expected of [
      '**nixpkgs instance `unstable`**',
      'flake input `nixpkgs-unstable` (`github:NixOS/nixpkgs/nixpkgs-unstable`)',
      '`pkgs.stdenv.hostPlatform.system`',
      '`allowUnfree`',
      'Creates 2 package sets',
      `(${SHARED_MODULE.hosts.join(', ')})`,
    ]) {
      assert.ok(text.includes(expected), `the hover lacks ${JSON.stringify(expected)}:\n${text}`);
    }
    assert.ok(hover!.range, 'the hover has no range');
    assert.equal(document.getText(hover!.range), SHARED_MODULE.instance);
  });

  it('says nothing away from instances', async () => {
    const { document } = await openFixture(SHARED_MODULE.file);
    const hovers = await hoversAt(document, positionAfter(document, 'environment.system'));
    assert.deepEqual(
      hovers.map(markdownOf).filter((t) => t.includes('nixpkgs instance')),
      [],
      'an instance hover on `environment.systemPackages`',
    );
  });
});
