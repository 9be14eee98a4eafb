import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestProperties, parseSettings } from '../../server/src/ide/settings.js';
import { DIAGNOSTIC_KINDS } from '../../server/src/ide/diagnostics/index.js';
import { excluder } from '../../server/src/node/loader.js';
import { REPO_ROOT } from '../support/workspace.js';

test('the manifest declares exactly the settings the server reads (npm run gen:manifest)', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.configuration.properties, manifestProperties());
  for (const kind of DIAGNOSTIC_KINDS) {
    const p = manifest.contributes.configuration.properties[`nixpkgsInstances.diagnostics.${kind.code}`];
    assert.equal(p.default, kind.defaultSeverity, kind.code);
    assert.ok(p.markdownDescription.length > 20, kind.code);
  }
});

test('settings: valid values apply', () => {
  const { settings, problems } = parseSettings({
    diagnostics: { 'instance-in-module': 'error', 'prefer-legacy-packages': 'off' },
    exclude: ['vendor/**'],
  });
  assert.deepEqual(problems, []);
  assert.equal(settings.diagnostics.get('instance-in-module'), 'error');
  assert.equal(settings.diagnostics.get('prefer-legacy-packages'), 'off');
  assert.deepEqual(settings.exclude, ['vendor/**']);
});

test('settings: each bad field is reported once and the rest still applies', () => {
  const { settings, problems } = parseSettings({
    diagnostics: { 'instance-in-module': 'loud', 'no-such-code': 'error', 'duplicate-instance': 'hint' },
    exclude: 'vendor',
  });
  assert.deepEqual(problems, [
    'nixpkgsInstances.diagnostics.instance-in-module: "loud" is not one of off, hint, information, warning, error; using the default',
    'nixpkgsInstances.diagnostics.no-such-code: unknown diagnostic code; ignored',
    'nixpkgsInstances.exclude: expected a list of glob patterns; ignored',
  ]);
  assert.equal(settings.diagnostics.get('duplicate-instance'), 'hint');
  assert.equal(settings.diagnostics.has('instance-in-module'), false);
  assert.deepEqual(settings.exclude, []);
  const blank = parseSettings({ exclude: ['vendor/**', '', '   ', 3] });
  assert.deepEqual(blank.settings.exclude, ['vendor/**']);
  assert.deepEqual(blank.problems, ['nixpkgsInstances.exclude: entries that are not non-empty strings were ignored']);
  assert.deepEqual(parseSettings(undefined).problems, []);
  assert.deepEqual(parseSettings(42).problems, ['nixpkgsInstances: expected an object of settings; using defaults']);
});

test('exclude globs match files and whole folders', () => {
  const ex = excluder(['vendor/**', '**/generated.nix', './hosts/old'])!;
  assert.equal(ex('vendor'), true);
  assert.equal(ex('vendor/a.nix'), true);
  assert.equal(ex('pkgs/node/generated.nix'), true);
  assert.equal(ex('hosts/old'), true);
  assert.equal(ex('hosts/new/default.nix'), false);
  assert.equal(excluder([]), undefined);
});
