// The runs list names each run's automation ("Claims intake" v2.0.1), taken at ingest from the
// run.started record's signed payload, on real PostgreSQL: listed, found by the automation filter
// and the free text, kept when later batches of the run come, absent (null) for a run whose start
// the server never had, filled in by migration 009 for runs stored before it, and checked by the
// device's verification like the runs table's other derived columns.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AuditRecord } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { migrate } from './migrations/index.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

const AUTOMATION = { id: 'claims-intake', version: '2.0.1', sha256: 'b'.repeat(64) };
const NAME = 'Claims intake';

interface ListedRun {
  runId: string;
  automation: { id: string; version: string; name: string | null } | null;
}

/** A run as the engine writes it: run.started names the automation in its payload (engine/events.ts). */
function namedRun(device: FakeDevice, runId: string, name: unknown = NAME): AuditRecord[] {
  const options = { automation: AUTOMATION, ts: '2026-04-01T08:00:00.000Z' };
  return [
    device.record('run.started', runId, { automation: { ...AUTOMATION, name }, inputs: {}, headless: true, pid: 1, totalSteps: 1 }, options),
    device.record('step.succeeded', runId, { path: '0', kind: 'click', attempt: 1, durationMs: 5 }, options),
    device.record('run.finished', runId, { status: 'passed', durationMs: 9, outputs: {}, vars: {} }, options),
  ];
}

describe('automation names in the runs list (PostgreSQL)', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let device: FakeDevice;

  const runs = async (query = ''): Promise<ListedRun[]> => {
    const reply = await call(app, 'GET', `/v1/runs${query}`, ADMIN);
    assert.equal(reply.status, 200, reply.text);
    return reply.body.runs as unknown as ListedRun[];
  };
  const listed = async (runId: string, query = ''): Promise<ListedRun | undefined> => (await runs(query)).find((run) => run.runId === runId);
  const verify = async () => (await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    device = await new FakeDevice().enroll(app);
  });

  after(async () => {
    await app?.close();
    await drop?.();
  });

  it('stores the name the run.started record gives and lists it beside id and version', { timeout: 30_000 }, async () => {
    const reply = await device.ingest(app, namedRun(device, 'run-named'));
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual((await listed('run-named'))?.automation, { id: AUTOMATION.id, version: AUTOMATION.version, name: NAME });
    assert.equal((await verify()).ok, true, 'the derived name matches the records');
  });

  it('finds a run by part of its automation name, in the automation filter and the free text', { timeout: 30_000 }, async () => {
    assert.ok(await listed('run-named', '?automation=INTAKE'), 'the automation filter matches the name (the id has no "intake" with a space)');
    assert.ok(await listed('run-named', `?automation=${encodeURIComponent('claims INTAKE')}`), 'the automation filter matches "claims intake" in the name only');
    assert.ok(await listed('run-named', `?q=${encodeURIComponent('Claims intake')}`), 'the free text matches the name');
    assert.equal(await listed('run-named', '?automation=nothing-like-it'), undefined);
    // The export takes the runs list's filters: its records are the named run's.
    const exported = await call(app, 'GET', '/v1/export?format=ndjson&automation=INTAKE', ADMIN);
    assert.equal(exported.status, 200, exported.text);
    const runIds = new Set(exported.text.trim().split('\n').map((line) => (JSON.parse(line) as AuditRecord).runId));
    assert.deepEqual([...runIds], ['run-named']);
  });

  it('keeps the name when later batches of the run come, and has none for a run whose start it never had', { timeout: 30_000 }, async () => {
    const records = namedRun(device, 'run-split', 'Split run');
    assert.equal((await device.ingest(app, records.slice(0, 1))).status, 200);
    assert.equal((await device.ingest(app, records.slice(1))).status, 200);
    assert.equal((await listed('run-split'))?.automation?.name, 'Split run');
    // A run's start before the device enrolled, its name not a string, or empty: no name, the id stays.
    const options = { automation: AUTOMATION };
    const headless = [device.record('step.succeeded', 'run-headless', { path: '3', durationMs: 1 }, options), device.record('run.finished', 'run-headless', { status: 'failed' }, options)];
    assert.equal((await device.ingest(app, [...headless, ...namedRun(device, 'run-odd-name', { text: 'not a string' }), ...namedRun(device, 'run-empty-name', '')])).status, 200);
    for (const runId of ['run-headless', 'run-odd-name', 'run-empty-name']) assert.deepEqual((await listed(runId))?.automation, { id: AUTOMATION.id, version: AUTOMATION.version, name: null }, runId);
    assert.equal((await verify()).ok, true);
  });

  it('migration 009 names the runs stored before it from their records; the rest keep none', { timeout: 60_000 }, async () => {
    // The database as version 8 left it, holding what ingest stored then: no automation_name column.
    await db.query('ALTER TABLE runs DROP COLUMN automation_name');
    await db.query('DELETE FROM schema_migrations WHERE version = 9');
    assert.deepEqual(await migrate(db), [9]);
    assert.equal((await listed('run-named'))?.automation?.name, NAME);
    assert.equal((await listed('run-split'))?.automation?.name, 'Split run');
    for (const runId of ['run-headless', 'run-odd-name', 'run-empty-name']) assert.equal((await listed(runId))?.automation?.name, null, runId);
    assert.equal((await verify()).ok, true, 'what the migration wrote is what verification derives');
  });

  it('verification reports a name in the runs table that its run.started record does not give', { timeout: 30_000 }, async () => {
    await db.query(`UPDATE runs SET automation_name = 'Payroll export' WHERE run_id = 'run-named'`);
    const verdict = await verify();
    assert.equal(verdict.ok, false);
    const problems = verdict['problems'] as Array<{ reason: string }>;
    assert.ok(problems.some((p) => /run run-named in the runs table does not match its records: automation name "Payroll export", its run\.started record says "Claims intake"/.test(p.reason)), JSON.stringify(problems));
  });
});
