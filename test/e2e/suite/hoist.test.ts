/**
 * "Hoist to flake.nix" as VS Code applies it: the quick fix on a module's
 * instance (code action provider + `workspace.applyEdit`) and the "Hoist All
 * Instances to flake.nix" command (the server's `workspace/applyEdit`). Both
 * edit several files in memory; every test puts the fixture back afterwards
 * and fails if anything reached the disk.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension,
  BOTH_SYSTEMS,
  FIXTURE_FILES,
  fixtureUri,
  openFixture,
  ours,
  readFixtureFiles,
  refreshedView,
  restoreFixture,
  SHARED_MODULE,
  waitForDiagnostics,
  waitForText,
} from './support.js';

const IN_MODULE = SHARED_MODULE.code;
/** The hoisted instance: the module's `system = pkgs.stdenv.hostPlatform.system` becomes the hosts' literal system. */
const HOISTED_BINDING = 'unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; config.allowUnfree = true; };';

/** The names a host's `specialArgs = { inherit ...; }` passes, read from flake.nix's text. */
function specialArgsOf(flake: string, host: string): string[] {
  const m = new RegExp(`nixosConfigurations\\.${host} = [^]*?specialArgs = \\{ inherit ([^;]*); \\};`).exec(flake);
  assert.ok(m, `no \`specialArgs = { inherit ...; }\` for ${host} in flake.nix:\n${flake}`);
  return m[1]!.split(/\s+/);
}

/** Asserts that every line of `before` outside `changed` is still in `after` (nothing else was lost). */
function assertKeeps(before: string, after: string, changed: (line: string) => boolean, file: string): void {
  const kept = new Set(after.split('\n'));
  const lost = before.split('\n').filter((line) => !changed(line) && !kept.has(line));
  assert.deepEqual(lost, [], `lines of ${file} the edit should have left alone`);
}

/** shared.nix after the hoist: takes `unstable` as an argument, and its `let` that imported nixpkgs is gone. */
function expectedSharedModule(original: string): string {
  const formals = '{ pkgs, inputs, ... }:';
  const letBlock = /let\n {2}unstable = import inputs\.nixpkgs-unstable [^\n]*\nin\n/;
  assert.ok(original.includes(formals) && letBlock.test(original), `${SHARED_MODULE.file} is not the fixture these tests expect`);
  return original.replace(formals, '{ pkgs, inputs, unstable, ... }:').replace(letBlock, '');
}

async function fixtureDocument(relativePath: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fixtureUri(relativePath));
}

const inModule = (ds: vscode.Diagnostic[]) => ours(ds, IN_MODULE).length;

describe('hoist to flake.nix', () => {
  let original: Map<string, string>;
  before(async () => {
    await activateExtension();
    original = await readFixtureFiles(FIXTURE_FILES);
  });
  afterEach(() => restoreFixture(original));

  it('the quick fix on a module instance moves it into flake.nix and clears instance-in-module', async () => {
    const editor = await openFixture(SHARED_MODULE.file);
    const module = editor.document;
    const [warning] = ours(
      await waitForDiagnostics(module.uri, `an ${IN_MODULE} warning`, (ds) => inModule(ds) === 1),
      IN_MODULE,
    );
    assert.equal(module.getText(warning!.range), SHARED_MODULE.instance);
    for (const host of SHARED_MODULE.hosts) {
      assert.ok(warning!.message.includes(host), `the warning does not name ${host}: ${warning!.message}`);
    }

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      module.uri,
      warning!.range,
      undefined,
      // The server lists actions without edits and computes an edit on codeAction/resolve, as
      // VS Code does when the user picks one: resolve them all here.
      100,
    );
    const titles = actions.map((a) => a.title);
    const hoist = actions.find((a): a is vscode.CodeAction => 'kind' in a && a.title.startsWith('Hoist unstable '));
    assert.ok(hoist, `no "Hoist unstable ..." action; offered: ${titles.join(' | ')}`);
    assert.match(hoist.title, /to flake\.nix \(evaluated once instead of 2 times\)/);
    // `vscode.executeCodeActionProvider` hands back title, kind, edit, command and isPreferred only
    // (not `diagnostics` or `disabled`); an edit means the server offered the action enabled and
    // resolved it.
    assert.ok(hoist.kind && vscode.CodeActionKind.QuickFix.contains(hoist.kind), `kind ${hoist.kind?.value} is not a quick fix`);
    assert.equal(hoist.isPreferred, true);
    assert.ok(hoist.edit, 'the hoist action carries no edit (disabled?)');
    assert.deepEqual(
      hoist.edit.entries().map(([uri]) => vscode.workspace.asRelativePath(uri)).sort(),
      ['flake.nix', SHARED_MODULE.file],
      'files the hoist edits',
    );

    assert.equal(await vscode.workspace.applyEdit(hoist.edit), true, 'VS Code refused the edit');

    const sharedAfter = expectedSharedModule(original.get(SHARED_MODULE.file)!);
    assert.equal(await waitForText(module, 'the module rewritten', (t) => t !== original.get(SHARED_MODULE.file)), sharedAfter);

    const flake = await fixtureDocument('flake.nix');
    const flakeText = await waitForText(flake, 'flake.nix rewritten', (t) => t !== original.get('flake.nix'));
    assert.equal(flakeText.split(HOISTED_BINDING).length - 1, 1, `flake.nix should bind the instance once:\n${flakeText}`);
    const binding = flakeText.indexOf(HOISTED_BINDING);
    assert.ok(
      binding > flakeText.indexOf('outputs =') && binding < flakeText.indexOf('nixosConfigurations.'),
      `the binding is not in scope of the configurations:\n${flakeText}`,
    );
    for (const host of SHARED_MODULE.hosts) {
      assert.deepEqual(specialArgsOf(flakeText, host), ['inputs', 'unstable'], `specialArgs of ${host}`);
    }
    assert.deepEqual(specialArgsOf(flakeText, 'host'), ['inputs'], 'specialArgs of host, which does not load the module');
    assertKeeps(original.get('flake.nix')!, flakeText, (line) => line.includes('outputs =') || line.includes('specialArgs'), 'flake.nix');

    await waitForDiagnostics(module.uri, `no ${IN_MODULE} on the module after the hoist`, (ds) => inModule(ds) === 0);
    await waitForDiagnostics(flake.uri, 'no diagnostics on the hoisted instance in flake.nix', (ds) => ours(ds).length === 0);
    // Nothing is saved: the user reviews the edit and saves it.
    assert.equal(module.isDirty && flake.isDirty, true, 'the hoist should leave both files unsaved');
  });

  it('Hoist All Instances to flake.nix (nixpkgsInstances.hoistAll) rewrites every module through the server', async () => {
    const modules = [BOTH_SYSTEMS.file, SHARED_MODULE.file];
    await waitForDiagnostics(fixtureUri(SHARED_MODULE.file), `an ${IN_MODULE} warning on ${SHARED_MODULE.file}`, (ds) => inModule(ds) === 1);
    // a.nix is loaded by one host: no instance-in-module (hoisting saves nothing), but Hoist All moves it too.
    await waitForDiagnostics(fixtureUri(BOTH_SYSTEMS.file), `${BOTH_SYSTEMS.code} on ${BOTH_SYSTEMS.file}`, (ds) => ours(ds, BOTH_SYSTEMS.code).length === 1 && inModule(ds) === 0);

    // The server answers the command only after VS Code has applied its workspace/applyEdit.
    await vscode.commands.executeCommand('nixpkgsInstances.hoistAll');

    const [flake, a, shared] = await Promise.all(['flake.nix', ...modules].map(fixtureDocument));
    const flakeText = await waitForText(flake!, 'flake.nix rewritten', (t) => t !== original.get('flake.nix'));
    const aText = await waitForText(a!, `${BOTH_SYSTEMS.file} rewritten`, (t) => t !== original.get(BOTH_SYSTEMS.file));
    const sharedText = await waitForText(shared!, `${SHARED_MODULE.file} rewritten`, (t) => t !== original.get(SHARED_MODULE.file));

    // shared.nix exactly as the single hoist leaves it; flake.nix binds both instances once.
    assert.equal(sharedText, expectedSharedModule(original.get(SHARED_MODULE.file)!));
    assert.equal(flakeText.split(HOISTED_BINDING).length - 1, 1, `flake.nix should bind the unstable instance once:\n${flakeText}`);
    for (const host of SHARED_MODULE.hosts) {
      assert.deepEqual(specialArgsOf(flakeText, host), ['inputs', 'unstable'], `specialArgs of ${host}`);
    }

    // a.nix's instance gets a name of the server's choosing: host passes it, a.nix takes it and uses it.
    const hostArgs = specialArgsOf(flakeText, 'host');
    assert.equal(hostArgs.length, 2, `host should pass inputs and the hoisted instance: ${hostArgs.join(' ')}`);
    const name = hostArgs.find((n) => n !== 'inputs')!;
    assert.match(
      flakeText,
      new RegExp(`\\n\\s*${name} = import (inputs\\.)?nixpkgs \\{ system = "x86_64-linux"; localSystem = "x86_64-linux"; \\};`),
      `flake.nix should bind ${name} to a.nix's instance, arguments unchanged`,
    );
    assert.ok(aText.includes(`{ inputs, ${name}, ... }:`), `${BOTH_SYSTEMS.file} should take ${name}:\n${aText}`);
    assert.ok(!aText.includes('import'), `${BOTH_SYSTEMS.file} still imports nixpkgs:\n${aText}`);
    assert.ok(aText.includes('pkgs.hello'), `${BOTH_SYSTEMS.file} lost its body:\n${aText}`);

    for (const [m, document] of [[BOTH_SYSTEMS.file, a!], [SHARED_MODULE.file, shared!]] as const) {
      await waitForDiagnostics(document.uri, `no ${IN_MODULE} on ${m} after hoisting all`, (ds) => inModule(ds) === 0);
      assert.equal(document.isDirty, true, `${m} should be changed in memory only`);
    }
    // a.nix's instance took its arguments along, and its error with them.
    await waitForDiagnostics(flake!.uri, `${BOTH_SYSTEMS.code} now in flake.nix`, (ds) => ours(ds, BOTH_SYSTEMS.code).length === 1);

    // Every instance is now the flake's own, evaluated once; the configurations evaluate none in modules.
    const view = await refreshedView();
    const [root] = view.overview?.flakes ?? [];
    assert.ok(root, 'no flake in the overview');
    assert.deepEqual(root.instances.map((i) => i.label.split(' = ')[0]).sort(), [name, 'unstable'].sort());
    for (const c of root.configurations) {
      assert.deepEqual(c.instances.filter((i) => i.file !== root.file), [], `${c.name} still evaluates a module's instance`);
    }
    // flake.nix's let, shared by the configurations, creates each once.
    const inFlake = root.configurations.filter((c) => c.builder === 'output').flatMap((c) => c.instances);
    assert.deepEqual(inFlake.map((i) => i.count), [1, 1], 'flake.nix creates each instance once');
  });
});
