import { test, type TestContext } from 'node:test';
import { checkAssistDisabled, checkAssistNotApplicable, checkFix } from '../../support/assists.js';

const ID = 'add-local-system';
const CODE = 'impure-system';

const check = (t: TestContext, before: string, after: string, title: RegExp) =>
  checkFix(t, ID, CODE, before, after, { title });

const FLAKE_HEAD = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";`;

test('uses a `system` argument in scope, first in a one-line set', async (t) => {
  await check(
    t,
    `
    { nixpkgs, system }:
    $0import nixpkgs { config.allowUnfree = true; }
    `,
    `
    { nixpkgs, system }:
    import nixpkgs { localSystem = system; config.allowUnfree = true; }
    `,
    /Add localSystem = system;/,
  );
});

test('turns an empty set into `{ localSystem = ...; }`', async (t) => {
  await check(
    t,
    `
    { nixpkgs, system }:
    { a = $0import nixpkgs { }; }
    `,
    `
    { nixpkgs, system }:
    { a = import nixpkgs { localSystem = system; }; }
    `,
    /localSystem = system/,
  );
  await check(
    t,
    `
    { nixpkgs }:
    system: $0import nixpkgs {}
    `,
    `
    { nixpkgs }:
    system: import nixpkgs { localSystem = system; }
    `,
    /localSystem = system/,
  );
});

test('uses the `let system` of flake.nix in a nixfmt-style set, on a line of its own', async (t) => {
  await check(
    t,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        { self, nixpkgs, ... }:
        let
          system = "x86_64-linux";
          pkgs = $0import nixpkgs {
            config.allowUnfree = true;
            overlays = [ ];
          };
        in
        {
          packages.\${system}.default = pkgs.hello;
        };
    }
    `,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        { self, nixpkgs, ... }:
        let
          system = "x86_64-linux";
          pkgs = import nixpkgs {
            localSystem = system;
            config.allowUnfree = true;
            overlays = [ ];
          };
        in
        {
          packages.\${system}.default = pkgs.hello;
        };
    }
    `,
    /localSystem = system/,
  );
});

test('goes above the comments over the first entry, and keeps CRLF', async (t) => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  await check(
    t,
    crlf(`
    #- /default.nix
    { nixpkgs, system }:
    $0import nixpkgs {
      # steam needs it
      config.allowUnfree = true;
    }
    `),
    crlf(`
    #- /default.nix
    { nixpkgs, system }:
    import nixpkgs {
      localSystem = system;
      # steam needs it
      config.allowUnfree = true;
    }
    `),
    /localSystem = system/,
  );
});

test("uses a module's own `pkgs` (nixfmt formals with a trailing comma)", async (t) => {
  await check(
    t,
    `${FLAKE_HEAD}
      outputs =
        { nixpkgs, ... }@inputs:
        {
          nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
            system = "x86_64-linux";
            specialArgs = { inherit inputs; };
            modules = [ ./module.nix ];
          };
        };
    }
    #- /module.nix
    {
      pkgs,
      inputs,
      ...
    }:
    let
      unstable = $0import inputs.nixpkgs-unstable {
        config.allowUnfree = true;
      };
    in
    {
      environment.systemPackages = [ unstable.hello ];
    }
    `,
    `
    #- /module.nix
    {
      pkgs,
      inputs,
      ...
    }:
    let
      unstable = import inputs.nixpkgs-unstable {
        localSystem = pkgs.stdenv.hostPlatform.system;
        config.allowUnfree = true;
      };
    in
    {
      environment.systemPackages = [ unstable.hello ];
    }
    `,
    /localSystem = pkgs\.stdenv\.hostPlatform\.system/,
  );
});

const twoHosts = (alpha: string, beta: string) => `${FLAKE_HEAD}
      outputs =
        { nixpkgs, ... }@inputs:
        {
          nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
            system = ${alpha};
            specialArgs = { inherit inputs; };
            modules = [ ./module.nix ];
          };
          nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
            system = ${beta};
            specialArgs = { inherit inputs; };
            modules = [ ./module.nix ];
          };
        };
    }`;

test('uses the literal system of the builders that reach a module when they agree', async (t) => {
  await check(
    t,
    `${twoHosts('"x86_64-linux"', '"x86_64-linux"')}
    #- /module.nix
    { inputs, ... }:
    {
      environment.systemPackages = [ ($0import inputs.nixpkgs-unstable { }).hello ];
    }
    `,
    `
    #- /module.nix
    { inputs, ... }:
    {
      environment.systemPackages = [ (import inputs.nixpkgs-unstable { localSystem = "x86_64-linux"; }).hello ];
    }
    `,
    /localSystem = "x86_64-linux"/,
  );
});

test('does not use `pkgs` inside `nixpkgs.*` (pkgs is built from it) and falls back to the builders', async (t) => {
  await check(
    t,
    `${twoHosts('"aarch64-linux"', '"aarch64-linux"')}
    #- /module.nix
    { pkgs, inputs, ... }:
    {
      nixpkgs.pkgs = $0import inputs.nixpkgs { config.allowUnfree = true; };
    }
    `,
    `
    #- /module.nix
    { pkgs, inputs, ... }:
    {
      nixpkgs.pkgs = import inputs.nixpkgs { localSystem = "aarch64-linux"; config.allowUnfree = true; };
    }
    `,
    /localSystem = "aarch64-linux"/,
  );
});

test("a module's nixpkgs.hostPlatform (under lib.mkDefault, as nixos-generate-config writes it) wins over the builders' system, as Hoist reads it", async (t) => {
  await check(
    t,
    `${twoHosts('"x86_64-linux"', '"x86_64-linux"')}
    #- /module.nix
    { inputs, lib, ... }:
    {
      nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux";
      environment.systemPackages = [ ($0import inputs.nixpkgs-unstable { }).hello ];
    }
    `,
    `
    #- /module.nix
    { inputs, lib, ... }:
    {
      nixpkgs.hostPlatform = lib.mkDefault "aarch64-linux";
      environment.systemPackages = [ (import inputs.nixpkgs-unstable { localSystem = "aarch64-linux"; }).hello ];
    }
    `,
    /localSystem = "aarch64-linux"/,
  );
});

test('uses the literal system of the builder call the instance sits in', async (t) => {
  await check(
    t,
    `${FLAKE_HEAD}
      outputs =
        { nixpkgs, nixpkgs-unstable, ... }:
        {
          nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
            system = "aarch64-linux";
            specialArgs.unstable = $0import nixpkgs-unstable { config.allowUnfree = true; };
            modules = [ ];
          };
        };
    }
    `,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs =
        { nixpkgs, nixpkgs-unstable, ... }:
        {
          nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
            system = "aarch64-linux";
            specialArgs.unstable = import nixpkgs-unstable { localSystem = "aarch64-linux"; config.allowUnfree = true; };
            modules = [ ];
          };
        };
    }
    `,
    /localSystem = "aarch64-linux"/,
  );
});

test("uses a flake's `let system = \"...\";` that is not in scope at the site", async (t) => {
  await check(
    t,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        { nixpkgs, ... }:
        {
          checks = let system = "x86_64-linux"; in { \${system} = { }; };
          hello = ($0import nixpkgs { }).hello;
        };
    }
    `,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        { nixpkgs, ... }:
        {
          checks = let system = "x86_64-linux"; in { \${system} = { }; };
          hello = (import nixpkgs { localSystem = "x86_64-linux"; }).hello;
        };
    }
    `,
    /localSystem = "x86_64-linux"/,
  );
});

test("is offered disabled when flake.nix's `let system` bindings disagree", async () => {
  await checkAssistDisabled(
    ID,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs =
        { nixpkgs, ... }:
        {
          checks = let system = "x86_64-linux"; in { \${system} = { }; };
          devShells = let system = "aarch64-darwin"; in { \${system} = { }; };
          hello = ($0import nixpkgs { }).hello;
        };
    }
    `,
    /flake\.nix binds system to several values \(x86_64-linux, aarch64-darwin\)/,
  );
});

test('is offered disabled when the builders that reach the module disagree', async () => {
  await checkAssistDisabled(
    ID,
    `${twoHosts('"x86_64-linux"', '"aarch64-linux"')}
    #- /module.nix
    { inputs, ... }:
    {
      environment.systemPackages = [ ($0import inputs.nixpkgs-unstable { }).hello ];
    }
    `,
    /different systems: x86_64-linux \(alpha\), aarch64-linux \(beta\)/,
  );
  await checkAssistDisabled(
    ID,
    `${twoHosts('"x86_64-linux"', 'builtins.currentSystem')}
    #- /module.nix
    { inputs, ... }:
    {
      environment.systemPackages = [ ($0import inputs.nixpkgs-unstable { }).hello ];
    }
    `,
    /not every builder .* gives a literal system/,
  );
});

test('is offered disabled when nothing names a system, and never uses a binding from inside itself', async () => {
  await checkAssistDisabled(
    ID,
    `
    { nixpkgs }:
    $0import nixpkgs { }
    `,
    /No system is in scope/,
  );
  // `system` here is the binding the instance is part of: using it would be infinite recursion.
  await checkAssistDisabled(
    ID,
    `
    { nixpkgs }:
    let
      system = ($0import nixpkgs { }).stdenv.hostPlatform.system;
    in
    system
    `,
    /The system in scope here is computed from this instance/,
  );
  // \`system\` is computed from this instance.
  await checkAssistDisabled(
    ID,
    `
    { nixpkgs }:
    let
      pkgs = $0import nixpkgs { };
      system = pkgs.stdenv.hostPlatform.system;
    in
    pkgs
    `,
    /The system in scope here is computed from this instance/,
  );
  // The default of the `pkgs` formal cannot use that `pkgs`.
  await checkAssistDisabled(
    ID,
    `
    { pkgs ? $0import <nixpkgs> { }, ... }:
    {
      environment.systemPackages = [ pkgs.hello ];
    }
    `,
    /No system is in scope/,
  );
});

test('is not offered when a system is given, or for other imports', async () => {
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs, system }:
    $0import nixpkgs { inherit system; }
    `,
  );
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs, system }:
    $0import nixpkgs { localSystem = { inherit system; }; }
    `,
  );
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs, system }:
    $0import ./pkgs.nix { }
    `,
  );
});
