/**
 * Cross-compilation knowledge of the analysis core: which system strings
 * nixpkgs accepts (`systems`), the ready-made platforms of
 * `lib.systems.examples` / `pkgsCross` (`examples`), and RISC-V ISA strings
 * and ABIs for `crossSystem.gcc.arch`/`gcc.abi` (`riscv`).
 *
 * Pure data and functions: no evaluation, no I/O. Diagnostics
 * (`invalid-cross-system`), code actions (`fix-cross-abi`), completion and
 * hover build on this API.
 */

export {
  ABIS,
  ABI_NAMES,
  ALL_DOUBLES,
  COMMON_DOUBLES,
  CPU_ALIASES,
  CPU_NAMES,
  CPU_TYPES,
  FLAKE_EXPOSED_DOUBLES,
  KERNELS,
  KERNEL_ALIASES,
  KERNEL_NAMES,
  VENDORS,
  abiInfo,
  cpuOf,
  cpuType,
  isKnownVendor,
  kernelFor,
  parseSystemDouble,
  parseTriple,
} from './systems';
export type {
  Abi,
  ComponentValue,
  CpuType,
  DoubleParse,
  Kernel,
  ParsedSystem,
  Skeleton,
  SystemComponent,
  SystemParse,
  SystemProblem,
} from './systems';

export { EXAMPLE_NAMES, SYSTEM_EXAMPLES, exampleByName, examplesForConfig } from './examples';
export type { ExampleGcc, ExampleGroup, SystemExample } from './examples';

export {
  LINUX_ABIS,
  MULTI_LETTER_EXTENSIONS,
  RISCV_ABIS,
  RISCV_ABI_INFO,
  RISCV_PROFILES,
  SINGLE_LETTER_EXTENSIONS,
  SINGLE_LETTER_ORDER,
  abisFor,
  bestAbi,
  checkAbi,
  checkGccSettings,
  commonArches,
  gccDefaultAbi,
  gccDefaultArch,
  hasExtension,
  isRiscvAbi,
  parseIsa,
  riscvXlenOfSystem,
} from './riscv';
export type {
  AbiMismatch,
  CommonArch,
  GccSettingProblem,
  IsaProblem,
  ParsedIsa,
  RiscvAbi,
  RiscvAbiInfo,
  RiscvBase,
  RiscvExtension,
  RiscvXlen,
} from './riscv';

export { closestMatch, editDistance } from './suggest';
