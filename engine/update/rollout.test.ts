// Staged rollout buckets: stable per machine, spread evenly, and growing a rollout only adds machines.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { inRollout, rolloutBucket } from './rollout.js';

const machines = Array.from({ length: 10_000 }, (_, i) => `machine-${i}`);

test('a machine always lands in the same bucket, derived from SHA-256 of its id', () => {
  const expected = createHash('sha256').update('HOST-42', 'utf8').digest().readUInt32BE(0) % 100;
  assert.equal(rolloutBucket('HOST-42'), expected);
  assert.equal(rolloutBucket('HOST-42'), rolloutBucket('HOST-42'));
  for (const id of machines.slice(0, 500)) {
    const bucket = rolloutBucket(id);
    assert.ok(Number.isInteger(bucket) && bucket >= 0 && bucket <= 99, `${id} → ${bucket}`);
  }
});

test('buckets are spread evenly enough that a 10% rollout reaches about 10% of machines', () => {
  const counts = new Array<number>(100).fill(0);
  for (const id of machines) counts[rolloutBucket(id)]!++;
  // 100 expected per bucket; a bucket off by more than half would make percentages meaningless.
  assert.ok(Math.min(...counts) > 50 && Math.max(...counts) < 150, `bucket sizes ${Math.min(...counts)}..${Math.max(...counts)}`);
  const reached = machines.filter((id) => inRollout(id, 10)).length;
  assert.ok(reached > 800 && reached < 1200, `10% reached ${reached} of 10000`);
});

test('0% reaches nobody, 100% everybody, and raising the percentage never drops a machine', () => {
  assert.equal(machines.filter((id) => inRollout(id, 0)).length, 0);
  assert.equal(machines.filter((id) => inRollout(id, 100)).length, machines.length);
  assert.equal(inRollout('x', Number.NaN), false);
  assert.equal(inRollout('x', 250), true);
  for (const id of machines.slice(0, 300)) {
    let wasIn = false;
    for (let percent = 0; percent <= 100; percent += 5) {
      const now = inRollout(id, percent);
      assert.ok(now || !wasIn, `${id} left the rollout at ${percent}%`);
      wasIn = now;
    }
    assert.equal(inRollout(id, rolloutBucket(id)), false);
    assert.equal(inRollout(id, rolloutBucket(id) + 1), true);
  }
});
