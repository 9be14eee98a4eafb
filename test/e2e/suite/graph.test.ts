/**
 * "Show Graph": the webview picture of configurations, the files that instantiate nixpkgs and
 * the instances, sized by evaluations; clicking a node opens its code.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { discardEditors, extensionApi, fixtureUri, onEditorsOrSelections, refreshedView, SHARED_MODULE, waitForEvent } from './support.js';

describe('graph', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await discardEditors();
  });

  it('shows configurations, the files that instantiate and the instances, sized by evaluations; a click opens the code', async () => {
    await refreshedView();
    const { graph } = await extensionApi();
    await vscode.commands.executeCommand('nixpkgsInstances.showGraph');
    const g = graph.current;
    assert.ok(g, 'the panel shows no graph');
    const of = (kind: string) => g.nodes.filter((n) => n.kind === kind).map((n) => `${n.label} ${n.weight}`);
    assert.deepEqual(of('configuration'), ['alpha 1', 'beta 1', 'host 1']);
    assert.deepEqual(of('file'), ['modules/a.nix 1', 'modules/shared.nix 2']);
    const shared = g.nodes.find((n) => n.kind === 'instance' && n.target.file === fixtureUri(SHARED_MODULE.file).fsPath);
    assert.equal(shared?.weight, 2, 'the shared instance is evaluated by alpha and beta');
    assert.match(graph.html ?? '', /<svg id="graph"/);
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const graphTab = () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Nixpkgs Instances: Graph');
    if (!graphTab()) {
      await waitForEvent(vscode.window.tabGroups.onDidChangeTabs, 'the graph tab', () => graphTab() !== undefined, () => `tabs: ${tabs().map((t) => t.label).join(', ')}`);
    }

    // What the webview posts on a click: the shared module opens with the instance selected.
    const target = fixtureUri(SHARED_MODULE.file).toString();
    const active = () => vscode.window.activeTextEditor;
    const opened = waitForEvent(
      onEditorsOrSelections,
      `${SHARED_MODULE.file} opened from the graph`,
      () => active()?.document.uri.toString() === target && active()!.document.getText(active()!.selection).startsWith(SHARED_MODULE.instance),
      () => `active: ${active()?.document.uri.path}`,
    );
    await graph.receive({ type: 'open', id: shared!.id });
    await opened;
  });
});
