/**
 * `invalid-cross-system` (error): a platform given to nixpkgs cannot be right.
 * The `config` triple (or `system` double) of `crossSystem`/`localSystem` has
 * a cpu, vendor, kernel or abi that nixpkgs' `lib/systems/parse.nix` does not
 * know; a RISC-V `gcc.arch` is not a valid ISA string; or `gcc.abi` does not
 * fit the arch (32 vs 64 bit, `f`/`d` ABIs without the F/D extension, `ilp32e`
 * without the `e` base). nixpkgs validates neither `gcc` setting itself, so
 * without this the mistake surfaces as a compiler error deep in a build.
 *
 * ```nix
 * # before
 * crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "ilp32d"; };
 * # after
 * crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; };
 * ```
 */
import { checkGccSettings, parseTriple } from '../cross/index.js';
import type { ArgNode } from '../index/args.js';
import type { Span } from '../text.js';
import type { Severity } from './types.js';
import type { DiagnosticKind, Finding } from './types.js';
import { rangeIn } from './util.js';

/** Data a quick fix needs: the replacement for the string at the diagnostic's range. */
export interface CrossFix {
  replacement: string;
}

function innerSpan(arg: ArgNode, offset: number, length: number): Span | null {
  if (!arg.valueSpan || arg.string === null) return null;
  // The value is a plain "…" string: offsets inside it start after the quote.
  const start = arg.valueSpan.start + 1 + offset;
  return { start, end: start + Math.max(1, length) };
}

const SEVERITY: Record<'error' | 'warning' | 'info', Severity> = { error: 'error', warning: 'warning', info: 'information' };

export const invalidCrossSystem: DiagnosticKind<'invalid-cross-system'> = {
  code: 'invalid-cross-system',
  title: 'A platform (triple, gcc.arch, gcc.abi) that nixpkgs or GCC will reject',
  defaultSeverity: 'error',
  check(model) {
    const out: Finding[] = [];
    for (const inst of model.instances) {
      const attrs = inst.site.args?.attrs;
      if (!attrs) continue;
      /**
       * The message leads with the fix (the suggestion, else what to change), then the explanation
       * without the suggestion it ends with. A gcc suggestion replaces the whole value, a system's
       * the component at `offset`.
       */
      const report = (arg: ArgNode, offset: number, length: number, what: string, message: string, severity: Severity, suggestion?: string, config?: string) => {
        const span = innerSpan(arg, offset, length) ?? arg.valueSpan ?? arg.keySpan;
        const part = arg.string?.slice(offset, offset + length) ?? '';
        const lead =
          suggestion === undefined
            ? config === undefined
              ? `Change ${what} to a platform nixpkgs knows.`
              : `Change ${what} to a value that fits ${config}.`
            : config === undefined && part !== ''
              ? `Change "${part}" to "${suggestion}" in ${what}.`
              : `Change ${what} to "${suggestion}".`;
        const detail = suggestion === undefined ? message : message.replace(/ (Did you mean "[^"]*"\?|Use [\w-]+\.)$/, '');
        const explanation = config === undefined ? `${what} "${arg.string}": ${detail}` : detail;
        out.push({
          file: inst.file,
          range: rangeIn(model, inst.file, span),
          code: this.code,
          severity,
          message: `${lead} ${explanation}`,
          related: [],
          data: suggestion !== undefined ? { replacement: suggestion, whole: innerSpan(arg, offset, length) === null } : undefined,
        });
      };
      const checkSystemString = (arg: ArgNode | undefined, what: string) => {
        if (!arg || arg.string === null) return null;
        const parsed = parseTriple(arg.string);
        for (const p of parsed.problems) {
          report(arg, p.offset, p.length, what, p.message, 'error', p.suggestion);
        }
        return parsed.problems.length === 0 ? arg.string : null;
      };
      // Module options (`nixpkgs.hostPlatform`) are named as the user wrote them.
      const name = (key: string) => (inst.kind === 'platform' ? `nixpkgs.${key}` : key);
      checkSystemString(attrs.get('system'), name('system'));
      for (const key of ['localSystem', 'crossSystem', 'hostPlatform', 'buildPlatform'] as const) {
        const arg = attrs.get(key);
        if (!arg) continue;
        if (!arg.attrs) {
          checkSystemString(arg, name(key));
          continue;
        }
        const config =
          checkSystemString(arg.attrs.get('config'), `${name(key)}.config`) ??
          checkSystemString(arg.attrs.get('system'), `${name(key)}.system`);
        const gcc = arg.attrs.get('gcc')?.attrs;
        if (!config || !gcc) continue;
        const archArg = gcc.get('arch');
        const abiArg = gcc.get('abi');
        const problems = checkGccSettings(config, {
          ...(archArg?.string != null ? { arch: archArg.string } : {}),
          ...(abiArg?.string != null ? { abi: abiArg.string } : {}),
        });
        for (const p of problems) {
          const target = p.field === 'arch' ? archArg : abiArg;
          if (!target) continue;
          // A suggestion for an ABI replaces the whole value; for an arch, the whole ISA string.
          report(target, p.offset, p.length, `${name(key)}.gcc.${p.field}`, p.message, SEVERITY[p.severity], p.suggestion, config);
          const last = out.at(-1)!;
          if (p.suggestion !== undefined) {
            last.data = { replacement: p.suggestion, whole: true };
            last.range = rangeIn(model, inst.file, target.valueSpan ?? target.keySpan);
          }
        }
      }
    }
    return out;
  },
};
