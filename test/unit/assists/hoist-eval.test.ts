/**
 * Nix itself proves the hoist assists. Each workspace is a fixture; the assist
 * is applied at `$0` and the workspace is evaluated with Nix before and after
 * (stand-in inputs whose packages name the instance that made them, see
 * test/support/nixOracle.ts). For every case:
 * - every file the edit changed parses with `nix-instantiate --parse`;
 * - every configuration ends up with exactly the packages it had before;
 * - the hoisted instance, evaluated once per configuration before, is
 *   evaluated exactly once after, and no instance appears or is evaluated
 *   more often than before.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { hoistFixture, proveWithNix, evaluateFiles, countOf, describeEvaluations, parseFiles } from '../../support/hoistEval.js';
import { nixOrExplain, type FlakeEvaluation, type NormalizedInstanceArgs } from '../../support/nixOracle.js';
import { parseFixture } from '../../support/fixture.js';
import { checkAssistDisabled } from '../../support/assists.js';
import { assertCountsMatch, costOf } from '../../support/costEval.js';

interface HoistCase {
  assist: 'hoist-to-flake' | 'hoist-all' | 'share-per-system';
  fixture: string;
  /** The files the edit must change. */
  changed: string[];
  /** The hoisted instance: its flake input and a test on its normalised arguments. */
  input: string;
  args: (args: NormalizedInstanceArgs) => boolean;
  /** How many configurations use it before the edit. */
  configurations: number;
  /** How many times it is evaluated before the edit (default: once per configuration). */
  evaluationsBefore?: number;
}

/** Every configuration's name, NixOS and home-manager alike. */
function configurationsOf(evaluation: FlakeEvaluation): string[] {
  return [
    ...Object.keys(evaluation.packages.nixosConfigurations).map((n) => `nixosConfigurations.${n}`),
    ...Object.keys(evaluation.packages.homeConfigurations).map((n) => `homeConfigurations.${n}`),
  ];
}

function packagesOf(evaluation: FlakeEvaluation, configuration: string): string[] {
  const [kind, name] = configuration.split('.') as ['nixosConfigurations' | 'homeConfigurations', string];
  return evaluation.packages[kind][name] ?? [];
}

/** Applies the assist and checks the three promises with Nix; returns the files after the edit. */
async function checkHoist(t: TestContext, c: HoistCase): Promise<Map<string, string>> {
  const files = await hoistFixture(c.assist, c.fixture);
  assert.deepEqual(files.changed, [...c.changed].sort(), 'files the edit changed');
  if (!nixOrExplain(t)) return files.after;
  const proof = await proveWithNix(files);
  const { before, after } = proof;
  // The cost counts (report, view, CodeLens) agree with Nix before and after the hoist.
  const unknown = assertCountsMatch(await costOf(files.before), before, 'before the hoist') + assertCountsMatch(await costOf(files.after), after, 'after the hoist');
  if (unknown) t.diagnostic(`cost: ${unknown} site(s) whose count the text does not tell; created checked as a lower bound`);

  for (const e of [before, after]) {
    for (const [host, failed] of Object.entries(e.failedAssertions)) assert.deepEqual(failed, [], `assertions of ${host}`);
  }
  const configurations = configurationsOf(before);
  assert.deepEqual(configurationsOf(after), configurations, 'the same configurations exist after the edit');
  assert.ok(configurations.length >= c.configurations, `expected at least ${c.configurations} configurations`);

  // The instance the assist hoisted, as Nix saw it before.
  const hoisted = before.evaluations.filter((e) => e.input === c.input && c.args(e.args));
  assert.equal(hoisted.length, 1, `one instance of ${c.input} should match, found:\n${describeEvaluations(before.evaluations).join('\n')}`);
  const key = hoisted[0]!.key;

  // Same packages everywhere, and the comparison is not vacuous: each
  // configuration that evaluated the instance uses packages from it.
  assert.deepEqual(after.packages, before.packages, 'every configuration keeps its packages');
  const users = configurations.filter((name) => packagesOf(before, name).some((p) => p.startsWith(`/nix/store/stub-${key}.`)));
  assert.equal(users.length, c.configurations, `configurations using packages of ${key}`);

  // N evaluations become one; nothing else is evaluated more often.
  assert.equal(countOf(before, key), c.evaluationsBefore ?? c.configurations, `evaluations of ${key} before`);
  assert.equal(countOf(after, key), 1, `evaluations of ${key} after:\n${describeEvaluations(after.evaluations).join('\n')}`);
  for (const e of after.evaluations) {
    assert.ok(e.count <= countOf(before, e.key), `after the edit ${e.key} is evaluated ${e.count} times, before ${countOf(before, e.key)}`);
  }
  t.diagnostic(
    `${c.input}: ${countOf(before, key)} evaluation(s) before, ${countOf(after, key)} after; ` +
      `Nix evaluation ${proof.ms.before.toFixed(0)} ms before, ${proof.ms.after.toFixed(0)} ms after`,
  );
  return files.after;
}

const isRiscv = (a: NormalizedInstanceArgs) => (a.cross as { config?: string } | null)?.config === 'riscv64-unknown-linux-gnu';
const native = (system: string) => (a: NormalizedInstanceArgs) => a.cross === null && a.system === system;

/** A module every host loads, with an unstable instance whose system is the host's (the cursor on it). */
const COMMON_UNSTABLE = `#- /modules/common.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
in
{ environment.systemPackages = [ unstable.helix ]; }
`;

// (a) ----------------------------------------------------------------------------------------

/** Three hosts pass the module its nixpkgs three ways: every input, a set, and an extended set. */
const RISCV = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = inputs;
      modules = [ ./hosts/alpha.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit nixpkgs; };
      modules = [ ./hosts/beta.nix ];
    };
    nixosConfigurations.gamma = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = inputs // { role = "builder"; };
      modules = [ ./hosts/gamma.nix ];
    };
  };
}
#- /hosts/alpha.nix
{ pkgs, ... }: { imports = [ ../modules/riscv-tools.nix ]; environment.systemPackages = [ pkgs.vim ]; }
#- /hosts/beta.nix
{ ... }: { imports = [ ../modules/riscv-tools.nix ]; }
#- /hosts/gamma.nix
{ role, ... }: { imports = [ ../modules/riscv-tools.nix ]; networking.hostName = role; }
#- /modules/riscv-tools.nix
# Cross toolchain for the RISC-V boards.
{ pkgs, nixpkgs, ... }:
let
  riscv = $0import nixpkgs {
    localSystem = pkgs.stdenv.buildPlatform.system;
    crossSystem = {
      config = "riscv64-unknown-linux-gnu";
      gcc.arch = "rv64gc";
      gcc.abi = "lp64d";
    };
  };
in
{
  environment.systemPackages = [
    riscv.buildPackages.gcc
    riscv.hello
    pkgs.qemu
  ];
}
`;

test('(a) a riscv64 cross instance in a module used by three hosts: same packages, 3 evaluations become 1', async (t) => {
  await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: RISCV,
    changed: ['/flake.nix', '/modules/riscv-tools.nix'],
    input: 'nixpkgs',
    args: (a) =>
      isRiscv(a) && a.system === 'x86_64-linux' && JSON.stringify(a.cross) === JSON.stringify({ config: 'riscv64-unknown-linux-gnu', gcc: { abi: 'lp64d', arch: 'rv64gc' } }),
    configurations: 3,
  });
});

// (b) ----------------------------------------------------------------------------------------

const MKHOST = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs =
    { self, nixpkgs, ... }@inputs:
    let
      system = "x86_64-linux";
      mkHost =
        name:
        nixpkgs.lib.nixosSystem {
          inherit system;
          specialArgs = { inherit inputs; };
          modules = [ ./hosts/\${name} ];
        };
    in
    {
      nixosConfigurations = {
        alpha = mkHost "alpha";
        beta = mkHost "beta";
        gamma = mkHost "gamma";
      };
    };
}
#- /hosts/alpha/default.nix
{ ... }: { imports = [ ../../modules/common.nix ]; networking.hostName = "alpha"; }
#- /hosts/beta/default.nix
{ pkgs, ... }: { imports = [ ../../modules/common.nix ]; environment.systemPackages = [ pkgs.htop ]; }
#- /hosts/gamma/default.nix
{ ... }: { imports = [ ../../modules/common.nix ]; }
#- /modules/common.nix
{
  config,
  lib,
  pkgs,
  inputs,
  ...
}:
let
  # Newer tools for every host.
  unstable = $0import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{
  environment.systemPackages = [
    unstable.helix
    unstable.vscode
    pkgs.git
  ];
}
`;

for (const [eol, name] of [
  ['\n', 'LF'],
  ['\r\n', 'CRLF'],
] as const) {
  test(`(b) an unstable instance in a nixfmt-style module reached through mkHost (${name}): 3 evaluations become 1`, async (t) => {
    const after = await checkHoist(t, {
      assist: 'hoist-to-flake',
      fixture: MKHOST.replace(/\n/g, eol),
      changed: ['/flake.nix', '/modules/common.nix'],
      input: 'nixpkgs-unstable',
      args: (a) => native('x86_64-linux')(a) && JSON.stringify(a.config) === '{"allowUnfree":true}',
      configurations: 3,
    });
    // Formals stay one per line with trailing commas, and line endings stay the file's.
    const module = after.get('/modules/common.nix')!;
    assert.match(module, new RegExp(`^\\{${eol}  config,${eol}  lib,${eol}  pkgs,${eol}  inputs,${eol}  unstable,${eol}  \\.\\.\\.${eol}\\}:`));
    if (eol === '\r\n') assert.doesNotMatch(module + after.get('/flake.nix')!, /[^\r]\n/, 'a bare LF after the edit');
  });
}

// (c) ----------------------------------------------------------------------------------------

const HOME = `
#- /flake.nix
{
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
    nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
    home-manager.url = "github:nix-community/home-manager/release-24.05";
  };
  outputs = { nixpkgs, home-manager, ... }@inputs:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
    in
    {
      homeConfigurations.alice = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        extraSpecialArgs = { inherit inputs; };
        modules = [ ./home/alice.nix ];
      };
      homeConfigurations.bob = home-manager.lib.homeManagerConfiguration {
        inherit pkgs;
        extraSpecialArgs = { inherit inputs; };
        modules = [ ./home/bob.nix ];
      };
    };
}
#- /home/alice.nix
{ pkgs, ... }: { imports = [ ./common.nix ]; home.packages = [ pkgs.firefox ]; }
#- /home/bob.nix
{ ... }: { imports = [ ./common.nix ]; }
#- /home/common.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
in
{
  home.packages = [ unstable.helix pkgs.git ];
}
`;

test('(c) home-manager: the instance goes through extraSpecialArgs, 2 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: HOME,
    changed: ['/flake.nix', '/home/common.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  const flake = after.get('/flake.nix')!;
  assert.equal(flake.match(/extraSpecialArgs = \{ inherit inputs unstable; \};/g)?.length, 2);
  assert.doesNotMatch(flake, /\bspecialArgs =/);
});

// (d) ----------------------------------------------------------------------------------------

/** The same module and hosts; the flake names its inputs three ways. */
const EDITOR_MODULE = `
#- /modules/editor.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.system; config.allowUnfree = true; };
in
{ environment.systemPackages = [ unstable.vscode pkgs.git ]; }
`;

const inputsVariants: { name: string; outputs: string; inputsArg: string; hoisted: RegExp }[] = [
  {
    name: '`{ ... }@inputs`',
    outputs: '{ self, nixpkgs, ... }@inputs',
    inputsArg: 'inherit inputs;',
    hoisted: /outputs = \{ self, nixpkgs, \.\.\. \}@inputs: let\n {6}unstable = import inputs\.nixpkgs-unstable \{ system = "aarch64-linux"; config\.allowUnfree = true; \};/,
  },
  {
    name: 'named inputs',
    outputs: '{ self, nixpkgs, nixpkgs-unstable, ... }',
    inputsArg: 'inherit (self) inputs;',
    hoisted: /outputs = \{ self, nixpkgs, nixpkgs-unstable, \.\.\. \}: let\n {6}unstable = import nixpkgs-unstable \{/,
  },
  {
    name: 'named inputs without the one the module uses (a formal is added)',
    outputs: '{ self, nixpkgs, ... }',
    inputsArg: 'inherit (self) inputs;',
    hoisted: /outputs = \{ self, nixpkgs, nixpkgs-unstable, \.\.\. \}: let\n {6}unstable = import nixpkgs-unstable \{/,
  },
  {
    name: '`inputs:` without a formals set',
    outputs: 'inputs',
    inputsArg: 'inherit inputs;',
    hoisted: /outputs = inputs: let\n {6}unstable = import inputs\.nixpkgs-unstable \{/,
  },
];

for (const v of inputsVariants) {
  test(`(d) outputs with ${v.name}: the source is spelled as flake.nix names it, 2 evaluations become 1`, async (t) => {
    const lib = v.outputs === 'inputs' ? 'inputs.nixpkgs.lib' : 'nixpkgs.lib';
    const fixture =
      `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = ${v.outputs}: {
    nixosConfigurations.alpha = ${lib}.nixosSystem {
      system = "aarch64-linux";
      specialArgs = { ${v.inputsArg} };
      modules = [ ./hosts/alpha.nix ./modules/editor.nix ];
    };
    nixosConfigurations.beta = ${lib}.nixosSystem {
      system = "aarch64-linux";
      specialArgs = { ${v.inputsArg} };
      modules = [ ./modules/editor.nix ];
    };
  };
}
#- /hosts/alpha.nix
{ pkgs, ... }: { networking.hostName = "alpha"; environment.systemPackages = [ pkgs.tmux ]; }
` + EDITOR_MODULE;
    const after = await checkHoist(t, {
      assist: 'hoist-to-flake',
      fixture,
      changed: ['/flake.nix', '/modules/editor.nix'],
      input: 'nixpkgs-unstable',
      args: (a) => native('aarch64-linux')(a) && JSON.stringify(a.config) === '{"allowUnfree":true}',
      configurations: 2,
    });
    assert.match(after.get('/flake.nix')!, v.hoisted);
  });
}

// (e) ----------------------------------------------------------------------------------------

const INLINE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      host = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./modules/tools.nix { networking.hostName = name; } ];
      };
    in
    {
      nixosConfigurations.alpha = host "alpha";
      nixosConfigurations.beta = host "beta";
      nixosConfigurations.gamma = host "gamma";
    };
}
#- /modules/tools.nix
{ pkgs, inputs, ... }:
{
  environment.systemPackages = [
    pkgs.git
    ($0import inputs.nixpkgs-unstable { system = pkgs.system; }).hello
    pkgs.curl
  ];
}
`;

test('(e) an inline `(import ... { ... }).hello` in a list: replaced by the name, 3 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: INLINE,
    changed: ['/flake.nix', '/modules/tools.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 3,
  });
  const module = after.get('/modules/tools.nix')!;
  assert.match(module, /^\{ pkgs, inputs, pkgs-unstable, \.\.\. \}:\n[\s\S]*\n {4}pkgs\.git\n {4}pkgs-unstable\.hello\n {4}pkgs\.curl\n/);
});

// (f) ----------------------------------------------------------------------------------------

/**
 * A module that is a plain attribute set has no arguments, so it cannot name
 * a flake input: Nix rejects it (undefined variable). The assist still
 * offers the hoist and makes the module a function; there is no "before" to
 * compare with, so the proof is that the result is valid Nix and every host
 * gets the package from one instance with the module's own arguments.
 */
const PLAIN = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }: {
    nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./modules/plain.nix ];
    };
    nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./modules/plain.nix ];
    };
  };
}
#- /modules/plain.nix
{
  environment.systemPackages = [ ($0import nixpkgs-unstable { system = "x86_64-linux"; }).hello ];
}
`;

test('(f) a plain attribute-set module: Nix rejects it before; after it is a function and every host gets the package from one instance', async (t) => {
  const files = await hoistFixture('hoist-to-flake', PLAIN);
  assert.deepEqual(files.changed, ['/flake.nix', '/modules/plain.nix']);
  assert.equal(
    files.after.get('/modules/plain.nix'),
    '{ pkgs-unstable, ... }:\n{\n  environment.systemPackages = [ pkgs-unstable.hello ];\n}\n',
  );
  if (!nixOrExplain(t)) return;
  const [before] = await parseFiles(files.before, ['/modules/plain.nix']);
  assert.match(before!.error ?? '(parsed)', /undefined variable 'nixpkgs-unstable'/);
  const parsed = await parseFiles(files.after, files.changed);
  assert.deepEqual(parsed.filter((p) => !p.ok), []);
  const { evaluation: after, ms } = await evaluateFiles(files.after);
  assert.equal(after.evaluations.length, 1, describeEvaluations(after.evaluations).join('\n'));
  const [only] = after.evaluations;
  assert.equal(only!.input, 'nixpkgs-unstable');
  assert.deepEqual(only!.args, { system: 'x86_64-linux', cross: null, config: {}, overlays: 0, other: {} });
  assert.equal(only!.count, 1);
  const hello = `/nix/store/stub-${only!.key}.hello`;
  assert.deepEqual(after.packages, { nixosConfigurations: { alpha: [hello], beta: [hello] }, homeConfigurations: {} });
  t.diagnostic(`nixpkgs-unstable: before rejected by Nix, 1 evaluation after; Nix evaluation ${ms.toFixed(0)} ms`);
});

// hoist-all ----------------------------------------------------------------------------------

/** Two modules make the same instance (spelled differently); alpha loads both. */
const SHARED = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name}.nix ];
      };
    in
    {
      nixosConfigurations.alpha = mkHost "alpha";
      nixosConfigurations.beta = mkHost "beta";
      nixosConfigurations.gamma = mkHost "gamma";
    };
}
#- /hosts/alpha.nix
{ ... }: { imports = [ ../modules/editors.nix ../modules/shells.nix ]; }
#- /hosts/beta.nix
{ ... }: { imports = [ ../modules/editors.nix ]; }
#- /hosts/gamma.nix
{ ... }: { imports = [ ../modules/shells.nix ]; }
#- /modules/editors.nix
{ pkgs, inputs, ... }:
let
  unstable = import inputs.nixpkgs-unstable { system = pkgs.system; config.allowUnfree = true; };
in
{ environment.systemPackages = [ unstable.helix unstable.vscode ]; }
#- /modules/shells.nix
{ config, pkgs, inputs, ... }:
let
  u = import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{ environment.systemPackages = [ u.fish pkgs.bash ]; }
$0
`;

test('hoist-all: two modules with the identical instance share one binding, 4 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-all',
    fixture: SHARED,
    changed: ['/flake.nix', '/modules/editors.nix', '/modules/shells.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 3,
    // alpha loads both modules: 2 evaluations there, 1 each in beta and gamma.
    evaluationsBefore: 4,
  });
  const flake = after.get('/flake.nix')!;
  assert.equal(flake.match(/= import nixpkgs-unstable/g)?.length, 1, 'one binding in flake.nix');
});

// More shapes the assist gets right ---------------------------------------------------------

test('an identical binding already in flake.nix is reused: 3 evaluations (2 hosts and a package) become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
    let
      system = "x86_64-linux";
      unstable = import nixpkgs-unstable { system = "x86_64-linux"; };
    in
    {
      packages.\${system}.default = unstable.hello;
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ ./m.nix ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ ./m.nix ];
      };
    };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = "x86_64-linux"; };
in
{ environment.systemPackages = [ unstable.hello ]; }
`,
    changed: ['/flake.nix', '/m.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
    evaluationsBefore: 3,
  });
  assert.equal(after.get('/flake.nix')!.match(/= import nixpkgs-unstable/g)?.length, 1, 'no second binding');
});

test('a name taken in flake.nix gets a fresh one, and the module keeps its own name: 2 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      unstable = "not a package set";
    in
    {
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs.inputs = inputs;
        modules = [ ./m.nix { environment.etc.motd.text = unstable; } ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs.inputs = inputs;
        modules = [ ./m.nix ];
      };
    };
}
#- /m.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.system; };
  tools = with unstable; [ hello jq ];
in
{
  environment.systemPackages = tools ++ [ unstable.git ];
}
`,
    changed: ['/flake.nix', '/m.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/m.nix')!, /^\{ pkgs, inputs, unstable-2, \.\.\. \}:\nlet\n {2}unstable = unstable-2;\n/);
});

test("the system comes from the hosts' nixpkgs.hostPlatform when the builders give none: 2 evaluations become 1", async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name}/hardware-configuration.nix ./modules/common.nix ];
      };
    in
    {
      nixosConfigurations.pi4 = mkHost "pi4";
      nixosConfigurations.pi5 = mkHost "pi5";
    };
}
#- /hosts/pi4/hardware-configuration.nix
{ ... }: { nixpkgs.hostPlatform = "aarch64-linux"; }
#- /hosts/pi5/hardware-configuration.nix
{ ... }: { nixpkgs.hostPlatform = "aarch64-linux"; }
${COMMON_UNSTABLE}`,
    changed: ['/flake.nix', '/modules/common.nix'],
    input: 'nixpkgs-unstable',
    args: native('aarch64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/flake.nix')!, /unstable = import inputs\.nixpkgs-unstable \{ system = "aarch64-linux"; \};/);
});

test('builders sharing one `specialArgs` binding (`inherit specialArgs;`): it is extended once, never defined twice; 2 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      specialArgs = { inherit inputs; };
    in
    {
      nixosConfigurations.alpha = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        inherit specialArgs;
        modules = [ ./common.nix ];
      };
      nixosConfigurations.beta = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        inherit specialArgs;
        modules = [ ./common.nix ];
      };
    };
}
#- /common.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable { system = pkgs.stdenv.hostPlatform.system; };
in
{ environment.systemPackages = [ unstable.helix ]; }
`,
    changed: ['/common.nix', '/flake.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  const flake = after.get('/flake.nix')!;
  assert.match(flake, /specialArgs = \{ inherit inputs unstable; \};/);
  assert.equal(flake.match(/specialArgs =/g)?.length, 1, flake);
});

test('hosts of two systems load the module: flake.nix creates one set per system and the module selects its own; 2 evaluations on x86_64 become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs:
    let
      mkHost = system: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs; };
        modules = [ ./common.nix ];
      };
    in
    {
      nixosConfigurations.alpha = mkHost "x86_64-linux";
      nixosConfigurations.beta = mkHost "x86_64-linux";
      nixosConfigurations.pi = mkHost "aarch64-linux";
    };
}
#- /common.nix
{ pkgs, inputs, ... }:
let
  unstable = $0import inputs.nixpkgs-unstable {
    system = pkgs.stdenv.hostPlatform.system;
    config.allowUnfree = true;
  };
in
{ environment.systemPackages = [ unstable.helix ]; }
`,
    changed: ['/common.nix', '/flake.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/common.nix')!, /unstable = unstable-by-system\.\$\{pkgs\.stdenv\.hostPlatform\.system\};/);
  assert.match(after.get('/flake.nix')!, /unstable-by-system = inputs\.nixpkgs-unstable\.lib\.genAttrs inputs\.nixpkgs-unstable\.lib\.systems\.flakeExposed \(system: import inputs\.nixpkgs-unstable \{/);
});

test('hosts built by a helper file (lib/default.nix, mkHost inside): the instance goes to the helper, once per system; 2 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'hoist-to-flake',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = inputs: {
    nixosConfigurations = import ./lib { inherit inputs; };
  };
}
#- /lib/default.nix
{ inputs }:
let
  mkHost = name: system: inputs.nixpkgs.lib.nixosSystem {
    inherit system;
    specialArgs = { inherit inputs; };
    modules = [ ../hosts/\${name}.nix ../modules/common.nix ];
  };
in
{
  alpha = mkHost "alpha" "x86_64-linux";
  beta = mkHost "beta" "x86_64-linux";
}
#- /hosts/alpha.nix
{ ... }: { networking.hostName = "alpha"; }
#- /hosts/beta.nix
{ ... }: { networking.hostName = "beta"; }
${COMMON_UNSTABLE}`,
    changed: ['/lib/default.nix', '/modules/common.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/lib/default.nix')!, /unstable-by-system = inputs\.nixpkgs-unstable\.lib\.genAttrs/);
  assert.match(after.get('/lib/default.nix')!, /specialArgs = \{ inherit inputs unstable-by-system; \};/);
});

test('a helper file whose own function builds one host per call: the hoist is disabled with the reason', async () => {
  await checkAssistDisabled(
    'hoist-to-flake',
    `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = inputs: {
    nixosConfigurations.alpha = import ./lib/mkHost.nix { inherit inputs; name = "alpha"; };
    nixosConfigurations.beta = import ./lib/mkHost.nix { inherit inputs; name = "beta"; };
  };
}
#- /lib/mkHost.nix
{ inputs, name }:
inputs.nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  specialArgs = { inherit inputs; };
  modules = [ ../modules/common.nix ];
}
${COMMON_UNSTABLE}`,
    /lib\/mkHost\.nix builds one configuration each time it is called/,
  );
});

// share-per-system (the fix for instance-per-call) ------------------------------------------

test('share-per-system: an overlay that instantiates, applied by three hosts of two systems: 2 evaluations on x86_64 become 1', async (t) => {
  await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      overlays = import ./overlays { inherit inputs; };
      mkHost = system: nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit inputs overlays; };
        modules = [ ./common.nix ];
      };
    in
    {
      nixosConfigurations.alpha = mkHost "x86_64-linux";
      nixosConfigurations.beta = mkHost "x86_64-linux";
      nixosConfigurations.pi = mkHost "aarch64-linux";
    };
}
#- /common.nix
{ overlays, pkgs, ... }:
{
  nixpkgs.overlays = [ overlays.unstable-packages ];
  environment.systemPackages = [ pkgs.unstable.helix pkgs.vim ];
}
#- /overlays/default.nix
{ inputs, ... }: {
  unstable-packages = final: _prev: {
    unstable = $0import inputs.nixpkgs-unstable {
      inherit (final.stdenv.hostPlatform) system;
      config.allowUnfree = true;
    };
  };
}
`,
    changed: ['/overlays/default.nix'],
    input: 'nixpkgs-unstable',
    args: native('x86_64-linux'),
    configurations: 2,
  });
});

test('share-per-system: specialArgs built per host by a helper: 3 evaluations become 1', async (t) => {
  await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-stable.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = inputs: import ./outputs inputs;
}
#- /outputs/default.nix
{ nixpkgs, ... }@inputs:
let
  inherit (nixpkgs) lib;
  genSpecialArgs = system: inputs // {
    pkgs-stable = $0import inputs.nixpkgs-stable { inherit system; config.allowUnfree = true; };
  };
  mkHost = system: lib.nixosSystem {
    inherit system;
    specialArgs = genSpecialArgs system;
    modules = [ ../hosts/common.nix ];
  };
in
{
  nixosConfigurations.a = mkHost "x86_64-linux";
  nixosConfigurations.b = mkHost "x86_64-linux";
  nixosConfigurations.c = mkHost "x86_64-linux";
}
#- /hosts/common.nix
{ pkgs, pkgs-stable, ... }: { environment.systemPackages = [ pkgs-stable.hello pkgs.vim ]; }
`,
    changed: ['/outputs/default.nix'],
    input: 'nixpkgs-stable',
    args: native('x86_64-linux'),
    configurations: 3,
  });
});

test('share-per-system: a factory taking its nixpkgs as a parameter, called per host and per system: 4 evaluations become 1', async (t) => {
  const after = await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }@inputs: import ./lib/flakes.nix { inherit (nixpkgs) lib; } inputs {
    hosts = { a = "x86_64-linux"; b = "x86_64-linux"; c = "x86_64-linux"; };
  };
}
#- /lib/flakes.nix
{ lib }:
{ nixpkgs, ... }:
{ hosts, overlays ? [ ] }:
let
  mkPkgs = system: src: overlays: $0import src { inherit system overlays; config.allowUnfree = true; };
in
{
  nixosConfigurations = builtins.mapAttrs (name: system:
    let pkgs = mkPkgs system nixpkgs overlays;
    in nixpkgs.lib.nixosSystem {
      inherit system;
      modules = [ { nixpkgs.pkgs = pkgs; environment.systemPackages = [ pkgs.hello ]; } ];
    }) hosts;
  packages = lib.genAttrs [ "x86_64-linux" ] (system: { inherit (mkPkgs system nixpkgs overlays) hello; });
}
`,
    changed: ['/lib/flakes.nix'],
    input: 'nixpkgs',
    args: (a) => native('x86_64-linux')(a) && (a.config as { allowUnfree?: boolean } | null)?.allowUnfree === true,
    configurations: 3,
    evaluationsBefore: 4,
  });
  assert.match(after.get('/lib/flakes.nix')!, /pkgsBySystem = lib\.genAttrs lib\.systems\.flakeExposed \(system: mkPkgs system nixpkgs overlays\);/);
  assert.match(after.get('/lib/flakes.nix')!, /let pkgs = pkgsBySystem\.\$\{system\};/);
});

test('share-per-system: an overlay file a flake-parts module imports inside mkHost: both files change, 2 evaluations become 1 (oddlama/nix-config)', async (t) => {
  const after = await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-old.url = "github:NixOS/nixpkgs/nixos-23.11";
  outputs = inputs: (import ./flake/hosts.nix { config = { }; inherit inputs; }).flake;
}
#- /flake/hosts.nix
{ config, inputs, ... }:
let
  topConfig = config;
in
{
  flake =
    let
      mkHost = name: inputs.nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [
          { nixpkgs.overlays = import ../pkgs/default.nix inputs; }
          ({ pkgs, ... }: { environment.systemPackages = [ pkgs.old-hello ]; })
        ];
      };
    in
    {
      nixosConfigurations.a = mkHost "a";
      nixosConfigurations.b = mkHost "b";
    };
}
#- /pkgs/default.nix
inputs: [
  (final: prev:
    let
      pkgsOld = $0import inputs.nixpkgs-old { inherit (prev.stdenv.hostPlatform) system; };
    in
    { old-hello = pkgsOld.hello; })
]
`,
    changed: ['/flake/hosts.nix', '/pkgs/default.nix'],
    input: 'nixpkgs-old',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/flake/hosts.nix')!, /pkgsOverlays = import \.\.\/pkgs\/default\.nix inputs;/);
  assert.match(after.get('/pkgs/default.nix')!, /pkgsOld = pkgsOldBySystem\.\$\{prev\.stdenv\.hostPlatform\.system\};/);
});

test('share-per-system: an overlay file that is the overlay itself, its source bound beside the instance: the set and the binding move to the file\'s top, 2 evaluations become 1 (jwiegley/nix-config)', async (t) => {
  const after = await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-pinned.url = "github:NixOS/nixpkgs/nixos-23.11";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./common.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./common.nix ]; };
  };
}
#- /common.nix
{ pkgs, ... }:
{
  nixpkgs.overlays = [ (import ./overlays/pinned.nix) ];
  environment.systemPackages = [ pkgs.ntp pkgs.vim ];
}
#- /pins.nix
{ pinned = <nixpkgs-pinned>; }
#- /overlays/pinned.nix
_final: prev:
let
  source = (import ../pins.nix).pinned;
  lastGood = $0import source { localSystem = prev.stdenv.hostPlatform.system; };
in
{ inherit (lastGood) ntp; }
`,
    changed: ['/overlays/pinned.nix'],
    input: 'nixpkgs-pinned',
    args: native('x86_64-linux'),
    configurations: 2,
  });
  assert.match(after.get('/overlays/pinned.nix')!, /^let\n  source = \(import \.\.\/pins\.nix\)\.pinned;\n  lastGoodBySystem = let lib = import \(source \+ "\/lib"\); in/);
});

test('share-per-system: a factory two overlay-building functions call with the same arguments: called once and passed in, 2 evaluations become 1 (linyinfeng/dotfiles)', async (t) => {
  const after = await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-latest.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      alternativeChannels = nixpkgsArgs: {
        latest = $0import inputs.nixpkgs-latest nixpkgsArgs;
        stable = import inputs.nixpkgs nixpkgsArgs;
      };
      earlyFixes = nixpkgsArgs:
        let
          channels = alternativeChannels nixpkgsArgs;
        in
        [ (_final: _prev: { inherit (channels.latest) godns; }) ];
      lateFixes = nixpkgsArgs:
        let
          channels = alternativeChannels nixpkgsArgs;
        in
        [ (_final: prev: { nginx = channels.latest.nginx; }) ];
      overlays =
        let
          overlayNixpkgsArgs = { system = "x86_64-linux"; config.allowUnfree = true; };
        in
        (earlyFixes overlayNixpkgsArgs) ++ (lateFixes overlayNixpkgsArgs);
      mkHost = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ({ pkgs, ... }: { nixpkgs.overlays = overlays; environment.systemPackages = [ pkgs.godns pkgs.nginx ]; }) ];
      };
    in
    {
      nixosConfigurations.a = mkHost;
      nixosConfigurations.b = mkHost;
    };
}
`,
    changed: ['/flake.nix'],
    input: 'nixpkgs-latest',
    args: native('x86_64-linux'),
    configurations: 2,
    evaluationsBefore: 2,
  });
  assert.match(after.get('/flake.nix')!, /channels = alternativeChannels overlayNixpkgsArgs;\n\s+in\n\s+\(earlyFixes channels\) \+\+ \(lateFixes channels\);/);
});

test("share-per-system: a factory whose arguments use a binding of each call, called with the same system by two hosts: one set per system from the lib of its own input, 2 evaluations become 1 (DarkKirb/nixos-config)", async (t) => {
  const after = await checkHoist(t, {
    assist: 'share-per-system',
    fixture: `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }:
    let
      pkgsFor = system:
        let extra = { inherit system; };
        in $0import nixpkgs { inherit system; overlays = [ (_: _: { inherit extra; }) ]; };
      host = p: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ { environment.systemPackages = [ p.hello ]; } ];
      };
    in
    {
      nixosConfigurations.a = host (pkgsFor "x86_64-linux");
      nixosConfigurations.b = host (pkgsFor "x86_64-linux");
    };
}
`,
    changed: ['/flake.nix'],
    input: 'nixpkgs',
    args: native('x86_64-linux'),
    configurations: 2,
    evaluationsBefore: 2,
  });
  assert.match(after.get('/flake.nix')!, /pkgsBySystem = nixpkgs\.lib\.genAttrs nixpkgs\.lib\.systems\.flakeExposed \(system: pkgsFor system\);/);
});

// The oracle itself ---------------------------------------------------------------------------

test('the stand-in nixpkgs gives equal instances equal packages and tells every other argument apart', async (t) => {
  if (!nixOrExplain(t)) return;
  const { evaluation } = await evaluateFiles(
    parseFixture(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, nixpkgs-unstable }: {
    nixosConfigurations.same = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ({ pkgs, ... }: {
          environment.systemPackages = [
            (import nixpkgs { system = "x86_64-linux"; }).hello
            (import nixpkgs { localSystem = "x86_64-linux"; }).hello
            (import nixpkgs { localSystem = { system = "x86_64-linux"; }; config = { }; overlays = [ ]; }).hello
            nixpkgs.legacyPackages.x86_64-linux.hello
            pkgs.hello
          ];
        })
      ];
    };
    nixosConfigurations.different = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        {
          environment.systemPackages = [
            (import nixpkgs { system = "x86_64-linux"; }).git
            (import nixpkgs { system = "aarch64-linux"; }).hello
            (import nixpkgs-unstable { system = "x86_64-linux"; }).hello
            (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello
            (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = false; }).hello
            (import nixpkgs { system = "x86_64-linux"; overlays = [ (final: prev: { }) ]; }).hello
            (import nixpkgs { localSystem = "x86_64-linux"; crossSystem.config = "riscv64-unknown-linux-gnu"; }).hello
            (import nixpkgs { localSystem = "x86_64-linux"; crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.abi = "lp64d"; }; }).hello
            (import nixpkgs { system = "x86_64-linux"; crossOverlays = [ (final: prev: { }) ]; }).hello
          ];
        }
      ];
    };
  };
}
`).files,
  );
  const { same, different } = evaluation.packages.nixosConfigurations as Record<string, string[]>;
  assert.equal(new Set(same).size, 1, `equal instances, equal packages:\n${same!.join('\n')}`);
  const all = [same![0]!, ...different!.slice(1)];
  assert.equal(new Set(all).size, all.length, `every other instance differs:\n${all.join('\n')}`);
  assert.notEqual(different![0], same![0], 'another package of the same instance');
  assert.ok(different![0]!.startsWith(same![0]!.slice(0, -'hello'.length)), 'another package of the same instance, same prefix');
  // 3 imports, legacyPackages and the NixOS set of host `same`, the import for git.
  const key = evaluation.evaluations.find((e) => same![0] === `/nix/store/stub-${e.key}.hello`);
  assert.equal(key?.count, 6, describeEvaluations(evaluation.evaluations).join('\n'));
  assert.equal(evaluation.evaluations.length, 9);
});

test('a hoist that changed the arguments would be caught: other packages, same count', async (t) => {
  const files = await hoistFixture('hoist-to-flake', RISCV);
  if (!nixOrExplain(t)) return;
  const { evaluation: before } = await evaluateFiles(files.before);
  for (const [wrong, right] of [
    ['gcc.abi = "lp64";', 'gcc.abi = "lp64d";'],
    ['localSystem = "aarch64-linux";', 'localSystem = "x86_64-linux";'],
  ] as const) {
    const flake = files.after.get('/flake.nix')!;
    assert.ok(flake.includes(right), `the hoisted instance in flake.nix has ${right}`);
    const { evaluation: after } = await evaluateFiles(new Map([...files.after, ['/flake.nix', flake.replace(right, wrong)]]));
    for (const host of ['alpha', 'beta', 'gamma']) {
      assert.notDeepEqual(after.packages.nixosConfigurations[host], before.packages.nixosConfigurations[host], `${host} with ${wrong}`);
    }
  }
});
