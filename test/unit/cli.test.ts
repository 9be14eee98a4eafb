import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFixture } from '../support/fixture.js';
import { REPO_ROOT, writeWorkspace } from '../support/workspace.js';
import { lockText } from '../support/lock.js';
import { atLeast } from '../../server/src/cli/report.js';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BROKEN = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    legacy = import nixpkgs { system = "x86_64-linux"; localSystem = "x86_64-linux"; };
  };
}
#- /lib/ok.nix
{ nixpkgs }: import nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; }
`;

test('check prints path:line:col: severity code: message and exits 1 on an error', () => {
  const ws = writeWorkspace(BROKEN);
  try {
    const r = run(['check', '.'], ws.root);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stdout,
      'flake.nix:4:31: error system-and-local-system: Remove system and keep localSystem. Both are given, and nixpkgs asserts that only one is, so evaluation fails; localSystem is the modern name.\n',
    );
    assert.match(r.stderr, /^2 files, 2 instances, 1 error\n$/);
  } finally {
    ws.dispose();
  }
});

test('check exits 0 with empty stdout on a clean workspace', () => {
  const ws = writeWorkspace({ 'default.nix': 'import <nixpkgs> { localSystem = "x86_64-linux"; }\n' });
  try {
    const r = run(['check', ws.root]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  } finally {
    ws.dispose();
  }
});

test('--format json: version 1 with instances and diagnostics, paths relative to the root', () => {
  const ws = writeWorkspace(BROKEN);
  try {
    const r = run(['check', '--format', 'json', ws.root]);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.version, 1);
    assert.equal(doc.root, ws.root);
    assert.equal(doc.files, 2);
    const flake = doc.instances.find((i: { file: string }) => i.file === 'flake.nix');
    assert.deepEqual(flake, {
      file: 'flake.nix',
      range: { start: { line: 3, character: 13 }, end: { line: 3, character: 86 } },
      kind: 'import',
      createsInstance: true,
      source: 'nixpkgs',
      input: 'nixpkgs',
      location: 'flake',
      scope: 'once',
      name: 'legacy',
      args: { system: 'x86_64-linux', localSystem: 'x86_64-linux', crossSystem: null, config: [], overlays: 0, crossOverlays: 0 },
    });
    // The whole diagnostic, as tools read it: message and related places included, every path relative.
    assert.deepEqual(doc.diagnostics, [
      {
        file: 'flake.nix',
        range: { start: { line: 3, character: 30 }, end: { line: 3, character: 36 } },
        severity: 'error',
        code: 'system-and-local-system',
        message:
          'Remove system and keep localSystem. Both are given, and nixpkgs asserts that only one is, so evaluation fails; localSystem is the modern name.',
        related: [
          {
            file: 'flake.nix',
            range: { start: { line: 3, character: 55 }, end: { line: 3, character: 66 } },
            message: 'localSystem is given here',
          },
        ],
      },
    ]);
    assert.deepEqual(doc.skipped, []);
  } finally {
    ws.dispose();
  }
});

/** Two equal instances in one flake: warnings (duplicate-instance) and nothing worse. */
const WARNINGS_ONLY = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    a = import nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; };
    b = import nixpkgs { localSystem = "x86_64-linux"; config.allowUnfree = true; };
  };
}
`;

/** An instance with nothing but a system: one information (prefer-legacy-packages). */
const INFORMATION_ONLY = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    pkgs = import nixpkgs { localSystem = "x86_64-linux"; };
  };
}
`;

test('--severity is the lowest severity that fails: warnings fail by default, not with --severity error, and are printed either way', () => {
  const ws = writeWorkspace(WARNINGS_ONLY);
  try {
    const byDefault = run(['check', '.'], ws.root);
    assert.equal(byDefault.code, 1, byDefault.stderr);
    assert.match(byDefault.stdout, /^flake\.nix:4:9: warning duplicate-instance: /m);
    assert.match(byDefault.stderr, /1 file, 2 instances, 2 warnings/);
    assert.equal(run(['check', '--severity', 'warning', '.'], ws.root).code, 1);
    const relaxed = run(['check', '--severity', 'error', '.'], ws.root);
    assert.equal(relaxed.code, 0, relaxed.stderr);
    assert.equal(relaxed.stdout, byDefault.stdout);
  } finally {
    ws.dispose();
  }
  const broken = writeWorkspace(BROKEN);
  try {
    assert.equal(run(['check', '--severity', 'error', broken.root]).code, 1);
  } finally {
    broken.dispose();
  }
  const info = writeWorkspace(INFORMATION_ONLY);
  try {
    const byDefault = run(['check', info.root]);
    assert.equal(byDefault.code, 0, byDefault.stderr);
    assert.match(byDefault.stdout, /information prefer-legacy-packages/);
    assert.equal(run(['check', '--severity', 'information', info.root]).code, 1);
    assert.equal(run(['check', '--severity', 'hint', info.root]).code, 1);
  } finally {
    info.dispose();
  }
});

test('the exit threshold: a severity fails at its own level and above, never below', () => {
  const order = ['hint', 'information', 'warning', 'error'] as const;
  for (const [i, severity] of order.entries()) {
    for (const [j, threshold] of order.entries()) assert.equal(atLeast(severity, threshold), i >= j, `${severity} at --severity ${threshold}`);
  }
});

test('--severity with an unknown value is a usage error', () => {
  const ws = writeWorkspace(BROKEN);
  try {
    const bad = run(['check', '--severity', 'loud', ws.root]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /unknown severity 'loud'/);
  } finally {
    ws.dispose();
  }
});

test('usage and I/O errors exit 2 with a clear message on stderr and nothing on stdout', () => {
  for (const [args, message] of [
    [[], /missing command/],
    [['lint', '.'], /unknown command 'lint'/],
    [['check'], /missing <folder>/],
    [['check', '--format', 'xml', '.'], /unknown format 'xml'/],
    [['check', '--bogus', '.'], /Unknown option '--bogus'/],
    [['check', '/definitely/not/here'], /cannot read '\/definitely\/not\/here': ENOENT/],
    [['check', CLI], /is not a folder/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('unreadable, binary and non-UTF-8 files are skipped with one line each', () => {
  const ws = writeWorkspace({
    'flake.nix': '{ outputs = _: { }; }\n',
    'binary.nix': Buffer.from([0x7b, 0x00, 0x01, 0x7d]),
    'latin1.nix': Buffer.from([0x22, 0xe9, 0x22, 0x0a]),
  });
  try {
    const r = run(['check', ws.root]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped binary\.nix: binary file/);
    assert.match(r.stderr, /skipped latin1\.nix: not valid UTF-8/);
    assert.match(r.stderr, /1 file, 0 instances, no problems, 2 skipped/);
  } finally {
    ws.dispose();
  }
});

test('--version prints the package version and --help the usage, both exit 0', () => {
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const v = run(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${version}\n`);
  const h = run(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage: nixpkgs-instances check /);
});

/** A module whose instance sits inside a set the file never closes: the parser cannot read what follows. */
const UNCLOSED = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./m.nix ]; };
  };
}
#- /m.nix
{ pkgs, ... }: {
  environment.systemPackages = [
    (import <nixpkgs> { system = "x86_64-linux"; localSystem = "x86_64-linux"; }).hello
  ;
}
#- /formals.nix
{
  pkgs,
  lib,
}:
{ }
`;

test('a file analysed only in part fails the check in every format, with the place of its first syntax error', () => {
  const ws = writeWorkspace(UNCLOSED);
  try {
    const text = run(['check', '.'], ws.root);
    assert.equal(text.code, 1, text.stderr);
    // The list is not closed: the error is the `]` missing after the instance. The trailing comma of
    // formals.nix (nixfmt's style, which Nix accepts) is not an error.
    assert.equal(
      text.stdout.split('\n')[0],
      'm.nix:3:88: error analysed-in-part: Fix this syntax error. The file was analysed in part: an instance after it may be missed.',
    );
    assert.doesNotMatch(text.stdout, /formals\.nix/);
    assert.match(text.stderr, /, 1 analysed in part\n$/);

    // Even when only errors count, and however few diagnostics there are.
    assert.equal(run(['check', '--severity', 'error', '.'], ws.root).code, 1);

    const json = run(['check', '--format', 'json', '.'], ws.root);
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.stdout);
    assert.deepEqual(doc.partial, [
      {
        file: 'm.nix',
        range: { start: { line: 2, character: 87 }, end: { line: 2, character: 87 } },
        reason: 'syntax errors',
        message: 'Fix this syntax error. The file was analysed in part: an instance after it may be missed.',
      },
    ]);
    assert.equal(doc.summary.analysedInPart, 1);

    const sarif = run(['check', '--format', 'sarif', '.'], ws.root);
    assert.equal(sarif.code, 1);
    const results = JSON.parse(sarif.stdout).runs[0].results;
    const partial = results.filter((r: { ruleId: string }) => r.ruleId === 'analysed-in-part');
    assert.equal(partial.length, 1);
    assert.equal(partial[0].level, 'error');
    assert.match(partial[0].message.text, /analysed in part/);
    assert.deepEqual(partial[0].locations[0].physicalLocation.region, { startLine: 3, startColumn: 88, endLine: 3, endColumn: 88 });
  } finally {
    ws.dispose();
  }
});

test('the summary and the skipped files are reported the same way in text, JSON and SARIF', () => {
  const ws = writeWorkspace({
    ...Object.fromEntries(parseFixture(BROKEN).files),
    'binary.nix': Buffer.from([0x7b, 0x00, 0x01, 0x7d]),
  });
  try {
    const line = '2 files, 2 instances, 1 error, 1 skipped';
    for (const format of ['text', 'json', 'sarif']) {
      const r = run(['check', '--format', format, '.'], ws.root);
      assert.equal(r.code, 1, format);
      assert.equal(r.stderr, `skipped binary.nix: binary file (contains NUL bytes)\n${line}\n`, format);
    }
    const summary = { files: 2, instances: 2, errors: 1, warnings: 0, information: 0, hints: 0, analysedInPart: 0, skipped: 1 };
    const doc = JSON.parse(run(['check', '--format', 'json', '.'], ws.root).stdout);
    assert.deepEqual(doc.summary, summary);
    assert.deepEqual(doc.skipped, [{ file: 'binary.nix', reason: 'binary file (contains NUL bytes)' }]);
    const sarifRun = JSON.parse(run(['check', '--format', 'sarif', '.'], ws.root).stdout).runs[0];
    assert.deepEqual(sarifRun.properties.summary, summary);
    assert.deepEqual(sarifRun.invocations[0].toolExecutionNotifications, [
      {
        level: 'warning',
        message: { text: 'skipped: binary file (contains NUL bytes)' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'binary.nix', uriBaseId: '%SRCROOT%' } } }],
      },
    ]);
  } finally {
    ws.dispose();
  }
});

test('SARIF locations are relative to the repository when a subfolder is checked', () => {
  const ws = writeWorkspace(Object.fromEntries([...parseFixture(BROKEN).files].map(([p, t]) => [`/infra/nix${p}`, t])));
  try {
    mkdirSync(ws.path('.git'));
    const r = run(['check', '--format', 'sarif', 'infra/nix'], ws.root);
    assert.equal(r.code, 1, r.stderr);
    const sarifRun = JSON.parse(r.stdout).runs[0];
    assert.deepEqual(sarifRun.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(ws.root).href}/` } });
    assert.deepEqual(
      sarifRun.results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri),
      ['infra/nix/flake.nix'],
    );
    // Without a repository around it, the checked folder is the root.
    rmSync(ws.path('.git'), { recursive: true });
    const alone = JSON.parse(run(['check', '--format', 'sarif', 'infra/nix'], ws.root).stdout).runs[0];
    assert.equal(alone.results[0].locations[0].physicalLocation.artifactLocation.uri, 'flake.nix');
  } finally {
    ws.dispose();
  }
});

const LOCKED_FLAKE = `
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { ... }: { };
}
`;
const LOCK = lockText(
  { nixpkgs: 'nixpkgs', 'home-manager': 'home-manager' },
  {
    nixpkgs: { date: '2024-06-01', rev: '1111111aaaa', ref: 'nixos-24.05' },
    'home-manager': { owner: 'nix-community', repo: 'home-manager', rev: '3333333cccc', inputs: { nixpkgs: 'nixpkgs_2' } },
    nixpkgs_2: { date: '2024-05-01', rev: '2222222bbbb' },
  },
);

test('flake.lock: unfollowed-nixpkgs in text, JSON (with the lock facts, as additions) and SARIF', () => {
  const ws = writeWorkspace({ ...Object.fromEntries(parseFixture(LOCKED_FLAKE).files), '/flake.lock': LOCK });
  try {
    const text = run(['check', ws.root], ws.root);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^flake\.nix:3:10: warning unfollowed-nixpkgs: Add inputs\.home-manager\.inputs\.nixpkgs\.follows = "nixpkgs"; to share nixpkgs\. home-manager locks a nixpkgs of its own \(2222222 of 2024-05-01, 31 days older than the flake's\)/);
    assert.match(text.stderr, /^1 file, 0 instances, 1 warning\n$/);
    const doc = JSON.parse(run(['check', '--format', 'json', ws.root]).stdout);
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.locks, [
      {
        flake: 'flake.nix',
        lock: 'flake.lock',
        version: 7,
        nixpkgs: 'nixpkgs',
        nixpkgsSources: [
          { node: 'nixpkgs', type: 'github', owner: 'NixOS', repo: 'nixpkgs', url: null, rev: '1111111aaaa', lastModified: 1717200000, ref: 'nixos-24.05' },
          { node: 'nixpkgs_2', type: 'github', owner: 'NixOS', repo: 'nixpkgs', url: null, rev: '2222222bbbb', lastModified: 1714521600, ref: null },
        ],
        inputs: [
          { name: 'nixpkgs', node: 'nixpkgs', follows: null, type: 'github', owner: 'NixOS', repo: 'nixpkgs', url: null, rev: '1111111aaaa', lastModified: 1717200000, ref: 'nixos-24.05', nixpkgs: null },
          {
            name: 'home-manager',
            node: 'home-manager',
            follows: null,
            type: 'github',
            owner: 'nix-community',
            repo: 'home-manager',
            url: null,
            rev: '3333333cccc',
            lastModified: 1717200000,
            ref: null,
            nixpkgs: 'nixpkgs_2',
          },
        ],
      },
    ]);
    assert.deepEqual(doc.diagnostics.map((d: { code: string }) => d.code), ['unfollowed-nixpkgs']);
    const sarif = JSON.parse(run(['check', '--format', 'sarif', ws.root]).stdout);
    assert.deepEqual(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId), ['unfollowed-nixpkgs']);
  } finally {
    ws.dispose();
  }
});

test('flake.lock files that cannot be used are skipped with one line each; a flake without one is no problem', () => {
  const flake = '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs"; outputs = _: { }; }\n';
  const ws = writeWorkspace({
    'flake.nix': flake,
    'flake.lock': '{ "nodes": { "root": ',
    'a/flake.nix': flake,
    'a/flake.lock': JSON.stringify({ version: 3, root: 'root', nodes: { root: {} } }),
    'b/flake.nix': flake,
    'b/flake.lock': Buffer.from([0x7b, 0x00, 0x7d]),
    'c/flake.nix': flake,
    'c/flake.lock': Buffer.alloc(5 * 1024 * 1024, 0x20),
    'd/flake.nix': flake,
  });
  try {
    const r = run(['check', ws.root], ws.root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.replace(/:.*/, '')), [
      'skipped a/flake.lock',
      'skipped b/flake.lock',
      'skipped c/flake.lock',
      'skipped flake.lock',
      '5 files, 0 instances, no problems, 4 skipped',
    ]);
    assert.match(lines[0]!, /lock format version 3 is not one this reads/);
    assert.match(lines[1]!, /binary file/);
    assert.match(lines[2]!, /larger than 4 MiB/);
    assert.match(lines[3]!, /not valid JSON/);
    const doc = JSON.parse(run(['check', '--format', 'json', ws.root]).stdout);
    assert.deepEqual(doc.locks.map((l: { flake: string; lock: string | null }) => [l.flake, l.lock]), [
      ['a/flake.nix', null],
      ['b/flake.nix', null],
      ['c/flake.nix', null],
      ['d/flake.nix', null],
      ['flake.nix', null],
    ]);
  } finally {
    ws.dispose();
  }
});
