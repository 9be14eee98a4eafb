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
 */
import { cpuOf, exampleByName } from '../cross/index.js';
import type { Instance, WorkspaceModel } from '../workspace.js';
import type { DiagnosticKind, Finding } from './types.js';
import { anchorRange, rangeIn } from './util.js';

/** The platform an instance builds for: its cross target, or its native system. */
function targetOf(inst: Instance): { cpu: string; how: 'cross' | 'native'; text: string } | null {
  if (inst.kind === 'pkgsCross' && inst.site.member) {
    const ex = exampleByName(inst.site.member);
    return ex ? { cpu: cpuOf(ex.config), how: 'cross', text: ex.config } : null;
  }
  const attrs = inst.site.args?.attrs;
  if (!attrs) return null;
  const cross = attrs.get('crossSystem');
  const crossText = cross?.string ?? cross?.attrs?.get('config')?.string ?? cross?.attrs?.get('system')?.string;
  if (crossText) return { cpu: cpuOf(crossText), how: 'cross', text: crossText };
  const local = attrs.get('localSystem');
  const nativeText = attrs.get('system')?.string ?? local?.string ?? local?.attrs?.get('system')?.string ?? local?.attrs?.get('config')?.string;
  return nativeText ? { cpu: cpuOf(nativeText), how: 'native', text: nativeText } : null;
}

function shareAHost(model: WorkspaceModel, a: string, b: string): boolean {
  const ua = model.reachedBy.get(a);
  const ub = model.reachedBy.get(b);
  // Outside the module graph, syntax cannot tell which hosts meet: assume they do.
  if (!ua || !ub) return true;
  return ua.some((u) => ub.includes(u));
}

export const emulatedAndCross: DiagnosticKind = {
  code: 'emulated-and-cross',
  title: 'A system is both emulated with QEMU and cross-compiled (or instantiated natively)',
  defaultSeverity: 'information',
  check(model) {
    const emulated: { file: string; system: string; cpu: string; span: { start: number; end: number } }[] = [];
    for (const [file, entry] of model.files) {
      for (const e of entry.facts.emulatedSystems) emulated.push({ file, system: e.system, cpu: cpuOf(e.system), span: e.span });
    }
    if (emulated.length === 0) return [];
    const out: Finding[] = [];
    for (const inst of model.instances) {
      if (!inst.createsInstance) continue;
      const target = targetOf(inst);
      if (!target) continue;
      const hits = emulated.filter((e) => e.cpu === target.cpu && shareAHost(model, e.file, inst.file));
      if (hits.length === 0) continue;
      const system = hits[0]!.system;
      out.push({
        file: inst.file,
        range: anchorRange(model, inst),
        code: this.code,
        message:
          target.how === 'cross'
            ? `${system} is emulated with QEMU (boot.binfmt.emulatedSystems) and this instance cross-compiles to ${target.text}: emulated native builds and cross builds are different derivations, so the same packages are built twice and neither is in the public binary cache. Choose one way to build for ${system}.`
            : `${system} is emulated with QEMU and also cross-compiled elsewhere in the workspace; this native ${target.text} instance is built under emulation, separately from the cross builds. Choose one way to build for ${system}.`,
        related: hits.map((h) => ({ file: h.file, range: rangeIn(model, h.file, h.span), message: `${h.system} is emulated here` })),
      });
    }
    // Native instances only matter when the same system is also cross-compiled.
    const crossCpus = new Set(
      model.instances.flatMap((i) => {
        const t = i.createsInstance ? targetOf(i) : null;
        return t && t.how === 'cross' ? [t.cpu] : [];
      }),
    );
    return out.filter((f) => !f.message.includes('this native') || crossCpus.has(cpuOfMessage(f.message)));
  },
};

function cpuOfMessage(message: string): string {
  return cpuOf(message.split(' ')[0]!);
}
