// The stored chain re-checked against real PostgreSQL after someone edits the database directly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sealRecord } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

describe('GET /v1/devices/:id/verify (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  /** A device with three runs (12 records) stored. */
  async function stored(): Promise<FakeDevice> {
    const device = await new FakeDevice().enroll(app);
    const reply = await device.ingest(app, [...device.run('r1', 'passed'), ...device.run('r2', 'failed'), ...device.run('r3', 'passed')]);
    assert.equal(reply.status, 200, reply.text);
    return device;
  }
  const verify = async (device: FakeDevice) => (await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body;

  it('reports an intact chain', async () => {
    const device = await stored();
    assert.deepEqual(await verify(device), { deviceId: device.deviceId, ok: true, checked: 12, signedBatches: 1, receipts: 1, anchorSeq: 0 });
  });

  it('finds a record whose payload was edited in the database', async () => {
    const device = await stored();
    await db.query(`UPDATE audit_records SET payload = jsonb_set(payload, '{status}', '"passed"') WHERE device_id = $1 AND seq = 8`, [device.deviceId]);
    const result = await verify(device);
    assert.equal(result.ok, false);
    assert.equal(result.firstBroken.seq, 8);
    assert.equal(result.checked, 7);
    assert.match(result.firstBroken.reason, /altered/);
  });

  it('finds a chain rewritten from an edited record onwards (hashes redone), by the device signature and the server receipt', async () => {
    const device = await stored();
    // Someone with write access changes run r2's outcome and re-hashes every later record and
    // the device's ack, so that every link checks out again.
    let previous = { seq: 7, hash: device.written[6]!.hash };
    for (const original of device.written.slice(7)) {
      const payload = original.seq === 8 ? { ...original.payload, status: 'passed' } : original.payload;
      const forged = sealRecord({ id: original.id, deviceId: original.deviceId, ts: original.ts, type: original.type, automation: original.automation, runId: original.runId, user: original.user, payload }, previous);
      await db.query('UPDATE audit_records SET payload = $3::jsonb, prev_hash = $4, hash = $5 WHERE device_id = $1 AND seq = $2', [device.deviceId, forged.seq, JSON.stringify(forged.payload), forged.prevHash, forged.hash]);
      previous = { seq: forged.seq, hash: forged.hash };
    }
    await db.query('UPDATE devices SET ack_hash = $2 WHERE id = $1', [device.deviceId, previous.hash]);
    const result = await verify(device);
    assert.equal(result.ok, false, JSON.stringify(result));
    assert.equal(result.checked, 12, 'every link checks out');
    // The server's receipt holds every record hash of the batch: it names the rewritten record.
    assert.equal(result.firstBroken.seq, 8);
    assert.match(result.firstBroken.reason, /record 8 is not the record the server receipted/);
    const problems = result.problems as Array<{ seq: number; reason: string }>;
    assert.ok(problems.some((p) => p.seq === 1 && /signature over records 1-12 does not verify/.test(p.reason)), JSON.stringify(problems));
  });

  it('finds a deleted record', async () => {
    const device = await stored();
    await db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq = 5', [device.deviceId]);
    const result = await verify(device);
    assert.equal(result.ok, false);
    assert.equal(result.firstBroken.seq, 5);
    assert.match(result.firstBroken.reason, /missing/);
  });

  it('finds deleted records at the end of the chain', async () => {
    const device = await stored();
    await db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq >= 11', [device.deviceId]);
    const result = await verify(device);
    assert.equal(result.ok, false);
    assert.equal(result.firstBroken.seq, 11);
  });

  it('finds two swapped records', async () => {
    const device = await stored();
    // Swap the places of records 3 and 6 (seq is the position in the chain).
    await db.transaction(async (tx) => {
      await tx.query('UPDATE audit_records SET seq = -1 WHERE device_id = $1 AND seq = 3', [device.deviceId]);
      await tx.query('UPDATE audit_records SET seq = 3 WHERE device_id = $1 AND seq = 6', [device.deviceId]);
      await tx.query('UPDATE audit_records SET seq = 6 WHERE device_id = $1 AND seq = -1', [device.deviceId]);
    });
    const result = await verify(device);
    assert.equal(result.ok, false);
    assert.equal(result.firstBroken.seq, 3);
  });

  it('finds swapped contents that keep their seq', async () => {
    const device = await stored();
    await db.query(
      `UPDATE audit_records a SET payload = b.payload, type = b.type FROM audit_records b
       WHERE a.device_id = $1 AND b.device_id = $1 AND ((a.seq = 9 AND b.seq = 10) OR (a.seq = 10 AND b.seq = 9))`,
      [device.deviceId],
    );
    const result = await verify(device);
    assert.equal(result.ok, false);
    assert.equal(result.firstBroken.seq, 9);
  });

  it('checks long chains page by page', async () => {
    const device = await new FakeDevice().enroll(app);
    for (let b = 0; b < 13; b++) {
      const records = Array.from({ length: 500 }, (_, i) => device.record('log', `long-${b}`, { message: `line ${i}` }));
      assert.equal((await device.ingest(app, records)).status, 200);
    }
    await db.query(`UPDATE audit_records SET user_name = 'mallory' WHERE device_id = $1 AND seq = 6001`, [device.deviceId]);
    const result = await verify(device);
    assert.equal(result.firstBroken.seq, 6001);
    assert.equal(result.checked, 6000);
  });

  it('is for admins and auditors only, 404 for an unknown device', async () => {
    assert.equal((await call(app, 'GET', '/v1/devices/nobody/verify', ADMIN)).status, 404);
  });
});
