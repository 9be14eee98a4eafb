/**
 * The index finds what real configurations write: every shape of
 * ../shared/DOMAIN.md, and none of the false friends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instances } from '../support/instances.js';

const FLAKE_HEAD = `
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    unstable.url = "github:nixos/nixpkgs?ref=nixos-unstable";
    fork.url = "git+https://example.org/me/nixpkgs.git?rev=0123abcd";
    short.url = "nixpkgs/nixos-24.05";
    home-manager.url = "github:nix-community/home-manager";
    hardware.url = "github:NixOS/nixos-hardware";
  };`;

test('1. let binding, and inputs recognised by URL whatever their name', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {${FLAKE_HEAD}
        outputs = { self, nixpkgs, unstable, fork, short, home-manager, hardware, ... }@inputs:
          let
            a = import nixpkgs { system = "x86_64-linux"; };
            b = import unstable { system = "x86_64-linux"; };
            c = import inputs.fork { system = "x86_64-linux"; };
            d = import short { system = "x86_64-linux"; };
            e = import (inputs.nixpkgs) { system = "x86_64-linux"; };
            f = import nixpkgs.outPath { system = "x86_64-linux"; };
            alias = nixpkgs;
            g = import alias { system = "x86_64-linux"; };
            notA = import home-manager { };
            notB = import hardware { };
          in { };
      }
    `),
    [
      '/flake.nix:12 import nixpkgs input=nixpkgs flake once name=a',
      '/flake.nix:13 import unstable input=unstable flake once name=b',
      '/flake.nix:14 import inputs.fork input=fork flake once name=c',
      '/flake.nix:15 import short input=short flake once name=d',
      '/flake.nix:16 import (inputs.nixpkgs) input=nixpkgs flake once name=e',
      '/flake.nix:17 import nixpkgs.outPath input=nixpkgs flake once name=f',
      '/flake.nix:19 import alias input=nixpkgs flake once name=g',
    ],
  );
});

test('2. wrapper functions: the definition shares, every call is an instance', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
        outputs = inputs:
          let
            mkPkgs = system: import inputs.nixpkgs { inherit system; config.allowUnfree = true; };
          in {
            x = mkPkgs "x86_64-linux";
            y = mkPkgs "aarch64-linux";
          };
      }
    `),
    [
      '/flake.nix:5 import inputs.nixpkgs input=nixpkgs flake per-call shared',
      '/flake.nix:7 wrapper-call inputs.nixpkgs input=nixpkgs flake once name=x',
      '/flake.nix:8 wrapper-call inputs.nixpkgs input=nixpkgs flake once name=y',
    ],
  );
});

test('3. per-system generators: genAttrs, forAllSystems, eachSystem', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        inputs.flake-utils.url = "github:numtide/flake-utils";
        outputs = { nixpkgs, flake-utils, ... }:
          let
            systems = [ "x86_64-linux" "aarch64-linux" ];
            forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f (import nixpkgs { inherit system; }));
          in
          {
            a = nixpkgs.lib.genAttrs systems (system: import nixpkgs { inherit system; overlays = [ ]; });
            b = flake-utils.lib.eachDefaultSystem (system: { p = import nixpkgs { inherit system; }; });
          };
      }
    `),
    [
      '/flake.nix:7 import nixpkgs input=nixpkgs flake per-system',
      '/flake.nix:10 import nixpkgs input=nixpkgs flake per-system',
      '/flake.nix:11 import nixpkgs input=nixpkgs flake per-system name=p',
    ],
  );
});

test('4. specialArgs in flake.nix (once) and in a per-host helper (per host)', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
        outputs = { nixpkgs, nixpkgs-unstable, ... }@inputs:
          let
            mkHost = name: nixpkgs.lib.nixosSystem {
              specialArgs = { pkgs-unstable = import nixpkgs-unstable { system = "x86_64-linux"; }; };
              modules = [ ./hosts/\${name} ];
            };
          in {
            nixosConfigurations.a = mkHost "a";
            nixosConfigurations.b = mkHost "b";
            nixosConfigurations.c = nixpkgs.lib.nixosSystem {
              specialArgs = { u = import nixpkgs-unstable { system = "x86_64-linux"; }; };
              modules = [ ];
            };
          };
      }
    `),
    [
      '/flake.nix:7 import nixpkgs-unstable input=nixpkgs-unstable flake per-host name=pkgs-unstable',
      '/flake.nix:14 import nixpkgs-unstable input=nixpkgs-unstable flake once name=u',
    ],
  );
});

const HOSTS = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { nixpkgs, ... }@inputs:
      let
        mkHost = name: nixpkgs.lib.nixosSystem {
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/\${name} ./modules/base.nix ];
        };
      in {
        nixosConfigurations = {
          alpha = mkHost "alpha";
          beta = mkHost "beta";
          gamma = mkHost "gamma";
        };
      };
  }
  #- /hosts/alpha/default.nix
  { ... }: { imports = [ ../../modules/desktop.nix ]; }
  #- /hosts/beta/default.nix
  { ... }: { imports = [ ../../modules/desktop.nix ]; }
  #- /hosts/gamma/default.nix
  { ... }: { networking.hostName = "gamma"; }
`;

test('5. inside a module, counted per host through mkHost calls and imports', async () => {
  assert.deepEqual(
    await instances(
      HOSTS +
        `
  #- /modules/base.nix
  { pkgs, inputs, ... }:
  let
    u = import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
  in { environment.systemPackages = [ u.hello ]; }
  #- /modules/desktop.nix
  {
    config,
    pkgs,
    inputs,
    ...
  }:
  {
    environment.systemPackages = [ (import inputs.nixpkgs-unstable { system = pkgs.system; }).firefox ];
  }
  #- /modules/unused.nix
  { config, pkgs, nixpkgs-unstable, ... }:
  { x = import nixpkgs-unstable { system = "x86_64-linux"; }; }
  `,
    ),
    [
      '/modules/base.nix:3 import inputs.nixpkgs-unstable input=nixpkgs-unstable module per-host name=u evals=3',
      '/modules/desktop.nix:8 import inputs.nixpkgs-unstable input=nixpkgs-unstable module per-host evals=2',
      '/modules/unused.nix:2 import nixpkgs-unstable input=nixpkgs-unstable module per-host name=x evals=0',
    ],
  );
});

test('6. overlays: an instance per package set the overlay is applied to', async () => {
  assert.deepEqual(
    await instances(`
      #- /overlays/default.nix
      { inputs }:
      final: prev: {
        unstable = import inputs.nixpkgs-unstable { system = final.system; };
      }
    `),
    ['/overlays/default.nix:3 import inputs.nixpkgs-unstable other per-call name=unstable'],
  );
});

test('7. default arguments and with', async () => {
  assert.deepEqual(
    await instances(`
      #- /shell.nix
      { pkgs ? import <nixpkgs> { } }:
      with import <nixpkgs> { config.allowUnfree = true; };
      pkgs.mkShell { }
    `),
    ['/shell.nix:1 import <nixpkgs> other per-call name=pkgs', '/shell.nix:2 import <nixpkgs> other per-call'],
  );
});

test('8. home-manager: homeManagerConfiguration { pkgs = import ...; } and home modules', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        inputs.home-manager.url = "github:nix-community/home-manager";
        outputs = { nixpkgs, home-manager, ... }@inputs: {
          homeConfigurations.me = home-manager.lib.homeManagerConfiguration {
            pkgs = import nixpkgs { system = "x86_64-linux"; };
            extraSpecialArgs = { inherit inputs; };
            modules = [ ./home.nix ];
          };
        };
      }
      #- /home.nix
      { pkgs, inputs, ... }:
      { home.packages = [ (import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).vscode ]; }
    `),
    [
      '/flake.nix:6 import nixpkgs input=nixpkgs flake once name=pkgs',
      '/home.nix:2 import inputs.nixpkgs input=nixpkgs module per-host evals=1',
    ],
  );
});

test('9. flake-parts perSystem with _module.args.pkgs', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        inputs.flake-parts.url = "github:hercules-ci/flake-parts";
        outputs = inputs@{ flake-parts, ... }:
          flake-parts.lib.mkFlake { inherit inputs; } {
            systems = [ "x86_64-linux" ];
            perSystem = { system, ... }: {
              _module.args.pkgs = import inputs.nixpkgs { inherit system; overlays = [ ]; };
            };
          };
      }
    `),
    ['/flake.nix:8 import inputs.nixpkgs input=nixpkgs flake per-system name=_module.args.pkgs'],
  );
});

test('10. colmena meta.nixpkgs', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        outputs = { nixpkgs, ... }: {
          colmena = {
            meta.nixpkgs = import nixpkgs { system = "x86_64-linux"; };
          };
        };
      }
    `),
    ['/flake.nix:5 import nixpkgs input=nixpkgs flake once name=meta.nixpkgs'],
  );
});

test('11. derived instances: pkgsCross, pkgsStatic, extend, appendOverlays (not the extend of a package scope)', async () => {
  assert.deepEqual(
    await instances(`
      #- /modules/cross.nix
      { pkgs, lib, ... }:
      {
        environment.systemPackages = [
          pkgs.pkgsCross.riscv64.hello
          pkgs.pkgsStatic.busybox
          (pkgs.extend (final: prev: { })).hello
          (pkgs.appendOverlays [ ]).hello
          (lib.extend (f: p: { })).id
          (pkgs.linuxPackages_latest.extend (f: p: { })).kernel
          (pkgs.vimPlugins.extend (f: p: { })).vim-nix
          (pkgs.python3Packages.extend (f: p: { })).requests
        ];
      }
    `),
    [
      '/modules/cross.nix:4 pkgsCross pkgs module per-host member=riscv64 evals=0',
      '/modules/cross.nix:5 variant pkgs module per-host member=pkgsStatic evals=0',
      '/modules/cross.nix:6 extend pkgs module per-host evals=0',
      '/modules/cross.nix:7 appendOverlays pkgs module per-host evals=0',
    ],
  );
});

test('12. module options that select an instance: nixpkgs.pkgs', async () => {
  assert.deepEqual(
    await instances(`
      #- /modules/a.nix
      { inputs, ... }:
      {
        nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
      }
      #- /modules/b.nix
      { inputs, ... }:
      {
        nixpkgs = {
          pkgs = import inputs.nixpkgs { system = "x86_64-linux"; };
        };
      }
    `),
    [
      '/modules/a.nix:3 nixpkgs.pkgs inputs.nixpkgs.legacyPackages.x86_64-linux module per-host name=nixpkgs.pkgs member=legacyPackages shared evals=0',
      '/modules/b.nix:4 import inputs.nixpkgs module per-host name=pkgs evals=0',
    ],
  );
});

test('13. nested instances: an import inside overlays, and (import ...).hello', async () => {
  assert.deepEqual(
    await instances(`
      #- /default.nix
      let
        p = import <nixpkgs> {
          overlays = [ (final: prev: { u = import <nixpkgs-unstable> { system = "x86_64-linux"; }; }) ];
        };
      in (import <nixpkgs> { system = "aarch64-linux"; }).hello
    `),
    [
      '/default.nix:2 import <nixpkgs> other unknown name=p',
      '/default.nix:3 import <nixpkgs-unstable> other per-call name=u',
      '/default.nix:5 import <nixpkgs> other unknown',
    ],
  );
});

test('14. cross arguments are read whatever the spelling', async () => {
  const { analyse } = await import('../support/fixture.js');
  const a = await analyse(`
    #- /a.nix
    import <nixpkgs> {
      localSystem = "x86_64-linux";
      crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; };
    }
    #- /b.nix
    import <nixpkgs> {
      crossSystem.gcc = { abi = "lp64d"; arch = "rv64gc"; };
      crossSystem.config = "riscv64-unknown-linux-gnu";
      # a comment
      localSystem = "x86_64-linux";
    }
  `);
  const [x, y] = a.workspace().instances;
  const cross = x!.site.args!.attrs!.get('crossSystem')!;
  assert.equal(cross.attrs!.get('config')!.string, 'riscv64-unknown-linux-gnu');
  assert.equal(cross.attrs!.get('gcc')!.attrs!.get('abi')!.string, 'lp64d');
  assert.notEqual(x!.key, null);
  assert.equal(x!.key!.split('|')[1], y!.key!.split('|')[1]);
});

test('15. platform options of a module: the configuration\'s package set, cross when a build platform is named', async () => {
  assert.deepEqual(
    await instances(`
      #- /boards/lp4a.nix
      { lib, ... }:
      {
        nixpkgs.crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; };
      }
      #- /hosts/atlas.nix
      { lib, ... }:
      {
        nixpkgs = {
          config.allowUnsupportedSystem = true;
          hostPlatform.system = "armv7l-linux";
          buildPlatform.system = "x86_64-linux";
        };
      }
      #- /hosts/box/hardware-configuration.nix
      { lib, ... }:
      {
        nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
      }
    `),
    [
      '/boards/lp4a.nix:3 platform nixpkgs module per-host evals=0',
      '/hosts/atlas.nix:5 platform nixpkgs module per-host evals=0',
      '/hosts/box/hardware-configuration.nix:3 platform nixpkgs module per-host shared evals=0',
    ],
  );
});

test('sources: fetchers, fetchGit, pkgs.path', async () => {
  assert.deepEqual(
    await instances(`
      #- /default.nix
      { pkgs }:
      let
        a = import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") { };
        b = import (builtins.fetchGit { url = "https://github.com/NixOS/nixpkgs"; ref = "nixos-unstable"; }) { };
        src = pkgs.fetchFromGitHub { owner = "NixOS"; repo = "nixpkgs"; rev = "abc"; hash = ""; };
        c = import src { system = "x86_64-linux"; };
        d = import pkgs.path { system = "riscv64-linux"; };
        notA = import (fetchTarball "https://example.org/home-manager.tar.gz") { };
        notB = import ./local.nix { system = "x86_64-linux"; };
      in { }
    `),
    [
      '/default.nix:3 import (fetchTarball "https://github.com/NixOS/nixpkgs/archive/nixos-24.05.tar.gz") other per-call name=a',
      '/default.nix:4 import (builtins.fetchGit { url = "https://github.com/NixOS/nixpkgs"; ref = "nixos-unstable"; }) other per-call name=b',
      '/default.nix:6 import src other per-call name=c',
      '/default.nix:7 import pkgs.path other per-call name=d',
    ],
  );
});

test('false friends: strings, comments, legacyPackages, non-nixpkgs inputs and imports, files inside a nixpkgs, a local nixpkgs.nix', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs.nixpkgs.url = "github:NixOS/nixpkgs";
        inputs.other.url = "github:someone/tools";
        outputs = { nixpkgs, other, ... }: {
          a = "import nixpkgs { }";
          b = ''
            import nixpkgs { system = "x"; }
          '';
          # c = import nixpkgs { };
          d = import other { };
          e = import ./lib.nix { inherit nixpkgs; };
          f = nixpkgs.legacyPackages.x86_64-linux.hello;
          g = import nixpkgs;
          h = import (nixpkgs + "/pkgs/top-level/release-lib.nix") { supportedSystems = [ ]; };
          i = import "\${nixpkgs}/nixos/lib/eval-config.nix" { modules = [ ]; };
          j = import ./inputs/nixpkgs.nix { branch = "pinned"; };
        };
      }
    `),
    ['/flake.nix:12 legacyPackages nixpkgs input=nixpkgs flake once name=f shared'],
  );
});

test('the prefilter only skips files whose parse would give empty facts', async () => {
  const { mayMatter, emptyFacts } = await import('../../server/src/ide/analysis.js');
  const { extractFacts } = await import('../../server/src/ide/index/extract.js');
  const { pathRefs } = await import('../../server/src/ide/index/refs.js');
  const { testParser } = await import('../support/fixture.js');
  const parser = await testParser();
  const samples = [
    '{ lib, stdenv, fetchurl }:\nstdenv.mkDerivation {\n  pname = "x";\n  src = fetchurl { url = "https://example.org/x.tar.gz"; hash = ""; };\n  meta.license = lib.licenses.mit;\n}\n',
    '{ config, pkgs, ... }: { services.openssh.enable = true; environment.systemPackages = [ pkgs.git ]; }\n',
    '# just a comment\n{ a = 1; }\n',
    "''\n  import nixpkgs { }\n''\n",
  ];
  for (const text of samples) {
    const tree = parser.parse(text);
    const facts = extractFacts(tree.rootNode, text, { isFlake: false });
    tree.delete();
    if (!mayMatter(text)) {
      // The shape of the file is not a fact the workspace needs of such a file; its path
      // references are read from the text either way.
      assert.deepEqual(
        { ...facts, moduleShaped: false, moduleFormals: null, partial: null, topFunction: false },
        { ...emptyFacts(), refs: pathRefs(text) },
        text,
      );
    }
  }
  assert.equal(mayMatter(samples[0]!), false);
  assert.equal(mayMatter(samples[3]!), true);
});

test('frameworks that import the nixpkgs inputs themselves: snowfall-lib and flake-utils-plus channels, lite-config; not flake-parts', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {${FLAKE_HEAD}
        outputs = inputs:
          let
            lib = inputs.snowfall-lib.mkLib { inherit inputs; src = ./.; };
          in
          lib.mkFlake {
            channels-config.allowUnfree = true;
          };
      }
      #- /fup/flake.nix
      {${FLAKE_HEAD}
        outputs = { self, utils, ... }@inputs: utils.lib.mkFlake {
          inherit self inputs;
          supportedSystems = [ "x86_64-linux" "aarch64-linux" ];
          channelsConfig.allowUnfree = true;
        };
      }
      #- /parts/flake.nix
      {${FLAKE_HEAD}
        outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
          systems = [ "x86_64-linux" ];
          lite-config = { lib, ... }: { nixpkgs.config.allowUnfree = true; };
        };
      }
    `),
    [
      '/flake.nix:14 framework snowfall-lib channels flake per-system',
      '/fup/flake.nix:10 framework flake-utils-plus channels subflake per-system',
      '/parts/flake.nix:12 framework lite-config subflake per-system name=lite-config',
    ],
  );
});

test('inputs declared only with follows are the input they follow (NobbZ/nixos-config)', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs = {
          nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
          nixpkgs-insync-v3.follows = "nixpkgs";
          pinned.follows = "nixpkgs-insync-v3";
          hm.url = "github:nix-community/home-manager";
          home.follows = "hm";
        };
        outputs = { self, nixpkgs, nixpkgs-insync-v3, pinned, home, ... }:
          let
            a = import nixpkgs-insync-v3 { system = "x86_64-linux"; };
            b = import pinned { system = "x86_64-linux"; };
            notC = import home { };
          in { };
      }
    `),
    [
      '/flake.nix:11 import nixpkgs-insync-v3 input=nixpkgs-insync-v3 flake once name=a',
      '/flake.nix:12 import pinned input=pinned flake once name=b',
    ],
  );
});

test('inputs written as attribute sets (`{ type = "github"; owner = "NixOS"; repo = "nixpkgs"; }`) are read (tommy-donavon/nixos-dots)', async () => {
  assert.deepEqual(
    await instances(`
      #- /flake.nix
      {
        inputs = {
          unstable = { type = "github"; owner = "NixOS"; repo = "nixpkgs"; ref = "nixos-unstable"; };
          hm = { type = "github"; owner = "nix-community"; repo = "home-manager"; };
        };
        outputs = { self, unstable, hm, ... }:
          let
            a = import unstable { system = "x86_64-linux"; };
            notB = import hm { };
          in { };
      }
    `),
    ['/flake.nix:8 import unstable input=unstable flake once name=a'],
  );
});
