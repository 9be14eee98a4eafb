#!/usr/bin/env node
// Runs the end-to-end suite (out/e2e/suite) in a real VS Code without downloading one:
// code-server (VS Code's server and web workbench, with a Node extension host) on
// loopback, driven by Debian's chromium through playwright-core. Install both first with
// scripts/e2e-provision.sh. See test/e2e/README.md for the modes and what each checks.
//
//   node scripts/e2e-run.mjs                  the suite against the working tree (dev folder)
//   node scripts/e2e-run.mjs --vsix FILE      the suite against the packaged extension
//   node scripts/e2e-run.mjs --ui [--screenshots DIR]
//                                             clicks through the workbench like a user
//
// Exits with the suite's status: 0 when every test passed. code-server and the browser
// are always stopped, on failure and on timeout too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtureWorkspace = join(root, 'test', 'e2e', 'fixture-workspace');
const suiteEntry = join(root, 'out', 'e2e', 'suite', 'index.js');
const EXTENSION_ID = 'nixpkgs-instances.nixpkgs-instances';

const usage = `usage: node scripts/e2e-run.mjs [--vsix FILE] [--ui] [--screenshots DIR] [--timeout SECONDS] [--keep]
  --vsix FILE        install FILE into a fresh extensions folder and test it instead of the working tree
  --ui               drive the workbench like a user (Explorer, squiggle, status bar, hover, Problems panel, graph)
  --screenshots DIR  with --ui: save diagnostic-hover.png, problems-panel.png and instances-graph.png in DIR
  --timeout SECONDS  fail if the whole run takes longer (default 300)
  --keep             keep the run's temporary folder (logs, profiles) even when it passed`;

const { values: opts } = parseArgs({
  options: {
    vsix: { type: 'string' },
    ui: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(usage);
  process.exit(0);
}
const timeoutSeconds = Number(opts.timeout);
if (!(timeoutSeconds > 0)) fatal(`--timeout must be a positive number of seconds, not ${opts.timeout}`);
if (opts.screenshots && !opts.ui) fatal('--screenshots needs --ui');
const vsix = opts.vsix ? resolve(opts.vsix) : undefined;
if (vsix && !existsSync(vsix)) fatal(`${vsix} does not exist: build it with \`npm run package\``);

function say(message) {
  console.log(`[e2e] ${message}`);
}
function fatal(message) {
  console.error(`[e2e] ${message}`);
  process.exit(2);
}

/** Where scripts/e2e-provision.sh installed code-server, its Node and the browser. */
function loadTools() {
  const home =
    process.env.NIXPKGS_INSTANCES_E2E_HOME ??
    join(process.env.XDG_CACHE_HOME || join(process.env.HOME ?? tmpdir(), '.cache'), 'nixpkgs-instances-e2e');
  const manifest = join(home, 'tools.json');
  if (!existsSync(manifest)) {
    fatal(`${manifest} is missing: run \`npm run test:e2e:provision\` (as root, once per machine) first`);
  }
  const tools = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const key of ['node', 'codeServer', 'chromium']) {
    if (!tools[key] || !existsSync(tools[key])) {
      fatal(`${manifest} names ${key} = ${tools[key]}, which is missing: run \`npm run test:e2e:provision\` again`);
    }
  }
  return tools;
}

const tools = loadTools();
if (!opts.ui && !existsSync(suiteEntry)) fatal(`${suiteEntry} is missing: compile with \`tsc -p test/e2e\``);
if (!vsix && !existsSync(join(root, 'dist', 'extension.js'))) fatal('dist/extension.js is missing: run `npm run build`');

// Everything the run writes lives here: VS Code's settings and state, the extensions
// folder, code-server's and the browser's XDG folders, logs. Nothing goes to $HOME.
const work = mkdtempSync(join(tmpdir(), 'nixpkgs-instances-e2e-'));
const dirs = {
  userData: join(work, 'user-data'),
  extensions: join(work, 'extensions'),
  serverXdgConfig: join(work, 'server-xdg', 'config'),
  serverXdgData: join(work, 'server-xdg', 'data'),
  serverXdgCache: join(work, 'server-xdg', 'cache'),
  browserProfile: join(work, 'browser-profile'),
  browserXdg: join(work, 'browser-xdg'),
  noExtension: join(work, 'no-extension'),
  screenshots: opts.screenshots ? resolve(opts.screenshots) : join(work, 'screenshots'),
};
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
const serverLogFile = join(work, 'code-server.log');
const workbenchLogFile = join(work, 'workbench.log');
/** Marks the suite's console lines among the workbench's own log lines. */
const LINE_TAG = '[nixpkgs-instances-e2e] ';

/** Our environment without the variables a surrounding VS Code (terminal, extension host) sets. */
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return { ...env, ...extra };
}
const serverEnv = cleanEnv({
  XDG_CONFIG_HOME: dirs.serverXdgConfig,
  XDG_DATA_HOME: dirs.serverXdgData,
  XDG_CACHE_HOME: dirs.serverXdgCache,
  // Read by the suite (test/e2e/suite/support.ts) in the extension host, which inherits them.
  NIXPKGS_INSTANCES_E2E_EXTENSION_ROOT: vsix ? dirs.extensions : root,
  NIXPKGS_INSTANCES_E2E_LINE_TAG: LINE_TAG,
  // No extension gallery: code-server would otherwise query open-vsx.org, off this machine.
  EXTENSIONS_GALLERY: '{}',
});
// Quiet, local-only settings for the fresh profile. Only current setting names and values:
// VS Code rewrites outdated ones at startup, in an editor model the tests would then see.
// (Extension updates need no setting: there is no gallery.)
mkdirSync(join(dirs.userData, 'User'));
writeFileSync(
  join(dirs.userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.enableExperiments': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'editor.minimap.enabled': false,
      // The web workbench saves after a second by default (desktop VS Code does not): a test that
      // takes longer than that on a loaded machine would find edits it leaves unsaved on disk.
      'files.autoSave': 'off',
    },
    null,
    2,
  ),
);

// ---- cleanup, whatever happens -------------------------------------------------------
let server; // the code-server child, leader of its own process group
let browser; // the playwright browser context
let serverLog = '';
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      // The whole group: code-server, its extension host, our language server, the pty host.
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {}
      const force = setTimeout(() => {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(force);
    }
  })();
  return cleaning;
}

let finishing;
/** Stops everything, reports, and exits; the first caller decides the status. */
function finish(status, reason) {
  finishing ??= finishOnce(status, reason);
  return finishing;
}
async function finishOnce(status, reason) {
  await cleanup();
  writeFileSync(serverLogFile, serverLog);
  if (status !== 0) {
    if (reason) console.error(`[e2e] FAILED: ${reason}`);
    const tail = serverLog.trim().split('\n').slice(-30).join('\n');
    if (tail) console.error(`[e2e] last lines of code-server's output:\n${tail}`);
    console.error(`[e2e] logs and profiles kept in ${work}`);
  } else if (opts.keep) {
    say(`kept ${work}`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(status);
}

/** What the run is doing, for failure messages. */
let phase = 'starting';
const deadline = setTimeout(() => {
  void finish(1, `timed out after ${timeoutSeconds} s while ${phase}`);
}, timeoutSeconds * 1000);
deadline.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void finish(130, `interrupted by ${signal} while ${phase}`));
}

// ---- code-server ---------------------------------------------------------------------
function codeServerArgs(...rest) {
  return [tools.codeServer, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...rest];
}

async function installVsix(file) {
  phase = `installing ${file}`;
  const child = spawn(tools.node, codeServerArgs('--install-extension', file), {
    env: serverEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const [code] = await once(child, 'exit');
  const installed = readdirSync(dirs.extensions).find((name) => name.startsWith(`${EXTENSION_ID}-`));
  if (code !== 0 || !installed) {
    throw new Error(`code-server --install-extension exited with ${code} and installed no ${EXTENSION_ID}:\n${output}`);
  }
  say(`installed ${file} as ${join(dirs.extensions, installed)}`);
}

/** Starts code-server on a free loopback port and resolves with its base URL once it answers. */
async function startCodeServer() {
  phase = 'starting code-server';
  server = spawn(
    tools.node,
    codeServerArgs(
      '--bind-addr', '127.0.0.1:0',
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--reconnection-grace-time', '5',
      // Makes the workbench call window.codeAutomationLog / codeAutomationExit.
      '--vscode-option', 'enable-smoke-test-driver',
    ),
    { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const listening = new Promise((resolvePromise, reject) => {
    const onData = (chunk) => {
      serverLog += chunk;
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(serverLog);
      if (m) resolvePromise(m[1]);
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code, signal) => reject(new Error(`code-server exited (${signal ?? code})`)));
    server.on('error', reject);
  });
  // Afterwards an unexpected exit fails the run at once instead of at the deadline.
  server.on('exit', (code, signal) => {
    if (!cleaning) void finish(1, `code-server exited (${signal ?? code}) while ${phase}`);
  });
  const base = await listening;
  const health = await fetch(`${base}/healthz`);
  if (!health.ok) throw new Error(`${base}/healthz answered ${health.status}`);
  say(`code-server ${tools.codeServerVersion ?? ''} listening on ${base}`);
  return base;
}

// ---- browser -------------------------------------------------------------------------
async function openBrowser() {
  phase = 'starting chromium';
  const { chromium } = await import('playwright-core');
  browser = await chromium.launchPersistentContext(dirs.browserProfile, {
    executablePath: tools.chromium,
    headless: true,
    viewport: { width: 1440, height: 860 },
    env: cleanEnv({ XDG_CONFIG_HOME: dirs.browserXdg, XDG_CACHE_HOME: join(dirs.browserXdg, 'cache') }),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The workbench is on 127.0.0.1; no other host name resolves for this browser.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
  browser.on('close', () => {
    if (!cleaning) void finish(1, `the browser closed while ${phase}`);
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.on('crash', () => void finish(1, `the page crashed while ${phase}`));
  return page;
}

/** The workbench URL for the fixture folder, with VS Code's development options in `payload`. */
function workbenchUrl(base, { tests }) {
  const remote = (path) => `vscode-remote://${new URL(base).host}${path}`;
  const payload = [['skipWelcome', 'true']];
  // VS Code runs extensionTestsPath only in an extension development window, so a .vsix
  // test run names an empty folder as the development extension: the installed copy is
  // the one under test. A .vsix UI run is a plain window, as a user has it.
  if (!vsix) payload.push(['extensionDevelopmentPath', remote(root)]);
  else if (tests) payload.push(['extensionDevelopmentPath', remote(dirs.noExtension)]);
  if (tests) payload.push(['extensionTestsPath', remote(suiteEntry)]);
  return `${base}/?folder=${encodeURIComponent(fixtureWorkspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

// ---- mode: the mocha suite in the extension host ---------------------------------------
async function runSuite(page, base) {
  let closingLine;
  let exit;
  const exited = new Promise((resolvePromise) => (exit = resolvePromise));
  // Called by the workbench when the extension host running the suite exits, with the
  // exit code (0 when run() resolved) and VS Code's log files.
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const { relativePath, contents } of Array.isArray(logs) ? logs : []) {
      const file = join(work, 'vscode-logs', relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
    exit(code);
  });
  // The workbench's log, where the extension host's console output arrives while tests
  // run. The suite's lines (mocha's reporter) are printed; the rest goes to workbench.log.
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = String(message);
    if (!text.startsWith(LINE_TAG)) {
      appendFileSync(workbenchLogFile, `${level} ${text}\n`);
      return;
    }
    const line = text.slice(LINE_TAG.length);
    if (/^e2e: \d+ passed, \d+ failed$/.test(line)) closingLine = line;
    else console.log(line);
  });
  phase = 'running the suite in the extension host';
  say(`running ${suiteEntry} against ${vsix ?? 'the working tree'}`);
  await page.goto(workbenchUrl(base, { tests: true }));
  const code = await exited;
  if (code !== 0) return { status: 1, reason: `the extension host running the suite exited with ${code}`, closingLine };
  if (!closingLine) return { status: 1, reason: 'the suite exited with 0 but never reported its result line' };
  return { status: 0, closingLine };
}

// ---- mode: a user's view of the workbench ----------------------------------------------
/** What a user does and sees, in order; each step waits for its element (60 s at most). */
function uiSteps(page) {
  const explorerRow = (name) => page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  const squiggle = page.locator('.monaco-editor .squiggly-error').first();
  return [
    ['the Explorer lists the fixture workspace', async () => {
      await explorerRow('modules').waitFor();
    }],
    ['clicking modules/a.nix opens it', async () => {
      await explorerRow('modules').click();
      await explorerRow('a.nix').click();
      await page.locator('.tab.active', { hasText: 'a.nix' }).waitFor();
    }],
    ['the error is underlined', async () => {
      await squiggle.waitFor();
    }],
    ['the status bar counts the package sets evaluating every output creates (the problems stay in VS Code\'s counters), in plain text for screen readers', async () => {
      const item = page.locator('.statusbar-item', { hasText: /^\s*3 package sets\s*$/ });
      await item.waitFor();
      const labels = await item.evaluate((el) => [el, ...el.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).filter(Boolean));
      if (!labels.some((l) => l.startsWith('Nixpkgs Instances: evaluating every output creates 3 nixpkgs package sets'))) {
        throw new Error(`no plain-text accessibility label: ${JSON.stringify(labels)}`);
      }
      if (labels.some((l) => /[`*]|\$\(/.test(l))) throw new Error(`markup in an accessibility label: ${JSON.stringify(labels)}`);
    }],
    ['hovering the underline shows the message and code', async () => {
      // Playwright's hover() is refused here (the text layer covers the decoration), so
      // the mouse moves onto the squiggle's box the way a user's does.
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('the squiggle has no box');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      const hover = page.locator('.monaco-hover', { hasText: 'system-and-local-system' });
      await hover.waitFor();
      const text = await hover.innerText();
      for (const expected of ['Remove system and keep localSystem. Both are given', 'nixpkgs-instances']) {
        if (!text.includes(expected)) throw new Error(`the hover lacks "${expected}": ${text}`);
      }
      await page.screenshot({ path: join(dirs.screenshots, 'diagnostic-hover.png'), animations: 'disabled' });
    }],
    ['Ctrl+Shift+M lists it in the Problems panel', async () => {
      await page.mouse.move(5, 400);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+M');
      // The row starts with the fix, so it survives the panel's truncation.
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Remove system and keep localSystem.' }).waitFor();
      const text = await page.locator('.markers-panel').innerText();
      for (const expected of ['a.nix', 'nixpkgs-instances', 'system-and-local-system']) {
        if (!text.includes(expected)) throw new Error(`the Problems panel lacks "${expected}": ${text}`);
      }
      await page.screenshot({ path: join(dirs.screenshots, 'problems-panel.png'), animations: 'disabled' });
    }],
    ['Show Graph draws configurations, the files that instantiate and the instances; clicking an instance opens its code', async () => {
      await page.keyboard.press('Control+Shift+M');
      await page.keyboard.press('F1');
      await page.keyboard.type('Nixpkgs Instances: Show Graph');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Graph' }).first().waitFor();
      await page.keyboard.press('Enter');
      const graph = page.frameLocator('iframe.webview').frameLocator('#active-frame');
      await graph.locator('svg#graph g.node.instance').first().waitFor();
      const labels = await graph.locator('svg#graph g.node').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
      if (!labels.some((l) => /^modules\/shared\.nix:\d+ .*: evaluated 2 times, /.test(l ?? ''))) throw new Error(`no shared instance evaluated twice: ${JSON.stringify(labels)}`);
      await page.screenshot({ path: join(dirs.screenshots, 'instances-graph.png'), animations: 'disabled' });
      await graph.locator('svg#graph g.node.instance', { hasText: 'unstable' }).first().click();
      await page.locator('.tab.active', { hasText: 'shared.nix' }).waitFor();
    }],
  ];
}

async function runUi(page, base) {
  page.setDefaultTimeout(60_000);
  await page.goto(workbenchUrl(base, { tests: false }));
  const steps = uiSteps(page);
  let passed = 0;
  let failed = 0;
  for (const [name, action] of steps) {
    phase = `UI step "${name}"`;
    try {
      await action();
      passed++;
      say(`ok   ${name}`);
    } catch (e) {
      failed++;
      say(`FAIL ${name}: ${String(e.message ?? e).split('\n')[0]}`);
      await page.screenshot({ path: join(work, 'failed.png') }).catch(() => {});
      // Later steps build on this one.
      const skipped = steps.length - passed - failed;
      if (skipped > 0) say(`${skipped} later step(s) not run`);
      break;
    }
  }
  if (opts.screenshots) say(`screenshots in ${dirs.screenshots}`);
  const closingLine = `ui: ${passed} passed, ${failed} failed`;
  return { status: failed === 0 ? 0 : 1, reason: failed ? `${closingLine}; the page as it was: ${join(work, 'failed.png')}` : undefined, closingLine };
}

// ---- main ----------------------------------------------------------------------------
const started = Date.now();
try {
  if (vsix) await installVsix(vsix);
  const base = await startCodeServer();
  const page = await openBrowser();
  const result = opts.ui ? await runUi(page, base) : await runSuite(page, base);
  phase = 'stopping';
  await cleanup();
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.closingLine) console.log(result.closingLine);
  await finish(result.status, result.reason);
} catch (e) {
  await finish(1, e instanceof Error ? e.message : String(e));
}
