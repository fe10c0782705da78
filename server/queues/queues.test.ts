// Central queue routes on PGlite (the single-machine server) and their refusals of bad input.
// The fleet behaviour on PostgreSQL with several processes is in test/fleet/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createPgliteClient, type SqlClient } from '../db.js';
import { ADMIN, call, FakeDevice, testServer } from '../test-support.js';

describe('central queue routes (PGlite)', { timeout: 120_000 }, () => {
  let db: SqlClient;
  let app: FastifyInstance;
  let robot: FakeDevice;

  before(async () => {
    db = await createPgliteClient('memory://');
    app = await testServer(db);
    robot = await new FakeDevice().enroll(app);
    assert.equal((await call(app, 'POST', '/v1/queues', ADMIN, { name: 'invoices', maxPayloadBytes: 200, backoffBaseMs: 0 })).status, 201);
    assert.equal((await call(app, 'POST', '/v1/queues/invoices/grants', ADMIN, { deviceId: robot.deviceId })).status, 201);
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  it('adds, leases by priority, completes; a second complete with the same token is a lost lease', async () => {
    const added = await call(app, 'POST', '/v1/queues/invoices/items', robot.token, { items: [{ payload: { ref: 'low' } }, { payload: { ref: 'high' }, priority: 5, idempotencyKey: 'H' }] });
    assert.equal(added.status, 201, added.text);
    const dup = await call(app, 'POST', '/v1/queues/invoices/items', robot.token, { items: [{ payload: {}, idempotencyKey: 'H' }] });
    assert.equal(dup.status, 200);
    assert.equal((dup.body['items'] as Array<{ duplicate: boolean }>)[0]!.duplicate, true);
    const leased = await call(app, 'POST', '/v1/queues/invoices/lease', robot.token, { worker: 'w', leaseMs: 60_000, max: 1 });
    const item = (leased.body['items'] as Array<{ id: number; leaseToken: string; payload: unknown }>)[0]!;
    assert.deepEqual(item.payload, { ref: 'high' });
    const done = await call(app, 'POST', '/v1/queue-items/complete', robot.token, { completions: [{ id: item.id, leaseToken: item.leaseToken, output: { ok: 1 } }] });
    assert.equal((done.body['settled'] as Array<{ ok: boolean }>)[0]!.ok, true);
    const again = await call(app, 'POST', '/v1/queue-items/complete', robot.token, { completions: [{ id: item.id, leaseToken: item.leaseToken }] });
    const settled = (again.body['settled'] as Array<{ ok: boolean; error: { name: string; message: string } }>)[0]!;
    assert.equal(settled.ok, false);
    assert.equal(settled.error.name, 'LeaseLostError');
    assert.match(settled.error.message, /is now done/);
    const shown = await call(app, 'GET', `/v1/queue-items/${item.id}`, ADMIN);
    assert.deepEqual((shown.body['attempts'] as Array<{ outcome: string }>).map((a) => a.outcome), ['done']);
  });

  it('refuses bad input with a clear 4xx and stores nothing', async () => {
    const before = await call(app, 'GET', '/v1/queues/invoices', ADMIN);
    const tooBig = await call(app, 'POST', '/v1/queues/invoices/items', robot.token, { items: [{ payload: { ref: 'ok' } }, { payload: { pdf: 'x'.repeat(500) } }] });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error, 'payload_too_large');
    assert.match(tooBig.body.message, /items\[1\]\.payload is \d+ bytes; queue invoices takes at most 200/);
    assert.deepEqual((await call(app, 'GET', '/v1/queues/invoices', ADMIN)).body['stats'], before.body['stats'], 'the whole add was refused');
    assert.equal((await call(app, 'POST', '/v1/queues/invoices/lease', robot.token, { worker: 'w', leaseMs: 5 })).status, 400);
    assert.equal((await call(app, 'POST', '/v1/queue-items/1/fail', robot.token, { leaseToken: 'not-a-token', kind: 'business', error: { name: 'E', message: 'm' } })).status, 400);
    assert.equal((await call(app, 'POST', '/v1/queue-items/1/fail', robot.token, { leaseToken: '00000000-0000-4000-8000-000000000000', kind: 'business', error: { name: 'E', message: 'm' } })).status, 409);
    assert.equal((await call(app, 'POST', '/v1/queue-items/999999/release', robot.token, { leaseToken: '00000000-0000-4000-8000-000000000000', reason: { name: 'E', message: 'm' } })).status, 404);
    assert.equal((await call(app, 'POST', '/v1/queues/no-such/items', robot.token, { items: [{ payload: {} }] })).status, 404);
    assert.equal((await call(app, 'POST', '/v1/queues', ADMIN, { name: 'bad name!' })).status, 400);
    assert.equal((await call(app, 'POST', '/v1/queues', ADMIN, { name: 'invoices' })).status, 409);
    assert.equal((await call(app, 'POST', '/v1/queues/invoices/items', robot.token, { items: [{ payload: {}, idempotencyKey: 'a\u0000b' }] })).status, 400);
    const added = await call(app, 'POST', '/v1/queues/invoices/items', robot.token, { items: [{ payload: { ref: 'out' } }] });
    assert.equal(added.status, 201);
    const leased = (await call(app, 'POST', '/v1/queues/invoices/lease', robot.token, { worker: 'w', leaseMs: 60_000 })).body['items'] as Array<{ id: number; leaseToken: string }>;
    const huge = await call(app, 'POST', '/v1/queue-items/complete', robot.token, { completions: [{ id: leased[0]!.id, leaseToken: leased[0]!.leaseToken, output: { pdf: 'x'.repeat(70_000) } }] });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error, 'output_too_large');
    const shown = await call(app, 'GET', `/v1/queue-items/${leased[0]!.id}`, ADMIN);
    assert.equal((shown.body['item'] as { state: string }).state, 'in_progress', 'nothing was completed');
  });
});
