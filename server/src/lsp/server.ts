/**
 * The language server: wires LSP requests and notifications to the analysis.
 * Each handler converts in, asks the analysis, converts out, and answers with
 * an empty result (logged) if anything throws. The server reads workspace
 * files but never writes any, and starts no processes.
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
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Analysis } from '../ide/analysis.js';
import { LineIndex } from '../ide/text.js';
import { parseSettings, type Settings, DEFAULT_SETTINGS } from '../ide/settings.js';
import { excluder, loadWorkspace, readNixFile, toPosix } from '../node/loader.js';
import { parserLocation } from '../node/paths.js';
import { NixParser } from '../syntax/parser.js';
import { pathToUri, toLspDiagnostic, toWorkspaceEdit, uriToPath } from './convert.js';
import type { Assist } from '../ide/assists/index.js';
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
  let roots: string[] = [];
  let watchDynamic = false;
  let pullConfiguration = false;
  let workDoneProgress = false;
  let snippetSupport = false;
  let settings: Settings = DEFAULT_SETTINGS;
  const reportedProblems = new Set<string>();
  const versions = new Map<string, number>();
  const published = new Set<string>();
  let publishTimer: NodeJS.Timeout | null = null;
  let ready: Promise<void> = Promise.resolve();

  const log = (msg: string) => connection.console.log(msg);

  function guard<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        await ready;
        return await fn(p);
      } catch (e) {
        connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
        return fallback;
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
    const fromInit = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (fromInit !== undefined) applySettings(fromInit);
    analysis = new Analysis(await NixParser.create(parserLocation()), (p) => {
      const r = readNixFile(p);
      return 'text' in r ? r.text : undefined;
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Source],
          resolveProvider: false,
        },
        executeCommandProvider: { commands: [HOIST_ALL_COMMAND] },
        completionProvider: { triggerCharacters: ['.', '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'nixpkgs-instances' },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamic) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.nix' }],
      });
    }
    ready = (async () => {
      if (pullConfiguration) applySettings(await fetchSettings());
      await indexWorkspace();
    })();
    void ready.then(schedulePublish);
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
      void connection.window.showWarningMessage(`Nixpkgs Instances: ${p}`);
      log(p);
    }
    const excludeChanged = JSON.stringify(parsed.settings.exclude) !== JSON.stringify(settings.exclude);
    settings = parsed.settings;
    analysis?.setSeverityOverrides(settings.diagnostics);
    return excludeChanged;
  }

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, async (params) => {
      const raw = pullConfiguration
        ? await fetchSettings()
        : (params.settings as { nixpkgsInstances?: unknown } | undefined)?.nixpkgsInstances;
      if (applySettings(raw)) {
        analysis!.clearClosedFiles();
        ready = indexWorkspace();
        await ready;
      }
      schedulePublish();
    }),
  );

  async function indexWorkspace(): Promise<void> {
    const a = analysis!;
    const progress = workDoneProgress ? await connection.window.createWorkDoneProgress().catch(() => null) : null;
    progress?.begin('Nixpkgs Instances', 0, 'indexing .nix files', false);
    try {
      for (const root of roots) {
        const started = Date.now();
        const exclude = excluder(settings.exclude);
        let n = 0;
        const { count, skipped } = await loadWorkspace(root, {
          ...(exclude ? { exclude } : {}),
          // Let requests and edits through while a large workspace is indexed.
          yieldEvery: 64,
          onFile: (f) => {
            try {
              a.setFile(f.path, f.text);
            } catch (e) {
              log(`skipped ${f.path}: ${(e as Error).message}`);
            }
            if (++n % 256 === 0) progress?.report(`${n} files`);
          },
        });
        for (const s of skipped) log(`skipped ${s.path}: ${s.reason}`);
        log(`indexed ${count} files in ${root} (${Date.now() - started} ms)`);
      }
    } finally {
      progress?.done();
    }
  }

  function schedulePublish(): void {
    if (publishTimer) clearTimeout(publishTimer);
    publishTimer = setTimeout(publish, debounceMs);
  }

  function publish(): void {
    publishTimer = null;
    if (!analysis) return;
    let diagnostics;
    try {
      diagnostics = analysis.allDiagnostics();
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
    for (const [file, list] of byFile) {
      void connection.sendDiagnostics({
        uri: pathToUri(file),
        version: versions.get(file),
        diagnostics: list.map(toLspDiagnostic),
      });
      published.add(file);
    }
    for (const file of [...published]) {
      if (byFile.has(file)) continue;
      void connection.sendDiagnostics({ uri: pathToUri(file), diagnostics: [] });
      published.delete(file);
    }
    // The editor's view and status bar ask for the overview again.
    void connection.sendNotification(OVERVIEW_CHANGED);
  }

  connection.onRequest(
    OVERVIEW_REQUEST,
    guard('overview', null, () => {
      const a = analysis!;
      return overview(a.workspace(), a.allDiagnostics(), roots[0] ?? null);
    }),
  );

  connection.onDidOpenTextDocument(
    guard('didOpen', undefined, ({ textDocument }) => {
      const path = uriToPath(textDocument.uri);
      versions.set(path, textDocument.version);
      analysis!.openDocument(path, textDocument.text);
      schedulePublish();
    }),
  );

  connection.onDidChangeTextDocument(
    guard('didChange', undefined, ({ textDocument, contentChanges }) => {
      const path = uriToPath(textDocument.uri);
      const a = analysis!;
      if (!a.isOpen(path)) return;
      versions.set(path, textDocument.version);
      for (const change of contentChanges) {
        if ('range' in change) {
          const lines = new LineIndex(a.documentText(path) ?? '');
          const span = lines.span(change.range);
          a.changeDocument(path, [{ start: span.start, end: span.end, text: change.text }]);
        } else {
          a.openDocument(path, change.text);
        }
      }
      schedulePublish();
    }),
  );

  connection.onDidCloseTextDocument(
    guard('didClose', undefined, async ({ textDocument }) => {
      const path = uriToPath(textDocument.uri);
      versions.delete(path);
      analysis!.closeDocument(path);
      // The disk is the truth for closed files (the editor may have closed without saving).
      if (path.startsWith('/')) await reloadFromDisk(path);
      schedulePublish();
    }),
  );

  async function reloadFromDisk(path: string): Promise<void> {
    const r = await readNixFile(path);
    if ('text' in r) analysis!.setFile(path, r.text);
    else analysis!.removeFile(path);
  }

  connection.onDidChangeWatchedFiles(
    guard('didChangeWatchedFiles', undefined, async ({ changes }) => {
      for (const change of changes) {
        const path = uriToPath(change.uri);
        if (!path.endsWith('.nix') || analysis!.isOpen(path)) continue;
        const root = roots.find((r) => path.startsWith(r + '/'));
        if (!root) continue;
        if (excluder(settings.exclude)?.(toPosix(path.slice(root.length + 1)))) continue;
        if (change.type === FileChangeType.Deleted) analysis!.removeFile(path);
        else await reloadFromDisk(path);
      }
      schedulePublish();
    }),
  );

  function editFor(assist: Assist) {
    const a = analysis!;
    return toWorkspaceEdit(
      assist.edit(),
      (file) => a.workspace().files.get(file)?.lines,
      (file) => versions.get(file) ?? null,
    );
  }

  connection.onCodeAction(
    guard('codeAction', [] as CodeAction[], ({ textDocument, range, context }) => {
      const a = analysis!;
      const path = uriToPath(textDocument.uri);
      const lines = a.workspace().files.get(path)?.lines;
      if (!lines) return [];
      const only = context.only;
      const out: CodeAction[] = [];
      for (const assist of a.assists(path, lines.span(range), (id, e) => connection.console.error(`assist ${id} failed: ${(e as Error).stack ?? e}`))) {
        if (only && !only.some((k) => assist.kind === k || assist.kind.startsWith(k + '.'))) continue;
        const action: CodeAction = {
          title: assist.title,
          kind: assist.kind,
          diagnostics: assist.fixes.map(toLspDiagnostic),
        };
        if (assist.preferred) action.isPreferred = true;
        if (assist.disabled) action.disabled = { reason: assist.disabled };
        else {
          try {
            action.edit = editFor(assist);
          } catch (e) {
            connection.console.error(`assist ${assist.id} edit failed: ${(e as Error).stack ?? e}`);
            continue;
          }
        }
        out.push(action);
      }
      return out;
    }),
  );

  /** The line index and offset of a position in a document the analysis knows. */
  function locate(uri: string, position: Position): { path: string; offset: number } | null {
    const a = analysis!;
    const path = uriToPath(uri);
    const text = a.documentText(path);
    if (text === undefined) return null;
    const lines = a.isOpen(path) || !a.workspace().files.get(path)?.textDropped ? a.workspace().files.get(path)?.lines : undefined;
    const index = lines && lines.text === text ? lines : new LineIndex(text);
    return { path, offset: index.offset(position) };
  }

  const toLocation = (r: { file: string; range: Range }): Location => ({ uri: pathToUri(r.file), range: r.range });

  connection.onCompletion(
    guard('completion', [] as CompletionItem[], ({ textDocument, position }) => {
      const at = locate(textDocument.uri, position);
      if (!at) return [];
      return features.completion(analysis!.featureContext(), at.path, at.offset).map((item) => toCompletionItem(item, snippetSupport));
    }),
  );

  connection.onHover(
    guard('hover', null as LspHover | null, ({ textDocument, position }) => {
      const at = locate(textDocument.uri, position);
      if (!at) return null;
      const h = features.hover(analysis!.featureContext(), at.path, at.offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
    }),
  );

  connection.onDefinition(
    guard('definition', [] as Location[], ({ textDocument, position }) => {
      const at = locate(textDocument.uri, position);
      return at ? features.definition(analysis!.featureContext(), at.path, at.offset).map(toLocation) : [];
    }),
  );

  connection.onReferences(
    guard('references', [] as Location[], ({ textDocument, position, context }) => {
      const at = locate(textDocument.uri, position);
      return at ? features.references(analysis!.featureContext(), at.path, at.offset, context.includeDeclaration).map(toLocation) : [];
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [] as DocumentSymbol[], ({ textDocument }) =>
      features.documentSymbols(analysis!.featureContext(), uriToPath(textDocument.uri)).map((s) => ({
        name: s.name,
        detail: s.detail,
        kind: SYMBOL_KIND[s.kind],
        range: s.range,
        selectionRange: s.selectionRange,
      })),
    ),
  );

  connection.onWorkspaceSymbol(
    guard('workspaceSymbol', [] as SymbolInformation[], ({ query }) =>
      features.workspaceSymbols(analysis!.featureContext(), query).map((s) => ({
        name: s.name,
        containerName: s.detail,
        kind: SYMBOL_KIND[s.kind],
        location: { uri: pathToUri(s.file), range: s.selectionRange },
      })),
    ),
  );

  connection.onExecuteCommand(
    guard('executeCommand', null, async ({ command }) => {
      if (command !== HOIST_ALL_COMMAND) return null;
      const a = analysis!;
      const root = a.workspace().flakes.find((f) => f.root);
      if (!root) {
        void connection.window.showInformationMessage('Nixpkgs Instances: no flake.nix in this workspace.');
        return null;
      }
      const assist = a.assists(root.path, { start: 0, end: 0 }).find((x) => x.id === 'hoist-all');
      if (!assist || assist.disabled) {
        void connection.window.showInformationMessage(
          `Nixpkgs Instances: nothing to hoist${assist?.disabled ? ` (${assist.disabled})` : ''}.`,
        );
        return null;
      }
      const result = await connection.workspace.applyEdit({ label: assist.title, edit: editFor(assist) });
      if (!result.applied) void connection.window.showWarningMessage(`Nixpkgs Instances: the edit was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`);
      return null;
    }),
  );

  connection.listen();
}
