import { test, type TestContext } from 'node:test';
import { checkAssistNotApplicable, checkFix } from '../../support/assists.js';

const ID = 'remove-system-arg';
const CODE = 'system-and-local-system';

const check = (t: TestContext, before: string, after: string) =>
  checkFix(t, ID, CODE, before, after, { title: /Remove system \(keep localSystem\)/, preferred: true });

test('removes a `system = ...;` binding from a one-line set', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs { $0system = "x86_64-linux"; localSystem = "x86_64-linux"; }
    `,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; }
    `,
  );
});

test('removes the binding when it is the last one of a one-line set', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; $0system = "x86_64-linux"; }
    `,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; }
    `,
  );
});

test('removes the whole line in a nixfmt-style set and keeps the comments', async (t) => {
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
          pkgs = import nixpkgs {
            # the machine that evaluates
            inherit $0system;
            localSystem = {
              inherit system;
            };
            config.allowUnfree = true; # for steam
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
            # the machine that evaluates
            localSystem = {
              inherit system;
            };
            config.allowUnfree = true; # for steam
          };
        in
        {
          packages.\${system}.default = pkgs.hello;
        };
    }
    `,
  );
});

test('removes only the name from an inherit with several names', async (t) => {
  await check(
    t,
    `
    { nixpkgs, system, overlays }:
    import nixpkgs { inherit $0system overlays; localSystem = system; }
    `,
    `
    { nixpkgs, system, overlays }:
    import nixpkgs { inherit overlays; localSystem = system; }
    `,
  );
  await check(
    t,
    `
    { nixpkgs, system, overlays }:
    import nixpkgs {
      inherit overlays $0system;
      localSystem = system;
    }
    `,
    `
    { nixpkgs, system, overlays }:
    import nixpkgs {
      inherit overlays;
      localSystem = system;
    }
    `,
  );
});

test('removes an `inherit (args) system;` and keeps the other names of `inherit (args)`', async (t) => {
  await check(
    t,
    `
    { nixpkgs, args }:
    import nixpkgs {
      inherit (args) $0system;
      localSystem = args.system;
    }
    `,
    `
    { nixpkgs, args }:
    import nixpkgs {
      localSystem = args.system;
    }
    `,
  );
  await check(
    t,
    `
    { nixpkgs, args }:
    import nixpkgs {
      inherit (args) $0system localSystem;
    }
    `,
    `
    { nixpkgs, args }:
    import nixpkgs {
      inherit (args) localSystem;
    }
    `,
  );
});

test('fixes the nested spelling `localSystem.system` beside `system`', async (t) => {
  await check(
    t,
    `
    let
      a = import <nixpkgs> { localSystem.system = "x86_64-linux"; $0system = "x86_64-linux"; };
    in
    a
    `,
    `
    let
      a = import <nixpkgs> { localSystem.system = "x86_64-linux"; };
    in
    a
    `,
  );
});

test('keeps a comment that shares the removed line', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs {
      $0system = "x86_64-linux"; # legacy name
      localSystem = "x86_64-linux";
    }
    `,
    `
    { nixpkgs }:
    import nixpkgs {
      # legacy name
      localSystem = "x86_64-linux";
    }
    `,
  );
});

test('keeps CRLF line endings', async (t) => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  await check(
    t,
    crlf(`
    #- /default.nix
    { nixpkgs }:
    import nixpkgs {
      $0system = "x86_64-linux";
      localSystem = "x86_64-linux";
    }
    `),
    crlf(`
    #- /default.nix
    { nixpkgs }:
    import nixpkgs {
      localSystem = "x86_64-linux";
    }
    `),
  );
});

test('is not offered without both arguments, for other imports, or on a nested `system`', async () => {
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs }:
    import nixpkgs { $0system = "x86_64-linux"; }
    `,
  );
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs }:
    import ./lib.nix { $0system = "x"; localSystem = "y"; }
    `,
  );
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = { $0system = "x86_64-linux"; }; crossSystem = "riscv64-linux"; }
    `,
  );
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs }:
    "import nixpkgs { $0system = 1; localSystem = 2; }"
    `,
  );
});
