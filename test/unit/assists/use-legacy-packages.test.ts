import { test, type TestContext } from 'node:test';
import { checkAssistNotApplicable, checkFix } from '../../support/assists.js';

const ID = 'use-legacy-packages';
const CODE = 'prefer-legacy-packages';

const check = (t: TestContext, before: string, after: string, title: RegExp) =>
  checkFix(t, ID, CODE, before, after, { title, preferred: true });

/** A flake.nix whose outputs are `body` (indented for the fixture). */
function flake(body: string): string {
  return `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs =
        { self, nixpkgs, ... }@inputs:
        let
          system = "x86_64-linux";
        in
        {
    ${body}
        };
    }
    `;
}

test('replaces `import nixpkgs { inherit system; }` with `nixpkgs.legacyPackages.${system}`', async (t) => {
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { inherit system; };'),
    flake('      pkgs = nixpkgs.legacyPackages.${system};'),
    /Use nixpkgs\.legacyPackages\.\$\{system\}$/,
  );
});

test('selects a literal system as an attribute name', async (t) => {
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { system = "x86_64-linux"; };'),
    flake('      pkgs = nixpkgs.legacyPackages.x86_64-linux;'),
    /legacyPackages\.x86_64-linux/,
  );
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { localSystem = { system = "aarch64-linux"; }; };'),
    flake('      pkgs = nixpkgs.legacyPackages.aarch64-linux;'),
    /legacyPackages\.aarch64-linux/,
  );
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { localSystem.system = system; };'),
    flake('      pkgs = nixpkgs.legacyPackages.${system};'),
    /legacyPackages\.\$\{system\}/,
  );
});

test('drops the parentheses that only held the instance', async (t) => {
  await check(
    t,
    flake('      hello = ($0import nixpkgs { inherit system; }).hello;'),
    flake('      hello = nixpkgs.legacyPackages.${system}.hello;'),
    /legacyPackages/,
  );
  await check(
    t,
    flake('      tools = with ($0import nixpkgs { inherit system; }); [ hello ];'),
    flake('      tools = with nixpkgs.legacyPackages.${system}; [ hello ];'),
    /legacyPackages/,
  );
});

test('keeps the source as written: `inputs.X` under @inputs, `inherit (x) system`, `.outPath`', async (t) => {
  await check(
    t,
    flake('      pkgs = $0import inputs.nixpkgs-unstable { inherit (self) system; };'),
    flake('      pkgs = inputs.nixpkgs-unstable.legacyPackages.${self.system};'),
    /Use inputs\.nixpkgs-unstable\.legacyPackages\.\$\{self\.system\}$/,
  );
  await check(
    t,
    flake('      pkgs = $0import nixpkgs.outPath { inherit system; };'),
    flake('      pkgs = nixpkgs.legacyPackages.${system};'),
    /legacyPackages/,
  );
});

test('keeps a source that is not a plain name or selection in parentheses: `(inputs.x or nixpkgs)`', async (t) => {
  await check(
    t,
    flake('      pkgs = $0import (inputs.nixpkgs-unstable or nixpkgs) { inherit system; };'),
    flake('      pkgs = (inputs.nixpkgs-unstable or nixpkgs).legacyPackages.${system};'),
    /Use \(inputs\.nixpkgs-unstable or nixpkgs\)\.legacyPackages\.\$\{system\}/,
  );
});

test('works in a module that takes its nixpkgs from `inputs`, nixfmt style, CRLF', async (t) => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  const head = `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
      outputs = { nixpkgs, ... }@inputs: {
        nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
          system = "x86_64-linux";
          specialArgs = { inherit inputs; };
          modules = [ ./module.nix ];
        };
      };
    }
    #- /module.nix`;
  await check(
    t,
    crlf(`${head}
    {
      pkgs,
      inputs,
      ...
    }:
    let
      # newer tools
      unstable = $0import inputs.nixpkgs-unstable {
        system = pkgs.stdenv.hostPlatform.system;
      };
    in
    {
      environment.systemPackages = [ unstable.hello ];
    }
    `),
    crlf(`
    #- /module.nix
    {
      pkgs,
      inputs,
      ...
    }:
    let
      # newer tools
      unstable = inputs.nixpkgs-unstable.legacyPackages.\${pkgs.stdenv.hostPlatform.system};
    in
    {
      environment.systemPackages = [ unstable.hello ];
    }
    `),
    /legacyPackages\.\$\{pkgs\.stdenv\.hostPlatform\.system\}/,
  );
});

test('selects the system of a `localSystem` that is (or may be) a platform set', async (t) => {
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { localSystem = self.nixosConfigurations.a.pkgs.stdenv.hostPlatform; };'),
    flake('      pkgs = nixpkgs.legacyPackages.${self.nixosConfigurations.a.pkgs.stdenv.hostPlatform.system};'),
    /hostPlatform\.system\}$/,
  );
  // A string or a set: `x.system or x` is the system string either way.
  await check(
    t,
    flake('      pkgs = $0import nixpkgs { localSystem = self.platform; };'),
    flake('      pkgs = nixpkgs.legacyPackages.${self.platform.system or self.platform};'),
    /legacyPackages\.\$\{self\.platform\.system or self\.platform\}/,
  );
});

test('is not offered with more arguments than the system, for channels, or for non-instances', async () => {
  await checkAssistNotApplicable(ID, flake('      pkgs = $0import nixpkgs { inherit system; config.allowUnfree = true; };'));
  await checkAssistNotApplicable(ID, flake('      pkgs = $0import nixpkgs { localSystem = { config = "riscv64-unknown-linux-gnu"; }; };'));
  await checkAssistNotApplicable(ID, flake('      pkgs = $0import <nixpkgs> { inherit system; };'));
  await checkAssistNotApplicable(ID, flake('      pkgs = $0import ./pkgs.nix { inherit system; };'));
  await checkAssistNotApplicable(ID, flake('      pkgs = "$0import nixpkgs { inherit system; }";'));
});
