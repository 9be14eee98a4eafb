/**
 * What the end-to-end tests share: the extension under test, the fixture
 * workspace, and waits that resolve on VS Code's own events. No helper here
 * sleeps or has a timeout of its own; mocha's per-test timeout bounds every
 * wait, and `reportUnfinishedWaits` says afterwards what a failed test was
 * still waiting for.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as util from 'node:util';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'nixpkgs-instances.nixpkgs-instances';
/** The `source` of every diagnostic the language server publishes. */
export const SOURCE = 'nixpkgs-instances';

/**
 * The fixture file with the one error every diagnostics test starts from:
 * modules/a.nix passes both `system` and `localSystem` to `import inputs.nixpkgs`.
 * Deleting `removeToFix` (in memory) fixes it.
 */
export const BOTH_SYSTEMS = {
  file: 'modules/a.nix',
  code: 'system-and-local-system',
  removeToFix: 'system = "x86_64-linux"; ',
} as const;

/**
 * The module two hosts load (alpha and beta in flake.nix): its instance of
 * `inputs.nixpkgs-unstable` is evaluated twice and carries `instance-in-module`,
 * which "Hoist to flake.nix" fixes. `instance` is the text the diagnostic and
 * the hover cover.
 */
export const SHARED_MODULE = {
  file: 'modules/shared.nix',
  code: 'instance-in-module',
  instance: 'import inputs.nixpkgs-unstable',
  hosts: ['alpha', 'beta'],
} as const;

/** Every file of the fixture workspace: the ones the hoist tests change and must put back. */
export const FIXTURE_FILES = ['flake.nix', 'modules/a.nix', 'modules/shared.nix'] as const;

/**
 * Where the runner says the extension under test lives: the repository for a
 * development run, the extensions folder for a run against the packaged .vsix.
 * Checked so that a .vsix run cannot silently test the working tree.
 */
export const EXPECTED_EXTENSION_ROOT_ENV = 'NIXPKGS_INSTANCES_E2E_EXTENSION_ROOT';

/**
 * Set by scripts/e2e-run.mjs, where the extension host's console reaches the
 * runner through the workbench's log, mixed with the workbench's own lines:
 * the runner prints only the lines that carry this tag.
 */
const LINE_TAG = process.env.NIXPKGS_INSTANCES_E2E_LINE_TAG ?? '';

/** Prints like console.log, one tagged string per line (the workbench would join separate arguments with commas). */
export function log(...args: unknown[]): void {
  for (const line of util.format(...args).split('\n')) console.log(LINE_TAG + line);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
  await extension.activate();
  return extension;
}

/** A file of the fixture workspace (test/e2e/fixture-workspace), by its path relative to the folder. */
export function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the runner must open test/e2e/fixture-workspace');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

/** Deletes the first occurrence of `text` in the editor's document (in memory; nothing is saved). */
export async function deleteText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const offset = document.getText().indexOf(text);
  assert.notEqual(offset, -1, `${path.basename(document.uri.path)} does not contain ${JSON.stringify(text)}`);
  const range = new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
  assert.ok(await editor.edit((edit) => edit.delete(range)), 'the editor refused the edit');
}

/**
 * Reverts every changed fixture document and closes all editors, so the next
 * test starts from the files on disk. Documents outside the fixture workspace
 * (the profile's settings.json, say) are VS Code's own business.
 */
export async function discardEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && vscode.workspace.getWorkspaceFolder(document.uri)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      // The revert reaches the extension host's copy of the document a little later; a test that
      // opened the file again before that would see the edited text.
      await waitForEvent(
        vscode.workspace.onDidChangeTextDocument,
        `${path.basename(document.uri.path)} reverted`,
        () => !document.isDirty,
        () => `${document.uri.path} is still dirty:\n${document.getText()}`,
      );
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The code of a diagnostic as a string, whether or not it carries a documentation link. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

/** This extension's diagnostics among `diagnostics`, optionally only those with `code`. */
export function ours(diagnostics: readonly vscode.Diagnostic[], code?: string): vscode.Diagnostic[] {
  return diagnostics.filter((d) => d.source === SOURCE && (code === undefined || codeOf(d) === code));
}

interface Wait {
  /** What the wait expects, and what it saw last: for failure reports. */
  describe(): string;
  dispose(): void;
}
const unfinished = new Set<Wait>();

/**
 * Resolves as soon as `accept` holds: at once if it already does, otherwise
 * at the first `event` after which it does. The general form of the waits
 * below; `describe` says what was seen when a test fails while waiting.
 */
export function waitForEvent<E>(event: vscode.Event<E>, what: string, accept: (e?: E) => boolean, describe: () => string): Promise<void> {
  return new Promise((resolve) => {
    const wait: Wait = {
      describe: () => `${what}; ${describe()}`,
      dispose: () => {
        listener.dispose();
        unfinished.delete(wait);
      },
    };
    const check = (e?: E): void => {
      if (accept(e)) {
        wait.dispose();
        resolve();
      }
    };
    const listener = event(check);
    unfinished.add(wait);
    check();
  });
}

function describeDiagnostics(uri: vscode.Uri): string {
  const seen = vscode.languages
    .getDiagnostics(uri)
    .map((d) => `${d.source ?? '?'}/${codeOf(d) ?? '?'} at ${d.range.start.line + 1}:${d.range.start.character + 1}`);
  return `diagnostics of ${uri.path} now: ${seen.join(', ') || 'none'}`;
}

/**
 * Resolves with the diagnostics of `uri` as soon as `accept` holds for them:
 * at once if it already does, otherwise at the first diagnostics change for
 * `uri` that makes it hold. `what` names the expected state for failure reports.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  let last: vscode.Diagnostic[] = [];
  await waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    what,
    (e) => {
      if (e && !e.uris.some((u) => u.toString() === key)) return false;
      last = vscode.languages.getDiagnostics(uri);
      return accept(last);
    },
    () => describeDiagnostics(uri),
  );
  return last;
}

/** Logs what each wait still open was waiting for and what it saw last, then drops the waits. */
export function reportUnfinishedWaits(): void {
  for (const wait of [...unfinished]) {
    log(`  still waiting for ${wait.describe()}`);
    wait.dispose();
  }
}

// ---- the extension's API and the fixture on disk -------------------------------------

/**
 * What `activate` returns (client/src/extension.ts), as far as the tests read
 * it. Declared here rather than imported: the suite compiles on its own
 * (rootDir test/e2e), and it checks the values at run time anyway.
 */
export interface InstanceEntry {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  label: string;
  description: string;
  createsInstance: boolean;
  problem: 'error' | 'warning' | 'information' | 'hint' | null;
  problems: string[];
  /** Package sets the site makes when every output is evaluated (null: unknown), and why. */
  count: number | null;
  why: string;
}
export interface Overview {
  flakes: {
    file: string;
    label: string;
    root: boolean;
    instances: InstanceEntry[];
    configurations: { name: string; output: string; builder: string; packageSets: number; own: number; file: string; instances: InstanceEntry[] }[];
  }[];
  other: InstanceEntry[];
  totals: { instances: number; evaluations: number; packageSets: number; unknown: number; errors: number; warnings: number; infos: number };
}
/** The tree data provider behind the "Nixpkgs Instances" view; nodes are opaque to the tests. */
export interface InstancesView extends vscode.TreeDataProvider<unknown> {
  readonly overview: Overview | null;
  /** What the status bar item shows. */
  readonly statusShown: { text: string; accessibilityLabel: string; tooltip: string } | null;
  readonly onDidChangeTreeData: vscode.Event<unknown>;
  refresh(): Promise<void>;
  getChildren(node?: unknown): unknown[];
}
/** The graph panel (client/src/graphPanel.ts), as far as the tests read it. */
export interface GraphPanel {
  readonly current: {
    nodes: { id: string; kind: 'configuration' | 'file' | 'instance'; label: string; weight: number; target: { file: string } }[];
    edges: { from: string; to: string; weight: number }[];
  } | null;
  readonly html: string | null;
  /** What the webview posts when a node is clicked. */
  receive(message: unknown): Promise<void>;
}
export interface ExtensionApi {
  client: { sendRequest<R>(method: string): Promise<R> };
  view: InstancesView;
  graph: GraphPanel;
}

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = await activateExtension();
  const api = extension.exports as Partial<ExtensionApi> | undefined;
  assert.ok(api?.view && api.client, `activate() of ${EXTENSION_ID} returned no { client, view }`);
  return api as ExtensionApi;
}

/**
 * Asks the server for the overview itself (so that a failing request fails
 * the test with the server's error: the view would only show an empty tree),
 * then refreshes the view and returns it.
 */
export async function refreshedView(): Promise<InstancesView> {
  const { client, view } = await extensionApi();
  const overview = await client.sendRequest<Overview | null>('nixpkgsInstances/overview');
  assert.ok(overview, 'the server answered nixpkgsInstances/overview with null');
  await view.refresh();
  assert.ok(view.overview, 'the view has no data after a refresh');
  return view;
}

/**
 * The texts of fixture files as they are on disk. The runner opens
 * test/e2e/fixture-workspace itself, not a copy: a file a test saved would
 * change the repository and every later run.
 */
export async function readFixtureFiles(relativePaths: readonly string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const p of relativePaths) texts.set(p, new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(p))));
  return texts;
}

/**
 * Discards every in-memory change (`discardEditors`), then checks that the
 * files on disk still hold `original`. Should one have been written after all,
 * it writes the original back and fails, so the next run starts clean either way.
 */
export async function restoreFixture(original: ReadonlyMap<string, string>): Promise<void> {
  await discardEditors();
  const now = await readFixtureFiles([...original.keys()]);
  const written = [...original].filter(([p, text]) => now.get(p) !== text).map(([p]) => p);
  for (const p of written) await vscode.workspace.fs.writeFile(fixtureUri(p), new TextEncoder().encode(original.get(p)!));
  assert.deepEqual(written, [], 'fixture files were saved to disk (written back now)');
}

/**
 * Fires when an editor opens, closes or becomes active, or a selection moves:
 * an editor and its selection arrive in separate updates, so a wait for "this
 * file open with that selection" listens to all of them.
 */
export const onEditorsOrSelections: vscode.Event<unknown> = (listener, thisArgs, disposables) => {
  const subscriptions = [
    vscode.window.onDidChangeVisibleTextEditors(listener, thisArgs),
    vscode.window.onDidChangeActiveTextEditor(listener, thisArgs),
    vscode.window.onDidChangeTextEditorSelection(listener, thisArgs),
  ];
  const disposable = vscode.Disposable.from(...subscriptions);
  disposables?.push(disposable);
  return disposable;
};

/** Resolves once `document`'s text satisfies `accept` (at once, or after a change to it). */
export async function waitForText(document: vscode.TextDocument, what: string, accept: (text: string) => boolean): Promise<string> {
  await waitForEvent(
    vscode.workspace.onDidChangeTextDocument,
    what,
    (e) => (!e || e.document === document) && accept(document.getText()),
    () => `${document.uri.path} now reads:\n${document.getText()}`,
  );
  return document.getText();
}

/** The text of a completion item's label, whether a string or a `CompletionItemLabel`. */
export function labelOf(item: vscode.CompletionItem | vscode.TreeItem): string {
  const label = item.label;
  if (label === undefined) return '';
  return typeof label === 'string' ? label : label.label;
}

/** The position just after the first occurrence of `marker` in `document`. */
export function positionAfter(document: vscode.TextDocument, marker: string): vscode.Position {
  const offset = document.getText().indexOf(marker);
  assert.notEqual(offset, -1, `${path.basename(document.uri.path)} does not contain ${JSON.stringify(marker)}`);
  return document.positionAt(offset + marker.length);
}
