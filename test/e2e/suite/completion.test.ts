/**
 * Completion as VS Code assembles it from every provider: the server's
 * arguments of `import nixpkgs { }` and its snippets, and the extension's
 * static snippets (snippets/nix.json). Typed into a new, unsaved Nix document,
 * as a user starting a file does.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, discardEditors, labelOf, positionAfter } from './support.js';

/** The platform the riscv64 snippet must produce, whichever provider offers it. */
const RISCV64_TRIPLE = 'riscv64-unknown-linux-gnu';

/** Opens an untitled Nix document with `text` and returns it and the position after `marker`. */
async function scratch(text: string, marker: string): Promise<{ document: vscode.TextDocument; position: vscode.Position }> {
  const document = await vscode.workspace.openTextDocument({ language: 'nix', content: text });
  await vscode.window.showTextDocument(document);
  return { document, position: positionAfter(document, marker) };
}

async function complete(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items;
}

function insertTextOf(item: vscode.CompletionItem): string {
  const text = item.insertText ?? labelOf(item);
  return typeof text === 'string' ? text : text.value;
}

function named(items: vscode.CompletionItem[], label: string): vscode.CompletionItem[] {
  return items.filter((i) => labelOf(i) === label);
}

/**
 * Who offered an item. VS Code's snippet provider labels a snippet from
 * snippets/nix.json with its name beside the prefix and appends the
 * extension's display name to the detail; the language server's items have
 * plain string labels.
 */
function fromSnippetsFile(item: vscode.CompletionItem): boolean {
  return typeof item.label === 'object' && (item.detail ?? '').endsWith('(Nixpkgs Instances)');
}
function fromServer(item: vscode.CompletionItem): boolean {
  return typeof item.label === 'string';
}

function describeItems(items: vscode.CompletionItem[]): string {
  return items.map((i) => `${labelOf(i)} [${fromServer(i) ? 'server' : fromSnippetsFile(i) ? 'snippets/nix.json' : 'other'}]`).join(', ');
}

/** Asserts that `item` inserts the riscv64 cross instance of snippets/nix.json. */
function assertRiscv64Body(item: vscode.CompletionItem): void {
  assert.equal(item.kind, vscode.CompletionItemKind.Snippet);
  const body = insertTextOf(item);
  assert.ok(body.startsWith('import ${1:nixpkgs} {'), `the nixpkgs-riscv64 snippet does not start an import:\n${body}`);
  const parts = [
    `config = "${RISCV64_TRIPLE}";`,
    'localSystem = "${2:x86_64-linux}";',
    'gcc.arch = "${3:rv64gc}";',
    'gcc.abi = "${4|lp64d,lp64|}";',
  ];
  for (const part of parts) {
    assert.ok(body.includes(part), `the nixpkgs-riscv64 snippet lacks ${part}:\n${body}`);
  }
}

/** Closes the untitled documents without the "save?" prompt, then every other editor. */
async function discardScratch(): Promise<void> {
  for (const editor of vscode.window.visibleTextEditors) {
    if (editor.document.isUntitled) {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await discardEditors();
}

describe('completion', () => {
  before(activateExtension);
  afterEach(discardScratch);

  it('inside `import nixpkgs { }` offers the instance arguments and the nixpkgs-riscv64 snippet', async () => {
    const { document, position } = await scratch('let\n  pkgs = import nixpkgs {  };\nin\npkgs\n', 'import nixpkgs { ');
    const items = await complete(document, position);
    const argumentNames = ['system', 'localSystem', 'crossSystem', 'config', 'overlays', 'crossOverlays'];
    // The server offers the arguments here and nothing else (no instance snippet inside an instance).
    assert.deepEqual(items.filter(fromServer).map(labelOf).sort(), [...argumentNames].sort(), describeItems(items));
    for (const argument of argumentNames) {
      const [item] = named(items, argument).filter(fromServer);
      assert.ok(item, `no ${argument} among: ${describeItems(items)}`);
      assert.equal(item.kind, vscode.CompletionItemKind.Property, `${argument} is not offered as an argument`);
    }
    // crossSystem starts with the riscv64 triple as its default.
    assert.equal(insertTextOf(named(items, 'crossSystem')[0]!), `crossSystem = { config = "\${1:${RISCV64_TRIPLE}}"; };`);

    // The extension's static snippets are offered everywhere in a Nix file.
    const riscv = named(items, 'nixpkgs-riscv64').filter(fromSnippetsFile);
    assert.equal(riscv.length, 1, `no nixpkgs-riscv64 from snippets/nix.json among: ${describeItems(items)}`);
    assertRiscv64Body(riscv[0]!);
  });

  it('does not offer localSystem (or system again) when `system` is already given', async () => {
    const { document, position } = await scratch(
      'let\n  pkgs = import nixpkgs { system = "x86_64-linux";  };\nin\npkgs\n',
      'system = "x86_64-linux"; ',
    );
    const items = await complete(document, position);
    const others = named(items, 'crossSystem').filter(fromServer);
    assert.equal(others.length, 1, `the other arguments are still offered: ${describeItems(items)}`);
    assert.deepEqual(named(items, 'localSystem'), [], 'localSystem beside system makes nixpkgs fail');
    assert.deepEqual(named(items, 'system'), [], 'system is already there');
  });

  it('each riscv64 snippet is offered once where an instance goes (`pkgs = `): no duplicates from the server', async () => {
    const { document, position } = await scratch('let\n  pkgs = ;\nin\npkgs\n', 'pkgs = ');
    const items = await complete(document, position);
    // VS Code has snippets/nix.json; the client drops the server's copies outside flake.nix.
    for (const prefix of ['nixpkgs-riscv64', 'nixpkgs-riscv64-musl', 'nixpkgs-riscv64-embedded', 'nixpkgs-riscv32', 'pkgscross-riscv64']) {
      assert.equal(named(items, prefix).length, 1, `${prefix} should be offered exactly once among: ${describeItems(items)}`);
    }
    assertRiscv64Body(named(items, 'nixpkgs-riscv64')[0]!);
  });
});
