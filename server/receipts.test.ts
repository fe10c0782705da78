// Receipts against real PostgreSQL: each accepted batch is answered with an entry of the server's
// log, signed with the server's key (published at GET /v1/server-key), stating the batch's range
// and a digest of its record hashes; the device can fetch its receipts and the hashes the server
// holds now (GET /v1/devices/:id/proof).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { checkLogEntry, ReceiptSchema, recordsDigest } from '../audit/index.js';
import type { Queryable, SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer, withDeviceRowHeld } from './test-support.js';

/** db with every round trip of its transactions written down: BEGIN, each statement (its name, else its text), COPY, COMMIT. */
function countingDb(db: SqlClient, trips: string[]): SqlClient {
  const counted = (tx: Queryable): Queryable => ({
    query: (sql, params, name) => (trips.push(name ?? sql.replace(/\s+/g, ' ').trim()), tx.query(sql, params, name)),
    ...(tx.copyFrom ? { copyFrom: (sql: string, data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => (trips.push('COPY'), tx.copyFrom!(sql, data)) } : {}),
  });
  return {
    kind: db.kind,
    query: (sql, params, name) => db.query(sql, params, name),
    close: () => db.close(),
    async transaction(fn) {
      trips.push('BEGIN');
      const result = await db.transaction((tx) => fn(counted(tx)));
      trips.push('COMMIT');
      return result;
    },
  };
}

describe('receipts and proofs (PostgreSQL)', { timeout: 60_000 }, () => {
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

  it('answers each accepted batch with a receipt signed by the published server key', async () => {
    const key = await call(app, 'GET', '/v1/server-key');
    assert.equal(key.status, 200);
    assert.match(String(key.body['publicKey']), /BEGIN PUBLIC KEY/);
    const device = await new FakeDevice().enroll(app);
    const first = device.run('r1', 'passed');
    const second = device.run('r2', 'failed');
    const replies = [await device.ingest(app, first), await device.ingest(app, second)];
    for (const [index, records] of [first, second].entries()) {
      const receipt = ReceiptSchema.parse(replies[index]!.body['receipt']);
      assert.equal(receipt.deviceId, device.deviceId);
      assert.deepEqual([receipt.firstSeq, receipt.lastSeq], [records[0]!.seq, records.at(-1)!.seq]);
      assert.equal(receipt.lastHash, records.at(-1)!.hash);
      assert.equal(receipt.recordsDigest, recordsDigest(records.map((r) => r.hash)));
      assert.equal(checkLogEntry(receipt, String(key.body['publicKey'])), true);
      assert.equal(checkLogEntry({ ...receipt, lastSeq: receipt.lastSeq + 1 }, String(key.body['publicKey'])), false, 'any change breaks it');
    }
    const r1 = ReceiptSchema.parse(replies[0]!.body['receipt']);
    const r2 = ReceiptSchema.parse(replies[1]!.body['receipt']);
    assert.equal(r2.n, r1.n + 1);
    assert.equal(r2.prevHash, r1.hash, 'the log is one chain');

    // A re-sent batch places nothing new and gets no new receipt.
    const resent = await device.ingest(app, first);
    assert.equal(resent.status, 200);
    assert.equal(resent.body['receipt'], undefined);

    const listed = await call(app, 'GET', `/v1/devices/${device.deviceId}/receipts?after=4`, device.token);
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual((listed.body['receipts'] as unknown[]).map((r) => ReceiptSchema.parse(r).n), [r2.n]);

    const proof = await call(app, 'GET', `/v1/devices/${device.deviceId}/proof?from=3&to=8`, device.token);
    assert.equal(proof.status, 200, proof.text);
    assert.deepEqual(proof.body['ack'], { seq: 8, hash: second.at(-1)!.hash });
    assert.deepEqual(proof.body['records'], [...first, ...second].slice(2).map((r) => ({ seq: r.seq, hash: r.hash })));

    // Another device may not read them; an auditor may; ranges are bounded.
    const other = await new FakeDevice().enroll(app);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/proof?from=1&to=2`, other.token)).status, 403);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/receipts`, other.token)).status, 403);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/proof?from=1&to=8`, ADMIN)).status, 200);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/proof?from=5&to=1`, ADMIN)).status, 400);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/proof?from=1&to=9000`, ADMIN)).status, 400);
    void db;
  });

  it('writes a batch that follows the ack, with its receipt, in five round trips, locking its device row before the log head', { timeout: 30_000 }, async () => {
    const trips: string[] = [];
    const counting = await testServer(countingDb(db, trips), { verifyThreads: 0 });
    const device = await new FakeDevice().enroll(counting);
    try {
      trips.length = 0;
      const first = await device.ingest(counting, device.run('trips', 'passed', 20));
      assert.equal(first.status, 200, first.text);
      const receipt = ReceiptSchema.parse(first.body['receipt']);
      assert.deepEqual(trips, ['BEGIN', 'COPY', 'ingest_lock_device_head', 'ingest_place_logged', 'COMMIT'], 'BEGIN, COPY, device + head lock, place + log append, COMMIT');

      // While another writer holds the device row, the batch waits for it without holding the log's
      // head: any other device may append meanwhile (the lock order device, then head, everywhere).
      const records = device.run('waits', 'passed', 5);
      let appended: ReturnType<typeof ReceiptSchema.parse> | undefined;
      const second = await withDeviceRowHeld(db, device.deviceId, () => device.ingest(counting, records), async () => {
        const elsewhere = await new FakeDevice().enroll(app);
        const reply = await elsewhere.ingest(app, elsewhere.run('meanwhile', 'passed'));
        assert.equal(reply.status, 200, reply.text);
        appended = ReceiptSchema.parse(reply.body['receipt']);
      });
      assert.equal(second.status, 200, second.text);
      const next = ReceiptSchema.parse(second.body['receipt']);
      assert.ok(appended && appended.n > receipt.n);
      assert.equal(next.n, appended.n + 1, 'the waiting batch read the head as it was after the other append committed');
      assert.equal(next.prevHash, appended.hash, 'one chain');
      const verify = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN);
      assert.equal(verify.body['ok'], true, verify.text);
    } finally {
      await counting.close();
    }
  });
});
