/**
 * `share-per-system`, the fix for `instance-per-call`: shapes taken from real
 * configurations (an overlay module applied to every host, a `genSpecialArgs`
 * helper called per host, a constant-system instance inside it), and the cases
 * where the fix must be disabled with its reason.
 */
import { test, type TestContext } from 'node:test';
import { checkAssistDisabled, checkFix } from '../../support/assists.js';

const ID = 'share-per-system';
const CODE = 'instance-per-call';

const check = (t: TestContext, before: string, after: string, title: RegExp) => checkFix(t, ID, CODE, before, after, { title, preferred: true });

/** Two hosts whose modules put the overlays of `/overlays/default.nix` into `nixpkgs.overlays`. */
const OVERLAY_FLAKE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      overlays = import ./overlays { inherit inputs; };
    in {
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs overlays; };
        modules = [ ./common.nix ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs overlays; };
        modules = [ ./common.nix ];
      };
    };
}
#- /common.nix
{ overlays, pkgs, ... }:
{
  nixpkgs.overlays = [ overlays.unstable-packages ];
  environment.systemPackages = [ pkgs.unstable.hello ];
}
`;

test('an overlay file that instantiates: one set per system in a new let around its body', async (t) => {
  await check(
    t,
    `${OVERLAY_FLAKE}
#- /overlays/default.nix
# Overlays of this flake.
{ inputs, ... }: {
  unstable-packages = final: _prev: {
    unstable = $0import inputs.nixpkgs-unstable {
      system = final.stdenv.hostPlatform.system;
      config.allowUnfree = true;
    };
  };
}
`,
    `
#- /overlays/default.nix
# Overlays of this flake.
{ inputs, ... }: let
  unstableBySystem = inputs.nixpkgs-unstable.lib.genAttrs inputs.nixpkgs-unstable.lib.systems.flakeExposed (system: import inputs.nixpkgs-unstable {
    inherit system;
    config.allowUnfree = true;
  });
in {
  unstable-packages = final: _prev: {
    unstable = unstableBySystem.\${final.stdenv.hostPlatform.system};
  };
}
`,
    /Create unstableBySystem once per system/,
  );
});

test('`inherit (final.stdenv.hostPlatform) system;`, with the body on its own line: the let keeps the layout', async (t) => {
  await check(
    t,
    `${OVERLAY_FLAKE}
#- /overlays/default.nix
{ inputs, ... }:
{
  unstable-packages = final: _prev: {
    unstable = $0import inputs.nixpkgs-unstable {
      inherit (final.stdenv.hostPlatform) system;
    };
  };
}
`,
    `
#- /overlays/default.nix
{ inputs, ... }:
let
  unstableBySystem = inputs.nixpkgs-unstable.lib.genAttrs inputs.nixpkgs-unstable.lib.systems.flakeExposed (system: import inputs.nixpkgs-unstable {
    inherit system;
  });
in
{
  unstable-packages = final: _prev: {
    unstable = unstableBySystem.\${final.stdenv.hostPlatform.system};
  };
}
`,
    /once per system/,
  );
});

/**
 * `outputs/default.nix` as in ryan4yin/nix-config: a helper builds each host's specialArgs.
 * `lifted` is what the fix adds to the let; `entries` the helper's own entries.
 */
const outputsFile = (lifted: string, entries: string) => `
#- /outputs/default.nix
{ nixpkgs, ... }@inputs:
let
  inherit (inputs.nixpkgs) lib;
  args = { inherit inputs; };
${lifted}
  # Everything modules get as arguments.
  genSpecialArgs =
    system:
    inputs
    // {
${entries}
    };
  mkHost = name: system: lib.nixosSystem {
    inherit system;
    specialArgs = genSpecialArgs system;
    modules = [ ../hosts/common.nix ];
  };
in
{
  nixosConfigurations.alpha = mkHost "alpha" "x86_64-linux";
  nixosConfigurations.beta = mkHost "beta" "x86_64-linux";
}
`;

const SPECIAL_ARGS = (entries: string) => `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = inputs: import ./outputs inputs;
}
${outputsFile('', entries)}
#- /hosts/common.nix
{ pkgs, pkgs-stable, ... }: { environment.systemPackages = [ pkgs-stable.hello pkgs.vim ]; }
`;

test('a factory handed to every host (`genSpecialArgs`): the set moves to the let, keyed by the system the call passes', async (t) => {
  await check(
    t,
    SPECIAL_ARGS(`      pkgs-stable = $0import inputs.nixpkgs-stable {
        inherit system;
        config.allowUnfree = true;
      };`),
    outputsFile(
      `
  pkgs-stable-by-system = lib.genAttrs lib.systems.flakeExposed (system: import inputs.nixpkgs-stable {
    inherit system;
    config.allowUnfree = true;
  });
`,
      '      pkgs-stable = pkgs-stable-by-system.${system};',
    ),
    /Create pkgs-stable-by-system once per system/,
  );
});

test('a fixed system: the instance moves as it is and the entry becomes `inherit`', async (t) => {
  await check(
    t,
    SPECIAL_ARGS(`      pkgs-x64 = $0import nixpkgs {
        system = "x86_64-linux";
        overlays = import ../overlays args;
      };`),
    outputsFile(
      `
  pkgs-x64 = import nixpkgs {
    system = "x86_64-linux";
    overlays = import ../overlays args;
  };
`,
      '      inherit pkgs-x64;',
    ),
    /Create pkgs-x64 once and share it/,
  );
});

test('disabled when the arguments use what each call passes (`overlays` of the factory)', async () => {
  await checkAssistDisabled(
    ID,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }:
    let
      mkPkgs = { system, overlays }: $0import nixpkgs { inherit system overlays; };
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs.pkgs2 = mkPkgs { system = "x86_64-linux"; overlays = [ ]; };
        modules = [ ./\${name}.nix ];
      };
    in {
      nixosConfigurations.a = mkHost "a";
      nixosConfigurations.b = mkHost "b";
      packages.x86_64-linux.p = (mkPkgs { system = "x86_64-linux"; overlays = [ ]; }).hello;
      packages.x86_64-linux.q = (mkPkgs { system = "x86_64-linux"; overlays = [ ]; }).hello;
    };
}
`,
    /uses? overlays, which each call passes/,
  );
});

test('disabled in a file that builds a host per call: the set belongs where the hosts are built', async () => {
  await checkAssistDisabled(
    ID,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs: {
    nixosConfigurations.a = import ./lib/mkHost.nix { inherit inputs; name = "a"; };
    nixosConfigurations.b = import ./lib/mkHost.nix { inherit inputs; name = "b"; };
  };
}
#- /lib/mkHost.nix
{ inputs, name }:
inputs.nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    ({ ... }: {
      nixpkgs.pkgs = $0import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
    })
  ];
}
`,
    /builds a configuration on each call/,
  );
});

test('disabled when a module imports the overlay file itself: each host would still create its own', async () => {
  await checkAssistDisabled(
    ID,
    OVERLAY_FLAKE.replace(
      '{ overlays, pkgs, ... }:\n{',
      '{ inputs, pkgs, ... }:\nlet\n  overlays = import ./overlays { inherit inputs; };\nin\n{',
    ) +
      `
#- /overlays/default.nix
{ inputs, ... }: {
  unstable-packages = final: _prev: {
    unstable = $0import inputs.nixpkgs-unstable { inherit (final) system; };
  };
}
`,
    /common\.nix calls this file again in every configuration/,
  );
});

test('disabled when the factory\'s calls differ in more than the system they pass', async () => {
  await checkAssistDisabled(
    ID,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }:
    let
      lib = nixpkgs.lib;
      mkPkgs = system: overlays: $0import nixpkgs { inherit system overlays; };
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs.pkgs2 = mkPkgs "x86_64-linux" [ ];
        modules = [ ./\${name}.nix ];
      };
    in {
      nixosConfigurations.a = mkHost "a";
      nixosConfigurations.b = mkHost "b";
      packages = lib.genAttrs [ "x86_64-linux" ] (system: { inherit (mkPkgs system [ (final: prev: { }) ]) hello; });
    };
}
`,
    /its calls pass mkPkgs different arguments besides the system/,
  );
});

/** A flake-parts module that `imports` lists (evaluated once, not per host), as in lovesegfault/nix-config. */
const partsFlake = (configurations: string) => `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./parts ]; };
}
#- /parts/default.nix
{ inputs, ... }: { imports = [ ./configurations.nix ]; }
#- /parts/configurations.nix
{ self, inputs, ... }:
let
  inherit (inputs.nixpkgs) lib;
${configurations}
  mkHome = name: system: inputs.home-manager.lib.homeManagerConfiguration { pkgs = pkgsFor system; modules = [ (self + "/homes/\${name}") ]; };
in
{
  flake.homeConfigurations = {
    goethe = mkHome "goethe" "x86_64-linux";
    hilbert = mkHome "hilbert" "x86_64-linux";
  };
}
`;

test('a factory in a flake-parts module that another module lists in imports (not a per-host call of the file)', async (t) => {
  await check(
    t,
    partsFlake(`  pkgsFor = system: $0import inputs.nixpkgs { inherit system; config.allowUnfree = true; };`),
    partsFlake(`  pkgsBySystem = lib.genAttrs lib.systems.flakeExposed (system: import inputs.nixpkgs { inherit system; config.allowUnfree = true; });

  pkgsFor = system: pkgsBySystem.\${system};`),
    /Create pkgsBySystem once per system and share it/,
  );
});

/** Two hosts whose shared module applies `/overlays/pinned.nix` (an overlay file that is the overlay itself). */
const PINNED_FLAKE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./common.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./common.nix ]; };
  };
}
#- /common.nix
{ pkgs, ... }:
{
  nixpkgs.overlays = [ (import ./overlays/pinned.nix) ];
  environment.systemPackages = [ pkgs.ntp ];
}
#- /pins.nix
{ pinned = <nixpkgs-pinned>; }
`;

test('an overlay file that is the overlay itself: the set goes to the file\'s top, with the let binding it uses and the lib of its source (jwiegley/nix-config)', async (t) => {
  await check(
    t,
    `${PINNED_FLAKE}
#- /overlays/pinned.nix
# Pin ntp to a known-good nixpkgs.
_final: prev:

let
  source = (import ../pins.nix).pinned;
  # The pinned snapshot.
  lastGood =
    assert source != null;
    $0import source {
      localSystem = prev.stdenv.hostPlatform.system;
    };
in
{
  inherit (lastGood) ntp;
}
`,
    `
#- /overlays/pinned.nix
# Pin ntp to a known-good nixpkgs.
let
  source = (import ../pins.nix).pinned;
  lastGoodBySystem = let lib = import (source + "/lib"); in lib.genAttrs lib.systems.flakeExposed (system: import source {
    localSystem = system;
  });
in
_final: prev:

let
  # The pinned snapshot.
  lastGood =
    assert source != null;
    lastGoodBySystem.\${prev.stdenv.hostPlatform.system};
in
{
  inherit (lastGood) ntp;
}
`,
    /Create lastGoodBySystem once per system/,
  );
});

test('disabled when the let binding the arguments use reads the overlay\'s package set', async () => {
  await checkAssistDisabled(
    ID,
    `${PINNED_FLAKE}
#- /overlays/pinned.nix
_final: prev:
let
  source = if prev.stdenv.isDarwin then (import ../pins.nix).pinned else <nixpkgs>;
  lastGood = $0import source { localSystem = prev.stdenv.hostPlatform.system; };
in
{ inherit (lastGood) ntp; }
`,
    /nothing around it to move it out of/,
  );
});

/** A factory of channels called by two functions that build overlays, both given the same arguments (linyinfeng/dotfiles). */
const channelsFlake = (early: string, late: string) => `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-latest.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      alternativeChannels = nixpkgsArgs: {
        latest = $0import inputs.nixpkgs-latest nixpkgsArgs;
      };
      earlyFixes =
        nixpkgsArgs:
        let
          # deadnix: skip
          channels = alternativeChannels nixpkgsArgs;
        in
        [ (_final: _prev: { inherit (channels.latest) godns; }) ];
      lateFixes =
        nixpkgsArgs:
        let
          channels = alternativeChannels nixpkgsArgs;
          old = "1.30.1";
        in
        [ (_final: prev: { nginx = if prev.nginx.version == old then prev.nginx else channels.latest.nginx; }) ];
      overlays =
        let
          overlayNixpkgsArgs = { system = "x86_64-linux"; };
        in
        (earlyFixes ${early}) ++ (lateFixes ${late});
      mkHost = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ({ pkgs, ... }: { nixpkgs.overlays = overlays; environment.systemPackages = [ pkgs.godns pkgs.nginx ]; }) ];
      };
    in
    {
      nixosConfigurations.a = mkHost;
      nixosConfigurations.b = mkHost;
    };
}
`;

test('a factory that two functions call with their argument, both called with the same one: it is called once beside them and its result passed in (linyinfeng/dotfiles)', async (t) => {
  await check(
    t,
    channelsFlake('overlayNixpkgsArgs', 'overlayNixpkgsArgs'),
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-latest.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      alternativeChannels = nixpkgsArgs: {
        latest = import inputs.nixpkgs-latest nixpkgsArgs;
      };
      earlyFixes =
        channels:
        [ (_final: _prev: { inherit (channels.latest) godns; }) ];
      lateFixes =
        channels:
        let
          old = "1.30.1";
        in
        [ (_final: prev: { nginx = if prev.nginx.version == old then prev.nginx else channels.latest.nginx; }) ];
      overlays =
        let
          overlayNixpkgsArgs = { system = "x86_64-linux"; };

          channels = alternativeChannels overlayNixpkgsArgs;
        in
        (earlyFixes channels) ++ (lateFixes channels);
      mkHost = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ({ pkgs, ... }: { nixpkgs.overlays = overlays; environment.systemPackages = [ pkgs.godns pkgs.nginx ]; }) ];
      };
    in
    {
      nixosConfigurations.a = mkHost;
      nixosConfigurations.b = mkHost;
    };
}
`,
    /Create channels once and share it/,
  );
});

test('disabled when the functions that call the factory are given different arguments', async () => {
  await checkAssistDisabled(ID, channelsFlake('overlayNixpkgsArgs', '(overlayNixpkgsArgs // { config.allowUnfree = true; })'), /called with different arguments/);
});

test('in flake.nix the set goes into the outputs function, never around the top attribute set (a flake must stay one)', async (t) => {
  await check(
    t,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    overlays.default = _final: prev: {
      old = $0import <nixpkgs> { localSystem = prev.stdenv.hostPlatform.system; };
    };
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ { nixpkgs.overlays = [ self.overlays.default ]; } ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ { nixpkgs.overlays = [ self.overlays.default ]; } ]; };
  };
}
`,
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: let
    oldBySystem = let lib = import (<nixpkgs> + "/lib"); in lib.genAttrs lib.systems.flakeExposed (system: import <nixpkgs> { localSystem = system; });
  in {
    overlays.default = _final: prev: {
      old = oldBySystem.\${prev.stdenv.hostPlatform.system};
    };
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ { nixpkgs.overlays = [ self.overlays.default ]; } ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ { nixpkgs.overlays = [ self.overlays.default ]; } ]; };
  };
}
`,
    /Create oldBySystem once per system/,
  );
});

/** An overlay whose instance takes the nixpkgs.config of the package set it extends (khaneliman/khanelinix). */
const CONFIG_OVERLAY = `
#- /overlays/default.nix
{ inputs, ... }: {
  unstable-packages = _final: prev: {
    unstable = $0import inputs.nixpkgs-unstable {
      inherit (prev.stdenv.hostPlatform) system;
      inherit (prev) config;
    };
  };
}
`;

test('disabled when an overlay\'s instance reads prev.config and a module sets nixpkgs.config: the module is named', async () => {
  await checkAssistDisabled(
    ID,
    `${OVERLAY_FLAKE.replace('modules = [ ./common.nix ];', 'modules = [ ./common.nix ./gpu.nix ];')}${CONFIG_OVERLAY}
#- /gpu.nix
{ config, lib, ... }: { nixpkgs.config.cudaSupport = true; }
`,
    /read prev\.config, the nixpkgs\.config of each package set it extends, and modules set it per configuration \(gpu\.nix\)/,
  );
});

test('disabled when an overlay\'s instance reads prev: the package set may differ from host to host', async () => {
  await checkAssistDisabled(ID, `${OVERLAY_FLAKE}${CONFIG_OVERLAY}`, /read prev, the package set the overlay extends, which may differ from host to host/);
});

/**
 * A factory of the outputs function's own `nixpkgs` whose arguments use a binding of each call
 * (so the factory's body cannot move), called per output with a system (DarkKirb/nixos-config).
 */
const outputsFactory = (binding: string, a: string, b: string) => `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }:
    let
      pkgsFor = system:
        let extra = { inherit system; };
        in $0import nixpkgs { inherit system; overlays = [ (_: _: { inherit extra; }) ]; };
${binding}    in {
      devShells.x86_64-linux.default = with ${a}; mkShell { };
      formatter.x86_64-linux = ${b}.nixfmt-rfc-style;
    };
}
`;

test("a factory's calls share one set per system built with the lib of the factory's own flake input when no lib is in scope", async (t) => {
  await check(
    t,
    outputsFactory('', 'pkgsFor "x86_64-linux"', '(pkgsFor "x86_64-linux")'),
    outputsFactory(
      '\n      pkgsBySystem = nixpkgs.lib.genAttrs nixpkgs.lib.systems.flakeExposed (system: pkgsFor system);\n',
      'pkgsBySystem.${"x86_64-linux"}',
      'pkgsBySystem.${"x86_64-linux"}',
    ).replace('$0', ''),
    /Create pkgsBySystem once per system and share it/,
  );
});

test('disabled when the factory\'s input is not a flake (`flake = false`): it has no lib to build the set with', async () => {
  await checkAssistDisabled(
    ID,
    outputsFactory('', 'pkgsFor "x86_64-linux"', '(pkgsFor "x86_64-linux")').replace(
      'inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";',
      'inputs.nixpkgs = { url = "github:NixOS/nixpkgs/nixos-24.05"; flake = false; };',
    ),
    /no nixpkgs lib at hand/,
  );
});

test('an input with `flake = false` has no lib attribute: the set is built with the lib in its tree', async (t) => {
  await check(
    t,
    `${OVERLAY_FLAKE.replace(
      'inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";',
      'inputs.nixpkgs-unstable = { url = "github:NixOS/nixpkgs/nixos-unstable"; flake = false; };',
    )}
#- /overlays/default.nix
{ inputs, ... }: {
  unstable-packages = final: _prev: {
    unstable = $0import inputs.nixpkgs-unstable { system = final.stdenv.hostPlatform.system; };
  };
}
`,
    `
#- /overlays/default.nix
{ inputs, ... }: let
  unstableBySystem = let lib = import (inputs.nixpkgs-unstable + "/lib"); in lib.genAttrs lib.systems.flakeExposed (system: import inputs.nixpkgs-unstable { inherit system; });
in {
  unstable-packages = final: _prev: {
    unstable = unstableBySystem.\${final.stdenv.hostPlatform.system};
  };
}
`,
    /Create unstableBySystem once per system/,
  );
});
