/**
 * `global-overlays` (information): `nixpkgs.overlays` in a module replaces a
 * low-level package. The overlay applies to the system's one package set, so
 * every package that depends on the replaced one is rebuilt and no longer
 * comes from the binary cache. A separate instance with its own overlays
 * keeps the global package set intact.
 *
 * ```nix
 * # before
 * nixpkgs.overlays = [ (final: prev: { openssl = prev.openssl.override { ... }; }) ];
 * # after: only what needs it uses a separate instance
 * environment.systemPackages = [ (import nixpkgs { inherit system; overlays = [ myOpenssl ]; }).curl ];
 * ```
 */
import type { DiagnosticKind, Finding } from './types.js';
import { listNames, rangeIn } from './util.js';

/** Packages that almost everything depends on. */
export const LOW_LEVEL_PACKAGES = new Set([
  'stdenv',
  'gcc',
  'glibc',
  'binutils',
  'openssl',
  'systemd',
  'python3',
  'python3Packages',
  'perl',
  'zlib',
  'bash',
  'coreutils',
  'gnumake',
  'curl',
  'libffi',
  'ncurses',
  'readline',
  'xz',
  'bzip2',
  'gnused',
  'gnugrep',
  'gawk',
  'linuxHeaders',
  'musl',
  'llvm',
  'clang',
  'rustc',
  'cargo',
  'go',
  'nodejs',
  'cmake',
  'meson',
  'ninja',
  'pkg-config',
  'gettext',
  'libxml2',
  'sqlite',
  'dbus',
  'glib',
  'util-linux',
  'expat',
  'pcre2',
  'libgcc',
  'stdenvNoCC',
]);

export const globalOverlays: DiagnosticKind<'global-overlays'> = {
  code: 'global-overlays',
  title: '`nixpkgs.overlays` replaces a low-level package for the whole system',
  defaultSeverity: 'information',
  check(model) {
    const out: Finding[] = [];
    for (const entry of model.factFiles) {
      const file = entry.path;
      for (const opt of entry.facts.options) {
        if (opt.option !== 'nixpkgs.overlays') continue;
        const low = opt.replaces.filter((p) => LOW_LEVEL_PACKAGES.has(p));
        if (low.length === 0) continue;
        out.push({
          file,
          range: rangeIn(model, file, opt.span),
          code: this.code,
          message:
            'Apply this overlay to a separate instance if only some packages need it. ' +
            `It replaces ${listNames(low)} in the system's package set: every package that depends on ${low.length === 1 ? 'it' : 'one of them'} ` +
            'is rebuilt locally instead of coming from the binary cache.',
          related: [],
        });
      }
    }
    return out;
  },
};
