/**
 * RISC-V ISA strings (`gcc.arch = "rv64gc"`) and ABIs (`gcc.abi = "lp64d"`).
 *
 * nixpkgs hands `crossSystem.gcc.arch` and `gcc.abi` to GCC's configure as
 * `--with-arch`/`--with-abi` without checking them, so a typo surfaces as a
 * failed GCC build after a long bootstrap, and a mismatched pair (`rv64imac`
 * with `lp64d`) as a configure error in the middle of it. This module checks
 * both while the user types.
 *
 * Rules (RISC-V unprivileged ISA manual, chapter "ISA Extension Naming
 * Conventions", riscv/riscv-isa-manual `src/naming.adoc`):
 * - `rv32` or `rv64`, then the base: `i`, `e` (16 registers) or `g`, which
 *   abbreviates `imafd_zicsr_zifencei`. RV128I exists in the manual but no
 *   compiler or nixpkgs platform supports it. RV64E was ratified with RVE 2.0
 *   (the manual's naming chapter lists RV32E and RV64E), GCC 14 and LLVM accept
 *   it with the `lp64e` ABI, so `rv64e` is accepted here.
 * - Single-letter extensions follow in canonical order. The current manual's
 *   table orders M A F D (G) Q C P V H; older editions also reserved L, B, J,
 *   T, N, and Linux's `Documentation/arch/riscv/uabi.rst` uses
 *   "IMAFDQLCBKJTPVH". This module uses that order. B was ratified in 2024 as
 *   `zba_zbb_zbs`; L, J, T, K and N name no ratified extension.
 * - Multi-letter extensions (`z...` standard, `s...` supervisor/machine
 *   level, `x...` vendor) come after every single letter, separated from each
 *   other by underscores; vendor `x` extensions come last. Underscores may also
 *   separate single letters. Any extension may carry a version (`i2p1`).
 * - GCC only takes lower case (the manual calls the names case-insensitive,
 *   but `-march=RV64GC` is an error), so upper case is reported.
 * - A RISC-V profile name (`rva23u64`, optionally followed by `_zbc` ...) is
 *   accepted with a warning: recent GCC releases take profiles in `-march`
 *   and `--with-arch`, older ones do not.
 */

import { cpuOf, cpuType } from './systems';
import { closestMatch } from './suggest';

export type RiscvXlen = 32 | 64;
export type RiscvBase = 'i' | 'e' | 'g';

/** A problem inside an ISA string. Offsets are relative to the string's first character. */
export interface IsaProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** `error`: GCC rejects it. `warning`: legal but probably not meant. `info`: a typo hint. */
  readonly severity: 'error' | 'warning' | 'info';
  /** The whole ISA string corrected, when the fix is unambiguous. */
  readonly suggestion?: string;
}

export interface ParsedIsa {
  readonly input: string;
  /** 32 or 64; absent when the `rv` prefix is missing or names another width. */
  readonly xlen?: RiscvXlen;
  /** The base letter as written (`g` stays `g`; see `extensions` for its expansion). */
  readonly base?: RiscvBase;
  /** Single-letter extensions after the base, as written, without version numbers. */
  readonly singleLetter: readonly string[];
  /** Multi-letter extensions as written, without version numbers. */
  readonly multiLetter: readonly string[];
  /**
   * Everything the string turns on: the integer base (`i` or `e`), `g`
   * expanded to `i m a f d zicsr zifencei`, and what extensions imply
   * (`d` → `f`, `f` → `zicsr`, `v` → `d`, `b` → `zba zbb zbs`, ...).
   */
  readonly extensions: ReadonlySet<string>;
  readonly problems: readonly IsaProblem[];
  /** True when no problem is an error. */
  readonly valid: boolean;
  /** The string rewritten in canonical order without duplicates, when that can be worked out. */
  readonly canonical?: string;
  /** The RISC-V profile the string starts with (`rva23u64`), if it is a profile name. */
  readonly profile?: string;
}

/** A RISC-V extension known by name, for completion and hover. */
export interface RiscvExtension {
  readonly name: string;
  readonly description: string;
  /** False for letters the manual reserves or drafts without a ratified extension. */
  readonly ratified: boolean;
}

/** Single-letter extensions in canonical order (after the base). */
export const SINGLE_LETTER_ORDER = 'mafdqlcbkjtpvh';

/** The single letters, with what they mean. Bases first, then canonical order. */
export const SINGLE_LETTER_EXTENSIONS: readonly RiscvExtension[] = [
  { name: 'i', description: 'base integer instruction set (32 registers)', ratified: true },
  { name: 'e', description: 'reduced base integer instruction set (16 registers), for small cores', ratified: true },
  { name: 'g', description: 'general purpose: imafd plus zicsr and zifencei', ratified: true },
  { name: 'm', description: 'integer multiplication and division', ratified: true },
  { name: 'a', description: 'atomic instructions', ratified: true },
  { name: 'f', description: 'single-precision floating point', ratified: true },
  { name: 'd', description: 'double-precision floating point', ratified: true },
  { name: 'q', description: 'quad-precision floating point', ratified: true },
  { name: 'c', description: 'compressed (16-bit) instructions', ratified: true },
  { name: 'b', description: 'bit manipulation: zba, zbb and zbs', ratified: true },
  { name: 'p', description: 'packed SIMD (draft, not ratified)', ratified: false },
  { name: 'v', description: 'vector extension (RVV 1.0)', ratified: true },
  { name: 'h', description: 'hypervisor extension', ratified: true },
];

/** Letters in the canonical order that name nothing ratified; compilers reject them. */
const RESERVED_LETTERS = new Set(['l', 'j', 't', 'k', 'n']);

/**
 * Multi-letter extensions worth offering in completion. Any other well-formed
 * `z`/`s`/`x` name is accepted too; this list only powers completion, hover
 * and "did you mean".
 */
export const MULTI_LETTER_EXTENSIONS: readonly RiscvExtension[] = [
  ['zicsr', 'control and status register instructions'],
  ['zifencei', 'instruction-fetch fence'],
  ['zicntr', 'base counters and timers'],
  ['zihpm', 'hardware performance counters'],
  ['zicond', 'integer conditional operations'],
  ['zicbom', 'cache-block management'],
  ['zicboz', 'cache-block zero'],
  ['zicbop', 'cache-block prefetch hints'],
  ['zihintpause', 'pause hint'],
  ['zihintntl', 'non-temporal locality hints'],
  ['zimop', 'may-be-operations'],
  ['zmmul', 'multiplication only (no division)'],
  ['zaamo', 'atomic memory operations'],
  ['zalrsc', 'load-reserved/store-conditional'],
  ['zacas', 'atomic compare-and-swap'],
  ['zabha', 'byte and halfword atomics'],
  ['zawrs', 'wait on reservation set'],
  ['zfh', 'half-precision floating point'],
  ['zfhmin', 'minimal half-precision floating point'],
  ['zfa', 'additional floating-point instructions'],
  ['zfinx', 'single-precision floating point in integer registers'],
  ['zdinx', 'double-precision floating point in integer registers'],
  ['zhinx', 'half-precision floating point in integer registers'],
  ['zhinxmin', 'minimal half-precision floating point in integer registers'],
  ['zfbfmin', 'scalar BF16 conversions'],
  ['zca', 'compressed instructions without floating-point loads/stores'],
  ['zcb', 'additional compressed instructions'],
  ['zcd', 'compressed double-precision loads and stores'],
  ['zcf', 'compressed single-precision loads and stores (RV32 only)'],
  ['zcmp', 'compressed push/pop'],
  ['zcmt', 'compressed table jumps'],
  ['zcmop', 'compressed may-be-operations'],
  ['zba', 'address generation (bit manipulation)'],
  ['zbb', 'basic bit manipulation'],
  ['zbc', 'carry-less multiplication'],
  ['zbs', 'single-bit instructions'],
  ['zbkb', 'bit manipulation for cryptography'],
  ['zbkc', 'carry-less multiplication for cryptography'],
  ['zbkx', 'crossbar permutations'],
  ['zk', 'scalar cryptography (NIST suite, entropy source, data-independent timing)'],
  ['zkne', 'AES encryption'],
  ['zknd', 'AES decryption'],
  ['zknh', 'SHA-2 hashes'],
  ['zksed', 'SM4 block cipher'],
  ['zksh', 'SM3 hash'],
  ['zkn', 'NIST algorithm suite'],
  ['zks', 'ShangMi algorithm suite'],
  ['zkr', 'entropy source'],
  ['zkt', 'data-independent execution latency'],
  ['zve32x', 'embedded vector, 32-bit integer elements'],
  ['zve32f', 'embedded vector with single-precision floats'],
  ['zve64x', 'embedded vector, 64-bit integer elements'],
  ['zve64f', 'embedded vector, 64-bit elements, single-precision floats'],
  ['zve64d', 'embedded vector with double-precision floats'],
  ['zvl32b', 'vector length at least 32 bits'],
  ['zvl64b', 'vector length at least 64 bits'],
  ['zvl128b', 'vector length at least 128 bits'],
  ['zvl256b', 'vector length at least 256 bits'],
  ['zvl512b', 'vector length at least 512 bits'],
  ['zvl1024b', 'vector length at least 1024 bits'],
  ['zvfh', 'vector half-precision floating point'],
  ['zvfhmin', 'minimal vector half-precision floating point'],
  ['zvbb', 'vector basic bit manipulation'],
  ['zvbc', 'vector carry-less multiplication'],
  ['zvkb', 'vector cryptography bit manipulation'],
  ['zvkg', 'vector GCM/GMAC'],
  ['zvkned', 'vector AES'],
  ['zvknha', 'vector SHA-256'],
  ['zvknhb', 'vector SHA-256 and SHA-512'],
  ['zvksed', 'vector SM4'],
  ['zvksh', 'vector SM3'],
  ['zvkt', 'vector data-independent execution latency'],
  ['zvkn', 'vector NIST algorithm suite'],
  ['zvknc', 'vector NIST suite with carry-less multiply'],
  ['zvkng', 'vector NIST suite with GCM'],
  ['zvks', 'vector ShangMi algorithm suite'],
  ['zvksc', 'vector ShangMi suite with carry-less multiply'],
  ['zvksg', 'vector ShangMi suite with GCM'],
  ['zvfbfmin', 'vector BF16 conversions'],
  ['zvfbfwma', 'vector BF16 widening multiply-add'],
  ['ztso', 'total store ordering'],
  ['zicfilp', 'control-flow integrity: landing pads'],
  ['zicfiss', 'control-flow integrity: shadow stack'],
  ['zic64b', 'cache blocks are 64 bytes'],
  ['ziccamoa', 'main memory supports all atomics'],
  ['ziccif', 'main memory supports instruction fetch with atomicity'],
  ['zicclsm', 'main memory supports misaligned loads and stores'],
  ['ziccrse', 'main memory supports forward progress on LR/SC'],
  ['za64rs', 'reservation sets of at most 64 bytes'],
  ['za128rs', 'reservation sets of at most 128 bytes'],
  ['svinval', 'fine-grained address-translation cache invalidation'],
  ['svnapot', 'NAPOT translation contiguity'],
  ['svpbmt', 'page-based memory types'],
  ['svadu', 'hardware updating of A/D bits'],
  ['svvptc', 'no fence needed after making page-table entries valid'],
  ['smstateen', 'state-enable registers (machine level)'],
  ['ssstateen', 'state-enable registers (supervisor level)'],
  ['smepmp', 'PMP enhancements for memory access and execution prevention'],
  ['ssnpm', 'pointer masking (supervisor level)'],
  ['sstc', 'supervisor timer compare'],
  ['sscofpmf', 'counter overflow and mode-based filtering'],
  ['smaia', 'advanced interrupt architecture (machine level)'],
  ['ssaia', 'advanced interrupt architecture (supervisor level)'],
].map(([name, description]) => ({ name, description, ratified: true }));

const KNOWN_MULTI = new Set(MULTI_LETTER_EXTENSIONS.map((e) => e.name));

const RVA20 = ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zicntr', 'ziccif', 'ziccrse', 'ziccamoa', 'za128rs', 'zicclsm'];
const RVA22 = [
  ...RVA20.filter((e) => e !== 'za128rs'),
  'za64rs', 'zihpm', 'zihintpause', 'zba', 'zbb', 'zbs', 'zic64b', 'zicbom', 'zicbop', 'zicboz', 'zfhmin', 'zkt',
];
const RVB23 = [...RVA22, 'zihintntl', 'zicond', 'zimop', 'zcmop', 'zcb', 'zfa', 'zawrs'];
const RVA23 = [...RVB23, 'v', 'zvfhmin', 'zvbb', 'zvkt'];

/**
 * RISC-V profiles (RISC-V Profiles specification) with their mandatory
 * unprivileged extensions; the supervisor (`s64`) variants share them.
 */
export const RISCV_PROFILES: ReadonlyMap<string, readonly string[]> = new Map([
  ['rva23u64', RVA23],
  ['rva22u64', RVA22],
  ['rva20u64', RVA20],
  ['rvi20u64', ['i']],
  ['rvi20u32', ['i']],
  ['rva23s64', RVA23],
  ['rvb23u64', RVB23],
  ['rvb23s64', RVB23],
]);

/** An ISA string close to each profile, for compilers that predate profiles. */
const PROFILE_ISA: ReadonlyMap<string, string> = new Map([
  ['rva23u64', 'rv64gcv_zba_zbb_zbs'],
  ['rva23s64', 'rv64gcv_zba_zbb_zbs'],
  ['rvb23u64', 'rv64gc_zba_zbb_zbs'],
  ['rvb23s64', 'rv64gc_zba_zbb_zbs'],
  ['rva22u64', 'rv64gc_zba_zbb_zbs'],
  ['rva20u64', 'rv64gc'],
  ['rvi20u64', 'rv64i'],
  ['rvi20u32', 'rv32i'],
]);

/** What an extension brings with it, per the manual's "Implies" column and the extensions' chapters. */
const IMPLIES: ReadonlyMap<string, readonly string[]> = new Map([
  ['g', ['i', 'm', 'a', 'f', 'd', 'zicsr', 'zifencei']],
  ['m', ['zmmul']],
  ['f', ['zicsr']],
  ['d', ['f']],
  ['q', ['d']],
  ['v', ['d', 'zve64d', 'zvl128b']],
  ['b', ['zba', 'zbb', 'zbs']],
  ['zve64d', ['d', 'zve64f']],
  ['zve64f', ['f', 'zve64x', 'zve32f']],
  ['zve32f', ['f', 'zve32x']],
  ['zve64x', ['zve32x']],
  ['zfh', ['zfhmin']],
  ['zfhmin', ['f']],
  ['zfa', ['f']],
  ['zdinx', ['zfinx']],
  ['zk', ['zkn', 'zkr', 'zkt']],
  ['zkn', ['zbkb', 'zbkc', 'zbkx', 'zkne', 'zknd', 'zknh']],
  ['zks', ['zbkb', 'zbkc', 'zbkx', 'zksed', 'zksh']],
]);

// ---------------------------------------------------------------------------
// ISA strings

/** Parses and checks a RISC-V ISA string such as `rv64gc` or `rv32imac_zicsr`. */
export function parseIsa(input: string): ParsedIsa {
  return new IsaParser(input).run();
}

class IsaParser {
  private readonly s: string;
  private pos = 0;
  private readonly problems: MutableProblem[] = [];
  private xlen: RiscvXlen | undefined;
  private xlenDigits: string | undefined;
  private base: RiscvBase | undefined;
  private baseVersion = '';
  private readonly singles: { letter: string; version: string }[] = [];
  private readonly multis: { name: string; version: string; offset: number }[] = [];
  private profileName: string | undefined;
  private profileExtensions: readonly string[] = [];
  /** Problems that a canonical rewrite fixes; they get it as their suggestion. */
  private readonly fixedByCanonical: MutableProblem[] = [];

  constructor(private readonly input: string) {
    this.s = input.toLowerCase();
  }

  run(): ParsedIsa {
    const upper = /[A-Z]/.exec(this.input);
    if (upper !== null) {
      this.problem(
        upper.index,
        this.input.length - upper.index,
        `GCC only accepts lower-case ISA strings: write "${this.s}".`,
        'error',
        this.s,
      );
    }
    const profile = /^rv[abi]\d\d[us](?:32|64)/.exec(this.s);
    if (profile !== null) {
      this.profilePrefix(profile[0]);
    } else if (this.prefix()) {
      this.baseLetter();
      this.singleLetters();
      this.multiLetters();
    }
    return this.finish();
  }

  /** `rva23u64`, `rvi20u32_zba_zbb`, ... */
  private profilePrefix(name: string): void {
    const extensions = RISCV_PROFILES.get(name);
    if (extensions === undefined) {
      this.problem(
        0,
        name.length,
        `"${name}" looks like a RISC-V profile, but not one that exists (${[...RISCV_PROFILES.keys()].join(', ')}).`,
        'error',
        closestMatch(name, RISCV_PROFILES.keys()),
      );
      return;
    }
    this.profileName = name;
    this.xlenDigits = name.slice(-2);
    this.xlen = Number(this.xlenDigits) as RiscvXlen;
    this.base = 'i';
    this.profileExtensions = extensions;
    this.problem(
      0,
      name.length,
      `"${name}" is a RISC-V profile name: only recent GCC releases accept profiles; older ones need an ISA string, roughly "${PROFILE_ISA.get(name)}".`,
      'warning',
    );
    this.pos = name.length;
    if (this.pos === this.s.length) return;
    if (this.s[this.pos] !== '_') {
      this.problem(this.pos, this.s.length - this.pos, 'After a profile name only "_"-separated extensions may follow.', 'error');
      return;
    }
    this.pos++;
    if (this.pos === this.s.length) {
      this.problem(this.pos - 1, 1, 'Trailing underscore: remove it, or name an extension after it.', 'error', name);
      return;
    }
    this.multiLetters();
  }

  /** `rv32`/`rv64`. Returns false when there is nothing more to parse sensibly. */
  private prefix(): boolean {
    const m = /^rv(\d*)/.exec(this.s);
    if (m === null) {
      const digits = /^\d+/.exec(this.s);
      this.problem(
        0,
        Math.min(2, this.s.length),
        'A RISC-V ISA string starts with rv32 or rv64, like "rv64gc".',
        'error',
        digits !== null && (digits[0] === '32' || digits[0] === '64') ? `rv${this.s}` : undefined,
      );
      return false;
    }
    this.pos = m[0].length;
    const digits = m[1];
    if (digits === '32' || digits === '64') {
      this.xlen = Number(digits) as RiscvXlen;
      this.xlenDigits = digits;
    } else if (digits === '') {
      this.problem(2, 0, '"rv" must be followed by the register width: rv32 or rv64.', 'error');
    } else if (digits === '128') {
      this.problem(
        2,
        3,
        'RV128I is described in the ISA manual but not frozen, and neither GCC, LLVM nor nixpkgs supports it: use rv64.',
        'error',
        `rv64${this.s.slice(5)}`,
      );
    } else {
      this.problem(2, digits.length, `"rv${digits}" is not a RISC-V register width: use rv32 or rv64.`, 'error');
    }
    return true;
  }

  private baseLetter(): void {
    const at = this.pos;
    const ch = this.s[at];
    if (ch === undefined) {
      if (this.xlen === undefined) return; // the width problem already says enough
      const prefix = this.s;
      this.problem(
        at,
        0,
        `"${prefix}" names no base ISA: add i, e or g (${prefix}gc is the usual choice for Linux).`,
        'error',
        `${prefix}gc`,
      );
      return;
    }
    if (ch === 'i' || ch === 'e' || ch === 'g') {
      this.base = ch;
      this.pos++;
      this.baseVersion = this.version();
      return;
    }
    const p = this.problem(
      at,
      1,
      `After "${this.s.slice(0, at)}" comes the base ISA: i (integer), e (reduced, 16 registers) or g (imafd with zicsr and zifencei); found "${ch}".`,
      'error',
    );
    this.fixedByCanonical.push(p);
  }

  private singleLetters(): void {
    let highestRank = -1;
    let highestLetter = '';
    const seen = new Set<string>();
    while (this.pos < this.s.length) {
      const at = this.pos;
      const ch = this.s[at];
      if (ch === '_') {
        if (this.underscore()) return;
        continue;
      }
      if (ch === 'z' || ch === 's' || ch === 'x') return;
      this.pos++;
      if (!/[a-z]/.test(ch)) {
        this.problem(at, 1, `Unexpected character "${ch}" in the ISA string.`, 'error');
        continue;
      }
      const version = this.version();
      if (ch === 'i' || ch === 'e' || ch === 'g') {
        if (this.base === undefined) {
          // The base came late ("rv64cg"); take it so the canonical form can be offered.
          this.base = ch;
          this.baseVersion = version;
        } else if (ch === 'g') {
          this.problem(
            at,
            1,
            `"g" can only be the base, right after "rv${this.xlenDigits ?? '64'}": it stands for imafd with zicsr and zifencei.`,
            'error',
          );
        } else {
          this.problem(at, 1, `A second base "${ch}": the ISA string already has base "${this.base}".`, 'error');
        }
        continue;
      }
      if (RESERVED_LETTERS.has(ch)) {
        this.problem(at, 1, `"${ch}" is reserved in the canonical order but names no ratified extension; compilers reject it.`, 'error');
        continue;
      }
      const rank = SINGLE_LETTER_ORDER.indexOf(ch);
      if (rank < 0) {
        this.problem(at, 1, `"${ch}" is not a RISC-V single-letter extension.`, 'error');
        continue;
      }
      if (seen.has(ch)) {
        const p = this.problem(at, 1, `"${ch}" appears twice.`, 'error');
        this.fixedByCanonical.push(p);
        continue;
      }
      if (this.base === 'g' && 'mafd'.includes(ch)) {
        const p = this.problem(at, 1, `"${ch}" is already part of "g" (imafd with zicsr and zifencei).`, 'error');
        this.fixedByCanonical.push(p);
        continue;
      }
      seen.add(ch);
      if (rank < highestRank) {
        const p = this.problem(
          at,
          1,
          `"${ch}" is out of canonical order: it must come before "${highestLetter}" (the order is ${[...'mafdqcbpvh'].join(' ')}).`,
          'error',
        );
        this.fixedByCanonical.push(p);
      } else {
        highestRank = rank;
        highestLetter = ch;
      }
      if (ch === 'p') {
        this.problem(at, 1, '"p" (packed SIMD) is not ratified yet; released compilers may reject it.', 'warning');
      }
      this.singles.push({ letter: ch, version });
    }
  }

  /** At an underscore: reports empty segments; returns true when parsing is over. */
  private underscore(): boolean {
    const at = this.pos;
    if (at === this.s.length - 1) {
      this.problem(at, 1, 'Trailing underscore: remove it, or name an extension after it.', 'error', this.s.slice(0, at));
      this.pos++;
      return true;
    }
    if (this.s[at + 1] === '_') {
      this.problem(at, 2, 'Two underscores in a row: extensions are separated by a single "_".', 'error', collapseUnderscores(this.s));
      this.pos++;
      return false;
    }
    this.pos++;
    return false;
  }

  private multiLetters(): void {
    if (this.pos >= this.s.length) return;
    // Split what is left at underscores, keeping offsets.
    const rest = this.s.slice(this.pos);
    let offset = this.pos;
    const tokens = rest.split('_').map((text) => {
      const token = { text, offset };
      offset += text.length + 1;
      return token;
    });
    let sawSupervisor = false;
    let sawVendor = false;
    const seen = new Set<string>();
    tokens.forEach(({ text, offset: at }, index) => {
      if (text.length === 0) {
        if (index === tokens.length - 1) {
          this.problem(at - 1, 1, 'Trailing underscore: remove it, or name an extension after it.', 'error', this.s.slice(0, at - 1));
        } else if (index > 0) {
          this.problem(at - 1, 2, 'Two underscores in a row: extensions are separated by a single "_".', 'error', collapseUnderscores(this.s));
        }
        return;
      }
      const bad = /[^a-z0-9]/.exec(text);
      if (bad !== null) {
        this.problem(at + bad.index, 1, `Unexpected character "${text[bad.index]}" in the ISA string.`, 'error');
        return;
      }
      const kind = text[0];
      if (kind !== 'z' && kind !== 's' && kind !== 'x') {
        if (/^[a-z]$/.test(text) && SINGLE_LETTER_ORDER.includes(text)) {
          const p = this.problem(at, text.length, `Single-letter extension "${text}" must come before the multi-letter ones.`, 'error');
          this.fixedByCanonical.push(p);
          this.singles.push({ letter: text, version: '' });
        } else {
          this.problem(at, text.length, `"${text}": multi-letter extensions start with z (standard), s (privileged) or x (vendor).`, 'error');
        }
        return;
      }
      if (!/^[zsx][a-z]/.test(text)) {
        this.problem(at, text.length, `"${text}" is incomplete: "${kind}" must be followed by the extension's name, like "zba".`, 'error');
        return;
      }
      const { name, version } = splitVersion(text);
      if (seen.has(name)) {
        const p = this.problem(at, text.length, `"${name}" appears twice.`, 'error');
        this.fixedByCanonical.push(p);
        return;
      }
      seen.add(name);
      if (kind === 'x') {
        sawVendor = true;
      } else if (sawVendor) {
        const p = this.problem(at, text.length, `Vendor extensions (x...) must come after all standard ones, including "${name}".`, 'error');
        this.fixedByCanonical.push(p);
      } else if (kind === 'z' && sawSupervisor) {
        const p = this.problem(at, text.length, `"${name}" should come before the s... (privileged) extensions.`, 'warning');
        this.fixedByCanonical.push(p);
      }
      if (kind === 's') sawSupervisor = true;
      if (kind !== 'x' && !KNOWN_MULTI.has(name)) {
        const near = closestMatch(name, KNOWN_MULTI, 1);
        if (near !== undefined) {
          this.problem(at, name.length, `"${name}" is not an extension this checker knows; did you mean "${near}"?`, 'info', this.s.slice(0, at) + near + this.s.slice(at + name.length));
        }
      }
      this.multis.push({ name, version, offset: at });
    });
  }

  /** A version number after an extension: `2`, `2p1`. */
  private version(): string {
    const m = /^\d+(?:p\d+)?/.exec(this.s.slice(this.pos));
    if (m === null) return '';
    this.pos += m[0].length;
    return m[0];
  }

  private problem(
    offset: number,
    length: number,
    message: string,
    severity: IsaProblem['severity'],
    suggestion?: string,
  ): MutableProblem {
    const p: MutableProblem = { message, offset, length, severity };
    if (suggestion !== undefined) p.suggestion = suggestion;
    this.problems.push(p);
    return p;
  }

  private finish(): ParsedIsa {
    const extensions = new Set<string>();
    for (const ext of this.profileExtensions) addWithImplied(extensions, ext);
    if (this.base !== undefined) addWithImplied(extensions, this.base === 'e' ? 'e' : this.base);
    for (const { letter } of this.singles) addWithImplied(extensions, letter);
    for (const { name } of this.multis) addWithImplied(extensions, name);

    const canonical = this.canonical();
    if (canonical !== undefined) {
      for (const p of this.fixedByCanonical) {
        p.suggestion ??= canonical;
        if (!p.message.includes('Did you mean')) p.message += ` Did you mean "${canonical}"?`;
      }
    }
    const problems = [...this.problems].sort((a, b) => a.offset - b.offset);
    return {
      input: this.input,
      ...(this.xlen === undefined ? {} : { xlen: this.xlen }),
      ...(this.base === undefined ? {} : { base: this.base }),
      singleLetter: this.singles.map((s) => s.letter),
      multiLetter: this.multis.map((m) => m.name),
      extensions,
      problems,
      valid: problems.every((p) => p.severity !== 'error'),
      ...(canonical === undefined ? {} : { canonical }),
      ...(this.profileName === undefined ? {} : { profile: this.profileName }),
    };
  }

  /** Canonical spelling: base, letters in canonical order, then z..., s..., x... extensions. */
  private canonical(): string | undefined {
    if (this.profileName !== undefined) {
      return this.profileName + this.multis.map((m) => `_${m.name}${m.version}`).join('');
    }
    if (this.xlenDigits === undefined || this.base === undefined) return undefined;
    // A letter right after a version number needs an underscore: "rv32i2p2" is
    // version 2.2 of I, "rv32i2_p2" is I version 2 plus P version 2.
    let letters = '';
    let previousVersion = this.baseVersion;
    for (const s of [...new Map(this.singles.map((s) => [s.letter, s])).values()]
      .filter((s) => !(this.base === 'g' && 'mafd'.includes(s.letter)))
      .sort((a, b) => SINGLE_LETTER_ORDER.indexOf(a.letter) - SINGLE_LETTER_ORDER.indexOf(b.letter))) {
      letters += (previousVersion === '' ? '' : '_') + s.letter + s.version;
      previousVersion = s.version;
    }
    const classRank = (name: string): number => (name[0] === 'z' ? 0 : name[0] === 's' ? 1 : 2);
    const multis = [...this.multis]
      .sort((a, b) => classRank(a.name) - classRank(b.name))
      .map((m) => `_${m.name}${m.version}`)
      .join('');
    return `rv${this.xlenDigits}${this.base}${this.baseVersion}${letters}${multis}`;
  }
}

type MutableProblem = { message: string; offset: number; length: number; severity: IsaProblem['severity']; suggestion?: string };

function addWithImplied(into: Set<string>, name: string): void {
  if (into.has(name)) return;
  if (name !== 'g') into.add(name);
  for (const implied of IMPLIES.get(name) ?? []) addWithImplied(into, implied);
}

/** Splits `zba1p0` into `zba` + `1p0`, but leaves names with inner digits (`zvl128b`, `zve64x`, `sv39`) whole. */
function splitVersion(token: string): { name: string; version: string } {
  if (KNOWN_MULTI.has(token)) return { name: token, version: '' };
  const m = /^(.*?[a-z])(\d+(?:p\d+)?)$/.exec(token);
  if (m !== null && KNOWN_MULTI.has(m[1])) return { name: m[1], version: m[2] };
  return { name: token, version: '' };
}

function collapseUnderscores(s: string): string {
  return s.replace(/_+/g, '_').replace(/_$/, '');
}

/** Whether a parsed ISA includes an extension, counting `g` and implications (`hasExtension(isa, "f")`). */
export function hasExtension(isa: ParsedIsa, name: string): boolean {
  return isa.extensions.has(name);
}

// ---------------------------------------------------------------------------
// ABIs

/**
 * The RISC-V calling conventions (RISC-V psABI; GCC's `-mabi`). The first
 * seven are what every toolchain offers; `lp64e`, the ABI of RV64E, is newer
 * (GCC 14, LLVM) and listed last.
 */
export const RISCV_ABIS = ['ilp32', 'ilp32f', 'ilp32d', 'ilp32e', 'lp64', 'lp64f', 'lp64d', 'lp64e'] as const;
export type RiscvAbi = (typeof RISCV_ABIS)[number];

export interface RiscvAbiInfo {
  readonly name: RiscvAbi;
  readonly xlen: RiscvXlen;
  /** Widest floating-point type passed in FP registers: none, single (f) or double (d). */
  readonly float: 'none' | 'f' | 'd';
  /** The ABI of the reduced `e` base. */
  readonly reduced: boolean;
  readonly description: string;
}

export const RISCV_ABI_INFO: Readonly<Record<RiscvAbi, RiscvAbiInfo>> = {
  ilp32: { name: 'ilp32', xlen: 32, float: 'none', reduced: false, description: '32-bit, soft-float calling convention' },
  ilp32f: { name: 'ilp32f', xlen: 32, float: 'f', reduced: false, description: '32-bit, floats passed in FP registers (needs F)' },
  ilp32d: { name: 'ilp32d', xlen: 32, float: 'd', reduced: false, description: '32-bit, floats and doubles passed in FP registers (needs D)' },
  ilp32e: { name: 'ilp32e', xlen: 32, float: 'none', reduced: true, description: '32-bit, for the rv32e base (16 registers)' },
  lp64: { name: 'lp64', xlen: 64, float: 'none', reduced: false, description: '64-bit, soft-float calling convention' },
  lp64f: { name: 'lp64f', xlen: 64, float: 'f', reduced: false, description: '64-bit, floats passed in FP registers (needs F)' },
  lp64d: { name: 'lp64d', xlen: 64, float: 'd', reduced: false, description: '64-bit, floats and doubles passed in FP registers (needs D); the Linux standard' },
  lp64e: { name: 'lp64e', xlen: 64, float: 'none', reduced: true, description: '64-bit, for the rv64e base (16 registers)' },
};

/** ABIs glibc has ports for: a Linux `-gnu` platform can use only these. */
export const LINUX_ABIS: readonly RiscvAbi[] = ['lp64d', 'lp64', 'ilp32d', 'ilp32'];

export function isRiscvAbi(name: string): name is RiscvAbi {
  return (RISCV_ABIS as readonly string[]).includes(name);
}

function asParsed(isa: string | ParsedIsa): ParsedIsa {
  return typeof isa === 'string' ? parseIsa(isa) : isa;
}

/** Why an ABI does not fit an ISA, and the ABI that would. */
export interface AbiMismatch {
  readonly message: string;
  /** The best ABI for the ISA, when it has one. */
  readonly suggestion?: RiscvAbi;
}

/**
 * Checks that `abi` suits `isa` the way GCC does: the width must match, the
 * `f`/`d` ABIs need the F/D extension, and the `e` bases go only with their
 * `e` ABIs and vice versa. Returns `undefined` when the pair fits, or when the
 * ISA is too broken to tell (its own problems say why).
 */
export function checkAbi(
  isa: string | ParsedIsa,
  abi: string,
  options: { linux?: boolean } = {},
): AbiMismatch | undefined {
  const parsed = asParsed(isa);
  const best = bestAbi(parsed, options);
  const withBest = (message: string): AbiMismatch =>
    best === undefined ? { message } : { message: `${message} Use ${best}.`, suggestion: best };
  if (!isRiscvAbi(abi)) {
    const near = closestMatch(abi, RISCV_ABIS);
    const message = `"${abi}" is not a RISC-V ABI (${RISCV_ABIS.join(', ')}).`;
    if (near !== undefined) return { message: `${message} Did you mean "${near}"?`, suggestion: near as RiscvAbi };
    return withBest(message);
  }
  if (parsed.xlen === undefined || parsed.base === undefined) return undefined;
  const info = RISCV_ABI_INFO[abi];
  const isaName = parsed.canonical ?? parsed.input;
  if (info.xlen !== parsed.xlen) {
    return withBest(`${abi} is a ${info.xlen}-bit ABI, but ${isaName} is a ${parsed.xlen}-bit ISA.`);
  }
  const reducedBase = parsed.base === 'e';
  if (reducedBase && !info.reduced) {
    return withBest(`${isaName} has the reduced e base (16 registers), whose only ABI is ${parsed.xlen === 32 ? 'ilp32e' : 'lp64e'}.`);
  }
  if (!reducedBase && info.reduced) {
    return withBest(`${abi} is the ABI of the reduced ${parsed.xlen === 32 ? 'rv32e' : 'rv64e'} base, but ${isaName} uses the full ${parsed.base} base.`);
  }
  if (abi === 'ilp32e' && parsed.extensions.has('d')) {
    return { message: `ilp32e does not support the D extension that ${isaName} includes.` };
  }
  if (info.float === 'd' && !parsed.extensions.has('d')) {
    return withBest(`${abi} passes doubles in floating-point registers, but ${isaName} has no D extension.`);
  }
  if (info.float === 'f' && !parsed.extensions.has('f')) {
    return withBest(`${abi} passes floats in floating-point registers, but ${isaName} has no F extension.`);
  }
  return undefined;
}

/**
 * The ABIs that fit `isa`, best first: the one that uses the most of the
 * hardware's floating point (`rv64gc` → lp64d, lp64f, lp64). With
 * `linux: true`, only ABIs glibc supports (so `rv64imafc` → lp64, not lp64f).
 */
export function abisFor(isa: string | ParsedIsa, options: { linux?: boolean } = {}): RiscvAbi[] {
  const parsed = asParsed(isa);
  if (parsed.xlen === undefined || parsed.base === undefined) return [];
  const order: readonly RiscvAbi[] =
    parsed.xlen === 64 ? ['lp64d', 'lp64f', 'lp64', 'lp64e'] : ['ilp32d', 'ilp32f', 'ilp32', 'ilp32e'];
  return order.filter((abi) => fits(parsed, abi) && (!options.linux || LINUX_ABIS.includes(abi)));
}

/** The ABI a fix should write for `isa`: the first of {@link abisFor}. */
export function bestAbi(isa: string | ParsedIsa, options: { linux?: boolean } = {}): RiscvAbi | undefined {
  return abisFor(isa, options)[0];
}

/** The rules of {@link checkAbi} as a predicate; a test keeps the two in agreement. */
function fits(parsed: ParsedIsa, abi: RiscvAbi): boolean {
  const info = RISCV_ABI_INFO[abi];
  if (info.xlen !== parsed.xlen) return false;
  if ((parsed.base === 'e') !== info.reduced) return false;
  if (abi === 'ilp32e' && parsed.extensions.has('d')) return false;
  if (info.float === 'd' && !parsed.extensions.has('d')) return false;
  if (info.float === 'f' && !parsed.extensions.has('f')) return false;
  return true;
}

/**
 * The ABI GCC's configure picks when nixpkgs passes only `--with-arch`
 * (`gcc.arch` set, `gcc.abi` not): `d` ABIs when the ISA has D, the `e` ABI
 * for an `e` base, the soft-float ABI otherwise. Note that this is never an
 * `f` ABI: `rv32imafc` alone gets ilp32.
 */
export function gccDefaultAbi(isa: string | ParsedIsa): RiscvAbi | undefined {
  const parsed = asParsed(isa);
  if (parsed.xlen === undefined || parsed.base === undefined) return undefined;
  if (parsed.base === 'e') return parsed.xlen === 32 ? 'ilp32e' : 'lp64e';
  if (parsed.extensions.has('d')) return parsed.xlen === 32 ? 'ilp32d' : 'lp64d';
  return parsed.xlen === 32 ? 'ilp32' : 'lp64';
}

/** What GCC builds for when neither `gcc.arch` nor `gcc.abi` is set: `rv64gc`/`lp64d`, `rv32gc`/`ilp32d`. */
export function gccDefaultArch(xlen: RiscvXlen): { arch: string; abi: RiscvAbi } {
  return xlen === 64 ? { arch: 'rv64gc', abi: 'lp64d' } : { arch: 'rv32gc', abi: 'ilp32d' };
}

// ---------------------------------------------------------------------------
// Suggestions and platform glue

export interface CommonArch {
  readonly arch: string;
  readonly abi: RiscvAbi;
  readonly description: string;
}

const COMMON_64: readonly CommonArch[] = [
  { arch: 'rv64gc', abi: 'lp64d', description: 'RV64GC: the Linux baseline, and what GCC uses for riscv64 by default' },
  { arch: 'rv64gcv', abi: 'lp64d', description: 'RV64GC plus the vector extension (RVV 1.0)' },
  { arch: 'rv64gc_zba_zbb_zbs', abi: 'lp64d', description: 'RV64GC plus the bit-manipulation extensions' },
  { arch: 'rv64gcv_zba_zbb_zbs', abi: 'lp64d', description: 'RV64GC plus vector and bit manipulation' },
  { arch: 'rv64imac', abi: 'lp64', description: 'no floating point: embedded 64-bit cores' },
  { arch: 'rv64imafdc', abi: 'lp64d', description: 'RV64GC spelled out' },
  { arch: 'rv64i', abi: 'lp64', description: 'the bare integer base' },
];

const COMMON_32: readonly CommonArch[] = [
  { arch: 'rv32imac', abi: 'ilp32', description: 'microcontrollers with atomics, no floating point' },
  { arch: 'rv32imc', abi: 'ilp32', description: 'small microcontrollers without atomics or floating point' },
  { arch: 'rv32imafc', abi: 'ilp32f', description: 'microcontrollers with a single-precision FPU' },
  { arch: 'rv32gc', abi: 'ilp32d', description: 'RV32GC: 32-bit Linux, and what GCC uses for riscv32 by default' },
  { arch: 'rv32i', abi: 'ilp32', description: 'the bare integer base' },
  { arch: 'rv32e', abi: 'ilp32e', description: 'the reduced base with 16 registers' },
  { arch: 'rv32emc', abi: 'ilp32e', description: 'reduced base with multiply and compressed instructions' },
];

/** ISA strings to offer for `gcc.arch`, most common first, with the ABI to pair them with. */
export function commonArches(xlen?: RiscvXlen): readonly CommonArch[] {
  if (xlen === 64) return COMMON_64;
  if (xlen === 32) return COMMON_32;
  return [...COMMON_64, ...COMMON_32];
}

/** 64 for `riscv64-unknown-linux-gnu` or `riscv64-linux`, 32 for riscv32, undefined for anything else. */
export function riscvXlenOfSystem(system: string): RiscvXlen | undefined {
  const c = cpuType(cpuOf(system));
  return c !== undefined && c.family === 'riscv' ? (c.bits as RiscvXlen) : undefined;
}

/** A problem with `gcc.arch` or `gcc.abi` of a crossSystem; offsets are inside that value. */
export interface GccSettingProblem extends IsaProblem {
  readonly field: 'arch' | 'abi';
}

/**
 * Checks a crossSystem's `gcc.arch` and `gcc.abi` against each other and
 * against its `config` triple. Only RISC-V triples are checked in depth; on
 * other platforms only an `rv...` arch (a RISC-V ISA on a non-RISC-V
 * platform) is reported. Without `gcc.arch`, the ABI is checked against GCC's
 * default for the triple (`rv64gc`); on Linux the ABI must be one glibc has.
 */
export function checkGccSettings(config: string, gcc: { arch?: string; abi?: string }): GccSettingProblem[] {
  const problems: GccSettingProblem[] = [];
  const xlen = riscvXlenOfSystem(config);
  if (xlen === undefined) {
    if (gcc.arch !== undefined && /^rv\d/i.test(gcc.arch)) {
      problems.push({
        field: 'arch',
        severity: 'error',
        offset: 0,
        length: gcc.arch.length,
        message: `gcc.arch "${gcc.arch}" is a RISC-V ISA, but "${config}" is not a RISC-V platform.`,
      });
    }
    return problems;
  }

  let isa: ParsedIsa | undefined;
  if (gcc.arch !== undefined) {
    isa = parseIsa(gcc.arch);
    for (const p of isa.problems) problems.push({ field: 'arch', ...p });
    if (isa.xlen !== undefined && isa.xlen !== xlen) {
      const fixed = `rv${xlen}${gcc.arch.slice(4)}`;
      problems.push({
        field: 'arch',
        severity: 'error',
        offset: 0,
        length: 4,
        message: `gcc.arch "${gcc.arch}" is ${isa.xlen}-bit, but "${config}" is a ${xlen}-bit platform. Did you mean "${fixed}"?`,
        suggestion: fixed,
      });
      isa = undefined; // ABI checks against a wrong-width ISA would only repeat this.
    }
  }

  if (gcc.abi !== undefined) {
    const abi = gcc.abi;
    const linux = /-linux(-|$)/.test(config);
    // Without gcc.arch, GCC builds for its default ISA, so check against that.
    const against = isa ?? (gcc.arch === undefined ? parseIsa(gccDefaultArch(xlen).arch) : undefined);
    const fallback = against === undefined ? undefined : bestAbi(against, { linux });
    const at = { field: 'abi', severity: 'error', offset: 0, length: abi.length } as const;
    let mismatch: AbiMismatch | undefined;
    if (!isRiscvAbi(abi)) {
      const near = closestMatch(abi, RISCV_ABIS);
      problems.push({
        ...at,
        message: `gcc.abi "${abi}" is not a RISC-V ABI (${RISCV_ABIS.join(', ')}).${near === undefined ? '' : ` Did you mean "${near}"?`}`,
        ...withSuggestion(near ?? fallback),
      });
    } else if (RISCV_ABI_INFO[abi].xlen !== xlen) {
      problems.push({
        ...at,
        message: `gcc.abi "${abi}" is a ${RISCV_ABI_INFO[abi].xlen}-bit ABI, but "${config}" is a ${xlen}-bit platform.`,
        ...withSuggestion(fallback),
      });
    } else if (against !== undefined && (mismatch = checkAbi(against, abi, { linux })) !== undefined) {
      const prefix = gcc.arch === undefined ? `gcc.arch is unset, so GCC builds for ${gccDefaultArch(xlen).arch}: ` : '';
      problems.push({ ...at, message: prefix + mismatch.message, ...withSuggestion(mismatch.suggestion) });
    } else if (linux && !LINUX_ABIS.includes(abi)) {
      const libcAbis = LINUX_ABIS.filter((a) => RISCV_ABI_INFO[a].xlen === xlen).join(' or ');
      problems.push({
        ...at,
        message: `Linux C libraries (glibc, musl) have no port for the ${abi} ABI; RISC-V Linux uses ${libcAbis}.`,
        ...withSuggestion(fallback),
      });
    }
  }
  return problems;
}

function withSuggestion(suggestion: string | undefined): { suggestion?: string } {
  return suggestion === undefined ? {} : { suggestion };
}
