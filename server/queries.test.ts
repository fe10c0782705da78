// Runs, run records, devices and export against real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashRecord, type AuditRecord } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

describe('runs, devices and export (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let a: FakeDevice;
  let b: FakeDevice;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    a = await new FakeDevice().enroll(app);
    b = await new FakeDevice().enroll(app);
    // 10 runs on a (alice, 5 passed / 5 failed), 3 on b (bob, passed); one minute apart.
    const base = Date.parse('2025-03-01T08:00:00.000Z');
    const at = (i: number) => new Date(base + i * 60_000).toISOString();
    const aRecords = Array.from({ length: 10 }, (_, i) => a.run(`a-${i}`, i % 2 ? 'failed' : 'passed', 1, { ts: at(i), user: 'alice', automationId: i < 5 ? 'invoices' : 'payroll' })).flat();
    assert.equal((await a.ingest(app, aRecords.slice(0, 17))).status, 200); // split mid-run
    assert.equal((await a.ingest(app, aRecords.slice(17))).status, 200);
    const bRecords = Array.from({ length: 3 }, (_, i) => b.run(`b-${i}`, 'passed', 1, { ts: at(20 + i), user: 'bob' })).flat();
    assert.equal((await b.ingest(app, bRecords)).status, 200);
    const running = b.record('run.started', 'b-open', {}, { ts: at(30), user: 'bob' });
    assert.equal((await b.ingest(app, [running])).status, 200);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  const runs = async (query: string) => {
    const reply = await call(app, 'GET', `/v1/runs${query}`, ADMIN);
    assert.equal(reply.status, 200, reply.text);
    return reply.body;
  };

  it('lists runs newest first with their status kept up to date on ingest', async () => {
    const page = await runs('');
    assert.equal(page.runs.length, 14);
    assert.deepEqual(page.runs.slice(0, 2).map((r) => [r.runId, r.status]), [['b-open', 'running'], ['b-2', 'passed']]);
    const split = page.runs.find((r) => r.runId === 'a-5')!;
    assert.equal(split.status, 'failed');
    assert.equal(split.records, 3);
    assert.ok(split.endedAt);
    assert.equal(page.nextCursor, null);
  });

  it('filters by device, user, automation, status and time', async () => {
    assert.equal((await runs(`?device=${b.deviceId}`)).runs.length, 4);
    assert.equal((await runs('?user=alice')).runs.length, 10);
    assert.equal((await runs('?automation=payroll')).runs.length, 5);
    assert.deepEqual((await runs('?user=alice&status=failed&automation=invoices')).runs.map((r) => r.runId), ['a-3', 'a-1']);
    assert.deepEqual((await runs('?from=2025-03-01T08:02:00Z&to=2025-03-01T08:04:00Z')).runs.map((r) => r.runId), ['a-3', 'a-2']);
  });

  it('pages with a cursor without losing or repeating runs', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await runs(`?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.runs.map((r) => r.runId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 4);
    assert.deepEqual(seen, (await runs('')).runs.map((r) => r.runId));
    const filtered = await runs('?user=alice&limit=3');
    const next = await runs(`?user=alice&limit=3&cursor=${encodeURIComponent(filtered.nextCursor!)}`);
    assert.deepEqual(next.runs.map((r) => r.runId), ['a-6', 'a-5', 'a-4']);
  });

  it("returns a run's records in order, exactly as signed", async () => {
    const reply = await call(app, 'GET', '/v1/runs/a-5/records', ADMIN);
    assert.equal(reply.status, 200);
    const records = reply.body.records;
    assert.deepEqual(records.map((r) => r.type), ['run.started', 'step.succeeded', 'run.finished']);
    assert.deepEqual(records, a.written.filter((r) => r.runId === 'a-5'));
    for (const record of records) assert.equal(hashRecord(record), record.hash);
    assert.equal((await call(app, 'GET', '/v1/runs/none/records', ADMIN)).status, 404);
  });

  it('lists devices with last seen and ack', async () => {
    const reply = await call(app, 'GET', '/v1/devices', ADMIN);
    const devices = reply.body.devices;
    assert.deepEqual(devices.map((d) => [d.id, d.ackSeq]), [[a.deviceId, 30], [b.deviceId, 10]]);
    assert.ok(devices.every((d) => d.lastSeenAt));
  });

  it('exports NDJSON records that re-hash, with filters', async () => {
    const reply = await app.inject({ method: 'GET', url: `/v1/export?format=ndjson&device=${a.deviceId}`, headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(reply.statusCode, 200);
    assert.match(String(reply.headers['content-type']), /ndjson/);
    const lines = reply.body.trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
    assert.equal(lines.length, 30);
    assert.deepEqual(lines, a.written);
    const run = await app.inject({ method: 'GET', url: '/v1/export?run=b-1&type=run.finished', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(run.body.trim().split('\n').length, 1);
    const window = await app.inject({ method: 'GET', url: '/v1/export?from=2025-03-01T08:20:00Z&to=2025-03-01T08:21:00Z', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(window.body.trim().split('\n').length, 3);
  });

  it('exports CSV with a header and quoted JSON payloads', async () => {
    const reply = await app.inject({ method: 'GET', url: '/v1/export?format=csv&user=bob', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(reply.statusCode, 200);
    assert.match(String(reply.headers['content-type']), /text\/csv/);
    const rows = reply.body.trimEnd().split('\r\n');
    assert.equal(rows[0], 'deviceId,seq,id,ts,type,runId,automationId,automationVersion,automationSha256,user,payload,prevHash,hash');
    assert.equal(rows.length, 11);
    assert.ok(rows[1]!.startsWith(`${b.deviceId},1,`));
    assert.match(rows[1]!, /,"\{""headless"":true/);
  });

  it('counts runs by status in /metrics', async () => {
    const text = (await call(app, 'GET', '/metrics', ADMIN)).text;
    assert.match(text, /audit_runs\{status="passed"\} 8/);
    assert.match(text, /audit_runs\{status="failed"\} 5/);
    assert.match(text, /audit_runs\{status="running"\} 1/);
    assert.match(text, /audit_ingest_batches_total\{result="accepted"\} 4/);
    assert.match(text, /audit_records 40/);
  });
});
