/**
 * The language server: one line per LSP method, wiring it to its handler.
 * Each handler checks its params (InvalidParams otherwise), converts in, asks
 * the analysis, converts out, and answers with an empty result (logged) if
 * anything throws. The server reads workspace files but never writes any,
 * starts no processes and opens no connections.
 *
 * Where things are: the session (settings, documents, notifications, the
 * command) session.ts; indexing indexer.ts (with node/folder.ts, shared with
 * the command line); publishing publish.ts; which text of a file the analysis
 * holds documents.ts; code actions actions.ts; the other features features.ts.
 *
 * Indexing a workspace yields to the event loop every few milliseconds, so
 * edits and per-document requests (hover, completion, definition, symbols of
 * a document) are handled while it runs, against what is indexed so far.
 * Requests whose answer depends on the whole workspace (code actions and the
 * hoist command, whose edits must be right for every file; references;
 * workspace symbols; the overview) wait for the index, and answer
 * RequestCancelled at once when the client cancels them.
 */
import { CancellationToken as CancellationTokenNs, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { codeActions, resolveCodeAction } from './actions.js';
import { completion, definition, documentSymbols, hover, references, workspaceSymbols } from './features.js';
import { codeLenses } from './codeLens.js';
import { uriToPath } from './convert.js';
import { cancelled } from './indexer.js';
import * as check from './params.js';
import { Session } from './session.js';

export { OVERVIEW_CHANGED } from './publish.js';
export { HOIST_ALL_COMMAND } from './session.js';

/** Custom protocol for the VS Code view and status bar (with OVERVIEW_CHANGED). */
export const OVERVIEW_REQUEST = 'nixpkgsInstances/overview';

export interface ServerOptions {
  /** Delay before publishing diagnostics after a change, in ms. */
  debounceMs?: number;
}

type Params = Record<string, unknown>;

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  let session: Session | null = null;
  const { request, notification } = wrappers(connection, () => session);

  connection.onInitialize(async (params) => (session = await Session.start(connection, params, options.debounceMs ?? 150)).result());
  connection.onInitialized(() => session?.initialized());

  connection.onDidChangeConfiguration(notification('workspace/didChangeConfiguration', (p, s) => s.configurationChanged(p)));
  connection.onDidOpenTextDocument(notification('textDocument/didOpen', (p, s) => s.opened(p)));
  connection.onDidChangeTextDocument(notification('textDocument/didChange', (p, s) => s.changed(p)));
  connection.onDidCloseTextDocument(notification('textDocument/didClose', (p, s) => s.closed(p)));
  connection.onDidChangeWatchedFiles(notification('workspace/didChangeWatchedFiles', (p, s) => s.watchedFilesChanged(p)));

  connection.onCodeAction(request('textDocument/codeAction', [], (p, s) => codeActions(s, p, s.client.resolveEdits), 'workspace'));
  connection.onCodeActionResolve(request('codeAction/resolve', null as never, (p, s) => resolveCodeAction(s, p), 'workspace'));
  connection.onCompletion(request('textDocument/completion', [], (p, s) => completion(s.analysis, p, s.client.snippets)));
  connection.onHover(request('textDocument/hover', null, (p, s) => hover(s.analysis, p)));
  connection.onCodeLens(request('textDocument/codeLens', [], (p, s) => codeLenses(s.analysis, uriToPath(check.documentUri(p, 'textDocument/codeLens'))), 'workspace'));
  connection.onDefinition(request('textDocument/definition', [], (p, s) => definition(s.analysis, p)));
  connection.onReferences(request('textDocument/references', [], (p, s) => references(s.analysis, p), 'workspace'));
  connection.onDocumentSymbol(request('textDocument/documentSymbol', [], (p, s) => documentSymbols(s.analysis, p)));
  connection.onWorkspaceSymbol(request('workspace/symbol', [], (p, s) => workspaceSymbols(s.analysis, p), 'workspace'));
  connection.onExecuteCommand(request('workspace/executeCommand', null, (p, s) => s.executeCommand(p), 'workspace'));
  connection.onRequest(OVERVIEW_REQUEST, request(OVERVIEW_REQUEST, null, (_p, s) => s.overview(), 'workspace', false));

  connection.listen();
}

/** The wrappers every handler runs in: params checked, errors logged, an empty answer instead of a crash. */
function wrappers(connection: Connection, current: () => Session | null) {
  const failed = (name: string, e: unknown) => connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
  return {
    /**
     * Wraps a request handler: answers RequestCancelled for a request cancelled
     * before it ran, waits for the index when the answer needs the whole
     * workspace, passes LSP errors (InvalidParams) through, and turns anything
     * else into a logged failure and `fallback`.
     */
    request<R>(
      name: string,
      fallback: R,
      fn: (params: Params, s: Session) => R | Promise<R>,
      scope: 'document' | 'workspace' = 'document',
      takesParams = true,
    ): (params: unknown, token: CancellationToken) => Promise<R> {
      return async (params, token) => {
        // vscode-jsonrpc calls a handler of a request sent without params as `(token)`.
        if (token === undefined && CancellationTokenNs.is(params)) {
          token = params;
          params = undefined;
        }
        if (token?.isCancellationRequested) throw cancelled();
        const p = takesParams ? check.objectParams(params, name) : {};
        if (scope === 'workspace') await current()?.indexer.until(token);
        const s = current();
        if (!s) return fallback;
        try {
          return await fn(p, s);
        } catch (e) {
          if (e instanceof ResponseError) throw e;
          failed(name, e);
          return fallback;
        }
      };
    },
    /** Wraps a notification handler: malformed params are dropped with a log line, failures logged. */
    notification(name: string, fn: (params: Params, s: Session) => void | Promise<void>): (params: unknown) => Promise<void> {
      return async (params) => {
        try {
          const s = current();
          if (!s) return;
          await fn(check.objectParams(params, name), s);
        } catch (e) {
          if (e instanceof ResponseError) connection.console.log(`ignored a malformed ${name}: ${e.message}`);
          else failed(name, e);
        }
      };
    },
  };
}
