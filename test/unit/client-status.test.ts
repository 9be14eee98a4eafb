/**
 * The status bar item (client/src/status.ts): the instance count and a
 * spinner while indexing; no problem counts beside VS Code's own; plain text
 * for screen readers. The real editor suite reads what the item shows
 * (test/e2e/suite/view.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView } from '../../client/src/status.js';

const totals = { instances: 9, evaluations: 14, packageSets: 11, unknown: 0, errors: 3, warnings: 2, infos: 4 };

test('the item shows the package sets evaluating every output creates (as report and the view count them), not a second count of problems', () => {
  const s = statusView(totals, false)!;
  assert.equal(s.text, '$(package) 11 package sets');
  assert.doesNotMatch(s.text, /warning|error/);
  assert.equal(statusView({ ...totals, packageSets: 1 }, false)!.text, '$(package) 1 package set');
  assert.match(s.tooltip, /Problems panel/);
});

test('a spinner while indexing, with the last count when there is one', () => {
  assert.equal(statusView(null, true)!.text, '$(loading~spin)');
  assert.equal(statusView(totals, true)!.text, '$(loading~spin) 11 package sets');
  assert.match(statusView(null, true)!.accessibilityLabel, /indexing/);
  assert.equal(statusView(null, false), null);
});

test('the accessibility label is plain text: no codicons, no markdown', () => {
  for (const s of [statusView(totals, false)!, statusView(totals, true)!]) {
    assert.doesNotMatch(s.accessibilityLabel, /\$\(|`|\*\*|\[/, s.accessibilityLabel);
  }
  assert.equal(
    statusView(totals, false)!.accessibilityLabel,
    'Nixpkgs Instances: evaluating every output creates 11 nixpkgs package sets, from 9 instantiations in the workspace. Open the Nixpkgs Instances view.',
  );
  assert.match(statusView({ ...totals, unknown: 2 }, false)!.accessibilityLabel, /11 nixpkgs package sets \(and 2 sites whose count the text does not tell\), from/);
});

test('the nixpkgs sources of flake.lock, when the server read one, are in the tooltip and the label', () => {
  const s = statusView({ ...totals, nixpkgsSources: 3 }, false)!;
  assert.equal(s.text, '$(package) 11 package sets');
  assert.match(s.tooltip, /flake\.lock pins 3 nixpkgs sources\./);
  assert.match(s.accessibilityLabel, /flake\.lock pins 3 nixpkgs sources\. Open/);
});
