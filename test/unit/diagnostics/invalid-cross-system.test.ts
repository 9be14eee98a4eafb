import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture.js';
import { checkDiagnosticsWith, diagnosticsOf } from '../../support/diagnostics.js';

const only = ['invalid-cross-system'];

test('gcc.abi that does not fit the arch: the whole value, with the ABI to use', async () => {
  await checkDiagnostics(
    `
    #- /modules/firmware.nix
    { pkgs, inputs, ... }:
    let
      embedded = import inputs.nixpkgs {
        localSystem = "x86_64-linux";
        crossSystem = {
          config = "riscv64-none-elf";
          libc = "newlib";
          gcc.arch = "rv64gc";
          gcc.abi = "ilp32d";
          #         ^^^^^^^^ error invalid-cross-system: Change crossSystem.gcc.abi to "lp64d". gcc.abi "ilp32d" is a 32-bit ABI, but "riscv64-none-elf" is a 64-bit platform.
        };
      };
      mcu = import inputs.nixpkgs {
        localSystem = "x86_64-linux";
        crossSystem = {
          config = "riscv32-none-elf";
          gcc = {
            arch = "rv32imac";
            abi = "ilp32d";
            #     ^^^^^^^^ error invalid-cross-system: rv32imac has no D extension
          };
        };
      };
      tiny = import inputs.nixpkgs {
        localSystem = "x86_64-linux";
        crossSystem = { config = "riscv32-none-elf"; gcc.arch = "rv32e"; gcc.abi = "ilp32"; };
        #                                                                          ^^^^^^^ error invalid-cross-system: ilp32e
      };
    in
    { environment.systemPackages = [ embedded.stdenv.cc mcu.stdenv.cc tiny.stdenv.cc ]; }
    `,
    only,
  );
});

test('a misspelt triple or double points inside the string and suggests the known name', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        a = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknwon-linux-gnu"; };
        #                                                                                ^^^^^^^ error invalid-cross-system: "unknwon" is not a vendor nixpkgs knows
        b = import nixpkgs { system = "x86_64-linxu"; };
        #                                     ^^^^^ error invalid-cross-system: Change "linxu" to "linux" in system.
        c = import nixpkgs { localSystem = { system = "aarch64-linx"; }; };
        #                                                      ^^^^ error invalid-cross-system: Change "linx" to "linux" in localSystem.system.
        d = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = "riscv64-linux"; };
      };
    }
    `,
    only,
  );
});

test('carries the replacement for the quick fix', async () => {
  // Sorted by file: /b.nix first.
  const [vendor, abi] = await diagnosticsOf(
    `
    #- /default.nix
    import <nixpkgs> {
      localSystem = "x86_64-linux";
      crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "ilp32d"; };
    }
    #- /b.nix
    import <nixpkgs> { localSystem = "x86_64-linux"; crossSystem = "riscv64-unknwon-linux-gnu"; }
    `,
    only,
  );
  // A vendor is replaced inside the string; an ABI replaces the whole value.
  assert.equal(vendor!.file, '/b.nix');
  assert.deepEqual(vendor!.data, { replacement: 'unknown', whole: false });
  assert.equal(abi!.file, '/default.nix');
  assert.deepEqual(abi!.data, { replacement: 'lp64d', whole: true });
});

test('a lower-case ISA and the Linux float ABIs', async () => {
  await checkDiagnosticsWith(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }: {
        a = import nixpkgs {
          localSystem = "x86_64-linux";
          crossSystem = {
            config = "riscv64-unknown-linux-gnu";
            gcc.arch = "rv64GC";
            #          ^^^^^^^^ error invalid-cross-system: lower-case
            gcc.abi = "lp64d";
          };
        };
        b = import nixpkgs {
          localSystem = "x86_64-linux";
          crossSystem = {
            config = "riscv64-unknown-linux-gnu";
            gcc.arch = "rv64imafdc";
            gcc.abi = "lp64f";
            #         ^^^^^^^ error invalid-cross-system: no port for the lp64f ABI
          };
        };
      };
    }
    `,
    only,
    { crlf: true },
  );
});

test('a 32-bit ABI on a 64-bit platform is caught even when gcc.arch is computed', async () => {
  await checkDiagnostics(
    `
    #- /default.nix
    { arch ? "rv64gc" }:
    import <nixpkgs> {
      localSystem = "x86_64-linux";
      crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc = { inherit arch; abi = "ilp32"; }; };
      #                                                                                 ^^^^^^^ error invalid-cross-system: "ilp32" is a 32-bit ABI
    }
    `,
    only,
  );
});

test('does not fire for valid platforms, computed values, or strings that are not arguments', async () => {
  await checkDiagnostics(
    `
    #- /flake.nix
    {
      inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
      outputs = { nixpkgs, ... }:
        let
          arch = "rv64gc";
          lib = nixpkgs.lib;
        in
        {
          a = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; }; };
          b = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = arch; gcc.abi = "lp64"; }; };
          c = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = lib.systems.examples.riscv64; };
          d = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv32-none-elf"; gcc.arch = "rv32imac"; gcc.abi = "ilp32"; }; };
          e = import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-musl"; gcc.arch = "rv64gcv_zba_zbb"; gcc.abi = "lp64d"; }; };
          f = import nixpkgs { system = "aarch64-darwin"; };
          g = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "aarch64-unknown-linux-gnu"; };
          h = import ./cross.nix { crossSystem.config = "riscv64-unknwon-linux-gnu"; };
          i = "crossSystem = { config = \\"riscv64-unknwon-linux-gnu\\"; }";
          # j = import nixpkgs { system = "x86_64-linxu"; };
          k = nixpkgs.legacyPackages.x86_64-linux.pkgsCross.riscv64;
        };
    }
    `,
    only,
  );
});

test('checks the platform options of modules (how most boards are cross-compiled), through mkDefault and mkForce', async () => {
  await checkDiagnostics(
    `
    #- /boards/visionfive2.nix
    { lib, ... }:
    {
      nixpkgs.buildPlatform = "x86_64-linux";
      nixpkgs.hostPlatform = lib.mkDefault {
        config = "riscv64-unknown-linux-gnu";
        gcc.arch = "rv64gc_zba_zbb";
        gcc.abi = "ilp32d";
        #         ^^^^^^^^ error invalid-cross-system: Change nixpkgs.hostPlatform.gcc.abi to "lp64d". gcc.abi "ilp32d" is a 32-bit ABI
      };
    }
    #- /hosts/box/hardware-configuration.nix
    { lib, ... }:
    {
      nixpkgs.hostPlatform = lib.mkDefault "x85_64-linux";
      #                                     ^^^^^^ error invalid-cross-system: nixpkgs.hostPlatform "x85_64-linux"
    }
    #- /hosts/forced/hardware-configuration.nix
    { lib, ... }:
    {
      nixpkgs.hostPlatform = lib.mkForce "aarch64-linx";
      #                                           ^^^^ error invalid-cross-system: nixpkgs.hostPlatform "aarch64-linx": "linx" is not a kernel
    }
    #- /hosts/ok/hardware-configuration.nix
    { lib, ... }:
    {
      nixpkgs.hostPlatform = lib.mkDefault "x86_64-linux";
      nixpkgs = { crossSystem.config = "riscv64-unknown-linux-gnu"; system = "x86_64-linux"; };
    }
    `,
    only,
  );
});
