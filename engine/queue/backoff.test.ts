import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from the base per attempt, with the top of the jitter range at the nominal delay', () => {
    const top = { random: () => 1 };
    assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffMs(a, top)), [1000, 2000, 4000, 8000, 16000]);
  });

  it('never goes below half the nominal delay', () => {
    assert.deepEqual([1, 2, 3].map((a) => backoffMs(a, { random: () => 0 })), [500, 1000, 2000]);
    assert.equal(backoffMs(2, { random: () => 0.5 }), 1500);
  });

  it('is capped at 5 minutes, also for absurd attempt counts', () => {
    assert.equal(backoffMs(9, { random: () => 1 }), 256_000);
    assert.equal(backoffMs(10, { random: () => 1 }), 300_000);
    assert.equal(backoffMs(5000, { random: () => 1 }), 300_000);
    assert.equal(backoffMs(5000, { random: () => 0 }), 150_000);
  });

  it('takes a configurable base and cap', () => {
    assert.equal(backoffMs(3, { baseMs: 50, random: () => 1 }), 200);
    assert.equal(backoffMs(3, { baseMs: 50, capMs: 120, random: () => 1 }), 120);
  });

  it('spreads real jitter over [d/2, d]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3);
      assert.ok(d >= 2000 && d <= 4000, String(d));
    }
  });
});
