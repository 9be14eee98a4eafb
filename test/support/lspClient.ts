/**
 * A real LSP client over stdio for tests: spawns `node dist/server.js --stdio`,
 * speaks JSON-RPC through vscode-languageserver-protocol, and lets a test wait
 * for the notifications it needs (never for a fixed time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './workspace.js';

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  /** Anything the server wrote to stdout that was not an LSP message would break the reader: count errors. */
  readonly protocolErrors: unknown[] = [];

  private constructor(readonly proc: ChildProcess) {
    this.connection = createProtocolConnection(
      new StreamMessageReader(proc.stdout!),
      new StreamMessageWriter(proc.stdin!),
    );
    proc.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection.onError((e) => this.protocolErrors.push(e));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.listen();
  }

  static async start(rootPath: string | null): Promise<TestClient> {
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = new TestClient(proc);
    const rootUri = rootPath ? pathToFileURL(rootPath).href : null;
    await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the first publishDiagnostics (already received or coming) that satisfies `pred`. */
  diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return new Promise((resolve) => this.waiters.push({ pred: (p) => p.uri === uri && pred(p), resolve }));
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'nix', version, text },
    });
  }

  change(
    uri: string,
    version: number,
    changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[],
  ): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes.map((c) => (c.range ? { range: c.range, text: c.text } : { text: c.text })),
    });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.on('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
