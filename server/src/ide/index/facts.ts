/**
 * What one file says, as plain data: the facts extracted from its syntax tree.
 * Facts never hold tree nodes, so trees of closed files can be freed at once
 * and the workspace pass runs on facts alone.
 */
import type { Span } from '../text.js';
import type { InstanceArgs } from './args.js';
import type { PathRef } from './refs.js';

/** Which nixpkgs an instantiation evaluates, as far as the file itself tells. */
export type SourceRef =
  /** A flake input of this flake.nix: an `outputs` formal, or `inputs.X` under `@inputs`. */
  | { kind: 'input'; input: string }
  /** A function argument of the file (a module's `inputs`, a helper's `nixpkgs`) with a selected path. */
  | { kind: 'arg'; arg: string; path: string[] }
  /** A search-path lookup such as `<nixpkgs>`. */
  | { kind: 'channel'; name: string }
  /** `fetchTarball`, `fetchFromGitHub`, `builtins.fetchGit`, ... of a nixpkgs. */
  | { kind: 'fetcher'; fetcher: string; url: string | null }
  /** `pkgs.path` or `pkgs.outPath`: the nixpkgs a package set came from. */
  | { kind: 'pkgs-path'; base: string }
  /** A literal path to a nixpkgs checkout. */
  | { kind: 'path'; path: string }
  /**
   * A parameter of the named function around the site (`mkPkgs = src: system: import src { ... }`):
   * a factory whose nixpkgs each call passes, as its `index`th curried argument.
   */
  | { kind: 'param'; wrapper: string; param: string; index: number }
  /** Anything else. */
  | { kind: 'unknown' };

export type InstanceKind =
  | 'import'
  | 'wrapper-call'
  | 'legacyPackages'
  | 'pkgsCross'
  | 'variant'
  | 'extend'
  | 'appendOverlays'
  | 'nixpkgs.pkgs'
  /** `nixpkgs.hostPlatform`/`buildPlatform`/`crossSystem`/`localSystem`/`system` in a module: the configuration's own package set. */
  | 'platform'
  /**
   * A framework that instantiates the flake's nixpkgs inputs itself, per system: snowfall-lib's and
   * flake-utils-plus' `mkFlake` with channels, lite-config. The `import` lives in the framework.
   */
  | 'framework';

/** How often an instance is evaluated, where syntax shows it. */
export type EvalScope = 'once' | 'per-system' | 'per-host' | 'per-call' | 'unknown';

export interface SiteFact {
  kind: InstanceKind;
  /** The whole instantiating expression. */
  span: Span;
  /** The head the diagnostics point at (`import nixpkgs`, `mkPkgs`, `pkgsCross.riscv64`). */
  anchor: Span;
  source: SourceRef;
  /** Source text of the source expression (`inputs.nixpkgs-unstable`). */
  sourceText: string;
  args: InstanceArgs | null;
  /** The name the instance is bound to (`unstable = import ...;`), if any. */
  name: string | null;
  /** Span of the binding `name = ...;` that holds the instance, if any. */
  bindingSpan: Span | null;
  /** Evaluation scope as this file shows it; `per-host` in a module is made exact by the workspace. */
  scope: EvalScope;
  /** For `wrapper-call`: the wrapper's name; for sites inside a wrapper body: the wrapper they belong to. */
  wrapper: string | null;
  /** For `pkgsCross`/`variant`: the selected name (`riscv64`, `pkgsStatic`). */
  member: string | null;
  /**
   * Set when the arguments use names bound by an inner function (`system` in
   * `genAttrs systems (system: ...)`): equal text then means equal only within
   * that function, so this tags the fingerprint with it.
   */
  argsScope: string | null;
  /**
   * The formal whose default this is (`pkgs` in `{ pkgs ? import <nixpkgs> { } }:`): evaluated
   * only by a caller that omits that argument.
   */
  defaultOf: string | null;
  /**
   * Bound by a `let` whose scope never names it (`let unstable = import <nixos-unstable> { }; in
   * { ... }` with `unstable` unused): Nix never evaluates it, so it creates nothing.
   */
  unused?: true;
  /** The site is in an overlay (`final: prev: { x = import ...; }`): one instance per package set it extends. */
  overlay: boolean;
  /** In a flake.nix: the output it is written under (`devShells`, `homeConfigurations.ada`), see `place.ts`. */
  output?: string | null;
  /** For a `per-system` site: the systems its generator is given, when written out (see `place.ts`). */
  systems?: string[] | null;
  /**
   * For a `wrapper-call` of a wrapper with `members`: the attributes its result is read through,
   * when every use is a selection the text names (`channels.latest`, `inherit (channels) stable;`);
   * absent when the result is used whole or the text does not tell.
   */
  selects?: string[];
  /**
   * For a `platform` site written as an inline module: the files (relative paths as written) the
   * same configuration loads, listed beside it (`modules = [ ./board.nix { nixpkgs.buildPlatform
   * = ...; } ]`, or a host record `{ path = ./hosts/x.nix; extraConfig = [ { ... } ]; }`).
   */
  besides?: string[];
}

/** A local function whose body instantiates nixpkgs (`mkPkgs = system: import nixpkgs { ... };`). */
export interface WrapperFact {
  name: string;
  span: Span;
  nameSpan: Span;
  params: string[];
  /** How many call sites in this file. */
  calls: number;
  /** Whether a call sits inside a per-host or per-system context, or inside a module. */
  calledPer: EvalScope[];
  /**
   * Named functions the wrapper is defined in, innermost first (`mkInputPackageSets = { system }:
   * let mkPkgs = src: import src { ... }; in ...`): each call of those defines it anew.
   */
  within: string[];
  /**
   * When the wrapper returns an attribute set (`channels = args: { stable = import ...; latest =
   * import ...; }`): its attributes and their values' spans. Nix forces an attribute only when
   * something selects it, so each call creates only the sets its result is read through.
   */
  members?: { name: string; span: Span }[];
}

export interface FlakeInputFact {
  name: string;
  url: string | null;
  follows: string | null;
  span: Span;
  /**
   * The input's name in each binding that declares it (`x` of `inputs.x.url = ...;` or of
   * `x = { ... };` inside `inputs`), first the first.
   */
  nameSpans: Span[];
  isNixpkgs: boolean;
  /** `flake = false;`: the input is its source tree only (no `lib`, no `legacyPackages`). */
  notFlake?: true;
  /**
   * The inputs of this input that flake.nix overrides (`inputs.x.inputs.nixpkgs.follows = "nixpkgs";`
   * makes `nixpkgs`), each with its `follows` when it has one (`null` for an overriding url).
   */
  overrides: { name: string; follows: string | null }[];
}

/** A `nixosSystem`/`darwinSystem`/`homeManagerConfiguration`/... call. */
export interface BuilderFact {
  builder: string;
  span: Span;
  /** Module references: paths (relative to this file's folder, `*` for dynamic segments). */
  modules: ModuleRef[];
  /** Names passed through specialArgs / extraSpecialArgs (`inherit inputs unstable;`). */
  specialArgs: string[];
  /** `specialArgs = inputs;` and the like: passes every flake input as an argument. */
  specialArgsSpreadsInputs: boolean;
  /** The literal `system` given to the builder, if any. */
  system: string | null;
  /** How many times this call is evaluated as far as the file shows (calls of a local `mkHost`). */
  evaluations: number;
  /** Names the hosts built through this call are given (`alpha`, `beta`), when known. */
  hosts: string[];
  /**
   * One entry per evaluation of this call (a call of `mkHost "alpha"` is one):
   * the host name and the literal values of the enclosing function's parameters,
   * which fill `${name}` in module paths.
   */
  units: { host: string | null; vars: Record<string, string> }[];
  /**
   * Where the host names come from outside `span`: the binding the call is bound to
   * (`nixosConfigurations.box = ...;`) or the calls of the helper it sits in (`mkHost "alpha"`).
   * Typing there changes the facts, so the fast path for typing must not skip it.
   */
  nameSpans: Span[];
  /**
   * The builder runs once per entry of a collection its file takes as an argument
   * (`{ hosts }: builtins.mapAttrs (name: host: nixosSystem { ... }) hosts`): the formal's name
   * and the position of its function in the file's curried top-level chain (0 for the first).
   * The callers' `fileCalls` name the entries.
   */
  mappedOver?: { index: number; formal: string; valueParam: string | null };
}

export interface ModuleRef {
  /** A path relative to the file's folder, posix style; `*` stands for a computed segment. */
  path: string;
  span: Span;
}

export interface ModuleOptionFact {
  /** `nixpkgs.pkgs`, `nixpkgs.config`, `nixpkgs.overlays`, `nixpkgs.hostPlatform`, ... */
  option: string;
  span: Span;
  /** For `nixpkgs.overlays`: attribute names the overlays replace (`openssl`, `stdenv`). */
  replaces: string[];
  /** The value when it is a plain string (`nixpkgs.hostPlatform = "x86_64-linux";`). */
  value: string | null;
}

export interface FileFacts {
  sites: SiteFact[];
  wrappers: WrapperFact[];
  /** Set when the file is a flake.nix with an `inputs` set. */
  flakeInputs: FlakeInputFact[] | null;
  builders: BuilderFact[];
  /** `imports = [ ... ]` of a module. */
  imports: ModuleRef[];
  /** Whether the file looks like a NixOS/home-manager/nix-darwin module. */
  moduleShaped: boolean;
  /** The module's formals, when it is a function with a formals set. */
  moduleFormals: string[] | null;
  options: ModuleOptionFact[];
  /** `boot.binfmt.emulatedSystems` entries. */
  emulatedSystems: { system: string; span: Span }[];
  /** Lines holding a `# nixpkgs-instances: ignore CODE...` comment, with the codes. */
  suppressions: { line: number; codes: string[] }[];
  /** Set when the file could only be analysed in part (deep nesting, parse errors). */
  partial: string | null;
  /** Where the part not analysed starts: the first syntax error, or the first node nested too deep. */
  partialAt: Span | null;
  /** The files and folders the text names (see `refs.ts`): the edges the evaluation layer follows. */
  refs: PathRef[];
  /** Configurations this file defines as flake outputs (`nixosConfigurations.<name>`); `name` null for a computed set. */
  configurations: { output: string; name: string | null }[];
  /** The file's value is a function (after `let`s): each caller applies it anew. */
  topFunction: boolean;
  /**
   * `import ./lib/flakes.nix { inherit lib; } inputs { hosts = { a = ...; b = ...; }; }`: the
   * file applied and, per argument after it that is a set written here, the names each of its
   * attributes lists (the keys of a set with their values when they are strings, the strings of
   * a list).
   */
  fileCalls: { path: string; span: Span; args: (Record<string, [name: string, value: string | null][]> | null)[] }[];
}
