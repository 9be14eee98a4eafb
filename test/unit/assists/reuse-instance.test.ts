import { test, type TestContext } from 'node:test';
import { checkAssistNotApplicable, checkFix, checkNotApplicableDespiteDiagnostic as notApplicableDespite } from '../../support/assists.js';

const ID = 'reuse-instance';
const CODE = 'duplicate-instance';

const check = (t: TestContext, before: string, after: string, title: RegExp) =>
  checkFix(t, ID, CODE, before, after, { title });

const checkNotApplicableDespiteDiagnostic = (before: string) => notApplicableDespite(ID, CODE, before);

test('replaces an inline duplicate with the let binding in scope (and its parentheses)', async (t) => {
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
            inherit system;
            config.allowUnfree = true; # steam
          };
        in
        {
          packages.\${system}.default = ($0import nixpkgs { inherit system; config.allowUnfree = true; }).hello;
          formatter.\${system} = pkgs.nixfmt;
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
            inherit system;
            config.allowUnfree = true; # steam
          };
        in
        {
          packages.\${system}.default = pkgs.hello;
          formatter.\${system} = pkgs.nixfmt;
        };
    }
    `,
    /Reuse pkgs \(the same instance\)/,
  );
});

test('turns a second let binding of the same instance into an alias', async (t) => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  await check(
    t,
    crlf(`
    #- /configuration.nix
    { nixpkgs }:
    let
      pkgs = import nixpkgs { localSystem = { system = "x86_64-linux"; }; overlays = [ ]; };
      # the same, spelt differently
      pkgs' = $0import nixpkgs {
        overlays = [ ];
        localSystem.system = "x86_64-linux";
      };
    in
    [ pkgs pkgs' ]
    `),
    crlf(`
    #- /configuration.nix
    { nixpkgs }:
    let
      pkgs = import nixpkgs { localSystem = { system = "x86_64-linux"; }; overlays = [ ]; };
      # the same, spelt differently
      pkgs' = pkgs;
    in
    [ pkgs pkgs' ]
    `),
    /Reuse pkgs \(the same instance\)/,
  );
});

test('uses an entry of the rec set around the site', async (t) => {
  await check(
    t,
    `
    #- /configuration.nix
    { nixpkgs }:
    rec {
      pkgs = import nixpkgs { localSystem = "aarch64-linux"; };
      hello = ($0import nixpkgs { localSystem = "aarch64-linux"; }).hello;
    }
    `,
    `
    #- /configuration.nix
    { nixpkgs }:
    rec {
      pkgs = import nixpkgs { localSystem = "aarch64-linux"; };
      hello = pkgs.hello;
    }
    `,
    /Reuse pkgs \(the same instance\)/,
  );
});

test('is offered under a `with`, which cannot hide `import` or the let binding', async (t) => {
  await check(
    t,
    `
    #- /configuration.nix
    { nixpkgs, lib }:
    let
      pkgs = import nixpkgs { localSystem = "x86_64-linux"; };
    in
    with lib;
    [ pkgs.git ($0import nixpkgs { localSystem = "x86_64-linux"; }).hello ]
    `,
    `
    #- /configuration.nix
    { nixpkgs, lib }:
    let
      pkgs = import nixpkgs { localSystem = "x86_64-linux"; };
    in
    with lib;
    [ pkgs.git pkgs.hello ]
    `,
    /Reuse pkgs \(the same instance\)/,
  );
});

test('is not offered when the binding is not in scope or is shadowed', async () => {
  // A plain (not rec) set does not bring its names into scope.
  await checkNotApplicableDespiteDiagnostic(
    `
    #- /configuration.nix
    { nixpkgs }:
    {
      pkgs = import nixpkgs { localSystem = "aarch64-linux"; };
      hello = ($0import nixpkgs { localSystem = "aarch64-linux"; }).hello;
    }
    `,
  );
  // The inner lambda's `pkgs` hides the let binding.
  await checkNotApplicableDespiteDiagnostic(
    `
    #- /configuration.nix
    { nixpkgs }:
    let
      pkgs = import nixpkgs { localSystem = "aarch64-linux"; };
    in
    map (pkgs: ($0import nixpkgs { localSystem = "aarch64-linux"; }).hello) [ pkgs ]
    `,
  );
  // A binding in another let, next to this one, is out of scope.
  await checkNotApplicableDespiteDiagnostic(
    `
    #- /configuration.nix
    { nixpkgs }:
    {
      a = let pkgs = import nixpkgs { localSystem = "aarch64-linux"; }; in pkgs.hello;
      b = ($0import nixpkgs { localSystem = "aarch64-linux"; }).hello;
    }
    `,
  );
});

test('is not offered when the same text means other values (a `system` of another lambda)', async () => {
  // The index already tells these apart (no duplicate-instance), so nothing is offered.
  await checkAssistNotApplicable(
    'reuse-instance',
    `
    #- /configuration.nix
    { nixpkgs, system }:
    let
      pkgs = import nixpkgs { inherit system; };
    in
    [ pkgs.git ] ++ map (system: ($0import nixpkgs { inherit system; }).hello) [ "aarch64-linux" ]
    `,
  );
  await checkNotApplicableDespiteDiagnostic(
    `
    #- /configuration.nix
    { nixpkgs, settings }:
    with settings;
    let
      pkgs = import nixpkgs { localSystem = "x86_64-linux"; inherit overlays; };
    in
    # \`overlays\` here comes from this inner \`with\`, there from \`settings\`.
    with { overlays = [ ]; };
    [ pkgs.git ($0import nixpkgs { localSystem = "x86_64-linux"; inherit overlays; }).hello ]
    `,
  );
});

test('is not offered across files (hoisting does that) or for a formal default', async () => {
  await checkNotApplicableDespiteDiagnostic(
    `
    #- /configuration.nix
    { nixpkgs, ... }:
    { imports = [ (import ./a.nix { inherit nixpkgs; }) (import ./b.nix { inherit nixpkgs; }) ]; }
    #- /a.nix
    { nixpkgs }:
    let pkgs = import nixpkgs { localSystem = "x86_64-linux"; }; in pkgs
    #- /b.nix
    { nixpkgs }:
    ($0import nixpkgs { localSystem = "x86_64-linux"; }).hello
    `,
  );
  // A default every caller overrides is not evaluated, so it duplicates nothing.
  await checkAssistNotApplicable(
    ID,
    `
    #- /configuration.nix
    { nixpkgs, pkgs ? import nixpkgs { localSystem = "x86_64-linux"; } }:
    ($0import nixpkgs { localSystem = "x86_64-linux"; }).hello
    `,
  );
});
