/**
 * `Analysis.assists` keeps the assists of the current revision (server/src/ide/analysis.ts):
 * asking again about the same place finds the same assists, hoist-all is planned once per
 * revision whichever file asks, and any change (an edit on the typing fast path included) is a
 * new revision whose assists are computed on the new text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/ide/assists/index.js';
import { analyse, parseFixture } from '../../support/fixture.js';

const FIXTURE = `
#- /w/flake.nix
{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.nixpkgs-unstable.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs, ... }@inputs: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./m.nix ./n.nix ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; specialArgs = { inherit inputs; }; modules = [ ./m.nix ./n.nix ]; };
  };
}
#- /w/m.nix
{ pkgs, inputs, ... }:
let
  u = import inputs.nixpkgs-unstable { system = pkgs.system; };
in { environment.systemPackages = [ u.hello ]; networking.hostName = "x"; }
#- /w/n.nix
{ pkgs, inputs, ... }:
let
  v = import inputs.nixpkgs-unstable { system = pkgs.system; config.allowUnfree = true; };
in { environment.systemPackages = [ v.hello ]; }
`;

test('the assists of one revision are kept; hoist-all is planned once for every file', async () => {
  const fixture = parseFixture(FIXTURE);
  const a = await analyse(fixture);
  const at = fixture.files.get('/w/m.nix')!.indexOf('import');
  const first = a.assists('/w/m.nix', { start: at, end: at });
  assert.equal(a.assists('/w/m.nix', { start: at, end: at }), first, 'the same place asked twice');
  const allHere = first.find((x) => x.id === 'hoist-all');
  const atN = fixture.files.get('/w/n.nix')!.indexOf('import');
  const allThere = a.assists('/w/n.nix', { start: atN, end: atN }).find((x) => x.id === 'hoist-all');
  assert.ok(allHere && allThere);
  assert.equal(allHere.edit(), allThere.edit(), 'hoist-all planned twice in one revision');
});

test('an edit is a new revision: assists and their edits follow the new text, on the typing fast path too', async () => {
  const fixture = parseFixture(FIXTURE);
  const a = await analyse(fixture);
  let text = fixture.files.get('/w/m.nix')!;
  a.openDocument('/w/m.nix', text);
  const at = () => text.indexOf('import');
  const hoistEdit = () => a.assists('/w/m.nix', { start: at(), end: at() }).find((x) => x.id === 'hoist-to-flake')!.edit();
  const before = hoistEdit();
  const revision = a.revision;
  const fast = a.fastEdits;
  // A value outside everything the index records: the fast path, which keeps the model.
  const offset = text.indexOf('"x"') + 1;
  a.changeDocument('/w/m.nix', [{ start: offset, end: offset + 1, text: 'yyy' }]);
  text = text.slice(0, offset) + 'yyy' + text.slice(offset + 1);
  assert.equal(a.fastEdits, fast + 1, 'the edit did not take the fast path');
  assert.notEqual(a.revision, revision);
  const after = hoistEdit();
  assert.notEqual(after, before);
  // The module's edits apply to the new text as they applied to the old one.
  const apply = (t: string, change: typeof before) => applyEdits(t, change.files.get('/w/m.nix')!);
  assert.equal(apply(text, after), apply(fixture.files.get('/w/m.nix')!, before).replace('"x"', '"yyy"'));
});
