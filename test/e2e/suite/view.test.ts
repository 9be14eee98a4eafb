/**
 * The "Nixpkgs Instances" view and the commands around it: the data the tree
 * shows (the extension's API exposes its provider), its items, how it follows
 * edits, Refresh, and Show All Instances.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  BOTH_SYSTEMS,
  discardEditors,
  extensionApi,
  fixtureUri,
  labelOf,
  onEditorsOrSelections,
  openFixture,
  refreshedView,
  SHARED_MODULE,
  waitForEvent,
  type InstanceEntry,
  type InstancesView,
  type Overview,
} from './support.js';

const SHARED_LABEL = 'unstable = inputs.nixpkgs-unstable';
const A_LABEL = 'pkgs = inputs.nixpkgs';

function configurationsOf(overview: Overview | null) {
  const [flake] = overview?.flakes ?? [];
  return new Map((flake?.configurations ?? []).map((c) => [c.name, c]));
}

function themeIconId(item: vscode.TreeItem): string | undefined {
  return item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
}

function rangeOf(entry: InstanceEntry): vscode.Range {
  const { start, end } = entry.range;
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

describe('instances view', () => {
  let view: InstancesView;
  before(async () => {
    ({ view } = await extensionApi());
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await discardEditors();
  });

  it('shows the fixture flake, its hosts, and the instances each evaluates with their problems', async () => {
    await refreshedView();
    const overview = view.overview;
    assert.ok(overview, 'the view has no data');
    assert.equal(overview.flakes.length, 1, `flakes: ${overview.flakes.map((f) => f.file).join(', ')}`);
    const [flake] = overview.flakes;
    assert.equal(flake!.file, fixtureUri('flake.nix').fsPath);
    assert.equal(flake!.root, true);
    assert.equal(flake!.label, '.');
    assert.deepEqual(flake!.instances, [], 'flake.nix itself creates no instance');
    assert.deepEqual(overview.other, [], 'every instance is reached from the flake');

    const configurations = configurationsOf(overview);
    assert.deepEqual([...configurations.keys()], ['alpha', 'beta', 'host'], 'configurations, sorted by name');
    for (const c of configurations.values()) assert.equal(c.builder, 'nixosSystem', `builder of ${c.name}`);

    const shared = await vscode.workspace.openTextDocument(fixtureUri(SHARED_MODULE.file));
    for (const host of SHARED_MODULE.hosts) {
      const instances = configurations.get(host)!.instances;
      assert.equal(instances.length, 1, `${host} evaluates one instance`);
      const [i] = instances;
      assert.equal(i!.file, fixtureUri(SHARED_MODULE.file).fsPath);
      assert.equal(i!.label, SHARED_LABEL);
      assert.equal(i!.createsInstance, true);
      assert.match(i!.description, /^modules\/shared\.nix:\d+ · .* · once per configuration that loads this file \(alpha, beta\)$/);
      assert.equal(i!.count, 1, `${host} evaluates it once`);
      assert.equal(i!.problem, 'warning');
      assert.deepEqual(i!.problems, [SHARED_MODULE.code]);
      const text = shared.getText(rangeOf(i!));
      assert.ok(text.startsWith(`${SHARED_MODULE.instance} {`) && text.endsWith('}'), `the entry's range covers ${JSON.stringify(text)}`);
    }

    const [a] = configurations.get('host')!.instances;
    assert.equal(configurations.get('host')!.instances.length, 1);
    assert.equal(a!.file, fixtureUri(BOTH_SYSTEMS.file).fsPath);
    assert.equal(a!.label, A_LABEL);
    assert.match(a!.description, /^modules\/a\.nix:\d+ · x86_64-linux · once per configuration that loads this file \(host\)$/);
    assert.equal(a!.problem, 'error', 'the worst of its problems');
    // One host loads a.nix: hoisting would save nothing, so no instance-in-module there.
    assert.deepEqual([...a!.problems], [BOTH_SYSTEMS.code]);

    assert.deepEqual(overview.totals, { instances: 2, evaluations: 3, packageSets: 3, unknown: 0, errors: 1, warnings: 1, infos: 0 });

    // The status bar item counts the package sets, as the view and report do; the problems stay in VS Code's own counters.
    const status = view.statusShown;
    assert.ok(status, 'no status bar item');
    assert.equal(status.text, '$(package) 3 package sets');
    assert.doesNotMatch(status.accessibilityLabel, /\$\(|`|\*\*/, 'plain text for screen readers');
  });

  it('tree items: flake.nix, then its hosts, then their instances marked with their worst problem; clicking opens the site', async () => {
    await refreshedView();
    const top = view.getChildren();
    assert.equal(top.length, 1);
    const flakeItem = await view.getTreeItem(top[0]);
    assert.equal(labelOf(flakeItem), 'flake.nix');
    assert.equal(flakeItem.description, '3 outputs');
    assert.equal(flakeItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    const hosts = view.getChildren(top[0]);
    const hostItems = await Promise.all(hosts.map((h) => view.getTreeItem(h)));
    assert.deepEqual(hostItems.map(labelOf), ['alpha', 'beta', 'host']);
    for (const item of hostItems) {
      assert.equal(item.description, '1 package set, and its own', `description of ${labelOf(item)}`);
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    }

    const [entry] = view.overview!.flakes[0]!.configurations[0]!.instances;
    const sharedText = (await vscode.workspace.openTextDocument(fixtureUri(SHARED_MODULE.file))).getText(rangeOf(entry!));
    assert.ok(sharedText.startsWith(`${SHARED_MODULE.instance} {`), `the entry covers ${JSON.stringify(sharedText)}`);
    const [alphaInstance] = view.getChildren(hosts[0]);
    const sharedItem = await view.getTreeItem(alphaInstance);
    assert.equal(labelOf(sharedItem), SHARED_LABEL);
    assert.equal(themeIconId(sharedItem), 'warning');
    assert.equal(sharedItem.contextValue, 'instance.hoistable');
    const [hostInstance] = view.getChildren(hosts[2]);
    const aItem = await view.getTreeItem(hostInstance);
    assert.equal(labelOf(aItem), A_LABEL);
    assert.equal(themeIconId(aItem), 'error');

    // Clicking the item runs its command: the module opens with the instance selected.
    const command = sharedItem.command;
    assert.ok(command, 'the instance item has no command');
    const target = fixtureUri(SHARED_MODULE.file).toString();
    const active = () => vscode.window.activeTextEditor;
    const opened = waitForEvent(
      onEditorsOrSelections,
      `${SHARED_MODULE.file} active with the instance selected`,
      () => active()?.document.uri.toString() === target && active()!.document.getText(active()!.selection) === sharedText,
      () => `active: ${active()?.document.uri.path} selecting ${JSON.stringify(active()?.document.getText(active()!.selection))}`,
    );
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    await opened;
  });

  it('follows edits without a refresh: removing the module instance empties its hosts', async () => {
    await refreshedView();
    const editor = await openFixture(SHARED_MODULE.file);
    const hostsWithInstances = () =>
      SHARED_MODULE.hosts.filter((h) => (configurationsOf(view.overview).get(h)?.instances.length ?? 0) > 0).join(', ') || 'none';
    assert.equal(hostsWithInstances(), SHARED_MODULE.hosts.join(', '));
    // `unstable = import inputs.nixpkgs-unstable { ... };` becomes `unstable = pkgs;` (in memory).
    const document = editor.document;
    const start = document.getText().indexOf(SHARED_MODULE.instance);
    const end = document.getText().indexOf('};', start) + 1;
    const range = new vscode.Range(document.positionAt(start), document.positionAt(end));
    assert.ok(await editor.edit((e) => e.replace(range, 'pkgs')), 'the editor refused the edit');
    await waitForEvent(
      view.onDidChangeTreeData,
      'the view without the module instance',
      () => hostsWithInstances() === 'none',
      () => `hosts with instances: ${hostsWithInstances()}`,
    );
    assert.equal(view.overview?.totals.instances, 1);
    assert.equal(view.overview?.totals.packageSets, 1);
  });

  it('nixpkgsInstances.refresh asks the server again and redraws the tree', async () => {
    const { client } = await extensionApi();
    let redrawn = 0;
    const listener = view.onDidChangeTreeData(() => redrawn++);
    try {
      await vscode.commands.executeCommand('nixpkgsInstances.refresh');
    } finally {
      listener.dispose();
    }
    assert.ok(redrawn >= 1, 'the tree was not told to redraw');
    assert.deepEqual(view.overview, await client.sendRequest<Overview>('nixpkgsInstances/overview'));
  });

  it('nixpkgsInstances.showInstances opens a quick pick that previews the highlighted instance and opens the accepted one', async () => {
    // Without data the pick is empty and nothing would ever be previewed: fail fast instead.
    await refreshedView();
    const target = fixtureUri(SHARED_MODULE.file).toString();
    const previewed = () =>
      vscode.window.visibleTextEditors.find(
        (e) => e.document.uri.toString() === target && e.document.getText(e.selection).startsWith(SHARED_MODULE.instance),
      );
    // The preview editor appears first and gets its selection just after.
    const preview = waitForEvent(
      onEditorsOrSelections,
      `a preview of ${SHARED_MODULE.file} with the instance selected`,
      () => previewed() !== undefined,
      () => `visible: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.path).join(', ') || 'none'}`,
    );
    await vscode.commands.executeCommand('nixpkgsInstances.showInstances');
    await preview;
    // Enter opens the highlighted instance for good (not as a preview) and closes the pick.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const tab = () => vscode.window.tabGroups.activeTabGroup.activeTab;
    const tabUri = () => {
      const input = tab()?.input;
      return input instanceof vscode.TabInputText ? input.uri.toString() : undefined;
    };
    await waitForEvent(
      vscode.window.tabGroups.onDidChangeTabs,
      `${SHARED_MODULE.file} open as a pinned tab`,
      () => tabUri() === target && tab()?.isPreview === false,
      () => `active tab: ${tab()?.label} (preview: ${tab()?.isPreview})`,
    );
  });
});
