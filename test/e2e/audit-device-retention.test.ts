// The device's proof after the server's retention deleted the start of its chain: records below a
// chain anchor the server signed (and that is the device's own record) are accepted as deleted;
// a chain start deleted by hand with an anchor row written ("fake retention") is named from the
// device. Real PostgreSQL-backed server over HTTP, real SQLite run store on the device side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../engine/store/database.js';
import { verifyServerHoldings } from '../../engine/sync/device-verify.js';
import { AuditOutbox } from '../../engine/sync/outbox.js';
import { ReceiptStore } from '../../engine/sync/receipts.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from '../../server/test-support.js';

describe('rpa sync verify after retention (PostgreSQL, SQLite)', { timeout: 120_000 }, () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    database = await freshPostgres();
    app = await testServer(database.db);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app?.close();
    await database?.drop();
  });

  /** A device whose run store holds its records and the receipts for two uploaded batches: 1-8 (old), 9-16. */
  async function device() {
    const fake = await new FakeDevice().enroll(app);
    const db = openDatabase(':memory:');
    const receipts = new ReceiptStore(db);
    receipts.pin(url, String((await call(app, 'GET', '/v1/server-key')).body['publicKey']));
    const batches = [[...fake.run('old-1', 'passed', 2, { ts: '2012-01-01T00:00:00.000Z' }), ...fake.run('old-2', 'failed', 2, { ts: '2012-01-01T00:00:00.000Z' })], [...fake.run('new-1', 'passed'), ...fake.run('new-2', 'passed')]];
    for (const records of batches) {
      for (const record of records) db.prepare('INSERT INTO audit_outbox (seq, hash, record_json) VALUES (?, ?, ?)').run(record.seq, record.hash, JSON.stringify(record));
      const reply = await fake.ingest(app, records);
      assert.equal(reply.status, 200, reply.text);
      receipts.accept(reply.body['receipt'], fake.deviceId, records);
    }
    const connection = { serverUrl: url, deviceId: fake.deviceId, deviceToken: fake.token };
    return { fake, outbox: new AuditOutbox(db), connection };
  }

  it('accepts records deleted by a signed retention run, and names a fake one', async () => {
    const honest = await device();
    const faked = await device();
    assert.equal((await verifyServerHoldings(honest.outbox, honest.connection)).ok, true);

    await database.db.query('UPDATE audit_records SET received_at = ts_at WHERE ts_at < $1', ['2020-01-01T00:00:00Z']);
    const applied = await call(app, 'POST', '/v1/retention/apply', ADMIN, {});
    assert.equal(applied.status, 200, applied.text);
    const afterRetention = await verifyServerHoldings(honest.outbox, honest.connection);
    assert.equal(afterRetention.ok, true, JSON.stringify(afterRetention.problems));
    assert.equal(afterRetention.anchorSeq, 8);
    assert.equal(afterRetention.compared, 8, 'records 9-16 compared; 1-8 deleted by the signed retention run');

    // The second device's chain start is gone too (retention ran for it), so tamper with its
    // anchor: moved forward over records retention kept, as if retention had deleted them.
    await database.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq <= 12', [faked.fake.deviceId]);
    await database.db.query('UPDATE chain_anchors SET seq = 12, hash = $2 WHERE device_id = $1', [faked.fake.deviceId, faked.fake.written[11]!.hash]);
    const result = await verifyServerHoldings(faked.outbox, faked.connection);
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]!.seq, 9, 'records 1-8 went by the signed retention run; 9-12 did not');
    assert.match(result.problems[0]!.reason, /the server's chain starts after record 12, but the retention it signed deleted records up to 8 only/);
    assert.ok(result.problems.some((p) => p.seq === 9 && /record 9 is receipted but missing on the server/.test(p.reason)), JSON.stringify(result.problems));

    // And a chain start deleted where no retention ever ran: a third device, no anchor entry at all.
    const third = await device();
    await database.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq <= 4', [third.fake.deviceId]);
    await database.db.query('INSERT INTO chain_anchors (device_id, seq, hash) VALUES ($1, 4, $2)', [third.fake.deviceId, third.fake.written[3]!.hash]);
    const fake = await verifyServerHoldings(third.outbox, third.connection);
    assert.equal(fake.ok, false);
    assert.equal(fake.problems[0]!.seq, 1);
    assert.match(fake.problems[0]!.reason, /deleted records 1-4 without a retention anchor signed by its key/);
  });
});
