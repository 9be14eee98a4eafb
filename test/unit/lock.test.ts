/**
 * flake.lock reading (server/src/ide/lock.ts): what a lock pins and how inputs resolve,
 * and locks that cannot be used refused with the reason, never an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockFacts, parseLock, resolvePath } from '../../server/src/ide/lock.js';
import { lockText } from '../support/lock.js';

function facts(text: string) {
  const r = parseLock(text);
  assert.ok('lock' in r, 'skip' in r ? r.skip : '');
  return lockFacts('/flake.lock', r.lock);
}

test('inputs resolve through nodes and follows paths, never by node name', () => {
  const f = facts(
    lockText(
      { nixpkgs: 'nixpkgs_2', hm: 'hm', utils: 'utils', agenix: ['hm'] },
      {
        nixpkgs_2: { ref: 'nixos-24.05', date: '2024-05-31', rev: '0123456789abcdef' },
        hm: { repo: 'home-manager', inputs: { nixpkgs: 'nixpkgs', utils: ['utils'] } },
        nixpkgs: {},
        utils: { repo: 'flake-utils', inputs: { nixpkgs: ['hm', 'nixpkgs'] } },
      },
    ),
  );
  assert.equal(f.rootNixpkgs, 'nixpkgs_2');
  assert.deepEqual(
    f.inputs.map((i) => [i.name, i.node, i.follows, i.nixpkgs]),
    [
      ['nixpkgs', 'nixpkgs_2', null, null],
      ['hm', 'hm', null, 'nixpkgs'],
      ['utils', 'utils', null, 'nixpkgs'],
      ['agenix', 'hm', ['hm'], 'nixpkgs'],
    ],
  );
  assert.deepEqual(f.nixpkgsNodes, ['nixpkgs', 'nixpkgs_2']);
  const root = f.inputs[0]!.source!;
  assert.deepEqual([root.owner, root.repo, root.ref, root.rev, root.lastModified], ['NixOS', 'nixpkgs', 'nixos-24.05', '0123456789abcdef', 1717113600]);
});

test('follows cycles and dangling names resolve to nothing instead of looping', () => {
  const r = parseLock(
    JSON.stringify({
      version: 7,
      root: 'root',
      nodes: { root: { inputs: { a: ['b', 'x'], b: ['a', 'x'], c: 'gone', d: 42 } }, x: {} },
    }),
  );
  assert.ok('lock' in r);
  const f = lockFacts('/flake.lock', r.lock);
  assert.deepEqual(
    f.inputs.map((i) => [i.name, i.node]),
    [
      ['a', null],
      ['b', null],
      ['c', null],
    ],
  );
  assert.equal(resolvePath(r.lock, ['a', 'a', 'a']), null);
  assert.equal(f.rootNixpkgs, null);
});

test('what is not a lock of a known format is refused with the reason', () => {
  const cases: [string, RegExp][] = [
    ['', /not valid JSON/],
    ['{"nodes": ', /not valid JSON/],
    ['[1, 2]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"version": 4, "root": "root", "nodes": {}}', /version 4 is not one this reads/],
    ['{"version": 8, "root": "root", "nodes": {"root": {}}}', /version 8/],
    ['{"root": "root", "nodes": {"root": {}}}', /version missing/],
    ['{"version": 7, "nodes": {"root": {}}}', /no root or nodes/],
    ['{"version": 7, "root": "root", "nodes": []}', /no root or nodes/],
    ['{"version": 7, "root": "top", "nodes": {"root": {}}}', /root node 'top' is missing/],
  ];
  for (const [text, reason] of cases) {
    const r = parseLock(text);
    assert.ok('skip' in r, `accepted: ${text}`);
    assert.match(r.skip, reason, text);
  }
  // Odd but readable: junk fields are ignored.
  const odd = parseLock('{"version": 7, "root": "root", "nodes": {"root": {"inputs": {"nixpkgs": "n"}}, "n": {"locked": {"lastModified": "x", "rev": 5}}, "junk": 3}}');
  assert.ok('lock' in odd);
  const f = lockFacts('/flake.lock', odd.lock);
  assert.equal(f.rootNixpkgs, 'n');
  assert.deepEqual(f.inputs[0]!.source, { type: null, owner: null, repo: null, url: null, rev: null, lastModified: null, ref: null });
});
