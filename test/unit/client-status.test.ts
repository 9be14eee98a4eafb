/**
 * The status bar item (client/src/status.ts): the instance count and a
 * spinner while indexing; no problem counts beside VS Code's own; plain text
 * for screen readers. The real editor suite reads what the item shows
 * (test/e2e/suite/view.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView } from '../../client/src/status.js';

const totals = { instances: 9, evaluations: 14, errors: 3, warnings: 2, infos: 4 };

test('the item shows the instance count, not a second count of problems', () => {
  const s = statusView(totals, false)!;
  assert.equal(s.text, '$(package) 9 instances');
  assert.doesNotMatch(s.text, /warning|error/);
  assert.equal(statusView({ ...totals, instances: 1 }, false)!.text, '$(package) 1 instance');
  assert.match(s.tooltip, /Problems panel/);
});

test('a spinner while indexing, with the last count when there is one', () => {
  assert.equal(statusView(null, true)!.text, '$(loading~spin)');
  assert.equal(statusView(totals, true)!.text, '$(loading~spin) 9 instances');
  assert.match(statusView(null, true)!.accessibilityLabel, /indexing/);
  assert.equal(statusView(null, false), null);
});

test('the accessibility label is plain text: no codicons, no markdown', () => {
  for (const s of [statusView(totals, false)!, statusView(totals, true)!]) {
    assert.doesNotMatch(s.accessibilityLabel, /\$\(|`|\*\*|\[/, s.accessibilityLabel);
  }
  assert.equal(
    statusView(totals, false)!.accessibilityLabel,
    'Nixpkgs Instances: 9 nixpkgs instances in the workspace, about 14 evaluations of nixpkgs in all. Open the Nixpkgs Instances view.',
  );
});

test('the nixpkgs sources of flake.lock, when the server read one, are in the tooltip and the label', () => {
  const s = statusView({ ...totals, nixpkgsSources: 3 }, false)!;
  assert.equal(s.text, '$(package) 9 instances');
  assert.match(s.tooltip, /flake\.lock pins 3 nixpkgs sources\./);
  assert.match(s.accessibilityLabel, /flake\.lock pins 3 nixpkgs sources\. Open/);
});
