/**
 * The index's vocabulary in one place: the names of builders, per-system functions, derived package
 * sets, fetchers, module keys and formals, and the text prefilters built from them (which files
 * can matter at all, which nodes are worth materialising, which typed tokens can change facts).
 * A word added here reaches the prefilters too, so they never skip what extraction would read.
 */
import { INSTANCE_ARGUMENTS } from '../features/knowledge.js';

/** The `nixpkgs.*` options that say which platforms a configuration's package set is for. */
export const PLATFORM_OPTIONS = new Set(['hostPlatform', 'buildPlatform', 'crossSystem', 'localSystem', 'system']);

/** Flake outputs that each name one configuration: a NixOS system, a nix-darwin system, a home. */
export const CONFIGURATION_OUTPUTS = new Set(['nixosConfigurations', 'darwinConfigurations', 'homeConfigurations']);

/** Arguments only nixpkgs' entry point takes: `import x { overlays = ...; }` names a nixpkgs. */
export const NIXPKGS_ONLY_ARGS = new Set(INSTANCE_ARGUMENTS.map((k) => k.name));

/** Functions that call a lambda once per system. */
export const PER_SYSTEM_FUNCTIONS = new Set([
  'genAttrs',
  'forAllSystems',
  'forEachSystem',
  'eachSystem',
  'eachDefaultSystem',
  'eachDefaultSystemMap',
  'eachSystemMap',
  'forSystems',
  'perSystem',
  'mapSystems',
]);

/** Calls that build a system or home configuration from modules. */
export const BUILDERS = new Set([
  'nixosSystem',
  'darwinSystem',
  'homeManagerConfiguration',
  'evalModules',
  'mkFlake',
]);

/** Package-set members that are further instances derived from a set. */
export const VARIANTS = new Set([
  'pkgsStatic',
  'pkgsMusl',
  'pkgsi686Linux',
  'pkgsLLVM',
  'pkgsx86_64Darwin',
  'pkgsCross',
  'pkgsExtraHardening',
  'pkgsHostTarget',
]);

export const FETCHERS = new Set(['fetchTarball', 'fetchFromGitHub', 'fetchGit', 'fetchzip', 'fetchurl', 'fetchTree']);

/** Keys that mark an attribute set as a module body. */
export const MODULE_KEYS = new Set([
  'imports',
  'options',
  'config',
  'environment',
  'services',
  'boot',
  'networking',
  'home',
  'programs',
  'users',
  'nixpkgs',
  'systemd',
  'hardware',
  'fileSystems',
  'system',
  'security',
  'virtualisation',
  'xdg',
  'fonts',
  'i18n',
  'time',
  'nix',
  'launchd',
  'homebrew',
]);
/** Formals that make a function a module (`{ config, lib, pkgs, ... }:`). */
export const MODULE_FORMALS = new Set(['config', 'lib', 'pkgs', 'options', 'modulesPath', 'osConfig', 'specialArgs']);

/** Words an application must contain to be an instance, a builder or a derived set. */
export const MAY_APPLY = new RegExp(['\\bimport\\b', 'System\\b', ...[...BUILDERS].filter((b) => !b.endsWith('System')), 'extend', 'appendOverlays'].join('|'));

/** Words a selection must contain to be a shared or derived package set. */
export const MAY_SELECT = new RegExp(['legacyPackages', ...VARIANTS].join('|'));

/** Words an attribute set must contain to set `nixpkgs.*`, emulated systems, imports or configurations. */
export const MAY_ATTRSET = /nixpkgs|imports|emulatedSystems|boot|Configurations/;

/**
 * The words a subtree must contain for the index's walk to look inside it: every word of
 * MAY_APPLY, MAY_SELECT and MAY_ATTRSET without its word boundaries (so a node those match
 * holds one), and `lite-config`, which a `rec` set is read for whatever its words. Shortest
 * first: at a position, the first word that matches is the shortest (see `WordIndex`).
 */
export const SUBTREE_WORDS: readonly string[] = [
  ...new Set([
    'import',
    'System',
    ...[...BUILDERS].filter((b) => !b.endsWith('System')),
    'extend',
    'appendOverlays',
    'legacyPackages',
    ...VARIANTS,
    'nixpkgs',
    'imports',
    'emulatedSystems',
    'boot',
    'Configurations',
    'lite-config',
  ]),
].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));

/**
 * Whether a file can hold anything the index records: an instantiation, a
 * builder, module imports, `nixpkgs.*` options, emulated systems or a
 * suppression comment. A file without any of these words yields empty facts.
 */
export const MAY_MATTER = new RegExp(
  [
    'import',
    'legacyPackages',
    ...VARIANTS,
    'extend',
    'appendOverlays',
    'nixpkgs',
    'System\\b',
    ...[...BUILDERS].filter((b) => !b.endsWith('System')),
    'modules',
    'specialArgs',
    'emulatedSystems',
    'inputs',
  ].join('|'),
);

/**
 * Words that name something the index reads; a token that is or becomes one takes the full path.
 * Besides the words of instances and options: `outputs` and the per-system functions (they decide
 * how often an instance is evaluated), the keys that make a set a module, module formals, the
 * calls that map over hosts and the names a host is read from.
 */
export const SIGNIFICANT = new RegExp(
  [
    'nixpkgs|imports|emulatedSystems|boot|binfmt|config|pkgs|system|System|import|inputs|modules|specialArgs',
    'extend|overlays|Packages|Platform|home-manager|users|outPath|path|fetch|ignore',
    'outputs|map|listToAttrs|owner|repo|host|name',
    ...PER_SYSTEM_FUNCTIONS,
    ...MODULE_KEYS,
    ...MODULE_FORMALS,
  ].join('|'),
);
