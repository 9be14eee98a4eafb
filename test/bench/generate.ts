/**
 * Writes a synthetic Nix workspace shaped like a large real configuration
 * repository, the same for the same seed and size on every machine:
 *
 *   flake.nix, shell.nix            root flake with `mkHost`, nixpkgs, nixpkgs-unstable, home-manager
 *   hosts/<name>/                   default.nix and hardware-configuration.nix per host
 *   modules/nixos/<area>/<name>.nix NixOS modules (options, instances, overlays, cross instances)
 *   modules/nixos/workstation.nix   a 1,500-line module: the incremental benchmark's edit target
 *   home/users, home/modules        home-manager configuration
 *   lib/                            wrappers (`mkPkgs`, `mkHome`), per-system sets, helpers
 *   overlays/, templates/<x>/flake.nix
 *   pkgs/<name>/default.nix         package files, most of the file count
 *   pkgs/<set>/<set>-<i>.nix        generated package sets of a few MB, much of the byte count
 *
 * `bench-manifest.json` at the root records the parameters and the edit
 * target; it is written last, so a folder without it is incomplete.
 *
 * Command line (after `tsc -b`):
 *   node out/test/bench/generate.js --out DIR [--files N] [--mb M] [--seed S] [--check N]
 * `--check N` parses a sample of N files (every kind of file included) with
 * `nix-instantiate --parse`, which also rejects unbound variables.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Random } from './random.js';
import {
  LIB_WRAPPERS,
  hardwareFile,
  homeModule,
  homeUser,
  hostFile,
  libHelpers,
  libIndex,
  nixosModule,
  overlayIndex,
  overlayPart,
  packageIndex,
  rootFlake,
  shellNix,
  subFlake,
  type ModuleKind,
} from './shapes/config.js';
import { generatedSet, type GeneratedKind } from './shapes/generated.js';
import type { Style } from './shapes/nix.js';
import { packageFile } from './shapes/packages.js';
import { C_DEPS, NATIVE_DEPS, Names, PROGRAMS, PYTHON_DEPS, SYSTEMS } from './shapes/words.js';

/** Bumped whenever the output for the same parameters changes, so cached workspaces are not reused. */
export const GENERATOR_VERSION = 2;

export const MANIFEST = 'bench-manifest.json';

/** 1 MB = 1,000,000 bytes throughout the benchmark. */
export const MB = 1_000_000;

export interface GenerateOptions {
  /** Number of `.nix` files. */
  files: number;
  /** Total size in MB (10^6 bytes). */
  mb: number;
  seed: number;
  out: string;
}

export interface Manifest {
  generator: number;
  files: number;
  mb: number;
  seed: number;
  written: { files: number; bytes: number };
  /** Files and bytes per kind of file. */
  kinds: Record<string, { files: number; bytes: number }>;
  /** The incremental benchmark's document, relative to the root. */
  editTarget: { path: string; lines: number };
}

/** The default size for a file count: 150 MB per 40,000 files, as in the default run. */
export function defaultMb(files: number): number {
  return Math.round((files * 150) / 40_000 * 10) / 10;
}

const STYLES: Style[] = ['nixfmt', 'nixfmt', 'nixfmt', 'classic', 'classic', 'leading-comma'];
const AREAS = ['services', 'hardware', 'desktop', 'networking', 'programs', 'security', 'virtualisation', 'development'];
const MODULE_KINDS: [ModuleKind, number][] = [
  ['options', 0.5],
  ['plain', 0.2],
  ['unstable', 0.1],
  ['overlay', 0.08],
  ['variant', 0.07],
  ['cross', 0.05],
];
const GENERATED_KINDS: [GeneratedKind, string][] = [
  ['node2nix', 'node-packages'],
  ['hackage', 'hackage-packages'],
  ['vim-plugins', 'vim-plugins'],
];
/** Share of the bytes in generated package sets, and the most bytes one of them gets (the analysis skips files above 10 MiB). */
const GENERATED_SHARE = 0.3;
const GENERATED_MAX_BYTES = 5 * MB;

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.round(n)));
}

/** A seed for one part of the workspace, so each part draws from its own stream. */
function partSeed(seed: number, part: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function pickKind(r: Random): ModuleKind {
  let x = r.float();
  for (const [kind, p] of MODULE_KINDS) {
    if ((x -= p) < 0) return kind;
  }
  return 'plain';
}

export interface GeneratedFile {
  /** Relative to the root, with `/`. */
  path: string;
  kind: string;
  bytes: number;
}

/** Writes the workspace into `options.out` (which must not exist or be empty) and returns what it wrote. */
export function generateWorkspace(options: GenerateOptions): { manifest: Manifest; files: GeneratedFile[] } {
  const { seed } = options;
  const root = resolve(options.out);
  if (existsSync(root) && readdirSync(root).length > 0) throw new Error(`${root} is not empty`);
  mkdirSync(root, { recursive: true });
  const targetBytes = options.mb * MB;
  const F = options.files;

  const counts = {
    hosts: clamp(F * 0.005, 3, 400),
    modules: Math.max(6, Math.round(F * 0.04)),
    homeModules: Math.max(3, Math.round(F * 0.01)),
    users: clamp(F * 0.0005, 1, 50),
    libHelpers: clamp(F * 0.0005, 2, 40),
    overlayParts: clamp(F * 0.0005, 1, 40),
    subFlakes: clamp(F / 5000, 1, 20),
    generated: Math.max(1, Math.ceil((targetBytes * GENERATED_SHARE) / GENERATED_MAX_BYTES)),
  };
  // flake.nix, shell.nix, lib/{default,mkPkgs,mkHome,systems}.nix, overlays/default.nix, pkgs/default.nix, workstation.nix
  const fixedFiles = 9;
  const configFiles =
    fixedFiles + counts.hosts * 2 + counts.modules + counts.homeModules + counts.users + counts.libHelpers + counts.overlayParts + counts.subFlakes + counts.generated;
  const packageCount = F - configFiles;
  if (packageCount < 10) throw new Error(`--files ${F} is too small: the configuration alone needs ${configFiles + 10} files`);

  const names = new Names(new Random(partSeed(seed, 'names')));
  for (const n of [...PROGRAMS, ...C_DEPS, ...NATIVE_DEPS, ...PYTHON_DEPS, ...GENERATED_KINDS.map(([, d]) => d), 'workstation', 'default']) {
    names.reserve(n);
  }

  const written: GeneratedFile[] = [];
  let bytes = 0;
  const write = (rel: string, kind: string, text: string): void => {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    const size = Buffer.byteLength(text);
    written.push({ path: rel, kind, bytes: size });
    bytes += size;
  };

  // Modules first: hosts import them.
  const rm = new Random(partSeed(seed, 'modules'));
  const modules: { path: string; kind: ModuleKind; option: string }[] = [];
  for (let i = 0; i < counts.modules; i++) {
    const area = AREAS[i % AREAS.length];
    const name = names.fresh();
    modules.push({ path: `modules/nixos/${area}/${name}.nix`, kind: pickKind(rm), option: `${area}.${name}` });
  }
  for (const [i, m] of modules.entries()) {
    const sibling = i > 0 && modules[i - 1].path.split('/')[2] === m.path.split('/')[2] && rm.chance(0.1) ? [`./${modules[i - 1].path.split('/')[3]}`] : [];
    write(m.path, `module-${m.kind}`, nixosModule(rm, { kind: m.kind, style: rm.pick(STYLES), name: m.option, imports: sibling }));
  }
  const editTarget = 'modules/nixos/workstation.nix';
  const workstation = nixosModule(rm, { kind: 'unstable', style: 'nixfmt', name: 'workstation', minLines: 1500 });
  write(editTarget, 'module-edit-target', workstation);

  // Home-manager.
  const rh = new Random(partSeed(seed, 'home'));
  const homeModules = Array.from({ length: counts.homeModules }, () => names.fresh());
  for (const h of homeModules) write(`home/modules/${h}.nix`, 'home-module', homeModule(rh, rh.pick(STYLES)));
  const users = Array.from({ length: counts.users }, () => names.fresh(1, 2, ['']));
  for (const u of users) {
    const imports = rh.sample(homeModules, rh.int(2, 10)).map((m) => `../../modules/${m}.nix`);
    write(`home/users/${u}/default.nix`, 'home-user', homeUser(rh, u, imports, rh.pick(STYLES)));
  }

  // Hosts.
  const rs = new Random(partSeed(seed, 'hosts'));
  const hosts: { name: string; system: string }[] = [];
  const homeConfigs: { name: string; host: string }[] = [];
  for (let i = 0; i < counts.hosts; i++) {
    const name = names.fresh(1, 2, ['', '', '-01', '-02', '-srv', '-pc']);
    const system = rs.chance(0.8) ? 'x86_64-linux' : 'aarch64-linux';
    const picked = rs.sample(modules, rs.int(3, 12));
    const mods = picked.map((m) => `../../${m.path}`);
    if (rs.chance(0.3)) mods.push(`../../${editTarget}`);
    const hostUsers = rs.sample(users, rs.int(0, 2));
    for (const u of hostUsers) if (!homeConfigs.some((h) => h.name === u)) homeConfigs.push({ name: u, host: name });
    const opts = picked.filter((m) => m.kind === 'options').map((m) => m.option);
    write(`hosts/${name}/default.nix`, 'host', hostFile(rs, { name, system, modules: mods, users: hostUsers, options: opts, style: rs.pick(STYLES) }));
    write(`hosts/${name}/hardware-configuration.nix`, 'hardware', hardwareFile(rs, system));
    hosts.push({ name, system });
  }

  // Root files, lib, overlays, sub-flakes.
  const rf = new Random(partSeed(seed, 'flake'));
  write('flake.nix', 'flake', rootFlake(rf, hosts, homeConfigs));
  write('shell.nix', 'shell', shellNix(rf));
  const helpers = Array.from({ length: counts.libHelpers }, () => names.fresh(2, 2, ['']));
  write('lib/default.nix', 'lib', libIndex(helpers));
  for (const [file, text] of Object.entries(LIB_WRAPPERS)) write(`lib/${file}`, 'lib', text);
  for (const h of helpers) {
    const fns = Array.from({ length: rf.int(3, 15) }, () => names.fresh(2, 3, ['', 'By', 'Of', 'To', 'With']));
    write(`lib/${h}.nix`, 'lib', libHelpers(rf, fns));
  }
  for (let i = 0; i < counts.subFlakes; i++) {
    const name = names.fresh(2, 2, ['']);
    write(`templates/${name}/flake.nix`, 'sub-flake', subFlake(rf, name));
  }

  // Packages: names now, so overlays and the index can refer to them.
  const rp = new Random(partSeed(seed, 'packages'));
  const packages = Array.from({ length: packageCount }, () => names.fresh());
  const parts = Array.from({ length: counts.overlayParts }, () => names.fresh(2, 2, ['']));
  write('overlays/default.nix', 'overlay', overlayIndex(parts));
  for (const p of parts) write(`overlays/${p}.nix`, 'overlay', overlayPart(rf, rf.sample(packages, rf.int(0, 5))));
  write('pkgs/default.nix', 'package-index', packageIndex(packages));

  const rg = new Random(partSeed(seed, 'generated'));
  const generatedBytes = Math.min(targetBytes * GENERATED_SHARE, counts.generated * GENERATED_MAX_BYTES);
  for (let i = 0; i < counts.generated; i++) {
    const [kind, dir] = GENERATED_KINDS[i % GENERATED_KINDS.length];
    const size = Math.round((generatedBytes / counts.generated) * (0.8 + 0.4 * rg.float()));
    write(`pkgs/${dir}/${dir}-${Math.floor(i / GENERATED_KINDS.length) + 1}.nix`, `generated-${kind}`, generatedSet(rg, kind, Math.min(size, GENERATED_MAX_BYTES)));
  }

  // Package files take the rest of the bytes.
  for (let i = 0; i < packages.length; i++) {
    const left = packages.length - i;
    const mean = Math.max(600, (targetBytes - bytes) / left);
    const size = Math.min(rp.around(mean, 0.6), mean * 8);
    write(`pkgs/${packages[i]}/default.nix`, 'package', packageFile(rp, { name: packages[i], targetBytes: size }));
  }

  const kinds: Record<string, { files: number; bytes: number }> = {};
  for (const f of written) {
    const k = (kinds[f.kind] ??= { files: 0, bytes: 0 });
    k.files++;
    k.bytes += f.bytes;
  }
  const manifest: Manifest = {
    generator: GENERATOR_VERSION,
    files: F,
    mb: options.mb,
    seed,
    written: { files: written.length, bytes },
    kinds,
    editTarget: { path: editTarget, lines: workstation.split('\n').length - 1 },
  };
  writeFileSync(join(root, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, files: written };
}

/** Reads a complete workspace's manifest, or null when there is none. */
export function readManifest(root: string): Manifest | null {
  try {
    return JSON.parse(readFileSync(join(root, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/**
 * Up to `n` files for a validity check: every kind of file is represented
 * (the rare ones completely when few), the rest are drawn from the packages.
 */
export function sampleForCheck(files: readonly GeneratedFile[], n: number, seed: number): GeneratedFile[] {
  const r = new Random(partSeed(seed, 'check'));
  const byKind = new Map<string, GeneratedFile[]>();
  for (const f of files) {
    const list = byKind.get(f.kind) ?? [];
    list.push(f);
    byKind.set(f.kind, list);
  }
  const perKind = Math.max(1, Math.floor(n / 2 / byKind.size));
  const picked = new Set<GeneratedFile>();
  for (const list of byKind.values()) for (const f of r.sample(list, perKind)) picked.add(f);
  const rest = files.filter((f) => !picked.has(f));
  for (const f of r.sample(rest, Math.max(0, n - picked.size))) picked.add(f);
  return [...picked];
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '40000' },
      mb: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      check: { type: 'string' },
    },
  });
  if (!values.out) {
    process.stderr.write('usage: generate.js --out DIR [--files N] [--mb M] [--seed S] [--check N]\n');
    return 2;
  }
  const files = Number(values.files);
  const mb = values.mb === undefined ? defaultMb(files) : Number(values.mb);
  const seed = Number(values.seed);
  if (![files, mb, seed].every(Number.isFinite)) throw new Error('--files, --mb and --seed take numbers');
  const t0 = performance.now();
  const { manifest, files: written } = generateWorkspace({ files, mb, seed, out: values.out });
  process.stdout.write(
    `wrote ${manifest.written.files} files, ${(manifest.written.bytes / MB).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${resolve(values.out)}\n`,
  );
  if (Math.abs(manifest.written.bytes - mb * MB) > 0.1 * mb * MB) {
    process.stdout.write(`note: ${mb} MB was asked for; ${files} files of realistic size do not fit that\n`);
  }
  for (const [kind, k] of Object.entries(manifest.kinds).sort()) {
    process.stdout.write(`  ${kind.padEnd(22)} ${String(k.files).padStart(6)} files ${(k.bytes / MB).toFixed(2).padStart(8)} MB\n`);
  }
  if (values.check !== undefined) {
    const { nixAvailable, parseWithNix } = await import('../support/nixOracle.js');
    if (!nixAvailable()) {
      process.stderr.write('nix-instantiate is not installed: the check did not run (Debian: apt-get install -y nix-bin)\n');
      return 1;
    }
    const sample = sampleForCheck(written, Number(values.check), seed);
    const root = resolve(values.out);
    const results = await parseWithNix(sample.map((f) => ({ name: f.path, text: readFileSync(join(root, f.path), 'utf8') })));
    const failed = results.filter((r) => !r.ok);
    const kinds = new Set(sample.map((f) => f.kind));
    process.stdout.write(`nix-instantiate --parse: ${results.length - failed.length} of ${results.length} sampled files valid (${kinds.size} kinds of file)\n`);
    for (const f of failed) process.stdout.write(`  ${f.name}: ${f.error}\n`);
    return failed.length ? 1 : 0;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exitCode = 2;
    },
  );
}

