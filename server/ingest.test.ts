// Ingest against real PostgreSQL: signed batches, seq rules, tampering, wrong keys, speed.
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { signBatch, generateDeviceKeys, type AuditRecord } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer, withDeviceRowHeld } from './test-support.js';

describe('POST /v1/ingest (PostgreSQL)', () => {
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
  /** The test server on a real socket (some tests need to hold a request body back). */
  const listening = async (): Promise<number> => {
    if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
    return (app.server.address() as AddressInfo).port;
  };

  it('accepts signed batches and advances the ack', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.deepEqual((await call(app, 'GET', `/v1/devices/${device.deviceId}/ack`, device.token)).body, { seq: 0, hash: '0'.repeat(64) });
    const first = device.run('run-a', 'passed');
    const reply = await device.ingest(app, first);
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.ackSeq, 4);
    const second = await device.ingest(app, device.run('run-b', 'failed'));
    assert.equal(second.body.ackSeq, 8);
    const ack = await call(app, 'GET', `/v1/devices/${device.deviceId}/ack`, device.token);
    assert.deepEqual(ack.body, { seq: 8, hash: device.written[7]!.hash });
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId]);
    assert.equal(Number(stored.rows[0]!.n), 8);
  });

  it('places two batches of a device sent at once in order (the sync client keeps two in flight)', async () => {
    const device = await new FakeDevice().enroll(app);
    const batches = Array.from({ length: 6 }, (_, i) => device.run(`pipelined-${i}`, 'passed', 30));
    const replies = await Promise.all(batches.map((batch) => device.ingest(app, batch)));
    assert.deepEqual(
      replies.map((reply) => reply.status),
      replies.map(() => 200),
      replies.map((reply) => reply.text).join('\n'),
    );
    assert.deepEqual(
      replies.map((reply) => reply.body.ackSeq),
      batches.map((batch) => batch[batch.length - 1]!.seq),
    );
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId]);
    assert.equal(Number(stored.rows[0]!.n), 6 * 32);
  });

  it('stores every character a record may hold exactly as sent (the COPY text escaping)', async () => {
    const device = await new FakeDevice().enroll(app);
    const awkward = 'back\\slash \\N \\. tab\there new\nline cr\rend "quoted" é \u2028 🙂';
    const runId = 'run\\with\ttab';
    const records = [
      device.record('run.started', runId, { message: awkward, nested: { [awkward]: [awkward, 1.5, null] } }, { user: awkward, ts: '2026-12-05T10:00:00.5+01:00' }),
      device.record('step.succeeded', runId, { path: 'steps[1]' }, { automation: null }),
      device.record('run.finished', runId, { status: 'passed' }, { automation: { id: awkward, version: '\\N', sha256: '\t' } }),
    ];
    const reply = await device.ingest(app, records);
    assert.equal(reply.status, 200, reply.text);
    const stored = await call(app, 'GET', `/v1/runs/${encodeURIComponent(runId)}/records`, ADMIN);
    assert.equal(stored.status, 200, stored.text);
    assert.deepEqual(stored.body.records, records);
    const times = await db.query<{ ts_at: unknown }>('SELECT ts_at FROM audit_records WHERE device_id = $1 ORDER BY seq', [device.deviceId]);
    assert.equal((times.rows[0]!.ts_at as Date).toISOString(), '2026-12-05T09:00:00.500Z', 'ts kept as sent, ts_at its instant');
    assert.notEqual(times.rows[1]!.ts_at, null);
    const verified = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN);
    assert.deepEqual(verified.body, { deviceId: device.deviceId, ok: true, checked: 3, signedBatches: 1, receipts: 1, anchorSeq: 0 });
  });

  it('keeps a batch whose body is still arriving ahead of the next one, which overtook it (over HTTP)', async () => {
    const device = await new FakeDevice().enroll(app);
    const port = await listening();
    const slow = Buffer.from(JSON.stringify(device.sign(device.run('slow', 'passed', 200))));
    const fast = JSON.stringify(device.sign(device.run('fast', 'passed', 200)));
    const post = (length: number) =>
      request({ host: '127.0.0.1', port, path: '/v1/ingest', method: 'POST', headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json', 'content-length': length } });
    const answer = (req: ClientRequest) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        req.on('error', reject);
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
      });
    const first = post(slow.length);
    const firstAnswer = answer(first);
    first.write(slow.subarray(0, 1000)); // headers and a little of the body: the rest is held back
    const second = post(Buffer.byteLength(fast));
    const secondAnswer = answer(second);
    second.end(fast);
    // The second batch is checked and meets its gap meanwhile; it must wait for the first, not answer 409.
    const early = await Promise.race([secondAnswer, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000))]);
    first.end(slow.subarray(1000));
    assert.equal(early, undefined, `the second batch was answered before the first had arrived: ${JSON.stringify(early)}`);
    const [a, b] = await Promise.all([firstAnswer, secondAnswer]);
    assert.deepEqual([a.status, b.status], [200, 200], `${a.body}\n${b.body}`);
    assert.equal((JSON.parse(b.body) as { ackSeq: number }).ackSeq, 404);
  });

  it('does not hold up a device after one of its uploads was abandoned half-way', { timeout: 20_000 }, async () => {
    const device = await new FakeDevice().enroll(app);
    const port = await listening();
    const body = Buffer.from(JSON.stringify(device.sign(device.run('abandoned', 'passed', 20))));
    const abandoned = request({ host: '127.0.0.1', port, path: '/v1/ingest', method: 'POST', headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json', 'content-length': body.length } });
    abandoned.on('error', () => undefined);
    abandoned.write(body.subarray(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has its headers by now
    abandoned.destroy();
    // A gapped batch finds no other batch of the device on its way (the abandoned one left its
    // lane): it is answered at once instead of waiting for a batch that never comes.
    const gapped = await device.ingest(app, device.run('after', 'passed'));
    assert.equal(gapped.status, 409, gapped.text);
    assert.equal(gapped.body.expectedSeq, 1);
  });

  it('survives being picked by PostgreSQL to break a deadlock with another writer (as with several server processes)', { timeout: 30_000 }, async () => {
    const device = await new FakeDevice().enroll(app);
    const records = device.run('deadlock', 'passed', 40);
    let victim: 'ingest' | 'other writer' = 'ingest';
    // Another writer holds the device row, as a second server placing this device's batch would;
    // the batch's records are COPYed (uncommitted), then its placement waits for the device row.
    const reply = await withDeviceRowHeld(db, device.deviceId, () => device.ingest(app, records), async (other) => {
      // Now the other writer needs seq 1, which the batch holds: a cycle PostgreSQL breaks after
      // deadlock_timeout by failing whichever side checks first — the batch, which waited longest.
      try {
        await other.query(
          "INSERT INTO audit_records (device_id, seq, id, ts, type, run_id, user_name, payload, prev_hash, hash) VALUES ($1, 1, 'x', 'x', 'x', 'x', 'x', '{}', 'x', 'x')",
          [device.deviceId],
        );
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01') throw error;
        victim = 'other writer';
      }
    });
    assert.equal(reply.status, 200, `${reply.text} (deadlock victim: ${victim})`);
    assert.equal(reply.body.ackSeq, records.length);
    assert.equal(victim, 'ingest', 'the batch, waiting longest, is the one PostgreSQL fails; it must then be placed again');
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId]);
    assert.equal(Number(stored.rows[0]!.n), records.length);
    const verify = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN);
    assert.equal(verify.body.ok, true, verify.text);
  });

  it('keeps one chain with two servers on one database taking turns at a device\'s batches (gaps answered, re-sent)', { timeout: 60_000 }, async () => {
    const second = await testServer(db);
    try {
      const device = await new FakeDevice().enroll(app);
      const records: AuditRecord[] = [];
      for (let i = 0; i < 30; i++) records.push(...device.run(`two-servers-${i}`, 'passed', 48));
      const bodyFrom = (from: number) => device.sign(records.slice(from, from + 50));
      // Like the sync client: two batches in flight, each to the next server in turn; on a gap
      // (one overtook the other on the other server) go back to the seq the server expects.
      let next = 0;
      let turn = 0;
      let gaps = 0;
      while (next < records.length) {
        const starts = [next, next + 50].filter((from) => from < records.length);
        const replies = await Promise.all(starts.map((from) => call(turn++ % 2 ? second : app, 'POST', '/v1/ingest', device.token, bodyFrom(from))));
        for (const reply of replies) {
          if (reply.status === 409 && reply.body.error === 'gap') gaps++;
          else assert.equal(reply.status, 200, reply.text);
        }
        const ack = await call(app, 'GET', `/v1/devices/${device.deviceId}/ack`, device.token);
        next = ack.body.seq;
      }
      const stored = await db.query<{ n: string; seqs: string }>('SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM audit_records WHERE device_id = $1', [device.deviceId]);
      assert.deepEqual({ n: Number(stored.rows[0]!.n), seqs: Number(stored.rows[0]!.seqs) }, { n: records.length, seqs: records.length });
      const verify = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN);
      assert.equal(verify.body.ok, true, verify.text);
      const runs = await db.query<{ total: string }>('SELECT sum(record_count) AS total FROM runs WHERE device_id = $1', [device.deviceId]);
      assert.equal(Number(runs.rows[0]!.total), records.length, `runs count each record once (${gaps} gaps answered on the way)`);
    } finally {
      await second.close();
    }
  });

  it('answers a gap with 409 and the expected seq', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('r1', 'passed'))).status, 200);
    device.run('r2', 'passed'); // written but never sent: seqs 5-8
    const reply = await device.ingest(app, device.run('r3', 'passed'));
    assert.equal(reply.status, 409);
    assert.equal(reply.body.error, 'gap');
    assert.equal(reply.body.expectedSeq, 5);
  });

  it('ignores a re-sent batch and accepts one overlapping the ack', async () => {
    const device = await new FakeDevice().enroll(app);
    const batch = device.run('r1', 'passed');
    assert.equal((await device.ingest(app, batch)).status, 200);
    const again = await device.ingest(app, batch);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, { ackSeq: 4, accepted: 0, duplicates: 4 });
    const overlapping = [...batch.slice(2), ...device.run('r2', 'passed')];
    const reply = await device.ingest(app, overlapping);
    assert.deepEqual({ ...reply.body, receipt: undefined }, { ackSeq: 8, accepted: 4, duplicates: 2, receipt: undefined });
  });

  it('answers a same-seq record with another hash with 409 conflict', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('r1', 'passed'))).status, 200);
    const forked = new FakeDevice();
    Object.assign(forked, { deviceId: device.deviceId, keys: device.keys, token: device.token });
    const reply = await forked.ingest(app, forked.run('other', 'failed'));
    assert.equal(reply.status, 409, reply.text);
    assert.equal(reply.body.error, 'conflict');
    assert.equal(reply.body.seq, 1);
  });

  it('rejects a batch whose payload was changed after sealing (400) even when re-signed', async () => {
    const device = await new FakeDevice().enroll(app);
    const records = device.run('r1', 'passed');
    records[1] = { ...records[1]!, payload: { ...records[1]!.payload, durationMs: 1 } };
    const reply = await device.ingest(app, records); // signature fine, hash of record 2 not
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error, 'bad_hash');
    assert.equal(reply.body.seq, 2);
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/ack`, device.token)).body.seq, 0);
  });

  it('rejects a batch changed after signing and one signed with another key', async () => {
    const device = await new FakeDevice().enroll(app);
    const batch = device.sign(device.run('r1', 'passed'));
    const tampered = { ...batch, records: batch.records.map((r, i) => (i === 0 ? { ...r, user: 'mallory' } : r)) };
    const changed = await call(app, 'POST', '/v1/ingest', device.token, tampered);
    assert.equal(changed.status, 401);
    assert.equal(changed.body.error, 'bad_signature');
    const otherKey = await call(app, 'POST', '/v1/ingest', device.token, signBatch(device.deviceId, batch.records, generateDeviceKeys().privateKeyPem));
    assert.equal(otherKey.status, 401);
    assert.equal(otherKey.body.error, 'bad_signature');
  });

  it("refuses a batch naming another device (403) and an unknown device token (401)", async () => {
    const a = await new FakeDevice().enroll(app);
    const b = await new FakeDevice().enroll(app);
    const reply = await call(app, 'POST', '/v1/ingest', a.token, b.sign(b.run('r', 'passed')));
    assert.equal(reply.status, 403);
    const stranger = new FakeDevice();
    stranger.token = 'dev_not_enrolled';
    assert.equal((await stranger.ingest(app, stranger.run('r', 'passed'))).status, 401);
    assert.equal((await call(app, 'POST', '/v1/ingest', undefined, stranger.sign(stranger.written))).status, 401);
  });

  it('validates the batch with a clear 400', async () => {
    const device = await new FakeDevice().enroll(app);
    const records = device.run('r1', 'passed');
    const missing = await call(app, 'POST', '/v1/ingest', device.token, { deviceId: device.deviceId, records });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /signature/);
    const extra = await call(app, 'POST', '/v1/ingest', device.token, { ...device.sign(records), extra: 1 });
    assert.equal(extra.status, 400);
    const notConsecutive = await device.ingest(app, [records[0]!, records[2]!]);
    assert.equal(notConsecutive.status, 400);
    assert.match(notConsecutive.body.message, /consecutive/);
    const malformed = await app.inject({ method: 'POST', url: '/v1/ingest', headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' }, payload: '{"deviceId":' });
    assert.equal(malformed.statusCode, 400);
    const nul = device.record('log', 'r2', { message: 'a\u0000b' });
    const nulReply = await device.ingest(app, [...records, nul]);
    assert.equal(nulReply.status, 400);
    assert.match(nulReply.body.message, /NUL/);
  });

  it('rejects a body over the limit with 413', async () => {
    const device = await new FakeDevice().enroll(app);
    const huge = device.record('log', 'big', { message: 'x'.repeat(6 * 1024 * 1024) });
    assert.equal((await device.ingest(app, [huge])).status, 413);
  });

  it('stores full batches of 500 from four devices at once, each record once (speed: bench/audit)', async () => {
    const devices = await Promise.all(Array.from({ length: 4 }, () => new FakeDevice().enroll(app)));
    const payloads = devices.map((device) =>
      Array.from({ length: 5 }, (_, b) => {
        const records = [];
        for (let i = 0; i < 500; i++) records.push(device.record(i % 100 === 0 ? 'run.started' : 'step.succeeded', `full-${b}-${Math.floor(i / 100)}`, { path: `steps[${i}]`, durationMs: i, message: 'ok' }));
        return JSON.stringify(device.sign(records));
      }),
    );
    await Promise.all(
      devices.map(async (device, d) => {
        for (const payload of payloads[d]!) {
          const reply = await app.inject({ method: 'POST', url: '/v1/ingest', headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' }, payload });
          assert.equal(reply.statusCode, 200, reply.body);
        }
      }),
    );
    for (const device of devices) {
      const stored = await db.query<{ n: string; runs: string }>('SELECT count(*) AS n, count(DISTINCT run_id) AS runs FROM audit_records WHERE device_id = $1', [device.deviceId]);
      assert.deepEqual({ n: Number(stored.rows[0]!.n), runs: Number(stored.rows[0]!.runs) }, { n: 2_500, runs: 25 });
      const runs = await db.query<{ total: string }>('SELECT sum(record_count) AS total FROM runs WHERE device_id = $1', [device.deviceId]);
      assert.equal(Number(runs.rows[0]!.total), 2_500);
    }
  });
});
