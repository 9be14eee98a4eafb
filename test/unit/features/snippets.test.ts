/**
 * The snippets: the server's completion is their one source (the extension
 * contributes no snippet file), each is offered once per place, and what each
 * inserts fits the place: a whole binding under a free name where a binding
 * can go, the expression (with its `;`) after `name =`, the argument flake.nix
 * passes in a module. Every snippet, inserted at every place it is offered,
 * leaves a file `nix-instantiate --parse` accepts (which also rejects
 * undefined variables: the nixpkgs a body names must be in scope).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGccSettings } from '../../../server/src/ide/cross/index.js';
import { completion, SNIPPET_PREFIXES, snippetToPlainText, type CompletionItem } from '../../../server/src/ide/features/index.js';
import { LineIndex } from '../../../server/src/ide/text.js';
import { atCursor } from '../../support/features.js';
import { nixOrExplain, parseWithNix, type NixSource } from '../../support/nixOracle.js';
import { REPO_ROOT } from '../../support/workspace.js';

const INSTANCE_SNIPPETS = [
  'nixpkgs-riscv64',
  'nixpkgs-riscv64-musl',
  'nixpkgs-riscv64-embedded',
  'nixpkgs-riscv32',
  'nixpkgs-riscv64-emulated',
  'pkgscross-riscv64',
  'nixpkgs-unstable',
  'nixpkgs-overlays',
];
const WITHOUT_UNSTABLE = INSTANCE_SNIPPETS.filter((p) => p !== 'nixpkgs-unstable');

const INPUTS = `
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";`;

/** A flake whose two hosts load ./m.nix, which makes it a module. */
const HOSTS = `
  #- /flake.nix
  {${INPUTS}
    outputs = { self, nixpkgs, ... }@inputs: let
      rv = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; };
    in {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs rv; }; modules = [ ./m.nix ]; };
      nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs rv; }; modules = [ ./m.nix ]; };
    };
  }
`;

interface Place {
  name: string;
  fixture: string;
  /** The snippets offered there, in order. */
  offered: readonly string[];
}

/** Every kind of place a snippet is offered, with what each offers. */
const PLACES: readonly Place[] = [
  {
    name: 'a let in flake.nix (binding)',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, nixpkgs-unstable, ... }: let
          system = "x86_64-linux";
          nixpkgs-r$0
        in { };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'after `name =` with nothing after it, in a let of flake.nix (expression and its `;`)',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, nixpkgs-unstable, ... }: let
          system = "x86_64-linux";
          cross = $0
        in { };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'after `name =` before its `;`',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, nixpkgs-unstable, ... }: {
          legacyPackages.x86_64-linux.cross = $0;
        };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a flake whose nixpkgs input is nixpkgs-stable, reached only through `inputs`',
    fixture: `
      #- /flake.nix
      {
        inputs.nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.05";
        outputs = inputs: let
          $0
        in { };
      }`,
    offered: WITHOUT_UNSTABLE,
  },
  {
    name: 'a flake whose outputs name no input (the input becomes a formal)',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, ... }: let
          pkgs = $0
        in { };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'an attribute set in flake.nix (binding)',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, ... }@inputs: {
          legacyPackages.x86_64-linux = {
            $0
          };
        };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a specialArgs set (binding)',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, nixpkgs-unstable, ... }: {
          nixosConfigurations.a = nixpkgs.lib.nixosSystem {
            system = "x86_64-linux";
            specialArgs = { $0 };
            modules = [ ];
          };
        };
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'the arguments of a builder call',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, ... }@inputs: let
          pkgs-unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
        in {
          nixosConfigurations.a = nixpkgs.lib.nixosSystem {
            modules = [ ];
            $0
          };
        };
      }`,
    offered: ['specialargs'],
  },
  {
    name: 'a module with formals (the argument flake.nix passes)',
    fixture: `${HOSTS}
      #- /m.nix
      { config, pkgs, ... }:
      let
        cross = $0
      in { }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a module in nixfmt style, before a `;`',
    fixture: `${HOSTS}
      #- /m.nix
      {
        config,
        lib,
      }:
      {
        environment.etc.x.text = $0;
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a module that is not a function',
    fixture: `${HOSTS}
      #- /m.nix
      {
        environment.etc.x.text = $0;
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a module written `args: { ... }`',
    fixture: `${HOSTS}
      #- /m.nix
      args: {
        environment.etc.x.text = $0;
      }`,
    offered: INSTANCE_SNIPPETS,
  },
  {
    name: 'a channel-era file (`<nixpkgs>`)',
    fixture: `
      #- /default.nix
      let
        $0
      in null`,
    offered: WITHOUT_UNSTABLE.filter((p) => p !== 'pkgscross-riscv64'),
  },
  {
    name: 'a function of pkgs outside any module (`pkgs.path`)',
    fixture: `
      #- /lib/cross.nix
      { pkgs }:
      let
        rv = $0
      in rv`,
    offered: WITHOUT_UNSTABLE,
  },
];

/** The file after accepting `item` with every placeholder at its default. */
function accept(text: string, item: CompletionItem): string {
  const lines = new LineIndex(text);
  const edits = [
    { span: lines.span(item.replaceRange!), text: snippetToPlainText(item.insertText!) },
    ...(item.additionalEdits ?? []).map((e) => ({ span: lines.span(e.range), text: e.newText })),
  ].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

/** The snippet items at a place and the texts they leave, for each file of the fixture as written. */
async function atPlace(place: Place): Promise<{ items: CompletionItem[]; results: NixSource[]; file: string; before: string }> {
  return atCursor(place.fixture, (f) => {
    const items = completion(f.ctx, f.file, f.offset).filter((i) => i.kind === 'snippet');
    const before = f.ctx.text(f.file)!;
    return { items, file: f.file, before, results: items.map((item) => ({ name: `${place.name}: ${item.label}`, text: accept(before, item) })) };
  });
}

test('the extension contributes no snippet file: completion is the one source of every snippet', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
  assert.equal(manifest.contributes['snippets'], undefined);
  assert.deepEqual(SNIPPET_PREFIXES, [...INSTANCE_SNIPPETS, 'specialargs']);
});

test('each place offers its snippets once each, in order', async () => {
  for (const place of PLACES) {
    const { items } = await atPlace(place);
    assert.deepEqual(
      items.map((i) => i.label),
      place.offered,
      place.name,
    );
  }
});

test('every snippet, inserted at every place it is offered, leaves valid Nix (nix-instantiate --parse)', async (t) => {
  const sources: NixSource[] = [];
  for (const place of PLACES) {
    const { results, items } = await atPlace(place);
    assert.ok(items.length > 0, place.name);
    sources.push(...results);
  }
  assert.equal(sources.length, PLACES.reduce((n, p) => n + p.offered.length, 0));
  if (!nixOrExplain(t)) return;
  const results = await parseWithNix(sources);
  assert.deepEqual(
    results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`),
    [],
  );
});

/** The text `prefix` inserts at a place, placeholders at their defaults, with the file's other edits applied around it. */
async function inserted(place: Place, prefix: string): Promise<string> {
  const { results } = await atPlace(place);
  const got = results.find((r) => r.name.endsWith(`: ${prefix}`));
  assert.ok(got, `${prefix} is not offered at ${place.name}`);
  return got.text;
}

const placeNamed = (name: string) => PLACES.find((p) => p.name.startsWith(name))!;

test('where a binding can go: the whole binding, with the flake input as flake.nix names it', async () => {
  const text = await inserted(placeNamed('a let in flake.nix'), 'nixpkgs-riscv64');
  assert.match(
    text,
    // Continuation lines carry the line's indentation (the item asks clients to keep it as it is).
    /\n {8}pkgs-riscv64 = import nixpkgs \{\n {10}localSystem = system;\n {10}crossSystem = \{\n {12}config = "riscv64-unknown-linux-gnu";\n {12}gcc\.arch = "rv64gc";\n {12}gcc\.abi = "lp64d";\n {10}\};\n {8}\};\n {6}in/,
  );
  // The second input, and `inherit system;` for the system in scope.
  assert.match(await inserted(placeNamed('a let in flake.nix'), 'nixpkgs-unstable'), /pkgs-unstable = import nixpkgs-unstable \{\n\s+inherit system;\n\s+config\.allowUnfree = true;\n\s+\};/);
  // Only `inputs` in scope, and the input is not called nixpkgs.
  assert.match(await inserted(placeNamed('a flake whose nixpkgs input is nixpkgs-stable'), 'nixpkgs-riscv64'), /pkgs-riscv64 = import inputs\.nixpkgs-stable \{\n\s+localSystem = "x86_64-linux";/);
});

test('the binding takes a name that is free there', async () => {
  const place: Place = {
    name: 'taken',
    fixture: `
      #- /flake.nix
      {${INPUTS}
        outputs = { self, nixpkgs, ... }: {
          cross = {
            pkgs-riscv64 = 1;
            pkgs-riscv64-2 = 2;
            $0
          };
        };
      }`,
    offered: WITHOUT_UNSTABLE,
  };
  assert.match(await inserted(place, 'nixpkgs-riscv64'), /pkgs-riscv64-3 = import nixpkgs \{/);
});

test('after `name =`: the expression, with the `;` only when none follows', async () => {
  const open = await inserted(placeNamed('after `name =` with nothing'), 'nixpkgs-riscv64-emulated');
  assert.match(open, /\n {8}cross = import nixpkgs \{\n {10}# Built natively under QEMU[^\n]*\n[^\n]*\n {10}system = "riscv64-linux";\n {8}\};\n {6}in/);
  const closed = await inserted(placeNamed('after `name =` before'), 'pkgscross-riscv64');
  assert.match(closed, /cross = nixpkgs\.legacyPackages\.x86_64-linux\.pkgsCross\.riscv64;\n/);
});

test('outputs that name no input get the input as a formal', async () => {
  const text = await inserted(placeNamed('a flake whose outputs name no input'), 'nixpkgs-unstable');
  assert.match(text, /outputs = \{ self, nixpkgs-unstable, \.\.\. \}: let/);
  assert.match(text, /pkgs = import nixpkgs-unstable \{/);
  // `pkgs = |` does not take pkgsCross from the `pkgs` it defines.
  const cross = await inserted(placeNamed('a flake whose outputs name no input'), 'pkgscross-riscv64');
  assert.match(cross, /outputs = \{ self, nixpkgs, \.\.\. \}: let\n\s+pkgs = nixpkgs\.legacyPackages\.x86_64-linux\.pkgsCross\.riscv64;/);
});

test('in a module: the argument flake.nix passes, added to the formals in the module style', async () => {
  // flake.nix passes `rv`, a riscv64 cross instance: the module uses it.
  const withFormals = await inserted(placeNamed('a module with formals'), 'nixpkgs-riscv64');
  assert.match(withFormals, /^\s*\{ config, pkgs, rv, \.\.\. \}:\s*let\s*cross = rv;\s*in \{ \}/);
  // Nothing passes a musl instance yet: the module takes the argument flake.nix should pass.
  assert.match(await inserted(placeNamed('a module with formals'), 'nixpkgs-riscv64-musl'), /\{ config, pkgs, pkgs-riscv64-musl, \.\.\. \}:/);
  const nixfmt = await inserted(placeNamed('a module in nixfmt style'), 'nixpkgs-riscv64-musl');
  assert.match(nixfmt, / {4}\{\n {6}config,\n {6}lib,\n {6}pkgs-riscv64-musl,\n {4}\}:\n {4}\{\n {6}environment\.etc\.x\.text = pkgs-riscv64-musl;\n {4}\}/);
  assert.match(await inserted(placeNamed('a module that is not a function'), 'pkgscross-riscv64'), /^ {4}\{ pkgs, \.\.\. \}:\n\{\n {6}environment\.etc\.x\.text = pkgs\.pkgsCross\.riscv64;/);
  assert.match(await inserted(placeNamed('a module written'), 'nixpkgs-unstable'), /environment\.etc\.x\.text = args\.pkgs-unstable;/);
});

test("in a module, the documentation says where the argument comes from or that flake.nix must pass it", async () => {
  const { items } = await atPlace(placeNamed('a module with formals'));
  const doc = (label: string) => items.find((i) => i.label === label)!.documentation!;
  assert.match(doc('nixpkgs-riscv64'), /`rv` is passed to this module through `specialArgs` by flake\.nix/);
  assert.match(doc('nixpkgs-riscv64-musl'), /create `pkgs-riscv64-musl` once in flake\.nix \(the `nixpkgs-riscv64-musl` snippet there\) and pass it with `specialArgs`/);
  // No item in a module creates an instance.
  for (const i of items) assert.doesNotMatch(snippetToPlainText(i.insertText!), /import /, i.label);
});

test('outside flakes: `<nixpkgs>`, or the nixpkgs of the package set in scope', async () => {
  assert.match(await inserted(placeNamed('a channel-era file'), 'nixpkgs-overlays'), /\n {2}pkgs-overlaid = import <nixpkgs> \{\n {4}system = "x86_64-linux";\n {4}overlays = \[/);
  assert.match(await inserted(placeNamed('a function of pkgs'), 'nixpkgs-riscv32'), /rv = import pkgs\.path \{/);
  assert.match(await inserted(placeNamed('a function of pkgs'), 'pkgscross-riscv64'), /rv = pkgs\.pkgsCross\.riscv64;/);
});

test('snippetToPlainText: defaults, first choices, nested placeholders and escapes', () => {
  assert.equal(snippetToPlainText('a ${1:b} ${2|c,d|} $3 $0'), 'a b c  ');
  assert.equal(snippetToPlainText('${1:outer ${2:inner}}'), 'outer inner');
  assert.equal(snippetToPlainText('\\${1} \\$x ${1:a\\}b} ${2|x\\,y,z|}'), '${1} $x a}b x,y');
  assert.equal(snippetToPlainText('cost: $ 5'), 'cost: $ 5');
});

test('every ABI a cross snippet offers fits its default arch and triple', async () => {
  const { items } = await atPlace(placeNamed('a let in flake.nix'));
  let checked = 0;
  for (const item of items) {
    const body = item.insertText!;
    const config = /config = "([^"]+)"/.exec(body)?.[1];
    const arch = /gcc\.arch = "\$\{\d+:([^}]+)\}"/.exec(body)?.[1];
    const abis = /gcc\.abi = "\$\{\d+\|([^|]+)\|\}"/.exec(body)?.[1]?.split(',');
    if (!config || !arch || !abis) continue;
    for (const abi of abis) {
      checked++;
      assert.deepEqual(
        checkGccSettings(config, { arch, abi }).map((p) => p.message),
        [],
        `${item.label}: ${arch} with ${abi}`,
      );
    }
  }
  assert.ok(checked >= 4, `${checked} ABIs checked`);
});
