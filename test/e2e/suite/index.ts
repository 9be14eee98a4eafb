/**
 * Entry point of the end-to-end suite. VS Code's extension host loads this
 * module (its `extensionTestsPath`) and awaits `run()`, under either runner:
 * code-server driven by a browser (`scripts/e2e-run.mjs`, works offline) or a
 * downloaded desktop VS Code (`runElectron.ts`). Every `*.test.js` next to this
 * file is a mocha BDD file; adding a test means adding such a file.
 *
 * `NIXPKGS_INSTANCES_E2E_GREP` narrows the run to matching test titles while
 * working on one test; `.only` and pending tests are refused so that a run
 * that looks green has run everything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { log, reportUnfinishedWaits } from './support.js';

export async function run(): Promise<void> {
  // mocha's reporter writes through this; see `log` for why.
  Mocha.reporters.Base.consoleLog = log;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // One limit per test, covering every wait inside it: the waits themselves
    // are on events and have no timeouts of their own.
    timeout: 60_000,
    forbidOnly: true,
    forbidPending: true,
    rootHooks: {
      afterEach(this: Mocha.Context) {
        if (this.currentTest?.state === 'failed') reportUnfinishedWaits();
      },
    },
  });
  const grep = process.env.NIXPKGS_INSTANCES_E2E_GREP;
  if (grep) mocha.grep(grep);

  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  // The closing line CI reads (scripts/e2e-run.mjs prints it as its last line).
  log(`e2e: ${stats.passes} passed, ${stats.failures} failed`);
  if (stats.tests === 0) {
    const message = `no end-to-end test ran${grep ? ` (no title matches ${grep})` : ''}`;
    log(message);
    throw new Error(message);
  }
  if (stats.failures > 0) throw new Error(`${stats.failures} of ${stats.tests} end-to-end tests failed`);
}
