/**
 * The "Nixpkgs Instances" view (Explorer) and the status bar item, both fed by
 * the server's `nixpkgsInstances/overview` request and refreshed when the
 * server says the overview changed (or that indexing started: the item spins
 * until the overview arrives; see status.ts).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ConfigurationEntry, FlakeEntry, InstanceEntry, Overview } from '../../server/src/ide/overview';
import { statusView, type StatusView } from './status';

export const OVERVIEW_REQUEST = 'nixpkgsInstances/overview';
export const OVERVIEW_CHANGED = 'nixpkgsInstances/overviewChanged';

type Node =
  | { kind: 'flake'; flake: FlakeEntry }
  | { kind: 'configuration'; configuration: ConfigurationEntry }
  | { kind: 'instance'; instance: InstanceEntry }
  | { kind: 'other'; instances: InstanceEntry[] };

function location(file: string, range: InstanceEntry['range']): vscode.Location {
  return new vscode.Location(
    vscode.Uri.file(file),
    new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
  );
}

export function openCommand(file: string, range: InstanceEntry['range']): vscode.Command {
  const loc = location(file, range);
  return {
    command: 'vscode.open',
    title: 'Open',
    arguments: [loc.uri, { selection: loc.range, preview: true } satisfies vscode.TextDocumentShowOptions],
  };
}

/** `3 package sets, and its own`: what a configuration row says beside its name. */
export function configurationDescription(c: ConfigurationEntry): string {
  return (
    `${c.packageSets} package set${c.packageSets === 1 ? '' : 's'}` +
    (c.own ? ', and its own' : '') +
    (c.unknown ? `, ${c.unknown} more not counted` : '')
  );
}

export class InstancesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: Overview | null = null;
  private readonly status: vscode.StatusBarItem;
  /** Whether an indexing run may be under way (true until the first overview arrives). */
  private indexing = true;
  /** Overview requests asked for, and the one asked when the server last said indexing started. */
  private requests = 0;
  private indexingSince = 0;
  private shownStatus: StatusView | null = null;

  constructor(private readonly client: LanguageClient) {
    this.status = vscode.window.createStatusBarItem('nixpkgsInstances.status', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Nixpkgs Instances';
    this.status.command = 'nixpkgsInstances.instances.focus';
  }

  /** The last overview the server sent (the tests read it). */
  get overview(): Overview | null {
    return this.data;
  }

  /** What the status bar item shows now (the end-to-end tests read it). */
  get statusShown(): StatusView | null {
    return this.shownStatus;
  }

  /**
   * Asks the server for the overview. The answer waits for indexing to end, so the item spins
   * meanwhile: from activation until the first answer, and from the server's `indexing: true`
   * until an answer asked for after it.
   */
  async refresh(indexing = false): Promise<void> {
    const asked = ++this.requests;
    if (indexing) {
      this.indexingSince = asked;
      this.indexing = true;
    }
    if (this.indexing) this.updateStatus();
    try {
      this.data = await this.client.sendRequest<Overview | null>(OVERVIEW_REQUEST);
    } catch {
      this.data = null;
    }
    if (asked >= this.indexingSince) this.indexing = false;
    this.updateStatus();
    this.changed.fire(undefined);
  }

  private updateStatus(): void {
    const shown = statusView(this.data?.totals ?? null, this.indexing);
    this.shownStatus = shown;
    if (!shown) {
      this.status.hide();
      return;
    }
    this.status.text = shown.text;
    this.status.accessibilityInformation = { label: shown.accessibilityLabel, role: 'button' };
    this.status.tooltip = new vscode.MarkdownString(shown.tooltip);
    this.status.show();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'flake': {
        const item = new vscode.TreeItem(
          node.flake.root ? `flake.nix` : `${node.flake.label}/flake.nix`,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        const lock = node.flake.lock;
        item.description =
          `${node.flake.configurations.length} output${node.flake.configurations.length === 1 ? '' : 's'}` +
          (lock ? ` · ${lock.nixpkgsSources} nixpkgs source${lock.nixpkgsSources === 1 ? '' : 's'} in flake.lock` : '');
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.resourceUri = vscode.Uri.file(node.flake.file);
        item.contextValue = 'flake';
        item.command = openCommand(node.flake.file, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
        return item;
      }
      case 'configuration': {
        const c = node.configuration;
        const item = new vscode.TreeItem(c.name, c.instances.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = configurationDescription(c);
        item.tooltip = `${c.output}: evaluating it creates ${item.description}.`;
        item.iconPath = new vscode.ThemeIcon(c.builder === 'homeManagerConfiguration' ? 'home' : c.builder === 'output' ? 'symbol-field' : 'server');
        item.command = openCommand(c.file, c.range);
        item.contextValue = 'configuration';
        return item;
      }
      case 'instance': {
        const i = node.instance;
        const item = new vscode.TreeItem(i.label, vscode.TreeItemCollapsibleState.None);
        item.description = i.description;
        item.tooltip = new vscode.MarkdownString(
          `\`${i.label}\`\n\n${i.count === null ? 'How many package sets it creates is not known from the text' : `Creates ${i.count === 1 ? '1 package set' : `${i.count} package sets`}`}: ${i.why}.${i.problems.length ? `\n\nProblems: ${i.problems.map((p) => `\`${p}\``).join(', ')}` : ''}`,
        );
        item.iconPath =
          i.problem === 'error'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
            : i.problem === 'warning'
              ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
              : new vscode.ThemeIcon(i.createsInstance ? 'package' : 'link');
        item.command = openCommand(i.file, i.range);
        item.contextValue = i.problems.includes('instance-in-module') ? 'instance.hoistable' : 'instance';
        return item;
      }
      case 'other': {
        const item = new vscode.TreeItem('Outside any flake', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.instances.length}`;
        item.iconPath = new vscode.ThemeIcon('folder');
        return item;
      }
    }
  }

  getChildren(node?: Node): Node[] {
    const d = this.data;
    if (!d) return [];
    if (!node) {
      const top: Node[] = d.flakes.map((flake) => ({ kind: 'flake', flake }));
      if (d.other.length) top.push({ kind: 'other', instances: d.other });
      return top;
    }
    switch (node.kind) {
      case 'flake':
        // Every output, each with the sets it creates (flake.nix's own sites are under the outputs that use them).
        return node.flake.configurations.map((configuration): Node => ({ kind: 'configuration', configuration }));
      case 'configuration':
        return node.configuration.instances.map((instance) => ({ kind: 'instance', instance }));
      case 'other':
        return node.instances.map((instance) => ({ kind: 'instance', instance }));
      default:
        return [];
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.status.dispose();
  }
}

/** "Show All Instances": a quick pick over every instance, previewing each as it is highlighted. */
export async function showAllInstances(view: InstancesView): Promise<void> {
  await view.refresh();
  const d = view.overview;
  const all = d ? [...d.flakes.flatMap((f) => [...f.instances, ...f.configurations.flatMap((c) => c.instances)]), ...d.other] : [];
  const unique = [...new Map(all.map((i) => [`${i.file}:${i.range.start.line}:${i.range.start.character}`, i])).values()];
  type Item = vscode.QuickPickItem & { entry: InstanceEntry };
  const items: Item[] = unique.map((entry) => ({
    label: `${entry.problem === 'error' ? '$(error) ' : entry.problem === 'warning' ? '$(warning) ' : '$(package) '}${entry.label}`,
    description: vscode.workspace.asRelativePath(entry.file),
    detail: entry.description,
    entry,
  }));
  const pick = vscode.window.createQuickPick<Item>();
  pick.items = items;
  pick.placeholder = items.length ? 'Go to a nixpkgs instance' : 'No nixpkgs instances in this workspace';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const show = async (item: Item | undefined, preview: boolean) => {
    if (!item) return;
    const loc = location(item.entry.file, item.entry.range);
    await vscode.window.showTextDocument(loc.uri, { selection: loc.range, preview, preserveFocus: preview });
  };
  pick.onDidChangeActive((active) => void show(active[0], true));
  pick.onDidAccept(() => {
    void show(pick.selectedItems[0], false);
    pick.hide();
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
