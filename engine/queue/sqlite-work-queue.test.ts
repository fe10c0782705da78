import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { LeaseLostError, QueueItemNotFoundError, QueueStateError } from './errors.js';
import { SqliteWorkQueue } from './sqlite-work-queue.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-queue-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

const T0 = Date.UTC(2026, 0, 1);
const clock = { t: T0, now(): number { return this.t; } };
let wq: SqliteWorkQueue;
// random() = 1: the top of the jitter range, so delays are exactly base × 2^(attempts-1).
const open = (random = () => 1) => SqliteWorkQueue.open(path.join(dir, `q-${++n}`, 'runs.db'), { clock, backoff: { random } });
const boom = { kind: 'application', error: { name: 'TimeoutError', message: 'portal did not answer' } } as const;
const states = async (id: number) => (await wq.history(id)).map((h) => `${h.from ?? '∅'}→${h.to}`);

beforeEach(async () => {
  clock.t = T0;
  await wq?.close().catch(() => undefined);
  wq = open();
});
after(() => wq.close());

describe('SqliteWorkQueue: adding', () => {
  it('adds a new item with defaults and a history row', async () => {
    const item = await wq.add('invoices', { invoice: 'A-1', amount: 12.5 });
    assert.equal(item.duplicate, false);
    assert.equal(item.state, 'new');
    assert.equal(item.attempts, 0);
    assert.equal(item.maxRetries, 3);
    assert.equal(item.priority, 0);
    assert.deepEqual(item.payload, { invoice: 'A-1', amount: 12.5 });
    assert.deepEqual(await wq.history(item.id), [{ ts: T0, from: null, to: 'new', attempt: 0, worker: null, error: null }]);
  });

  it('never adds an idempotency key twice to a queue, in any state, done included', async () => {
    const first = await wq.add('q', { n: 1 }, { idempotencyKey: 'inv-1' });
    const again = await wq.add('q', { n: 2 }, { idempotencyKey: 'inv-1' });
    assert.equal(again.duplicate, true);
    assert.equal(again.id, first.id);
    assert.deepEqual(again.payload, { n: 1 }, 'the earlier item comes back unchanged');

    const leased = (await wq.lease('q', 'w1', 60_000))!;
    await wq.complete(leased.id, leased.leaseToken);
    const afterDone = await wq.add('q', { n: 3 }, { idempotencyKey: 'inv-1' });
    assert.equal(afterDone.duplicate, true);
    assert.equal(afterDone.state, 'done');
    assert.equal(await wq.lease('q', 'w1', 60_000), undefined, 'nothing to process twice');
    assert.equal((await wq.list({ queue: 'q' })).length, 1);
    assert.equal((await wq.history(first.id)).length, 3, 'a duplicate add changes nothing');

    const otherQueue = await wq.add('other', {}, { idempotencyKey: 'inv-1' });
    assert.equal(otherQueue.duplicate, false, 'keys are per queue');
    const batch = await wq.addMany('q', [{ payload: 1, idempotencyKey: 'b' }, { payload: 2, idempotencyKey: 'b' }, { payload: 3 }, { payload: 4 }]);
    assert.deepEqual(batch.map((i) => i.duplicate), [false, true, false, false], 'items without a key never collide');
  });

  it('refuses a payload that is not JSON and bad options, adding nothing', async () => {
    await assert.rejects(wq.add('q', undefined), TypeError);
    await assert.rejects(wq.add('q', {}, { maxRetries: -1 }), RangeError);
    await assert.rejects(wq.addMany('q', [{ payload: 1 }, { payload: () => 1 }]), TypeError);
    assert.deepEqual(await wq.list(), [], 'addMany is all or nothing');
  });
});

describe('SqliteWorkQueue: leasing and settling', () => {
  it('leases by priority, then first in first out, and returns undefined when nothing is due', async () => {
    const a = await wq.add('q', 'a');
    const b = await wq.add('q', 'b', { priority: 5 });
    const c = await wq.add('q', 'c');
    await wq.add('elsewhere', 'x');
    const order = [];
    for (let i = 0; i < 3; i++) {
      const item = (await wq.lease('q', 'w1', 30_000))!;
      assert.equal(item.state, 'in_progress');
      assert.equal(item.attempts, 1);
      assert.equal(item.leaseExpiresAt, T0 + 30_000);
      assert.equal(item.worker, 'w1');
      order.push(item.id);
    }
    assert.deepEqual(order, [b.id, a.id, c.id]);
    assert.equal(await wq.lease('q', 'w1', 30_000), undefined);
  });

  it('complete → done with the output; the token then no longer works', async () => {
    await wq.add('q', { id: 1 });
    const item = (await wq.lease('q', 'robot-1', 10_000))!;
    clock.t += 2_000;
    const done = await wq.complete(item.id, item.leaseToken, { receipt: 'R-9' });
    assert.equal(done.state, 'done');
    assert.deepEqual(done.output, { receipt: 'R-9' });
    assert.equal(done.leaseExpiresAt, null);
    assert.deepEqual(await states(item.id), ['∅→new', 'new→in_progress', 'in_progress→done']);
    assert.equal((await wq.history(item.id))[2]?.worker, 'robot-1');
    await assert.rejects(wq.complete(item.id, item.leaseToken), LeaseLostError);
    assert.deepEqual(await wq.stats('q'), { new: 0, in_progress: 0, done: 1, failed: 0, retrying: 0, dead: 0 });
  });

  it('a business exception sets the item aside as failed, with no retry; retry() brings it back', async () => {
    const { id } = await wq.add('q', {});
    const item = (await wq.lease('q', 'w', 10_000))!;
    const failed = await wq.fail(id, item.leaseToken, { kind: 'business', error: { name: 'BusinessError', message: 'policy number unknown' } });
    assert.equal(failed.state, 'failed');
    assert.deepEqual(failed.lastError, { kind: 'business', name: 'BusinessError', message: 'policy number unknown' });
    clock.t += 3_600_000;
    assert.equal(await wq.lease('q', 'w', 10_000), undefined, 'a failed item is never leased by itself');

    const retried = await wq.retry(id);
    assert.equal(retried.state, 'new');
    assert.equal(retried.attempts, 0);
    assert.equal(retried.lastError?.message, 'policy number unknown', 'the last error stays on record');
    assert.deepEqual(await states(id), ['∅→new', 'new→in_progress', 'in_progress→failed', 'failed→new']);
    assert.equal((await wq.lease('q', 'w', 10_000))?.attempts, 1);
  });

  it('an application exception retries with exponential backoff until attempts exceed maxRetries, then dead', async () => {
    const { id } = await wq.add('q', {});
    const delays = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const item = (await wq.lease('q', 'w', 10_000))!;
      assert.equal(item.id, id);
      assert.equal(item.attempts, attempt);
      clock.t += 100;
      const retrying = await wq.fail(id, item.leaseToken, boom);
      assert.equal(retrying.state, 'retrying');
      delays.push(retrying.nextAttemptAt - clock.t);
      clock.t = retrying.nextAttemptAt - 1;
      assert.equal(await wq.lease('q', 'w', 10_000), undefined, 'not due before nextAttemptAt');
      clock.t += 1;
    }
    assert.deepEqual(delays, [1000, 2000, 4000]);
    const last = (await wq.lease('q', 'w', 10_000))!;
    assert.equal(last.attempts, 4);
    const dead = await wq.fail(id, last.leaseToken, boom);
    assert.equal(dead.state, 'dead');
    assert.equal(dead.lastError?.name, 'TimeoutError');
    const cycle = ['retrying→in_progress', 'in_progress→retrying'];
    assert.deepEqual(await states(id), ['∅→new', 'new→in_progress', 'in_progress→retrying', ...cycle, ...cycle, 'retrying→in_progress', 'in_progress→dead']);
    assert.equal((await wq.history(id)).at(-1)?.error?.message, 'portal did not answer');
    clock.t += 3_600_000;
    assert.equal(await wq.lease('q', 'w', 10_000), undefined);
    assert.equal((await wq.retry(id)).state, 'new');
  });

  it('applies jitter (down to half the delay), a configurable base and the 5-minute cap', async () => {
    await wq.close();
    wq = SqliteWorkQueue.open(path.join(dir, `q-${++n}`, 'runs.db'), { clock, backoff: { random: () => 0, baseMs: 100_000 } });
    const { id } = await wq.add('q', {}, { maxRetries: 5 });
    const delays = [];
    for (let i = 0; i < 4; i++) {
      const item = (await wq.lease('q', 'w', 1_000))!;
      const r = await wq.fail(id, item.leaseToken, boom);
      delays.push(r.nextAttemptAt - clock.t);
      clock.t = r.nextAttemptAt;
    }
    assert.deepEqual(delays, [50_000, 100_000, 150_000, 150_000], 'half of 100 s, 200 s, then of the 300 s cap');
  });

  it('maxRetries 0: the first application exception is final', async () => {
    const { id } = await wq.add('q', {}, { maxRetries: 0 });
    const item = (await wq.lease('q', 'w', 1_000))!;
    assert.equal((await wq.fail(id, item.leaseToken, boom)).state, 'dead');
  });
});

describe('SqliteWorkQueue: leases', () => {
  it('a wrong or expired token is refused with a clear error and changes nothing', async () => {
    const { id } = await wq.add('q', {});
    const item = (await wq.lease('q', 'w1', 5_000))!;
    const before = { item: await wq.get(id), history: await wq.history(id) };
    await assert.rejects(wq.complete(id, 'not-the-token'), (e: Error) => e instanceof LeaseLostError && /taken over/.test(e.message) && /Nothing was changed/.test(e.message));
    clock.t += 5_000;
    await assert.rejects(wq.fail(id, item.leaseToken, boom), (e: Error) => e instanceof LeaseLostError && /expired at 2026-01-01T00:00:05.000Z/.test(e.message));
    assert.deepEqual({ item: await wq.get(id), history: await wq.history(id) }, before);
    await assert.rejects(wq.complete(999, 'x'), QueueItemNotFoundError);
  });

  it('an expired lease returns the item exactly once, counting the attempt; the old worker cannot complete', async () => {
    const { id } = await wq.add('q', {});
    const first = (await wq.lease('q', 'dies', 5_000))!;
    clock.t += 4_999;
    assert.equal(await wq.requeueExpired(), 0);
    clock.t += 1;
    assert.equal(await wq.requeueExpired(), 1);
    assert.equal(await wq.requeueExpired(), 0, 'requeued once');
    const item = (await wq.get(id))!;
    assert.equal(item.state, 'retrying');
    assert.equal(item.nextAttemptAt, T0 + 5_000 + 1_000, 'backoff counts from the moment the lease ran out');
    assert.equal(item.lastError?.name, 'LeaseExpiredError');
    assert.match(item.lastError?.message ?? '', /worker dies expired/);

    clock.t = item.nextAttemptAt;
    const second = (await wq.lease('q', 'lives', 5_000))!;
    assert.equal(second.attempts, 2);
    await assert.rejects(wq.complete(id, first.leaseToken), (e: Error) => e instanceof LeaseLostError && /worker lives, attempt 2/.test(e.message));
    await wq.complete(id, second.leaseToken);
    assert.deepEqual(await states(id), ['∅→new', 'new→in_progress', 'in_progress→retrying', 'retrying→in_progress', 'in_progress→done']);
    assert.deepEqual((await wq.history(id)).map((h) => h.worker), [null, 'dies', 'dies', 'lives', 'lives']);
  });

  it('lease() requeues expired leases itself; a robot dying on every attempt ends dead, not in a loop', async () => {
    const { id } = await wq.add('q', {}, { maxRetries: 1 });
    await wq.lease('q', 'w', 1_000);
    clock.t += 1_000;
    assert.equal(await wq.lease('q', 'w', 1_000), undefined, 'requeued, but backing off');
    assert.equal((await wq.get(id))?.state, 'retrying');
    clock.t += 1_000;
    assert.equal((await wq.lease('q', 'w', 1_000))?.attempts, 2);
    clock.t += 1_000;
    assert.equal(await wq.lease('q', 'w', 1_000), undefined);
    assert.equal((await wq.get(id))?.state, 'dead');
  });
});

describe('SqliteWorkQueue: batches', () => {
  it('leaseMany takes up to max due items in lease order, each with its own token and history row, like lease()', async () => {
    for (const [n, priority] of [[1, 0], [2, 5], [3, 0], [4, 0]] as const) await wq.add('q', { n }, { priority });
    await wq.add('other', { n: 99 });
    const batch = await wq.leaseMany('q', 'w1', 5_000, 3);
    assert.deepEqual(batch.map((i) => (i.payload as { n: number }).n), [2, 1, 3], 'priority, then first in first out');
    assert.equal(new Set(batch.map((i) => i.leaseToken)).size, 3, 'a token each');
    for (const item of batch) {
      assert.deepEqual([item.state, item.attempts, item.worker, item.leaseExpiresAt], ['in_progress', 1, 'w1', T0 + 5_000]);
      assert.deepEqual({ ...(await wq.get(item.id)), leaseToken: item.leaseToken }, item, 'the stored item is the one handed out');
      assert.deepEqual(await states(item.id), ['∅→new', 'new→in_progress']);
    }
    assert.deepEqual((await wq.leaseMany('q', 'w2', 5_000, 10)).map((i) => (i.payload as { n: number }).n), [4], 'never an item already leased');
    assert.deepEqual(await wq.leaseMany('q', 'w2', 5_000, 10), [], 'empty when nothing is due');
    await assert.rejects(wq.leaseMany('q', 'w', 5_000, 0), RangeError);
    await assert.rejects(wq.leaseMany('q', 'w', 5_000, 1.5), RangeError);
    await assert.rejects(wq.leaseMany('q', '', 5_000, 2), RangeError);
    await assert.rejects(wq.leaseMany('q', 'w', -1, 2), RangeError);
    assert.deepEqual(await wq.stats('other'), { new: 1, in_progress: 0, done: 0, failed: 0, retrying: 0, dead: 0 });
  });

  it('leaseMany requeues expired leases first, counts their attempts and skips items not yet due', async () => {
    const a = await wq.add('q', { n: 'a' }, { maxRetries: 0 });
    const b = await wq.add('q', { n: 'b' });
    await wq.leaseMany('q', 'dies', 1_000, 10);
    clock.t += 1_000;
    const c = await wq.add('q', { n: 'c' });
    const again = await wq.leaseMany('q', 'w', 1_000, 10);
    assert.deepEqual(again.map((i) => i.id), [c.id], 'b backs off, c is due');
    assert.equal((await wq.get(a.id))?.state, 'dead', 'a had no retries left');
    assert.equal((await wq.get(b.id))?.state, 'retrying');
    assert.equal((await wq.get(b.id))?.lastError?.name, 'LeaseExpiredError');
  });

  it('completeMany settles every held entry in one call; a lost lease or unknown item changes nothing and comes back as its error', async () => {
    for (let n = 1; n <= 4; n++) await wq.add('q', { n });
    const [one, two, three] = await wq.leaseMany('q', 'w1', 5_000, 3);
    const late = (await wq.leaseMany('q', 'w1', 1_000, 1))[0]!;
    clock.t += 1_000;
    const beforeLate = { item: await wq.get(late.id), history: await wq.history(late.id) };
    const beforeTwo = { item: await wq.get(two!.id), history: await wq.history(two!.id) };
    const settled = await wq.completeMany([
      { id: one!.id, leaseToken: one!.leaseToken, output: { ok: 1 } },
      { id: two!.id, leaseToken: 'not-the-token', output: { ok: 2 } },
      { id: 999, leaseToken: 'x' },
      { id: late.id, leaseToken: late.leaseToken },
      { id: three!.id, leaseToken: three!.leaseToken },
    ]);
    assert.deepEqual(settled.map((s) => [s.id, s.ok]), [[one!.id, true], [two!.id, false], [999, false], [late.id, false], [three!.id, true]]);
    const errors = settled.flatMap((s) => (s.ok ? [] : [s.error]));
    assert.ok(errors[0] instanceof LeaseLostError && /taken over/.test(errors[0].message));
    assert.ok(errors[1] instanceof QueueItemNotFoundError);
    assert.ok(errors[2] instanceof LeaseLostError && /expired at 2026-01-01T00:00:01.000Z/.test(errors[2].message));
    assert.deepEqual({ item: await wq.get(two!.id), history: await wq.history(two!.id) }, beforeTwo);
    assert.deepEqual({ item: await wq.get(late.id), history: await wq.history(late.id) }, beforeLate);

    const done = (await wq.get(one!.id))!;
    assert.deepEqual([done.state, done.output, done.leaseExpiresAt], ['done', { ok: 1 }, null]);
    const first = settled[0]!;
    assert.ok(first.ok);
    assert.deepEqual(first.item, done);
    assert.deepEqual(await states(one!.id), ['∅→new', 'new→in_progress', 'in_progress→done']);
    assert.deepEqual((await wq.history(three!.id)).map((h) => h.worker), [null, 'w1', 'w1']);
    // The tokens are spent now, as after complete().
    await assert.rejects(wq.complete(one!.id, one!.leaseToken), LeaseLostError);
    const spent = await wq.completeMany([{ id: three!.id, leaseToken: three!.leaseToken }]);
    assert.equal(spent[0]?.ok, false);
    assert.deepEqual(await wq.completeMany([]), []);
  });

  it('completeMany with the same item twice settles it once; the second entry finds the token spent', async () => {
    await wq.add('q', {});
    const [item] = await wq.leaseMany('q', 'w', 5_000, 5);
    const settled = await wq.completeMany([
      { id: item!.id, leaseToken: item!.leaseToken, output: 'first' },
      { id: item!.id, leaseToken: item!.leaseToken, output: 'second' },
    ]);
    assert.deepEqual(settled.map((s) => s.ok), [true, false]);
    assert.ok(!settled[1]!.ok && settled[1]!.error instanceof LeaseLostError && /now done/.test(settled[1]!.error.message));
    assert.equal((await wq.get(item!.id))?.output, 'first');
    assert.deepEqual(await states(item!.id), ['∅→new', 'new→in_progress', 'in_progress→done']);
  });

  it('completeMany with an output that is not JSON rejects the whole call and completes nothing', async () => {
    for (let n = 1; n <= 2; n++) await wq.add('q', { n });
    const [a, b] = await wq.leaseMany('q', 'w', 5_000, 2);
    await assert.rejects(
      wq.completeMany([
        { id: a!.id, leaseToken: a!.leaseToken, output: { fine: true } },
        { id: b!.id, leaseToken: b!.leaseToken, output: () => 1 },
      ]),
      (e: Error) => e instanceof TypeError && new RegExp(`output of item ${b!.id} must be JSON`).test(e.message),
    );
    assert.deepEqual(await wq.stats('q'), { new: 0, in_progress: 2, done: 0, failed: 0, retrying: 0, dead: 0 });
    assert.equal((await wq.completeMany([{ id: a!.id, leaseToken: a!.leaseToken }, { id: b!.id, leaseToken: b!.leaseToken }])).every((s) => s.ok), true, 'the leases still hold');
  });

  it('completeAndLease settles the worked batch and leases the next in one transaction: the same rows and history as completeMany then leaseMany', async () => {
    for (let n = 1; n <= 5; n++) await wq.add('q', { n });
    const first = await wq.completeAndLease([], 'q', 'w', 5_000, 2);
    assert.deepEqual(first.settled, []);
    assert.deepEqual(first.leased.map((i) => i.payload), [{ n: 1 }, { n: 2 }]);
    clock.t += 1000;
    const second = await wq.completeAndLease([{ id: first.leased[0]!.id, leaseToken: first.leased[0]!.leaseToken, output: { ok: 1 } }, { id: first.leased[1]!.id, leaseToken: 'not-the-token' }], 'q', 'w', 5_000, 2);
    assert.deepEqual(second.settled.map((s) => s.ok), [true, false]);
    assert.ok(!second.settled[1]!.ok && second.settled[1]!.error instanceof LeaseLostError);
    assert.deepEqual(second.leased.map((i) => i.payload), [{ n: 3 }, { n: 4 }]);
    assert.deepEqual(await states(first.leased[0]!.id), ['∅→new', 'new→in_progress', 'in_progress→done']);
    assert.deepEqual(await wq.stats('q'), { new: 1, in_progress: 3, done: 1, failed: 0, retrying: 0, dead: 0 });
    // An output that is not JSON rejects the whole call: nothing completed, nothing leased.
    await assert.rejects(wq.completeAndLease([{ id: second.leased[0]!.id, leaseToken: second.leased[0]!.leaseToken, output: () => 1 }], 'q', 'w', 5_000, 2), TypeError);
    assert.deepEqual(await wq.stats('q'), { new: 1, in_progress: 3, done: 1, failed: 0, retrying: 0, dead: 0 });
  });
});

describe('SqliteWorkQueue: release', () => {
  it('hands a leased item back untried, any number of times, without consuming an attempt', async () => {
    const { id } = await wq.add('q', { n: 1 }, { maxRetries: 1 });
    for (let i = 0; i < 10; i++) {
      const item = (await wq.lease('q', 'w', 5_000))!;
      assert.equal(item.attempts, 1, 'the released leases were not counted');
      const back = await wq.release(id, item.leaseToken, { name: 'PolicyInvalidError', message: 'policy invalid' });
      assert.equal(back.state, 'new');
      assert.equal(back.attempts, 0);
      assert.equal(back.nextAttemptAt, clock.t, 'due again at once');
      assert.equal(back.lastError, null);
    }
    // A real failure after a release still counts, and a release after it goes back to retrying.
    const leased = (await wq.lease('q', 'w', 5_000))!;
    await wq.fail(id, leased.leaseToken, boom);
    clock.t = (await wq.get(id))!.nextAttemptAt;
    const second = (await wq.lease('q', 'w', 5_000))!;
    assert.equal(second.attempts, 2);
    const back = await wq.release(id, second.leaseToken, { name: 'PolicyInvalidError', message: 'policy invalid' });
    assert.deepEqual([back.state, back.attempts, back.lastError?.name], ['retrying', 1, 'TimeoutError']);
    const history = await wq.history(id);
    assert.equal(history.at(-1)?.error?.name, 'PolicyInvalidError');
    assert.match(history.at(-1)?.error?.message ?? '', /^released untried: policy invalid/);
    // The token is spent: it can neither release nor complete again.
    await assert.rejects(wq.release(id, second.leaseToken, { name: 'x', message: 'y' }), LeaseLostError);
    await assert.rejects(wq.complete(id, second.leaseToken), LeaseLostError);
  });
});

describe('SqliteWorkQueue: reading', () => {
  it('lists by queue and state, counts per state, and reports unknown items', async () => {
    for (const q of ['a', 'a', 'b']) await wq.add(q, { q });
    const leased = (await wq.lease('a', 'w', 1_000))!;
    assert.deepEqual((await wq.list()).map((i) => i.queue), ['a', 'a', 'b']);
    assert.deepEqual((await wq.list({ queue: 'a', state: 'new' })).length, 1);
    assert.deepEqual((await wq.list({ state: 'in_progress' })).map((i) => i.id), [leased.id]);
    assert.deepEqual((await wq.list({ limit: 1 })).length, 1);
    assert.deepEqual(await wq.stats('a'), { new: 1, in_progress: 1, done: 0, failed: 0, retrying: 0, dead: 0 });
    assert.equal(await wq.get(12345), undefined);
    await assert.rejects(wq.retry(12345), QueueItemNotFoundError);
    await assert.rejects(wq.retry(leased.id), (e: Error) => e instanceof QueueStateError && /in_progress: only failed or dead/.test(e.message));
  });
});
