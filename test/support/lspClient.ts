/**
 * A real LSP client over stdio for tests: spawns `node dist/server.js --stdio`,
 * speaks JSON-RPC through vscode-languageserver-protocol, and lets a test wait
 * for the notifications it needs (never for a fixed time). Every wait is bounded
 * by a generous timeout, a safety net that turns a hung server into a failed test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ClientCapabilities,
  type CancellationToken,
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  type LogMessageParams,
  type ShowMessageParams,
  InitializeRequest,
  type InitializeResult,
  InitializedNotification,
  PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
  ApplyWorkspaceEditRequest,
  LogMessageNotification,
  ShowMessageNotification,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './workspace.js';

/** The safety net for one wait, in ms: far above what any healthy step takes. */
export const DEFAULT_WAIT_MS = 30_000;

/** Resolves or rejects like `promise`, or rejects with a message naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface StartOptions {
  /** Node options placed before the script, e.g. `['--require', preload]`. */
  nodeArgs?: string[];
  /** Client capabilities sent with `initialize` (default: no dynamic watcher registration). */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Answers `workspace/applyEdit`; without it the client refuses every edit. */
  onApplyEdit?: (params: ApplyWorkspaceEditParams) => ApplyWorkspaceEditResult;
}

/** How long one request took, for the figures a test prints. */
export interface RequestTiming {
  method: string;
  ms: number;
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly stderr: string[] = [];
  /** `window/logMessage` texts, in arrival order. */
  readonly logs: string[] = [];
  /** `window/showMessage` notifications, in arrival order. */
  readonly shown: ShowMessageParams[] = [];
  /** Every `workspace/applyEdit` the server sent. */
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  /** Requests sent with `request()`, with their round-trip times. */
  readonly timings: RequestTiming[] = [];
  /** Resolves with the exit code once the server process has exited. */
  readonly exited: Promise<number | null>;
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: { pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private logWaiters: { pred: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  /** Anything the server wrote to stdout that was not an LSP message would break the reader: count errors. */
  readonly protocolErrors: unknown[] = [];
  /** Every publishDiagnostics received, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** The server's answer to `initialize`. */
  initializeResult: InitializeResult | null = null;

  private constructor(
    readonly proc: ChildProcess,
    options: StartOptions,
  ) {
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    proc.stderr!.on('data', (d) => this.stderr.push(String(d)));
    // A server that dies mid-write must fail the test, not crash the test process.
    proc.stdin!.on('error', (e) => this.protocolErrors.push(e));
    this.connection.onError((e) => this.protocolErrors.push(e));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.latest.set(p.uri, p);
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification(LogMessageNotification.type, (p: LogMessageParams) => {
      this.logs.push(p.message);
      this.logWaiters = this.logWaiters.filter((w) => {
        if (!w.pred(p.message)) return true;
        w.resolve(p.message);
        return false;
      });
    });
    this.connection.onNotification(ShowMessageNotification.type, (p: ShowMessageParams) => {
      this.shown.push(p);
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      this.appliedEdits.push(p);
      return options.onApplyEdit ? options.onApplyEdit(p) : { applied: false, failureReason: 'refused by the test client' };
    });
    this.connection.listen();
  }

  static async start(rootPath: string | null, options: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = new TestClient(proc, options);
    const rootUri = rootPath ? pathToFileURL(rootPath).href : null;
    client.initializeResult = await within(
      client.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri,
        workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
        capabilities: options.capabilities ?? { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } },
        ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
      }),
      DEFAULT_WAIT_MS,
      'answer to initialize',
    );
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Resolves with the first publishDiagnostics (already received or coming) that satisfies `pred`. */
  diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, ms = DEFAULT_WAIT_MS): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return within(
      new Promise((resolve) => this.waiters.push({ pred: (p) => p.uri === uri && pred(p), resolve })),
      ms,
      `publishDiagnostics for ${uri} as expected`,
    );
  }

  /** Resolves with the first log line (already received or coming) that satisfies `pred`. */
  log(pred: (line: string) => boolean, ms = DEFAULT_WAIT_MS): Promise<string> {
    const have = this.logs.find(pred);
    if (have !== undefined) return Promise.resolve(have);
    return within(new Promise((resolve) => this.logWaiters.push({ pred, resolve })), ms, 'log line as expected');
  }

  /**
   * Sends any request (typed or not, well-formed or not) and records its round
   * trip; with a cancelled `token`, `$/cancelRequest` follows right after it. Rejects with the server's ResponseError, or if no answer comes in `ms`.
   */
  async request<R = unknown>(method: string, params?: unknown, ms = DEFAULT_WAIT_MS, token?: CancellationToken): Promise<R> {
    const started = performance.now();
    const sent =
      params === undefined
        ? token
          ? this.connection.sendRequest<R>(method, token)
          : this.connection.sendRequest<R>(method)
        : token
          ? this.connection.sendRequest<R>(method, params, token)
          : this.connection.sendRequest<R>(method, params);
    try {
      return await within(sent, ms, `answer to ${method}`);
    } finally {
      this.timings.push({ method, ms: performance.now() - started });
    }
  }

  /** The slowest request sent with `request()` so far. */
  slowest(): RequestTiming | undefined {
    return this.timings.reduce<RequestTiming | undefined>((a, b) => (a && a.ms >= b.ms ? a : b), undefined);
  }

  /** The server process's peak resident memory so far (VmHWM), in KiB; Linux only. */
  peakRssKiB(): number {
    const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (!m) throw new Error(`no VmHWM in /proc/${this.proc.pid}/status`);
    return Number(m[1]);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return within(
      this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'nix', version, text },
      }),
      DEFAULT_WAIT_MS,
      'didOpen written',
    );
  }

  change(
    uri: string,
    version: number,
    changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[],
  ): Promise<void> {
    return within(
      this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: changes.map((c) => (c.range ? { range: c.range, text: c.text } : { text: c.text })),
      }),
      DEFAULT_WAIT_MS,
      'didChange written',
    );
  }

  async stop(): Promise<number | null> {
    await within(this.connection.sendRequest(ShutdownRequest.type), DEFAULT_WAIT_MS, 'answer to shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await within(this.exited, DEFAULT_WAIT_MS, 'server exit');
    this.connection.dispose();
    return code;
  }

  /** Ends the server without waiting for anything (cleanup after a failed test). */
  kill(): void {
    this.connection.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}
