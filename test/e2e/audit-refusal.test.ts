// Nothing a device writes is refused later, and a batch the server does refuse for good is said
// loudly instead of being re-sent in silence. The outbox seals records with the server's own
// schema (a NUL read from a document is replaced, a time PostgreSQL cannot hold is refused where
// it is made); a record an older version left in the outbox, which the server refuses with a
// 400, stops uploads visibly: rpa sync now (one line, exit 1), rpa sync status (UPLOAD BLOCKED,
// and `refused` in --json), the agent's log (an error, once) and its status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sealRecord } from '../../audit/index.js';
import { resolveHome, type RpaHome } from '../../engine/home.js';
import { openDatabase } from '../../engine/store/database.js';
import { FakeRun } from '../../engine/store/fake-run.js';
import { RunStore } from '../../engine/store/run-store.js';
import { AuditOutbox, AuditRecordInvalidError } from '../../engine/sync/outbox.js';
import { enroll, SyncClient, SyncRefusedError, type SyncConfig } from '../../engine/sync/sync-client.js';
import { ADMIN, call, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, runCli, tempDir } from '../helpers/env.js';

describe('audit records the server refuses', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    database = await freshPostgres();
    app = await testServer(database.db);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app.close();
    await database.drop();
  });

  const enrollHome = async (home: RpaHome): Promise<SyncConfig> => {
    const token = await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, {});
    const store = RunStore.open(home.storeFile);
    try {
      return await enroll(home, store.outbox, url, token.body.enrollmentToken);
    } finally {
      store.close();
    }
  };

  it('seals a NUL or lone surrogate from a step as U+FFFD, refuses a time the server cannot hold, and uploads the rest', async () => {
    const home = resolveHome({ RPA_HOME: tempDir('refusal-seal') });
    const config = await enrollHome(home);
    const store = RunStore.open(home.storeFile);
    try {
      const run = new FakeRun('run-nul');
      store.record(run.started());
      store.record(run.next({ type: 'log', level: 'info', message: 'read from the PDF: A\u0000B \ud800' }));
      const before = store.outbox.counts().total;
      const late = { ...run.next({ type: 'log', level: 'info', message: 'clock gone wrong' }), ts: '0000-01-01T00:00:00Z' };
      assert.throws(() => store.record(late), (error: unknown) => error instanceof AuditRecordInvalidError && /ts: expected an RFC 3339 date-time/.test(error.message));
      assert.equal(store.outbox.counts().total, before, 'nothing of the refused event was written');
      run.seq--; // the event was not recorded: the run goes on from the one before
      store.record(run.finished());

      const result = await new SyncClient(home, store.outbox, config).syncOnce();
      assert.deepEqual(result, { sent: 3, ackSeq: 3 });
      const stored = await call(app, 'GET', '/v1/runs/run-nul/records', ADMIN);
      assert.equal((stored.body.records[1]!.payload as { message: string }).message, 'read from the PDF: A\ufffdB \ufffd');
      assert.equal((await call(app, 'GET', `/v1/devices/${config.deviceId}/verify`, ADMIN)).body.ok, true);
    } finally {
      store.close();
    }
  });

  it('a batch refused for good stops uploads loudly: sync now, sync status, the agent log and status', async () => {
    const home = resolveHome({ RPA_HOME: tempDir('refusal-blocked') });
    const config = await enrollHome(home);
    const store = RunStore.open(home.storeFile);
    try {
      const run = new FakeRun('run-blocked');
      store.record(run.started());
      store.record(run.next({ type: 'log', level: 'info', message: 'fine' }));
    } finally {
      store.close();
    }
    // What an older version could have left in the outbox: a record, correctly chained, with a
    // time the server refuses; then more records behind it.
    const db = openDatabase(home.storeFile);
    try {
      const state = db.prepare('SELECT last_seq, last_hash FROM audit_state WHERE id = 1').get() as { last_seq: number; last_hash: string };
      const odd = sealRecord({ id: 'old-1', deviceId: config.deviceId, ts: '0000-01-01T00:00:00Z', type: 'log', automation: null, runId: 'run-blocked', user: 'robot', payload: { message: 'from an older version' } }, { seq: state.last_seq, hash: state.last_hash });
      db.prepare('INSERT INTO audit_outbox (seq, hash, record_json) VALUES (?, ?, ?)').run(odd.seq, odd.hash, JSON.stringify(odd));
      db.prepare('UPDATE audit_state SET last_seq = ?, last_hash = ? WHERE id = 1').run(odd.seq, odd.hash);
      const outbox = new AuditOutbox(db);
      const after = new FakeRun('run-after');
      outbox.append(after.started());
      outbox.append(after.finished());
    } finally {
      db.close();
    }

    const env = cliEnv(home.dir);
    const now = await runCli(['sync', 'now'], env);
    assert.equal(now.code, 1);
    const lines = now.stderr.trim().split('\n');
    assert.equal(lines.length, 1, now.stderr);
    assert.match(lines[0]!, /^rpa sync: audit server refused record 3 for good \(400\): invalid_batch: invalid batch: records\.0\.ts: expected an RFC 3339 date-time/);

    const status = await runCli(['sync', 'status'], env);
    assert.match(status.stdout, /UPLOAD BLOCKED since .*: the server refused record 3 \(400 invalid_batch: invalid batch: records\.0\.ts/);
    assert.match(status.stdout, /audit records: 5 written, 2 uploaded, 3 pending/);
    const json = JSON.parse((await runCli(['sync', 'status', '--json'], env)).stdout) as { refused: { firstSeq: number; lastSeq: number; status: number; error: string } | null; uploaded: number };
    assert.deepEqual([json.refused?.firstSeq, json.refused?.lastSeq, json.refused?.status, json.refused?.error, json.uploaded], [3, 3, 400, 'invalid_batch', 2]);

    // The agent's loop: an error in its log once, however often it asks again; its status says why.
    const store2 = RunStore.open(home.storeFile);
    try {
      const logged: Array<[string, string]> = [];
      const client = new SyncClient(home, store2.outbox, config, { maxBackoffMs: 100, log: (level, message) => logged.push([level, message]) });
      await assert.rejects(client.syncOnce(), SyncRefusedError);
      client.start();
      await new Promise((resolve) => setTimeout(resolve, 700));
      await client.stop();
      const errors = logged.filter(([level]) => level === 'error');
      assert.equal(errors.length, 1, JSON.stringify(logged));
      assert.match(errors[0]![1], /^audit upload blocked: audit server refused record 3 for good/);
      assert.deepEqual((client.status() as { refused: { firstSeq: number } | null }).refused?.firstSeq, 3);
      assert.equal(logged.filter(([level]) => level === 'warn').length, 0, 'a refusal is not the "server is away" warning');
    } finally {
      store2.close();
    }
  });
});
