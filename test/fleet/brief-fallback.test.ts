// A robot that asks for brief answers (answer: 'brief') against servers that do not give them:
// a real server process speaking the routes' first protocol (its bodies refuse the field, as every
// server before brief answers did: AUDIT_TEST_QUEUE_BEFORE_BRIEF=1), and a real HTTP hop in front
// of a current server that drops the field on the way (a server or proxy that ignores it, so whole
// items come back). Either way the robot must work every item once, with its payload, attempts and
// last error, and settle it; against the refusing server it must switch to whole items after one
// refused call and stay switched.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RemoteWorkQueue, type Completion, type LeasedWork } from '../../engine/queue/index.js';
import { createQueue, enrollDevice, grant, startFleetServers } from '../helpers/fleet-servers.js';

interface Seen {
  route: string;
  /** The body's answer field as the robot sent it (absent: undefined). */
  answer: unknown;
  status: number;
}

/** A real HTTP hop to target that records each request; dropAnswer: removes the body's answer field on the way. */
async function hop(target: string, dropAnswer: boolean): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body = Buffer.concat(chunks);
      const json = body.length > 0 ? (JSON.parse(body.toString()) as Record<string, unknown>) : undefined;
      const entry: Seen = { route: `${request.method} ${request.url}`, answer: json?.['answer'], status: 0 };
      seen.push(entry);
      if (json && dropAnswer && 'answer' in json) {
        delete json['answer'];
        body = Buffer.from(JSON.stringify(json));
      }
      const headers = { ...request.headers, host: new URL(target).host, 'content-length': String(body.length) };
      const forward = http.request(new URL(request.url!, target), { method: request.method, headers }, (answer) => {
        entry.status = answer.statusCode ?? 0;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      forward.on('error', (error) => response.writeHead(502).end(error.message));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('the robots\' brief answers against a server that does not give them', { timeout: 240_000 }, () => {
  let before1: Awaited<ReturnType<typeof startFleetServers>>;
  let current: Awaited<ReturnType<typeof startFleetServers>>;
  before(async () => {
    before1 = await startFleetServers(1, { AUDIT_TEST_QUEUE_BEFORE_BRIEF: '1' });
    current = await startFleetServers(1);
  });
  after(async () => {
    await before1?.close();
    await current?.close();
  });

  /**
   * Nine items. The robot first leases three the old way (whole items) and item 0 fails (an
   * application error), so it comes back with attempts 2 and its last error; then the robot works
   * the queue with completeAndLease, three at a time, the first call completing the two others and
   * each later one the batch before.
   */
  async function drain(server: string, robotUrl: string, admin: string): Promise<{ seenPayloads: number[]; leased: LeasedWork[]; history: Array<Array<[string | null, string]>>; outputs: unknown[] }> {
    const device = await enrollDevice(server, admin, 'robot');
    await createQueue(server, admin, 'claims', { backoffBaseMs: 0 });
    await grant(server, admin, 'claims', device.deviceId);
    const boss = new RemoteWorkQueue({ serverUrl: server, token: admin });
    const added = await boss.addMany('claims', Array.from({ length: 9 }, (_, n) => ({ payload: { n }, idempotencyKey: `C-${n}` })));
    const robot = new RemoteWorkQueue({ serverUrl: robotUrl, token: device.token });
    // The old way (whole items): three leased, item 0 fails with an application error and is due again at once.
    const [first, ...rest] = await robot.leaseMany('claims', 'w', 60_000, 3);
    assert.equal(first!.id, added[0]!.id);
    await robot.fail(first!.id, first!.leaseToken, { kind: 'application', error: { name: 'TimeoutError', message: 'the portal did not answer' } });

    const leased: LeasedWork[] = [];
    const seenPayloads: number[] = [];
    let worked: Completion[] = rest.map((item) => {
      seenPayloads.push((item.payload as { n: number }).n);
      return { id: item.id, leaseToken: item.leaseToken, output: { n: (item.payload as { n: number }).n } };
    });
    for (let call = 0; call < 10; call++) {
      const answer = await robot.completeAndLease(worked, 'claims', 'w', 60_000, 3);
      assert.deepEqual(answer.settled.map((s) => [s.id, s.ok]), worked.map((c) => [c.id, true]), 'every worked item is acknowledged, in order');
      if (answer.leased.length === 0) break;
      leased.push(...answer.leased);
      for (const item of answer.leased) seenPayloads.push((item.payload as { n: number }).n);
      worked = answer.leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken, output: { n: (item.payload as { n: number }).n } }));
    }
    const stats = await boss.stats('claims');
    assert.deepEqual([stats.done, stats.in_progress, stats.new, stats.retrying], [9, 0, 0, 0]);
    const history = await Promise.all(added.map(async (item) => (await boss.history(item.id)).map((h): [string | null, string] => [h.from, h.to])));
    const outputs = await Promise.all(added.map(async (item) => (await boss.get(item.id))!.output));
    return { seenPayloads, leased, history, outputs };
  }

  const checkWorked = ({ seenPayloads, leased, history, outputs }: Awaited<ReturnType<typeof drain>>): void => {
    assert.deepEqual([...seenPayloads].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8], 'each item reached the robot once');
    assert.deepEqual(outputs, Array.from({ length: 9 }, (_, n) => ({ n })));
    // Each item done once: no call, refused or answered, completed anything twice.
    for (const [n, events] of history.entries()) {
      const once: Array<[string | null, string]> = [[null, 'new'], ['new', 'in_progress'], ['in_progress', 'done']];
      assert.deepEqual(events, n === 0 ? [[null, 'new'], ['new', 'in_progress'], ['in_progress', 'retrying'], ['retrying', 'in_progress'], ['in_progress', 'done']] : once, `item ${n}`);
    }
    const retried = leased.find((item) => (item.payload as { n: number }).n === 0)!;
    assert.equal(retried.attempts, 2);
    assert.equal(retried.queue, 'claims');
    assert.deepEqual(retried.lastError, { kind: 'application', name: 'TimeoutError', message: 'the portal did not answer' });
    assert.equal(retried.idempotencyKey, 'C-0');
    for (const item of leased) assert.ok(item.leaseExpiresAt > Date.now() - 60_000 && /^[0-9a-f-]{36}$/.test(item.leaseToken));
  };

  it('a server from before brief answers refuses the field: the robot asks once, then for whole items, and works every item once', async () => {
    const via = await hop(before1.urls[0]!, false);
    try {
      checkWorked(await drain(before1.urls[0]!, via.url, before1.admin));
      const calls = via.seen.filter((s) => s.route === 'POST /v1/queues/claims/lease');
      // leaseMany (whole items, no field), then the first completeAndLease asks for brief — refused — and every later call asks for whole items.
      assert.deepEqual(calls.slice(0, 3).map((s) => [s.answer, s.status]), [[undefined, 200], ['brief', 400], [undefined, 200]]);
      assert.equal(calls.filter((s) => s.answer !== undefined).length, 1, 'the robot asked for brief answers once');
    } finally {
      await via.close();
    }
  });

  it('a server (or a hop) that ignores the field answers whole items: the robot takes them as they are', async () => {
    const via = await hop(current.urls[0]!, true);
    try {
      checkWorked(await drain(current.urls[0]!, via.url, current.admin));
      const calls = via.seen.filter((s) => s.route === 'POST /v1/queues/claims/lease');
      assert.ok(calls.filter((s) => s.answer === 'brief').length >= 4, 'the robot kept asking for brief answers');
      assert.ok(calls.every((s) => s.status === 200));
    } finally {
      await via.close();
    }
  });
});
