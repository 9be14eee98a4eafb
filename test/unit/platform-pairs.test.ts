/**
 * Cross package sets whose platform one configuration takes from two modules: the host's module
 * says `nixpkgs.hostPlatform`, and the file that builds the hosts writes
 * `{ nixpkgs.buildPlatform = ...; }` beside it (colemickens/nixcfg builds its RISC-V boards this
 * way, through host records `{ path = ./hosts/board.nix; extraConfig = [ { ... } ]; }`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, parseFixture } from '../support/fixture.js';
import { hover } from '../../server/src/ide/features/index.js';
import { atCursor } from '../support/features.js';
import { overview } from '../../server/src/ide/overview.js';

/** `file:line kind creates pair` for every platform site (lines 1-based). */
async function platforms(source: string): Promise<string[]> {
  const analysis = await analyse(parseFixture(source));
  const model = analysis.workspace();
  const where = (i: (typeof model.instances)[number]) => `${i.file}:${i.range.start.line + 1}`;
  return model.instances
    .filter((i) => i.kind === 'platform')
    .map((i) => `${where(i)} creates=${i.createsInstance} pair=${i.pair ? where(i.pair.other) : '-'}`)
    .sort();
}

async function codes(source: string): Promise<string[]> {
  const analysis = await analyse(parseFixture(source));
  return analysis
    .allDiagnostics()
    .map((d) => `${d.file}:${d.range.start.line + 1} ${d.code}`)
    .sort();
}

const RECORDS = (records: string, extra = '') => `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, ... }:
      let
        mkSystem = n: v: nixpkgs.lib.nixosSystem { modules = [ v.path ] ++ (v.extraConfig or [ ]); };
        hosts = {
          ${records}
        };
      in { nixosConfigurations = nixpkgs.lib.mapAttrs mkSystem hosts; };
  }
  #- /hosts/board/default.nix
  { ... }: { imports = [ ./base.nix ]; }
  #- /hosts/board/base.nix
  { lib, ... }: {
    nixpkgs.hostPlatform.system = "riscv64-linux";
  }
  #- /hosts/desk.nix
  { ... }: {
    nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
  }
  ${extra}
`;

test('a buildPlatform written in a host record pairs with the hostPlatform the host file reaches', async () => {
  assert.deepEqual(
    await platforms(
      RECORDS(`
          board = { path = ./hosts/board; extraConfig = [ { nixpkgs.buildPlatform.system = "x86_64-linux"; } ]; };
          desk = { path = ./hosts/desk.nix; };`),
    ),
    [
      // The host's half creates the cross set too; the desktop's plain hostPlatform stays ordinary.
      '/flake.nix:8 creates=true pair=/hosts/board/base.nix:2',
      '/hosts/board/base.nix:2 creates=true pair=/flake.nix:8',
      '/hosts/desk.nix:2 creates=false pair=-',
    ],
  );
});

/** A board whose host platform is in its file and whose build platform is beside it in `modules`. */
const BOARD = (key: string) => `
  #- /flake.nix
  {
    outputs = { nixpkgs, ... }: {
      nixosConfigurations.board = nixpkgs.lib.nixosSystem {
        modules = [ ./board.nix { nixpkgs.buildPlatform = "x86_64-linux"; } ];
      };
    };
  }
  #- /board.nix
  { ... }: { nixpkgs.${key} = "riscv64-linux"; }
`;

test('a buildPlatform module in the same modules list pairs the same way', async () => {
  assert.deepEqual(
    await platforms(BOARD('hostPlatform')),
    // The inline module alone already names a build platform, so it creates a set either way.
    ['/board.nix:1 creates=true pair=/flake.nix:4', '/flake.nix:4 creates=true pair=/board.nix:1'],
  );
});

test('silence when the files beside it reach two different host platforms, or none beside it', async () => {
  assert.deepEqual(
    await platforms(`
      #- /flake.nix
      {
        outputs = { nixpkgs, ... }: {
          nixosConfigurations.boards = nixpkgs.lib.nixosSystem {
            modules = [ ./hosts/default.nix { nixpkgs.buildPlatform = "x86_64-linux"; } ];
          };
          nixosConfigurations.lone = nixpkgs.lib.nixosSystem {
            modules = [ { nixpkgs.buildPlatform = "x86_64-linux"; } ];
          };
        };
      }
      #- /hosts/default.nix
      { lib, ... }: { imports = [ ./boards/a.nix ./boards/b.nix ]; }
      #- /hosts/boards/a.nix
      { lib, config, ... }: lib.mkIf (config.networking.hostName == "a") { nixpkgs.hostPlatform = "riscv64-linux"; }
      #- /hosts/boards/b.nix
      { lib, config, ... }: lib.mkIf (config.networking.hostName == "b") { nixpkgs.hostPlatform = "aarch64-linux"; }
    `),
    [
      '/flake.nix:4 creates=true pair=-',
      '/flake.nix:7 creates=true pair=-',
      '/hosts/boards/a.nix:1 creates=false pair=-',
      '/hosts/boards/b.nix:1 creates=false pair=-',
    ],
  );
});

test("a list in a table of hosts is not a configuration's module list: another host's file is not beside it", async () => {
  assert.deepEqual(
    await platforms(`
      #- /flake.nix
      {
        outputs = { nixpkgs, ... }: {
          nixosConfigurations = nixpkgs.lib.mapAttrs (n: m: nixpkgs.lib.nixosSystem { modules = nixpkgs.lib.toList m; }) {
            board = [ ./board.nix { nixpkgs.buildPlatform = "x86_64-linux"; } ];
            rv = ./rv.nix;
          };
        };
      }
      #- /board.nix
      { ... }: { }
      #- /rv.nix
      { ... }: { nixpkgs.hostPlatform = "riscv64-linux"; }
    `),
    ['/flake.nix:4 creates=true pair=-', '/rv.nix:1 creates=false pair=-'],
  );
});

test("of the record around a module list, only the host's own module is beside it", async () => {
  assert.deepEqual(
    await platforms(
      RECORDS(
        `
          board = { path = ./hosts/board; iso = ./hosts/iso.nix; extraConfig = [ { nixpkgs.buildPlatform.system = "x86_64-linux"; } ]; };`,
        `
  #- /hosts/iso.nix
  { ... }: { nixpkgs.hostPlatform = "aarch64-linux"; }`,
      ),
    ),
    [
      '/flake.nix:8 creates=true pair=/hosts/board/base.nix:2',
      '/hosts/board/base.nix:2 creates=true pair=/flake.nix:8',
      '/hosts/desk.nix:2 creates=false pair=-',
      '/hosts/iso.nix:1 creates=false pair=-',
    ],
  );
});

test('no pair where NixOS makes no cross set: the legacy system option beside it, or the same platform on both sides', async () => {
  // NixOS refuses buildPlatform beside the legacy options, and builds natively when both are equal.
  assert.deepEqual(await platforms(BOARD('system')), ['/board.nix:1 creates=false pair=-', '/flake.nix:4 creates=true pair=-']);
  assert.deepEqual(await platforms(BOARD('hostPlatform').replace('"riscv64-linux"', '"x86_64-unknown-linux-gnu"')), [
    '/board.nix:1 creates=false pair=-',
    '/flake.nix:4 creates=true pair=-',
  ]);
});

test('a host platform that already cross-compiles, or that sets the same option, is not a half', async () => {
  assert.deepEqual(
    await platforms(
      RECORDS(`
          board = { path = ./hosts/twice.nix; extraConfig = [ { nixpkgs.buildPlatform.system = "x86_64-linux"; } ]; };`,
        `
  #- /hosts/twice.nix
  { ... }: { nixpkgs.hostPlatform = "riscv64-linux"; nixpkgs.buildPlatform = "aarch64-linux"; }`),
    ),
    [
      '/flake.nix:8 creates=true pair=-',
      '/hosts/board/base.nix:2 creates=false pair=-',
      '/hosts/desk.nix:2 creates=false pair=-',
      '/hosts/twice.nix:1 creates=true pair=-',
    ],
  );
});

test('emulated-and-cross reads both halves: the pair cross-compiles to the emulated system', async () => {
  const found = await codes(
    RECORDS(
      `
          board = { path = ./hosts/board; extraConfig = [ { nixpkgs.buildPlatform.system = "x86_64-linux"; } ]; };
          desk = { path = ./hosts/desk.nix; extraConfig = [ ./emulate.nix ]; };`,
      `
  #- /emulate.nix
  { ... }: { boot.binfmt.emulatedSystems = [ "riscv64-linux" ]; }`,
    ),
  );
  // Once, at the half that chooses to cross, not again at the host's half.
  assert.deepEqual(
    found.filter((c) => c.endsWith('emulated-and-cross')),
    ['/flake.nix:8 emulated-and-cross'],
  );
  // Without the pair the inline module's target is its build platform, x86_64: nothing to say.
  const alone = await codes(
    RECORDS(
      `
          board = { extraConfig = [ { nixpkgs.buildPlatform.system = "x86_64-linux"; } ]; };
          desk = { path = ./hosts/desk.nix; extraConfig = [ ./emulate.nix ]; };`,
      `
  #- /emulate.nix
  { ... }: { boot.binfmt.emulatedSystems = [ "riscv64-linux" ]; }`,
    ),
  );
  assert.ok(!alone.some((c) => c.endsWith('emulated-and-cross')), alone.join('\n'));
});

test("emulated-and-cross asks the host half's configurations whether they meet the emulating ones", async () => {
  const fixture = (deskModules: string) => `
      #- /flake.nix
      {
        outputs = { nixpkgs, ... }: {
          nixosConfigurations.board = nixpkgs.lib.nixosSystem { modules = [ ./board.nix { nixpkgs.buildPlatform = "x86_64-linux"; } ]; };
          nixosConfigurations.desk = nixpkgs.lib.nixosSystem { modules = [ ${deskModules} ]; };
        };
      }
      #- /board.nix
      { ... }: { nixpkgs.hostPlatform = "riscv64-linux"; }
      #- /desk.nix
      { ... }: { }
      #- /emulate.nix
      { ... }: { boot.binfmt.emulatedSystems = [ "riscv64-linux" ]; }
  `;
  // Another configuration emulates riscv64: the board is not built on it, nothing to say.
  assert.deepEqual((await codes(fixture('./desk.nix ./emulate.nix'))).filter((c) => c.endsWith('emulated-and-cross')), []);
  // The board's own configuration emulates it: said once, at the half that chooses to cross.
  const own = await codes(fixture('./desk.nix').replace('./board.nix {', './board.nix ./emulate.nix {'));
  assert.deepEqual(own.filter((c) => c.endsWith('emulated-and-cross')), ['/flake.nix:3 emulated-and-cross']);
});

test('hover on either half names the other and the cross set they make together', async () => {
  const contents = await atCursor(
    BOARD('host$0Platform'),
    (f) => hover(f.ctx, f.file, f.offset)?.contents ?? '',
  );
  assert.match(contents, /Cross-compiles.*riscv64-linux.*x86_64-linux/);
  assert.match(contents, /`nixpkgs\.buildPlatform` at .*flake\.nix:4/);
  assert.doesNotMatch(contents, /builtins\.currentSystem/);
});

test('hover on a plain host platform gives its system, not the impure-system warning of an import', async () => {
  const contents = await atCursor(
    `
      #- /flake.nix
      { outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./a.nix ]; }; }; }
      #- /a.nix
      { lib, ... }: { nixpkgs.host$0Platform = lib.mkDefault "x86_64-linux"; }
    `,
    (f) => hover(f.ctx, f.file, f.offset)?.contents ?? '',
  );
  assert.match(contents, /\*\*System:\*\* .*x86_64-linux/);
  assert.doesNotMatch(contents, /currentSystem|Together with/);
});

test('the summary counts a cross set written in two modules once', async () => {
  const analysis = await analyse(
    parseFixture(BOARD('hostPlatform')),
  );
  assert.equal(overview(analysis.workspace(), analysis.allDiagnostics(), '/').totals.instances, 1);
});
