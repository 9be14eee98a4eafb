/**
 * Settings changed the way the Settings editor changes them, for the
 * workspace: the server re-reads them and republishes at once.
 *
 * A workspace setting lives in the fixture folder's .vscode/settings.json,
 * on disk in the repository (the runner opens the folder itself). The test
 * removes what it added, and refuses to start on a setting left behind by an
 * interrupted run, which would otherwise make other tests fail mysteriously.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, discardEditors, fixtureUri, ours, SHARED_MODULE, waitForDiagnostics } from './support.js';

const SECTION = 'nixpkgsInstances';
const KEY = `diagnostics.${SHARED_MODULE.code}`;
const SETTINGS_DIR = '.vscode';
const SETTINGS_FILE = `${SETTINGS_DIR}/settings.json`;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function setSeverity(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(KEY, value, vscode.ConfigurationTarget.Workspace);
}

describe('settings', () => {
  let createdDir = false;
  let createdFile = false;
  const module = () => fixtureUri(SHARED_MODULE.file);
  const severities = (ds: vscode.Diagnostic[]) => ours(ds, SHARED_MODULE.code).map((d) => d.severity);

  before(async () => {
    await activateExtension();
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect(KEY);
    assert.equal(
      inspected?.workspaceValue,
      undefined,
      `${SECTION}.${KEY} is set in ${fixtureUri(SETTINGS_FILE).fsPath}, left by an interrupted run: delete that file`,
    );
    createdDir = !(await exists(fixtureUri(SETTINGS_DIR)));
    createdFile = !(await exists(fixtureUri(SETTINGS_FILE)));
  });

  afterEach(async () => {
    await setSeverity(undefined);
    // The next tests expect the default again: wait until the server has applied it.
    await waitForDiagnostics(module(), `the default ${SHARED_MODULE.code} warning restored`, (ds) =>
      severities(ds).join() === String(vscode.DiagnosticSeverity.Warning),
    );
    await discardEditors();
  });

  after(async () => {
    // VS Code leaves `{}` behind; remove what this suite created so the folder is as checked in.
    if (createdFile && (await exists(fixtureUri(SETTINGS_FILE)))) await vscode.workspace.fs.delete(fixtureUri(SETTINGS_FILE));
    if (createdDir && (await exists(fixtureUri(SETTINGS_DIR)))) {
      await vscode.workspace.fs.delete(fixtureUri(SETTINGS_DIR), { recursive: true });
    }
  });

  it(`${SECTION}.${KEY} = off hides the diagnostic, and removing the setting brings it back`, async () => {
    await waitForDiagnostics(module(), `the default ${SHARED_MODULE.code} warning`, (ds) =>
      severities(ds).join() === String(vscode.DiagnosticSeverity.Warning),
    );
    await setSeverity('off');
    await waitForDiagnostics(module(), `no ${SHARED_MODULE.code} with the setting off`, (ds) => severities(ds).length === 0);
    assert.equal(vscode.workspace.getConfiguration(SECTION).inspect(KEY)?.workspaceValue, 'off');

    await setSeverity(undefined);
    await waitForDiagnostics(module(), `the ${SHARED_MODULE.code} warning again`, (ds) =>
      severities(ds).join() === String(vscode.DiagnosticSeverity.Warning),
    );
  });

  it(`${SECTION}.${KEY} = error raises its severity`, async () => {
    await setSeverity('error');
    await waitForDiagnostics(module(), `${SHARED_MODULE.code} as an error`, (ds) =>
      severities(ds).join() === String(vscode.DiagnosticSeverity.Error),
    );
  });
});
