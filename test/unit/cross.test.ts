/**
 * Cross-system knowledge: system strings as nixpkgs parses them,
 * lib.systems.examples, RISC-V ISA strings and ABIs.
 */

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ALL_DOUBLES,
  COMMON_DOUBLES,
  EXAMPLE_NAMES,
  FLAKE_EXPOSED_DOUBLES,
  RISCV_ABIS,
  SYSTEM_EXAMPLES,
  abisFor,
  bestAbi,
  checkAbi,
  checkGccSettings,
  closestMatch,
  commonArches,
  editDistance,
  exampleByName,
  examplesForConfig,
  gccDefaultAbi,
  parseIsa,
  parseSystemDouble,
  parseTriple,
  riscvXlenOfSystem,
} from '../../server/src/ide/cross';

describe('parseTriple: strings nixpkgs accepts', () => {
  // [input, double, tripleFromSystem, vendor, abi]
  const cases: [string, string, string, string, string][] = [
    ['riscv64-unknown-linux-gnu', 'riscv64-linux', 'riscv64-unknown-linux-gnu', 'unknown', 'gnu'],
    ['riscv32-unknown-linux-gnu', 'riscv32-linux', 'riscv32-unknown-linux-gnu', 'unknown', 'gnu'],
    ['riscv64-unknown-linux-musl', 'riscv64-linux', 'riscv64-unknown-linux-musl', 'unknown', 'musl'],
    ['riscv64-none-elf', 'riscv64-none', 'riscv64-unknown-none-elf', 'unknown', 'elf'],
    ['riscv64-linux', 'riscv64-linux', 'riscv64-unknown-linux-gnu', 'unknown', 'gnu'],
    ['riscv64-linux-gnu', 'riscv64-linux', 'riscv64-unknown-linux-gnu', 'unknown', 'gnu'],
    ['x86_64-linux', 'x86_64-linux', 'x86_64-unknown-linux-gnu', 'unknown', 'gnu'],
    ['aarch64-apple-darwin', 'aarch64-darwin', 'arm64-apple-darwin', 'apple', 'unknown'],
    ['arm64-apple-darwin', 'aarch64-darwin', 'arm64-apple-darwin', 'apple', 'unknown'],
    ['x86_64-darwin', 'x86_64-darwin', 'x86_64-apple-darwin', 'apple', 'unknown'],
    ['x86_64-apple-darwin23', 'x86_64-darwin', 'x86_64-apple-darwin', 'apple', 'unknown'],
    ['x86_64-w64-mingw32', 'x86_64-windows', 'x86_64-w64-windows-gnu', 'w64', 'gnu'],
    ['x86_64-windows', 'x86_64-windows', 'x86_64-pc-windows-msvc', 'pc', 'msvc'],
    ['x86_64-pc-cygwin', 'x86_64-cygwin', 'x86_64-pc-cygwin', 'pc', 'unknown'],
    ['arm-none-eabi', 'arm-none', 'arm-unknown-none-eabi', 'unknown', 'eabi'],
    ['msp430-elf', 'msp430-none', 'msp430-unknown-none-elf', 'unknown', 'elf'],
    ['avr', 'avr-none', 'avr-unknown-none', 'unknown', 'unknown'],
    ['wasm32-unknown-wasi', 'wasm32-wasi', 'wasm32-unknown-wasi', 'unknown', 'unknown'],
    ['x86_64-unknown-freebsd', 'x86_64-freebsd', 'x86_64-unknown-freebsd', 'unknown', 'unknown'],
    ['i686-unknown-netbsd', 'i686-netbsd', 'i686-unknown-netbsdelf', 'unknown', 'unknown'],
    ['x86_64-unknown-netbsd', 'x86_64-netbsd', 'x86_64-unknown-netbsd', 'unknown', 'unknown'],
    ['armv7l-linux', 'armv7l-linux', 'armv7l-unknown-linux-gnueabihf', 'unknown', 'gnueabihf'],
    ['armv5tel-linux', 'armv5tel-linux', 'armv5tel-unknown-linux-gnueabi', 'unknown', 'gnueabi'],
    ['powerpc64-linux', 'powerpc64-linux', 'powerpc64-unknown-linux-gnuabielfv1', 'unknown', 'gnuabielfv1'],
  ];
  for (const [input, double, triple, vendor, abi] of cases) {
    test(input, () => {
      const result = parseTriple(input);
      assert.deepEqual(result.problems, []);
      assert.ok(result.system, 'resolved system');
      assert.equal(result.system.double, double);
      assert.equal(result.system.triple, triple);
      assert.equal(result.system.vendor, vendor);
      assert.equal(result.system.abi, abi);
    });
  }

  test('records where each component came from', () => {
    const { skeleton } = parseTriple('riscv64-none-elf');
    assert.deepEqual(skeleton?.cpu, { value: 'riscv64', offset: 0, length: 7 });
    assert.deepEqual(skeleton?.kernel, { value: 'none', offset: 8, length: 4 });
    assert.deepEqual(skeleton?.abi, { value: 'elf', offset: 13, length: 3 });
    assert.deepEqual(skeleton?.vendor, { value: 'unknown' }, 'vendor filled in, not read');
    assert.deepEqual(parseTriple('x86_64-w64-mingw32').skeleton?.kernel, { value: 'windows', offset: 11, length: 7 });
  });

  test('every lib.systems.examples config parses', () => {
    for (const example of SYSTEM_EXAMPLES) {
      assert.deepEqual(parseTriple(example.config).problems, [], example.name);
    }
  });

  test('every double in lib.systems.doubles.all parses back to itself', () => {
    for (const double of ALL_DOUBLES) {
      assert.equal(parseTriple(double).system?.double, double, double);
    }
  });
});

describe('parseTriple: strings nixpkgs rejects', () => {
  // [input, kind, offset, length, suggestion, suggestedSystem, nixError]
  const cases: [string, string, number, number, string | undefined, string | undefined, string | undefined][] = [
    ['riscv46-unknown-linux-gnu', 'cpu', 0, 7, 'riscv64', 'riscv64-unknown-linux-gnu', 'Unknown CPU type: riscv46'],
    ['RISCV64-linux', 'cpu', 0, 7, 'riscv64', 'riscv64-linux', 'Unknown CPU type: RISCV64'],
    ['amd64-linux', 'cpu', 0, 5, 'x86_64', 'x86_64-linux', 'Unknown CPU type: amd64'],
    ['riscv64-unknwn-linux-gnu', 'vendor', 8, 6, 'unknown', 'riscv64-unknown-linux-gnu', 'Unknown vendor: unknwn'],
    ['riscv64-unknown-linx-gnu', 'kernel', 16, 4, 'linux', 'riscv64-unknown-linux-gnu', 'Unknown kernel: linx'],
    ['riscv64-unknown-elf', 'kernel', 8, 7, 'none', 'riscv64-none-elf', 'Unknown kernel: unknown'],
    ['riscv64-unknown-linux-gnuu', 'abi', 22, 4, 'gnu', 'riscv64-unknown-linux-gnu', 'Unknown ABI: gnuu'],
    ['riscv64-unknown-linux-glibc', 'abi', 22, 5, 'gnu', 'riscv64-unknown-linux-gnu', 'Unknown ABI: glibc'],
    [
      'armv7l-unknown-linux-gnu',
      'abi-assertion',
      21,
      3,
      'gnueabihf',
      'armv7l-unknown-linux-gnueabihf',
      'The "gnu" ABI is ambiguous on 32-bit ARM. Use "gnueabi" or "gnueabihf" instead.',
    ],
    [
      'x86_64-pc-linux',
      'shape',
      0,
      15,
      undefined,
      'x86_64-unknown-linux-gnu',
      "system string 'x86_64-pc-linux' with 3 components is ambiguous",
    ],
    ['riscv64', 'shape', 0, 7, undefined, 'riscv64-linux', "system string 'riscv64' with 1 component is ambiguous"],
    [
      'riscv64-unknown-linux-gnu-gcc',
      'shape',
      0,
      29,
      undefined,
      undefined,
      "system string 'riscv64-unknown-linux-gnu-gcc' has invalid number of hyphen-separated components",
    ],
    ['riscv64--linux', 'shape', 8, 0, undefined, 'riscv64-linux', undefined],
  ];
  for (const [input, kind, offset, length, suggestion, suggestedSystem, nixError] of cases) {
    test(input, () => {
      const result = parseTriple(input);
      assert.equal(result.system, undefined);
      assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
      const [problem] = result.problems;
      assert.equal(problem.kind, kind);
      assert.equal(problem.offset, offset);
      assert.equal(problem.length, length);
      assert.equal(problem.suggestion, suggestion);
      assert.equal(problem.suggestedSystem, suggestedSystem);
      assert.equal(problem.nixError, nixError);
      if (suggestion !== undefined) assert.match(problem.message, new RegExp(`Did you mean "${suggestion}"`));
    });
  }

  test('a typo far from every name gets no suggestion', () => {
    const [problem] = parseTriple('zzzzzz-unknown-linux-gnu').problems;
    assert.equal(problem.kind, 'cpu');
    assert.equal(problem.suggestion, undefined);
    assert.doesNotMatch(problem.message, /Did you mean/);
  });

  test('reports every unknown component, not just the first', () => {
    const kinds = parseTriple('riscv46-unknwn-linx-gnuu').problems.map((p) => p.kind);
    assert.deepEqual(kinds, ['cpu', 'vendor', 'kernel', 'abi']);
  });

  test('the empty string', () => {
    const result = parseTriple('');
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].kind, 'shape');
  });
});

describe('parseSystemDouble', () => {
  test('riscv64-linux is a listed double', () => {
    const result = parseSystemDouble('riscv64-linux');
    assert.deepEqual(result.problems, []);
    assert.equal(result.isDouble, true);
    assert.equal(result.isListed, true);
    assert.deepEqual(result.notes, []);
  });

  test('a full triple works but is noted', () => {
    const result = parseSystemDouble('riscv64-unknown-linux-gnu');
    assert.deepEqual(result.problems, []);
    assert.equal(result.isDouble, false);
    assert.equal(result.notes.length, 1);
    assert.match(result.notes[0], /"riscv64-linux"/);
  });

  test('an alias is normalised', () => {
    const result = parseSystemDouble('x86_64-macos');
    assert.equal(result.system?.double, 'x86_64-darwin');
    assert.match(result.notes.join('\n'), /normalises "x86_64-macos" to "x86_64-darwin"/);
  });

  test('a parseable but unlisted double is noted', () => {
    const result = parseSystemDouble('riscv64-freebsd');
    assert.deepEqual(result.problems, []);
    assert.equal(result.isListed, false);
    assert.match(result.notes.join('\n'), /not in lib\.systems\.doubles\.all/);
  });

  test('a typo in a double is an error with a suggestion', () => {
    const result = parseSystemDouble('riscv64-linxu');
    assert.equal(result.problems[0].kind, 'kernel');
    assert.equal(result.problems[0].suggestedSystem, 'riscv64-linux');
  });

  test('common doubles for completion', () => {
    assert.deepEqual(COMMON_DOUBLES.slice(0, 5), [
      'x86_64-linux',
      'aarch64-linux',
      'riscv64-linux',
      'aarch64-darwin',
      'x86_64-darwin',
    ]);
    for (const double of COMMON_DOUBLES) assert.ok(ALL_DOUBLES.includes(double), double);
    for (const double of FLAKE_EXPOSED_DOUBLES) assert.ok(COMMON_DOUBLES.includes(double), double);
  });
});

describe('lib.systems.examples', () => {
  test('RISC-V examples come first', () => {
    assert.deepEqual(EXAMPLE_NAMES.slice(0, 5), [
      'riscv64',
      'riscv32',
      'riscv64-musl',
      'riscv64-embedded',
      'riscv32-embedded',
    ]);
    assert.ok(SYSTEM_EXAMPLES.slice(5).every((e) => e.group !== 'riscv'));
  });

  // [name, config, libc]
  const lookups: [string, string, string | null | undefined][] = [
    ['riscv64', 'riscv64-unknown-linux-gnu', undefined],
    ['riscv32', 'riscv32-unknown-linux-gnu', undefined],
    ['riscv64-musl', 'riscv64-unknown-linux-musl', undefined],
    ['riscv64-embedded', 'riscv64-none-elf', 'newlib'],
    ['riscv32-embedded', 'riscv32-none-elf', 'newlib'],
    ['aarch64-multiplatform', 'aarch64-unknown-linux-gnu', undefined],
    ['mingwW64', 'x86_64-w64-mingw32', 'msvcrt'],
    ['arm-embedded-nano', 'arm-none-eabi', 'newlib-nano'],
    ['x86_64-unknown-uefi', 'x86_64-unknown-uefi', null],
  ];
  for (const [name, config, libc] of lookups) {
    test(`exampleByName(${name})`, () => {
      const example = exampleByName(name);
      assert.ok(example);
      assert.equal(example.config, config);
      assert.equal(example.libc, libc);
    });
  }

  test('gcc settings merged from platforms.nix', () => {
    assert.deepEqual(exampleByName('raspberryPi')?.gcc, { arch: 'armv6kz', fpu: 'vfpv2' });
    assert.deepEqual(exampleByName('ppc64-musl')?.gcc, { abi: 'elfv2' });
    assert.equal(exampleByName('riscv64')?.gcc, undefined, 'RISC-V examples leave gcc.arch to GCC');
  });

  test('aliases point at existing examples with the same config', () => {
    assert.equal(exampleByName('ppc64')?.aliasOf, 'ppc64-elfv2');
    for (const example of SYSTEM_EXAMPLES.filter((e) => e.aliasOf !== undefined)) {
      assert.equal(exampleByName(example.aliasOf!)?.config, example.config, example.name);
    }
  });

  test('names are unique and unknown names are absent', () => {
    assert.equal(new Set(EXAMPLE_NAMES).size, EXAMPLE_NAMES.length);
    assert.equal(exampleByName('riscv128'), undefined);
    assert.equal(exampleByName('toString'), undefined);
  });

  test('examplesForConfig', () => {
    assert.deepEqual(
      examplesForConfig('riscv64-unknown-linux-gnu').map((e) => e.name),
      ['riscv64'],
    );
    assert.deepEqual(
      examplesForConfig('x86_64-w64-mingw32').map((e) => e.name),
      ['mingw-msvcrt-x86_64', 'mingw-ucrt-x86_64', 'mingw-ucrt-x86_64-llvm', 'mingwW64', 'ucrt64'],
    );
    assert.deepEqual(examplesForConfig('riscv64-unknown-elf'), []);
  });
});

describe('parseIsa: valid ISA strings', () => {
  // [isa, xlen, base, extensions it must include, extensions it must not include]
  const cases: [string, 32 | 64, string, string[], string[]][] = [
    ['rv64gc', 64, 'g', ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei'], ['v', 'e']],
    ['rv64imafdc', 64, 'i', ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr'], ['zifencei']],
    ['rv32imac', 32, 'i', ['i', 'm', 'a', 'c'], ['f', 'd']],
    ['rv64gc_zba_zbb', 64, 'g', ['d', 'c', 'zba', 'zbb'], ['zbs']],
    ['rv32e', 32, 'e', ['e'], ['i', 'm']],
    ['rv64e', 64, 'e', ['e'], ['i']],
    ['rv64gcv', 64, 'g', ['v', 'd', 'zve64d'], []],
    ['rv32imafc', 32, 'i', ['f', 'zicsr'], ['d']],
    ['rv32id', 32, 'i', ['d', 'f'], []],
    ['rv64gcb', 64, 'g', ['zba', 'zbb', 'zbs'], []],
    ['rv64i_m_a', 64, 'i', ['m', 'a'], []],
    ['rv64i2p1_m2p0', 64, 'i', ['m'], []],
    ['rv64gczicond', 64, 'g', ['zicond'], []],
    ['rv64gc_zicsr_zifencei_svinval_xtheadba', 64, 'g', ['svinval', 'xtheadba'], []],
    ['rv64gc_zvl512b_zve64d', 64, 'g', ['zvl512b', 'zve64d', 'f'], []],
  ];
  for (const [isa, xlen, base, present, absent] of cases) {
    test(isa, () => {
      const parsed = parseIsa(isa);
      assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
      assert.equal(parsed.valid, true);
      assert.equal(parsed.xlen, xlen);
      assert.equal(parsed.base, base);
      for (const ext of present) assert.ok(parsed.extensions.has(ext), `${isa} has ${ext}`);
      for (const ext of absent) assert.ok(!parsed.extensions.has(ext), `${isa} lacks ${ext}`);
    });
  }
});

describe('parseIsa: invalid ISA strings', () => {
  // [isa, offset of the first error, fragment of its message, suggestion]
  const cases: [string, number, RegExp, string | undefined][] = [
    ['RV64GC', 0, /lower-case/, 'rv64gc'],
    ['rv64cg', 4, /base ISA/, 'rv64gc'],
    ['rv128i', 2, /RV128/, 'rv64i'],
    ['rv64', 4, /names no base/, 'rv64gc'],
    ['rv64x', 4, /base ISA/, undefined],
    ['rv64gc_', 6, /Trailing underscore/, 'rv64gc'],
    ['rv64gc__zba', 6, /Two underscores/, 'rv64gc_zba'],
    ['rv64imafdcm', 10, /"m" appears twice/, 'rv64imafdc'],
    ['rv64imacf', 8, /out of canonical order/, 'rv64imafc'],
    // g is imafd (with zicsr and zifencei): each of m, a, f and d after it is an error.
    ['rv64gm', 5, /"m" is already part of "g"/, 'rv64g'],
    ['rv64ga', 5, /"a" is already part of "g"/, 'rv64g'],
    ['rv64gf', 5, /"f" is already part of "g"/, 'rv64g'],
    ['rv64gd', 5, /"d" is already part of "g"/, 'rv64g'],
    ['rv32gcd', 6, /"d" is already part of "g"/, 'rv32gc'],
    ['rv64gcg', 6, /"g" can only be the base/, undefined],
    ['rv64gcl', 6, /no ratified extension/, undefined],
    ['rv64gcy', 6, /not a RISC-V single-letter extension/, undefined],
    ['rv64gc_zba_m', 11, /must come before the multi-letter/, 'rv64gc_zba'],
    ['rv64gc_xfoo_zba', 12, /Vendor extensions/, 'rv64gc_zba_xfoo'],
    ['rv64gc_z', 7, /incomplete/, undefined],
    ['rv64gc_zba_zba', 11, /"zba" appears twice/, 'rv64gc_zba'],
    ['rv32gc-zba', 6, /Unexpected character "-"/, undefined],
    ['x86-64', 0, /starts with rv32 or rv64/, undefined],
    ['rv48gc', 2, /not a RISC-V register width/, undefined],
    ['rv', 2, /followed by the register width/, undefined],
    ['rva24u64', 0, /not one that exists/, 'rva23u64'],
    ['rva23u64gc', 8, /only "_"-separated extensions/, undefined],
  ];
  for (const [isa, offset, message, suggestion] of cases) {
    test(isa, () => {
      const parsed = parseIsa(isa);
      assert.equal(parsed.valid, false);
      const error = parsed.problems.find((p) => p.severity === 'error');
      assert.ok(error, 'has an error');
      assert.equal(error.offset, offset);
      assert.match(error.message, message);
      assert.equal(error.suggestion, suggestion);
    });
  }

  test('a late single letter is moved before the multi-letter extensions', () => {
    // (In rv64gc_zba_m the m is also part of g, so the suggestion drops it.)
    assert.equal(parseIsa('rv64i_zba_m').problems[0].suggestion, 'rv64im_zba');
  });

  test('an unknown but well-formed z extension is accepted, with a hint when close to a known one', () => {
    const near = parseIsa('rv64gc_zbbb');
    assert.equal(near.valid, true);
    assert.equal(near.problems.length, 1);
    assert.equal(near.problems[0].severity, 'info');
    assert.equal(near.problems[0].suggestion, 'rv64gc_zbb');
    const far = parseIsa('rv64gc_zfoobar');
    assert.equal(far.valid, true);
    assert.deepEqual(far.problems, []);
  });

  test('RISC-V profile names are accepted with a warning', () => {
    const parsed = parseIsa('rva23u64_zbc');
    assert.equal(parsed.valid, true);
    assert.equal(parsed.profile, 'rva23u64');
    assert.equal(parsed.xlen, 64);
    assert.ok(parsed.extensions.has('v') && parsed.extensions.has('d') && parsed.extensions.has('zbc'));
    assert.deepEqual(
      parsed.problems.map((p) => p.severity),
      ['warning'],
    );
    assert.match(parsed.problems[0].message, /profile/);
    assert.equal(bestAbi(parsed), 'lp64d');
    assert.deepEqual(abisFor('rvi20u32'), ['ilp32']);
  });

  test('P is accepted with a warning', () => {
    const parsed = parseIsa('rv32i2_p2');
    assert.equal(parsed.valid, true);
    assert.equal(parsed.problems[0].severity, 'warning');
    assert.equal(parsed.canonical, 'rv32i2_p2', 'version before a letter keeps its underscore');
  });
});

describe('RISC-V ABIs', () => {
  test('the ABI list', () => {
    assert.deepEqual([...RISCV_ABIS], ['ilp32', 'ilp32f', 'ilp32d', 'ilp32e', 'lp64', 'lp64f', 'lp64d', 'lp64e']);
  });

  // [isa, abi, fits, suggested ABI when it does not]
  const fits: [string, string, boolean, string | undefined][] = [
    ['rv64gc', 'lp64d', true, undefined],
    ['rv64gc', 'lp64', true, undefined],
    ['rv64gc', 'ilp32d', false, 'lp64d'],
    ['rv64imac', 'lp64d', false, 'lp64'],
    ['rv64imac', 'lp64f', false, 'lp64'],
    ['rv64imafc', 'lp64d', false, 'lp64f'],
    ['rv32e', 'ilp32e', true, undefined],
    ['rv32e', 'ilp32', false, 'ilp32e'],
    ['rv32i', 'ilp32e', false, 'ilp32'],
    ['rv32imafc', 'ilp32f', true, undefined],
    ['rv32imafc', 'ilp32d', false, 'ilp32f'],
    ['rv32gc', 'lp64d', false, 'ilp32d'],
    ['rv64e', 'lp64e', true, undefined],
    ['rv64e', 'lp64', false, 'lp64e'],
    ['rv64gc', 'lp64x', false, 'lp64'],
  ];
  for (const [isa, abi, ok, suggestion] of fits) {
    test(`${isa} + ${abi}: ${ok ? 'fits' : 'does not fit'}`, () => {
      const mismatch = checkAbi(isa, abi);
      if (ok) {
        assert.equal(mismatch, undefined);
      } else {
        assert.ok(mismatch, 'mismatch reported');
        assert.equal(mismatch.suggestion, suggestion);
        assert.ok(mismatch.message.length > 0);
      }
    });
  }

  test('messages say what is wrong', () => {
    assert.match(checkAbi('rv64gc', 'ilp32d')!.message, /32-bit ABI.*64-bit ISA/);
    assert.match(checkAbi('rv64imac', 'lp64d')!.message, /no D extension/);
    assert.match(checkAbi('rv32i', 'ilp32e')!.message, /reduced rv32e base/);
    assert.match(checkAbi('rv32ed', 'ilp32e')!.message, /does not support the D extension/);
  });

  // [isa, abisFor, abisFor on Linux]
  const orders: [string, string[], string[]][] = [
    ['rv64gc', ['lp64d', 'lp64f', 'lp64'], ['lp64d', 'lp64']],
    ['rv64gcv', ['lp64d', 'lp64f', 'lp64'], ['lp64d', 'lp64']],
    ['rv64imafc', ['lp64f', 'lp64'], ['lp64']],
    ['rv64imac', ['lp64'], ['lp64']],
    ['rv32gc', ['ilp32d', 'ilp32f', 'ilp32'], ['ilp32d', 'ilp32']],
    ['rv32imac', ['ilp32'], ['ilp32']],
    ['rv32e', ['ilp32e'], []],
    ['rv64e', ['lp64e'], []],
  ];
  for (const [isa, all, linux] of orders) {
    test(`abisFor(${isa})`, () => {
      assert.deepEqual(abisFor(isa), all);
      assert.deepEqual(abisFor(isa, { linux: true }), linux);
      assert.equal(bestAbi(isa), all[0]);
    });
  }

  test('a 64-bit ISA never gets an ilp32 ABI', () => {
    for (const isa of ['rv64gc', 'rv64i', 'rv64imac', 'rv64e', 'rv64gcv_zba']) {
      assert.ok(abisFor(isa).every((abi) => abi.startsWith('lp64')), isa);
    }
  });

  test('abisFor and checkAbi agree on every pair', () => {
    for (const isa of ['rv64gc', 'rv64imac', 'rv64imafc', 'rv32e', 'rv32ef', 'rv32ed', 'rv32i', 'rv32gc', 'rv64e', 'rv64gcv']) {
      for (const abi of RISCV_ABIS) {
        assert.equal(abisFor(isa).includes(abi), checkAbi(isa, abi) === undefined, `${isa} + ${abi}`);
      }
    }
  });

  test('an ISA too broken to judge gets no ABI and no verdict', () => {
    assert.deepEqual(abisFor('rv128i'), []);
    assert.equal(bestAbi('x86-64'), undefined);
    assert.equal(checkAbi('rv64', 'lp64d'), undefined);
  });

  test("GCC's default ABI for an arch without gcc.abi", () => {
    assert.equal(gccDefaultAbi('rv64gc'), 'lp64d');
    assert.equal(gccDefaultAbi('rv64imac'), 'lp64');
    assert.equal(gccDefaultAbi('rv32imafc'), 'ilp32', 'configure never picks an f ABI');
    assert.equal(gccDefaultAbi('rv32e'), 'ilp32e');
  });

  test('commonArches', () => {
    assert.equal(commonArches(64)[0].arch, 'rv64gc');
    assert.equal(commonArches(32)[0].arch, 'rv32imac');
    for (const xlen of [32, 64] as const) {
      for (const { arch, abi } of commonArches(xlen)) {
        const parsed = parseIsa(arch);
        assert.equal(parsed.valid, true, arch);
        assert.equal(parsed.xlen, xlen, arch);
        assert.equal(checkAbi(parsed, abi), undefined, `${arch} + ${abi}`);
      }
    }
    assert.equal(commonArches().length, commonArches(32).length + commonArches(64).length);
  });
});

describe('RISC-V and platforms', () => {
  test('riscvXlenOfSystem', () => {
    assert.equal(riscvXlenOfSystem('riscv64-unknown-linux-gnu'), 64);
    assert.equal(riscvXlenOfSystem('riscv64-linux'), 64);
    assert.equal(riscvXlenOfSystem('riscv32-none-elf'), 32);
    assert.equal(riscvXlenOfSystem('x86_64-linux'), undefined);
    assert.equal(riscvXlenOfSystem('riscv'), undefined);
  });

  // [config, gcc, expected (field, suggestion) pairs]
  const settings: [string, { arch?: string; abi?: string }, [string, string | undefined][]][] = [
    ['riscv64-unknown-linux-gnu', { arch: 'rv64gc', abi: 'lp64d' }, []],
    ['riscv64-unknown-linux-gnu', {}, []],
    ['riscv64-unknown-linux-gnu', { arch: 'rv64imac', abi: 'lp64d' }, [['abi', 'lp64']]],
    ['riscv64-unknown-linux-gnu', { arch: 'rv32imac' }, [['arch', 'rv64imac']]],
    ['riscv64-unknown-linux-gnu', { abi: 'ilp32d' }, [['abi', 'lp64d']]],
    ['riscv64-unknown-linux-gnu', { abi: 'lp64dd' }, [['abi', 'lp64d']]],
    ['riscv64-unknown-linux-gnu', { arch: 'rv64imafc', abi: 'lp64f' }, [['abi', 'lp64']]],
    ['riscv64-none-elf', { arch: 'rv64imafc', abi: 'lp64f' }, []],
    ['riscv32-none-elf', { arch: 'rv32e', abi: 'ilp32e' }, []],
    ['riscv32-none-elf', { arch: 'RV32IMAC' }, [['arch', 'rv32imac']]],
    ['x86_64-unknown-linux-gnu', { arch: 'rv64gc' }, [['arch', undefined]]],
    ['aarch64-unknown-linux-gnu', { arch: 'armv8-a' }, []],
  ];
  for (const [config, gcc, expected] of settings) {
    test(`checkGccSettings(${config}, ${JSON.stringify(gcc)})`, () => {
      const problems = checkGccSettings(config, gcc);
      assert.deepEqual(
        problems.map((p) => [p.field, p.suggestion]),
        expected,
        problems.map((p) => p.message).join('\n'),
      );
    });
  }
});

describe('suggestions', () => {
  test('edit distance counts a swap as one edit', () => {
    assert.equal(editDistance('riscv46', 'riscv64'), 1);
    assert.equal(editDistance('linux', 'linux'), 0);
    assert.equal(editDistance('', 'gnu'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('closestMatch', () => {
    assert.equal(closestMatch('aarch46', ['aarch64', 'x86_64']), 'aarch64');
    assert.equal(closestMatch('LP64D', ['lp64d', 'lp64']), 'lp64d');
    assert.equal(closestMatch('windows', ['linux', 'none']), undefined);
  });
});
