/**
 * The client's answer to a crashed server (client/src/restart.ts): restart it,
 * tell the user once per session, and stop restarting a server that keeps
 * dying. The real editor suite kills the server and sees it come back
 * (test/e2e/suite/commands.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restart.js';

const MINUTE = 60_000;

test('a crashed server is restarted, and the user is told once, not on every crash', () => {
  const p = new RestartPolicy();
  assert.deepEqual(p.onStop(0), { restart: true, tell: true, recent: 1 });
  assert.deepEqual(p.onStop(10 * MINUTE), { restart: true, tell: false, recent: 1 });
  assert.deepEqual(p.onStop(10 * MINUTE + 1000), { restart: true, tell: false, recent: 2 });
});

test('five restarts within three minutes, then it stays stopped; crashes spread out are restarted forever', () => {
  const p = new RestartPolicy(5, 3 * MINUTE);
  for (let i = 0; i < 5; i++) assert.equal(p.onStop(i * 1000).restart, true, `crash ${i + 1}`);
  assert.deepEqual(p.onStop(5000), { restart: false, recent: 5 });

  const spread = new RestartPolicy(5, 3 * MINUTE);
  for (let i = 0; i < 50; i++) {
    const d = spread.onStop(i * MINUTE);
    assert.equal(d.restart, true, `crash ${i + 1}, a minute after the last`);
    assert.ok(d.recent <= 4);
  }
  // The window slides: old stops stop counting.
  const sliding = new RestartPolicy(5, 3 * MINUTE);
  for (let i = 0; i < 5; i++) sliding.onStop(i * 1000);
  assert.equal(sliding.onStop(3 * MINUTE + 1001).restart, true, 'the first stops left the window');
});
