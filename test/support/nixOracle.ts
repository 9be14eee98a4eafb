/**
 * Nix itself as a test oracle. Users never need Nix: the product reads Nix
 * syntax and never evaluates workspace code. Tests use the real parser and
 * evaluator to check that fixtures are valid Nix and that the instances the
 * analysis reports are the ones Nix actually creates.
 *
 * What running Nix here needed (Nix 2.8 from Debian `nix-bin`, root or not,
 * offline, no daemon):
 * - `NIX_REMOTE=dummy://`: without it, a non-root user is sent to the
 *   daemon socket ("getting status of /nix/var/nix/daemon-socket/socket:
 *   Permission denied"). Parsing and these evaluations never touch a store,
 *   and the dummy store also keeps a root run from writing to /nix/var.
 * - `HOME`, `XDG_*`, `NIX_CONF_DIR`, `NIX_STATE_DIR` in a private temp
 *   folder, `NIX_PATH` empty (a flake's evaluation sets it to its stand-in
 *   nixpkgs inputs only, so `<nixpkgs-old>` names the input `nixpkgs-old`):
 *   no user or system nix.conf (experimental features, substituters) and no
 *   channel can change the result, and nothing is written outside the temp
 *   folder.
 * Nothing else: no network, no `nix-daemon`, no `/nix` setup.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { onPath, requireProgram } from './programs.js';

const NIX_INSTANTIATE = 'nix-instantiate';

/** Whether `nix-instantiate` is an executable on PATH (checked once, no process started). */
export function nixAvailable(): boolean {
  return onPath(NIX_INSTANTIATE);
}

/**
 * The policy for tests that need the oracle (see programs.ts): in CI a missing
 * Nix fails the test; elsewhere the test is reported as skipped, with the
 * reason. Returns whether the caller may use Nix.
 */
export function nixOrExplain(t: TestContext): boolean {
  return requireProgram(t, NIX_INSTANTIATE, 'Nix', 'Debian: apt-get install -y nix-bin');
}

/** One text for the parser; `name` is only used to report on it. */
export interface NixSource {
  name: string;
  text: string;
}

export interface NixParseResult {
  name: string;
  ok: boolean;
  /** Nix's own message, with the temp path replaced by `name`. */
  error?: string;
}

/** Files per `nix-instantiate` process: keeps the command line short. */
const PARSE_BATCH = 200;

/**
 * Parses every text with `nix-instantiate --parse`, as few processes as
 * possible. Nix parses its file arguments in order and stops at the first
 * error, naming the file; so one run proves every file before the failure
 * valid, and the next run starts after it. A failure whose message names none
 * of the files falls back to one process per remaining file. Nix also checks
 * variable scoping while parsing, so an undefined variable counts as an error.
 */
export async function parseWithNix(files: readonly NixSource[]): Promise<NixParseResult[]> {
  return withTempDir(async (dir) => {
    const env = nixEnv(dir);
    const paths = files.map((file, i) => path.join(dir, `${String(i).padStart(5, '0')}.nix`));
    files.forEach((file, i) => fs.writeFileSync(paths[i], file.text));
    const results: NixParseResult[] = new Array(files.length);
    const report = (i: number, stderr: string | undefined): void => {
      results[i] =
        stderr === undefined
          ? { name: files[i].name, ok: true }
          : { name: files[i].name, ok: false, error: stderr.split(paths[i]).join(files[i].name).trim() };
    };

    let next = 0;
    while (next < files.length) {
      const batch = paths.slice(next, next + PARSE_BATCH);
      const run = await runNix(['--parse', ...batch], env, false);
      if (run.code === 0) {
        batch.forEach((_, k) => report(next + k, undefined));
        next += batch.length;
        continue;
      }
      const failed = batch.findIndex((p) => run.stderr.includes(p));
      if (failed >= 0) {
        for (let k = 0; k < failed; k++) report(next + k, undefined);
        report(next + failed, run.stderr);
        next += failed + 1;
        continue;
      }
      for (let k = 0; k < batch.length; k++) {
        const single = await runNix(['--parse', batch[k]], env, false);
        report(next + k, single.code === 0 ? undefined : single.stderr || `exit code ${single.code}`);
      }
      next += batch.length;
    }
    return results;
  });
}

/** One package set that evaluating the flake created, as reported by a stand-in input. */
export interface NixInstance {
  /**
   * `import`: `import <nixpkgs input> { ... }`; `legacyPackages`: the input's
   * shared per-system set; `nixos`: the set a NixOS system builds from its
   * `nixpkgs.*` options; `pkgsCross`, `extend`, `appendOverlays`: derived
   * from another set.
   */
  kind: 'import' | 'legacyPackages' | 'nixos' | 'pkgsCross' | 'extend' | 'appendOverlays';
  /** The flake input it was built from (not for derived sets). */
  input?: string;
  /** For `import`: the file and line of the first attribute of the argument set (not of the `import` keyword), relative to the flake. */
  file?: string;
  line?: number;
  /** For `import`: the argument names given (`system`, `localSystem`, `config`, ...). */
  arguments?: string[];
  /** For `import`: `localSystem`, `system` or `builtins.currentSystem`; for the others, their system. */
  system?: string;
  /** For `import`: the cross system's `config` triple (or name), else null. */
  cross?: string | null;
  /** For `nixos`: the host's `networking.hostName` and how many overlays its modules set. */
  host?: string | null;
  overlays?: number;
  /** For derived sets: the `pkgsCross` name and the set it came from. */
  name?: string;
  parent?: string;
  /**
   * For `import`, `legacyPackages` and `nixos`: which instance this is, as
   * `<input> <JSON of the normalised arguments>`. Two sets with the same key
   * are the same instance (nixpkgs would compute equal derivations); the
   * packages of the set carry the key in their strings.
   */
  key?: string;
  /** The normalised arguments behind `key`. */
  normalized?: NormalizedInstanceArgs;
}

/**
 * An instance's arguments as `import nixpkgs ARGS` sees them, in a form where
 * equal instances compare equal: `system`, `localSystem = "s"` and
 * `localSystem = { system = "s"; }` all become `system`; `config` and
 * `crossSystem` keep every key and value (functions become `"<function>"`,
 * package sets and stubs their label); overlays are counted.
 * `legacyPackages.${s}` is `{ system = s; }` (what nixpkgs' flake does under
 * pure evaluation), and the set NixOS builds is `{ system; config; overlays }`
 * from the host's `nixpkgs.*` options.
 */
export interface NormalizedInstanceArgs {
  system: string;
  /** The `crossSystem` argument (a string or an attribute set), or null. */
  cross: unknown;
  config: unknown;
  overlays: number;
  /** Any other argument (`crossOverlays`, ...), by name. */
  other: Record<string, unknown>;
}

/** How many times one instance (an input with normalised arguments) was evaluated. */
export interface InstanceEvaluations {
  key: string;
  input: string;
  args: NormalizedInstanceArgs;
  /** Package sets with this key that the evaluation created. */
  count: number;
}

/** What each configuration ends up with, after the stand-in module system's naive merge. */
export interface ConfigurationPackages {
  /** `nixosConfigurations.<host>.config.environment.systemPackages`, as strings, in merge order. */
  nixosConfigurations: Record<string, string[]>;
  /** `homeConfigurations.<user>.config.home.packages`, as strings, in merge order. */
  homeConfigurations: Record<string, string[]>;
}

export interface FlakeEvaluation {
  /** Every package set, once per evaluation that created it (the order is Nix's). */
  instances: NixInstance[];
  /** Per `nixosConfigurations` host: NixOS assertions the stand-ins can check (e.g. `nixpkgs.config` beside `nixpkgs.pkgs`). */
  failedAssertions: Record<string, string[]>;
  /**
   * The packages every configuration ends up with. A package is the string
   * `/nix/store/stub-<instance key>.<attribute path>`, so the same package
   * from an equal instance gives the same string, and a package from an
   * instance with any other argument does not.
   */
  packages: ConfigurationPackages;
  /** Per instance key: how many package sets with that key were evaluated, sorted by key. */
  evaluations: InstanceEvaluations[];
}

/**
 * Evaluates `flake.nix` in `flakeDir` with stand-in inputs, offline and in a
 * fraction of a second, and reports every nixpkgs instance the evaluation
 * creates. An input whose URL names a nixpkgs becomes a stand-in nixpkgs:
 * importing it records the call (through `builtins.trace`) and returns a fake
 * package set that answers every attribute name the workspace's `.nix` files
 * mention. Other inputs answer the same way and import as an empty overlay.
 * `lib.nixosSystem` and `homeManagerConfiguration` run a tiny module system
 * (imports, a naive merge, `config` as a fixed point) over the real module
 * files, so an instance created inside a module shows up once per host.
 * Everything reachable from the outputs is forced except package sets.
 * This checks the shape of a workspace, not NixOS semantics: option types,
 * priorities and `mkIf` are not modelled (`mkDefault`/`mkForce` return
 * their value).
 *
 * Packages are strings that name their instance: `(import nixpkgs-unstable
 * { system = "x86_64-linux"; }).hello` is
 * `/nix/store/stub-nixpkgs-unstable {"config":{},...,"system":"x86_64-linux"}.hello`.
 * So comparing `packages` before and after an edit shows whether every
 * configuration still gets the same packages from an equal instance, and
 * `evaluations` how often each instance was evaluated. Limits of the key:
 * arguments nixpkgs treats alike (`config.allowUnfree = false` and no
 * config) differ here; functions cannot be compared, so overlays count only
 * by their number (what an overlay does to a package still shows in that
 * package's string: `prev.hello.override { }` names its path). A host's
 * system is, as in NixOS, its `nixpkgs.hostPlatform` or `nixpkgs.system`,
 * else the builder's `system`.
 */
export async function evaluateFlakeWithStandIns(flakeDir: string): Promise<FlakeEvaluation> {
  const root = path.resolve(flakeDir);
  return withTempDir(async (dir) => {
    const env = nixEnv(dir);
    const flakeFile = path.join(root, 'flake.nix');
    const listed = await runNix(
      [
        '--eval',
        '--strict',
        '--json',
        '-E',
        `builtins.mapAttrs (n: v: { url = v.url or ""; repo = v.repo or ""; }) ((import ${nixString(flakeFile)}).inputs or { })`,
      ],
      env,
      true,
    );
    if (listed.code !== 0) throw new Error(`listing the inputs of ${flakeFile} failed:\n${listed.stderr}`);
    const declared = JSON.parse(listed.stdout) as Record<string, { url: string; repo: string }>;
    const nixpkgsInputs = Object.keys(declared).filter((name) => isNixpkgsSource(declared[name]));
    const otherInputs = Object.keys(declared).filter((name) => !nixpkgsInputs.includes(name));

    const driver = path.join(dir, 'driver.nix');
    fs.writeFileSync(driver, STAND_IN_DRIVER);
    const inputsDir = path.join(dir, 'inputs');
    for (const name of Object.keys(declared)) {
      fs.mkdirSync(path.join(inputsDir, name), { recursive: true });
      fs.writeFileSync(
        path.join(inputsDir, name, 'default.nix'),
        `(import ${nixString(driver)}).inputDefault ${nixString(name)}\n`,
      );
      // As a nixpkgs tree: `import (<source> + "/lib")` is its lib.
      fs.mkdirSync(path.join(inputsDir, name, 'lib'));
      fs.writeFileSync(path.join(inputsDir, name, 'lib', 'default.nix'), `(import ${nixString(driver)}).inputLib ${nixString(name)}\n`);
    }
    // A channel-era source: `<name>` is the stand-in of the nixpkgs input of that name.
    env.NIX_PATH = nixpkgsInputs.map((name) => `${name}=${path.join(inputsDir, name)}`).join(':');
    const config = { flakeDir: root, inputsDir, nixpkgsInputs, otherInputs, names: attributeNames(root) };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));

    const run = await runNix(['--eval', '--strict', '--json', '-E', `(import ${nixString(driver)}).result`], env, true);
    if (run.code !== 0) throw new Error(`evaluating ${flakeFile} with stand-in inputs failed:\n${run.stderr}`);
    const instances = run.stderr
      .split('\n')
      .filter((line) => line.startsWith(TRACE_PREFIX))
      .map((line) => JSON.parse(line.slice(TRACE_PREFIX.length)) as NixInstance)
      .map((instance) =>
        instance.file ? { ...instance, file: path.relative(root, instance.file).split(path.sep).join('/') } : instance,
      );
    const result = JSON.parse(run.stdout) as { assertions: Record<string, string[]>; packages: ConfigurationPackages };
    return {
      instances,
      failedAssertions: result.assertions,
      packages: result.packages,
      evaluations: countEvaluations(instances),
    };
  });
}

/** Groups the keyed package sets by key: one entry per distinct instance. */
export function countEvaluations(instances: readonly NixInstance[]): InstanceEvaluations[] {
  const byKey = new Map<string, InstanceEvaluations>();
  for (const instance of instances) {
    if (instance.key === undefined || instance.normalized === undefined || instance.input === undefined) continue;
    const entry = byKey.get(instance.key);
    if (entry) entry.count++;
    else byKey.set(instance.key, { key: instance.key, input: instance.input, args: instance.normalized, count: 1 });
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether a flake input's URL (or `repo` attribute) names a nixpkgs, as the stand-ins need it. */
function isNixpkgsSource(input: { url: string; repo: string }): boolean {
  return /(^|[:/])nixpkgs(\.git)?([/?#]|$)/i.test(input.url) || input.repo.toLowerCase() === 'nixpkgs';
}

/** Every identifier-like word in the workspace's `.nix` files: the names a fake package set must answer. */
function attributeNames(root: string): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.nix')) {
        for (const word of fs.readFileSync(full, 'utf8').match(/[A-Za-z_][A-Za-z0-9_'-]*/g) ?? []) names.add(word);
      }
    }
  };
  walk(root);
  return [...names].sort();
}

const TRACE_PREFIX = 'trace: nixpkgs-instance ';

/**
 * The stand-in inputs, in Nix. `config.json` beside it holds the flake
 * folder, the input names and the attribute names to answer. Kept free of
 * backquotes and dollar-brace so it can live in this template literal.
 */
const STAND_IN_DRIVER = String.raw`# Stand-in flake inputs: evaluates a flake's outputs without nixpkgs and
# reports, through builtins.trace, every package set the evaluation creates.
let
  cfg = builtins.fromJSON (builtins.readFile ./config.json);
  inherit (builtins)
    attrNames filter foldl' genericClosure getAttr hasAttr head
    isAttrs isFunction isList length listToAttrs map mapAttrs seq toJSON trace;

  genAttrs = names: f: listToAttrs (map (n: { name = n; value = f n; }) names);
  systems = [ "x86_64-linux" "aarch64-linux" "i686-linux" "riscv64-linux" "x86_64-darwin" "aarch64-darwin" ];

  # Answers every attribute name the workspace mentions, and can be called.
  stub = path: genAttrs cfg.names (n: stub (path + "." + n)) // {
    _stub = path;
    __functor = self: _: stub (path + "()");
    __toString = self: "/nix/store/stub-" + path;
  };

  # Reports one package set and returns it unchanged.
  record = info: value: trace ("nixpkgs-instance " + toJSON info) value;

  firstPos = args:
    let ps = filter (p: p != null) (map (n: builtins.unsafeGetAttrPos n args) (attrNames args));
    in if ps == [ ] then null else foldl' (a: b: if b.line < a.line then b else a) (head ps) ps;

  platformName = p: if isAttrs p then p.system or p.config or "?" else p;

  # A value in a form that toJSON accepts and that compares as nixpkgs would:
  # functions (overlays, predicates) cannot be compared and all read the same;
  # stubs and package sets read as their label; paths as their text (toJSON
  # would copy them to the store).
  canon = v:
    if isFunction v then "<function>"
    else if builtins.isPath v then toString v
    else if isAttrs v then
      (if v ? _stub then "<" + v._stub + ">"
       else if v ? _instance then "<" + v._instance + ">"
       else mapAttrs (n: canon) v)
    else if isList v then map canon v
    else v;

  # The arguments of an instance, normalised: see NormalizedInstanceArgs.
  normalize = args: {
    system = platformName (args.localSystem or args.system or "builtins.currentSystem");
    cross = if args ? crossSystem then canon args.crossSystem else null;
    config = canon (args.config or { });
    overlays = length (args.overlays or [ ]);
    other = canon (removeAttrs args [ "system" "localSystem" "crossSystem" "config" "overlays" ]);
  };

  # Which instance importing input with args makes; also the label of its
  # packages, so that equal instances give equal package strings.
  instanceKey = input: args: input + " " + toJSON (normalize args);

  # A package as the configuration ends up with it.
  show = v:
    if isAttrs v && v ? __toString then toString v
    else if builtins.isString v || builtins.isPath v then toString v
    else toJSON (canon v);

  # A fake package set. Overlays are applied so that their own imports run.
  # label names its packages (the instance key for instances); name is the
  # readable name derived sets report as their parent.
  pkgsFor = { label, name ? label, system, overlays ? [ ] }:
    let
      base = self: stub label // {
        _instance = label;
        inherit system;
        lib = lib label;
        stdenv = stub (label + ".stdenv") // {
          hostPlatform = stub (label + ".hostPlatform") // { inherit system; };
          buildPlatform = stub (label + ".buildPlatform") // { inherit system; };
        };
        pkgsCross = genAttrs cfg.names (n: record { kind = "pkgsCross"; name = n; parent = name; }
          (pkgsFor { label = label + ".pkgsCross." + n; name = name + ".pkgsCross." + n; inherit system; }));
        extend = o: record { kind = "extend"; parent = name; }
          (pkgsFor { label = label + ".extend"; name = name + ".extend"; inherit system; overlays = overlays ++ [ o ]; });
        appendOverlays = os: record { kind = "appendOverlays"; parent = name; }
          (pkgsFor { label = label + ".appendOverlays"; name = name + ".appendOverlays"; inherit system; overlays = overlays ++ os; });
        mkShell = args: { _shell = label; packages = args.packages or [ ]; buildInputs = args.buildInputs or [ ]; };
      };
      fixed = foldl' (acc: o: acc // o fixed acc) (base fixed) overlays;
    in
    fixed;

  # What importing a nixpkgs input with an argument set returns.
  instantiate = input: args:
    let
      pos = firstPos args;
      system = platformName (args.localSystem or args.system or "builtins.currentSystem");
      key = instanceKey input args;
    in
    record {
      kind = "import";
      inherit input system key;
      normalized = normalize args;
      file = if pos == null then null else pos.file;
      line = if pos == null then null else pos.line;
      arguments = attrNames args;
      cross = if args ? crossSystem then platformName args.crossSystem else null;
    } (pkgsFor { label = key; name = "import " + input; inherit system; overlays = args.overlays or [ ]; });

  # A tiny module system: imports, a naive merge, config as a fixed point.
  mergeValue = a: b:
    if isAttrs a && isAttrs b && !(a ? _stub) && !(b ? _stub) then mergeSets a b
    else if isList a && isList b then a ++ b
    else b;
  mergeSets = a: b: a // mapAttrs (n: v: if hasAttr n a then mergeValue (getAttr n a) v else v) b;

  evalModules = { modules, specialArgs, pkgsOf, lib }:
    let
      args = specialArgs // { inherit config lib pkgs; options = { }; modulesPath = "/stub/nixos/modules"; };
      pkgs = pkgsOf config;
      apply = m:
        if builtins.isPath m || builtins.isString m then apply (import m)
        else if isFunction m then m args
        else if isAttrs m && !(m ? _stub) then m
        else { };
      # Each module is applied once; a file imported twice counts once, as in NixOS.
      item = key: m: { inherit key; value = apply m; };
      children = parent: ms: builtins.genList (i:
        let m = builtins.elemAt ms i; in
        item (if builtins.isPath m || builtins.isString m then toString m else parent + "#" + toString i) m)
        (length ms);
      closure = genericClosure {
        startSet = children "<root>" modules;
        operator = it: children it.key (it.value.imports or [ ]);
      };
      config = foldl' mergeSets { } (map (it: removeAttrs it.value [ "imports" "_file" "key" ]) closure);
    in
    { inherit config; };

  # NixOS builds its own set from the nixpkgs.* options unless nixpkgs.pkgs is
  # given: the instance import input { system; config; overlays; } would make.
  nixosPkgs = input: system: config:
    let
      np = config.nixpkgs or { };
      overlays = np.overlays or [ ];
      instanceArgs = { inherit system overlays; config = np.config or { }; };
      key = instanceKey input instanceArgs;
    in
    if np ? pkgs then
      (if overlays == [ ] then np.pkgs else np.pkgs.appendOverlays overlays)
    else
      record {
        kind = "nixos";
        inherit input system key;
        normalized = normalize instanceArgs;
        host = config.networking.hostName or null;
        overlays = length overlays;
      } (pkgsFor { label = key; name = "nixos " + input; inherit system overlays; });

  nixosSystem = input: args:
    let
      # As NixOS reads it: the builder's system is only nixpkgs.system's
      # default, so a module's nixpkgs.hostPlatform (hardware-configuration.nix
      # writes one) or nixpkgs.system wins over it.
      np0 = ev.config.nixpkgs or { };
      system = platformName (np0.hostPlatform or np0.system or args.system or "x86_64-linux");
      ev = evalModules {
        modules = args.modules or [ ];
        specialArgs = args.specialArgs or { };
        pkgsOf = nixosPkgs input system;
        lib = lib input;
      };
      np = ev.config.nixpkgs or { };
    in
    {
      _nixos = true;
      inherit (ev) config;
      failedAssertions =
        if np ? pkgs && np ? config then [ "nixpkgs.config is set beside nixpkgs.pkgs" ] else [ ];
    };

  homeManagerConfiguration = args:
    (evalModules {
      modules = args.modules or [ ];
      specialArgs = args.extraSpecialArgs or { };
      pkgsOf = _: args.pkgs;
      lib = lib "home-manager";
    }) // { _home = true; };

  lib = input: stub ("lib of " + input) // {
    inherit genAttrs homeManagerConfiguration;
    nixosSystem = nixosSystem input;
    # As nixpkgs' lib/systems/flake-systems.nix (the ones these tests use).
    systems = { flakeExposed = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" "riscv64-linux" ]; };
    # Priorities are not modelled: the naive merge lets the last definition win.
    mkDefault = v: v;
    mkForce = v: v;
    mkOverride = priority: v: v;
  };

  input = name:
    removeAttrs (stub ("inputs." + name)) [ "__toString" ] // {
      outPath = cfg.inputsDir + "/" + name;
      lib = lib name;
    } // (if builtins.elem name cfg.nixpkgsInputs then {
      # nixpkgs' flake: legacyPackages.<s> is the instance of { system = s; }.
      legacyPackages = genAttrs systems (s:
        let key = instanceKey name { system = s; }; in
        record { kind = "legacyPackages"; input = name; system = s; inherit key; normalized = normalize { system = s; }; }
          (pkgsFor { label = key; name = name + ".legacyPackages." + s; system = s; }));
    } else { });

  # Forces everything reachable but package sets and functions.
  force = depth: v:
    if depth > 40 then true
    else if isAttrs v then
      (if v ? _stub || v ? _instance then true
       else foldl' (acc: n: seq (force (depth + 1) (getAttr n v)) acc) true (attrNames v))
    else if isList v then foldl' (acc: x: seq (force (depth + 1) x) acc) true v
    else if isFunction v then true
    else seq v true;

  flake = import (cfg.flakeDir + "/flake.nix");
  inputs = genAttrs (cfg.nixpkgsInputs ++ cfg.otherInputs) input // { inherit self; };
  # As Nix's call-flake.nix: self is the outputs plus the source and the inputs.
  self = outputs // { outPath = cfg.flakeDir; _type = "flake"; inherit inputs outputs; };
  outputs = flake.outputs inputs;
in
{
  # What each stand-in input's default.nix evaluates to.
  inputDefault = name:
    if builtins.elem name cfg.nixpkgsInputs then instantiate name else (final: prev: { });
  # And its lib/default.nix.
  inputLib = lib;

  result = seq (force 0 outputs) {
    assertions = mapAttrs (n: h: h.failedAssertions) (outputs.nixosConfigurations or { });
    packages = {
      nixosConfigurations = mapAttrs (n: h: map show (h.config.environment.systemPackages or [ ]))
        (outputs.nixosConfigurations or { });
      homeConfigurations = mapAttrs (n: h: map show (h.config.home.packages or [ ]))
        (outputs.homeConfigurations or { });
    };
  };
}
`;

/** A Nix string literal for `text` (paths and names; no interpolation). */
function nixString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\$\{/g, '\\${')}"`;
}

/** The private, offline, daemon-free environment described at the top of this file. */
function nixEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: dir,
    XDG_CACHE_HOME: dir,
    XDG_DATA_HOME: dir,
    XDG_STATE_HOME: dir,
    NIX_CONF_DIR: dir,
    NIX_STATE_DIR: path.join(dir, 'state'),
    NIX_REMOTE: 'dummy://',
    NIX_PATH: '',
  };
}

interface NixRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runNix(args: string[], env: NodeJS.ProcessEnv, keepStdout: boolean): Promise<NixRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NIX_INSTANTIATE, args, { env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-oracle-'));
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
