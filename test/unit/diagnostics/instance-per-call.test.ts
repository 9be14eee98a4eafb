import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, relatedOf } from '../../support/diagnostics.js';

const only = ['instance-per-call'];

const REPEATED = `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs =
      inputs:
      let
        mkPkgs = system: import inputs.nixpkgs { inherit system; config.allowUnfree = true; };
      #                  ^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: Call mkPkgs once per distinct argument and share the results. It instantiates nixpkgs here on every call, and 2 calls repeat the same arguments
        mkArgs =
          { system, unfree ? false }:
          import inputs.nixpkgs {
      #   ^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: 2 calls repeat the same arguments
            inherit system;
            config.allowUnfree = unfree;
          };
      in
      {
        a = mkPkgs "x86_64-linux";
        b = mkPkgs "aarch64-linux";
        c = mkPkgs  "x86_64-linux";
        d = mkArgs { system = "x86_64-linux"; };
        e = mkArgs { system = "x86_64-linux"; unfree = true; };
        f = mkArgs {
          system = "x86_64-linux";
        };
      };
  }
`;

test('fires when calls repeat the same arguments (whitespace aside)', async () => {
  await checkDiagnostics(REPEATED, only);
});

test('related information lists the calls that repeat, not the distinct ones', async () => {
  assert.deepEqual(await relatedOf(REPEATED, 'instance-per-call'), {
    '/flake.nix:6:24': ['/flake.nix:17:11 a call of mkPkgs with the same arguments', '/flake.nix:19:11 a call of mkPkgs with the same arguments'],
    '/flake.nix:10:9': ['/flake.nix:20:11 a call of mkArgs with the same arguments', '/flake.nix:22:11 a call of mkArgs with the same arguments'],
  });
});

test('fires when the call sits in a helper that runs once per host', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, nixpkgs-unstable, ... }:
        let
          mkUnstable = system: import nixpkgs-unstable { inherit system; config.allowUnfree = true; };
         #                     ^^^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: 1 call runs once per host
          mkHost = name: nixpkgs.lib.nixosSystem {
            specialArgs = { pkgs-unstable = mkUnstable "x86_64-linux"; };
            modules = [ ./hosts/\${name}.nix ];
          };
        in
        {
          nixosConfigurations.a = mkHost "a";
          nixosConfigurations.b = mkHost "b";
        };
    }
    #- /hosts/a.nix
    { ... }: { }
    #- /hosts/b.nix
    { ... }: { }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'instance-per-call'), {
    '/flake.nix:6:28': ['/flake.nix:9:41 a call of mkUnstable run once per host'],
  });
  // The same call in an inline module of the builder: each host evaluates the module.
  const inline = source.replace(
    'specialArgs = { pkgs-unstable = mkUnstable "x86_64-linux"; };\n            modules = [ ./hosts/\${name}.nix ];',
    'modules = [ ./hosts/\${name}.nix ({ ... }: { _module.args.pkgs-unstable = mkUnstable "x86_64-linux"; }) ];',
  );
  assert.notEqual(inline, source);
  await checkDiagnostics(inline, only);
  assert.deepEqual(await relatedOf(inline, 'instance-per-call'), {
    '/flake.nix:6:28': ['/flake.nix:9:82 a call of mkUnstable run once per host'],
  });
});

test('does not fire for distinct arguments, a single call, or a wrapper handed to genAttrs', async () => {
  await checkDiagnosticsWith(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs =
        { nixpkgs, ... }:
        let
          systems = [
            "x86_64-linux"
            "aarch64-linux"
          ];
          pkgsFor = system: import nixpkgs { inherit system; overlays = [ ]; };
          mkPkgs = system: import nixpkgs { inherit system; config.allowUnfree = true; };
          once = system: import nixpkgs { inherit system; config.allowBroken = true; };
          forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f (pkgsFor system));
        in
        {
          legacyPackages = nixpkgs.lib.genAttrs systems pkgsFor;
          x = mkPkgs "x86_64-linux";
          y = mkPkgs "aarch64-linux";
          z = once "x86_64-linux";
          s = "mkPkgs \\"x86_64-linux\\"";
          # t = mkPkgs "x86_64-linux";
          packages = forAllSystems (pkgs: { default = pkgs.hello; });
        };
    }
    `,
    only,
    { crlf: true },
  );
});

/** An overlay that instantiates, added by a module every configuration loads. */
const OVERLAY = (hosts: string[], setsOverlays: boolean) => `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { nixpkgs, ... }@inputs:
      let
        overlays = import ./overlays { inherit inputs; };
      in
      {
        inherit overlays;
${hosts.map((h) => `        nixosConfigurations.${h} = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs overlays; }; modules = [ ./common.nix ]; };`).join('\n')}
      };
  }
  #- /common.nix
  { overlays, ... }:
  { ${setsOverlays ? 'nixpkgs.overlays = [ overlays.unstable-packages ];' : 'environment.etc.x.text = "";'} }
  #- /overlays/default.nix
  { inputs }:
  {
    unstable-packages = final: _prev: {
      unstable = import inputs.nixpkgs-unstable {
      #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: every configuration (2 in this flake)
        system = final.system;
        config.allowUnfree = true;
      };
    };
  }
`;

test('fires for an overlay that instantiates, applied to the package set of every configuration', async () => {
  await checkDiagnostics(OVERLAY(['alpha', 'beta'], true), only);
});

test('an overlay that instantiates is quiet with one configuration, or where no module applies overlays', async () => {
  const quiet = (src: string) => src.replace(/\n\s*#\s+\^+ warning instance-per-call:[^\n]*/, '');
  await checkDiagnostics(quiet(OVERLAY(['alpha'], true)), only);
  await checkDiagnostics(quiet(OVERLAY(['alpha', 'beta'], false)), only);
  // A second configuration in a file nothing evaluates (an old copy) does not count.
  const archived = `
  #- /archive/hosts.nix
  { inputs }: { nixosConfigurations.legacy = inputs.nixpkgs.lib.nixosSystem { modules = [ ]; }; }
  `;
  await checkDiagnostics(quiet(OVERLAY(['alpha'], true)) + archived, only);
});

test('an overlay in flake.nix under optionalAttrs, applied through `nixpkgs = nixpkgsDefaults;` (malob/nixpkgs)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { self, nixpkgs, ... }@inputs:
        let
          nixpkgsDefaults = {
            config.allowUnfree = true;
            overlays = builtins.attrValues self.overlays;
          };
        in
        {
          overlays.x86 = _: prev: nixpkgs.lib.optionalAttrs (prev.stdenv.hostPlatform.system == "aarch64-darwin") {
            pkgs-x86 = import inputs.nixpkgs-unstable { system = "x86_64-darwin"; };
            #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: every configuration (2 in this flake)
          };
          nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ { nixpkgs = nixpkgsDefaults; } ]; };
          nixosConfigurations.b = nixpkgs.lib.nixosSystem { modules = [ { nixpkgs = nixpkgsDefaults; } ]; };
        };
    }
    `,
    only,
  );
});

test('fires in a helper file that builds a configuration on each call, and for a factory handed to such helpers', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs:
        let
          genSpecialArgs = system: inputs // {
            pkgs-stable = import inputs.nixpkgs-stable { inherit system; config.allowUnfree = true; };
            #             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: Call genSpecialArgs once per system, where the hosts are built. It instantiates nixpkgs here on every call, and a helper that builds each configuration calls it
          };
          mkSystem = import ./lib/mksystem.nix { inherit inputs genSpecialArgs; };
        in
        {
          nixosConfigurations.alpha = mkSystem { system = "x86_64-linux"; host = ./hosts/alpha.nix; };
          nixosConfigurations.beta = mkSystem { system = "x86_64-linux"; host = ./hosts/beta.nix; };
        };
    }
    #- /lib/mksystem.nix
    { inputs, genSpecialArgs }:
    { system, host }:
    inputs.nixpkgs.lib.nixosSystem {
      inherit system;
      specialArgs = genSpecialArgs system;
      modules = [
        host
        { nixpkgs.pkgs = import inputs.nixpkgs { inherit system; config.allowUnfree = true; }; }
        #                ^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: This file builds a configuration each time it is called (2 in this flake)
      ];
    }
    #- /hosts/alpha.nix
    { ... }: { }
    #- /hosts/beta.nix
    { ... }: { }
    `,
    only,
  );
});

test('a helper file that builds the only configuration, or a factory no helper calls, is quiet', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs:
        let
          pkgsFor = system: import nixpkgs { inherit system; config.allowUnfree = true; };
        in
        {
          nixosConfigurations.alpha = import ./lib/mksystem.nix { inherit inputs; system = "x86_64-linux"; };
          legacyPackages.x86_64-linux = pkgsFor "x86_64-linux";
        };
    }
    #- /lib/mksystem.nix
    { inputs, system }:
    inputs.nixpkgs.lib.nixosSystem {
      inherit system;
      modules = [ { nixpkgs.pkgs = import inputs.nixpkgs { inherit system; config.allowUnfree = true; }; } ];
    }
    `,
    only,
  );
});

test('fires when a module two hosts load calls its own factory, even from inside genAttrs', async () => {
  const source = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.alpha = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./pkgs-for.nix ]; };
        nixosConfigurations.beta = nixpkgs.lib.nixosSystem { specialArgs = { inherit inputs; }; modules = [ ./pkgs-for.nix ]; };
      };
    }
    #- /pkgs-for.nix
    { inputs, lib, ... }:
    let
      mkPkgs = system: import inputs.nixpkgs { inherit system; config.allowUnfree = true; };
      #                ^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: 1 call runs once per host
    in
    {
      _module.args.pkgsFor = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: mkPkgs system);
    }
  `;
  await checkDiagnostics(source, only);
  assert.deepEqual(await relatedOf(source, 'instance-per-call'), {
    '/pkgs-for.nix:3:20': ['/pkgs-for.nix:7:83 a call of mkPkgs run once per host'],
  });
});

test('a factory taking its nixpkgs as a parameter, called once per host by a lambda mapped over the hosts (hlissner/dotfiles)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs: (import ./lib { inherit (nixpkgs) lib; }).mkFlake inputs {
        hosts = { a = "x86_64-linux"; b = "x86_64-linux"; };
      };
    }
    #- /lib/default.nix
    { lib }: lib.mapModules ./. import
    #- /lib/flakes.nix
    { lib }:
    {
      mkFlake = { nixpkgs, ... }: { hosts, overlays ? [ ] }:
        let
          mkPkgs = system: src: overlays: import src { inherit system overlays; config.allowUnfree = true; };
          #                               ^^^^^^^^^^ warning instance-per-call: Call mkPkgs once per distinct argument and share the results. It instantiates nixpkgs here on every call, and 1 call runs once per host
        in
        {
          nixosConfigurations = lib.mapAttrs (name: system:
            let pkgs = mkPkgs system nixpkgs overlays;
            in nixpkgs.lib.nixosSystem { inherit system; modules = [ { nixpkgs.pkgs = pkgs; } ]; }) hosts;
        };
    }
    `,
    only,
  );
});

test('a parameter imported with arguments nixpkgs does not take, or inside a function the factory returns, is no factory of its own', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }@inputs:
        let
          callShell = src: pkgs: import src { inherit pkgs; };
          mkPkgs = src: let cached = import src { system = "x86_64-linux"; }; in other: if other == "x86_64-linux" then cached else import src { system = other; };
          getPkgs = mkPkgs nixpkgs;
        in
        {
          devShells.x86_64-linux.a = callShell ./a.nix nixpkgs.legacyPackages.x86_64-linux;
          devShells.x86_64-linux.b = callShell ./b.nix nixpkgs.legacyPackages.x86_64-linux;
          packages.x86_64-linux.hello = (getPkgs "x86_64-linux").hello;
          packages.x86_64-linux.git = (getPkgs "x86_64-linux").git;
        };
    }
    `,
    only,
  );
});

test('a factory defined anew inside a function that every per-host helper call runs (khaneliman/khanelinix)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-master.url = "github:NixOS/nixpkgs/master";
      outputs = { nixpkgs, ... }@inputs:
        let
          common = import ./lib/common.nix { inherit inputs; };
          mkSystem = import ./lib/mk-system.nix { inherit inputs common; };
        in
        {
          nixosConfigurations.alpha = mkSystem { system = "x86_64-linux"; };
          nixosConfigurations.beta = mkSystem { system = "x86_64-linux"; };
        };
    }
    #- /lib/common.nix
    { inputs }:
    {
      mkInputPackageSets = { system }:
        let
          mkPkgs = source: import source { inherit system; overlays = [ ]; };
          #                ^^^^^^^^^^^^^ warning instance-per-call: Call mkInputPackageSets once per system, where the hosts are built. It instantiates nixpkgs here on every call (through mkPkgs, which each call of mkInputPackageSets defines anew)
        in
        { getPkgsMaster = mkPkgs inputs.nixpkgs-master; };
    }
    #- /lib/mk-system.nix
    { inputs, common }:
    { system }:
    inputs.nixpkgs.lib.nixosSystem {
      inherit system;
      specialArgs = common.mkInputPackageSets { inherit system; };
      modules = [ ];
    }
    `,
    only,
  );
});

test('a factory called in a function whose calls are the configurations (`goethe = mkHome "goethe" "x86_64-linux";`) runs once per host (lovesegfault/nix-config)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixos-unified.url = "github:srid/nixos-unified";
      outputs = { self, nixpkgs, nixos-unified, ... }:
        let
          inherit (nixos-unified.lib) mkHomeConfiguration;
          pkgsFor = system: import nixpkgs { inherit system; config.allowUnfree = true; };
          #                 ^^^^^^^^^^^^^^ warning instance-per-call: Call pkgsFor once per distinct argument and share the results. It instantiates nixpkgs here on every call, and 1 call runs once per host
          mkHome = name: system: mkHomeConfiguration (pkgsFor system) (self + "/homes/\${name}");
        in
        {
          homeConfigurations = {
            goethe = mkHome "goethe" "x86_64-linux";
            hilbert = mkHome "hilbert" "x86_64-linux";
          };
        };
    }
    `,
    only,
  );
});

test('a factory with its nixpkgs as a parameter called twice alike: the import its body runs fires, not one inside a function it returns (khaneliman/khanelinix)', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }:
        let
          mkPkgs = src:
            let cached = import src { system = "x86_64-linux"; overlays = [ ]; };
            #            ^^^^^^^^^^ warning instance-per-call: 2 calls repeat the same arguments
            in other: if other == "x86_64-linux" then cached else import src { system = other; overlays = [ ]; };
          getA = mkPkgs nixpkgs;
          getB = mkPkgs nixpkgs;
        in
        {
          packages.x86_64-linux.a = (getA "x86_64-linux").hello;
          packages.x86_64-linux.b = (getB "x86_64-linux").hello;
        };
    }
    `,
    only,
  );
});

// linyinfeng/dotfiles, reduced: a factory returning a set of package sets, called twice with the
// same arguments. Nix forces an attribute only when something selects it, so only `latest`,
// which both calls' results are read through, is created twice.
const SET_FACTORY = (uses: string) => `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = inputs: {
      overlays = let
        channels = args: {
          unstable = import inputs.nixpkgs args;
          latest = import inputs.nixpkgs-latest args;
        #          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning instance-per-call: 2 calls repeat the same arguments
          stable = import inputs.nixpkgs-stable args;
        };
        args = { system = "x86_64-linux"; };
        ${uses}
      in { };
    };
  }
`;

test("a factory returning a set: only the attributes two calls' results are read through", async () => {
  await checkDiagnostics(
    SET_FACTORY(`early = let c = channels args; in final: prev: { inherit (c.latest) godns; };
        late = let c = channels args; in final: prev: { inherit (c) stable; nginx = c.latest.nginx; };`),
    only,
  );
  // Selected straight from the call.
  await checkDiagnostics(SET_FACTORY(`early = (channels args).latest; late = (channels args).latest;`), only);
});

test('a factory returning a set whose results are used whole: every attribute may be forced', async () => {
  const analysis = await analyse(
    SET_FACTORY(`early = let c = channels args; in c;
        late = let c = channels args; in { x = c; };`),
  );
  const lines = analysis
    .allDiagnostics()
    .filter((d) => d.code === 'instance-per-call')
    .map((d) => d.range.start.line);
  assert.deepEqual(lines, [5, 6, 8]);
});

test('a factory called once in a module no configuration is known to evaluate twice is not per host', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.flake-parts.url = "github:hercules-ci/flake-parts";
      outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./parts/nixpkgs.nix ]; };
    }
    #- /parts/nixpkgs.nix
    { inputs, lib, ... }:
    let
      mkPkgs = args: import inputs.nixpkgs-stable args;
      fixes = args: [ (final: prev: { inherit (mkPkgs args) shim-unsigned; }) ];
    in {
      perSystem = { system, ... }: { _module.args.extra = fixes { inherit system; }; };
    }
    `,
    only,
  );
});

// DarkKirb/nixos-config, reduced: an overlay file taking its inputs as a plain parameter
// (`inputs: final: prev:`), applied to the package set of every host that loads the module.
const CURRIED_OVERLAY = (params: string) => `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, ... }@inputs: {
      overlays.cross = import ./overlays/cross.nix inputs;
      nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "riscv64-linux"; modules = [ ./board.nix ]; };
      nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "riscv64-linux"; modules = [ ./board.nix ]; };
    };
  }
  #- /board.nix
  { inputs, ... }: { nixpkgs.overlays = [ inputs.self.overlays.cross ]; }
  #- /overlays/cross.nix
  inputs: ${params}
  let
    pkgs_x86_64 = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
  in { inherit (pkgs_x86_64) palettes; }
`;

test('an overlay file written `inputs: final: prev:` instantiates once per host that applies it', async () => {
  const found = async (params: string) =>
    (await analyse(CURRIED_OVERLAY(params))).allDiagnostics().filter((d) => d.code === 'instance-per-call').map((d) => `${d.file}:${d.range.start.line}`);
  assert.deepEqual(await found('final: prev:'), ['/overlays/cross.nix:2']);
  assert.deepEqual(await found('self: super:'), ['/overlays/cross.nix:2']);
  // Three curried plain parameters not named as an overlay's are a function of another kind.
  assert.deepEqual(await found('name: system:'), []);
});

test("a factory returning a rec set: its attributes may force each other, so every call may create each", async () => {
  const analysis = await analyse(`
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = inputs: {
      overlays = let
        channels = args: rec {
          stable = import inputs.nixpkgs args;
          patched = stable.extend (final: prev: { });
        };
        args = { system = "x86_64-linux"; };
      in { a = (channels args).patched; b = (channels args).patched; };
    };
  }
  `);
  const lines = analysis
    .allDiagnostics()
    .filter((d) => d.code === 'instance-per-call')
    .map((d) => d.range.start.line);
  assert.deepEqual(lines, [5]);
});
