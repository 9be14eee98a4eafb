/**
 * The VS Code client: starts the language server (dist/server.js over node
 * IPC), forwards settings, and registers commands. All analysis happens in the
 * server; this file stays thin.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
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
  };
  client = new LanguageClient('nixpkgsInstances', 'Nixpkgs Instances', serverOptions, clientOptions);

  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('nixpkgsInstances.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('nixpkgsInstances.showOutput', () => output.show(true)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
