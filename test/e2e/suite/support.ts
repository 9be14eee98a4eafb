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
  what: string;
  uri: vscode.Uri;
  dispose(): void;
}
const unfinished = new Set<Wait>();

/**
 * Resolves with the diagnostics of `uri` as soon as `accept` holds for them:
 * at once if it already does, otherwise at the first diagnostics change for
 * `uri` that makes it hold. `what` names the expected state for failure reports.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const key = uri.toString();
    const wait: Wait = {
      what,
      uri,
      dispose: () => {
        listener.dispose();
        unfinished.delete(wait);
      },
    };
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (accept(diagnostics)) {
        wait.dispose();
        resolve(diagnostics);
      }
    };
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    unfinished.add(wait);
    check();
  });
}

/** Logs what each wait still open was waiting for and what it saw last, then drops the waits. */
export function reportUnfinishedWaits(): void {
  for (const wait of [...unfinished]) {
    const seen = vscode.languages
      .getDiagnostics(wait.uri)
      .map((d) => `${d.source ?? '?'}/${codeOf(d) ?? '?'} at ${d.range.start.line + 1}:${d.range.start.character + 1}`);
    log(`  still waiting for ${wait.what} on ${wait.uri.path}; diagnostics now: ${seen.join(', ') || 'none'}`);
    wait.dispose();
  }
}
