/**
 * `lib.systems.examples`: the ready-made platforms nixpkgs ships, which are
 * also the names `pkgs.pkgsCross.<name>` offers (nixpkgs maps `pkgsCross`
 * over this attribute set). Used for completion of `pkgsCross.` and of
 * `crossSystem = lib.systems.examples.`, for hover, and to recognise a
 * hand-written `crossSystem = { config = "riscv64-unknown-linux-gnu"; }` as
 * describing the same platform as `pkgsCross.riscv64`.
 *
 * Transcribed from nixpkgs `lib/systems/examples.nix` (master, June 2026).
 * Entries that merge a `lib/systems/platforms.nix` record (`// platforms.x`)
 * carry that record's `gcc` settings here, because they are part of the
 * example as nixpkgs defines it. Settings that `lib.systems.elaborate` adds
 * later for every platform of a kind (such as `gcc.arch = "armv8-a"` for all
 * aarch64 Linux) are not listed.
 */

/** `gcc` settings of an example; nixpkgs turns them into `--with-<key>` configure flags. */
export interface ExampleGcc {
  readonly arch?: string;
  readonly abi?: string;
  readonly cpu?: string;
  readonly fpu?: string;
  readonly float?: string;
  readonly 'float-abi'?: string;
  readonly 'strict-align'?: boolean;
  readonly cmodel?: string;
}

export type ExampleGroup = 'riscv' | 'linux' | 'embedded' | 'darwin' | 'uefi' | 'windows' | 'bsd' | 'wasm' | 'other';

export interface SystemExample {
  /** Attribute name in `lib.systems.examples` and `pkgsCross`. */
  readonly name: string;
  /** The `config` triple. */
  readonly config: string;
  readonly group: ExampleGroup;
  /** `libc` when the example sets it (`newlib` for bare metal, `ucrt`, ...); `null` means "no libc". */
  readonly libc?: string | null;
  readonly gcc?: ExampleGcc;
  readonly useLLVM?: boolean;
  /** `rust.rustcTarget` when the example sets it. */
  readonly rustcTarget?: string;
  /** For plain aliases (`ppc64 = ppc64-elfv2;`): the example this one is. */
  readonly aliasOf?: string;
  /** A short description for completion and hover. */
  readonly description: string;
}

function ex(
  name: string,
  config: string,
  group: ExampleGroup,
  description: string,
  extra: Partial<Omit<SystemExample, 'name' | 'config' | 'group' | 'description'>> = {},
): SystemExample {
  return { name, config, group, description, ...extra };
}

/**
 * Every example, RISC-V first (the five of them, in the order users reach for
 * them), then the rest in the order of `examples.nix`.
 */
export const SYSTEM_EXAMPLES: readonly SystemExample[] = [
  // RISC-V. None of these sets gcc.arch/gcc.abi: GCC's own defaults apply,
  // rv64gc/lp64d for riscv64 and rv32gc/ilp32d for riscv32.
  ex('riscv64', 'riscv64-unknown-linux-gnu', 'riscv', '64-bit RISC-V Linux, glibc'),
  ex('riscv32', 'riscv32-unknown-linux-gnu', 'riscv', '32-bit RISC-V Linux, glibc'),
  ex('riscv64-musl', 'riscv64-unknown-linux-musl', 'riscv', '64-bit RISC-V Linux, musl'),
  ex('riscv64-embedded', 'riscv64-none-elf', 'riscv', '64-bit RISC-V bare metal, newlib', { libc: 'newlib' }),
  ex('riscv32-embedded', 'riscv32-none-elf', 'riscv', '32-bit RISC-V bare metal, newlib', { libc: 'newlib' }),

  // Linux
  ex('powernv', 'powerpc64le-unknown-linux-gnu', 'linux', 'POWER little-endian Linux, glibc'),
  ex('musl-power', 'powerpc64le-unknown-linux-musl', 'linux', 'POWER little-endian Linux, musl'),
  ex('ppc64-elfv1', 'powerpc64-unknown-linux-gnuabielfv1', 'linux', 'POWER big-endian Linux, ELFv1 ABI'),
  ex('ppc64-elfv2', 'powerpc64-unknown-linux-gnuabielfv2', 'linux', 'POWER big-endian Linux, ELFv2 ABI'),
  ex('ppc64', 'powerpc64-unknown-linux-gnuabielfv2', 'linux', 'POWER big-endian Linux (same as ppc64-elfv2)', {
    aliasOf: 'ppc64-elfv2',
  }),
  ex('ppc64-musl', 'powerpc64-unknown-linux-musl', 'linux', 'POWER big-endian Linux, musl', {
    gcc: { abi: 'elfv2' },
  }),
  ex('ppc32', 'powerpc-unknown-linux-gnu', 'linux', '32-bit PowerPC Linux', {
    rustcTarget: 'powerpc-unknown-linux-gnu',
  }),
  ex('armv5tel-multiplatform', 'armv5tel-unknown-linux-gnueabi', 'linux', 'ARMv5 Linux, soft float'),
  ex('raspberryPi', 'armv6l-unknown-linux-gnueabihf', 'linux', 'Raspberry Pi 1 / Zero', {
    gcc: { arch: 'armv6kz', fpu: 'vfpv2' },
  }),
  ex('bluefield2', 'aarch64-unknown-linux-gnu', 'linux', 'NVIDIA BlueField-2', {
    gcc: { arch: 'armv8-a+fp+simd+crc+crypto' },
  }),
  ex('remarkable1', 'armv7l-unknown-linux-gnueabihf', 'linux', 'reMarkable 1 tablet', {
    gcc: { fpu: 'neon', cpu: 'cortex-a9' },
  }),
  ex('remarkable2', 'armv7l-unknown-linux-gnueabihf', 'linux', 'reMarkable 2 tablet', {
    gcc: { cpu: 'cortex-a7', fpu: 'neon-vfpv4', 'float-abi': 'hard' },
  }),
  ex('armv7l-hf-multiplatform', 'armv7l-unknown-linux-gnueabihf', 'linux', 'ARMv7 Linux, hard float'),
  ex('aarch64-multiplatform', 'aarch64-unknown-linux-gnu', 'linux', '64-bit ARM Linux, glibc'),
  ex('armv7a-android-prebuilt', 'armv7a-unknown-linux-androideabi', 'linux', 'Android ARMv7, prebuilt NDK', {
    gcc: { arch: 'armv7-a', 'float-abi': 'softfp', fpu: 'vfpv3-d16' },
    rustcTarget: 'armv7-linux-androideabi',
  }),
  ex('aarch64-android-prebuilt', 'aarch64-unknown-linux-android', 'linux', 'Android 64-bit ARM, prebuilt NDK', {
    rustcTarget: 'aarch64-linux-android',
  }),
  ex('aarch64-android', 'aarch64-unknown-linux-android', 'linux', 'Android 64-bit ARM, built from source', {
    libc: 'bionic',
    useLLVM: true,
  }),
  ex('ben-nanonote', 'mipsel-unknown-linux-uclibc', 'linux', 'Ben NanoNote (MIPS, uClibc)', {
    gcc: { arch: 'mips32', float: 'soft' },
  }),
  ex('fuloongminipc', 'mipsel-unknown-linux-gnu', 'linux', 'Fuloong mini PC (Loongson 2F)', {
    gcc: { arch: 'loongson2f', float: 'hard', abi: 'n32' },
  }),
  ex('mips-linux-gnu', 'mips-unknown-linux-gnu', 'linux', '32-bit MIPS big-endian Linux', {
    gcc: { arch: 'mips32r2', abi: '32' },
  }),
  ex('mipsel-linux-gnu', 'mipsel-unknown-linux-gnu', 'linux', '32-bit MIPS little-endian Linux', {
    gcc: { arch: 'mips32r2', abi: '32' },
  }),
  ex('mips64-linux-gnuabin32', 'mips64-unknown-linux-gnuabin32', 'linux', '64-bit MIPS big-endian, n32 ABI', {
    gcc: { arch: 'mips64r2', abi: 'n32' },
  }),
  ex('mips64el-linux-gnuabin32', 'mips64el-unknown-linux-gnuabin32', 'linux', '64-bit MIPS little-endian, n32 ABI', {
    gcc: { arch: 'mips64r2', abi: 'n32' },
  }),
  ex('mips64-linux-gnuabi64', 'mips64-unknown-linux-gnuabi64', 'linux', '64-bit MIPS big-endian, 64-bit ABI', {
    gcc: { arch: 'mips64r2', abi: '64' },
  }),
  ex('mips64el-linux-gnuabi64', 'mips64el-unknown-linux-gnuabi64', 'linux', '64-bit MIPS little-endian, 64-bit ABI', {
    gcc: { arch: 'mips64r2', abi: '64' },
  }),
  ex('muslpi', 'armv6l-unknown-linux-musleabihf', 'linux', 'Raspberry Pi 1 / Zero, musl', {
    gcc: { arch: 'armv6kz', fpu: 'vfpv2' },
  }),
  ex('aarch64-multiplatform-musl', 'aarch64-unknown-linux-musl', 'linux', '64-bit ARM Linux, musl'),
  ex('gnu64', 'x86_64-unknown-linux-gnu', 'linux', 'x86-64 Linux, glibc'),
  ex('gnu32', 'i686-unknown-linux-gnu', 'linux', '32-bit x86 Linux, glibc'),
  ex('musl64', 'x86_64-unknown-linux-musl', 'linux', 'x86-64 Linux, musl'),
  ex('musl32', 'i686-unknown-linux-musl', 'linux', '32-bit x86 Linux, musl'),
  ex('mips64-embedded', 'mips64-none-elf', 'embedded', '64-bit MIPS bare metal, newlib', { libc: 'newlib' }),
  ex('mips-embedded', 'mips-none-elf', 'embedded', '32-bit MIPS bare metal, newlib', { libc: 'newlib' }),
  ex('loongarch64-linux', 'loongarch64-unknown-linux-gnu', 'linux', 'LoongArch64 Linux', {
    gcc: { arch: 'la64v1.0', 'strict-align': false, cmodel: 'medium' },
  }),
  ex('loongarch64-linux-embedded', 'loongarch64-unknown-linux-gnu', 'linux', 'LoongArch64 Linux, strict alignment', {
    gcc: { arch: 'loongarch64', 'strict-align': true, cmodel: 'medium' },
  }),
  ex('mmix', 'mmix-unknown-mmixware', 'other', "Knuth's MMIX", { libc: 'newlib' }),
  ex('rx-embedded', 'rx-none-elf', 'embedded', 'Renesas RX bare metal', { libc: 'newlib' }),
  ex('msp430', 'msp430-elf', 'embedded', 'TI MSP430 bare metal', { libc: 'newlib' }),
  ex('avr', 'avr', 'embedded', 'AVR microcontrollers'),
  ex('vc4', 'vc4-elf', 'embedded', 'Broadcom VideoCore IV', { libc: 'newlib' }),
  ex('or1k', 'or1k-elf', 'embedded', 'OpenRISC 1000 bare metal', { libc: 'newlib' }),
  ex('m68k', 'm68k-unknown-linux-gnu', 'linux', 'Motorola 68000 Linux'),
  ex('arc', 'arc-unknown-linux-gnu', 'linux', 'Synopsys ARC Linux'),
  ex('sh4', 'sh4-unknown-linux-gnu', 'linux', 'SuperH SH-4 Linux'),
  ex('s390', 's390-unknown-linux-gnu', 'linux', '31-bit IBM Z Linux'),
  ex('s390x', 's390x-unknown-linux-gnu', 'linux', '64-bit IBM Z Linux'),
  ex('arm-embedded', 'arm-none-eabi', 'embedded', '32-bit ARM bare metal, newlib', { libc: 'newlib' }),
  ex('arm-embedded-nano', 'arm-none-eabi', 'embedded', '32-bit ARM bare metal, newlib-nano', {
    libc: 'newlib-nano',
  }),
  ex('armhf-embedded', 'arm-none-eabihf', 'embedded', '32-bit ARM bare metal, hard float', {
    libc: 'newlib',
    gcc: { arch: 'armv5t', fpu: 'vfp' },
  }),
  ex('aarch64-embedded', 'aarch64-none-elf', 'embedded', '64-bit ARM bare metal, newlib', {
    libc: 'newlib',
    rustcTarget: 'aarch64-unknown-none',
  }),
  ex('aarch64be-embedded', 'aarch64_be-none-elf', 'embedded', '64-bit big-endian ARM bare metal', {
    libc: 'newlib',
  }),
  ex('ppc-embedded', 'powerpc-none-eabi', 'embedded', '32-bit PowerPC bare metal', { libc: 'newlib' }),
  ex('ppcle-embedded', 'powerpcle-none-eabi', 'embedded', '32-bit little-endian PowerPC bare metal', {
    libc: 'newlib',
  }),
  ex('i686-embedded', 'i686-elf', 'embedded', '32-bit x86 bare metal', { libc: 'newlib' }),
  ex('x86_64-embedded', 'x86_64-elf', 'embedded', 'x86-64 bare metal', { libc: 'newlib' }),
  ex('microblaze-embedded', 'microblazeel-none-elf', 'embedded', 'MicroBlaze bare metal', { libc: 'newlib' }),

  // Darwin
  ex('iphone64', 'arm64-apple-ios', 'darwin', 'iOS device, prebuilt Xcode SDK'),
  ex('iphone64-simulator', 'x86_64-apple-ios', 'darwin', 'iOS simulator, prebuilt Xcode SDK'),
  ex('aarch64-darwin', 'arm64-apple-darwin', 'darwin', 'macOS on Apple silicon'),
  ex('x86_64-darwin', 'x86_64-apple-darwin', 'darwin', 'macOS on Intel'),

  // UEFI
  ex('x86_64-unknown-uefi', 'x86_64-unknown-uefi', 'uefi', 'x86-64 UEFI applications', {
    libc: null,
    useLLVM: true,
  }),
  ex('aarch64-unknown-uefi', 'aarch64-unknown-uefi', 'uefi', '64-bit ARM UEFI applications', {
    libc: null,
    useLLVM: true,
  }),

  // Windows
  ex('mingw-msvcrt-i686', 'i686-w64-mingw32', 'windows', '32-bit Windows, MinGW-w64 with MSVCRT', { libc: 'msvcrt' }),
  ex('mingw-msvcrt-x86_64', 'x86_64-w64-mingw32', 'windows', '64-bit Windows, MinGW-w64 with MSVCRT', {
    libc: 'msvcrt',
  }),
  ex('mingw-ucrt-x86_64', 'x86_64-w64-mingw32', 'windows', '64-bit Windows, MinGW-w64 with UCRT', { libc: 'ucrt' }),
  ex('mingw-ucrt-x86_64-llvm', 'x86_64-w64-mingw32', 'windows', '64-bit Windows, MinGW-w64 with UCRT, LLVM', {
    libc: 'ucrt',
    useLLVM: true,
    rustcTarget: 'x86_64-pc-windows-gnullvm',
  }),
  ex('mingw-ucrt-aarch64', 'aarch64-w64-mingw32', 'windows', '64-bit ARM Windows, MinGW-w64 with UCRT, LLVM', {
    libc: 'ucrt',
    useLLVM: true,
    rustcTarget: 'aarch64-pc-windows-gnullvm',
  }),
  ex('mingw32', 'i686-w64-mingw32', 'windows', 'old name of mingw-msvcrt-i686', {
    libc: 'msvcrt',
    aliasOf: 'mingw-msvcrt-i686',
  }),
  ex('mingwW64', 'x86_64-w64-mingw32', 'windows', 'old name of mingw-msvcrt-x86_64', {
    libc: 'msvcrt',
    aliasOf: 'mingw-msvcrt-x86_64',
  }),
  ex('ucrt64', 'x86_64-w64-mingw32', 'windows', 'old name of mingw-ucrt-x86_64', {
    libc: 'ucrt',
    aliasOf: 'mingw-ucrt-x86_64',
  }),
  ex('ucrtAarch64', 'aarch64-w64-mingw32', 'windows', 'old name of mingw-ucrt-aarch64', {
    libc: 'ucrt',
    useLLVM: true,
    rustcTarget: 'aarch64-pc-windows-gnullvm',
    aliasOf: 'mingw-ucrt-aarch64',
  }),
  ex('x86_64-windows', 'x86_64-pc-windows-msvc', 'windows', '64-bit Windows, MSVC ABI, LLVM', { useLLVM: true }),
  ex('aarch64-windows', 'aarch64-pc-windows-msvc', 'windows', '64-bit ARM Windows, MSVC ABI, LLVM', {
    useLLVM: true,
  }),
  ex('x86_64-cygwin', 'x86_64-pc-cygwin', 'windows', '64-bit Cygwin'),

  // BSDs
  ex('aarch64-freebsd', 'aarch64-unknown-freebsd', 'bsd', '64-bit ARM FreeBSD', { useLLVM: true }),
  ex('x86_64-freebsd', 'x86_64-unknown-freebsd', 'bsd', 'x86-64 FreeBSD', { useLLVM: true }),
  ex('x86_64-netbsd', 'x86_64-unknown-netbsd', 'bsd', 'x86-64 NetBSD'),
  ex('x86_64-netbsd-llvm', 'x86_64-unknown-netbsd', 'bsd', 'x86-64 NetBSD with LLVM (marked broken in nixpkgs)', {
    useLLVM: true,
  }),
  ex('x86_64-openbsd', 'x86_64-unknown-openbsd', 'bsd', 'x86-64 OpenBSD', { useLLVM: true }),

  // WebAssembly and JavaScript
  ex('wasi32', 'wasm32-unknown-wasi', 'wasm', 'WebAssembly with WASI', { useLLVM: true }),
  ex('wasm32-unknown-none', 'wasm32-unknown-none', 'wasm', 'WebAssembly without an OS', {
    useLLVM: true,
    rustcTarget: 'wasm32-unknown-unknown',
  }),
  ex('ghcjs', 'javascript-unknown-ghcjs', 'wasm', 'GHC JavaScript backend'),
];

const exampleIndex = new Map(SYSTEM_EXAMPLES.map((e) => [e.name, e] as const));

/** The example named `name` (`exampleByName("riscv64")`), as `pkgsCross.<name>` would use. */
export function exampleByName(name: string): SystemExample | undefined {
  return exampleIndex.get(name);
}

/** Names of all examples, RISC-V first: what completion after `pkgsCross.` offers. */
export const EXAMPLE_NAMES: readonly string[] = SYSTEM_EXAMPLES.map((e) => e.name);

/**
 * Examples whose `config` is `config`, for hover ("this is pkgsCross.riscv64").
 * Several examples can share a triple and differ in `libc` or `gcc`
 * (`x86_64-w64-mingw32` is four of them), so compare those too before calling
 * a crossSystem equivalent to an example. For `-none-elf` triples nixpkgs
 * picks `newlib` when `libc` is unset, so the embedded examples' explicit
 * `libc = "newlib"` changes nothing.
 */
export function examplesForConfig(config: string): readonly SystemExample[] {
  return SYSTEM_EXAMPLES.filter((e) => e.config === config);
}
