/**
 * Completion as VS Code assembles it from every provider: the server's
 * arguments of `import nixpkgs { }` and its snippets, their one source (the
 * extension contributes no snippet file). Typed into a new, unsaved Nix
 * document, as a user starting a file does.
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

/** Whether the language server offered an item (its labels are plain strings; VS Code's own snippet provider's are not). */
function fromServer(item: vscode.CompletionItem): boolean {
  return typeof item.label === 'string';
}

function describeItems(items: vscode.CompletionItem[]): string {
  return items.map((i) => `${labelOf(i)} [${fromServer(i) ? 'server' : 'other'}]`).join(', ');
}

const RISCV_SNIPPETS = ['nixpkgs-riscv64', 'nixpkgs-riscv64-musl', 'nixpkgs-riscv64-embedded', 'nixpkgs-riscv32', 'nixpkgs-riscv64-emulated', 'pkgscross-riscv64'];

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

  it('inside `import nixpkgs { }` offers the instance arguments and no snippet', async () => {
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
    for (const prefix of RISCV_SNIPPETS) assert.deepEqual(named(items, prefix), [], `${prefix} inside an instance's arguments`);
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

  it('after `pkgs = ` each riscv64 snippet is offered once, as the expression', async () => {
    const { document, position } = await scratch('let\n  pkgs = ;\nin\npkgs\n', 'pkgs = ');
    const items = await complete(document, position);
    for (const prefix of RISCV_SNIPPETS.filter((p) => p !== 'pkgscross-riscv64')) {
      assert.equal(named(items, prefix).length, 1, `${prefix} should be offered exactly once among: ${describeItems(items)}`);
    }
    const [riscv] = named(items, 'nixpkgs-riscv64');
    assert.equal(riscv!.kind, vscode.CompletionItemKind.Snippet);
    const body = insertTextOf(riscv!);
    // A file outside any flake, with no nixpkgs in scope: the channel's.
    assert.ok(body.startsWith('import <nixpkgs> {'), body);
    for (const part of [`config = "${RISCV64_TRIPLE}";`, 'localSystem = "${1:x86_64-linux}";', 'gcc.arch = "${2:rv64gc}";', 'gcc.abi = "${3|lp64d,lp64|}";']) {
      assert.ok(body.includes(part), `the nixpkgs-riscv64 snippet lacks ${part}:\n${body}`);
    }
    // The `;` is already there: the expression does not add one.
    assert.ok(body.endsWith('}$0'), body);
  });

  it('where a binding goes, a riscv64 snippet inserts the whole binding', async () => {
    const { document, position } = await scratch('let\n  \nin\nnull\n', 'let\n  ');
    const items = await complete(document, position);
    const riscv = named(items, 'nixpkgs-riscv64');
    assert.equal(riscv.length, 1, describeItems(items));
    const body = insertTextOf(riscv[0]!);
    assert.ok(body.startsWith('${1:pkgs-riscv64} = import <nixpkgs> {'), body);
    assert.ok(body.endsWith('};$0'), body);
  });
});
