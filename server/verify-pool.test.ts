// Batch checks on verification workers (verify-pool.ts) against real PostgreSQL: the same
// verdicts as on the server thread, a batch refused after its first records were already
// streamed into its COPY leaves nothing behind, a worker that dies costs only its batch, and the
// server entry point reads AUDIT_VERIFY_THREADS.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AuditRecord } from '../audit/index.js';
import type { PreparedBatch } from './batch-prepare.js';
import type { SqlClient } from './db.js';
import { HttpError } from './http.js';
import { PendingBatch } from './pending-batch.js';
import { call, FakeDevice, freshPostgres, testServer, type Reply } from './test-support.js';
import { VerifyPool } from './verify-pool.js';

/** A full batch of 500 records (5 slices, so 5 COPY chunks on a worker). */
function fullBatch(device: FakeDevice, runId: string, count = 500): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < count; i++) records.push(device.record(i === 0 ? 'run.started' : 'step.succeeded', runId, { path: `steps[${i}]`, durationMs: i, message: 'x'.repeat(200) }));
  return records;
}

const storedCount = async (db: SqlClient, deviceId: string): Promise<number> =>
  Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [deviceId])).rows[0]!.n);

const rawIngest = async (app: FastifyInstance, token: string, payload: string, contentType = 'application/json'): Promise<Reply> => {
  const response = await app.inject({ method: 'POST', url: '/v1/ingest', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload });
  let body: Reply['body'];
  try {
    body = JSON.parse(response.body) as Reply['body'];
  } catch {
    body = {} as Reply['body'];
  }
  return { status: response.statusCode, body, text: response.body, headers: response.headers };
};

describe('verification workers (PostgreSQL)', () => {
  let db: SqlClient;
  let drop: () => Promise<void>;
  let workers: FastifyInstance;
  let inThread: FastifyInstance;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    workers = await testServer(db, { verifyThreads: 2 });
    inThread = await testServer(db, { verifyThreads: 0 });
  });
  after(async () => {
    await workers.close();
    await inThread.close();
    await drop();
  });

  it('refuses a full batch whose last record was altered, keeps nothing of it, and takes the corrected batch', async () => {
    const device = await new FakeDevice().enroll(workers);
    const records = fullBatch(device, 'altered-last');
    const tampered = [...records.slice(0, 499), { ...records[499]!, payload: { ...records[499]!.payload, durationMs: 1 } }];
    // Re-signed, so only the hash check can catch it, and only after the 4 chunks before it were written.
    const refused = await device.ingest(workers, tampered);
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error, 'bad_hash');
    assert.equal(refused.body.seq, 500);
    assert.equal(await storedCount(db, device.deviceId), 0);
    // Bad signature on a full batch: same, and the connections that rolled back their COPY still work.
    for (let i = 0; i < 8; i++) {
      const unsigned = { ...device.sign(records), signature: Buffer.alloc(64, i).toString('base64') };
      const reply = await call(workers, 'POST', '/v1/ingest', device.token, unsigned);
      assert.equal(reply.status, 401, reply.text);
      assert.equal(reply.body.error, 'bad_signature');
    }
    assert.equal(await storedCount(db, device.deviceId), 0);
    const accepted = await device.ingest(workers, records);
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.ackSeq, 500);
    assert.equal(await storedCount(db, device.deviceId), 500);
  });

  it('gives the same verdict on a worker as on the server thread, for every kind of bad batch', async () => {
    const device = await new FakeDevice().enroll(workers);
    const other = new FakeDevice();
    const good = fullBatch(device, 'verdicts');
    const signed = (records: AuditRecord[]) => JSON.stringify(device.sign(records));
    const cases: Array<[string, string, string?]> = [
      ['not JSON', '{"deviceId":'],
      ['empty body', ''],
      ['__proto__ key', `{"deviceId":"${device.deviceId}","records":[],"signature":"x","__proto__":{"polluted":true}}`],
      ['constructor.prototype', `{"deviceId":"${device.deviceId}","records":[{"constructor":{"prototype":{"x":1}}}],"signature":"x"}`],
      ['missing signature', JSON.stringify({ deviceId: device.deviceId, records: good })],
      ['another device', JSON.stringify(other.sign([other.record('log', 'r')]))],
      ['not consecutive', signed([good[0]!, good[2]!])],
      ['NUL in a payload', signed([...good.slice(0, 300), { ...good[300]!, payload: { ...good[300]!.payload, message: 'a\u0000b' } }])],
      ['signed by another key', JSON.stringify(device.sign(good, other.keys.privateKeyPem))],
      ['payload changed after sealing', signed([...good.slice(0, 250), { ...good[250]!, payload: { ...good[250]!.payload, durationMs: -1 } }, ...good.slice(251)])],
      ['two records swapped', signed([good[1]!, good[0]!, ...good.slice(2)])],
      ['text/plain', signed(good), 'text/plain'],
    ];
    for (const [name, payload, contentType] of cases) {
      const [onWorker, onThread] = [await rawIngest(workers, device.token, payload, contentType), await rawIngest(inThread, device.token, payload, contentType)];
      assert.ok(onWorker.status >= 400 && onWorker.status < 500, `${name}: ${onWorker.status} ${onWorker.text}`);
      assert.deepEqual({ status: onWorker.status, body: onWorker.body }, { status: onThread.status, body: onThread.body }, name);
    }
    assert.equal(await storedCount(db, device.deviceId), 0);
    assert.equal((await rawIngest(workers, device.token, signed(good))).status, 200);
  });

  it('stores what the server thread stores: the same rows from both, byte for byte', async () => {
    const device = await new FakeDevice().enroll(workers);
    const twin = await new FakeDevice().enroll(inThread);
    const tricky = { message: 'tab\there, new\nline, back\\slash, "quotes", ünïcödé, emoji 🧾, CR\r', nested: { b: [1, 2.5, null, true], a: '' } };
    const mine = [device.record('run.started', 'same', tricky), ...fullBatch(device, 'same', 499)];
    const theirs = [twin.record('run.started', 'same', tricky), ...fullBatch(twin, 'same', 499)];
    assert.equal((await device.ingest(workers, mine)).status, 200);
    assert.equal((await twin.ingest(inThread, theirs)).status, 200);
    const rows = async (deviceId: string) =>
      (
        await db.query<Record<string, unknown>>(
          'SELECT seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload::text AS payload, prev_hash <> \'\' AS linked FROM audit_records WHERE device_id = $1 ORDER BY seq',
          [deviceId],
        )
      ).rows.map((row): Record<string, unknown> => ({ ...row, id: undefined, ts: undefined, ts_at: undefined }));
    const [a, b] = [await rows(device.deviceId), await rows(twin.deviceId)];
    assert.equal(a.length, 500);
    assert.deepEqual(a, b);
    assert.match(String(a[0]!.payload), /tab\\there, new\\nline, back\\\\slash/);
  });

  it('fails only the batch a dying worker held, then replaces the worker', async () => {
    const pool = new VerifyPool(1);
    try {
      const device = new FakeDevice();
      const body = Buffer.from(JSON.stringify(device.sign(fullBatch(device, 'killed'))));
      const held = pool.prepare(Buffer.from(body), device.deviceId, device.keys.publicKeyPem);
      await pool.killOne();
      await assert.rejects(held.verified, /verification worker stopped/);
      assert.equal(pool.running, 0);
      const next = pool.prepare(Buffer.from(body), device.deviceId, device.keys.publicKeyPem);
      const prepared = await next.verified;
      assert.equal(prepared.count, 500);
      assert.equal(typeof prepared.detail, 'string', 'the detail crosses as one JSON string');
      assert.equal(next.chunks.reduce((lines, chunk) => lines + chunk.lineStarts.length, 0), 500);
      assert.equal(pool.running, 1);
      next.release();
    } finally {
      await pool.close();
    }
  });

  it('answers a batch whose worker died with 500 and no detail, and the device can re-send it', async () => {
    const pool = new VerifyPool(1);
    const app = await testServer(db, { verifyPool: pool });
    try {
      const device = await new FakeDevice().enroll(app);
      const records = fullBatch(device, 'resent');
      const sending = device.ingest(app, records);
      // Ended mid-check, as a crash would (a full batch takes the worker milliseconds).
      while (pool.busy === 0) await new Promise((resolve) => setImmediate(resolve));
      await pool.killOne();
      const failed = await sending;
      assert.equal(failed.status, 500, failed.text);
      assert.deepEqual(failed.body, { error: 'internal', message: 'internal server error' });
      assert.equal(await storedCount(db, device.deviceId), 0);
      const again = await device.ingest(app, records);
      assert.equal(again.status, 200, again.text);
      assert.equal(await storedCount(db, device.deviceId), 500);
    } finally {
      await app.close();
      await pool.close();
    }
  });
});

describe('PendingBatch', () => {
  const prepared = (lines: number): PreparedBatch => ({ signature: 's', firstSeq: 1, count: lines, firstPrevHash: 'p', lastHash: 'h', recordHashes: '', runsJson: '[]', detail: { hashes: [], times: [], runEvents: [] } });
  const chunk = (text: string) => ({ text: Buffer.from(text), lineStarts: [0] });

  it('streams chunks as they come and ends once verified', async () => {
    const given: string[] = [];
    const pending = new PendingBatch((text) => given.push(Buffer.from(text).toString()), true);
    pending.add(chunk('a\n'));
    const read: string[] = [];
    const reading = (async () => {
      for await (const text of pending.text()) read.push(Buffer.from(text).toString());
    })();
    await new Promise((resolve) => setImmediate(resolve));
    pending.add(chunk('b\n'));
    pending.resolve(prepared(2));
    await reading;
    assert.deepEqual(read, ['a\n', 'b\n']);
    pending.release();
    assert.deepEqual(given, ['a\n', 'b\n']);
    pending.add(chunk('late\n'));
    assert.deepEqual(given, ['a\n', 'b\n', 'late\n'], 'a chunk after release goes straight back');
  });

  it('throws the failed check from the stream, so a COPY fed from it fails', async () => {
    const pending = new PendingBatch(() => undefined, true);
    pending.add(chunk('a\n'));
    const read: string[] = [];
    const reading = (async () => {
      for await (const text of pending.text()) read.push(Buffer.from(text).toString());
    })();
    await new Promise((resolve) => setImmediate(resolve));
    pending.reject(new HttpError(400, { error: 'bad_hash', message: 'record 2 was altered' }));
    await assert.rejects(reading, /record 2 was altered/);
    await assert.rejects(pending.verified, /record 2 was altered/);
    assert.deepEqual(read, ['a\n']);
  });
});

describe('AUDIT_VERIFY_THREADS', () => {
  it('refuses to start the server with a value that is not a small whole number', { timeout: 60_000 }, async () => {
    const main = fileURLToPath(new URL('./main.js', import.meta.url));
    for (const value of ['two', '-1', '1.5', '99']) {
      const child = spawn(process.execPath, [main], {
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', AUDIT_DATA_DIR: 'memory://', AUDIT_VERIFY_THREADS: value, AUDIT_ADMIN_TOKEN: 'adm_verify_threads_0123456789' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (data: Buffer) => (output += data.toString()));
      child.stderr.on('data', (data: Buffer) => (output += data.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.notEqual(code, 0, `${value}: ${output}`);
      assert.match(output, /AUDIT_VERIFY_THREADS must be a whole number from 0 to 16/, value);
    }
  });
});
