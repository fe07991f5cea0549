// Unit tests for web/lib/run-time.js: the expected time of a run in the toolbar (issue 14 #8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, groupThousands, runTime, SLOW_SECONDS } from '../../../web/lib/run-time.js';

test('formatDuration: seconds, minutes, hours, days', () => {
  assert.equal(formatDuration(0), '1 s');
  assert.equal(formatDuration(59.4), '59 s');
  assert.equal(formatDuration(12.4), '12 s');
  assert.equal(formatDuration(59.6), '1 min');
  assert.equal(formatDuration(200), '3 min 20 s');
  assert.equal(formatDuration(3599.7), '1 h');
  assert.equal(formatDuration(7500), '2 h 5 min');
  assert.equal(formatDuration(86400 * 3.44), '3.4 days');
  assert.equal(formatDuration(86400 * 1234.4), '1,234 days');
});

test('runTime: nothing until the speed is known; time left from step, totalSteps and speed', () => {
  assert.equal(runTime(null).text, '');
  assert.equal(runTime({ running: false, step: 5, totalSteps: 100, stepsPerSec: 10 }).text, '');
  assert.equal(runTime({ running: true, step: 0, totalSteps: 100, stepsPerSec: 0 }).text, '');
  const r = runTime({ running: true, step: 1000, totalSteps: 3000, stepsPerSec: 40 });
  assert.equal(r.seconds, 50);
  assert.equal(r.slow, false);
  assert.equal(r.text, '40.0 steps/s · 50 s left');
});

test('runTime: a run needing more than a few minutes says so', () => {
  // The link: 0.56 steps/s for 1,000,000 steps is 20.7 days.
  const r = runTime({ running: true, step: 0, totalSteps: 1e6, stepsPerSec: 0.56 });
  assert.equal(r.slow, true);
  assert.match(r.text, /^0\.560 steps\/s · a long run: about 21 days more/);
  const edge = runTime({ running: true, step: 0, totalSteps: SLOW_SECONDS * 100, stepsPerSec: 100 });
  assert.equal(edge.slow, false);  // exactly SLOW_SECONDS is not slow yet
  assert.equal(runTime({ running: true, step: 0, totalSteps: SLOW_SECONDS * 100 + 1, stepsPerSec: 100 }).slow, true);
});

test('groupThousands puts commas between groups of three digits, without the locale data', () => {
  assert.equal(groupThousands(0), '0');
  assert.equal(groupThousands(999), '999');
  assert.equal(groupThousands(4630), '4,630');
  assert.equal(groupThousands(106432), '106,432');
  assert.equal(groupThousands(1234567.4), '1,234,567');
});
