import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { applyAssist, checkAssist, checkAssistNotApplicable } from '../../support/assists.js';
import { analyse, parseFixture } from '../../support/fixture.js';
import { nixOrExplain, parseWithNix } from '../../support/nixOracle.js';

const ID = 'fix-cross-abi';
const CODE = 'invalid-cross-system';

/**
 * checkAssist, then: the files before and after parse with Nix, and
 * re-analysing the result reports no `invalid-cross-system` at all.
 */
async function check(t: TestContext, before: string, after: string, title: RegExp): Promise<void> {
  const assist = await checkAssist(ID, before, after, { title });
  assert.deepEqual(
    assist.fixes.map((d) => d.code),
    [CODE],
  );
  const { before: was, after: now } = await applyAssist(ID, before);
  const left = (await analyse({ files: now, cursor: null, annotations: [] })).allDiagnostics().filter((d) => d.code === CODE);
  assert.deepEqual(left.map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`), []);
  if (!nixOrExplain(t)) return;
  const texts = [...now].filter(([file, text]) => was.get(file) !== text);
  assert.ok(texts.length > 0, 'the assist changed nothing');
  const results = await parseWithNix([
    ...texts.map(([file]) => ({ name: `${file} (before)`, text: was.get(file)! })),
    ...texts.map(([file, text]) => ({ name: `${file} (after)`, text })),
  ]);
  assert.deepEqual(results.filter((r) => !r.ok), []);
}

/** Asserts that the diagnostic is at the cursor (so the case means something) and the assist is still not offered. */
async function checkNotApplicableDespiteDiagnostic(before: string): Promise<void> {
  const fixture = parseFixture(before);
  const at = fixture.cursor!;
  const analysis = await analyse(fixture);
  const lines = analysis.workspace().files.get(at.file)!.lines;
  const here = analysis.diagnosticsFor(at.file).filter((d) => {
    const s = lines.span(d.range);
    return d.code === CODE && s.start <= at.offset && at.offset <= s.end;
  });
  assert.ok(here.length > 0, `no ${CODE} at the cursor: the case would prove nothing`);
  await checkAssistNotApplicable(ID, before);
}

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
    /Set `gcc\.abi` to "lp64d"/,
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
    /Set `gcc\.abi` to "lp64"/,
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
    /Set `gcc\.arch` to "rv64gc"/,
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
    /Replace "gnux" with "gnu" in `crossSystem\.config`/,
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
