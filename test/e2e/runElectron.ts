/**
 * Runs the end-to-end suite in a desktop VS Code that @vscode/test-electron
 * downloads: for machines that are online (a developer's laptop, public CI).
 * Offline machines use scripts/e2e-run.mjs, which runs the same suite in
 * code-server; both hand VS Code the same `extensionTestsPath`.
 *
 *   npm run build && npx tsc -p test/e2e
 *   node out/e2e/runElectron.js                # tests the working tree
 *   node out/e2e/runElectron.js --vsix FILE    # tests the packaged extension
 *
 * `VSCODE_VERSION` picks the VS Code version (default `stable`; the manifest's
 * minimum is 1.91.0). On Linux without a display, run it under `xvfb-run -a`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..');
const fixtureWorkspace = path.join(root, 'test', 'e2e', 'fixture-workspace');
const extensionTestsPath = path.join(__dirname, 'suite', 'index.js');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { vsix: { type: 'string' } } });
  const vsix = values.vsix === undefined ? undefined : path.resolve(values.vsix);
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable');

  // A fresh profile and extensions folder for every run, removed afterwards.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nixpkgs-instances-e2e-electron-'));
  const profile = [`--extensions-dir=${path.join(scratch, 'extensions')}`, `--user-data-dir=${path.join(scratch, 'user-data')}`];
  try {
    let extensionDevelopmentPath = root;
    let expectedRoot = root;
    if (vsix) {
      const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath, { reuseMachineInstall: true });
      const installed = spawnSync(cli, [...cliArgs, ...profile, '--install-extension', vsix], { stdio: 'inherit' });
      if (installed.status !== 0) throw new Error(`installing ${vsix} failed with ${installed.status ?? installed.signal}`);
      // Tests run only in an extension development window: an empty development
      // folder makes one in which the installed copy is the extension under test.
      extensionDevelopmentPath = path.join(scratch, 'no-extension');
      fs.mkdirSync(extensionDevelopmentPath);
      expectedRoot = path.join(scratch, 'extensions');
    }
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [fixtureWorkspace, ...profile, '--disable-telemetry'],
      extensionTestsEnv: { NIXPKGS_INSTANCES_E2E_EXTENSION_ROOT: expectedRoot },
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
