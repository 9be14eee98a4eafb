/**
 * The language server: wires LSP requests and notifications to the analysis.
 * Each handler checks its params (InvalidParams otherwise), converts in, asks
 * the analysis, converts out, and answers with an empty result (logged) if
 * anything throws. The server reads workspace files but never writes any,
 * starts no processes and opens no connections.
 *
 * Indexing a workspace yields to the event loop every few milliseconds, so
 * edits and per-document requests (hover, completion, definition, symbols of
 * a document) are handled while it runs, against what is indexed so far.
 * Requests whose answer depends on the whole workspace (code actions and the
 * hoist command, whose edits must be right for every file; references;
 * workspace symbols; the overview) wait for the index, and answer
 * RequestCancelled at once when the client cancels them.
 */
import {
  CodeActionKind,
  MarkupKind,
  type CompletionItem,
  type DocumentSymbol,
  type Hover as LspHover,
  type Location,
  type Position,
  type Range,
  type SymbolInformation,
  DidChangeWatchedFilesNotification,
  type CodeAction,
  FileChangeType,
  TextDocumentSyncKind,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CancellationToken,
  CancellationToken as CancellationTokenNs,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Analysis } from '../ide/analysis.js';
import { LineIndex } from '../ide/text.js';
import { VERSION } from '../ide/meta.js';
import { parseSettings, type Settings, DEFAULT_SETTINGS } from '../ide/settings.js';
import { excluder, loadWorkspace, readNixFile, toPosix } from '../node/loader.js';
import { parseCostProblem } from '../syntax/cost.js';
import { parserLocation } from '../node/paths.js';
import { NixParser } from '../syntax/parser.js';
import { diagnosticsKey, pathToUri, toLspDiagnostic, uriToPath } from './convert.js';
import { OpenDocuments } from './documents.js';
import { codeActions, hoistAllEdit, resolveCodeAction, type ActionHost } from './actions.js';
import * as check from './params.js';
import { overview } from '../ide/overview.js';
import * as features from '../ide/features/index.js';
import { SYMBOL_KIND, toCompletionItem } from './convert.js';

/** Custom protocol for the VS Code view and status bar. */
export const OVERVIEW_REQUEST = 'nixpkgsInstances/overview';
export const OVERVIEW_CHANGED = 'nixpkgsInstances/overviewChanged';

/** The server-side command behind "Nixpkgs Instances: Hoist All Instances to flake.nix". */
export const HOIST_ALL_COMMAND = 'nixpkgsInstances.server.hoistAll';

export interface ServerOptions {
  /** Delay before publishing diagnostics after a change, in ms. */
  debounceMs?: number;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const debounceMs = options.debounceMs ?? 150;
  let analysis: Analysis | null = null;
  let documents: OpenDocuments | null = null;
  let roots: string[] = [];
  let watchDynamic = false;
  let pullConfiguration = false;
  let workDoneProgress = false;
  let snippetSupport = false;
  /** Whether the client resolves code actions' edits (`codeAction/resolve`). */
  let resolveSupport = false;
  let settings: Settings = DEFAULT_SETTINGS;
  const reportedProblems = new Set<string>();
  /** What each file's published diagnostics were, as `diagnosticsKey`s (files with none are absent). */
  const publishedKeys = new Map<string, string>();
  /** Documents opened, changed or closed since the last publish: always published, with their version. */
  const dirty = new Set<string>();
  let publishTimer: NodeJS.Timeout | null = null;
  /** Whether an indexing run is under way; `indexed` settles when the newest run ends. */
  let indexing = false;
  let indexed: Promise<void> = Promise.resolve();
  let generation = 0;

  const log = (msg: string) => connection.console.log(msg);
  /**
   * Sends a notification without waiting on the client: a client that fails it
   * (or a closed stdout) is logged, never an unhandled rejection, which would
   * end the process.
   */
  const fireAndForget = (what: string, sent: Promise<unknown>) =>
    void sent.catch((e: unknown) => connection.console.error(`${what} failed: ${(e as Error).message ?? e}`));
  /**
   * Tells the user something. A `window/showMessage` notification, not the
   * `window/showMessageRequest` request that `connection.window.show*Message`
   * sends: nothing here needs an answer, and a client that does not implement
   * the request would otherwise answer with an error.
   */
  const tell = (type: MessageType, message: string) =>
    fireAndForget('window/showMessage', connection.sendNotification(ShowMessageNotification.type, { type, message }));
  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');

  /** Resolves when no indexing run is under way; rejects with RequestCancelled if the client cancels first. */
  function untilIndexed(token: CancellationToken): Promise<void> {
    if (!indexing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        reject(cancelled());
      });
      void (async () => {
        // A run may start while another ends (settings changed): wait for the newest.
        for (let p = indexed; ; p = indexed) {
          await p;
          if (p === indexed) break;
        }
        sub.dispose();
        resolve();
      })();
    });
  }

  /**
   * Wraps a request handler: answers RequestCancelled for a request cancelled
   * before it ran, waits for the index when the answer needs the whole
   * workspace, passes LSP errors (InvalidParams) through, and turns anything
   * else into a logged failure and `fallback`.
   */
  function request<R>(
    name: string,
    fallback: R,
    fn: (params: Record<string, unknown>, a: Analysis, docs: OpenDocuments) => R | Promise<R>,
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
      if (scope === 'workspace') await untilIndexed(token);
      if (!analysis || !documents) return fallback;
      try {
        return await fn(p, analysis, documents);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
        return fallback;
      }
    };
  }

  /** Wraps a notification handler: malformed params are dropped with a log line, failures logged. */
  function notification(
    name: string,
    fn: (params: Record<string, unknown>, a: Analysis, docs: OpenDocuments) => void | Promise<void>,
  ): (params: unknown) => Promise<void> {
    return async (params) => {
      try {
        if (!analysis || !documents) return;
        await fn(check.objectParams(params, name), analysis, documents);
      } catch (e) {
        if (e instanceof ResponseError) log(`ignored a malformed ${name}: ${e.message}`);
        else connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
      }
    };
  }

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    roots = folders.map((f) => uriToPath(f.uri)).filter((p) => p.startsWith('/'));
    watchDynamic = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    workDoneProgress = params.capabilities.window?.workDoneProgress === true;
    snippetSupport = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    resolveSupport = params.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const fromInit = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (fromInit !== undefined) applySettings(fromInit);
    analysis = new Analysis(
      await NixParser.create(parserLocation()),
      (p) => {
        const r = readNixFile(p);
        return 'text' in r ? r.text : undefined;
      },
      // Text the grammar's lexer would take minutes over is skipped with its reason.
      parseCostProblem,
    );
    analysis.setSeverityOverrides(settings.diagnostics);
    documents = new OpenDocuments(analysis, log);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Source],
          resolveProvider: true,
        },
        executeCommandProvider: { commands: [HOIST_ALL_COMMAND] },
        completionProvider: { triggerCharacters: ['.', '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'nixpkgs-instances', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamic) {
      fireAndForget(
        'client/registerCapability',
        connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.nix' }],
        }),
      );
    }
    startIndexing(async () => {
      if (pullConfiguration) applySettings(await fetchSettings());
    });
  });

  async function fetchSettings(): Promise<unknown> {
    try {
      return await connection.workspace.getConfiguration('nixpkgsInstances');
    } catch (e) {
      log(`could not read settings: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Applies settings; returns whether the set of indexed files may have changed. */
  function applySettings(raw: unknown): boolean {
    const parsed = parseSettings(raw);
    for (const p of parsed.problems) {
      if (reportedProblems.has(p)) continue;
      reportedProblems.add(p);
      tell(MessageType.Warning, `Nixpkgs Instances: ${p}`);
      log(p);
    }
    const excludeChanged = JSON.stringify(parsed.settings.exclude) !== JSON.stringify(settings.exclude);
    settings = parsed.settings;
    analysis?.setSeverityOverrides(settings.diagnostics);
    return excludeChanged;
  }

  connection.onDidChangeConfiguration(
    notification('workspace/didChangeConfiguration', async (params, a) => {
      const raw = pullConfiguration
        ? await fetchSettings()
        : (params['settings'] as { nixpkgsInstances?: unknown } | undefined)?.nixpkgsInstances;
      if (applySettings(raw)) {
        a.clearClosedFiles();
        startIndexing();
      }
      schedulePublish();
    }),
  );

  /**
   * Indexes every workspace folder (after `before`, e.g. reading settings). A
   * newer run replaces an older one, which stops at its next file. Diagnostics
   * are published when the newest run ends, not while it runs: a half-indexed
   * workspace would flash wrong ones.
   */
  function startIndexing(before?: () => Promise<void>): void {
    const gen = ++generation;
    indexing = true;
    // The editor's status bar spins until the overview (which waits for indexing) arrives.
    fireAndForget(OVERVIEW_CHANGED, connection.sendNotification(OVERVIEW_CHANGED, { indexing: true }));
    indexed = (async () => {
      try {
        if (before) await before();
        await indexWorkspace(gen);
      } catch (e) {
        connection.console.error(`indexing failed: ${(e as Error).stack ?? e}`);
      } finally {
        if (gen === generation) {
          indexing = false;
          schedulePublish();
        }
      }
    })();
  }

  async function indexWorkspace(gen: number): Promise<void> {
    const a = analysis!;
    const docs = documents!;
    const stale = () => gen !== generation;
    const progress = workDoneProgress ? await connection.window.createWorkDoneProgress().catch(() => null) : null;
    progress?.begin('Nixpkgs Instances', 0, 'indexing .nix files', false);
    try {
      for (const root of roots) {
        if (stale()) return;
        const started = Date.now();
        const exclude = excluder(settings.exclude);
        let n = 0;
        let refused = 0;
        const { count, skipped, stopped } = await loadWorkspace(root, {
          ...(exclude ? { exclude } : {}),
          // Let requests and edits through while a large workspace is indexed.
          yieldAfterMs: 10,
          stop: stale,
          onFile: (f) => {
            // The editor's text wins over the disk's, also for documents too large to analyse.
            if (docs.isOpen(f.path)) return;
            try {
              a.setFile(f.path, f.text);
            } catch (e) {
              // Text the parser refuses (too slow or too large to parse) says why; it is not indexed.
              refused++;
              log(`skipped ${f.path}: ${(e as Error).message}`);
            }
            if (++n % 256 === 0) progress?.report(`${n} files`);
          },
        });
        if (stopped) return;
        for (const s of skipped) log(`skipped ${s.path}: ${s.reason}`);
        log(`indexed ${count - refused} files in ${root} (${Date.now() - started} ms)`);
      }
    } finally {
      progress?.done();
    }
  }

  function schedulePublish(): void {
    if (publishTimer) clearTimeout(publishTimer);
    publishTimer = setTimeout(publish, debounceMs);
  }

  /**
   * Publishes what changed since the last publish: each file whose diagnostics
   * differ (by `diagnosticsKey`), each file whose diagnostics went away, and
   * every document the editor changed (with its version, even when its
   * diagnostics are the same, so the editor knows they are current). A
   * keystroke in one file sends one notification, not one per workspace file.
   */
  function publish(): void {
    publishTimer = null;
    const a = analysis;
    if (!a || !documents) return;
    // The end of indexing publishes; until then nothing (dirty documents wait).
    if (indexing) return;
    let diagnostics;
    try {
      diagnostics = a.allDiagnostics();
    } catch (e) {
      connection.console.error(`diagnostics failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const byFile = new Map<string, typeof diagnostics>();
    for (const d of diagnostics) {
      const list = byFile.get(d.file) ?? [];
      list.push(d);
      byFile.set(d.file, list);
    }
    const send = (file: string, list: typeof diagnostics) => {
      const version = documents!.version(file);
      fireAndForget(
        'textDocument/publishDiagnostics',
        connection.sendDiagnostics({
          uri: pathToUri(file),
          ...(version !== null ? { version } : {}),
          diagnostics: list.map(toLspDiagnostic),
        }),
      );
    };
    for (const [file, list] of byFile) {
      const key = diagnosticsKey(list);
      if (publishedKeys.get(file) === key && !dirty.has(file)) continue;
      send(file, list);
      publishedKeys.set(file, key);
    }
    for (const file of [...publishedKeys.keys()]) {
      if (byFile.has(file)) continue;
      send(file, []);
      publishedKeys.delete(file);
      dirty.delete(file);
    }
    for (const file of dirty) if (!byFile.has(file)) send(file, []);
    dirty.clear();
    // The editor's view and status bar ask for the overview again.
    fireAndForget(OVERVIEW_CHANGED, connection.sendNotification(OVERVIEW_CHANGED));
  }

  connection.onRequest(
    OVERVIEW_REQUEST,
    request('nixpkgsInstances/overview', null, (_p, a) => overview(a.workspace(), a.allDiagnostics(), roots[0] ?? null), 'workspace', false),
  );

  connection.onDidOpenTextDocument(
    notification('textDocument/didOpen', (params, _a, docs) => {
      const doc = check.object(params['textDocument'], 'textDocument');
      const path = uriToPath(check.string(doc['uri'], 'textDocument.uri'));
      const version = check.version(doc['version'], 'textDocument.version');
      docs.open(path, version, check.string(doc['text'], 'textDocument.text'));
      dirty.add(path);
      schedulePublish();
    }),
  );

  connection.onDidChangeTextDocument(
    notification('textDocument/didChange', (params, _a, docs) => {
      const doc = check.object(params['textDocument'], 'textDocument');
      const path = uriToPath(check.string(doc['uri'], 'textDocument.uri'));
      const version = check.version(doc['version'], 'textDocument.version');
      // Checked whole before any is applied: a malformed notification changes nothing.
      const changes = check.contentChanges(params['contentChanges']);
      if (!docs.isOpen(path)) return;
      docs.change(path, version, changes);
      dirty.add(path);
      schedulePublish();
    }),
  );

  connection.onDidCloseTextDocument(
    notification('textDocument/didClose', (params, a, docs) => {
      const path = uriToPath(check.documentUri(params, 'textDocument/didClose'));
      if (!docs.isOpen(path)) return;
      docs.close(path);
      dirty.add(path);
      // The disk is the truth for closed files (the editor may have closed without saving);
      // a document that has no file (untitled:, other schemes) is gone with its diagnostics.
      if (path.startsWith('/')) reloadFromDisk(path);
      else a.removeFile(path);
      schedulePublish();
    }),
  );

  function reloadFromDisk(path: string): void {
    const r = readNixFile(path);
    if ('text' in r) analysis!.setFile(path, r.text);
    else analysis!.removeFile(path);
  }

  connection.onDidChangeWatchedFiles(
    notification('workspace/didChangeWatchedFiles', (params, a, docs) => {
      if (!Array.isArray(params['changes'])) throw check.invalidParams('changes must be a list');
      for (const raw of params['changes'] as unknown[]) {
        const change = check.object(raw, 'a file change');
        const path = uriToPath(check.string(change['uri'], 'uri'));
        if (!path.endsWith('.nix') || docs.isOpen(path)) continue;
        const root = roots.find((r) => path.startsWith(r + '/'));
        if (!root) continue;
        if (excluder(settings.exclude)?.(toPosix(path.slice(root.length + 1)))) continue;
        if (change['type'] === FileChangeType.Deleted) a.removeFile(path);
        else reloadFromDisk(path);
      }
      schedulePublish();
    }),
  );

  const actionHost = (a: Analysis, docs: OpenDocuments): ActionHost => ({
    analysis: a,
    documents: docs,
    reloadFromDisk: (path) => {
      reloadFromDisk(path);
      schedulePublish();
    },
    log,
    error: (message) => connection.console.error(message),
  });

  connection.onCodeAction(
    request('textDocument/codeAction', [] as CodeAction[], (params, a, docs) => codeActions(actionHost(a, docs), params, resolveSupport), 'workspace'),
  );

  connection.onCodeActionResolve(
    request('codeAction/resolve', null as unknown as CodeAction, (params, a, docs) => resolveCodeAction(actionHost(a, docs), params), 'workspace'),
  );

  /** The path and offset of a position in a document the analysis knows, or null. */
  function locate(a: Analysis, params: Record<string, unknown>, method: string): { path: string; offset: number } | null {
    const path = uriToPath(check.documentUri(params, method));
    const position = check.position(params['position'], 'position');
    const text = a.documentText(path);
    if (text === undefined) return null;
    const lines = a.isOpen(path) || !a.workspace().files.get(path)?.textDropped ? a.workspace().files.get(path)?.lines : undefined;
    const index = lines && lines.text === text ? lines : new LineIndex(text);
    return { path, offset: index.offset(position) };
  }

  const toLocation = (r: { file: string; range: Range }): Location => ({ uri: pathToUri(r.file), range: r.range });

  connection.onCompletion(
    request('textDocument/completion', [] as CompletionItem[], (params, a) => {
      const at = locate(a, params, 'textDocument/completion');
      if (!at) return [];
      return features.completion(a.featureContext(), at.path, at.offset).map((item) => toCompletionItem(item, snippetSupport));
    }),
  );

  connection.onHover(
    request('textDocument/hover', null as LspHover | null, (params, a) => {
      const at = locate(a, params, 'textDocument/hover');
      if (!at) return null;
      const h = features.hover(a.featureContext(), at.path, at.offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    }),
  );

  connection.onDefinition(
    request('textDocument/definition', [] as Location[], (params, a) => {
      const at = locate(a, params, 'textDocument/definition');
      return at ? features.definition(a.featureContext(), at.path, at.offset).map(toLocation) : [];
    }),
  );

  connection.onReferences(
    request(
      'textDocument/references',
      [] as Location[],
      (params, a) => {
        const context = check.object(params['context'], 'context');
        const at = locate(a, params, 'textDocument/references');
        return at ? features.references(a.featureContext(), at.path, at.offset, context['includeDeclaration'] === true).map(toLocation) : [];
      },
      'workspace',
    ),
  );

  connection.onDocumentSymbol(
    request('textDocument/documentSymbol', [] as DocumentSymbol[], (params, a) =>
      features.documentSymbols(a.featureContext(), uriToPath(check.documentUri(params, 'textDocument/documentSymbol'))).map((s) => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KIND[s.kind],
        range: s.range,
        selectionRange: s.selectionRange,
      })),
    ),
  );

  connection.onWorkspaceSymbol(
    request(
      'workspace/symbol',
      [] as SymbolInformation[],
      (params, a) =>
        features.workspaceSymbols(a.featureContext(), check.string(params['query'], 'query')).map((s) => ({
          name: s.name,
          containerName: s.detail,
          kind: SYMBOL_KIND[s.kind],
          location: { uri: pathToUri(s.file), range: s.selectionRange },
        })),
      'workspace',
    ),
  );

  connection.onExecuteCommand(
    request(
      'workspace/executeCommand',
      null,
      async (params, a, docs) => {
        const command = check.string(params['command'], 'command');
        if (command !== HOIST_ALL_COMMAND) return null;
        const root = a.workspace().flakes.find((f) => f.root);
        if (!root) {
          tell(MessageType.Info, 'Nixpkgs Instances: no flake.nix in this workspace.');
          return null;
        }
        const prepared = hoistAllEdit(actionHost(a, docs), root.path);
        // Each instance left in place goes to the log with its own reason.
        const notes = prepared.assist?.notes ?? [];
        for (const n of notes) log(`hoist all: not moved: ${n}`);
        const left = notes.length ? ` ${notes.length} instance${notes.length === 1 ? '' : 's'} stay where they are; the Output lists each with its reason.` : '';
        if (!prepared.edit) {
          const disabled = prepared.assist?.disabled;
          tell(MessageType.Info, `Nixpkgs Instances: nothing to hoist${disabled ? ` (${disabled})` : ''}.${left}`);
          return null;
        }
        if (left) tell(MessageType.Info, `Nixpkgs Instances:${left}`);
        const { assist, edit } = prepared;
        const result = await connection.workspace.applyEdit({ label: assist.title, edit });
        if (!result.applied) tell(MessageType.Warning, `Nixpkgs Instances: the edit was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`);
        return null;
      },
      'workspace',
    ),
  );

  connection.listen();
}
