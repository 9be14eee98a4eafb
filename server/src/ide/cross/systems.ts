/**
 * What nixpkgs accepts as a platform: the closed sets of CPU types, vendors,
 * kernels and ABIs of `lib/systems/parse.nix`, and a parser for system
 * strings that splits them the way `mkSkeletonFromList` does and resolves them
 * the way `mkSystemFromSkeleton` does.
 *
 * nixpkgs runs every `system`, `localSystem`, `crossSystem` string and every
 * `crossSystem.config` through `lib.systems.parse.mkSystemFromString`
 * (`lib/systems/default.nix`, `elaborate`). A name outside these sets makes
 * evaluation throw ("Unknown CPU type: riscv46"), but only when the instance
 * is evaluated, far from the line that caused it. This module finds the same
 * mistakes without evaluating anything, and says which component is wrong.
 *
 * Facts transcribed from nixpkgs `lib/systems/parse.nix`, `lib/systems/doubles.nix`
 * and `lib/systems/flake-systems.nix` (master, June 2026).
 */

import { closestMatch } from './suggest';

// ---------------------------------------------------------------------------
// Closed sets

/** A CPU type of `parse.nix`'s `cpuTypes`. */
export interface CpuType {
  readonly name: string;
  readonly bits: 8 | 16 | 32 | 64;
  /** Absent only for 8-bit CPUs (avr), as in nixpkgs. */
  readonly endian?: 'little' | 'big';
  /** nixpkgs' `cpu.family` (`riscv`, `arm`, `x86`, `power`, ...). */
  readonly family: string;
  /** ARM architecture version; decides the default `gnueabi`/`gnueabihf` ABI. */
  readonly version?: string;
}

function cpu(
  name: string,
  bits: CpuType['bits'],
  endian: CpuType['endian'],
  family: string,
  version?: string,
): CpuType {
  return version === undefined ? { name, bits, endian, family } : { name, bits, endian, family, version };
}

/** `cpuTypes` in `parse.nix`, in its order. */
export const CPU_TYPES: readonly CpuType[] = [
  cpu('arm', 32, 'little', 'arm'),
  cpu('armv5tel', 32, 'little', 'arm', '5'),
  cpu('armv6m', 32, 'little', 'arm', '6'),
  cpu('armv6l', 32, 'little', 'arm', '6'),
  cpu('armv7a', 32, 'little', 'arm', '7'),
  cpu('armv7r', 32, 'little', 'arm', '7'),
  cpu('armv7m', 32, 'little', 'arm', '7'),
  cpu('armv7l', 32, 'little', 'arm', '7'),
  cpu('armv8a', 32, 'little', 'arm', '8'),
  cpu('armv8r', 32, 'little', 'arm', '8'),
  cpu('armv8m', 32, 'little', 'arm', '8'),
  cpu('aarch64', 64, 'little', 'arm', '8'),
  cpu('aarch64_be', 64, 'big', 'arm', '8'),
  cpu('i386', 32, 'little', 'x86'),
  cpu('i486', 32, 'little', 'x86'),
  cpu('i586', 32, 'little', 'x86'),
  cpu('i686', 32, 'little', 'x86'),
  cpu('x86_64', 64, 'little', 'x86'),
  cpu('microblaze', 32, 'big', 'microblaze'),
  cpu('microblazeel', 32, 'little', 'microblaze'),
  cpu('mips', 32, 'big', 'mips'),
  cpu('mipsel', 32, 'little', 'mips'),
  cpu('mips64', 64, 'big', 'mips'),
  cpu('mips64el', 64, 'little', 'mips'),
  cpu('mmix', 64, 'big', 'mmix'),
  cpu('m68k', 32, 'big', 'm68k'),
  cpu('sh4', 32, 'little', 'sh'),
  cpu('powerpc', 32, 'big', 'power'),
  cpu('powerpc64', 64, 'big', 'power'),
  cpu('powerpc64le', 64, 'little', 'power'),
  cpu('powerpcle', 32, 'little', 'power'),
  cpu('riscv32', 32, 'little', 'riscv'),
  cpu('riscv64', 64, 'little', 'riscv'),
  cpu('s390', 32, 'big', 's390'),
  cpu('s390x', 64, 'big', 's390'),
  cpu('sparc', 32, 'big', 'sparc'),
  cpu('sparc64', 64, 'big', 'sparc'),
  cpu('wasm32', 32, 'little', 'wasm'),
  cpu('wasm64', 64, 'little', 'wasm'),
  cpu('alpha', 64, 'little', 'alpha'),
  cpu('rx', 32, 'little', 'rx'),
  cpu('msp430', 16, 'little', 'msp430'),
  { name: 'avr', bits: 8, family: 'avr' },
  cpu('vc4', 32, 'little', 'vc4'),
  cpu('or1k', 32, 'big', 'or1k'),
  cpu('arc', 32, 'little', 'arc'),
  cpu('loongarch64', 64, 'little', 'loongarch'),
  cpu('javascript', 32, 'little', 'javascript'),
];

/**
 * Extra spellings `parse.nix` accepts for a CPU, mapped to the canonical one.
 * `arm64` is Apple's name (`darwinArch`), accepted since LLVM 20 needed it.
 */
export const CPU_ALIASES: ReadonlyMap<string, string> = new Map([['arm64', 'aarch64']]);

/** `vendors` in `parse.nix`. */
export const VENDORS: readonly string[] = ['unknown', 'none', 'pc', 'apple', 'w64', 'knuth'];

/** A kernel of `parse.nix`'s `kernels`. */
export interface Kernel {
  /** Key in `kernels`; for aliases, the canonical key (`darwin` → `macos`). */
  readonly key: string;
  /** `kernel.name`, what doubles and triples print (`macos` prints `darwin`). */
  readonly name: string;
  readonly execFormat: 'elf' | 'macho' | 'pe' | 'wasm' | 'aout' | 'unknown';
  readonly families: readonly ('bsd' | 'darwin')[];
}

/** `kernels` in `parse.nix`, without the aliases. */
export const KERNELS: readonly Kernel[] = [
  { key: 'macos', name: 'darwin', execFormat: 'macho', families: ['darwin'] },
  { key: 'ios', name: 'ios', execFormat: 'macho', families: ['darwin'] },
  { key: 'freebsd', name: 'freebsd', execFormat: 'elf', families: ['bsd'] },
  { key: 'linux', name: 'linux', execFormat: 'elf', families: [] },
  { key: 'netbsd', name: 'netbsd', execFormat: 'elf', families: ['bsd'] },
  { key: 'none', name: 'none', execFormat: 'unknown', families: [] },
  { key: 'openbsd', name: 'openbsd', execFormat: 'elf', families: ['bsd'] },
  { key: 'solaris', name: 'solaris', execFormat: 'elf', families: [] },
  { key: 'wasi', name: 'wasi', execFormat: 'wasm', families: [] },
  { key: 'redox', name: 'redox', execFormat: 'elf', families: [] },
  { key: 'windows', name: 'windows', execFormat: 'pe', families: [] },
  { key: 'cygwin', name: 'cygwin', execFormat: 'pe', families: [] },
  { key: 'ghcjs', name: 'ghcjs', execFormat: 'unknown', families: [] },
  { key: 'genode', name: 'genode', execFormat: 'elf', families: [] },
  { key: 'mmixware', name: 'mmixware', execFormat: 'unknown', families: [] },
  { key: 'uefi', name: 'uefi', execFormat: 'pe', families: [] },
];

/** The kernel aliases at the end of `kernels` in `parse.nix`. */
export const KERNEL_ALIASES: ReadonlyMap<string, string> = new Map([
  ['darwin', 'macos'],
  ['watchos', 'ios'],
  ['tvos', 'ios'],
  ['win32', 'windows'],
]);

/** An ABI ("environment") of `parse.nix`'s `abis`. */
export interface Abi {
  readonly name: string;
  /** What the ABI means, for hover. */
  readonly description: string;
}

/** `abis` in `parse.nix`. */
export const ABIS: readonly Abi[] = [
  { name: 'gnu', description: 'glibc' },
  { name: 'musl', description: 'musl libc' },
  { name: 'elf', description: 'bare metal, no operating system (newlib and friends)' },
  { name: 'eabi', description: 'ARM/PowerPC embedded ABI, soft float' },
  { name: 'eabihf', description: 'ARM embedded ABI, hard float' },
  { name: 'gnueabi', description: 'glibc on 32-bit ARM, soft float' },
  { name: 'gnueabihf', description: 'glibc on 32-bit ARM, hard float' },
  { name: 'musleabi', description: 'musl on 32-bit ARM, soft float' },
  { name: 'musleabihf', description: 'musl on 32-bit ARM, hard float' },
  { name: 'gnuabi64', description: 'glibc, 64-bit MIPS ABI' },
  { name: 'muslabi64', description: 'musl, 64-bit MIPS ABI' },
  { name: 'gnuabin32', description: 'glibc, MIPS n32 ABI (64-bit CPU, 32-bit pointers)' },
  { name: 'muslabin32', description: 'musl, MIPS n32 ABI' },
  { name: 'gnuabielfv1', description: 'glibc, 64-bit PowerPC ELFv1 ABI' },
  { name: 'gnuabielfv2', description: 'glibc, 64-bit PowerPC ELFv2 ABI' },
  { name: 'android', description: 'Android (bionic)' },
  { name: 'androideabi', description: 'Android on 32-bit ARM' },
  { name: 'uclibc', description: 'uClibc' },
  { name: 'uclibceabi', description: 'uClibc on 32-bit ARM, soft float' },
  { name: 'uclibceabihf', description: 'uClibc on 32-bit ARM, hard float' },
  { name: 'msvc', description: 'Microsoft Visual C++ ABI' },
  { name: 'unknown', description: 'no ABI given' },
];

const cpuByName = new Map(CPU_TYPES.map((c) => [c.name, c] as const));
const kernelByKey = new Map(KERNELS.map((k) => [k.key, k] as const));
const abiByName = new Map(ABIS.map((a) => [a.name, a] as const));
const vendorSet = new Set(VENDORS);

/** The CPU type for a name, following aliases (`arm64` → `aarch64`). */
export function cpuType(name: string): CpuType | undefined {
  return cpuByName.get(CPU_ALIASES.get(name) ?? name);
}

/**
 * The kernel for a name exactly as `mkSystemFromSkeleton` looks it up: any
 * name starting with `darwin` is Darwin (`darwin23`), any starting with
 * `netbsd` is NetBSD, and a trailing `abi...`/`eabi...` is ignored like
 * gnu-config does.
 */
export function kernelFor(name: string): Kernel | undefined {
  let key: string;
  if (name.startsWith('darwin')) key = 'darwin';
  else if (name.startsWith('netbsd')) key = 'netbsd';
  else key = removeAbiSuffix(name);
  return kernelByKey.get(KERNEL_ALIASES.get(key) ?? key);
}

/** `parse.nix`'s `removeAbiSuffix`: `match "(.*)e?abi.*"`, keep the group. */
function removeAbiSuffix(name: string): string {
  const found = /^(.*)e?abi.*$/s.exec(name);
  return found === null ? name : found[1];
}

export function isKnownVendor(name: string): boolean {
  return vendorSet.has(name);
}

export function abiInfo(name: string): Abi | undefined {
  return abiByName.get(name);
}

/** Every name each component accepts, canonical names first: for completion. */
export const CPU_NAMES: readonly string[] = [...CPU_TYPES.map((c) => c.name), ...CPU_ALIASES.keys()];
export const KERNEL_NAMES: readonly string[] = [...KERNELS.map((k) => k.key), ...KERNEL_ALIASES.keys()];
export const ABI_NAMES: readonly string[] = ABIS.map((a) => a.name);

// ---------------------------------------------------------------------------
// Doubles

/** `lib.systems.doubles.all`: every `cpu-kernel` double nixpkgs lists. */
export const ALL_DOUBLES: readonly string[] = [
  'i686-cygwin', 'x86_64-cygwin',
  'x86_64-darwin', 'aarch64-darwin',
  'i686-freebsd', 'x86_64-freebsd', 'aarch64-freebsd',
  'aarch64-genode', 'i686-genode', 'x86_64-genode',
  'x86_64-solaris',
  'javascript-ghcjs',
  'aarch64-linux', 'arc-linux', 'armv5tel-linux', 'armv6l-linux', 'armv7a-linux', 'armv7l-linux',
  'i686-linux', 'loongarch64-linux', 'm68k-linux', 'sh4-linux', 'microblaze-linux',
  'microblazeel-linux', 'mips-linux', 'mips64-linux', 'mips64el-linux', 'mipsel-linux',
  'powerpc-linux', 'powerpc64-linux', 'powerpc64le-linux', 'riscv32-linux', 'riscv64-linux',
  's390-linux', 's390x-linux', 'x86_64-linux',
  'mmix-mmixware',
  'aarch64-netbsd', 'armv6l-netbsd', 'armv7a-netbsd', 'armv7l-netbsd', 'i686-netbsd', 'm68k-netbsd',
  'mipsel-netbsd', 'powerpc-netbsd', 'riscv32-netbsd', 'riscv64-netbsd', 'x86_64-netbsd',
  'aarch64_be-none', 'aarch64-none', 'arm-none', 'armv6l-none', 'avr-none', 'i686-none',
  'microblaze-none', 'microblazeel-none', 'mips-none', 'mips64-none', 'msp430-none', 'or1k-none',
  'm68k-none', 'powerpc-none', 'powerpcle-none', 'riscv32-none', 'riscv64-none', 'rx-none',
  's390-none', 's390x-none', 'vc4-none', 'x86_64-none',
  'i686-openbsd', 'x86_64-openbsd',
  'x86_64-redox',
  'wasm64-wasi', 'wasm32-wasi',
  'aarch64-windows', 'x86_64-windows', 'i686-windows',
  'aarch64-uefi', 'x86_64-uefi',
];

/**
 * The doubles people actually write in `system = "..."`, most common first,
 * for completion. The first ten are `lib.systems.flakeExposed`
 * (`lib/systems/flake-systems.nix`: what `nixpkgs.legacyPackages` offers);
 * `riscv64-linux` sits high because this extension cares about it.
 */
export const COMMON_DOUBLES: readonly string[] = [
  'x86_64-linux',
  'aarch64-linux',
  'riscv64-linux',
  'aarch64-darwin',
  'x86_64-darwin',
  'i686-linux',
  'armv6l-linux',
  'armv7l-linux',
  'powerpc64le-linux',
  'x86_64-freebsd',
  'riscv32-linux',
  'loongarch64-linux',
];

/** `lib.systems.flakeExposed`: doubles the nixpkgs flake has `legacyPackages` for. */
export const FLAKE_EXPOSED_DOUBLES: readonly string[] = [
  'x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'armv6l-linux', 'armv7l-linux', 'i686-linux',
  'aarch64-darwin', 'powerpc64le-linux', 'riscv64-linux', 'x86_64-freebsd',
];

// ---------------------------------------------------------------------------
// Parsing

/** Which part of a system string a problem is about. */
export type SystemComponent = 'cpu' | 'vendor' | 'kernel' | 'abi';

/** A problem in a system string, located inside it. */
export interface SystemProblem {
  /**
   * `shape` when nixpkgs cannot even split the string (wrong number of
   * components, an ambiguous 3-part string, an empty part); `abi-assertion`
   * for an ABI nixpkgs knows but refuses for this CPU (`gnu` on 32-bit ARM).
   */
  readonly kind: SystemComponent | 'shape' | 'abi-assertion';
  /** Sentence for the user; says what nixpkgs would do. */
  readonly message: string;
  /** The error nixpkgs throws when it evaluates this string, when it throws. */
  readonly nixError?: string;
  /** Offset in the string (0-based) and length of the offending text. */
  readonly offset: number;
  readonly length: number;
  /** Replacement for the offending text, when one is close ("did you mean"). */
  readonly suggestion?: string;
  /** A whole replacement string that nixpkgs accepts, when one is obvious. */
  readonly suggestedSystem?: string;
}

/** Where a skeleton value came from: a component of the text, or filled in. */
export interface ComponentValue {
  readonly value: string;
  /** Offset and length of the text it came from; absent when nixpkgs filled it in. */
  readonly offset?: number;
  readonly length?: number;
}

/** What `mkSkeletonFromList` makes of the split string. */
export interface Skeleton {
  readonly cpu: ComponentValue;
  readonly vendor?: ComponentValue;
  readonly kernel: ComponentValue;
  readonly abi?: ComponentValue;
}

/** The fully resolved platform, when every component is known. */
export interface ParsedSystem {
  readonly cpu: CpuType;
  readonly vendor: string;
  readonly kernel: Kernel;
  readonly abi: string;
  /** `doubleFromSystem`: what `stdenv.hostPlatform.system` would be. */
  readonly double: string;
  /** `tripleFromSystem`: the normalised config (nixpkgs keeps the user's own `config` string). */
  readonly triple: string;
}

export interface SystemParse {
  readonly input: string;
  /** The hyphen-separated parts with their offsets. */
  readonly parts: readonly { readonly text: string; readonly offset: number }[];
  /** Absent when the string has no usable shape. */
  readonly skeleton?: Skeleton;
  /** Present exactly when `problems` is empty. */
  readonly system?: ParsedSystem;
  readonly problems: readonly SystemProblem[];
}

/**
 * Parses a `crossSystem.config` triple (or any system string: nixpkgs uses one
 * parser for all) the way `lib.systems.parse.mkSystemFromString` does.
 *
 * Shapes, as `mkSkeletonFromList` reads them:
 * - 1 part: only `avr`.
 * - 2 parts: `cpu-kernel` (`riscv64-linux`), plus `cpu-cygwin`, `cpu-windows`
 *   (MSVC) and `cpu-elf` (bare metal, kernel `none`).
 * - 3 parts: `cpu-kernel-abi` when the kernel is `linux` or the last part is
 *   `eabi`, `eabihf`, `elf` or `gnu` (`riscv64-none-elf`, `arm-none-eabi`);
 *   `cpu-vendor-kernel` for `apple`, `mingw32` (kernel `windows`), `redox`,
 *   `mmixware`, `ghcjs`, `uefi`, `freebsd*`, `netbsd*`, `openbsd*`, `genode*`
 *   and `wasm32*` CPUs, and `cpu-vendor-cygwin`; anything else is ambiguous.
 * - 4 parts: `cpu-vendor-kernel-abi`.
 */
export function parseTriple(config: string): SystemParse {
  const parts = splitParts(config);
  const problems: SystemProblem[] = [];

  if (config.length === 0) {
    problems.push({
      kind: 'shape',
      message: 'Empty system string: nixpkgs needs a double like "riscv64-linux" or a triple like "riscv64-unknown-linux-gnu".',
      nixError: "system string '' with 1 component is ambiguous",
      offset: 0,
      length: 0,
    });
    return { input: config, parts, problems };
  }
  for (const part of parts) {
    if (part.text.length === 0) {
      problems.push({
        kind: 'shape',
        message: `Empty component in "${config}": two hyphens in a row, or a hyphen at the start or end.`,
        offset: part.offset,
        length: 0,
        suggestedSystem: parts.filter((p) => p.text.length > 0).map((p) => p.text).join('-') || undefined,
      });
    }
  }
  if (problems.length > 0) return { input: config, parts, problems };

  const skeleton = skeletonFromParts(config, parts, problems);
  if (skeleton === undefined) return { input: config, parts, problems };

  const system = resolveSkeleton(config, skeleton, problems);
  return system === undefined || problems.length > 0
    ? { input: config, parts, skeleton, problems }
    : { input: config, parts, skeleton, system, problems };
}

/** Result of {@link parseSystemDouble}: a {@link SystemParse} plus double-specific facts. */
export interface DoubleParse extends SystemParse {
  /** The input has exactly two parts (`cpu-kernel`), the usual form of `system`. */
  readonly isDouble: boolean;
  /** The input (or its normalised double) is in `lib.systems.doubles.all`. */
  readonly isListed: boolean;
  /** Notes that are not errors (a full triple given as `system`, an unlisted double). */
  readonly notes: readonly string[];
}

/**
 * Parses `system = "riscv64-linux"` (also `localSystem`/`crossSystem` given as
 * a string, `nixpkgs.hostPlatform`). nixpkgs parses these with the same parser
 * as triples, so the same problems apply; in addition this says whether the
 * string is the conventional two-part double and whether nixpkgs lists it.
 */
export function parseSystemDouble(system: string): DoubleParse {
  const parsed = parseTriple(system);
  const isDouble = parsed.parts.length === 2;
  const double = parsed.system?.double;
  const isListed = ALL_DOUBLES.includes(system) || (double !== undefined && ALL_DOUBLES.includes(double));
  const notes: string[] = [];
  if (parsed.system !== undefined) {
    if (!isDouble) {
      notes.push(
        `"${system}" is a full triple; nixpkgs accepts it, but \`system\` is conventionally the double "${parsed.system.double}" (what builtins.currentSystem and flake outputs use).`,
      );
    } else if (double !== system) {
      notes.push(`nixpkgs normalises "${system}" to "${double}".`);
    }
    if (!isListed) {
      notes.push(`"${double}" is not in lib.systems.doubles.all; nixpkgs may have no bootstrap for it.`);
    }
  }
  return { ...parsed, isDouble, isListed, notes };
}

/** The CPU part of a system string (`riscv64-unknown-linux-gnu` → `riscv64`). */
export function cpuOf(system: string): string {
  const dash = system.indexOf('-');
  return dash < 0 ? system : system.slice(0, dash);
}

// ---------------------------------------------------------------------------
// Internals

type Part = { readonly text: string; readonly offset: number };

function splitParts(s: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s[i] === '-') {
      parts.push({ text: s.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  return parts;
}

function fromPart(part: Part, value = part.text): ComponentValue {
  return { value, offset: part.offset, length: part.text.length };
}

/** Values that `mkSkeletonFromList` fills in rather than reads. */
function filled(value: string): ComponentValue {
  return { value };
}

function skeletonFromParts(config: string, parts: readonly Part[], problems: SystemProblem[]): Skeleton | undefined {
  const l = parts.map((p) => p.text);
  switch (parts.length) {
    case 1:
      if (l[0] === 'avr') return { cpu: fromPart(parts[0]), kernel: filled('none'), abi: filled('unknown') };
      problems.push({
        kind: 'shape',
        message: `"${config}" has only one component; nixpkgs accepts that only for "avr". Write a double like "${l[0]}-linux" or a full triple.`,
        nixError: `system string '${config}' with 1 component is ambiguous`,
        offset: 0,
        length: config.length,
        suggestedSystem: cpuType(l[0]) ? `${l[0]}-linux` : undefined,
      });
      return undefined;
    case 2:
      if (l[1] === 'cygwin') {
        return { cpu: fromPart(parts[0]), vendor: filled('pc'), kernel: fromPart(parts[1]) };
      }
      if (l[1] === 'windows') {
        return { cpu: fromPart(parts[0]), kernel: fromPart(parts[1]), abi: filled('msvc') };
      }
      if (l[1] === 'elf') {
        return { cpu: fromPart(parts[0]), vendor: filled('unknown'), kernel: filled('none'), abi: fromPart(parts[1]) };
      }
      return { cpu: fromPart(parts[0]), kernel: fromPart(parts[1]) };
    case 3:
      if (l[1] === 'linux' || ['eabi', 'eabihf', 'elf', 'gnu'].includes(l[2])) {
        return {
          cpu: fromPart(parts[0]),
          vendor: filled('unknown'),
          kernel: fromPart(parts[1]),
          abi: fromPart(parts[2]),
        };
      }
      if (
        l[1] === 'apple' ||
        ['redox', 'mmixware', 'ghcjs', 'mingw32', 'uefi'].includes(l[2]) ||
        ['freebsd', 'netbsd', 'openbsd', 'genode'].some((prefix) => l[2].startsWith(prefix)) ||
        l[0].startsWith('wasm32')
      ) {
        return {
          cpu: fromPart(parts[0]),
          vendor: fromPart(parts[1]),
          // autotools breaks on -gnu for Windows, hence the mingw32 spelling.
          kernel: fromPart(parts[2], l[2] === 'mingw32' ? 'windows' : l[2]),
        };
      }
      if (l[2] === 'cygwin') {
        return { cpu: fromPart(parts[0]), vendor: fromPart(parts[1]), kernel: fromPart(parts[2]) };
      }
      problems.push({
        kind: 'shape',
        message: ambiguousThreePartMessage(config, l),
        nixError: `system string '${config}' with 3 components is ambiguous`,
        offset: 0,
        length: config.length,
        suggestedSystem: suggestForAmbiguous(l),
      });
      return undefined;
    case 4:
      return {
        cpu: fromPart(parts[0]),
        vendor: fromPart(parts[1]),
        kernel: fromPart(parts[2]),
        abi: fromPart(parts[3]),
      };
    default:
      problems.push({
        kind: 'shape',
        message: `"${config}" has ${parts.length} hyphen-separated components; nixpkgs accepts 1 to 4 (cpu-vendor-kernel-abi).`,
        nixError: `system string '${config}' has invalid number of hyphen-separated components`,
        offset: 0,
        length: config.length,
      });
      return undefined;
  }
}

function ambiguousThreePartMessage(config: string, l: readonly string[]): string {
  const suggestion = suggestForAmbiguous(l);
  const base = `nixpkgs cannot tell which parts of "${config}" are vendor, kernel and ABI: a 3-part string must be cpu-linux-abi, end in -gnu, -elf, -eabi or -eabihf, or name a known OS last (apple, mingw32, freebsd, ...).`;
  return suggestion === undefined ? base : `${base} Did you mean "${suggestion}"?`;
}

/** `x86_64-pc-linux` → `x86_64-unknown-linux-gnu`; `riscv64-unknown-none` → `riscv64-none-elf`. */
function suggestForAmbiguous(l: readonly string[]): string | undefined {
  const [cpuName, , last] = l;
  if (cpuType(cpuName) === undefined) return undefined;
  if (last === 'linux') return `${cpuName}-unknown-linux-gnu`;
  if (last === 'none') return `${cpuName}-none-elf`;
  if (last === 'musl') return `${cpuName}-unknown-linux-musl`;
  if (last === 'darwin' || last === 'macos') return `${cpuName}-apple-darwin`;
  if (last === 'windows') return `${cpuName}-w64-mingw32`;
  return undefined;
}

/** Spellings that are not typos but other ecosystems' names. */
const CPU_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['amd64', 'x86_64'],
  ['x64', 'x86_64'],
  ['x86', 'i686'],
  ['rv64', 'riscv64'],
  ['rv32', 'riscv32'],
  ['riscv', 'riscv64'],
  ['ppc', 'powerpc'],
  ['ppc64', 'powerpc64'],
  ['ppc64le', 'powerpc64le'],
  ['armhf', 'armv7l'],
  ['armel', 'armv5tel'],
  ['loong64', 'loongarch64'],
]);
const KERNEL_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['osx', 'darwin'],
  ['mac', 'darwin'],
  ['apple', 'darwin'],
  ['gnu', 'linux'],
  ['elf', 'none'],
  ['bare', 'none'],
  ['baremetal', 'none'],
]);
const ABI_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['glibc', 'gnu'],
  ['newlib', 'elf'],
  ['none', 'elf'],
]);

function suggestName(word: string, synonyms: ReadonlyMap<string, string>, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  if (names.includes(lower)) return lower;
  return synonyms.get(lower) ?? closestMatch(word, names);
}

function withSuggestion(message: string, suggestion: string | undefined): string {
  return suggestion === undefined ? message : `${message} Did you mean "${suggestion}"?`;
}

function replaceAt(config: string, at: ComponentValue, replacement: string): string | undefined {
  if (at.offset === undefined || at.length === undefined) return undefined;
  return config.slice(0, at.offset) + replacement + config.slice(at.offset + at.length);
}

function problemAt(
  config: string,
  kind: SystemProblem['kind'],
  at: ComponentValue,
  message: string,
  nixError: string | undefined,
  suggestion: string | undefined,
  suggestedSystem = suggestion === undefined ? undefined : replaceAt(config, at, suggestion),
): SystemProblem {
  return {
    kind,
    message: withSuggestion(message, suggestion),
    ...(nixError === undefined ? {} : { nixError }),
    offset: at.offset ?? 0,
    length: at.length ?? config.length,
    ...(suggestion === undefined ? {} : { suggestion }),
    ...(suggestedSystem === undefined ? {} : { suggestedSystem }),
  };
}

/** `mkSystemFromSkeleton`: look every component up and fill in the defaults. */
function resolveSkeleton(config: string, skeleton: Skeleton, problems: SystemProblem[]): ParsedSystem | undefined {
  const cpuName = skeleton.cpu.value;
  const resolvedCpu = cpuType(cpuName);
  if (resolvedCpu === undefined) {
    problems.push(
      problemAt(
        config,
        'cpu',
        skeleton.cpu,
        `"${cpuName}" is not a CPU type nixpkgs knows (lib/systems/parse.nix); evaluating this fails with "Unknown CPU type: ${cpuName}".`,
        `Unknown CPU type: ${cpuName}`,
        suggestName(cpuName, CPU_SYNONYMS, CPU_NAMES),
      ),
    );
  }

  let vendorName: string | undefined = skeleton.vendor?.value;
  if (skeleton.vendor !== undefined && !isKnownVendor(skeleton.vendor.value)) {
    problems.push(
      problemAt(
        config,
        'vendor',
        skeleton.vendor,
        `"${skeleton.vendor.value}" is not a vendor nixpkgs knows (${describeSet(VENDORS)}); evaluating this fails with "Unknown vendor: ${skeleton.vendor.value}".`,
        `Unknown vendor: ${skeleton.vendor.value}`,
        suggestName(skeleton.vendor.value, new Map([['linux', 'unknown']]), VENDORS),
      ),
    );
    vendorName = undefined;
  }

  const kernel = kernelFor(skeleton.kernel.value);
  if (kernel === undefined) {
    const kernelName = skeleton.kernel.value;
    // `riscv64-unknown-elf` (the GNU toolchain's name) puts "unknown" where
    // nixpkgs reads the kernel; nixpkgs' own bare-metal triples say `none`.
    const bareMetal = kernelName === 'unknown' && skeleton.abi !== undefined && skeleton.vendor?.offset === undefined;
    const suggestion = bareMetal ? 'none' : suggestName(kernelName, KERNEL_SYNONYMS, KERNEL_NAMES);
    problems.push(
      problemAt(
        config,
        'kernel',
        skeleton.kernel,
        bareMetal
          ? `"${kernelName}" is read as the kernel here, and nixpkgs has no kernel "${kernelName}": bare-metal triples are written cpu-none-elf in nixpkgs (like pkgsCross.riscv64-embedded).`
          : `"${kernelName}" is not a kernel nixpkgs knows (linux, darwin, none for bare metal, windows, freebsd, ...); evaluating this fails with "Unknown kernel: ${removeAbiSuffix(kernelName)}".`,
        `Unknown kernel: ${removeAbiSuffix(kernelName)}`,
        suggestion,
      ),
    );
  }

  let abiName: string | undefined = skeleton.abi?.value;
  if (skeleton.abi !== undefined && abiInfo(skeleton.abi.value) === undefined) {
    problems.push(
      problemAt(
        config,
        'abi',
        skeleton.abi,
        `"${skeleton.abi.value}" is not an ABI nixpkgs knows (gnu, musl, elf, eabi, gnueabihf, ...); evaluating this fails with "Unknown ABI: ${skeleton.abi.value}".`,
        `Unknown ABI: ${skeleton.abi.value}`,
        suggestName(skeleton.abi.value, ABI_SYNONYMS, ABI_NAMES),
      ),
    );
    abiName = undefined;
  }

  if (resolvedCpu === undefined || kernel === undefined || problems.length > 0) return undefined;

  const isLinux = kernel.key === 'linux';
  const isWindows = kernel.key === 'windows';
  const isAarch32 = resolvedCpu.family === 'arm' && resolvedCpu.bits === 32;
  const isPower64BigEndian = resolvedCpu.family === 'power' && resolvedCpu.bits === 64 && resolvedCpu.endian === 'big';

  vendorName ??= kernel.families.includes('darwin')
    ? 'apple'
    : isWindows || kernel.key === 'cygwin'
      ? 'pc'
      : 'unknown';

  if (abiName === undefined) {
    if (isLinux || isWindows) {
      if (isAarch32) abiName = Number(resolvedCpu.version ?? '0') >= 6 ? 'gnueabihf' : 'gnueabi';
      else if (isPower64BigEndian) abiName = 'gnuabielfv1';
      else abiName = 'gnu';
    } else {
      abiName = 'unknown';
    }
  }

  // The `assertions` attached to ABIs in parse.nix, checked by `elaborate`.
  const abiSpan = skeleton.abi ?? { value: abiName };
  if (abiName === 'gnu' && isAarch32) {
    problems.push(
      problemAt(
        config,
        'abi-assertion',
        abiSpan,
        'The "gnu" ABI is ambiguous on 32-bit ARM: nixpkgs wants "gnueabihf" (hard float) or "gnueabi" (soft float).',
        'The "gnu" ABI is ambiguous on 32-bit ARM. Use "gnueabi" or "gnueabihf" instead.',
        'gnueabihf',
      ),
    );
  } else if (abiName === 'gnu' && isPower64BigEndian) {
    problems.push(
      problemAt(
        config,
        'abi-assertion',
        abiSpan,
        'The "gnu" ABI is ambiguous on big-endian 64-bit PowerPC: nixpkgs wants "gnuabielfv2" or "gnuabielfv1".',
        'The "gnu" ABI is ambiguous on big-endian 64-bit PowerPC. Use "gnuabielfv2" or "gnuabielfv1" instead.',
        'gnuabielfv2',
      ),
    );
  } else if (abiName === 'android' && isAarch32) {
    problems.push(
      problemAt(
        config,
        'abi-assertion',
        abiSpan,
        'The "android" ABI is not for 32-bit ARM: nixpkgs wants "androideabi".',
        'The "android" ABI is not for 32-bit ARM. Use "androideabi" instead.',
        'androideabi',
      ),
    );
  }
  if (problems.length > 0) return undefined;

  return {
    cpu: resolvedCpu,
    vendor: vendorName,
    kernel,
    abi: abiName,
    double: kernel.families.includes('darwin')
      ? `${resolvedCpu.name}-darwin`
      : `${resolvedCpu.name}-${kernel.name}`,
    triple: tripleFromSystem(resolvedCpu, vendorName, kernel, abiName),
  };
}

/** `parse.nix`'s `tripleFromSystem`. */
function tripleFromSystem(c: CpuType, vendor: string, kernel: Kernel, abi: string): string {
  const netbsdDefaultFormat =
    c.bits === 32 && ['arm', 'sparc', 'm68k', 'x86'].includes(c.family) ? 'aout' : 'elf';
  const execFormat = kernel.key === 'netbsd' && netbsdDefaultFormat !== kernel.execFormat ? kernel.execFormat : '';
  const cpuName = kernel.families.includes('darwin') && c.name === 'aarch64' ? 'arm64' : c.name;
  const abiSuffix = abi === 'unknown' ? '' : `-${abi}`;
  return `${cpuName}-${vendor}-${kernel.name}${execFormat}${abiSuffix}`;
}

/** "a, b, c and N more" — long lists in messages help nobody. */
function describeSet(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return names.length > 8 ? `${shown.join(', ')} and ${names.length - 8} more` : shown.join(', ');
}
