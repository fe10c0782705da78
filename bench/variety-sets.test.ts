// bench/extraction's choice of variety sets: a set split.ts adds after the test set is written for a
// later round, so no run reads it — not the default run, not --validation, not --only, not --learning
// — until it becomes the test set; the test set is never in --only (its failures are not read).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORPUS_SETS } from '../assets/documents/split.js';
import { learningSets, notYetSets, varietyRunSets } from './variety-sets.js';

test('a set added after the test set is not run and is refused by name until it is the test set', { timeout: 10_000 }, () => {
  // held-out-16 as the test set, held-out-17 to held-out-21 written for the rounds after.
  assert.deepEqual(notYetSets('held-out-16'), ['held-out-17', 'held-out-18', 'held-out-19', 'held-out-20', 'held-out-21']);
  assert.ok(!varietyRunSets([], 'held-out-16').includes('held-out-17'), 'the default run leaves it out');
  assert.ok(varietyRunSets([], 'held-out-16').includes('held-out-16'), 'the default run measures the test set');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-16').includes('held-out-17'), '--validation leaves it out');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-16').includes('held-out-16'), '--validation leaves the test set out');
  assert.throws(() => varietyRunSets(['--only', 'held-out-17'], 'held-out-16'), /not held-out-17 \(held-out-17 waits for a later round\)/);
  assert.throws(() => varietyRunSets(['--only', 'design,held-out-17'], 'held-out-16'), /waits for a later round/);
  assert.throws(() => learningSets('held-out-17', 'held-out-16'), /waits for a later round/);
  // Once it is the test set it is measured (headline only), still never in --only.
  assert.deepEqual(notYetSets('held-out-17'), CORPUS_SETS.slice(CORPUS_SETS.indexOf('held-out-17') + 1));
  assert.ok(varietyRunSets([], 'held-out-17').includes('held-out-17'));
  assert.throws(() => varietyRunSets(['--only', 'held-out-17'], 'held-out-17'), /takes design and validation sets/);
});

test('with held-out-17 as the test set, held-out-18 waits for the round after it', { timeout: 10_000 }, () => {
  assert.deepEqual(notYetSets('held-out-17'), ['held-out-18', 'held-out-19', 'held-out-20', 'held-out-21']);
  assert.ok(!varietyRunSets([], 'held-out-17').includes('held-out-18'), 'the default run leaves it out');
  assert.ok(!varietyRunSets([], 'held-out-17').includes('held-out-19'), 'nor the set after it');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-17').includes('held-out-18'), '--validation leaves it out');
  assert.ok(varietyRunSets(['--validation'], 'held-out-17').includes('held-out-16'), 'held-out-16 is a validation set by then');
  assert.throws(() => varietyRunSets(['--only', 'held-out-18'], 'held-out-17'), /not held-out-18 \(held-out-18 waits for a later round\)/);
  assert.throws(() => varietyRunSets(['--only', 'held-out-16,held-out-17,held-out-18'], 'held-out-17'), /not held-out-17, held-out-18 \(held-out-18 waits for a later round\)/);
  assert.throws(() => learningSets('held-out-18', 'held-out-17'), /waits for a later round/);
  assert.ok(varietyRunSets([], 'held-out-18').includes('held-out-18'), 'measured once it is the test set');
});

test('the test set stays out of --only; design and validation sets, --design-only and --learning --sets work as before', { timeout: 10_000 }, () => {
  assert.throws(() => varietyRunSets(['--only', 'held-out-16'], 'held-out-16'), /takes design and validation sets .*, not held-out-16$/);
  assert.throws(() => varietyRunSets(['--only', 'nope'], 'held-out-16'), /not nope$/);
  assert.deepEqual(varietyRunSets(['--only', 'design,held-out-15'], 'held-out-16'), ['design', 'held-out-15']);
  assert.deepEqual(varietyRunSets(['--design-only'], 'held-out-16'), ['design']);
  assert.deepEqual(learningSets(undefined, 'held-out-16'), ['held-out', 'held-out-2', 'held-out-3']);
  assert.deepEqual(learningSets('held-out-16', 'held-out-16'), ['held-out-16']);
});

test('with held-out-18 as the test set, held-out-19 waits for the round after it', { timeout: 10_000 }, () => {
  assert.deepEqual(notYetSets('held-out-18'), ['held-out-19', 'held-out-20', 'held-out-21']);
  assert.ok(!varietyRunSets([], 'held-out-18').includes('held-out-19'), 'the default run leaves it out');
  assert.ok(varietyRunSets([], 'held-out-18').includes('held-out-18'), 'the default run measures the test set');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-18').includes('held-out-19'), '--validation leaves it out');
  assert.ok(varietyRunSets(['--validation'], 'held-out-18').includes('held-out-17'), 'held-out-17 is a validation set by then');
  assert.throws(() => varietyRunSets(['--only', 'held-out-19'], 'held-out-18'), /not held-out-19 \(held-out-19 waits for a later round\)/);
  assert.throws(() => varietyRunSets(['--only', 'held-out-17,held-out-18,held-out-19'], 'held-out-18'), /not held-out-18, held-out-19 \(held-out-19 waits for a later round\)/);
  assert.throws(() => learningSets('held-out-19', 'held-out-18'), /waits for a later round/);
  assert.ok(varietyRunSets([], 'held-out-19').includes('held-out-19'), 'measured once it is the test set');
  assert.throws(() => varietyRunSets(['--only', 'held-out-19'], 'held-out-19'), /takes design and validation sets/);
});

test('with held-out-19 as the test set, held-out-20 waits for the round after it', { timeout: 10_000 }, () => {
  assert.deepEqual(notYetSets('held-out-19'), ['held-out-20', 'held-out-21']);
  assert.ok(!varietyRunSets([], 'held-out-19').includes('held-out-20'), 'the default run leaves it out');
  assert.ok(varietyRunSets([], 'held-out-19').includes('held-out-19'), 'the default run measures the test set');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-19').includes('held-out-20'), '--validation leaves it out');
  assert.ok(varietyRunSets(['--validation'], 'held-out-19').includes('held-out-18'), 'held-out-18 is a validation set by then');
  assert.throws(() => varietyRunSets(['--only', 'held-out-20'], 'held-out-19'), /not held-out-20 \(held-out-20 waits for a later round\)/);
  assert.throws(() => varietyRunSets(['--only', 'held-out-18,held-out-19,held-out-20'], 'held-out-19'), /not held-out-19, held-out-20 \(held-out-20 waits for a later round\)/);
  assert.throws(() => learningSets('held-out-20', 'held-out-19'), /waits for a later round/);
  assert.ok(varietyRunSets([], 'held-out-20').includes('held-out-20'), 'measured once it is the test set');
  assert.throws(() => varietyRunSets(['--only', 'held-out-20'], 'held-out-20'), /takes design and validation sets/);
});

test('with held-out-20 as the test set, held-out-21 waits for the round after it', { timeout: 10_000 }, () => {
  assert.deepEqual(notYetSets('held-out-20'), ['held-out-21']);
  assert.ok(!varietyRunSets([], 'held-out-20').includes('held-out-21'), 'the default run leaves it out');
  assert.ok(varietyRunSets([], 'held-out-20').includes('held-out-20'), 'the default run measures the test set');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-20').includes('held-out-21'), '--validation leaves it out');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-20').includes('held-out-20'), '--validation leaves the test set out');
  assert.ok(varietyRunSets(['--validation'], 'held-out-20').includes('held-out-19'), 'held-out-19 is a validation set by then');
  assert.throws(() => varietyRunSets(['--only', 'held-out-21'], 'held-out-20'), /not held-out-21 \(held-out-21 waits for a later round\)/);
  assert.throws(() => varietyRunSets(['--only', 'held-out-19,held-out-20,held-out-21'], 'held-out-20'), /not held-out-20, held-out-21 \(held-out-21 waits for a later round\)/);
  assert.throws(() => learningSets('held-out-21', 'held-out-20'), /waits for a later round/);
  assert.ok(varietyRunSets([], 'held-out-21').includes('held-out-21'), 'measured once it is the test set');
  assert.throws(() => varietyRunSets(['--only', 'held-out-21'], 'held-out-21'), /takes design and validation sets/);
});

test('with held-out-21 as the test set, every set runs and held-out-20 is a validation set', { timeout: 10_000 }, () => {
  assert.deepEqual(notYetSets('held-out-21'), []);
  assert.ok(varietyRunSets([], 'held-out-21').includes('held-out-21'), 'the default run measures the test set');
  assert.ok(!varietyRunSets(['--validation'], 'held-out-21').includes('held-out-21'), '--validation leaves the test set out');
  assert.ok(varietyRunSets(['--validation'], 'held-out-21').includes('held-out-20'), 'held-out-20 is a validation set by then');
  assert.deepEqual(varietyRunSets(['--only', 'held-out-20'], 'held-out-21'), ['held-out-20']);
  assert.throws(() => varietyRunSets(['--only', 'held-out-21'], 'held-out-21'), /takes design and validation sets/);
});
