/**
 * Package files as personal repositories keep them under `pkgs/<name>/`:
 * `callPackage`-style functions over their dependencies that return a
 * derivation (stdenv, Python, Go, Rust builders, small shell applications),
 * with meta, dependency lists, build phases in indented strings and comments.
 * The size is steered by how many lines the phases get, so a file lands
 * close to the byte target it is given. A few old-style files default their
 * `pkgs` argument to `import <nixpkgs> { }`, as real repositories do.
 */
import type { Random } from '../random.js';
import { formals, indented, list, unique, type Style } from './nix.js';
import {
  C_DEPS,
  LICENSES,
  MAINTAINERS,
  NATIVE_DEPS,
  PLATFORMS,
  PYTHON_CHECK_DEPS,
  PYTHON_DEPS,
  date,
  sentence,
  str,
  version,
} from './words.js';

type Builder = 'stdenv-final' | 'stdenv-rec' | 'python' | 'go' | 'rust' | 'shell-app' | 'legacy-default-arg';

const COMMENTS = [
  "Upstream's test suite needs network access.",
  'The release tarball already contains the generated configure script.',
  'Remove when the next release includes the fix for newer compilers.',
  'Keep in sync with the version pinned by the service module.',
  'Built without the GUI: the TUI is all the hosts need.',
  'Tests are flaky on aarch64-linux; see the upstream issue tracker.',
  'Vendored copy of the library, patched for our use.',
  'The binary looks for its data next to itself.',
  'Needed for the man pages only.',
  'Upstream pins an older toolchain; this works with ours.',
];

/** A few files carry non-ASCII text in comments, as real ones do (names, dashes). */
const NON_ASCII_COMMENTS = [
  'Packaged by Zoë Łukasiewicz — thanks!',
  'Fixes the “missing locale” warning on start-up.',
  'Ported from the Ubuntu package (Ünsal Çelik).',
  'Works around a crash on ARM — see the changelog ☺',
];

export interface PackageShape {
  name: string;
  /** Roughly how many bytes the file should have. */
  targetBytes: number;
}

interface Context {
  random: Random;
  style: Style;
  name: string;
  /** How the derivation refers to its own attributes (`version`, `finalAttrs.version`). */
  self: (attr: string) => string;
  deps: string[];
  /** Bound names that may be interpolated into phases. */
  interpolable: string[];
}

function fillerLine(c: Context): string[] {
  const r = c.random;
  const dep = c.interpolable.length ? r.pick(c.interpolable) : null;
  const file = r.pick(['main', 'config', 'util', 'cli', 'server', 'io', 'net', 'log']);
  switch (r.int(0, 13)) {
    case 0:
      return [`install -Dm644 doc/${c.name}.${r.int(1, 8)} -t $out/share/man/man${r.int(1, 8)}`];
    case 1:
      return dep
        ? [`substituteInPlace src/${file}.c \\`, `  --replace-fail "/usr/bin/${file}" "${'${'}${dep}}/bin/${file}"`]
        : [`substituteInPlace src/${file}.c --replace-fail "/usr/local" "$out"`];
    case 2:
      return [`mkdir -p $out/share/${'${'}${c.self('pname')}}/${file}`];
    case 3:
      return [`cp -r share/${file}/* $out/share/`];
    case 4:
      return [`export HOME=$(mktemp -d)`];
    case 5:
      return [`patchShebangs scripts/${file}.sh tools/`];
    case 6:
      return [`ln -s $out/bin/${c.name} $out/bin/${c.name}-${file}`];
    case 7:
      return [`for f in $out/lib/*.so; do`, `  patchelf --set-rpath "''${'${'}rpath}:$out/lib" "$f"`, `done`];
    case 8:
      return [`echo "${'${'}${c.self('version')}}" > VERSION`];
    case 9:
      return [`sed -i 's|@prefix@|'"$out"'|g' ${file}.h.in`];
    case 10:
      return [`make -C docs man PREFIX=$out`];
    case 11:
      return [`install -Dm755 ${file}.sh $out/libexec/${c.name}/${file}`];
    case 12:
      return [`# ${r.pick(COMMENTS)}`];
    default:
      return [`rm -rf $out/share/doc/''${'${'}name:-${c.name}} tests/${file}_network.py`];
  }
}

function meta(c: Context, indent: number, mainProgram: boolean): string {
  const r = c.random;
  const pad = ' '.repeat(indent);
  const withLib = r.chance(0.5);
  const l = withLib ? '' : 'lib.';
  const lines: string[] = [];
  lines.push(`${pad}meta = ${withLib ? 'with lib; ' : ''}{`);
  lines.push(`${pad}  description = ${str(sentence(r, 3, 9))};`);
  if (r.chance(0.4)) {
    const long = [];
    for (let i = r.int(1, 5); i > 0; i--) long.push(sentence(r, 8, 16) + '.');
    lines.push(`${pad}  longDescription = ${indented(long, indent + 2)};`);
  }
  lines.push(`${pad}  homepage = "https://github.com/${r.pick(MAINTAINERS)}/${c.name}";`);
  if (r.chance(0.5)) lines.push(`${pad}  changelog = "https://github.com/${r.pick(MAINTAINERS)}/${c.name}/releases/tag/v${'${'}${c.self('version')}}";`);
  lines.push(`${pad}  license = ${l}licenses.${r.pick(LICENSES)};`);
  const maint = r.sample(MAINTAINERS, r.int(1, 3));
  lines.push(`${pad}  maintainers = ${withLib ? `with maintainers; ${list(c.style, maint, indent + 2)}` : list(c.style, maint.map((m) => `lib.maintainers.${m}`), indent + 2)};`);
  lines.push(`${pad}  platforms = ${l}platforms.${r.pick(PLATFORMS)};`);
  if (mainProgram) lines.push(`${pad}  mainProgram = ${str(c.name)};`);
  if (r.chance(0.05)) lines.push(`${pad}  broken = true;`);
  lines.push(`${pad}};`);
  return lines.join('\n') + '\n';
}

/** Distributes filler lines over the given phases until `budget` bytes are used. */
function phases(c: Context, names: readonly string[], budget: number, indent: number): string {
  const pad = ' '.repeat(indent);
  const bodies: string[][] = names.map(() => []);
  let used = 0;
  let k = 0;
  const fixed = names.reduce((sum, n) => sum + n.length + indent * 2 + 12, 0);
  while (used + fixed < budget || k < names.length) {
    const i = k++ % names.length;
    const lines = fillerLine(c);
    bodies[i].push(...lines);
    used += lines.reduce((s, l) => s + l.length + indent + 3, 0);
  }
  return names
    .map((n, i) => {
      const body = n.endsWith('Phase') ? ['runHook pre' + cap(n.slice(0, -5)), ...bodies[i], 'runHook post' + cap(n.slice(0, -5))] : bodies[i];
      return `\n${pad}${n} = ${indented(body, indent)};\n`;
    })
    .join('');
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function comment(c: Context, pad: string): string {
  const r = c.random;
  return `${pad}# ${r.chance(0.04) ? r.pick(NON_ASCII_COMMENTS) : r.pick(COMMENTS)}\n`;
}

/** The text of `pkgs/<name>/default.nix`. */
export function packageFile(random: Random, shape: PackageShape): string {
  const r = random;
  const builder: Builder = r.chance(0.01)
    ? 'legacy-default-arg'
    : r.pick<Builder>(['stdenv-final', 'stdenv-final', 'stdenv-rec', 'stdenv-rec', 'python', 'go', 'rust', 'shell-app']);
  const style: Style = builder === 'stdenv-final' ? 'nixfmt' : r.pick<Style>(['nixfmt', 'nixfmt', 'classic', 'leading-comma']);
  const name = shape.name;
  const ver = version(r);
  const native = unique(r.sample(NATIVE_DEPS, r.int(0, 4)));
  let deps: string[];
  switch (builder) {
    case 'python':
      deps = r.sample(PYTHON_DEPS, r.int(1, 8));
      break;
    case 'shell-app':
      deps = r.sample(['curl', 'jq', 'coreutils', 'gnused', 'gawk', 'findutils', 'openssh', 'git', 'rsync'], r.int(1, 5));
      break;
    default:
      deps = r.sample(C_DEPS, r.int(1, 10)).filter((d) => !native.includes(d));
  }
  const self = builder === 'stdenv-final' ? (a: string) => `finalAttrs.${a}` : (a: string) => a;
  const c: Context = { random: r, style, name, self, deps, interpolable: deps.filter((d) => d !== 'gst_all_1') };
  const pad = '  ';
  const body: string[] = [];
  let head: string;
  let open: string;
  let close: string;
  let phaseNames: string[];
  switch (builder) {
    case 'legacy-default-arg':
    case 'stdenv-final':
    case 'stdenv-rec': {
      const legacy = builder === 'legacy-default-arg';
      head = legacy
        ? '{ pkgs ? import <nixpkgs> { } }:\n\nwith pkgs;\n\n'
        : formals(style, unique(['lib', 'stdenv', 'fetchurl', 'fetchpatch', ...native, ...deps])) + '\n';
      open = builder === 'stdenv-final' ? 'stdenv.mkDerivation (finalAttrs: {\n' : 'stdenv.mkDerivation rec {\n';
      close = builder === 'stdenv-final' ? '})\n' : '}\n';
      body.push(`${pad}pname = ${str(name)};\n${pad}version = ${str(ver)};\n\n`);
      body.push(
        `${pad}src = fetchurl {\n${pad}  url = "https://releases.example.org/${name}/${name}-${'${'}${self('version')}}.tar.${r.pick(['gz', 'xz', 'bz2'])}";\n` +
          `${pad}  ${r.chance(0.5) ? `hash = "${r.sriSha256()}"` : `sha256 = "${r.nix32Sha256()}"`};\n${pad}};\n\n`,
      );
      if (r.chance(0.3)) {
        body.push(
          `${pad}patches = [\n${pad}  ./fix-build-with-gcc${r.int(11, 14)}.patch\n${pad}  (fetchpatch {\n${pad}    name = "${name}-fix-${r.hex(6)}.patch";\n` +
            `${pad}    url = "https://github.com/${r.pick(MAINTAINERS)}/${name}/commit/${r.gitRev()}.patch";\n${pad}    hash = "${r.sriSha256()}";\n${pad}  })\n${pad}];\n\n`,
        );
      }
      if (r.chance(0.5)) body.push(comment(c, pad));
      body.push(`${pad}nativeBuildInputs = ${list(style, native, 2)};\n`);
      body.push(`${pad}buildInputs = ${list(style, deps, 2)};\n\n`);
      if (r.chance(0.5)) {
        const flags = [`"--enable-${r.pick(['shared', 'threads', 'nls', 'docs'])}"`, `"--disable-${r.pick(['static', 'werror', 'tests'])}"`];
        if (c.interpolable.length) flags.push(`"--with-${c.interpolable[0]}=${'${'}lib.getDev ${c.interpolable[0]}}"`);
        body.push(`${pad}configureFlags = ${list(style, flags, 2)};\n\n`);
      }
      if (r.chance(0.3)) body.push(`${pad}env.NIX_CFLAGS_COMPILE = "-Wno-error=${r.pick(['format-security', 'deprecated-declarations', 'implicit-function-declaration'])}";\n\n`);
      body.push(`${pad}enableParallelBuilding = true;\n${pad}doCheck = ${r.chance(0.7) ? 'true' : 'false'};\n`);
      phaseNames = r.sample(['postPatch', 'preConfigure', 'installPhase', 'postInstall', 'postFixup'], r.int(1, 4));
      break;
    }
    case 'python': {
      const check = r.sample(PYTHON_CHECK_DEPS, r.int(1, 3));
      head = formals(style, unique(['lib', 'buildPythonPackage', 'fetchPypi', 'pythonOlder', 'setuptools', ...deps, ...check])) + '\n';
      open = 'buildPythonPackage rec {\n';
      close = '}\n';
      body.push(`${pad}pname = ${str(name)};\n${pad}version = ${str(ver)};\n${pad}pyproject = true;\n\n${pad}disabled = pythonOlder "3.${r.int(8, 12)}";\n\n`);
      body.push(`${pad}src = fetchPypi {\n${pad}  inherit pname version;\n${pad}  hash = "${r.sriSha256()}";\n${pad}};\n\n`);
      body.push(`${pad}build-system = [ setuptools ];\n\n${pad}dependencies = ${list(style, deps, 2)};\n\n`);
      body.push(`${pad}nativeCheckInputs = ${list(style, check, 2)};\n\n`);
      body.push(`${pad}pythonImportsCheck = [ ${str(name.replace(/-/g, '_'))} ];\n`);
      if (r.chance(0.4)) body.push(`\n${pad}disabledTests = ${list(style, r.sample(['test_network', 'test_timeout', 'test_large_file', 'test_locale'], 2).map(str), 2)};\n`);
      phaseNames = r.sample(['postPatch', 'preCheck', 'postInstall'], r.int(1, 2));
      c.interpolable = [];
      break;
    }
    case 'go': {
      head = formals(style, unique(['lib', 'buildGoModule', 'fetchFromGitHub', 'installShellFiles', ...deps])) + '\n';
      open = 'buildGoModule rec {\n';
      close = '}\n';
      body.push(`${pad}pname = ${str(name)};\n${pad}version = ${str(ver)};\n\n`);
      body.push(`${pad}src = fetchFromGitHub {\n${pad}  owner = "${r.pick(MAINTAINERS)}";\n${pad}  repo = "${name}";\n${pad}  rev = "v${'${'}version}";\n${pad}  hash = "${r.sriSha256()}";\n${pad}};\n\n`);
      body.push(`${pad}vendorHash = ${r.chance(0.1) ? 'null' : `"${r.sriSha256()}"`};\n\n`);
      body.push(`${pad}subPackages = [ "cmd/${name}" ];\n\n${pad}ldflags = ${list(style, ['"-s"', '"-w"', `"-X main.version=${'${'}version}"`], 2)};\n\n`);
      body.push(`${pad}nativeBuildInputs = [ installShellFiles ];\n${pad}buildInputs = ${list(style, deps, 2)};\n`);
      phaseNames = ['postInstall', ...r.sample(['preBuild', 'preCheck'], r.int(0, 1))];
      break;
    }
    case 'rust': {
      head = formals(style, unique(['lib', 'rustPlatform', 'fetchFromGitHub', 'pkg-config', ...deps])) + '\n';
      open = 'rustPlatform.buildRustPackage rec {\n';
      close = '}\n';
      body.push(`${pad}pname = ${str(name)};\n${pad}version = ${str(ver)};\n\n`);
      body.push(`${pad}src = fetchFromGitHub {\n${pad}  owner = "${r.pick(MAINTAINERS)}";\n${pad}  repo = "${name}";\n${pad}  rev = "refs/tags/v${'${'}version}";\n${pad}  hash = "${r.sriSha256()}";\n${pad}};\n\n`);
      body.push(`${pad}cargoHash = "${r.sriSha256()}";\n\n${pad}nativeBuildInputs = [ pkg-config ];\n${pad}buildInputs = ${list(style, deps, 2)};\n\n`);
      if (r.chance(0.5)) body.push(`${pad}checkFlags = ${list(style, ['"--skip=tests::network"', `"--skip=${name.replace(/-/g, '_')}::slow"`], 2)};\n`);
      phaseNames = r.sample(['postPatch', 'postInstall'], r.int(1, 2));
      break;
    }
    case 'shell-app': {
      // `name` is let-bound so the script text may interpolate it.
      head = formals(style, unique(['writeShellApplication', ...deps])) + `\nlet\n  name = ${str(name)};\nin\n`;
      open = 'writeShellApplication {\n';
      close = '}\n';
      body.push(`${pad}inherit name;\n\n${pad}runtimeInputs = ${list(style, deps, 2)};\n`);
      phaseNames = ['text'];
      c.self = () => 'name';
      c.interpolable = [];
      break;
    }
  }
  const withMeta = builder !== 'shell-app';
  let text = head + open + body.join('');
  const metaText = withMeta ? '\n' + meta(c, 2, builder !== 'python') : '';
  const budget = shape.targetBytes - text.length - metaText.length - close.length;
  text += phases(c, phaseNames, budget, 2) + metaText + close;
  return text;
}
