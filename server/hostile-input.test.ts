// The inputs issue #16 found answered with a 500, each now a 400 that says what was wrong: a
// NUL in a path or query value, dates JavaScript reads but PostgreSQL does not, and a correctly
// signed record whose time PostgreSQL cannot hold (which a device would have re-sent for ever).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AuditRecordSchema, isAuditTime } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

/** Drops the device's last sealed record, as if it had never made it (the client's own check would not have). */
function forgetLast(device: FakeDevice): void {
  device.written.pop();
  const last = device.written[device.written.length - 1]!;
  (device as unknown as { last: { seq: number; hash: string } }).last = { seq: last.seq, hash: last.hash };
}

describe('hostile input gets a 400 with the reason (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let device: FakeDevice;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('r-1', 'passed', 1, { ts: '2026-03-01T10:00:00.000Z' }))).status, 200);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  const cases: Array<[string, RegExp]> = [
    ['/v1/runs?user=%00', /invalid query: user: holds a NUL character/],
    ['/v1/runs?device=a%00b&status=x', /invalid query: device: holds a NUL character/],
    ['/v1/runs/%00/records', /invalid path: runId: holds a NUL character/],
    ['/v1/devices/%00/verify', /invalid path: id: holds a NUL character/],
    ['/v1/export?user=%00', /invalid query: user: holds a NUL character/],
    ['/v1/runs?from=0000-01-01T00:00:00Z', /invalid query: from: expected an RFC 3339 date-time .* years 0001-9999/],
    ['/v1/runs?from=%2B275760-09-13', /invalid query: from: expected/],
    ['/v1/runs?to=2026-02-30T00:00:00Z', /invalid query: to: expected/],
    ['/v1/runs?to=2026-12-05T24:00:00Z', /invalid query: to: expected/],
    ['/v1/export?from=-271821-04-20T00:00:00Z', /invalid query: from: expected/],
    [`/v1/runs?cursor=${Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', 'd', 'r'])).toString('base64url')}`, /invalid cursor/],
    [`/v1/runs?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'd\u0000', 'r'])).toString('base64url')}`, /invalid cursor/],
  ];
  for (const [url, reason] of cases) {
    it(`GET ${url} → 400`, async () => {
      const reply = await call(app, 'GET', url, ADMIN);
      assert.equal(reply.status, 400, reply.text);
      assert.match(reply.body.message, reason);
    });
  }

  it('takes a plain date or a time with an offset as a filter, as the same instant PostgreSQL compares', async () => {
    const byDate = await call(app, 'GET', '/v1/runs?from=2026-03-01&to=2026-03-02', ADMIN);
    assert.equal(byDate.status, 200, byDate.text);
    assert.deepEqual(byDate.body.runs.map((run) => run.runId), ['r-1']);
    const byOffset = await call(app, 'GET', `/v1/runs?from=${encodeURIComponent('2026-03-01T11:00:00.001+01:00')}`, ADMIN);
    assert.deepEqual(byOffset.body.runs, [], 'from is 10:00:00.001Z, after the run started');
  });

  it('refuses NUL in a body value that would be stored (token label, device name)', async () => {
    const token = await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor', label: 'a\u0000b' });
    assert.equal(token.status, 400, token.text);
    assert.match(token.body.message, /label: holds a NUL character/);
    const enrollment = await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, {});
    const other = new FakeDevice();
    const named = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment.body.enrollmentToken, name: 'pc\u0000', publicKey: other.keys.publicKeyPem });
    assert.equal(named.status, 400, named.text);
    assert.match(named.body.message, /name: holds a NUL character/);
  });

  for (const ts of ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '2026-02-30T10:00:00Z', '0001-01-01T00:00:00+14:00', 'not a time']) {
    it(`refuses a correctly signed record with ts ${ts} with a 400 naming ts, and takes the device's next good batch`, async () => {
      const bad = device.record('step.succeeded', 'r-ts', {}, { ts });
      const reply = await device.ingest(app, [bad]);
      assert.equal(reply.status, 400, reply.text);
      assert.equal(reply.body.error, 'invalid_batch');
      assert.match(reply.body.message, /records\.0\.ts: expected an RFC 3339 date-time/);
      // The device would never have sealed it (same schema): it goes on from its last good record.
      forgetLast(device);
      const good = await device.ingest(app, [device.record('step.succeeded', 'r-ts', {}, { ts: '2026-03-01T10:00:05.000Z' })]);
      assert.equal(good.status, 200, good.text);
    });
  }

  it('refuses NUL or a lone surrogate anywhere in a signed record with a 400, by the shared schema', async () => {
    for (const [field, value] of [
      ['user', 'ro\u0000bot'],
      ['payload', { message: 'x\ud800' }],
      ['payload', { ['k\u0000']: 1 }],
    ] as const) {
      const record = device.record('log', 'r-nul', field === 'payload' ? (value) : {}, field === 'user' ? { user: value } : {});
      const reply = await device.ingest(app, [record]);
      assert.equal(reply.status, 400, reply.text);
      assert.match(reply.body.message, /NUL character or a lone surrogate/);
      assert.equal(AuditRecordSchema.safeParse(record).success, false, 'the client-side check refuses it too');
      forgetLast(device);
    }
  });

  it('isAuditTime takes what both JavaScript and PostgreSQL read alike, and nothing else', async () => {
    const good = ['2026-12-05T21:48:41.000Z', '2026-12-05T21:48:41Z', '2024-02-29T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-12-05T10:00:00.123456789+05:30', '0001-01-01T10:00:00+09:00'];
    const bad = ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-12-05T24:00:00Z', '2026-12-31T23:59:60Z', '2026-12-05', '2026-12-05T10:00Z', 'Dec 25 2026', '0001-01-01T00:00:00+14:00', '9999-12-31T23:00:00-02:00', ''];
    assert.deepEqual(good.filter((ts) => !isAuditTime(ts)), []);
    assert.deepEqual(bad.filter((ts) => isAuditTime(ts)), []);
    // Every accepted time is stored by PostgreSQL as the instant JavaScript reads.
    const stored = await db.query<{ at: Date }>('SELECT unnest($1::timestamptz[]) AS at', [`{${good.map((ts) => new Date(Date.parse(ts)).toISOString()).join(',')}}`]);
    assert.deepEqual(
      stored.rows.map((row) => row.at.getTime()),
      good.map((ts) => Date.parse(ts)),
    );
  });
});
