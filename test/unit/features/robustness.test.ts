/**
 * Every feature at every offset of real-looking and half-typed files: no
 * exception, and answers an editor accepts (ranges inside the file, a
 * completion's replace range on the cursor's line and around the cursor).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completion, definition, documentSymbols, hover, references } from '../../../server/src/ide/features/index.js';
import type { Range } from '../../../server/src/ide/text.js';
import { LineIndex } from '../../../server/src/ide/text.js';
import { featureFixture } from '../../support/features.js';

const FLAKE = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, nixpkgs-unstable, ... }@inputs:
    let
      system = "x86_64-linux";
      pkgs-unstable = import nixpkgs-unstable { inherit system; config.allowUnfree = true; };
      mkPkgs = s: import nixpkgs { system = s; overlays = [ (final: prev: { }) ]; };
      riscv = import nixpkgs {
        localSystem = system;
        crossSystem = { config = "riscv64-unknown-linux-gnu"; gcc.arch = "rv64gc"; gcc.abi = "lp64d"; };
      };
    in {
      nixosConfigurations.a = nixpkgs.lib.nixosSystem {
        specialArgs = { inherit inputs pkgs-unstable; };
        modules = [ ./a.nix ];
      };
      packages.\${system}.x = (mkPkgs "aarch64-linux").pkgsCross.riscv64.hello;
      # import nixpkgs { } in a comment, "and in a string"
      s = ''
        \${riscv.hello}/bin
      '';
    };
}
`;

const MODULE = `{ config, pkgs, pkgs-unstable, inputs, ... }:
let u = import inputs.nixpkgs { system = pkgs.system; }; in
{ environment.systemPackages = [ pkgs-unstable.hello u.git pkgs.pkgsCross.riscv64.hello ]; }
`;

function inside(lines: LineIndex, r: Range): boolean {
  const end = lines.position(lines.text.length);
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le({ line: 0, character: 0 }, r.start) && le(r.start, r.end) && le(r.end, end);
}

async function sweep(flake: string, module: string, file: '/flake.nix' | '/a.nix'): Promise<number> {
  // The swept file is the open document (its tree is kept, as in the editor); `$0` marks it.
  const mark = (name: string) => (name === file ? '$0' : '');
  const f = await featureFixture(`#- /flake.nix\n${mark('/flake.nix')}${flake}\n#- /a.nix\n${mark('/a.nix')}${module}\n`, { open: true });
  let answers = 0;
  try {
    const text = f.ctx.text(file)!;
    const lines = new LineIndex(text);
    for (const s of documentSymbols(f.ctx, file)) assert.ok(inside(lines, s.range) && inside(lines, s.selectionRange));
    for (let offset = 0; offset <= text.length; offset++) {
      const pos = lines.position(offset);
      for (const item of completion(f.ctx, file, offset)) {
        answers++;
        const r = item.replaceRange!;
        assert.ok(r, `${item.label} at ${offset} has a replace range`);
        assert.equal(r.start.line, pos.line, `${item.label} at ${offset}: replace range on the cursor's line`);
        assert.equal(r.end.line, pos.line);
        assert.ok(r.start.character <= pos.character && pos.character <= r.end.character, `${item.label} at ${offset}: around the cursor`);
      }
      const h = hover(f.ctx, file, offset);
      if (h) {
        answers++;
        assert.ok(inside(lines, h.range) && h.contents.length > 0);
      }
      for (const loc of [...definition(f.ctx, file, offset), ...references(f.ctx, file, offset, true)]) {
        answers++;
        assert.ok(inside(new LineIndex(f.ctx.text(loc.file)!), loc.range), `location at ${offset}`);
      }
    }
  } finally {
    f.dispose();
  }
  return answers;
}

test('every offset of a flake and a module', async () => {
  assert.ok((await sweep(FLAKE, MODULE, '/flake.nix')) > 100);
  assert.ok((await sweep(FLAKE, MODULE, '/a.nix')) > 20);
});

test('every offset of files cut short at every tenth character (half-typed code)', async () => {
  for (let cut = 0; cut < FLAKE.length; cut += Math.ceil(FLAKE.length / 10)) {
    await sweep(FLAKE.slice(0, cut), MODULE.slice(0, Math.min(cut, MODULE.length)), '/flake.nix');
    await sweep(FLAKE, MODULE.slice(0, Math.min(cut, MODULE.length)), '/a.nix');
  }
});
