import { test, type TestContext } from 'node:test';
import { checkFix } from '../../support/assists.js';
import { lockText, withLock } from '../../support/lock.js';

const ID = 'follow-nixpkgs';
const CODE = 'unfollowed-nixpkgs';

// `home-manager` locks a nixpkgs of its own; `sops-nix` follows the flake's.
const LOCK = lockText(
  { nixpkgs: 'nixpkgs', 'home-manager': 'home-manager', 'sops-nix': 'sops-nix', 'flake-utils': 'flake-utils' },
  {
    nixpkgs: { date: '2024-06-01' },
    'home-manager': { repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs_2', 'flake-utils': ['flake-utils'] } },
    nixpkgs_2: { date: '2024-05-01' },
    'sops-nix': { repo: 'sops-nix', inputs: { nixpkgs: ['nixpkgs'] } },
    'flake-utils': { repo: 'flake-utils' },
  },
);

const check = (t: TestContext, before: string, after: string) =>
  checkFix(t, ID, CODE, withLock(before, LOCK), `#- /flake.nix\n${after.replace(/^\n/, '').replace(/^ {4}/gm, '')}`, {
    title: /^Make home-manager follow the flake's nixpkgs$/,
    preferred: true,
  });

test('an input written as a set on one line gets the entry last in it', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.home-manager$0 = { url = "github:nix-community/home-manager"; };
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.home-manager = { url = "github:nix-community/home-manager"; inputs.nixpkgs.follows = "nixpkgs"; };
      outputs = { ... }: { };
    }
    `,
  ));

test('a multi-line set inside inputs gets a line of its own, indented like its entries, after a trailing comment', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        home-manager$0 = {
          url = "github:nix-community/home-manager"; # release branch
        };
      };
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        home-manager = {
          url = "github:nix-community/home-manager"; # release branch
          inputs.nixpkgs.follows = "nixpkgs";
        };
      };
      outputs = { ... }: { };
    }
    `,
  ));

test('a set that already overrides inputs gets the entry in its nested inputs set', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        flake-utils.url = "github:numtide/flake-utils";
        home-manager$0 = {
          url = "github:nix-community/home-manager";
          inputs = { flake-utils.follows = "flake-utils"; };
        };
      };
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        flake-utils.url = "github:numtide/flake-utils";
        home-manager = {
          url = "github:nix-community/home-manager";
          inputs = { flake-utils.follows = "flake-utils"; nixpkgs.follows = "nixpkgs"; };
        };
      };
      outputs = { ... }: { };
    }
    `,
  ));

test('a dotted inputs.x.url line gets a dotted follows line beside it', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.home-manager$0.url = "github:nix-community/home-manager";
      inputs.sops-nix.url = "github:Mic92/sops-nix";
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      inputs.home-manager.url = "github:nix-community/home-manager";
      inputs.home-manager.inputs.nixpkgs.follows = "nixpkgs";
      inputs.sops-nix.url = "github:Mic92/sops-nix";
      outputs = { ... }: { };
    }
    `,
  ));

test('x.url inside the inputs set gets x.inputs.nixpkgs.follows after its last line', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        home-manager$0.url = "github:nix-community/home-manager";
        home-manager.inputs.flake-utils.follows = "flake-utils";
        sops-nix.url = "github:Mic92/sops-nix";
      };
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs = {
        nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
        home-manager.url = "github:nix-community/home-manager";
        home-manager.inputs.flake-utils.follows = "flake-utils";
        home-manager.inputs.nixpkgs.follows = "nixpkgs";
        sops-nix.url = "github:Mic92/sops-nix";
      };
      outputs = { ... }: { };
    }
    `,
  ));

test('several inputs on one line: the line goes right after the input, on that line', (t) =>
  check(
    t,
    `
    #- /flake.nix
    {
      inputs = { nixpkgs.url = "github:NixOS/nixpkgs"; home-manager$0.url = "github:nix-community/home-manager"; sops-nix.url = "github:Mic92/sops-nix"; };
      outputs = { ... }: { };
    }
    `,
    `
    {
      inputs = { nixpkgs.url = "github:NixOS/nixpkgs"; home-manager.url = "github:nix-community/home-manager"; home-manager.inputs.nixpkgs.follows = "nixpkgs"; sops-nix.url = "github:Mic92/sops-nix"; };
      outputs = { ... }: { };
    }
    `,
  ));
