// A large backlog (several batches) drains through the sync client, which keeps two batches
// in flight: every record reaches the server once, in order, and the outbox is marked synced.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { resolveHome } from '../../engine/home.js';
import { FakeRun } from '../../engine/store/fake-run.js';
import { RunStore } from '../../engine/store/run-store.js';
import { enroll, SyncClient } from '../../engine/sync/sync-client.js';
import { ADMIN, freshPostgres, PG_URL, testServer } from '../../server/test-support.js';
import { tempDir } from '../helpers/env.js';

describe('audit backlog drain', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  before(async () => {
    database = await freshPostgres();
  });
  after(async () => {
    await database.drop();
  });

  it('uploads 2,600 records in order with two batches in flight, and a second sync sends nothing', async () => {
    const app = await testServer(database.db);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const home = resolveHome({ RPA_HOME: tempDir('backlog') });
    const store = RunStore.open(home.storeFile);
    try {
      for (let r = 0; r < 100; r++) {
        const run = new FakeRun(`run-${r}`);
        store.record(run.started());
        for (let i = 0; i < 24; i++) store.record(run.next({ type: 'log', level: 'info', message: `line ${i} of run ${r}` }));
        store.record(run.finished());
      }
      const total = store.outbox.counts().total;
      assert.equal(total, 2_600);

      const token = await fetch(`${url}/v1/enrollment-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{}' });
      const config = await enroll(home, store.outbox, url, String(((await token.json()) as Record<string, unknown>)['enrollmentToken']));
      const client = new SyncClient(home, store.outbox, config);
      assert.deepEqual(await client.syncOnce(), { sent: 2_600, ackSeq: 2_600 });
      assert.equal(store.outbox.counts().pending, 0);
      assert.deepEqual(await client.syncOnce(), { sent: 0, ackSeq: 2_600 });

      const db = new pg.Client({ connectionString: PG_URL });
      await db.connect();
      try {
        const rows = await db.query(`SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, min(seq)::int AS lo, max(seq)::int AS hi FROM ${database.schema}.audit_records WHERE device_id = $1`, [config.deviceId]);
        assert.deepEqual(rows.rows[0], { n: 2_600, d: 2_600, lo: 1, hi: 2_600 });
      } finally {
        await db.end();
      }
    } finally {
      store.close();
      await app.close();
    }
  });
});
