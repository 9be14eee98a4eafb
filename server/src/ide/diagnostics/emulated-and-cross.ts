/**
 * `emulated-and-cross` (information): the workspace emulates a system with
 * QEMU (`boot.binfmt.emulatedSystems`) and also cross-compiles to it, or
 * instantiates it natively too. Emulated native builds and cross builds are
 * different derivations, so the same packages are built twice, and neither
 * set is in the public binary cache. Pick one way for each target.
 *
 * ```nix
 * # before: both
 * boot.binfmt.emulatedSystems = [ "riscv64-linux" ];
 * rv = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; };
 * # after: cross only (or emulation only, with `system = "riscv64-linux"` instances)
 * rv = import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; };
 * ```
 *
 * Systems are compared by their double (`riscv64-unknown-linux-gnu` is
 * `riscv64-linux`), so a bare-metal `riscv64-none-elf` toolchain does not
 * meet an emulated `riscv64-linux`. Emulation is set per host: an instance
 * meets it when both are loaded by the same host, or when either sits in
 * flake.nix outside the module graph, except that a flake output such as
 * `packages` or `checks` is built on its own and never as part of a host. A
 * file nothing evaluates, or a helper file that builds the hosts, is not tied
 * to the emulating hosts by syntax: silence there.
 */
import { cpuOf, exampleByName, parseTriple } from '../cross/index.js';
import { platformArgs, type Instance, type WorkspaceModel } from '../workspace.js';
import type { ArgNode } from '../index/args.js';
import type { Span } from '../text.js';
import type { DiagnosticKind, Finding, RelatedInfo } from './types.js';
import { anchorRange, MAX_RELATED, rangeIn } from './util.js';

interface Target {
  /** The double the instance builds for (`riscv64-linux`), or the bare cpu when the text does not parse. */
  system: string;
  how: 'cross' | 'native';
  text: string;
}

interface Emulation {
  file: string;
  /** As written (`riscv64-linux`). */
  system: string;
  /** For comparison with targets. */
  double: string;
  span: Span;
}

/** `riscv64-unknown-linux-gnu` → `riscv64-linux`; unparsable text → its cpu. */
function doubleOf(text: string): string {
  return parseTriple(text).system?.double ?? cpuOf(text);
}

/** The platform an instance builds for: its cross target, or its native system. */
function targetOf(inst: Instance): Target | null {
  if (inst.kind === 'pkgsCross' && inst.site.member) {
    const ex = exampleByName(inst.site.member);
    return ex ? { system: doubleOf(ex.config), how: 'cross', text: ex.config } : null;
  }
  // A platform site paired with another module's (see `pairPlatforms`) is read with both halves.
  const attrs = (inst.kind === 'platform' ? platformArgs(inst) : inst.site.args)?.attrs;
  if (!attrs) return null;
  const platformText = (a: ArgNode | undefined) => a?.string ?? a?.attrs?.get('config')?.string ?? a?.attrs?.get('system')?.string;
  if (inst.kind === 'platform') {
    // A configuration is cross-compiled when it names a build platform (or the legacy crossSystem).
    const target = platformText(attrs.get('crossSystem')) ?? (attrs.has('buildPlatform') ? platformText(attrs.get('hostPlatform')) : undefined);
    if (target) return { system: doubleOf(target), how: 'cross', text: target };
    const native = platformText(attrs.get('hostPlatform')) ?? platformText(attrs.get('localSystem')) ?? attrs.get('system')?.string;
    return native ? { system: doubleOf(native), how: 'native', text: native } : null;
  }
  const cross = attrs.get('crossSystem');
  const crossText = cross?.string ?? cross?.attrs?.get('config')?.string ?? cross?.attrs?.get('system')?.string;
  if (crossText) return { system: doubleOf(crossText), how: 'cross', text: crossText };
  const local = attrs.get('localSystem');
  const nativeText = attrs.get('system')?.string ?? local?.string ?? local?.attrs?.get('system')?.string ?? local?.attrs?.get('config')?.string;
  return nativeText ? { system: doubleOf(nativeText), how: 'native', text: nativeText } : null;
}

/** Flake outputs that are built by themselves, never as part of a host's configuration. */
const STANDALONE_OUTPUTS = new Set(['packages', 'legacyPackages', 'checks', 'devShells', 'apps', 'formatter', 'hydraJobs']);

function isStandaloneOutput(model: WorkspaceModel, inst: Instance): boolean {
  const first = inst.site.name?.split('.')[0];
  return first !== undefined && STANDALONE_OUTPUTS.has(first) && model.locationOf(inst.file) === 'flake';
}

function meets(model: WorkspaceModel, emulation: Emulation, inst: Instance): boolean {
  const ua = model.reachedBy.get(emulation.file);
  // The half of a cross set written beside the host's file belongs to the configurations of that file.
  const ub = model.reachedBy.get(inst.pair?.half === 'build' ? inst.pair.other.file : inst.file);
  if (ua && ub) return ua.some((u) => ub.includes(u));
  // A file no output evaluates (a release.nix for Hydra, a script) is not built with the hosts.
  if (!inst.evaluated) return false;
  if (isStandaloneOutput(model, inst)) return false;
  // A site in the file that builds the hosts (`ruby = { nixpkgs.pkgs = pkgs.pkgsCross.riscv64; }`)
  // belongs to one host, which syntax does not tie to the hosts that emulate: silence.
  if (model.locationOf(inst.file) === 'other') return false;
  // Elsewhere outside the module graph (flake.nix), syntax cannot tell which hosts meet: assume they do.
  return true;
}

export const emulatedAndCross: DiagnosticKind<'emulated-and-cross'> = {
  code: 'emulated-and-cross',
  title: 'A system is both emulated with QEMU and cross-compiled (or instantiated natively)',
  defaultSeverity: 'information',
  check(model) {
    const emulated: Emulation[] = [];
    for (const entry of model.factFiles) {
      const file = entry.path;
      for (const e of entry.facts.emulatedSystems) emulated.push({ file, system: e.system, double: doubleOf(e.system), span: e.span });
    }
    if (emulated.length === 0) return [];
    const targeted = model.instances.flatMap((inst) => {
      // A cross set written in two modules is reported once, at the half that chooses to cross.
      const target = inst.createsInstance && inst.pair?.half !== 'host' ? targetOf(inst) : null;
      return target ? [{ inst, target }] : [];
    });
    const emulationRelated = (hits: Emulation[]): RelatedInfo[] =>
      hits.map((h) => ({ file: h.file, range: rangeIn(model, h.file, h.span), message: `${h.system} is emulated here` }));
    const out: Finding[] = [];
    for (const { inst, target } of targeted) {
      const hits = emulated.filter((e) => e.double === target.system && meets(model, e, inst));
      if (hits.length === 0) continue;
      const system = hits[0]!.system;
      if (target.how === 'cross') {
        out.push({
          file: inst.file,
          range: anchorRange(model, inst),
          code: this.code,
          message: `Choose emulation or cross-compilation for ${system}. ${system} is emulated with QEMU (boot.binfmt.emulatedSystems) and this instance cross-compiles to ${target.text}: emulated native builds and cross builds are different derivations, so the same packages are built twice and neither is in the public binary cache.`,
          related: emulationRelated(hits),
        });
        continue;
      }
      // A native instance of an emulated system only matters when the same hosts also cross-compile to it.
      const crosses = targeted.filter(
        (t) => t.target.how === 'cross' && t.target.system === target.system && hits.some((h) => meets(model, h, t.inst)),
      );
      if (crosses.length === 0) continue;
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        message: `Choose emulation or cross-compilation for ${system}. ${system} is emulated with QEMU and also cross-compiled elsewhere in the workspace; this native ${target.text} instance is built under emulation, separately from the cross builds.`,
        related: [
          ...emulationRelated(hits),
          ...crosses.slice(0, MAX_RELATED).map((c) => ({ file: c.inst.file, range: anchorRange(model, c.inst), message: `cross-compiled to ${c.target.text} here` })),
        ],
      });
    }
    return out;
  },
};
