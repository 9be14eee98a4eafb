/**
 * One language server session, from `initialize` on: what the client can do,
 * the settings, the analysis with its open documents, indexing and
 * publishing, and the handlers of notifications and of the requests that are
 * more than a feature (the overview, the hoist-all command). The wiring of
 * methods to handlers is server.ts.
 */
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import type { Analysis } from '../ide/analysis.js';
import { VERSION } from '../ide/meta.js';
import { overview, type Overview } from '../ide/overview.js';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../ide/settings.js';
import { diskAnalysis } from '../node/folder.js';
import { excluder, loadLockBeside, toPosix } from '../node/loader.js';
import { hoistAllEdit, type ActionHost } from './actions.js';
import { uriToPath } from './convert.js';
import { OpenDocuments } from './documents.js';
import { Indexer } from './indexer.js';
import * as check from './params.js';
import { Publisher } from './publish.js';

/** The server-side command behind "Nixpkgs Instances: Hoist All Instances to flake.nix". */
export const HOIST_ALL_COMMAND = 'nixpkgsInstances.server.hoistAll';

type Params = Record<string, unknown>;

/** What the client said it supports, read once from `initialize`. */
export interface ClientSupport {
  watchDynamic: boolean;
  pullConfiguration: boolean;
  workDoneProgress: boolean;
  snippets: boolean;
  /** The client resolves code actions' edits (`codeAction/resolve`). */
  resolveEdits: boolean;
  /** The client re-asks for CodeLenses on `workspace/codeLens/refresh`. */
  lensRefresh: boolean;
}

export class Session implements ActionHost {
  readonly documents: OpenDocuments;
  readonly indexer: Indexer;
  readonly publisher: Publisher;
  private readonly reportedProblems = new Set<string>();

  private constructor(
    readonly connection: Connection,
    readonly analysis: Analysis,
    readonly client: ClientSupport,
    readonly roots: readonly string[],
    private settings: Settings,
    debounceMs: number,
  ) {
    this.documents = new OpenDocuments(analysis, (m) => this.log(m));
    this.publisher = new Publisher(this, debounceMs);
    this.indexer = new Indexer({
      ...this.hostBase(),
      roots,
      exclude: () => this.settings.exclude,
      workDoneProgress: client.workDoneProgress,
      ended: () => this.publisher.schedule(),
    });
  }

  static async start(connection: Connection, params: InitializeParams, debounceMs: number): Promise<Session> {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    const caps = params.capabilities;
    const client: ClientSupport = {
      watchDynamic: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      pullConfiguration: caps.workspace?.configuration === true,
      workDoneProgress: caps.window?.workDoneProgress === true,
      snippets: caps.textDocument?.completion?.completionItem?.snippetSupport === true,
      resolveEdits: caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
      lensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    };
    const roots = folders.map((f) => uriToPath(f.uri)).filter((p) => p.startsWith('/'));
    const session = new Session(connection, await diskAnalysis(), client, roots, DEFAULT_SETTINGS, debounceMs);
    const fromInit = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (fromInit !== undefined) session.applySettings(fromInit);
    session.analysis.setSeverityOverrides(session.settings.diagnostics);
    return session;
  }

  result(): InitializeResult {
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
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'nixpkgs-instances', version: VERSION },
    };
  }

  initialized(): void {
    if (this.client.watchDynamic) {
      this.notify('client/registerCapability', () =>
        this.connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.nix' }, { globPattern: '**/flake.lock' }] })
          .then(() => {}),
      );
    }
    this.indexer.start(async () => {
      if (this.client.pullConfiguration) this.applySettings(await this.fetchSettings());
    });
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  /**
   * Sends a notification without waiting on the client: a client that fails it
   * (or a closed stdout) is logged, never an unhandled rejection, which would
   * end the process.
   */
  notify(what: string, send: () => Promise<void>): void {
    void send().catch((e: unknown) => this.error(`${what} failed: ${(e as Error).message ?? e}`));
  }

  /**
   * Tells the user something. A `window/showMessage` notification, not the
   * `window/showMessageRequest` request that `connection.window.show*Message`
   * sends: nothing here needs an answer, and a client that does not implement
   * the request would otherwise answer with an error.
   */
  tell(type: MessageType, message: string): void {
    this.notify('window/showMessage', () => this.connection.sendNotification(ShowMessageNotification.type, { type, message }));
  }

  /** A closed file changed on disk behind the server's back (found by a code action): read it again. */
  reloadFromDisk(path: string): void {
    this.documents.fromDisk(path);
    this.publisher.schedule();
  }

  async configurationChanged(params: Params): Promise<void> {
    const raw = this.client.pullConfiguration
      ? await this.fetchSettings()
      : (params['settings'] as { nixpkgsInstances?: unknown } | undefined)?.nixpkgsInstances;
    if (this.applySettings(raw)) {
      this.analysis.clearClosedFiles();
      this.indexer.start();
    }
    this.publisher.schedule();
  }

  opened(params: Params): void {
    const doc = check.object(params['textDocument'], 'textDocument');
    const path = uriToPath(check.string(doc['uri'], 'textDocument.uri'));
    const version = check.version(doc['version'], 'textDocument.version');
    this.documents.open(path, version, check.string(doc['text'], 'textDocument.text'));
    this.publisher.touched(path);
  }

  changed(params: Params): void {
    const doc = check.object(params['textDocument'], 'textDocument');
    const path = uriToPath(check.string(doc['uri'], 'textDocument.uri'));
    const version = check.version(doc['version'], 'textDocument.version');
    // Checked whole before any is applied: a malformed notification changes nothing.
    const changes = check.contentChanges(params['contentChanges']);
    if (!this.documents.isOpen(path)) return;
    this.documents.change(path, version, changes);
    this.publisher.touched(path);
  }

  closed(params: Params): void {
    const path = uriToPath(check.documentUri(params, 'textDocument/didClose'));
    if (!this.documents.isOpen(path)) return;
    this.documents.close(path);
    this.publisher.touched(path);
  }

  watchedFilesChanged(params: Params): void {
    if (!Array.isArray(params['changes'])) throw check.invalidParams('changes must be a list');
    const exclude = excluder(this.settings.exclude);
    for (const raw of params['changes'] as unknown[]) {
      const change = check.object(raw, 'a file change');
      const path = uriToPath(check.string(change['uri'], 'uri'));
      const root = this.roots.find((r) => path.startsWith(r + '/'));
      if (!root) continue;
      if (path.endsWith('/flake.lock')) {
        // A lock counts only beside an indexed flake.nix (an excluded one is not).
        const flake = path.slice(0, -'lock'.length) + 'nix';
        if (this.analysis.workspace().files.has(flake)) this.reloadLock(flake);
        continue;
      }
      if (!path.endsWith('.nix') || exclude?.(toPosix(path.slice(root.length + 1)))) continue;
      this.documents.fromDisk(path, change['type'] === FileChangeType.Deleted);
      if (path.endsWith('/flake.nix') && change['type'] === FileChangeType.Created) this.reloadLock(path);
    }
    this.publisher.schedule();
  }

  /** Reads the flake.lock beside a flake.nix again; one line in the log when there is none or it cannot be used. */
  reloadLock(flakeFile: string): void {
    const r = loadLockBeside(this.analysis, flakeFile);
    if (r === null) this.log(`no flake.lock beside ${flakeFile}: its inputs' nixpkgs are not checked`);
    else if (r.skip !== null) this.log(`skipped ${r.path}: ${r.skip}`);
  }

  overview(): Overview {
    return overview(this.analysis.workspace(), this.analysis.allDiagnostics(), this.roots[0] ?? null);
  }

  /** `workspace/executeCommand`: asks the client to apply the hoist-all edit, and tells what stays. */
  async executeCommand(params: Params): Promise<null> {
    const command = check.string(params['command'], 'command');
    if (command !== HOIST_ALL_COMMAND) return null;
    const root = this.analysis.workspace().flakes.find((f) => f.root);
    if (!root) {
      this.tell(MessageType.Info, 'Nixpkgs Instances: no flake.nix in this workspace.');
      return null;
    }
    const prepared = hoistAllEdit(this, root.path);
    // Each instance left in place goes to the log with its own reason.
    const notes = prepared.assist?.notes ?? [];
    for (const n of notes) this.log(`hoist all: not moved: ${n}`);
    const left = notes.length ? ` ${notes.length} instance${notes.length === 1 ? '' : 's'} stay where they are; the Output lists each with its reason.` : '';
    if (!prepared.edit) {
      const disabled = prepared.assist?.disabled;
      this.tell(MessageType.Info, `Nixpkgs Instances: nothing to hoist${disabled ? ` (${disabled})` : ''}.${left}`);
      return null;
    }
    if (left) this.tell(MessageType.Info, `Nixpkgs Instances:${left}`);
    const result = await this.connection.workspace.applyEdit({ label: prepared.assist.title, edit: prepared.edit });
    if (!result.applied) this.tell(MessageType.Warning, `Nixpkgs Instances: the edit was not applied${result.failureReason ? `: ${result.failureReason}` : ''}.`);
    return null;
  }

  private hostBase() {
    return {
      connection: this.connection,
      analysis: this.analysis,
      documents: this.documents,
      log: (m: string) => this.log(m),
      error: (m: string) => this.error(m),
      notify: (what: string, send: () => Promise<void>) => this.notify(what, send),
    };
  }

  /** Publishing needs the indexer's state; the publisher is made before the indexer. */
  indexing(): boolean {
    return this.indexer.indexing;
  }

  private async fetchSettings(): Promise<unknown> {
    try {
      return await this.connection.workspace.getConfiguration('nixpkgsInstances');
    } catch (e) {
      this.log(`could not read settings: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Applies settings; returns whether the set of indexed files may have changed. */
  private applySettings(raw: unknown): boolean {
    const parsed = parseSettings(raw);
    for (const p of parsed.problems) {
      if (this.reportedProblems.has(p)) continue;
      this.reportedProblems.add(p);
      this.tell(MessageType.Warning, `Nixpkgs Instances: ${p}`);
      this.log(p);
    }
    const excludeChanged = JSON.stringify(parsed.settings.exclude) !== JSON.stringify(this.settings.exclude);
    this.settings = parsed.settings;
    this.analysis.setSeverityOverrides(this.settings.diagnostics);
    return excludeChanged;
  }
}
