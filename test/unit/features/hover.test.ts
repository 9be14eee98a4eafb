/**
 * Hover on instantiations (source, systems, config, overlays, evaluations
 * and hosts, duplicates, custom gcc.arch) and on module arguments that come
 * from specialArgs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/ide/features/index.js';
import { atCursor, textOf } from '../../support/features.js';
import { lockText, withLock } from '../../support/lock.js';

/** The hover at `$0`: its Markdown and the text its range covers. */
function hoverAt(source: string): Promise<{ contents: string; covers: string } | null> {
  return atCursor(source, (f) => {
    const h = hover(f.ctx, f.file, f.offset);
    return h ? { contents: h.contents, covers: textOf(f, f.file, h.range) } : null;
  });
}

const FLAKE = (let_: string, body = '') => `
  #- /flake.nix
  {
    inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
      let
        system = "x86_64-linux";
        ${let_}
        mkHost = name: nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs pkgs-unstable; };
          modules = [ ./hosts/\${name}.nix ./common.nix ];
        };
      in {
        nixosConfigurations.alpha = mkHost "alpha";
        nixosConfigurations.beta = mkHost "beta";
        ${body}
      };
  }
  #- /hosts/alpha.nix
  { pkgs, ... }: { }
  #- /hosts/beta.nix
  { pkgs, ... }: { }
`;

test('on a cross instance: source, both systems, overlays, and the custom gcc.arch note', async () => {
  const h = await hoverAt(
    FLAKE(`pkgs-unstable = import nixpkgs-unstable { inherit system; };
        riscv = im$0port nixpkgs {
          localSystem = "x86_64-linux";
          crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gcv"; gcc.abi = "lp64d"; };
          overlays = [ (final: prev: { }) (final: prev: { }) ];
        };`, 'packages.x86_64-linux.riscv-hello = riscv.hello;') +
      `
  #- /common.nix
  { ... }: { }
  `,
  );
  assert.ok(h);
  assert.equal(h.covers, 'import nixpkgs');
  const c = h.contents;
  assert.match(c, /nixpkgs instance `riscv`/);
  assert.match(c, /\*\*Source:\*\* flake input `nixpkgs` \(`github:NixOS\/nixpkgs\/nixos-24\.05`\)/);
  assert.match(c, /\*\*Builds on:\*\* `"x86_64-linux"`/);
  assert.match(c, /\*\*Runs on:\*\* `"riscv64-unknown-linux-gnu"`, gcc\.arch `"rv64gcv"`, gcc\.abi `"lp64d"` \(the triple of `pkgsCross\.riscv64`\)/);
  assert.match(c, /\*\*Overlays:\*\* 2/);
  assert.match(c, /\*\*Evaluation:\*\* Creates 1 package set when every output is evaluated: once\./);
  assert.match(c, /No binary cache:.*gcc\.arch = "rv64gcv"/);
});

test('no custom-arch note without gcc.arch, or when the example itself sets it', async () => {
  const plain = await hoverAt(`
    #- /default.nix
    let pkgs = im$0port <nixpkgs> { crossSystem = { config = "riscv64-unknown-linux-gnu"; }; }; in pkgs
  `);
  assert.ok(plain);
  assert.doesNotMatch(plain.contents, /binary cache/);
  assert.match(plain.contents, /channel `<nixpkgs>`/);
  const pi = await hoverAt(`
    #- /default.nix
    let pkgs = im$0port <nixpkgs> { crossSystem = { config = "armv6l-unknown-linux-gnueabihf"; gcc = { arch = "armv6kz"; fpu = "vfpv2"; }; }; }; in pkgs
  `);
  assert.doesNotMatch(pi!.contents, /binary cache/);
});

test('on the name of an instance binding: config keys; a missing system is called out', async () => {
  const h = await hoverAt(`
    #- /default.nix
    let
      pkgs$0-unfree = import <nixpkgs> { config = { allowUnfree = true; permittedInsecurePackages = [ ]; }; };
    in pkgs-unfree
  `);
  assert.ok(h);
  assert.equal(h.covers, 'pkgs-unfree');
  assert.match(h.contents, /\*\*Config:\*\* `allowUnfree`, `permittedInsecurePackages`/);
  assert.match(h.contents, /\*\*System:\*\* not given.*currentSystem/);
});

test('in a module: evaluated once per host that imports it, with the hosts named', async () => {
  const h = await hoverAt(
    FLAKE('pkgs-unstable = import nixpkgs-unstable { inherit system; };') +
      `
  #- /common.nix
  { pkgs, inputs, ... }:
  let u = import$0 inputs.nixpkgs-unstable { system = pkgs.system; }; in { environment.systemPackages = [ u.hello ]; }
  `,
  );
  assert.ok(h);
  assert.match(h.contents, /flake input `nixpkgs-unstable`/);
  assert.match(h.contents, /Creates 2 package sets when every output is evaluated: once per configuration that loads this file \(alpha, beta\)\./);
});

test('other sites with the same source and arguments are listed', async () => {
  const h = await hoverAt(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }: {
        a = import$0 nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
        b = import nixpkgs { config = { allowUnfree = true; }; localSystem = { system = "x86_64-linux"; }; };
        c = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
        d = import nixpkgs { system = "aarch64-linux"; config.allowUnfree = true; };
      };
    }
  `);
  assert.ok(h);
  assert.match(h.contents, /\*\*Same source and arguments:\*\* flake\.nix:5, flake\.nix:6: each evaluates/);
});

test('wrapper calls show the wrapper and its arguments; pkgsCross shows the example', async () => {
  const wrapper = await hoverAt(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }:
        let mkPkgs = system: import nixpkgs { inherit system; overlays = [ ]; };
        in { a = mk$0Pkgs "x86_64-linux"; b = mkPkgs "aarch64-linux"; };
    }
  `);
  assert.ok(wrapper);
  assert.equal(wrapper.covers, 'mkPkgs');
  assert.match(wrapper.contents, /\*\*Through:\*\* the wrapper `mkPkgs`/);
  assert.match(wrapper.contents, /\*\*Overlays:\*\* 0/);
  const body = await hoverAt(`
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { self, nixpkgs, ... }:
        let mkPkgs = system: imp$0ort nixpkgs { inherit system; };
        in { a = mkPkgs "x86_64-linux"; b = mkPkgs "aarch64-linux"; };
    }
  `);
  assert.match(body!.contents, /Instantiated by each call of `mkPkgs`: 2 calls/);
  const cross = await hoverAt(`
    #- /module.nix
    { pkgs, ... }: { environment.systemPackages = [ pkgs.pkgsCross.riscv$064.hello ]; }
  `);
  assert.ok(cross);
  assert.match(cross.contents, /`pkgsCross\.riscv64`: `riscv64-unknown-linux-gnu` \(64-bit RISC-V Linux, glibc\)/);
});

test('on a module argument from specialArgs: which builders pass it, for which hosts, and where it is defined', async () => {
  const source =
    FLAKE('pkgs-unstable = import nixpkgs-unstable { inherit system; config.allowUnfree = true; };') +
    `
  #- /common.nix
  { pkgs, pkgs-unstable, ... }: { environment.systemPackages = [ pkgs-un$0stable.hello ]; }
  `;
  const h = await hoverAt(source);
  assert.ok(h);
  assert.equal(h.covers, 'pkgs-unstable');
  assert.match(h.contents, /module argument `pkgs-unstable`/);
  assert.match(h.contents, /\*\*Passed by\*\* `nixosSystem` at flake\.nix:8 for `alpha`, `beta`/);
  assert.match(h.contents, /\*\*Defined\*\* at flake\.nix:7/);
  assert.match(h.contents, /flake input `nixpkgs-unstable`/);
  assert.match(h.contents, /\*\*Config:\*\* `allowUnfree`/);
  // The formal itself hovers the same; a flake input passed along is described as one.
  const formal = await hoverAt(source.replace('pkgs-un$0stable.hello', 'pkgs-unstable.hello').replace('{ pkgs, pkgs-unstable, ... }', '{ pkgs, pkgs-unstable, in$0puts, ... }'));
  assert.ok(formal);
  assert.match(formal.contents, /module argument `inputs`/);
});

test('no hover elsewhere: standard module arguments, plain code, comments', async () => {
  const base = FLAKE('pkgs-unstable = import nixpkgs-unstable { inherit system; };');
  for (const tail of [
    '{ pk$0gs, ... }: { }',
    '{ pkgs, ... }: { x = 1$02; }',
    '{ pkgs, ... }: { } # import$0 <nixpkgs> { }',
    '{ pkgs, ... }: let pkgs-unstable = 1; in { x = pkgs-un$0stable; }',
  ]) {
    assert.equal(await hoverAt(`${base}\n  #- /common.nix\n  ${tail}\n`), null, tail);
  }
});

const LOCKED = lockText(
  { nixpkgs: 'nixpkgs_2', 'home-manager': 'home-manager', 'sops-nix': 'sops-nix', stale: 'stale' },
  {
    nixpkgs_2: { date: '2024-06-01', rev: '2222222aaaa', ref: 'nixos-24.05' },
    'home-manager': { owner: 'nix-community', repo: 'home-manager', date: '2024-05-20', rev: 'beef123456', ref: 'release-24.05', inputs: { nixpkgs: 'nixpkgs' } },
    nixpkgs: { date: '2024-05-02', rev: 'abcdef1234' },
    'sops-nix': { owner: 'Mic92', repo: 'sops-nix', inputs: { nixpkgs: ['nixpkgs'] } },
    stale: { owner: 'someone', repo: 'stale', inputs: { nixpkgs: 'nixpkgs_3' } },
    nixpkgs_3: {},
  },
);

const LOCK_FLAKE = (cursorAt: string) =>
  withLock(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.home-manager.url = "github:nix-community/home-manager/release-24.05";
      inputs.sops-nix = { url = "github:Mic92/sops-nix"; inputs.nixpkgs.follows = "nixpkgs"; };
      inputs.stale.url = "github:someone/stale";
      inputs.stale.inputs.nixpkgs.follows = "nixpkgs";
      inputs.disko.url = "github:nix-community/disko";
      outputs = { ... }: { };
    }
    `.replace(cursorAt.replace('|', ''), cursorAt.replace('|', '$0')),
    LOCKED,
  );

test('on a flake input: the locked revision, date, branch and owner/repo, and its own nixpkgs', async () => {
  const h = await hoverAt(LOCK_FLAKE('inputs.home-|manager.url'));
  assert.ok(h);
  assert.equal(h.covers, 'home-manager');
  assert.match(h.contents, /\*\*Locked\*\*: `nix-community\/home-manager` at `beef123` of 2024-05-20 branch `release-24.05`/);
  assert.match(h.contents, /\*\*Its nixpkgs\*\*: its own, `NixOS\/nixpkgs` at `abcdef1` of 2024-05-02 \(30 days older than the flake's\)/);
  assert.match(h.contents, /`inputs\.home-manager\.inputs\.nixpkgs\.follows = "nixpkgs";` shares the flake's/);
});

test("on the root nixpkgs: its pin and the number of nixpkgs sources; a follower names the flake's", async () => {
  const root = await hoverAt(LOCK_FLAKE('inputs.nix|pkgs.url'));
  assert.match(root?.contents ?? '', /`NixOS\/nixpkgs` at `2222222` of 2024-06-01 branch `nixos-24.05`/);
  assert.match(root?.contents ?? '', /holds 3 nixpkgs sources in all/);
  const follower = await hoverAt(LOCK_FLAKE('inputs.sops-|nix ='));
  assert.match(follower?.contents ?? '', /\*\*Its nixpkgs\*\*: the flake's `nixpkgs`/);
});

test('on an input the lock predates: stale follows and inputs not locked yet say to run nix flake lock', async () => {
  // The second declaration line of the input answers too.
  const stale = await hoverAt(LOCK_FLAKE('inputs.st|ale.inputs'));
  assert.equal(stale?.covers, 'stale');
  assert.match(stale?.contents ?? '', /flake\.nix makes it follow, but flake\.lock still locks its own: run `nix flake lock`/);
  const missing = await hoverAt(LOCK_FLAKE('inputs.dis|ko'));
  assert.match(missing?.contents ?? '', /Not in flake\.lock yet/);
});

test('an instance bound by a let nothing names: never evaluated, as report and the CodeLens count it', async () => {
  const h = await hoverAt(
    FLAKE('') +
      `
  #- /common.nix
  { pkgs, inputs, ... }:
  let u = import$0 inputs.nixpkgs-unstable { system = pkgs.system; }; in { }
  `,
  );
  assert.ok(h);
  assert.match(h.contents, /\*\*Evaluation:\*\* Never evaluated: nothing in its let names this binding/);
});
