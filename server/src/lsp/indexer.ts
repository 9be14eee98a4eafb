/**
 * Indexing the workspace folders in the language server: one run at a time
 * (a newer run, after the exclude globs changed, replaces an older one, which
 * stops at its next file), yielding to the event loop every few milliseconds
 * so that edits and per-document requests are handled while it runs, with
 * `$/progress` where the client supports it. Requests whose answer needs the
 * whole workspace wait for the newest run (`until`), or answer
 * RequestCancelled as soon as the client cancels them.
 */
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { Analysis } from '../ide/analysis.js';
import { indexFolder } from '../node/folder.js';
import type { OpenDocuments } from './documents.js';
import { OVERVIEW_CHANGED } from './publish.js';

export interface IndexerHost {
  connection: Connection;
  analysis: Analysis;
  documents: OpenDocuments;
  roots: readonly string[];
  /** The exclude globs in force when a run starts. */
  exclude(): readonly string[];
  workDoneProgress: boolean;
  log(message: string): void;
  error(message: string): void;
  notify(method: string, send: () => Promise<void>): void;
  /** The newest run ended (the diagnostics can be published). */
  ended(): void;
}

export const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');

export class Indexer {
  private generation = 0;
  private running = false;
  private newest: Promise<void> = Promise.resolve();

  constructor(private readonly host: IndexerHost) {}

  /** Whether an indexing run is under way. */
  get indexing(): boolean {
    return this.running;
  }

  /**
   * Indexes every workspace folder (after `before`, e.g. reading settings).
   * Diagnostics are published when the newest run ends, not while it runs.
   */
  start(before?: () => Promise<void>): void {
    const gen = ++this.generation;
    this.running = true;
    // The editor's status bar spins until the overview (which waits for indexing) arrives.
    this.host.notify(OVERVIEW_CHANGED, () => this.host.connection.sendNotification(OVERVIEW_CHANGED, { indexing: true }));
    this.newest = (async () => {
      try {
        if (before) await before();
        await this.run(gen);
      } catch (e) {
        this.host.error(`indexing failed: ${(e as Error).stack ?? e}`);
      } finally {
        if (gen === this.generation) {
          this.running = false;
          this.host.ended();
        }
      }
    })();
  }

  /** Resolves when no indexing run is under way; rejects with RequestCancelled if the client cancels first. */
  until(token: CancellationToken): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sub = token.onCancellationRequested(() => {
        sub.dispose();
        reject(cancelled());
      });
      void (async () => {
        // A run may start while another ends (settings changed): wait for the newest.
        for (let p = this.newest; ; p = this.newest) {
          await p;
          if (p === this.newest) break;
        }
        sub.dispose();
        resolve();
      })();
    });
  }

  private async run(gen: number): Promise<void> {
    const { host } = this;
    const stale = () => gen !== this.generation;
    const progress = host.workDoneProgress ? await host.connection.window.createWorkDoneProgress().catch(() => null) : null;
    progress?.begin('Nixpkgs Instances', 0, 'indexing .nix files', false);
    try {
      for (const root of host.roots) {
        if (stale()) return;
        const done = await indexFolder(host.analysis, root, {
          exclude: host.exclude(),
          // The editor's text wins over the disk's, also for documents too large to analyse.
          keep: (path) => host.documents.keepsEditorText(path),
          // Let requests and edits through while a large workspace is indexed.
          yieldAfterMs: 10,
          stop: stale,
          progress: (n) => {
            if (n % 256 === 0) progress?.report(`${n} files`);
          },
          log: (line) => host.log(line),
          noLock: (flake) => host.log(`no flake.lock beside ${flake}: its inputs' nixpkgs are not checked`),
        });
        if (done.stopped) return;
        for (const s of done.skipped) host.log(`skipped ${s.path}: ${s.reason}`);
        host.log(`indexed ${done.files} files in ${root} (${done.ms} ms${done.onWorkers ? `, ${done.onWorkers} parsed on worker threads` : ''})`);
      }
    } finally {
      progress?.done();
    }
  }
}
