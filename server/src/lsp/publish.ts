/**
 * Publishing diagnostics: for the whole workspace (open files or not),
 * debounced, and only what changed. Nothing is published while the workspace
 * is being indexed (a half-indexed workspace would flash wrong diagnostics);
 * the end of indexing publishes.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../ide/analysis.js';
import type { Diagnostic } from '../ide/diagnostics/index.js';
import { diagnosticsKey, pathToUri, toLspDiagnostic } from './convert.js';
import type { OpenDocuments } from './documents.js';

/** The custom notification that tells the VS Code view and status bar to ask for the overview again. */
export const OVERVIEW_CHANGED = 'nixpkgsInstances/overviewChanged';

export interface PublishHost {
  connection: Connection;
  analysis: Analysis;
  documents: OpenDocuments;
  /** `lensRefresh`: the client re-asks for CodeLenses on `workspace/codeLens/refresh` (another file's edit changes them). */
  client: { lensRefresh: boolean };
  /** Whether an indexing run is under way (nothing is published until it ends). */
  indexing(): boolean;
  /** Sends a notification without waiting on the client; a failure is logged. */
  notify(method: string, send: () => Promise<void>): void;
  error(message: string): void;
}

export class Publisher {
  /** What each file's published diagnostics were, as `diagnosticsKey`s (files with none are absent). */
  private readonly publishedKeys = new Map<string, string>();
  /** Documents opened, changed or closed since the last publish: always published, with their version. */
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: PublishHost,
    private readonly debounceMs: number,
  ) {}

  /** The editor opened, changed or closed `path`: publish it next time, with its version, even unchanged. */
  touched(path: string): void {
    this.dirty.add(path);
    this.schedule();
  }

  /** Publishes after the debounce delay (a later call moves it). */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.publish(), this.debounceMs);
  }

  /**
   * Publishes what changed since the last publish: each file whose diagnostics
   * differ (by `diagnosticsKey`), each file whose diagnostics went away, and
   * every document the editor changed (with its version, even when its
   * diagnostics are the same, so the editor knows they are current). A
   * keystroke in one file sends one notification, not one per workspace file.
   */
  private publish(): void {
    this.timer = null;
    const { analysis, documents, connection } = this.host;
    // The end of indexing publishes; until then nothing (dirty documents wait).
    if (this.host.indexing()) return;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = analysis.allDiagnostics();
    } catch (e) {
      this.host.error(`diagnostics failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      const list = byFile.get(d.file) ?? [];
      list.push(d);
      byFile.set(d.file, list);
    }
    const send = (file: string, list: readonly Diagnostic[]) => {
      const version = documents.version(file);
      this.host.notify('textDocument/publishDiagnostics', () =>
        connection.sendDiagnostics({ uri: pathToUri(file), ...(version !== null ? { version } : {}), diagnostics: list.map(toLspDiagnostic) }),
      );
    };
    for (const [file, list] of byFile) {
      const key = diagnosticsKey(list);
      if (this.publishedKeys.get(file) === key && !this.dirty.has(file)) continue;
      send(file, list);
      this.publishedKeys.set(file, key);
    }
    for (const file of [...this.publishedKeys.keys()]) {
      if (byFile.has(file)) continue;
      send(file, []);
      this.publishedKeys.delete(file);
      this.dirty.delete(file);
    }
    for (const file of this.dirty) if (!byFile.has(file)) send(file, []);
    this.dirty.clear();
    // The editor's view and status bar ask for the overview again, and the editor for its lenses.
    this.host.notify(OVERVIEW_CHANGED, () => connection.sendNotification(OVERVIEW_CHANGED));
    if (this.host.client.lensRefresh) this.host.notify('workspace/codeLens/refresh', () => connection.sendRequest('workspace/codeLens/refresh').then(() => {}));
  }
}
