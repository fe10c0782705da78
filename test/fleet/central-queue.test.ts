// Central work queues end to end: real server processes on real PostgreSQL (a fresh schema per
// file), robots using RemoteWorkQueue — the same WorkQueue interface as the local SQLite queue.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { LeaseLostError, QueueServerError, RemoteWorkQueue, type LeasedItem, type LeasedWork } from '../../engine/queue/index.js';
import { api, createQueue, enrollDevice, grant, startFleetServers } from '../helpers/fleet-servers.js';

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('central work queues (two server processes on one PostgreSQL)', { timeout: 300_000 }, () => {
  let fleet: Awaited<ReturnType<typeof startFleetServers>>;
  let a: string;
  let b: string;
  let robot1: { deviceId: string; token: string };
  let robot2: { deviceId: string; token: string };
  let stranger: { deviceId: string; token: string };

  before(async () => {
    fleet = await startFleetServers(2);
    [a, b] = fleet.urls as [string, string];
    robot1 = await enrollDevice(a, fleet.admin, 'robot 1');
    robot2 = await enrollDevice(b, fleet.admin, 'robot 2');
    stranger = await enrollDevice(a, fleet.admin, 'not granted');
  });
  after(async () => fleet?.close());

  const queueFor = async (name: string, options: Record<string, unknown> = {}): Promise<void> => {
    await createQueue(a, fleet.admin, name, options);
    await grant(a, fleet.admin, name, robot1.deviceId);
    await grant(b, fleet.admin, name, robot2.deviceId);
  };

  it('adds with an idempotency key once: the duplicate add returns the existing item, through either server', async () => {
    await queueFor('invoices');
    const viaA = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    const viaB = new RemoteWorkQueue({ serverUrl: b, token: robot2.token });
    const first = await viaA.add('invoices', { document: 'share://invoices/A-1.pdf' }, { idempotencyKey: 'A-1', priority: 2 });
    assert.equal(first.duplicate, false);
    const again = await viaB.add('invoices', { document: 'something else' }, { idempotencyKey: 'A-1' });
    assert.equal(again.duplicate, true);
    assert.equal(again.id, first.id);
    assert.deepEqual(again.payload, { document: 'share://invoices/A-1.pdf' });
    // The same key twice in one call, and racing adds of one key, still make one item.
    const batch = await viaA.addMany('invoices', [{ payload: { n: 1 }, idempotencyKey: 'B-1' }, { payload: { n: 2 } }, { payload: { n: 3 }, idempotencyKey: 'B-1' }]);
    assert.deepEqual(batch.map((i) => i.duplicate), [false, false, true]);
    assert.equal(batch[2]!.id, batch[0]!.id);
    const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? viaA : viaB).add('invoices', { n: i }, { idempotencyKey: 'C-1' })));
    assert.equal(new Set(raced.map((i) => i.id)).size, 1);
    assert.equal(raced.filter((i) => !i.duplicate).length, 1);
    // Done items keep their key: adding it again still does not make a second item.
    const leased = (await viaA.leaseMany('invoices', 'w1', 60_000, 10)).find((i) => i.id === first.id)!;
    assert.equal(leased.priority, 2, 'the highest priority comes first');
    await viaA.complete(leased.id, leased.leaseToken, { posted: true });
    const afterDone = await viaB.add('invoices', {}, { idempotencyKey: 'A-1' });
    assert.equal(afterDone.duplicate, true);
    assert.equal(afterDone.state, 'done');
  });

  it('refuses an unknown token (401), a device not granted the queue or a revoked one (403), an auditor leasing (403), and a payload that is a document (413)', async () => {
    await queueFor('claims', { maxPayloadBytes: 1024 });
    assert.equal((await api(a, 'POST', '/v1/queues/claims/lease', undefined, { worker: 'w', leaseMs: 1000 })).status, 401);
    assert.equal((await api(a, 'POST', '/v1/queues/claims/lease', 'dev_forged', { worker: 'w', leaseMs: 1000 })).status, 401);
    const notGranted = new RemoteWorkQueue({ serverUrl: b, token: stranger.token });
    await assert.rejects(notGranted.lease('claims', 'w', 1000), (error: unknown) => error instanceof QueueServerError && error.status === 403 && /not granted queue claims/.test(error.message));
    await assert.rejects(notGranted.add('claims', {}), (error: unknown) => error instanceof QueueServerError && error.status === 403);
    const auditor = String((await api(a, 'POST', '/v1/tokens', fleet.admin, { role: 'auditor' })).body['token']);
    assert.equal((await api(b, 'POST', '/v1/queues/claims/lease', auditor, { worker: 'w', leaseMs: 1000 })).status, 403);
    assert.equal((await api(b, 'POST', '/v1/queues', auditor, { name: 'mine' })).status, 403);
    assert.equal((await api(b, 'POST', '/v1/queues', robot1.token, { name: 'mine' })).status, 403);
    assert.equal((await api(b, 'GET', '/v1/queues/claims', auditor)).status, 200, 'auditors read');
    const robot = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    await assert.rejects(robot.add('claims', { pdf: 'x'.repeat(5000) }), (error: unknown) => error instanceof QueueServerError && error.status === 413 && /references to documents/.test(error.message));
    assert.equal((await robot.stats('claims')).new, 0, 'nothing of a refused add is stored');
    // A stranger cannot read an item of a queue it is not granted, nor settle it.
    const item = await robot.add('claims', { ref: 'c-1' });
    assert.equal(await notGranted.get(item.id), undefined);
    const leased = (await robot.lease('claims', 'w', 60_000))!;
    await assert.rejects(notGranted.complete(leased.id, leased.leaseToken), LeaseLostError);
    // Revoked: 403 with who and when.
    const doomed = await enrollDevice(a, fleet.admin, 'to revoke');
    await grant(a, fleet.admin, 'claims', doomed.deviceId);
    assert.equal((await api(a, 'POST', `/v1/devices/${doomed.deviceId}/revoke`, fleet.admin, { reason: 'stolen' })).status, 200);
    const revoked = await api(b, 'POST', '/v1/queues/claims/lease', doomed.token, { worker: 'w', leaseMs: 1000 });
    assert.equal(revoked.status, 403);
    assert.equal(revoked.body['error'], 'device_revoked');
  });

  it('hands each item to one robot at a time when robots lease through both servers at once', async () => {
    await queueFor('race', { backoffBaseMs: 0 });
    const admin = new RemoteWorkQueue({ serverUrl: a, token: fleet.admin });
    const total = 400;
    for (let i = 0; i < total; i += 200) await admin.addMany('race', Array.from({ length: 200 }, (_, j) => ({ payload: { n: i + j } })));
    const robots = [
      new RemoteWorkQueue({ serverUrl: a, token: robot1.token }),
      new RemoteWorkQueue({ serverUrl: b, token: robot1.token }),
      new RemoteWorkQueue({ serverUrl: a, token: robot2.token }),
      new RemoteWorkQueue({ serverUrl: b, token: robot2.token }),
    ];
    const seen = new Map<number, number>();
    await Promise.all(
      robots.map(async (robot, r) => {
        for (;;) {
          const items = await robot.leaseMany('race', `w${r}`, 60_000, 1 + (r % 3) * 4);
          if (items.length === 0) return;
          for (const item of items) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
          const settled = await robot.completeMany(items.map((item) => ({ id: item.id, leaseToken: item.leaseToken, output: { by: r } })));
          assert.ok(settled.every((s) => s.ok));
        }
      }),
    );
    assert.equal(seen.size, total);
    assert.deepEqual([...new Set(seen.values())], [1], 'no item leased twice');
    assert.equal((await admin.stats('race')).done, total);
  });

  it('completeAndLease: one call settles the worked batch and leases the next; a lost lease is named and the rest count; a token refused for the queue completes nothing', async () => {
    await queueFor('batches', { backoffBaseMs: 0 });
    const robot = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    const viaB = new RemoteWorkQueue({ serverUrl: b, token: robot1.token });
    const admin = new RemoteWorkQueue({ serverUrl: b, token: fleet.admin });
    await admin.addMany('batches', Array.from({ length: 8 }, (_, i) => ({ payload: { n: i } })));
    const first = await robot.completeAndLease([], 'batches', 'w1', 60_000, 3);
    assert.deepEqual(first.settled, []);
    assert.deepEqual(first.leased.map((i) => (i.payload as { n: number }).n), [0, 1, 2]);
    const worked = (items: LeasedWork[]) => items.map((i) => ({ id: i.id, leaseToken: i.leaseToken, output: { n: (i.payload as { n: number }).n } }));
    // The third entry's token is not the one its lease answered with: it does not hold.
    const second = await viaB.completeAndLease([...worked(first.leased.slice(0, 2)), { id: first.leased[2]!.id, leaseToken: randomUUID() }], 'batches', 'w1', 60_000, 3);
    assert.deepEqual(second.settled.map((s) => s.ok), [true, true, false]);
    assert.ok(!second.settled[2]!.ok && second.settled[2]!.error instanceof LeaseLostError);
    assert.deepEqual((await admin.get(first.leased[0]!.id))!.output, { n: 0 });
    assert.deepEqual(second.leased.map((i) => (i.payload as { n: number }).n), [3, 4, 5]);
    assert.equal((await admin.get(first.leased[2]!.id))!.state, 'in_progress', 'the entry that did not hold changed nothing');
    // Every state change is an event, by this device.
    const history = await admin.history(first.leased[0]!.id);
    assert.deepEqual(history.map((h) => [h.from, h.to, h.actor]), [[null, 'new', 'admin'], ['new', 'in_progress', `device:${robot1.deviceId}`], ['in_progress', 'done', `device:${robot1.deviceId}`]]);
    // The device loses its grant while it holds items: the call is refused whole (403) and completes nothing.
    assert.equal((await api(a, 'DELETE', `/v1/queues/batches/grants/${robot1.deviceId}`, fleet.admin)).status, 200);
    await assert.rejects(robot.completeAndLease(worked(second.leased), 'batches', 'w1', 60_000, 3), (error: unknown) => error instanceof QueueServerError && error.status === 403);
    for (const item of second.leased) assert.equal((await admin.get(item.id))!.state, 'in_progress');
    await grant(a, fleet.admin, 'batches', robot1.deviceId);
    const third = await robot.completeAndLease([...worked(second.leased), ...worked([first.leased[2]!])], 'batches', 'w1', 60_000, 5);
    assert.deepEqual(third.settled.map((s) => s.ok), [true, true, true, true]);
    assert.deepEqual(third.leased.map((i) => (i.payload as { n: number }).n), [6, 7]);
    assert.deepEqual((await robot.completeAndLease(worked(third.leased), 'batches', 'w1', 60_000, 5)).leased, []);
    const stats = await admin.stats('batches');
    assert.equal(stats.done, 8);
    assert.equal(stats.in_progress, 0);
  });

  it('answers briefly when asked (answer: brief): acknowledgements, and of each leased item its id, payload and lease; without it, whole items as before', async () => {
    await queueFor('brief', { backoffBaseMs: 0 });
    const admin = new RemoteWorkQueue({ serverUrl: a, token: fleet.admin });
    const [one] = await admin.addMany('brief', [{ payload: { ref: 'share://b-1' }, idempotencyKey: 'B-1', priority: 3 }, { payload: { ref: 'share://b-2' } }, { payload: { ref: 'share://b-3' } }]);
    const first = await api(a, 'POST', '/v1/queues/brief/lease', robot1.token, { worker: 'w', leaseMs: 60_000, max: 1, answer: 'brief' });
    assert.equal(first.status, 200);
    const [leased] = first.body['items'] as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(leased!).sort(), ['attempts', 'deadline', 'id', 'idempotencyKey', 'lastError', 'leaseExpiresAt', 'leaseToken', 'maxRetries', 'payload', 'priority']);
    assert.deepEqual([leased!['id'], leased!['payload'], leased!['attempts'], leased!['idempotencyKey'], leased!['priority']], [one!.id, { ref: 'share://b-1' }, 1, 'B-1', 3]);
    // The completion is acknowledged by id; the next item is leased in the same call.
    const second = await api(b, 'POST', '/v1/queues/brief/lease', robot1.token, { worker: 'w', leaseMs: 60_000, max: 1, answer: 'brief', completions: [{ id: one!.id, leaseToken: leased!['leaseToken'], output: { ok: 1 } }] });
    assert.deepEqual(second.body['settled'], [{ id: one!.id, ok: true }]);
    const next = (second.body['items'] as Array<Record<string, unknown>>)[0]!;
    // The complete route answers the same way.
    const completed = await api(a, 'POST', '/v1/queue-items/complete', robot1.token, { answer: 'brief', completions: [{ id: next['id'], leaseToken: next['leaseToken'] }, { id: next['id'] as number + 1, leaseToken: randomUUID() }] });
    assert.deepEqual((completed.body['settled'] as Array<Record<string, unknown>>).map((e) => [e['id'], e['ok'], Object.keys(e).sort().join()]), [[next['id'], true, 'id,ok'], [next['id'] as number + 1, false, 'error,id,ok']]);
    // A client that does not ask (the routes' first version) gets whole items, as before.
    const whole = await api(a, 'POST', '/v1/queues/brief/lease', robot1.token, { worker: 'w', leaseMs: 60_000, max: 1 });
    const item = (whole.body['items'] as Array<Record<string, unknown>>)[0]!;
    assert.equal(item['state'], 'in_progress');
    assert.equal(item['queue'], 'brief');
    assert.equal(typeof item['createdAt'], 'number');
    const done = await api(a, 'POST', '/v1/queue-items/complete', robot1.token, { completions: [{ id: item['id'], leaseToken: item['leaseToken'] }] });
    assert.equal(((done.body['settled'] as Array<{ item: { state: string } }>)[0]!).item.state, 'done');
    assert.equal((await api(a, 'POST', '/v1/queues/brief/lease', robot1.token, { worker: 'w', leaseMs: 60_000, answer: 'all' })).status, 400);
    // Every state change is still an event, with the brief answers as with whole ones.
    assert.deepEqual((await admin.history(one!.id)).map((h) => h.to), ['new', 'in_progress', 'done']);
    assert.deepEqual((await admin.get(one!.id))!.output, { ok: 1 });
  });

  it('device groups: a queue granted to a group is worked by every device in it, also one that joins later; leaving the group or losing the group grant ends it', async () => {
    await createQueue(a, fleet.admin, 'grouped', { backoffBaseMs: 0 });
    const member = await enrollDevice(a, fleet.admin, 'group member');
    const late = await enrollDevice(b, fleet.admin, 'joins later');
    assert.equal((await api(a, 'POST', '/v1/device-groups', fleet.admin, { name: 'invoice-robots' })).status, 201);
    assert.equal((await api(b, 'POST', '/v1/device-groups', fleet.admin, { name: 'invoice-robots' })).status, 409);
    assert.equal((await api(a, 'POST', '/v1/queues/grouped/grants', fleet.admin, { group: 'no-such-group' })).status, 404);
    assert.equal((await api(a, 'POST', '/v1/queues/grouped/grants', fleet.admin, { group: 'invoice-robots' })).status, 201);
    assert.equal((await api(a, 'POST', '/v1/device-groups/invoice-robots/members', fleet.admin, { deviceId: member.deviceId })).status, 201);
    assert.equal((await api(a, 'POST', '/v1/device-groups/invoice-robots/members', robot1.token, { deviceId: robot1.deviceId })).status, 403, 'only an admin puts devices in groups');
    const viaGroup = new RemoteWorkQueue({ serverUrl: b, token: member.token });
    const lateRobot = new RemoteWorkQueue({ serverUrl: a, token: late.token });
    await viaGroup.addMany('grouped', [{ payload: { ref: 'g-1' } }, { payload: { ref: 'g-2' } }, { payload: { ref: 'g-3' } }]);
    await assert.rejects(lateRobot.lease('grouped', 'w', 60_000), (error: unknown) => error instanceof QueueServerError && error.status === 403);
    const one = (await viaGroup.lease('grouped', 'w', 60_000))!;
    await viaGroup.complete(one.id, one.leaseToken, { ok: true });
    assert.equal((await api(b, 'POST', '/v1/device-groups/invoice-robots/members', fleet.admin, { deviceId: late.deviceId })).status, 201);
    const two = (await lateRobot.lease('grouped', 'w', 60_000))!;
    assert.equal((await lateRobot.complete(two.id, two.leaseToken)).state, 'done');
    const summary = (await api(a, 'GET', '/v1/queues/grouped', fleet.admin)).body;
    assert.deepEqual(summary['groups'], ['invoice-robots']);
    assert.deepEqual(summary['devices'], []);
    assert.deepEqual((await lateRobot.queues()).map((q) => q.name), ['grouped'], 'a device lists the queues it works through its groups');
    const auditor = String((await api(a, 'POST', '/v1/tokens', fleet.admin, { role: 'auditor' })).body['token']);
    const groups = (await api(b, 'GET', '/v1/device-groups', auditor)).body['groups'] as Array<{ name: string; devices: string[]; queues: string[] }>;
    assert.deepEqual(groups.find((g) => g.name === 'invoice-robots'), { name: 'invoice-robots', devices: [member.deviceId, late.deviceId].sort(), queues: ['grouped'] });
    assert.equal((await api(b, 'GET', '/v1/device-groups', member.token)).status, 403);
    // Its own grant cannot be removed — it has none; the answer says where its access comes from.
    const notOwn = await api(a, 'DELETE', `/v1/queues/grouped/grants/${late.deviceId}`, fleet.admin);
    assert.equal(notOwn.status, 404);
    assert.match(String(notOwn.body['message']), /through device group invoice-robots/);
    // Leaving the group ends it for that device only; removing the group's grant ends it for all.
    const held = (await lateRobot.lease('grouped', 'w', 60_000))!;
    assert.equal((await api(a, 'DELETE', `/v1/device-groups/invoice-robots/members/${late.deviceId}`, fleet.admin)).status, 200);
    await assert.rejects(lateRobot.complete(held.id, held.leaseToken), LeaseLostError);
    await assert.rejects(lateRobot.lease('grouped', 'w', 60_000), (error: unknown) => error instanceof QueueServerError && error.status === 403);
    assert.equal((await api(b, 'DELETE', '/v1/queues/grouped/group-grants/invoice-robots', fleet.admin)).status, 200);
    await assert.rejects(viaGroup.lease('grouped', 'w', 60_000), (error: unknown) => error instanceof QueueServerError && error.status === 403 && /not granted queue grouped/.test(error.message));
    // The console's view of what the queue did: two items done by the group's robots.
    const activity = (await api(a, 'GET', '/v1/queues/grouped/activity?minutes=10', auditor)).body;
    assert.equal((activity['totals'] as { done: number }).done, 2);
  });

  it('a robot killed while holding a lease: the item returns after expiry (server time), is worked once more, and the first attempt is recorded as abandoned', async () => {
    await queueFor('killed', { backoffBaseMs: 0 });
    const robot = new RemoteWorkQueue({ serverUrl: b, token: robot2.token });
    const item = await robot.add('killed', { ref: 'share://k-1' });
    // A robot process that leases the item, says so, and then hangs until it is killed.
    const script = `
      const { RemoteWorkQueue } = await import(${JSON.stringify(new URL('../../engine/queue/index.js', import.meta.url).href)});
      const q = new RemoteWorkQueue({ serverUrl: process.env.URL, token: process.env.TOKEN });
      const leased = await q.lease('killed', 'doomed-robot', 2000);
      console.log('LEASED ' + leased.id);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: a, TOKEN: robot1.token }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await waitFor('the robot to lease', () => Promise.resolve(out.includes(`LEASED ${item.id}`)));
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await robot.lease('killed', 'survivor', 60_000), undefined, 'not before the lease runs out');
    let again: LeasedItem | undefined;
    await waitFor('the item to come back', async () => (again = await robot.lease('killed', 'survivor', 60_000)) !== undefined);
    assert.equal(again!.id, item.id);
    assert.equal(again!.attempts, 2);
    await robot.complete(again!.id, again!.leaseToken, { ok: true });
    const { item: done, attempts, history } = await robot.inspect(item.id);
    assert.equal(done.state, 'done');
    assert.deepEqual(
      attempts.map((t) => [t['attempt'], t['worker'], t['outcome']]),
      [
        [1, 'doomed-robot', 'abandoned'],
        [2, 'survivor', 'done'],
      ],
    );
    assert.equal(attempts[0]!['device'], robot1.deviceId);
    const abandoned = history.find((h) => h.from === 'in_progress' && h.to === 'retrying')!;
    assert.equal(abandoned.actor, 'server');
    assert.match(abandoned.error!.message, /abandoned: the lease of worker doomed-robot/);
    assert.deepEqual(
      history.map((h) => `${h.from ?? '-'}>${h.to}`),
      ['->new', 'new>in_progress', 'in_progress>retrying', 'retrying>in_progress', 'in_progress>done'],
      'every state change is recorded',
    );
  });

  it('business vs application failures, backoff, release and heartbeat', async () => {
    await queueFor('failures', { backoffBaseMs: 60_000, maxRetries: 1 });
    const robot = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    const [bad, flaky] = await robot.addMany('failures', [{ payload: { ref: 'bad' }, priority: 1 }, { payload: { ref: 'flaky' } }]);
    const first = (await robot.lease('failures', 'w', 60_000))!;
    assert.equal(first.id, bad!.id);
    const failed = await robot.fail(first.id, first.leaseToken, { kind: 'business', error: { name: 'InvoiceRejected', message: 'unknown supplier' } });
    assert.equal(failed.state, 'failed');
    await assert.rejects(robot.complete(first.id, first.leaseToken), LeaseLostError, 'a settled lease is gone');
    const second = (await robot.lease('failures', 'w', 60_000))!;
    assert.equal(second.id, flaky!.id);
    const retrying = await robot.fail(second.id, second.leaseToken, { kind: 'application', error: { name: 'TimeoutError', message: 'ERP slow' } });
    assert.equal(retrying.state, 'retrying');
    assert.ok(retrying.nextAttemptAt - retrying.updatedAt >= 29_000, 'the retry waits for its backoff');
    assert.equal(await robot.lease('failures', 'w', 60_000), undefined);
    // Retry the business failure by hand; release hands an item back without counting the attempt.
    const renewed = await robot.retry(bad!.id);
    assert.equal(renewed.state, 'new');
    const third = (await robot.lease('failures', 'w', 1500))!;
    const extended = await robot.extendLease(third.id, third.leaseToken, 60_000);
    assert.ok(extended.leaseExpiresAt! - third.leaseExpiresAt > 30_000, 'the heartbeat extends the lease');
    const released = await robot.release(third.id, third.leaseToken, { name: 'PolicyInvalid', message: 'paused' });
    assert.equal(released.state, 'new');
    assert.equal(released.attempts, 0);
  });

  it('a robot whose clock is hours wrong holds exactly the lease it asked for: the server clock decides', async () => {
    await queueFor('clocks', { backoffBaseMs: 0 });
    const robot = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    const other = new RemoteWorkQueue({ serverUrl: b, token: robot2.token });
    await robot.addMany('clocks', [{ payload: { n: 1 } }, { payload: { n: 2 } }]);
    const realNow = Date.now;
    const serverNow = realNow();
    try {
      // Three hours fast: a client computing expiry from its own clock would send a lease that is long over or never ends.
      Date.now = () => realNow() + 3 * 3_600_000;
      const fast = (await robot.lease('clocks', 'fast-clock', 60_000))!;
      assert.ok(Math.abs(fast.leaseExpiresAt - (serverNow + 60_000)) < 30_000, 'the lease ends 60 s after the server leased it');
      Date.now = () => realNow() - 3 * 3_600_000;
      const slow = (await other.lease('clocks', 'slow-clock', 60_000))!;
      assert.notEqual(slow.id, fast.id, 'the fast robot\'s lease is not taken as expired');
      await robot.complete(fast.id, fast.leaseToken, {});
      await other.complete(slow.id, slow.leaseToken, {});
    } finally {
      Date.now = realNow;
    }
    assert.equal((await robot.stats('clocks')).done, 2);
  });

  it('a server restarted mid-lease: the leases hold, settled through the other server or the restarted one', async () => {
    await queueFor('restart');
    const viaA = new RemoteWorkQueue({ serverUrl: a, token: robot1.token });
    const viaB = new RemoteWorkQueue({ serverUrl: b, token: robot1.token });
    await viaA.addMany('restart', [{ payload: { ref: 'r-1' } }, { payload: { ref: 'r-2' } }]);
    const [first, second] = await viaA.leaseMany('restart', 'w', 60_000, 2);
    const restarted = new RemoteWorkQueue({ serverUrl: await fleet.restart(0), token: robot1.token });
    assert.equal((await viaB.complete(first!.id, first!.leaseToken, { via: 'b' })).state, 'done');
    assert.equal((await restarted.complete(second!.id, second!.leaseToken, { via: 'restarted a' })).state, 'done');
    assert.equal(await restarted.lease('restart', 'w', 60_000), undefined, 'nothing was handed out again');
  });
});

