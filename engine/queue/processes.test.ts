// The queue across real processes: a robot SIGKILLed while holding a lease, and two
// robots leasing from the same file at once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { SqliteWorkQueue } from './sqlite-work-queue.js';
import type { LeasedItem } from './types.js';

const MODULE = new URL('./sqlite-work-queue.js', import.meta.url).href;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-queue-proc-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A child Node process running `body` (ESM) with SqliteWorkQueue imported and `wq` open on `file`. */
function child(file: string, worker: string, body: string): ChildProcessWithoutNullStreams {
  const script = `import { SqliteWorkQueue } from ${JSON.stringify(MODULE)};
const wq = SqliteWorkQueue.open(process.env.QUEUE_FILE);
const worker = process.env.QUEUE_WORKER;
${body}`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, QUEUE_FILE: file, QUEUE_WORKER: worker } });
}

function lines(proc: ChildProcessWithoutNullStreams): AsyncIterableIterator<string> {
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  proc.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') console.error(`child exited ${code ?? signal}: ${stderr}`);
  });
  return createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
}

async function nextLine(it: AsyncIterableIterator<string>): Promise<string> {
  const next: IteratorResult<string, unknown> = await it.next();
  assert.ok(!next.done, 'child ended without printing');
  return next.value;
}

describe('work queue across processes', () => {
  it('an item whose robot was SIGKILLed returns after the lease time, with attempts 2, and completes once', async () => {
    const file = path.join(dir, 'kill', 'runs.db');
    const wq = SqliteWorkQueue.open(file, { backoff: { baseMs: 100 } });
    try {
      const { id } = await wq.add('claims', { claim: 7 });
      const doomed = child(file, 'doomed', `const item = await wq.lease('claims', worker, 600);
console.log(JSON.stringify({ id: item.id, attempts: item.attempts }));
setInterval(() => {}, 1000);`);
      const out = lines(doomed);
      const leased = JSON.parse(await nextLine(out)) as { id: number; attempts: number };
      const leasedAt = Date.now();
      assert.deepEqual(leased, { id, attempts: 1 });
      doomed.kill('SIGKILL');
      await new Promise((resolve) => doomed.once('close', resolve));
      assert.equal(doomed.signalCode, 'SIGKILL');

      assert.equal((await wq.get(id))?.state, 'in_progress', 'the dead robot still holds the lease');
      assert.equal(await wq.lease('claims', 'survivor', 5_000), undefined, 'not before the lease runs out');
      let again;
      while (!again && Date.now() - leasedAt < 10_000) {
        await sleep(25);
        again = await wq.lease('claims', 'survivor', 5_000);
      }
      assert.ok(again, 'the item came back');
      assert.ok(Date.now() - leasedAt >= 600, 'only after the lease time');
      assert.equal(again.id, id);
      assert.equal(again.attempts, 2);
      await wq.complete(id, again.leaseToken, { ok: true });
      assert.equal(await wq.lease('claims', 'survivor', 5_000), undefined);

      const history = await wq.history(id);
      assert.deepEqual(history.map((h) => `${h.to}:${h.worker ?? ''}`), ['new:', 'in_progress:doomed', 'retrying:doomed', 'in_progress:survivor', 'done:survivor']);
      assert.equal(history[2]?.error?.name, 'LeaseExpiredError');
      assert.equal(history.filter((h) => h.to === 'done').length, 1);
    } finally {
      await wq.close();
    }
  });

  it('a robot SIGKILLed holding a batch of leases: every item of the batch returns once, with attempts 2', async () => {
    const file = path.join(dir, 'kill-batch', 'runs.db');
    const wq = SqliteWorkQueue.open(file, { backoff: { baseMs: 100 } });
    try {
      const added = await wq.addMany('claims', Array.from({ length: 8 }, (_, i) => ({ payload: { i } })));
      const doomed = child(file, 'doomed', `const batch = await wq.leaseMany('claims', worker, 600, 5);
console.log(JSON.stringify(batch.map((i) => i.id)));
setInterval(() => {}, 1000);`);
      const held = JSON.parse(await nextLine(lines(doomed))) as number[];
      const leasedAt = Date.now();
      assert.deepEqual(held, added.slice(0, 5).map((i) => i.id));
      doomed.kill('SIGKILL');
      await new Promise((resolve) => doomed.once('close', resolve));

      const rest = await wq.leaseMany('claims', 'survivor', 5_000, 10);
      assert.deepEqual(rest.map((i) => i.id), added.slice(5).map((i) => i.id), 'only the three not held');
      const back: LeasedItem[] = [];
      const started = Date.now();
      while (back.length < 5 && Date.now() - started < 10_000) {
        await sleep(25);
        back.push(...(await wq.leaseMany('claims', 'survivor', 5_000, 10)));
      }
      assert.ok(Date.now() - leasedAt >= 600, 'only after the lease time');
      assert.deepEqual(back.map((i) => i.id).sort((x, y) => x - y), held);
      assert.ok(back.every((i) => i.attempts === 2));
      const settled = await wq.completeMany([...rest, ...back].map((i) => ({ id: i.id, leaseToken: i.leaseToken })));
      assert.ok(settled.every((r) => r.ok));
      for (const id of held) {
        assert.deepEqual((await wq.history(id)).map((h) => `${h.to}:${h.worker ?? ''}`), ['new:', 'in_progress:doomed', 'retrying:doomed', 'in_progress:survivor', 'done:survivor']);
      }
      assert.deepEqual(await wq.stats('claims'), { new: 0, in_progress: 0, done: 8, failed: 0, retrying: 0, dead: 0 });
    } finally {
      await wq.close();
    }
  });

  for (const batched of [false, true]) it(`two processes leasing 500 items at once never get the same item${batched ? ' (leaseMany / completeMany, batches of 7)' : ''}`, async (t) => {
    const file = path.join(dir, batched ? 'race-batched' : 'race', 'runs.db');
    const wq = SqliteWorkQueue.open(file);
    try {
      await wq.addMany('race', Array.from({ length: 500 }, (_, i) => ({ payload: { i } })));
      const body = `process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const ids = [];
${batched ? `for (;;) {
  const batch = await wq.leaseMany('race', worker, 60_000, 7);
  if (batch.length === 0) break;
  ids.push(...batch.map((i) => i.id));
  await new Promise((resolve) => setTimeout(resolve, 0));
  const settled = await wq.completeMany(batch.map((i) => ({ id: i.id, leaseToken: i.leaseToken, output: { by: worker } })));
  if (!settled.every((s) => s.ok)) throw new Error('a held lease was refused');
}` : `for (;;) {
  const item = await wq.lease('race', worker, 60_000);
  if (!item) break;
  ids.push(item.id);
  // A little "work", so the two robots interleave instead of one draining the queue.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await wq.complete(item.id, item.leaseToken, { by: worker });
}`}
console.log(JSON.stringify(ids));
await wq.close();`;
      const robots = ['robot-a', 'robot-b'].map((name) => ({ name, proc: child(file, name, body) }));
      const outs = robots.map((r) => lines(r.proc));
      for (const out of outs) assert.equal(await nextLine(out), 'ready');
      for (const r of robots) r.proc.stdin.write('go\n');
      const got = await Promise.all(outs.map(async (out) => JSON.parse(await nextLine(out)) as number[]));
      await Promise.all(robots.map((r) => new Promise((resolve) => (r.proc.exitCode === null ? r.proc.once('close', resolve) : resolve(null)))));

      const [a, b] = got as [number[], number[]];
      const inBoth = a.filter((id) => new Set(b).has(id));
      assert.deepEqual(inBoth, [], 'no item leased by both');
      assert.equal(new Set([...a, ...b]).size, 500);
      assert.equal(a.length + b.length, 500);
      t.diagnostic(`robot-a leased ${a.length}, robot-b ${b.length}`);
      assert.ok(a.length > 0 && b.length > 0, `both robots worked (${a.length} / ${b.length})`);

      const done = await wq.list({ queue: 'race', limit: 1000 });
      assert.ok(done.every((i) => i.state === 'done' && i.attempts === 1));
      const owner = new Map([...a.map((id) => [id, 'robot-a'] as const), ...b.map((id) => [id, 'robot-b'] as const)]);
      assert.ok(done.every((i) => (i.output as { by: string }).by === owner.get(i.id)));
      assert.deepEqual(await wq.stats('race'), { new: 0, in_progress: 0, done: 500, failed: 0, retrying: 0, dead: 0 });
    } finally {
      await wq.close();
    }
  });
});
