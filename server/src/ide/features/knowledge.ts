/**
 * What the keys of an instantiation mean, for completion and hover: the
 * arguments of `import nixpkgs { ... }`, the keys of a platform
 * (`crossSystem`/`localSystem`), of its `gcc` set, and the common `config`
 * options. Written from nixpkgs' `pkgs/top-level/impure.nix`,
 * `pkgs/top-level/default.nix`, `lib/systems/default.nix` and the nixpkgs
 * manual's configuration chapter.
 */

/** What a key's value looks like; decides the text completion inserts. */
export type ValueShape = 'string' | 'platform' | 'set' | 'list' | 'bool' | 'function';

export interface KeyInfo {
  name: string;
  shape: ValueShape;
  /** One line for the completion list. */
  detail: string;
  /** Markdown. */
  documentation: string;
}

/** The arguments `import nixpkgs { ... }` takes. */
export const INSTANCE_ARGUMENTS: readonly KeyInfo[] = [
  {
    name: 'system',
    shape: 'string',
    detail: 'the platform to build on and for (legacy spelling of localSystem)',
    documentation:
      'The platform as a double such as `"x86_64-linux"`. This is the older spelling of `localSystem`: nixpkgs refuses to be given both.\n\n' +
      'Inside a flake it must be given: without `system` or `localSystem`, nixpkgs reads `builtins.currentSystem`, which pure evaluation does not have.',
  },
  {
    name: 'localSystem',
    shape: 'platform',
    detail: 'the platform that builds (the build platform)',
    documentation:
      'The machine the packages are built on: a double (`"x86_64-linux"`) or a platform set such as `{ system = "x86_64-linux"; }` or `{ config = "x86_64-unknown-linux-gnu"; }`. ' +
      'Without `crossSystem` the packages also run there. Do not combine with `system`.',
  },
  {
    name: 'crossSystem',
    shape: 'platform',
    detail: 'the platform the packages run on, when cross-compiling',
    documentation:
      'The platform the packages run on when it differs from `localSystem`: a platform set such as `{ config = "riscv64-unknown-linux-gnu"; }` or one of `lib.systems.examples`. ' +
      'Defaults to `localSystem` (no cross-compilation). `pkgs.pkgsCross.<name>` gives the same for the ready-made examples without a new `import`.',
  },
  {
    name: 'config',
    shape: 'set',
    detail: 'nixpkgs configuration (allowUnfree, ...)',
    documentation:
      'The nixpkgs configuration, such as `{ allowUnfree = true; }`. Without it, nixpkgs reads `~/.config/nixpkgs/config.nix` (impure; empty under pure evaluation). ' +
      'Instances with different `config` are different package sets and share nothing.',
  },
  {
    name: 'overlays',
    shape: 'list',
    detail: 'overlays applied to this package set',
    documentation:
      'A list of overlays `final: prev: { ... }`. Without it, nixpkgs reads `<nixpkgs-overlays>` and `~/.config/nixpkgs/overlays` (impure; empty under pure evaluation). ' +
      'An overlay that replaces a low-level package (stdenv, gcc, glibc, openssl, ...) rebuilds everything that depends on it: no binary cache.',
  },
  {
    name: 'crossOverlays',
    shape: 'list',
    detail: 'overlays applied only to the cross-compiled (host) packages',
    documentation:
      'Overlays applied only to the package set of the host platform in a cross build, not to the build tools. Without `crossSystem` they behave like `overlays`.',
  },
];

/** Keys of a platform set (`crossSystem = { ... }`, `localSystem = { ... }`). */
export const PLATFORM_KEYS: readonly KeyInfo[] = [
  {
    name: 'config',
    shape: 'string',
    detail: 'the target triple (riscv64-unknown-linux-gnu)',
    documentation:
      'The GNU target triple `cpu-vendor-kernel-abi`, such as `"riscv64-unknown-linux-gnu"`. nixpkgs parses it with `lib.systems.parse` and fails on unknown parts.',
  },
  {
    name: 'system',
    shape: 'string',
    detail: 'the platform as a double (riscv64-linux)',
    documentation: 'The platform as a `cpu-kernel` double such as `"riscv64-linux"`; nixpkgs derives the triple from it.',
  },
  {
    name: 'gcc',
    shape: 'set',
    detail: 'GCC settings (arch, abi, tune, ...)',
    documentation:
      'Settings nixpkgs passes to GCC as `--with-<key>` when building the compiler (`arch`, `abi`, `tune`, `cpu`, `fpu`, `float-abi`). ' +
      'Any setting here changes every derivation built with that compiler, so nothing comes from the binary cache.',
  },
  {
    name: 'libc',
    shape: 'string',
    detail: 'the C library (glibc, musl, newlib, ...)',
    documentation: 'The C library, when the triple does not decide it: `"glibc"`, `"musl"`, `"newlib"`, `"newlib-nano"`, ... Bare-metal `-none-elf` triples default to newlib.',
  },
  {
    name: 'useLLVM',
    shape: 'bool',
    detail: 'build with the LLVM toolchain instead of GCC',
    documentation: 'Use clang, lld and compiler-rt instead of GCC and binutils for this platform.',
  },
  {
    name: 'isStatic',
    shape: 'bool',
    detail: 'link everything statically',
    documentation: 'Build static libraries and statically linked executables (what `pkgsStatic` sets).',
  },
];

/** Keys of a platform's `gcc` set. */
export const GCC_KEYS: readonly KeyInfo[] = [
  {
    name: 'arch',
    shape: 'string',
    detail: 'the ISA GCC generates code for (-march; rv64gc)',
    documentation:
      'GCC\'s `--with-arch`/`-march`. For RISC-V an ISA string such as `"rv64gc"` or `"rv64gcv_zba_zbb_zbs"`. nixpkgs does not check it; a custom value means no binary cache.',
  },
  {
    name: 'abi',
    shape: 'string',
    detail: 'the calling convention (-mabi; lp64d)',
    documentation:
      'GCC\'s `--with-abi`/`-mabi`. For RISC-V one of `ilp32`, `ilp32f`, `ilp32d`, `ilp32e`, `lp64`, `lp64f`, `lp64d`, `lp64e`; it must fit `arch` (`rv64gc` → `lp64d`).',
  },
  {
    name: 'tune',
    shape: 'string',
    detail: 'the CPU to schedule for (-mtune)',
    documentation: 'GCC\'s `--with-tune`/`-mtune`: optimise scheduling for a core (`"sifive-u74"`) without changing the instruction set.',
  },
  {
    name: 'cpu',
    shape: 'string',
    detail: 'the CPU to generate code for (-mcpu)',
    documentation: 'GCC\'s `--with-cpu`/`-mcpu`: a specific core, which implies its ISA and tuning.',
  },
  {
    name: 'fpu',
    shape: 'string',
    detail: 'the floating-point unit (-mfpu; ARM)',
    documentation: 'GCC\'s `--with-fpu` (ARM): `"vfpv3-d16"`, `"neon"`, ...',
  },
  {
    name: 'float-abi',
    shape: 'string',
    detail: 'soft, softfp or hard (-mfloat-abi; ARM)',
    documentation: 'GCC\'s `--with-float-abi` (ARM): `"soft"`, `"softfp"` or `"hard"`.',
  },
];

/** Common keys of an instance's `config`. */
export const CONFIG_KEYS: readonly KeyInfo[] = [
  {
    name: 'allowUnfree',
    shape: 'bool',
    detail: 'allow packages with unfree licenses',
    documentation: 'Allow packages whose license is not free (NVIDIA drivers, Steam, ...).',
  },
  {
    name: 'allowUnfreePredicate',
    shape: 'function',
    detail: 'allow some unfree packages',
    documentation: 'A function from a package to a boolean: the unfree packages it accepts are allowed, e.g. `pkg: builtins.elem (lib.getName pkg) [ "steam" ]`.',
  },
  {
    name: 'allowBroken',
    shape: 'bool',
    detail: 'allow packages marked broken',
    documentation: 'Evaluate packages whose `meta.broken` is set instead of refusing them.',
  },
  {
    name: 'allowUnsupportedSystem',
    shape: 'bool',
    detail: 'allow packages not meant for this platform',
    documentation: 'Evaluate packages whose `meta.platforms` does not include the host platform; useful when cross-compiling to RISC-V.',
  },
  {
    name: 'permittedInsecurePackages',
    shape: 'list',
    detail: 'names of insecure packages to allow',
    documentation: 'Package names with versions (`"openssl-1.1.1w"`) that are allowed despite known vulnerabilities.',
  },
  {
    name: 'allowInsecurePredicate',
    shape: 'function',
    detail: 'allow some insecure packages',
    documentation: 'A function from a package to a boolean deciding which insecure packages are allowed.',
  },
  {
    name: 'cudaSupport',
    shape: 'bool',
    detail: 'build packages with CUDA support',
    documentation: 'Turn on CUDA support in the packages that have it (unfree; everything affected is built from source unless cached elsewhere).',
  },
  {
    name: 'rocmSupport',
    shape: 'bool',
    detail: 'build packages with ROCm support',
    documentation: 'Turn on ROCm (AMD GPU) support in the packages that have it.',
  },
  {
    name: 'allowAliases',
    shape: 'bool',
    detail: 'keep deprecated package aliases',
    documentation: 'Whether the package set keeps its deprecated aliases; `false` makes a typo or an old name fail at once.',
  },
];
