/**
 * `pkgs-with-config` (error): a configuration sets `nixpkgs.pkgs` and also
 * `nixpkgs.config` (NixOS asserts that the config is empty when pkgs is given,
 * so evaluation fails), or, as a warning, `nixpkgs.overlays` (applied on top
 * of the given set with `appendOverlays`, which makes another instance but
 * evaluates). An empty `{ }` or `[ ]` is harmless and not reported.
 *
 * ```nix
 * # before
 * nixpkgs.pkgs = inputs.nixpkgs.legacyPackages.x86_64-linux;
 * nixpkgs.config.allowUnfree = true;
 * # after: the instance carries its config
 * nixpkgs.pkgs = import inputs.nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; };
 * ```
 */
import type { ModuleOptionFact } from '../index/facts.js';
import type { Span } from '../text.js';
import type { DiagnosticKind, Finding } from './types.js';
import { rangeIn } from './util.js';

export const pkgsWithConfig: DiagnosticKind<'pkgs-with-config'> = {
  code: 'pkgs-with-config',
  title: '`nixpkgs.pkgs` together with `nixpkgs.config` or `nixpkgs.overlays`',
  defaultSeverity: 'error',
  check(model) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    // Options of a configuration: every module one evaluation loads, or a lone file.
    const groups: { file: string; opt: ModuleOptionFact }[][] = [];
    for (const b of model.builders) {
      // Inline modules (`modules = [ { nixpkgs.config = ...; } ]`) belong to the builder call in its own file.
      const inline = optionsOf(b.file).filter((o) => within(b.fact.span, o.opt.span));
      for (const u of b.units) groups.push([...inline, ...u.modules.flatMap((m) => optionsOf(m))]);
    }
    // A file no builder loads is a configuration of its own, except for the inline modules of its
    // builder calls: two `nixosSystem` calls in one flake.nix are two configurations.
    for (const { path: file } of model.factFiles) {
      if (model.reachedBy.has(file)) continue;
      const calls = model.builders.filter((b) => b.file === file);
      groups.push(optionsOf(file).filter((o) => !calls.some((b) => within(b.fact.span, o.opt.span))));
    }

    function optionsOf(file: string) {
      return (model.files.get(file)?.facts.options ?? []).map((opt) => ({ file, opt }));
    }

    for (const group of groups) {
      const pkgs = group.find((o) => o.opt.option === 'nixpkgs.pkgs');
      if (!pkgs) continue;
      for (const o of group) {
        const isConfig = o.opt.option === 'nixpkgs.config';
        if (!isConfig && o.opt.option !== 'nixpkgs.overlays') continue;
        if (isEmpty(model.files.get(o.file)!.lines.text.slice(o.opt.span.start, o.opt.span.end))) continue;
        const key = `${o.file}:${o.opt.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          file: o.file,
          range: rangeIn(model, o.file, o.opt.span),
          code: this.code,
          severity: isConfig ? 'error' : 'warning',
          message: isConfig
            ? 'Move this config into the instance given to nixpkgs.pkgs. NixOS asserts that nixpkgs.config is empty when nixpkgs.pkgs is set, so evaluation fails.'
            : 'Move these overlays into the instance given to nixpkgs.pkgs. Beside nixpkgs.pkgs they are applied on top of the given package set, which evaluates another instance.',
          related: [{ file: pkgs.file, range: rangeIn(model, pkgs.file, pkgs.opt.span), message: 'nixpkgs.pkgs is set here' }],
        });
      }
    }
    return out;
  },
};

function within(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** `config = { };`, `nixpkgs.overlays = [ ];`: NixOS's assertion and `appendOverlays` accept these. */
function isEmpty(binding: string): boolean {
  return /=\s*(\{\s*\}|\[\s*\])\s*;?\s*$/.test(binding);
}
