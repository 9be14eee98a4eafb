/**
 * The snippets: snippets/nix.json (VS Code) and the server's completion
 * agree; every body, with its placeholders at their defaults, is valid Nix
 * (checked by `nix-instantiate --parse`), also as the server renders it into
 * a real flake; and the gcc settings they offer are ones GCC accepts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkGccSettings } from '../../../server/src/ide/cross/index.js';
import {
  completion,
  renderSnippets,
  snippetToPlainText,
  STATIC_ENV,
  vscodeSnippetFile,
  type RenderedSnippet,
  type SnippetEnv,
} from '../../../server/src/ide/features/index.js';
import { featureFixture } from '../../support/features.js';
import { nixOrExplain, parseWithNix, type NixSource } from '../../support/nixOracle.js';
import { REPO_ROOT } from '../../support/workspace.js';

const staticSnippets = renderSnippets(STATIC_ENV);

test('snippets/nix.json is what the server renders with the static defaults', () => {
  const file = JSON.parse(readFileSync(join(REPO_ROOT, 'snippets', 'nix.json'), 'utf8')) as unknown;
  assert.deepEqual(
    file,
    vscodeSnippetFile(),
    'regenerate it: node -e "console.log(JSON.stringify(require(\'./out/server/src/ide/features/snippets.js\').vscodeSnippetFile(), null, 2))" > snippets/nix.json',
  );
});

test('the snippets the issue asks for, each with a description', () => {
  assert.deepEqual(
    staticSnippets.map((s) => s.prefix),
    [
      'nixpkgs-riscv64',
      'nixpkgs-riscv64-musl',
      'nixpkgs-riscv64-embedded',
      'nixpkgs-riscv32',
      'nixpkgs-riscv64-emulated',
      'pkgscross-riscv64',
      'nixpkgs-unstable',
      'nixpkgs-overlays',
      'specialargs',
    ],
  );
  for (const s of staticSnippets) assert.ok(s.description.length > 20, s.prefix);
  const riscv64 = staticSnippets[0]!.body.join('\n');
  // Tab stops on the local system, the arch and the ABI, with the ABIs as choices.
  assert.match(riscv64, /localSystem = "\$\{2:x86_64-linux\}";/);
  assert.match(riscv64, /gcc\.arch = "\$\{3:rv64gc\}";/);
  assert.match(riscv64, /gcc\.abi = "\$\{4\|lp64d,lp64\|\}";/);
  const unstable = staticSnippets.find((s) => s.prefix === 'nixpkgs-unstable')!.body.join('\n');
  assert.equal(
    snippetToPlainText(unstable),
    'pkgs-unstable = import nixpkgs-unstable {\n  inherit system;\n  config.allowUnfree = true;\n};',
  );
  assert.match(staticSnippets.find((s) => s.prefix === 'nixpkgs-riscv64-emulated')!.body.join('\n'), /boot\.binfmt\.emulatedSystems/);
});

test('snippetToPlainText: defaults, first choices, nested placeholders and escapes', () => {
  assert.equal(snippetToPlainText('a ${1:b} ${2|c,d|} $3 $0'), 'a b c  ');
  assert.equal(snippetToPlainText('${1:outer ${2:inner}}'), 'outer inner');
  assert.equal(snippetToPlainText('\\${1} \\$x ${1:a\\}b} ${2|x\\,y,z|}'), '${1} $x a}b x,y');
  assert.equal(snippetToPlainText('cost: $ 5'), 'cost: $ 5');
});

/** Each place a snippet fits, as a Nix expression with every name it may use bound. */
function wrap(s: RenderedSnippet, text: string): string {
  const args = '{ nixpkgs, nixpkgs-unstable, pkgs, system, inputs, pkgs-unstable, nixosSystem, ... }:';
  switch (s.place) {
    case 'expression':
      return `${args}\n{\n  value =\n${text}\n  ;\n}\n`;
    case 'binding':
      return `${args}\nlet\n${text}\nin\nnull\n`;
    case 'builder-arguments':
      return `${args}\nnixosSystem {\n  modules = [ ];\n${text}\n}\n`;
  }
}

test('every snippet, filled with its defaults, is valid Nix (nix-instantiate --parse)', async (t) => {
  if (!nixOrExplain(t)) return;
  const envs: [string, SnippetEnv][] = [
    ['static', STATIC_ENV],
    [
      'flake',
      {
        nixpkgs: 'inputs.stable',
        unstable: 'inputs."nixpkgs-unstable"',
        localSystem: { var: 'system' },
        system: { literal: 'riscv64-linux' },
        specialArgs: ['inputs', 'pkgs-unstable'],
        specialArgsKey: 'extraSpecialArgs',
        names: { unstable: 'unstable', overlaid: 'pkgs-2' },
      },
    ],
  ];
  const sources: NixSource[] = [];
  for (const [label, env] of envs) {
    for (const s of renderSnippets(env)) {
      sources.push({ name: `${label}/${s.prefix}`, text: wrap(s, snippetToPlainText(s.body.join('\n'))) });
    }
  }
  const results = await parseWithNix(sources);
  const failed = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`);
  assert.deepEqual(failed, []);
});

test('snippets inserted by completion into a flake keep it valid Nix', async (t) => {
  if (!nixOrExplain(t)) return;
  const flake = (slot: string) => `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { self, ... }@inputs: let
        system = "x86_64-linux";
        pkgs = import inputs.nixpkgs { inherit system; };
        ${slot}
      in { };
    }
  `;
  const builder = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }@inputs: let
        pkgs-unstable = import nixpkgs { system = "x86_64-linux"; };
      in {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem {
          modules = [ ];
          $0
        };
      };
    }
  `;
  const sources: NixSource[] = [];
  for (const source of [flake('cross = $0'), flake('$0'), builder]) {
    const f = await featureFixture(source);
    try {
      const items = completion(f.ctx, f.file, f.offset).filter((i) => i.kind === 'snippet');
      assert.ok(items.length > 0, source);
      const text = f.ctx.text(f.file)!;
      for (const item of items) {
        let inserted = snippetToPlainText(item.insertText!);
        // A value needs its `;` after it, as the user types it.
        if (/= \$0/.test(source)) inserted += ';';
        sources.push({ name: item.label, text: text.slice(0, f.offset) + inserted + text.slice(f.offset) });
      }
    } finally {
      f.dispose();
    }
  }
  const results = await parseWithNix(sources);
  assert.deepEqual(
    results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`),
    [],
  );
});

test('every ABI a cross snippet offers fits its default arch and triple', () => {
  for (const s of staticSnippets) {
    const body = s.body.join('\n');
    const config = /config = "([^"]+)"/.exec(body)?.[1];
    const arch = /gcc\.arch = "\$\{\d+:([^}]+)\}"/.exec(body)?.[1];
    const abis = /gcc\.abi = "\$\{\d+\|([^|]+)\|\}"/.exec(body)?.[1]?.split(',');
    if (!config || !arch || !abis) continue;
    for (const abi of abis) {
      assert.deepEqual(
        checkGccSettings(config, { arch, abi }).map((p) => p.message),
        [],
        `${s.prefix}: ${arch} with ${abi}`,
      );
    }
  }
});
