// The retry backoff of the event queue (and of a failed refresh): doubling from the minimum,
// capped at the maximum, with jitter between half and all of the step, so a burst of failures
// never becomes a burst of requests and many clients do not retry in step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { backoffDelay } from '../../src/model/eventQueue';

test('the step doubles from the minimum up to the maximum', () => {
  const full = (failures: number) => backoffDelay(failures, 1000, 60_000, () => 1);
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 50].map(full), [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  assert.equal(backoffDelay(0, 1000, 60_000, () => 1), 1000, 'no failure yet counts as the first');
});

test('jitter picks between half and all of the step', () => {
  assert.equal(backoffDelay(3, 1000, 60_000, () => 0), 2000);
  assert.equal(backoffDelay(3, 1000, 60_000, () => 0.5), 3000);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, r) => {
      const step = Math.min(60_000, 1000 * 2 ** (failures - 1));
      const delay = backoffDelay(failures, 1000, 60_000, () => r);
      assert.ok(delay >= Math.floor(step / 2) && delay <= step, `${delay} outside [${step / 2}, ${step}]`);
    }),
  );
});
