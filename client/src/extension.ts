/**
 * The VS Code client: starts the language server (dist/server.js over node
 * IPC), forwards settings, and registers commands. All analysis happens in the
 * server; this file stays thin.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { RestartPolicy } from './restart';
import { InstancesView, OVERVIEW_CHANGED, showAllInstances } from './view';
import { GraphPanel } from './graphPanel';

let client: LanguageClient | undefined;

/** What the extension's API returns from `activate`: used by the end-to-end tests. */
export interface NixpkgsInstancesApi {
  client: LanguageClient;
  view: InstancesView;
  graph: GraphPanel;
}

export async function activate(context: vscode.ExtensionContext): Promise<NixpkgsInstancesApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const output = vscode.window.createOutputChannel('Nixpkgs Instances', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nix' },
      { scheme: 'untitled', language: 'nix' },
    ],
    synchronize: { configurationSection: 'nixpkgsInstances' },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler: restartingErrorHandler(output),
  };
  const c = new LanguageClient('nixpkgsInstances', 'Nixpkgs Instances', serverOptions, clientOptions);
  client = c;
  const view = new InstancesView(c);
  const graph = new GraphPanel(view);

  context.subscriptions.push(
    output,
    view,
    graph,
    vscode.window.registerTreeDataProvider('nixpkgsInstances.instances', view),
    vscode.commands.registerCommand('nixpkgsInstances.restartServer', async () => {
      await c.restart();
      await view.refresh();
    }),
    vscode.commands.registerCommand('nixpkgsInstances.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('nixpkgsInstances.showInstances', () => showAllInstances(view)),
    vscode.commands.registerCommand('nixpkgsInstances.refresh', () => view.refresh()),
    vscode.commands.registerCommand('nixpkgsInstances.showGraph', () => graph.show()),
    vscode.commands.registerCommand('nixpkgsInstances.hoistAll', () =>
      c.sendRequest('workspace/executeCommand', { command: 'nixpkgsInstances.server.hoistAll', arguments: [] }),
    ),
  );
  await c.start();
  void vscode.commands.executeCommand('setContext', 'nixpkgsInstances.active', true);
  context.subscriptions.push(
    c.onNotification(OVERVIEW_CHANGED, (params?: { indexing?: boolean }) => void view.refresh(params?.indexing === true)),
  );
  await view.refresh();
  return { client: c, view, graph };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * Restarts a server that crashed, up to 5 times in 3 minutes ({@link RestartPolicy}), and tells
 * the user once (not on every restart); after that it stays stopped and says so.
 */
function restartingErrorHandler(output: vscode.OutputChannel): ErrorHandler {
  const policy = new RestartPolicy();
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const decision = policy.onStop(Date.now());
      if (!decision.restart) {
        output.appendLine(`server stopped unexpectedly ${decision.recent + 1} times in 3 minutes; not restarting`);
        void vscode.window
          .showErrorMessage(
            'The Nixpkgs Instances server stopped 5 times in 3 minutes and will not be restarted. See its output for details.',
            'Show Output',
          )
          .then((choice) => choice && output.show());
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      if (decision.tell) {
        void vscode.window.showWarningMessage('The Nixpkgs Instances server stopped unexpectedly and was restarted.');
      }
      output.appendLine(`server stopped unexpectedly; restarting (${decision.recent} in the last 3 minutes)`);
      return { action: CloseAction.Restart, handled: true };
    },
  };
}
