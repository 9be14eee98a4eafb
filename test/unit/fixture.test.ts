import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics, parseFixture } from '../support/fixture.js';

test('fixtures split files at #- headers and find the cursor', () => {
  const f = parseFixture(`
    #- /flake.nix
    { }
    #- /modules/a.nix
    { pkgs, ... }: { x = $0pkgs.hello; }
  `);
  assert.deepEqual([...f.files.keys()], ['/flake.nix', '/modules/a.nix']);
  assert.equal(f.files.get('/modules/a.nix'), '{ pkgs, ... }: { x = pkgs.hello; }\n');
  assert.deepEqual(f.cursor, { file: '/modules/a.nix', offset: '{ pkgs, ... }: { x = '.length });
});

test('annotations point at the line above, columns from the carets', () => {
  const f = parseFixture(`
    let a = 1;
    #   ^ warning some-code: text here
    in a
  `);
  assert.deepEqual(f.annotations, [
    { file: '/default.nix', line: 0, startCol: 4, endCol: 5, severity: 'warning', code: 'some-code', text: 'text here' },
  ]);
});

test('a mismatch reports what is missing and what is unexpected, with line:column', async () => {
  await assert.rejects(
    checkDiagnostics(`
      let
        a = import <nixpkgs> { system = "x"; localSystem = "y"; };
        #                                    ^^^^^^^^^^^ error system-and-local-system
      in a
    `),
    (e: Error) =>
      e.message.includes('missing:\n  /default.nix:2:40-51: error system-and-local-system') &&
      e.message.includes('unexpected:\n  /default.nix:2:26-32: error system-and-local-system'),
  );
});
