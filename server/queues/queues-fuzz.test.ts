// Hostile and odd input against every central-queue route, with tokens of each role, on real
// PostgreSQL: nothing may answer 5xx or reach PostgreSQL unchecked (invalid_value), and the
// queue still works afterwards. QUEUE_FUZZ_SEED=<n> reproduces a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from '../test-support.js';

const SEED = Number(process.env['QUEUE_FUZZ_SEED'] ?? 21_2026);
const REQUESTS = 1500;

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD: unknown[] = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '🙂', "' OR 1=1 --", '../x', 'null', '-1', '1e309', 'NaN',
  '00000000-0000-4000-8000-000000000000', 'not-a-uuid', 0, -1, 1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, true, null, [], {}, [1, 2], { a: '\u0000' }, 'x'.repeat(5000),
];

describe('central queue routes under hostile input (PostgreSQL)', { timeout: 300_000 }, () => {
  let pgDb: Awaited<ReturnType<typeof freshPostgres>>;
  let app: FastifyInstance;
  let device: FakeDevice;
  let auditor: string;

  before(async () => {
    pgDb = await freshPostgres();
    app = await testServer(pgDb.db);
    device = await new FakeDevice().enroll(app);
    auditor = String((await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor' })).body.token);
    await call(app, 'POST', '/v1/queues', ADMIN, { name: 'fuzzq', backoffBaseMs: 0 });
    await call(app, 'POST', '/v1/queues/fuzzq/grants', ADMIN, { deviceId: device.deviceId });
    await call(app, 'POST', '/v1/device-groups', ADMIN, { name: 'fuzzg' });
    await call(app, 'POST', '/v1/queues/fuzzq/items', ADMIN, { items: Array.from({ length: 20 }, (_, i) => ({ payload: { n: i } })) });
  });
  after(async () => {
    await app?.close();
    await pgDb?.drop();
  });

  it(`answers ${REQUESTS} random requests without a 5xx and keeps working (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const odd = (): unknown => pick(ODD);
    // A lone surrogate cannot be percent-encoded as UTF-8: send the bytes it would be.
    const segment = (value: unknown): string => {
      try {
        return encodeURIComponent(String(value));
      } catch {
        return '%ED%A0%80';
      }
    };
    const id = () => (random() < 0.6 ? String(1 + Math.floor(random() * 25)) : segment(odd()));
    const queue = () => (random() < 0.6 ? 'fuzzq' : segment(odd()));
    const token = () => pick([ADMIN, auditor, device.token, device.token, undefined, 'dev_nope']);
    const maybe = (key: string, value: () => unknown) => (random() < 0.7 ? { [key]: value() } : {});
    const bodies: Record<string, () => unknown> = {
      create: () => ({ ...maybe('name', () => (random() < 0.3 ? `q${Math.floor(random() * 1e6)}` : odd())), ...maybe('maxRetries', odd), ...maybe('maxPayloadBytes', odd), ...maybe('backoffBaseMs', odd) }),
      grant: () => (random() < 0.3 ? { ...maybe('group', () => (random() < 0.5 ? 'fuzzg' : odd())) } : { ...maybe('deviceId', () => (random() < 0.3 ? device.deviceId : odd())) }),
      group: () => ({ ...maybe('name', () => (random() < 0.3 ? `g${Math.floor(random() * 1e6)}` : odd())) }),
      member: () => ({ ...maybe('deviceId', () => (random() < 0.4 ? device.deviceId : odd())) }),
      items: () => ({ items: random() < 0.2 ? odd() : Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({ payload: odd(), ...maybe('idempotencyKey', odd), ...maybe('priority', odd), ...maybe('deadline', odd), ...maybe('maxRetries', odd) })) }),
      lease: () => ({
        ...maybe('worker', odd),
        ...maybe('leaseMs', () => (random() < 0.5 ? 60_000 : odd())),
        ...maybe('max', odd),
        ...(random() < 0.4 ? { completions: random() < 0.2 ? odd() : [{ id: random() < 0.5 ? 1 + Math.floor(random() * 25) : odd(), leaseToken: random() < 0.3 ? '00000000-0000-4000-8000-000000000000' : odd(), ...maybe('output', odd) }] } : {}),
      }),
      complete: () => ({ completions: random() < 0.2 ? odd() : [{ id: random() < 0.5 ? 1 + Math.floor(random() * 25) : odd(), leaseToken: odd(), ...maybe('output', odd) }] }),
      fail: () => ({ ...maybe('leaseToken', odd), ...maybe('kind', () => pick(['business', 'application', odd()])), ...maybe('error', () => ({ name: odd(), message: odd() })) }),
      release: () => ({ ...maybe('leaseToken', odd), ...maybe('reason', () => ({ name: odd(), message: odd() })) }),
      heartbeat: () => ({ ...maybe('leaseToken', odd), ...maybe('leaseMs', odd) }),
    };
    const requests: Array<() => { method: 'GET' | 'POST' | 'DELETE'; url: string; body?: unknown }> = [
      () => ({ method: 'POST', url: '/v1/queues', body: bodies['create']!() }),
      () => ({ method: 'GET', url: '/v1/queues' }),
      () => ({ method: 'GET', url: `/v1/queues/${queue()}` }),
      () => ({ method: 'POST', url: `/v1/queues/${queue()}/grants`, body: bodies['grant']!() }),
      () => ({ method: 'DELETE', url: `/v1/queues/${queue()}/grants/${segment(odd())}` }),
      () => ({ method: 'POST', url: `/v1/queues/${queue()}/items`, body: bodies['items']!() }),
      () => ({ method: 'POST', url: `/v1/queues/${queue()}/lease`, body: bodies['lease']!() }),
      () => ({ method: 'POST', url: `/v1/queues/${queue()}/sweep`, body: {} }),
      () => ({ method: 'DELETE', url: `/v1/queues/${queue()}/group-grants/${random() < 0.5 ? 'fuzzg' : segment(odd())}` }),
      () => ({ method: 'GET', url: `/v1/queues/${queue()}/activity?${new URLSearchParams({ ...maybe('minutes', odd) } as Record<string, string>).toString()}` }),
      () => ({ method: 'POST', url: '/v1/device-groups', body: bodies['group']!() }),
      () => ({ method: 'GET', url: '/v1/device-groups' }),
      () => ({ method: 'POST', url: `/v1/device-groups/${random() < 0.6 ? 'fuzzg' : segment(odd())}/members`, body: bodies['member']!() }),
      () => ({ method: 'DELETE', url: `/v1/device-groups/${random() < 0.6 ? 'fuzzg' : segment(odd())}/members/${random() < 0.5 ? device.deviceId : segment(odd())}` }),
      () => ({ method: 'POST', url: '/v1/queue-items/complete', body: bodies['complete']!() }),
      () => ({ method: 'POST', url: `/v1/queue-items/${id()}/fail`, body: bodies['fail']!() }),
      () => ({ method: 'POST', url: `/v1/queue-items/${id()}/release`, body: bodies['release']!() }),
      () => ({ method: 'POST', url: `/v1/queue-items/${id()}/heartbeat`, body: bodies['heartbeat']!() }),
      () => ({ method: 'POST', url: `/v1/queue-items/${id()}/retry`, body: {} }),
      () => ({ method: 'GET', url: `/v1/queue-items/${id()}` }),
      () => ({ method: 'GET', url: `/v1/queue-items?${new URLSearchParams({ ...maybe('queue', odd), ...maybe('state', () => pick(['done', 'new', odd()])), ...maybe('limit', odd) } as Record<string, string>).toString()}` }),
    ];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let n = 0; n < REQUESTS; n++) {
      const request = pick(requests)();
      const who = token();
      const response = await app.inject({
        method: request.method,
        url: request.url,
        headers: { ...(who ? { authorization: `Bearer ${who}` } : {}), ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(request.body !== undefined ? { payload: JSON.stringify(request.body) } : {}),
      });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if ((response.statusCode >= 500 || response.body.includes('"error":"invalid_value"')) && failures.length < 20) {
        failures.push(`#${n} ${request.method} ${request.url.slice(0, 120)} ${JSON.stringify(request.body)?.slice(0, 200) ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
    }
    console.log(`queue fuzz seed ${SEED}: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    assert.deepEqual(failures, [], `responses ≥ 500 or values only PostgreSQL refused (reproduce with QUEUE_FUZZ_SEED=${SEED})`);
    assert.ok((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) > 50, 'some requests got through every check');
    // Still working: add, lease, complete.
    const added = await call(app, 'POST', '/v1/queues/fuzzq/items', device.token, { items: [{ payload: { after: 'fuzz' }, priority: 1_000_000 }] });
    assert.equal(added.status, 201, added.text);
    const leased = (await call(app, 'POST', '/v1/queues/fuzzq/lease', device.token, { worker: 'w', leaseMs: 60_000 })).body['items'] as Array<{ id: number; leaseToken: string; payload: unknown }>;
    assert.deepEqual(leased[0]!.payload, { after: 'fuzz' });
    const done = await call(app, 'POST', '/v1/queue-items/complete', device.token, { completions: [{ id: leased[0]!.id, leaseToken: leased[0]!.leaseToken }] });
    assert.equal((done.body['settled'] as Array<{ ok: boolean }>)[0]!.ok, true);
  });
});
