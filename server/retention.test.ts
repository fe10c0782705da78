// Retention against real PostgreSQL: only records older than the period go (as a prefix of each
// device's chain), the deletion is logged, verification still passes, auditors cannot apply it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SqlClient } from './db.js';
import { DEFAULT_RETENTION_DAYS, retentionDaysFromEnv } from './retention.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('retention (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let auditor: string;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db, { retentionDays: 365 });
    auditor = (await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor' })).body.token;
  });
  after(async () => {
    await app.close();
    await drop();
  });

  /** Records as if received when they were written (ingest stamps received_at = now()). */
  const backdateReceipt = (device: FakeDevice) => db.query('UPDATE audit_records SET received_at = ts_at WHERE device_id = $1 AND ts_at < now()', [device.deviceId]);
  const count = async (device: FakeDevice) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId])).rows[0]!.n);
  const seqs = async (device: FakeDevice) => (await db.query<{ seq: string }>('SELECT seq FROM audit_records WHERE device_id = $1 ORDER BY seq', [device.deviceId])).rows.map((r) => Number(r.seq));
  const verify = async (device: FakeDevice) => (await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, auditor)).body;
  const apply = (token?: string) => call(app, 'POST', '/v1/retention/apply', token, {});

  it('reads AUDIT_RETENTION_DAYS with a default of about 7 years and a minimum of 1', () => {
    assert.equal(DEFAULT_RETENTION_DAYS, 2557);
    assert.equal(retentionDaysFromEnv(undefined), 2557);
    assert.equal(retentionDaysFromEnv(' '), 2557);
    assert.equal(retentionDaysFromEnv('1'), 1);
    assert.equal(retentionDaysFromEnv('30'), 30);
    for (const bad of ['0', '-5', '1.5', 'seven']) assert.throws(() => retentionDaysFromEnv(bad), /AUDIT_RETENTION_DAYS/);
  });

  it('is applied by admins only: 401 without a token, 403 for an auditor, and nothing is deleted', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('forbidden-old', 'passed', 1, { ts: daysAgo(800) }))).status, 200);
    await backdateReceipt(device);
    assert.equal((await apply()).status, 401);
    const denied = await apply(auditor);
    assert.equal(denied.status, 403, denied.text);
    assert.equal((await apply(device.token)).status, 403);
    assert.equal(await count(device), 3);
    assert.equal((await call(app, 'GET', '/v1/retention/log', device.token)).status, 403);
  });

  it('deletes old records, never younger ones, logs the run, and verify stays ok', async () => {
    const a = await new FakeDevice().enroll(app);
    const b = await new FakeDevice().enroll(app);
    const records = [
      ...a.run('a-old-1', 'passed', 2, { ts: daysAgo(900) }), // seq 1-4
      ...a.run('a-old-2', 'failed', 1, { ts: daysAgo(400) }), // seq 5-7
      a.record('run.started', 'a-span', {}, { ts: daysAgo(366) }), // seq 8: old
      a.record('step.succeeded', 'a-span', { durationMs: 1 }, { ts: daysAgo(364) }), // seq 9: inside the period
      a.record('run.finished', 'a-span', { status: 'passed', durationMs: 5 }, { ts: daysAgo(1) }), // seq 10
      ...a.run('a-skewed', 'passed', 0, { ts: daysAgo(1000) }), // seq 11-12: old ts, but after younger records
      ...a.run('a-new', 'passed', 1, { ts: daysAgo(0) }), // seq 13-15
    ];
    assert.equal((await a.ingest(app, records)).status, 200);
    assert.equal((await b.ingest(app, b.run('b-new', 'passed', 1, { ts: daysAgo(10) }))).status, 200);
    await backdateReceipt(a);
    await backdateReceipt(b);
    assert.equal((await verify(a)).ok, true);

    const reply = await apply(ADMIN);
    assert.equal(reply.status, 200, reply.text);
    const result = reply.body as unknown as { deleted: number; cutoff: string; retentionDays: number; devices: Array<{ deviceId: string; fromSeq: number; toSeq: number; count: number; anchorHash: string }> };
    assert.equal(result.retentionDays, 365);
    assert.ok(Math.abs(Date.parse(result.cutoff) - (Date.now() - 365 * DAY)) < 60_000);
    const forA = result.devices.find((d) => d.deviceId === a.deviceId);
    assert.deepEqual(forA, { deviceId: a.deviceId, fromSeq: 1, toSeq: 8, count: 8, anchorHash: a.written[7]!.hash });
    assert.equal(result.devices.some((d) => d.deviceId === b.deviceId), false);

    // Everything from the first record inside the period on is kept, the skewed old ones too.
    assert.deepEqual(await seqs(a), [9, 10, 11, 12, 13, 14, 15]);
    assert.equal(await count(b), 3);
    const kept = await db.query<{ ts_at: Date }>('SELECT ts_at FROM audit_records WHERE device_id = $1 AND seq = 9', [a.deviceId]);
    assert.ok(kept.rows[0]!.ts_at.getTime() > Date.now() - 365 * DAY);

    // The chain verifies from the anchor; the other device is untouched.
    assert.deepEqual(await verify(a), { deviceId: a.deviceId, ok: true, checked: 7, signedBatches: 0, receipts: 1, anchorSeq: 8 });
    assert.deepEqual(await verify(b), { deviceId: b.deviceId, ok: true, checked: 3, signedBatches: 1, receipts: 1, anchorSeq: 0 });

    // Runs wholly deleted are gone; the run cut in two counts what is left.
    const runs = (await call(app, 'GET', `/v1/runs?device=${a.deviceId}`, auditor)).body.runs;
    assert.deepEqual(runs.map((r) => r.runId).sort(), ['a-new', 'a-skewed', 'a-span']);
    assert.equal(runs.find((r) => r.runId === 'a-span')!.records, 2);

    // The log, readable by auditors, says who, when, the cutoff and what went.
    const log = await call(app, 'GET', '/v1/retention/log', auditor);
    assert.equal(log.status, 200, log.text);
    const entries = log.body.entries as Array<{ actor: { role: string; label: string; tokenId: string }; cutoff: string; appliedAt: string; deleted: number; devices: unknown[] }>;
    const entry = entries[0]!;
    assert.equal(entry.actor.role, 'admin');
    assert.equal(entry.actor.label, 'configured');
    assert.match(entry.actor.tokenId, /^[0-9a-f]{12}$/);
    assert.equal(entry.cutoff, result.cutoff);
    assert.ok(Math.abs(Date.parse(entry.appliedAt) - Date.now()) < 60_000);
    assert.equal(entry.deleted, result.deleted);
    assert.deepEqual(entry.devices, result.devices);
    assert.equal(log.body.retentionDays, 365);

    // Applying again deletes nothing more, is logged too, and the device keeps syncing.
    const again = await apply(ADMIN);
    assert.equal(again.status, 200);
    assert.equal((again.body as unknown as { devices: unknown[] }).devices.some((d) => (d as { deviceId: string }).deviceId === a.deviceId), false);
    assert.deepEqual(await seqs(a), [9, 10, 11, 12, 13, 14, 15]);
    assert.equal((await a.ingest(app, a.run('a-later', 'passed', 1))).status, 200);
    assert.deepEqual(await verify(a), { deviceId: a.deviceId, ok: true, checked: 10, signedBatches: 1, receipts: 2, anchorSeq: 8 });
    const after = (await call(app, 'GET', '/v1/retention/log?limit=500', auditor)).body.entries as unknown[];
    assert.equal(after.length, entries.length + 1);
  });

  it('keeps records the server received within the period, whatever their ts says', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('clock-wrong', 'passed', 1, { ts: daysAgo(5000) }))).status, 200);
    assert.equal((await apply(ADMIN)).status, 200);
    assert.equal(await count(device), 3);
  });

  it('can delete a device whole chain, and verify is still ok', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('all-old', 'passed', 1, { ts: daysAgo(700) }))).status, 200);
    await backdateReceipt(device);
    assert.equal((await apply(ADMIN)).status, 200);
    assert.equal(await count(device), 0);
    assert.deepEqual(await verify(device), { deviceId: device.deviceId, ok: true, checked: 0, signedBatches: 0, receipts: 1, anchorSeq: 3 });
    // A re-sent old batch is still recognised as a duplicate.
    const resent = await device.ingest(app, device.written);
    assert.equal(resent.status, 200, resent.text);
    assert.equal(resent.body.accepted, 0);
  });

  it('does not delete across a hole: tampering is not laundered by retention', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, [...device.run('holed-1', 'passed', 1, { ts: daysAgo(700) }), ...device.run('holed-2', 'passed', 1, { ts: daysAgo(1) })])).status, 200);
    await backdateReceipt(device);
    await db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq = 2', [device.deviceId]);
    const reply = await apply(ADMIN);
    assert.equal(reply.status, 200);
    const skipped = (reply.body as unknown as { skipped: Array<{ deviceId: string; reason: string }> }).skipped;
    assert.match(skipped.find((s) => s.deviceId === device.deviceId)!.reason, /not all stored/);
    assert.deepEqual(await seqs(device), [1, 3, 4, 5, 6]);
    const verdict = await verify(device);
    assert.equal(verdict.ok, false);
    assert.equal(verdict.firstBroken.seq, 2);
  });

  it('refuses a retention period under one day', async () => {
    await assert.rejects(testServer(db, { retentionDays: 0 }), /at least|>= 1/);
  });
});
