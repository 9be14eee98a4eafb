import { test, type TestContext } from 'node:test';
import { checkAssistNotApplicable, checkFix, checkNotApplicableDespiteDiagnostic as notApplicableDespite } from '../../support/assists.js';

const ID = 'fix-cross-abi';
const CODE = 'invalid-cross-system';

const check = (t: TestContext, before: string, after: string, title: RegExp) =>
  checkFix(t, ID, CODE, before, after, { title });

const checkNotApplicableDespiteDiagnostic = (before: string) => notApplicableDespite(ID, CODE, before);

test('replaces a 32-bit ABI on a 64-bit RISC-V platform with the one that fits the arch', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "$0ilp32d"; }; }
    `,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; }; }
    `,
    /Set gcc\.abi to "lp64d"/,
  );
});

test('drops a float ABI the arch cannot back, in a nested nixfmt-style `gcc` set, keeping comments and CRLF', async (t) => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');
  await check(
    t,
    crlf(`
    #- /default.nix
    { nixpkgs }:
    import nixpkgs {
      localSystem = "x86_64-linux";
      crossSystem = {
        config = "riscv64-unknown-linux-gnu";
        gcc = {
          arch = "rv64imac"; # no FPU on this core
          abi = $0"lp64d";
        };
      };
    }
    `),
    crlf(`
    #- /default.nix
    { nixpkgs }:
    import nixpkgs {
      localSystem = "x86_64-linux";
      crossSystem = {
        config = "riscv64-unknown-linux-gnu";
        gcc = {
          arch = "rv64imac"; # no FPU on this core
          abi = "lp64";
        };
      };
    }
    `),
    /Set gcc\.abi to "lp64"/,
  );
});

test('fixes the width of a `gcc.arch`', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs {
      localSystem = "x86_64-linux";
      crossSystem.config = "riscv64-unknown-linux-gnu";
      crossSystem.gcc.arch = "$0rv32gc";
    }
    `,
    `
    { nixpkgs }:
    import nixpkgs {
      localSystem = "x86_64-linux";
      crossSystem.config = "riscv64-unknown-linux-gnu";
      crossSystem.gcc.arch = "rv64gc";
    }
    `,
    /Set gcc\.arch to "rv64gc"/,
  );
});

test('replaces only the misspelt component of a triple', async (t) => {
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-$0gnux"; }
    `,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; }
    `,
    /Replace "gnux" with "gnu" in crossSystem\.config/,
  );
  await check(
    t,
    `
    { nixpkgs }:
    import nixpkgs { crossSystem = { config = "riscv64-$0unkown-linux-gnu"; }; localSystem = "x86_64-linux"; }
    `,
    `
    { nixpkgs }:
    import nixpkgs { crossSystem = { config = "riscv64-unknown-linux-gnu"; }; localSystem = "x86_64-linux"; }
    `,
    /Replace "unkown" with "unknown"/,
  );
});

test('is not offered for a right ABI, a finding without a suggestion, or a string with escapes', async () => {
  await checkAssistNotApplicable(
    ID,
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "$0lp64d"; }; }
    `,
  );
  await checkNotApplicableDespiteDiagnostic(
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "$0qqqqqqqqq-unknown-linux-gnu"; }
    `,
  );
  await checkNotApplicableDespiteDiagnostic(
    `
    { nixpkgs }:
    import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-li\\nux-$0gnux"; }
    `,
  );
});
