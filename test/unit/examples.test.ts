/**
 * The bundled example workspace (`examples/`) is what `npm start`, the README
 * and the editor tests show users, so it must be real Nix: every file parses
 * with Nix itself, and evaluating the flake with stand-in inputs creates
 * exactly the package sets `examples/README.md` promises.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import {
  evaluateFlakeWithStandIns,
  nixOrExplain,
  parseWithNix,
  type FlakeEvaluation,
  type NixInstance,
} from '../support/nixOracle';

const examples = path.resolve(__dirname, '../../../examples');

let evaluation: Promise<FlakeEvaluation> | undefined;
/** One evaluation shared by the tests below. */
const evaluateExamples = (): Promise<FlakeEvaluation> => (evaluation ??= evaluateFlakeWithStandIns(examples));

function nixFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return nixFiles(full);
    return entry.name.endsWith('.nix') ? [full] : [];
  });
}

/** The 1-based number of the only line of `file` (relative to examples/) that reads `text`, indentation aside. */
function lineOf(file: string, text: string): number {
  const lines = fs.readFileSync(path.join(examples, file), 'utf8').split('\n');
  const hits = lines.flatMap((line, i) => (line.trim() === text ? [i + 1] : []));
  assert.equal(hits.length, 1, `expected exactly one line reading ${JSON.stringify(text)} in ${file}`);
  return hits[0];
}

/** A readable one-line key per package set, so a failure shows what was missing or extra. */
function describe(instance: NixInstance): string {
  switch (instance.kind) {
    case 'import':
      return `import ${instance.input} at ${instance.file}:${instance.line} for ${instance.system}${instance.cross ? ` -> ${instance.cross}` : ''}`;
    case 'nixos':
      return `nixos ${instance.input} for host ${instance.host} with ${instance.overlays} overlay(s)`;
    case 'legacyPackages':
      return `${instance.input}.legacyPackages.${instance.system}`;
    case 'pkgsCross':
      return `pkgsCross.${instance.name} of ${instance.parent}`;
    default:
      return `${instance.kind} of ${instance.parent}`;
  }
}

test('every .nix file in examples/ parses with Nix', async (t) => {
  if (!nixOrExplain(t)) return;
  const files = nixFiles(examples).map((file) => ({
    name: path.relative(examples, file),
    text: fs.readFileSync(file, 'utf8'),
  }));
  assert.ok(files.length >= 10, `expected the example workspace, found ${files.length} .nix files in ${examples}`);
  const failures = (await parseWithNix(files)).filter((result) => !result.ok);
  assert.deepEqual(failures, []);
});

test('the Nix parse oracle names each broken file and accepts the others', async (t) => {
  if (!nixOrExplain(t)) return;
  const results = await parseWithNix([
    { name: 'a.nix', text: '{ a, b, }: a + b\n' },
    { name: 'syntax.nix', text: 'let x = 1; in x +\n' },
    { name: 'c.nix', text: '{ p = ./hosts/${"x"}; }\n' },
    { name: 'scope.nix', text: 'x: y\n' },
    { name: 'e.nix', text: '"import nixpkgs { }"\n' },
  ]);
  assert.deepEqual(
    results.map((r) => [r.name, r.ok]),
    [
      ['a.nix', true],
      ['syntax.nix', false],
      ['c.nix', true],
      ['scope.nix', false],
      ['e.nix', true],
    ],
  );
  assert.match(results[1].error ?? '', /syntax error[\s\S]*syntax\.nix:1:/);
  assert.match(results[3].error ?? '', /undefined variable 'y'[\s\S]*scope\.nix:1:4/);
});

test('evaluating the example flake creates the package sets examples/README.md describes', async (t) => {
  if (!nixOrExplain(t)) return;
  const { instances } = await evaluateExamples();

  // `line` is that of the first attribute of the argument set.
  const at = (file: string, line: number): string => `${file}:${line}`;
  const devShells = at('flake.nix', lineOf('flake.nix', 'pkgs = import nixpkgs {') + 1);
  const homeConfiguration = at('flake.nix', lineOf('flake.nix', 'pkgs = import nixpkgs { inherit system; };'));
  const common = at('modules/common.nix', lineOf('modules/common.nix', 'system = pkgs.stdenv.hostPlatform.system;'));
  const riscv = at('modules/riscv-tools.nix', lineOf('modules/riscv-tools.nix', 'localSystem = "x86_64-linux";'));
  const firmware = at('modules/firmware.nix', lineOf('modules/firmware.nix', 'localSystem = "x86_64-linux";'));
  const home = at(
    'home/user.nix',
    lineOf('home/user.nix', 'unstable = import inputs.nixpkgs-unstable { system = "x86_64-linux"; };'),
  );

  assert.deepEqual(instances.map(describe).sort(), [
    // flake.nix: devShells, one per system (fine there); home-manager's pkgs.
    `import nixpkgs at ${devShells} for aarch64-linux`,
    `import nixpkgs at ${devShells} for x86_64-linux`,
    `import nixpkgs at ${homeConfiguration} for x86_64-linux`,
    // Modules: once per host that imports them (riscv-tools and common: alpha, beta, gamma).
    `import nixpkgs at ${firmware} for x86_64-linux -> riscv64-none-elf`,
    `import nixpkgs at ${riscv} for x86_64-linux -> riscv64-unknown-linux-gnu`,
    `import nixpkgs at ${riscv} for x86_64-linux -> riscv64-unknown-linux-gnu`,
    `import nixpkgs at ${riscv} for x86_64-linux -> riscv64-unknown-linux-gnu`,
    `import nixpkgs-unstable at ${common} for x86_64-linux`,
    `import nixpkgs-unstable at ${common} for x86_64-linux`,
    `import nixpkgs-unstable at ${common} for x86_64-linux`,
    `import nixpkgs-unstable at ${home} for x86_64-linux`,
    // NixOS's own set per host, from nixpkgs.overlays; beta passes nixpkgs.pkgs instead.
    'nixos nixpkgs for host alpha with 1 overlay(s)',
    'nixos nixpkgs for host gamma with 0 overlay(s)',
    // Shared sets: formatter, packages, and beta's nixpkgs.pkgs.
    'nixpkgs.legacyPackages.aarch64-linux',
    'nixpkgs.legacyPackages.x86_64-linux',
    'pkgsCross.riscv32-embedded of nixos nixpkgs',
    'pkgsCross.riscv64 of nixpkgs.legacyPackages.x86_64-linux',
  ].sort());
  const readme = fs.readFileSync(path.join(examples, 'README.md'), 'utf8');
  assert.ok(
    readme.includes(`**${instances.length} package sets**`),
    `examples/README.md should say that evaluating the flake creates ${instances.length} package sets`,
  );
});

test('host beta sets nixpkgs.config beside nixpkgs.pkgs, which NixOS rejects', async (t) => {
  if (!nixOrExplain(t)) return;
  const { failedAssertions } = await evaluateExamples();
  assert.deepEqual(failedAssertions, {
    alpha: [],
    beta: ['nixpkgs.config is set beside nixpkgs.pkgs'],
    gamma: [],
  });
});
