/**
 * "Show Graph": a webview panel with the picture of graph.ts, redrawn whenever the view's overview
 * changes; a click on a node opens its code. The panel only draws what the server's overview says.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { buildGraph, graphHtml, type Graph } from './graph';
import { openCommand, type InstancesView } from './view';

export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private graph: Graph | null = null;
  private readonly listener: vscode.Disposable;

  constructor(private readonly view: InstancesView) {
    this.listener = view.onDidChangeTreeData(() => this.draw());
  }

  /** What the panel shows now (the end-to-end tests read it); null while it is closed. */
  get current(): Graph | null {
    return this.panel ? this.graph : null;
  }

  /** The HTML the webview holds (the end-to-end tests read it). */
  get html(): string | null {
    return this.panel?.webview.html ?? null;
  }

  async show(): Promise<void> {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('nixpkgsInstances.graph', 'Nixpkgs Instances: Graph', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = null));
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m));
    } else this.panel.reveal();
    if (!this.view.overview) await this.view.refresh();
    this.draw();
  }

  /** A message from the webview: `{ type: 'open', id }` opens the node's code. */
  async receive(message: unknown): Promise<void> {
    const m = message as { type?: unknown; id?: unknown } | null;
    if (m?.type !== 'open' || typeof m.id !== 'string') return;
    const node = this.graph?.nodes.find((n) => n.id === m.id);
    if (!node) return;
    const command = openCommand(node.target.file, node.target.range);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
  }

  private draw(): void {
    if (!this.panel) return;
    const overview = this.view.overview;
    this.graph = overview ? buildGraph(overview, (f) => vscode.workspace.asRelativePath(f)) : null;
    const nonce = randomBytes(16).toString('base64');
    this.panel.webview.html = this.graph
      ? graphHtml(this.graph, nonce, this.panel.webview.cspSource)
      : '<!DOCTYPE html><html lang="en"><body><p>No overview from the server yet.</p></body></html>';
  }

  dispose(): void {
    this.listener.dispose();
    this.panel?.dispose();
  }
}
