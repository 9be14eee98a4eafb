/**
 * The evaluation layer (server/src/ide/evaluation.ts): which files an output evaluates,
 * which are read on their own, and which nothing reaches. Every case here is a shape seen in
 * the real corpus (test/real), reduced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, parseFixture } from '../support/fixture.js';
import { pathRefs } from '../../server/src/ide/index/refs.js';

async function reach(source: string): Promise<Record<string, string>> {
  const analysis = await analyse(parseFixture(source));
  const model = analysis.workspace();
  return Object.fromEntries(analysis.paths().sort().map((p) => [p, model.evaluation.reachOf(p)]));
}

test('a flake reaches what its files name: files, folders (every file under them), self-relative strings', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { self, nixpkgs, ... }: {
          nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./hosts/a.nix ]; };
          lib = import "\${self}/lib";
          nixosModules = builtins.readDir ./modules;
        }; }
      #- /hosts/a.nix
      { ... }: { imports = [ ../common ]; }
      #- /common/default.nix
      { ... }: { }
      #- /common/extra.nix
      { ... }: { }
      #- /lib/default.nix
      { }
      #- /modules/x/default.nix
      { ... }: { }
      #- /shell.nix
      { pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }
      #- /old/copy.nix
      { pkgs, ... }: { }
    `),
    {
      '/common/default.nix': 'reached',
      '/common/extra.nix': 'reached',
      '/flake.nix': 'entry',
      '/hosts/a.nix': 'reached',
      '/lib/default.nix': 'reached',
      '/modules/x/default.nix': 'reached',
      '/old/copy.nix': 'unreached',
      '/shell.nix': 'unreached',
    },
  );
});

test('a file copied into the store for a program ("${./x}") is not evaluated, even in a folder a module imports; sub-flakes are entries of their own', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { self, nixpkgs, ... }: {
          nixosModules.update = { pkgs, ... }: {
            imports = [ ./scripts ];
            systemd.services.u.script = "nix eval -f \${./scripts/update.nix}";
          };
          templates.basic.path = ./templates/basic;
        }; }
      #- /scripts/update.nix
      with import <nixpkgs> { }; hello
      #- /scripts/default.nix
      { ... }: { }
      #- /templates/basic/flake.nix
      { outputs = { nixpkgs, ... }: { }; }
    `),
    { '/flake.nix': 'entry', '/scripts/default.nix': 'reached', '/scripts/update.nix': 'unreached', '/templates/basic/flake.nix': 'entry' },
  );
});

test('outside flakes: configurations nothing imports are entries, other files are read on their own', async () => {
  assert.deepEqual(
    await reach(`
      #- /machines/box/configuration.nix
      { pkgs, ... }: { imports = [ ../../cfg/base.nix ./hardware-configuration.nix ]; }
      #- /machines/box/hardware-configuration.nix
      { config, lib, modulesPath, ... }: { boot.initrd.availableKernelModules = [ "nvme" ]; }
      #- /cfg/base.nix
      { pkgs, ... }: { environment.systemPackages = [ pkgs.git ]; }
      #- /default.nix
      let pkgs = import ./nix/pkgs.nix; in pkgs.hello
      #- /nix/pkgs.nix
      import <nixpkgs> { }
    `),
    {
      '/cfg/base.nix': 'reached',
      '/default.nix': 'standalone',
      '/machines/box/configuration.nix': 'entry',
      '/machines/box/hardware-configuration.nix': 'reached',
      '/nix/pkgs.nix': 'standalone',
    },
  );
});

test('outside flakes: a configuration is known by its name (laptop-configuration.nix, home.nix) even when it is not a module', async () => {
  assert.deepEqual(
    await reach(`
      #- /hosts/laptop-configuration.nix
      import ../common.nix { hostName = "laptop"; }
      #- /hosts/server.configuration.nix
      import ../common.nix { hostName = "server"; }
      #- /home.nix
      import ./home/shared.nix
      #- /home/shared.nix
      { pkgs, ... }: { home.packages = [ pkgs.git ]; }
      #- /common.nix
      { hostName }: { networking.hostName = hostName; }
      #- /laptop-setup.nix
      import ./common.nix { hostName = "x"; }
    `),
    {
      '/common.nix': 'reached',
      '/home.nix': 'entry',
      '/home/shared.nix': 'reached',
      '/hosts/laptop-configuration.nix': 'entry',
      '/hosts/server.configuration.nix': 'entry',
      '/laptop-setup.nix': 'standalone',
    },
  );
});

test('a folder beside a flake whose name starts with the flake folder\'s is not part of that flake', async () => {
  assert.deepEqual(
    await reach(`
      #- /site/flake.nix
      { outputs = { self, nixpkgs, ... }: { }; }
      #- /site/unused.nix
      { pkgs, ... }: { }
      #- /site-old/configuration.nix
      { pkgs, ... }: { environment.systemPackages = [ pkgs.git ]; }
    `),
    {
      '/site-old/configuration.nix': 'entry',
      '/site/flake.nix': 'entry',
      '/site/unused.nix': 'unreached',
    },
  );
});

test("snowfall-lib's mkFlake reads the flake's whole folder; `import ./.` only its default.nix", async () => {
  const layout = (flake: string) => `
      #- /flake.nix
      ${flake}
      #- /default.nix
      { }
      #- /systems/x86_64-linux/box/default.nix
      { ... }: { }
      #- /.devenv/bootstrap/bootstrapLib.nix
      { pkgs }: import pkgs.path { }
  `;
  // A hidden folder (devenv's generated state, committed by accident: geraldserafin/dotfiles)
  // is no part of the tree a loader reads.
  assert.deepEqual(
    await reach(layout('{ inputs.snowfall-lib.url = "github:snowfallorg/lib"; outputs = inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; }; }')),
    {
      '/.devenv/bootstrap/bootstrapLib.nix': 'unreached',
      '/default.nix': 'reached',
      '/flake.nix': 'entry',
      '/systems/x86_64-linux/box/default.nix': 'reached',
    },
  );
  assert.deepEqual(await reach(layout('{ outputs = { ... }: { lib = import ./. { }; }; }')), {
    '/.devenv/bootstrap/bootstrapLib.nix': 'unreached',
    '/default.nix': 'reached',
    '/flake.nix': 'entry',
    '/systems/x86_64-linux/box/default.nix': 'unreached',
  });
});

test('`./.` handed to a folder loader (`mapModules ./. import`) reads every file under it; `src = ./.` of a package does not (hlissner/dotfiles)', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { nixpkgs, ... }: { lib = import ./lib { }; packages.x86_64-linux.tool = import ./tool { }; }; }
      #- /lib/default.nix
      { }: let attrs = import ./attrs.nix; in attrs.mapModules ./. import
      #- /lib/attrs.nix
      { mapModules = dir: fn: { }; }
      #- /lib/nixos.nix
      { mkFlake = { }: { }; }
      #- /tool/default.nix
      { }: { src = ./.; }
      #- /tool/test.nix
      { pkgs ? import <nixpkgs> { } }: pkgs.hello
    `),
    { '/flake.nix': 'entry', '/lib/attrs.nix': 'reached', '/lib/default.nix': 'reached', '/lib/nixos.nix': 'reached', '/tool/default.nix': 'reached', '/tool/test.nix': 'unreached' },
  );
});

test("nixos-unified's mkFlake with `root = ./.` reads the whole folder (its flake-parts modules) (lovesegfault/nix-config)", async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { inputs.nixos-unified.url = "github:srid/nixos-unified"; outputs = inputs: inputs.nixos-unified.lib.mkFlake { inherit inputs; root = ./.; }; }
      #- /modules/flake-parts/configurations.nix
      { inputs, ... }: { flake = { }; }
    `),
    { '/flake.nix': 'entry', '/modules/flake-parts/configurations.nix': 'reached' },
  );
});

test("a commented-out import reaches nothing; clan-core's clan { inherit self; } reads machines/<name>/configuration.nix (pinpox/nixos)", async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      {
        inputs.clan-core.url = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz";
        outputs = { self, clan-core, ... }: let
          # Each subdirectory of ./machines is a host; clan reads them itself.
          clan = clan-core.lib.clan { inherit self; };
        in { inherit (clan.config) nixosConfigurations; };
      }
      #- /machines/porree/configuration.nix
      { ... }: {
        imports = [
          ./caddy.nix
          # ./retiolum.nix
        ];
      }
      #- /machines/porree/caddy.nix
      { ... }: { }
      #- /machines/porree/retiolum.nix
      { ... }: { }
      #- /machines/porree/blog.nix
      with import <nixpkgs> { }; stdenv.mkDerivation { name = "blog"; }
    `),
    {
      '/flake.nix': 'entry',
      '/machines/porree/blog.nix': 'unreached',
      '/machines/porree/caddy.nix': 'reached',
      '/machines/porree/configuration.nix': 'reached',
      '/machines/porree/retiolum.nix': 'unreached',
    },
  );
});

test('strings that are paths under the flake (`relativeToRoot "hosts/common/core"`) reach that file or folder default, not a whole folder or a store copy', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { self, nixpkgs, ... }: let
          relativeToRoot = nixpkgs.lib.path.append ./.;
        in {
          nixosConfigurations.a = nixpkgs.lib.nixosSystem {
            modules = map relativeToRoot [ "hosts/common/core" "hosts/a.nix" ];
          };
        }; }
      #- /hosts/common/core/default.nix
      { ... }: { }
      #- /hosts/common/core/unused.nix
      { ... }: { }
      #- /hosts/a.nix
      { pkgs, ... }: { systemd.services.x.script = "nix eval -f \${./script.nix}"; }
      #- /hosts/script.nix
      import <nixpkgs> { }
      #- /dev/treefmt.nix
      { settings.global.excludes = [ "hosts/script.nix" ]; }
    `),
    {
      '/dev/treefmt.nix': 'unreached',
      '/flake.nix': 'entry',
      '/hosts/a.nix': 'reached',
      '/hosts/common/core/default.nix': 'reached',
      '/hosts/common/core/unused.nix': 'unreached',
      '/hosts/script.nix': 'unreached',
    },
  );
});

test('a folder given to `callPackage` or `import` is its default.nix: a shell.nix or a NixOS test beside it is not evaluated', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { self, nixpkgs, ... }: {
          nixosModules.x = { pkgs, ... }: {
            environment.systemPackages = [ (pkgs.callPackage ./pkgs/tool { }) (import ./pkgs/lib { }) ];
          };
        }; }
      #- /pkgs/tool/default.nix
      { stdenv }: stdenv.mkDerivation { src = ./.; }
      #- /pkgs/tool/shell.nix
      { pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }
      #- /pkgs/lib/default.nix
      { }: { }
      #- /pkgs/lib/configuration.nix
      { ... }: { }
    `),
    {
      '/flake.nix': 'entry',
      '/pkgs/lib/configuration.nix': 'unreached',
      '/pkgs/lib/default.nix': 'reached',
      '/pkgs/tool/default.nix': 'reached',
      '/pkgs/tool/shell.nix': 'unreached',
    },
  );
});

test('a path bound to a name that is only interpolated (`repl = ../lib/repl.nix;` then `${repl}` in a script) is a store copy, not evaluated (fufexan/dotfiles)', async () => {
  assert.deepEqual(
    await reach(`
      #- /flake.nix
      { outputs = { self, nixpkgs, ... }: {
          packages.x86_64-linux.repl = nixpkgs.legacyPackages.x86_64-linux.callPackage ./pkgs/repl { };
          nixosModules.m = import ./modules/m.nix;
        }; }
      #- /pkgs/repl/default.nix
      { writeShellScriptBin }:
      let
        repl = ../../lib/repl.nix;
      in
      writeShellScriptBin "repl" ''
        nix repl --expr 'import \${repl} { }'
      ''
      #- /lib/repl.nix
      { flakePath ? null }: import <nixpkgs> { }
      #- /modules/m.nix
      let
        part = ./part.nix;
      in
      { imports = [ part ]; environment.etc.x.text = "\${part}"; }
      #- /modules/part.nix
      { ... }: { }
    `),
    {
      '/flake.nix': 'entry',
      '/lib/repl.nix': 'unreached',
      '/modules/m.nix': 'reached',
      '/modules/part.nix': 'reached',
      '/pkgs/repl/default.nix': 'reached',
    },
  );
});

test('path references: literals, interpolated folders, empty calls; not operators, formals or store copies', () => {
  assert.deepEqual(
    pathRefs('{ a, ... }: [ ./a.nix ../b/c.nix ./hosts/${name} (import ./shell.nix { }) (import ./. {}) "${./run.sh}" x.y 1.5 ((import ./pkgs.nix) { }) ]'),
    [
      { path: './a.nix', fromFlake: false, emptyCall: false, dot: false },
      { path: '../b/c.nix', fromFlake: false, emptyCall: false, dot: false },
      { path: './hosts', fromFlake: false, emptyCall: false, dot: false },
      { path: './shell.nix', fromFlake: false, emptyCall: true, dot: false, called: true },
      { path: '.', fromFlake: false, emptyCall: true, dot: true, called: true },
      { path: './run.sh', fromFlake: false, emptyCall: false, dot: false, copy: true },
      { path: './pkgs.nix', fromFlake: false, emptyCall: true, dot: false, called: true },
    ],
  );
  assert.deepEqual(pathRefs('self + "/modules/nixos"'), [{ path: './modules/nixos', fromFlake: true, emptyCall: false, dot: false }]);
});
