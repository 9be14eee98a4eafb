/**
 * Completion, one test per context: what is offered (and in which order
 * where the order matters), and where nothing may be offered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion, type CompletionItem } from '../../../server/src/ide/features/index.js';
import { atCursor, textOf } from '../../support/features.js';

const FLAKE_HEAD = `
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  inputs.home-manager.url = "github:nix-community/home-manager";`;

/** The items at `$0`, closed and open document alike. */
function items(source: string): Promise<CompletionItem[]> {
  return atCursor(source, (f) => completion(f.ctx, f.file, f.offset));
}

async function labels(source: string): Promise<string[]> {
  return (await items(source)).map((i) => i.label);
}

/** A flake whose outputs hold `body` (a Nix expression with a `$0`). */
function inFlake(body: string): string {
  return `
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, nixpkgs-unstable, ... }: {
        ${body}
      };
    }
  `;
}

// ---------------------------------------------------------------- instantiation arguments

test('import nixpkgs { | }: every argument, with documentation', async () => {
  const got = await items(inFlake('pkgs = import nixpkgs { $0 };'));
  assert.deepEqual(
    got.map((i) => i.label),
    ['system', 'localSystem', 'crossSystem', 'config', 'overlays', 'crossOverlays'],
  );
  for (const i of got) {
    assert.equal(i.kind, 'property');
    assert.ok(i.documentation && i.documentation.length > 40, `${i.label} has documentation`);
  }
  const system = got.find((i) => i.label === 'system')!;
  assert.match(system.documentation!, /localSystem/);
  assert.equal(system.insertText, 'system = "${1:x86_64-linux}";');
  assert.equal(system.insertTextFormat, 'snippet');
});

test('never system beside localSystem, nor localSystem beside system; written keys are not offered again', async () => {
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { localSystem = "x86_64-linux"; $0 };')), [
    'crossSystem',
    'config',
    'overlays',
    'crossOverlays',
  ]);
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; $0 };')), [
    'crossSystem',
    'overlays',
    'crossOverlays',
  ]);
  // Nested spelling and inherit count too.
  assert.ok(!(await labels(inFlake('pkgs = import nixpkgs { localSystem.system = "x86_64-linux"; $0 };'))).includes('system'));
  const withInherit = `
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, ... }: let system = "x86_64-linux"; in {
        pkgs = import nixpkgs { inherit system; $0 };
      };
    }
  `;
  assert.ok(!(await labels(withInherit)).includes('localSystem'));
});

test('a half-typed argument name, on its own line, replaces the word', async () => {
  const source = inFlake(`pkgs = import nixpkgs {
          system = "x86_64-linux";
          cro$0
        };`);
  const got = await atCursor(source, (f) => {
    const list = completion(f.ctx, f.file, f.offset);
    const cross = list.find((i) => i.label === 'crossSystem')!;
    return { labels: list.map((i) => i.label), replaced: textOf(f, f.file, cross.replaceRange!) };
  });
  assert.ok(got.labels.includes('crossSystem'));
  assert.ok(!got.labels.includes('localSystem'));
  assert.equal(got.replaced, 'cro');
});

test('editing an existing key inserts the name only', async () => {
  const got = await items(inFlake('pkgs = import nixpkgs { sys$0tem = "x86_64-linux"; };'));
  const system = got.find((i) => i.label === 'system');
  assert.ok(system);
  assert.equal(system.insertText, 'system');
  assert.equal(system.insertTextFormat, 'plain');
  // The same before a dotted path: `cross|System.config = ...` keeps its `.config = ...`.
  const dotted = await items(inFlake('pkgs = import nixpkgs { localSystem = "x86_64-linux"; cross$0.config = "riscv64-unknown-linux-gnu"; };'));
  const cross = dotted.find((i) => i.label === 'crossSystem');
  assert.ok(cross);
  assert.equal(cross.insertText, 'crossSystem');
  assert.equal(cross.insertTextFormat, 'plain');
});

test('with a system variable in scope, system is inherited', async () => {
  const got = await items(`
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, ... }: let system = "x86_64-linux"; in {
        pkgs = import nixpkgs { $0 };
      };
    }
  `);
  assert.equal(got.find((i) => i.label === 'system')!.insertText, 'inherit system;');
});

test('every way of naming a nixpkgs: <nixpkgs>, inputs.X, a renamed input, in a module default', async () => {
  for (const expr of ['import <nixpkgs> { $0 }', 'import inputs.nixpkgs-unstable { $0 }', 'import (nixpkgs) { $0 }']) {
    const got = await labels(`
      #- /flake.nix
      {${FLAKE_HEAD}
        outputs = { self, nixpkgs, ... }@inputs: { pkgs = ${expr}; };
      }
    `);
    assert.ok(got.includes('crossSystem'), expr);
  }
  const renamed = await labels(`
    #- /flake.nix
    {
      inputs.stable.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, stable, ... }: { pkgs = import stable { $0 }; };
    }
  `);
  assert.ok(renamed.includes('system'));
});

test('nested keys: crossSystem, its gcc set, config', async () => {
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { crossSystem = { $0 }; };')), [
    'config',
    'system',
    'gcc',
    'libc',
    'useLLVM',
    'isStatic',
  ]);
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.$0 }; };')), [
    'arch',
    'abi',
    'tune',
    'cpu',
    'fpu',
    'float-abi',
  ]);
  assert.deepEqual(
    await labels(inFlake('pkgs = import nixpkgs { crossSystem = { gcc = { arch = "rv64gc"; $0 }; }; };')),
    ['abi', 'tune', 'cpu', 'fpu', 'float-abi'],
  );
  const config = await labels(inFlake('pkgs = import nixpkgs { config = { allowUnfree = true; $0 }; };'));
  assert.ok(config.includes('allowBroken') && !config.includes('allowUnfree'));
});

// ---------------------------------------------------------------- string values

test('crossSystem.config: the lib.systems.examples triples, RISC-V first, replacing the string content', async () => {
  const source = inFlake('pkgs = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "ri$0"; };');
  const got = await atCursor(source, (f) => {
    const list = completion(f.ctx, f.file, f.offset);
    return { list, replaced: textOf(f, f.file, list[0]!.replaceRange!) };
  });
  assert.deepEqual(
    got.list.slice(0, 5).map((i) => i.label),
    ['riscv64-unknown-linux-gnu', 'riscv32-unknown-linux-gnu', 'riscv64-unknown-linux-musl', 'riscv64-none-elf', 'riscv32-none-elf'],
  );
  assert.ok(got.list.some((i) => i.label === 'aarch64-unknown-linux-gnu'));
  assert.match(got.list[0]!.documentation!, /pkgsCross\.riscv64`/);
  assert.equal(got.replaced, 'ri');
  // One item per triple, even where several examples share it.
  assert.equal(got.list.filter((i) => i.label === 'x86_64-w64-mingw32').length, 1);
});

test('localSystem.config and the nested crossSystem = { config = "|"; } spelling', async () => {
  assert.equal((await labels(inFlake('pkgs = import nixpkgs { localSystem.config = "$0"; };')))[0], 'riscv64-unknown-linux-gnu');
  assert.equal(
    (await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "$0"; }; };')))[0],
    'riscv64-unknown-linux-gnu',
  );
});

test('system strings: the common doubles', async () => {
  const got = await labels(inFlake('pkgs = import nixpkgs { system = "$0"; };'));
  assert.deepEqual(got.slice(0, 3), ['x86_64-linux', 'aarch64-linux', 'riscv64-linux']);
});

test('gcc.arch: ISA strings of the triple\'s width only', async () => {
  const rv64 = await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "$0"; }; };'));
  assert.equal(rv64[0], 'rv64gc');
  assert.ok(rv64.length > 3 && rv64.every((a) => a.startsWith('rv64')), rv64.join(' '));
  const rv32 = await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv32-none-elf"; gcc.arch = "$0"; }; };'));
  assert.ok(rv32.length > 3 && rv32.every((a) => a.startsWith('rv32')), rv32.join(' '));
  // A platform that is not RISC-V gets no RISC-V ISA strings.
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "aarch64-unknown-linux-gnu"; gcc.arch = "$0"; }; };')), []);
});

test('gcc.abi: only the ABIs that fit the arch (rv64gc: lp64d first, never ilp32)', async () => {
  const rv64gc = await labels(
    inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "$0"; }; };'),
  );
  assert.deepEqual(rv64gc, ['lp64d', 'lp64']);
  // Bare metal is not limited to what glibc supports.
  const bare = await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv64-none-elf"; gcc = { arch = "rv64gc"; abi = "$0"; }; }; };'));
  assert.deepEqual(bare, ['lp64d', 'lp64f', 'lp64']);
  // No F extension: no f/d ABIs.
  const imac = await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv64-none-elf"; gcc.arch = "rv64imac"; gcc.abi = "$0"; }; };'));
  assert.deepEqual(imac, ['lp64']);
  // Without gcc.arch: GCC's default arch for the triple.
  const rv32 = await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "riscv32-unknown-linux-gnu"; gcc.abi = "$0"; }; };'));
  assert.deepEqual(rv32, ['ilp32d', 'ilp32']);
  assert.deepEqual(await labels(inFlake('pkgs = import nixpkgs { crossSystem = { config = "x86_64-unknown-linux-gnu"; gcc.abi = "$0"; }; };')), []);
});

// ---------------------------------------------------------------- pkgsCross

test('pkgsCross.|: the example names, RISC-V first, also on the last line before other code', async () => {
  const got = await items(inFlake(`cross = nixpkgs.legacyPackages.x86_64-linux.pkgsCross.$0
        other = 1;`));
  assert.deepEqual(
    got.slice(0, 5).map((i) => i.label),
    ['riscv64', 'riscv32', 'riscv64-musl', 'riscv64-embedded', 'riscv32-embedded'],
  );
  assert.equal(got[0]!.detail, 'riscv64-unknown-linux-gnu');
  const typed = await labels(`
    #- /module.nix
    { pkgs, ... }: { environment.systemPackages = [ pkgs.pkgsCross.riscv$0.hello ]; }
  `);
  assert.equal(typed[0], 'riscv64');
  assert.equal((await labels(inFlake('crossSystem = nixpkgs.lib.systems.examples.$0;')))[0], 'riscv64');
});

// ---------------------------------------------------------------- module formals

const HOSTS = `
  #- /flake.nix
  {${FLAKE_HEAD}
    outputs = { self, nixpkgs, nixpkgs-unstable, home-manager, ... }@inputs:
      let
        system = "x86_64-linux";
        pkgs-unstable = import nixpkgs-unstable { inherit system; };
      in {
        nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs pkgs-unstable; hostName = "alpha"; };
          modules = [ ./hosts/alpha.nix ];
        };
        homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
          pkgs = nixpkgs.legacyPackages.x86_64-linux;
          extraSpecialArgs = { inherit pkgs-unstable; };
          modules = [ ./home.nix ];
        };
      };
  }
`;

test('module formals: the names the builders reaching the module pass through specialArgs', async () => {
  const got = await items(`${HOSTS}
    #- /hosts/alpha.nix
    { config, pkgs, $0 ... }: { imports = [ ../common.nix ]; }
  `);
  assert.deepEqual(got.map((i) => i.label), ['hostName', 'inputs', 'pkgs-unstable']);
  assert.equal(got[0]!.kind, 'variable');
  assert.match(got[0]!.documentation!, /nixosSystem/);
  assert.match(got[0]!.documentation!, /alpha/);
  // Through imports, nixfmt style, half-typed, with written formals left out.
  const common = await labels(`${HOSTS}
    #- /hosts/alpha.nix
    { ... }: { imports = [ ../common.nix ]; }
    #- /common.nix
    {
      config,
      pkgs,
      inputs,
      pkgs-u$0
    }:
    { }
  `);
  assert.deepEqual(common, ['hostName', 'pkgs-unstable']);
  // home-manager's extraSpecialArgs.
  assert.deepEqual(await labels(`${HOSTS}
    #- /home.nix
    { pkgs, $0 ... }: { }
  `), ['pkgs-unstable']);
});

test('module formals: specialArgs = inputs passes every flake input', async () => {
  const got = await labels(`
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, ... }@inputs: {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem { specialArgs = inputs; modules = [ ./a.nix ]; };
      };
    }
    #- /a.nix
    { config, $0 ... }: { }
  `);
  assert.deepEqual(got, ['home-manager', 'nixpkgs', 'nixpkgs-unstable', 'self']);
});

// ---------------------------------------------------------------- snippets

test('snippets in flake.nix use the real input name and the system in scope', async () => {
  const got = await items(`
    #- /flake.nix
    {
      inputs.stable.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.edge.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = inputs: let
        system = "x86_64-linux";
        cross = nixpkgs-r$0
      in { };
    }
  `);
  const riscv = got.find((i) => i.label === 'nixpkgs-riscv64');
  assert.ok(riscv, got.map((i) => i.label).join(' '));
  assert.equal(riscv.kind, 'snippet');
  assert.equal(riscv.insertTextFormat, 'snippet');
  // After `cross =`: the expression, and its `;` (nothing follows it before `in`).
  assert.match(riscv.insertText!, /^import inputs\.stable \{/);
  assert.match(riscv.insertText!, /localSystem = \$\{1:system\};/);
  assert.match(riscv.insertText!, /\};\$0$/);
  assert.match(riscv.documentation!, /gcc\.abi = "lp64d"/);

  const inLet = await items(`
    #- /flake.nix
    {
      inputs.stable.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.edge.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { self, stable, edge, ... }: let
        $0
      in { };
    }
  `);
  const unstable = inLet.find((i) => i.label === 'nixpkgs-unstable');
  assert.ok(unstable, inLet.map((i) => i.label).join(' '));
  // Where a binding goes: the binding, its name a tab stop.
  assert.match(unstable.insertText!, /^\$\{1:pkgs-unstable\} = import edge \{/);
  // No `system` in scope: a literal to fill in instead of `inherit system;`.
  assert.match(unstable.insertText!, /system = "\$\{2:x86_64-linux\}";/);
});

test('specialargs is offered in a builder call without one, inheriting the instances in scope', async () => {
  const got = await items(`
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs: let
        pkgs-unstable = import nixpkgs-unstable { system = "x86_64-linux"; };
      in {
        nixosConfigurations.a = nixpkgs.lib.nixosSystem {
          modules = [ ./a.nix ];
          $0
        };
      };
    }
  `);
  assert.deepEqual(got.map((i) => i.label), ['specialargs']);
  assert.equal(got[0]!.insertText, 'specialArgs = { inherit ${1:inputs pkgs-unstable}; };$0');
  const hm = await items(`
    #- /flake.nix
    {${FLAKE_HEAD}
      outputs = { self, nixpkgs, home-manager, ... }: {
        homeConfigurations.me = home-manager.lib.homeManagerConfiguration { $0 };
      };
    }
  `);
  assert.match(hm[0]!.insertText!, /^extraSpecialArgs = /);
  assert.deepEqual(await labels(inFlake('a = nixpkgs.lib.nixosSystem { specialArgs = { }; $0 };')), []);
});

test('inside a module, no snippet creates an instance: each names the argument flake.nix passes', async () => {
  const got = await items(`${HOSTS}
    #- /hosts/alpha.nix
    { pkgs, ... }: let
      cross = $0
    in { }
  `);
  // flake.nix passes pkgs-unstable to this module already: the module takes it as an argument.
  const unstable = got.find((i) => i.label === 'nixpkgs-unstable')!;
  assert.equal(unstable.insertText, 'pkgs-unstable;$0');
  assert.deepEqual(unstable.additionalEdits, [{ range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } }, newText: 'pkgs-unstable, ' }]);
  assert.match(got.find((i) => i.label === 'pkgscross-riscv64')!.insertText!, /^pkgs\.pkgsCross\./);
  for (const i of got) assert.doesNotMatch(i.insertText!, /import /, i.label);
  // The keys of a module's let and sets are options and helpers, not places for instances.
  assert.deepEqual(await labels(`${HOSTS}
    #- /hosts/alpha.nix
    { pkgs, ... }: let
      $0
    in { }
  `), []);
});

// ---------------------------------------------------------------- nothing to offer

test('nothing in comments, other strings, instance arguments of other imports, inputs, or the outputs set itself', async () => {
  const cases = [
    inFlake('# import nixpkgs { $0 }'),
    inFlake('/* crossSystem.config = "$0"; */ a = 1;'),
    inFlake('pkgs = import nixpkgs { system = "x86_64-linux"; }; msg = "pkgsCross.$0";'),
    inFlake('pkgs = import nixpkgs { config.permittedInsecurePackages = [ "$0" ]; };'),
    inFlake('pkgs = import nixpkgs { crossSystem = { libc = "$0"; }; };'),
    inFlake('settings = { crossSystem = { config = "$0"; }; };'),
    inFlake('lib = import ./lib.nix { $0 };'),
    inFlake('x = pkgs.hello.$0;'),
    inFlake('x = "${pkgs.hello}/$0";'),
    `
      #- /flake.nix
      {
        inputs.nixpkgs.url = "$0";
        outputs = { self, nixpkgs }: { };
      }
    `,
    `
      #- /flake.nix
      {
        description = $0;
        outputs = { self, nixpkgs }: { };
      }
    `,
    `
      #- /lonely.nix
      { config, pkgs, $0 ... }: { }
    `,
    `
      #- /default.nix
      let f = { a, $0 }: a; in f
    `,
  ];
  for (const source of cases) assert.deepEqual(await labels(source), [], source);
  // The set `outputs` returns holds flake outputs (`packages`, `nixosConfigurations`): no binding snippets there.
  assert.deepEqual(await labels(inFlake('$0')), []);
});
