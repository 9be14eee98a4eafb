/**
 * Typing in an open document: whatever path an edit takes (the fast path for
 * a value outside everything indexed, or full extraction), the index and the
 * diagnostics must equal those of a fresh analysis of the final text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analysis } from '../../server/src/ide/analysis.js';
import { analyse, parseFixture, testParser } from '../support/fixture.js';
import type { NixParser } from '../../server/src/syntax/parser.js';

const WORKSPACE = parseFixture(`
#- /flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { nixpkgs, ... }@inputs:
    let
      mkHost = name: nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        specialArgs = { inherit inputs; };
        modules = [ ./hosts/\${name}.nix ./common.nix ];
      };
    in {
      nixosConfigurations.a = mkHost "a";
      nixosConfigurations.b = mkHost "b";
      nixosConfigurations.c = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./common.nix ]; };
      other = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
    };
}
#- /hosts/a.nix
{ ... }: { networking.hostName = "a"; }
#- /hosts/b.nix
{ ... }: { networking.hostName = "b"; }
#- /common.nix
{ pkgs, inputs, ... }:
let
  u = import inputs.nixpkgs-unstable { system = pkgs.system; config.allowUnfree = true; };
  same = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
  port = 8080;
in
{
  networking.firewall.allowedTCPPorts = [ port 443 22 ];
  services.nginx.enable = true;
  services.nginx.virtualHosts."example.org".root = "/var/www";
  environment.systemPackages = [ u.hello pkgs.git ];
  users.users.me.description = "Me Myself";
  extra.list = [ 42 "abc" (import inputs.nixpkgs-unstable { system = "aarch64-linux"; }).hello ];
  mirror.list = [ 7 "def" (import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).hello ];
  # nixpkgs-instances: ignore duplicate-instance
  x = import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
  nixpkgs.overlays = [ (final: prev: { openssl = prev.libressl; }) ];
}
`);

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function snapshot(a: Analysis) {
  return {
    instances: a.workspace().instances.map((i) => ({ file: i.file, range: i.range, key: i.key, scope: i.scope, evaluations: i.evaluations })),
    diagnostics: a.allDiagnostics(),
  };
}

/** The workspace analysed, with `file` open and its diagnostics asked for (so an edit may keep them). */
function openAt(parser: NixParser, file: string): Analysis {
  const a = new Analysis(parser);
  for (const [p, t] of WORKSPACE.files) a.setFile(p, t);
  a.openDocument(file, WORKSPACE.files.get(file)!);
  a.allDiagnostics();
  return a;
}

/** How many characters `from` and `to` share at the start and, after those, at the end. */
function smallestChange(from: string, to: string): { pre: number; suf: number } {
  let pre = 0;
  while (pre < from.length && from[pre] === to[pre]) pre++;
  let suf = 0;
  while (suf < from.length - pre && suf < to.length - pre && from.at(-1 - suf) === to.at(-1 - suf)) suf++;
  return { pre, suf };
}

/** The snapshot of a fresh analysis of the workspace with `file` open at `text`. */
function freshSnapshot(parser: NixParser, file: string, text: string) {
  const fresh = new Analysis(parser);
  for (const [p, t] of WORKSPACE.files) fresh.setFile(p, p === file ? text : t);
  fresh.openDocument(file, text);
  return snapshot(fresh);
}

test('after any sequence of edits, the open document analyses like a fresh one (fast path included)', async () => {
  const parser = await testParser();
  const a = new Analysis(parser);
  for (const [p, t] of WORKSPACE.files) a.setFile(p, t);
  const file = '/common.nix';
  a.openDocument(file, WORKSPACE.files.get(file)!);
  a.allDiagnostics();
  const rand = prng(7);
  const pieces = ['1', '9', 'x', 'Z', '', '"', ' ', ';', '\n', 'import', 'nixpkgs', '}'];
  let text = WORKSPACE.files.get(file)!;
  for (let i = 0; i < 400; i++) {
    // Mostly small value edits (the fast path), sometimes anything.
    let start: number;
    let end: number;
    const m = [...text.matchAll(/\d+|"[^"\n]*"|[a-z]+/g)];
    if (rand() < 0.8 && m.length) {
      const hit = m[Math.floor(rand() * m.length)]!;
      start = hit.index! + Math.floor(rand() * hit[0].length);
      end = Math.min(hit.index! + hit[0].length, start + Math.floor(rand() * 2));
    } else {
      start = Math.floor(rand() * text.length);
      end = Math.min(text.length, start + Math.floor(rand() * 3));
    }
    const insert = rand() < 0.8 ? String.fromCharCode(97 + Math.floor(rand() * 26)) : pieces[Math.floor(rand() * pieces.length)]!;
    a.changeDocument(file, [{ start, end, text: insert }]);
    text = text.slice(0, start) + insert + text.slice(end);
    const got = snapshot(a);
    const fresh = new Analysis(parser);
    for (const [p, t] of WORKSPACE.files) fresh.setFile(p, p === file ? text : t);
    fresh.openDocument(file, text);
    assert.deepEqual(got, snapshot(fresh), `after edit ${i} (${JSON.stringify(insert)} at ${start}-${end})`);
  }
  assert.ok(a.fastEdits > 50, `the fast path was taken ${a.fastEdits} times`);
});

test('value edits before a diagnostic on the same line shift it (fast path), and match a fresh analysis', async () => {
  const parser = await testParser();
  const file = '/common.nix';
  const a = openAt(parser, file);
  let text = WORKSPACE.files.get(file)!;
  const edits: [string, string][] = [
    ['42', '4242'],
    ['"abc"', '"abcdef"'],
    ['extra.list', 'extras.list'],
    ['"def"', '"dxf"'],
    // Longer: the related places other diagnostics of this file have on this line move too.
    ['"dxf"', '"dxf-longer"'],
  ];
  for (const [from, to] of edits) {
    const start = text.indexOf(from);
    const before = a.fastEdits;
    a.changeDocument(file, [{ start, end: start + from.length, text: to }]);
    text = text.slice(0, start) + to + text.slice(start + from.length);
    assert.equal(a.fastEdits, before + 1, `${from} → ${to} takes the fast path`);
    assert.deepEqual(snapshot(a), freshSnapshot(parser, file, text), `${from} → ${to}`);
  }
});

test('edits to what names a host (the attribute a configuration is bound to, a helper call`s arguments) match a fresh analysis', async () => {
  // Found by the fuzzer: renaming `nixosConfigurations.box` took the fast path, and the
  // diagnostics kept naming the old host.
  const parser = await testParser();
  const file = '/flake.nix';
  const edits: [string, string][] = [
    ['nixosConfigurations.a', 'nixosConfigurations.ax'],
    ['nixosConfigurations.c', 'nixosConfigurations.cd'],
    ['mkHost "b"', 'mkHost "bc"'],
    ['mkHost "bc"', 'mkHost "a"'],
  ];
  const a = new Analysis(parser);
  for (const [p, t] of WORKSPACE.files) a.setFile(p, t);
  let text = WORKSPACE.files.get(file)!;
  a.openDocument(file, text);
  a.allDiagnostics();
  for (const [from, to] of edits) {
    // The smallest change, typed one character at a time as a user would (each one a candidate
    // for the fast path).
    const at = text.indexOf(from);
    assert.ok(at >= 0, from);
    const { pre, suf } = smallestChange(from, to);
    const start = at + pre;
    const removed = from.length - pre - suf;
    if (removed > 0) {
      a.changeDocument(file, [{ start, end: start + removed, text: '' }]);
      text = text.slice(0, start) + text.slice(start + removed);
    }
    for (const [i, ch] of [...to.slice(pre, to.length - suf)].entries()) {
      a.changeDocument(file, [{ start: start + i, end: start + i, text: ch }]);
      text = text.slice(0, start + i) + ch + text.slice(start + i);
    }
    assert.ok(text.includes(to), to);
    assert.deepEqual(snapshot(a), freshSnapshot(parser, file, text), `${from} → ${to}`);
  }
});

test('renaming the one use of a let-bound instance leaves the binding unused: the edit takes the full path and matches a fresh analysis', async () => {
  const parser = await testParser();
  const files = new Map([
    ['/flake.nix', '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05"; outputs = { nixpkgs, ... }: { p = import ./p.nix { inherit nixpkgs; }; }; }\n'],
    ['/p.nix', '{ nixpkgs }:\nlet\n  u = import nixpkgs { system = "x86_64-linux"; };\nin { hello = u.hello; }\n'],
  ]);
  const a = new Analysis(parser);
  for (const [p, t] of files) a.setFile(p, t);
  const file = '/p.nix';
  let text = files.get(file)!;
  a.openDocument(file, text);
  a.allDiagnostics();
  const evaluated = () => a.workspace().instancesIn(file).map((i) => i.evaluated);
  assert.deepEqual(evaluated(), [true]);
  const start = text.indexOf('u.hello');
  a.changeDocument(file, [{ start, end: start + 1, text: 'w' }]);
  text = text.slice(0, start) + 'w' + text.slice(start + 1);
  assert.deepEqual(evaluated(), [false], 'nothing names u any more');
  const fresh = new Analysis(parser);
  for (const [p, t] of files) fresh.setFile(p, p === file ? text : t);
  fresh.openDocument(file, text);
  assert.deepEqual(snapshot(a), snapshot(fresh));
});

test('an edit that keeps a file\'s path references keeps the evaluation layer; one that adds a reference rebuilds it', async () => {
  const a = await analyse(`
#- /flake.nix
{ outputs = { nixpkgs, ... }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }; }
#- /host.nix
{ pkgs, ... }: { environment.systemPackages = [ pkgs.vim ]; }
#- /extra.nix
{ pkgs, ... }: { }
#- /other.nix
{ pkgs, ... }: { }
#- /dir/a.nix
{ pkgs, ... }: { }
#- /dir2/b.nix
{ pkgs, ... }: { }
`);
  a.openDocument('/host.nix', '{ pkgs, ... }: { environment.systemPackages = [ pkgs.vim ]; }');
  const before = a.workspace().evaluation;
  assert.equal(before.reachOf('/extra.nix'), 'unreached');
  // An instance appears: the facts change, the references do not.
  a.changeDocument('/host.nix', [{ start: 16, end: 16, text: 'x = import <nixpkgs> { }; ' }]);
  assert.equal(a.workspace().evaluation, before, 'the evaluation layer is reused');
  // A reference to another file: which files are evaluated changes.
  a.changeDocument('/host.nix', [{ start: 16, end: 16, text: 'imports = [ ./extra.nix ]; ' }]);
  assert.notEqual(a.workspace().evaluation, before);
  assert.equal(a.workspace().evaluation.reachOf('/extra.nix'), 'reached');
  // The same number of references, naming another file.
  const text = a.documentText('/host.nix')!;
  const at = text.indexOf('./extra.nix');
  a.changeDocument('/host.nix', [{ start: at, end: at + './extra.nix'.length, text: './other.nix' }]);
  assert.equal(a.workspace().evaluation.reachOf('/other.nix'), 'reached');
  assert.equal(a.workspace().evaluation.reachOf('/extra.nix'), 'unreached');
  // Folders with files in them (every file under a folder may be evaluated), one for the other.
  const folder = (from: string, to: string): void => {
    const t = a.documentText('/host.nix')!;
    const i = t.indexOf(from);
    a.changeDocument('/host.nix', [{ start: i, end: i + from.length, text: to }]);
  };
  folder('./other.nix', './dir');
  assert.equal(a.workspace().evaluation.reachOf('/dir/a.nix'), 'reached');
  folder('./dir', './dir2');
  assert.equal(a.workspace().evaluation.reachOf('/dir2/b.nix'), 'reached');
  assert.equal(a.workspace().evaluation.reachOf('/dir/a.nix'), 'unreached');
  // A path naming nothing here, for another naming nothing: no file's reach changes, the layer stays.
  folder('./dir2', './nowhere');
  const kept = a.workspace().evaluation;
  folder('./nowhere', './elsewhere');
  assert.equal(a.workspace().evaluation, kept, 'references naming nothing keep the evaluation layer');
});

test('edits the first fast path cannot prove inert are read again: facts that only moved keep the model; an instance edit keeps the module graph; all match a fresh analysis', async () => {
  const parser = await testParser();
  const file = '/common.nix';
  const a = openAt(parser, file);
  let text = WORKSPACE.files.get(file)!;
  // [from, to, whether the model and diagnostics are kept]
  const edits: [string, string, boolean][] = [
    // A variable (`true` names a builtin): the first path refuses identifiers of variables.
    ['nginx.enable = true', 'nginx.enable = false', true],
    // A string that reads as a path naming nothing (`/var/www`, then `/var/wwwx`): the references change, no reach does.
    ['"/var/www"', '"/var/wwwx"', true],
    // A comment.
    ['# nixpkgs-instances: ignore duplicate-instance', '# nixpkgs-instances: ignore duplicate-instance, x', false],
    // An instance's arguments: the facts change, the module graph stays.
    ['system = "aarch64-linux"', 'system = "riscv64-linux"', false],
    ['config.allowUnfree = true; };\n  nixpkgs', 'config.allowUnfree = false; };\n  nixpkgs', false],
  ];
  for (const [from, to, kept] of edits) {
    const at = text.indexOf(from);
    assert.ok(at >= 0, from);
    const { pre, suf } = smallestChange(from, to);
    const model = a.workspace();
    const before = a.fastEdits;
    a.changeDocument(file, [{ start: at + pre, end: at + from.length - suf, text: to.slice(pre, to.length - suf) }]);
    text = text.slice(0, at) + to + text.slice(at + from.length);
    assert.equal(a.fastEdits > before && a.workspace() === model, kept, `${from} → ${to}: model kept`);
    assert.deepEqual(snapshot(a), freshSnapshot(parser, file, text), `${from} → ${to}`);
    assert.equal(a.documentText(file), text);
  }
});
