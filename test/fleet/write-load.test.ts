// What one state change of a queue item writes in PostgreSQL (migration 008): a heartbeat —
// which only moves the lease's expiry — is a HOT update (no index entry written), and the sweep
// of expired leases and the queue's counts still find their rows through an index when the
// queue holds many done items, with the counts, events and attempts as before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPgClient, type SqlClient } from '../../server/db.js';
import { migrate } from '../../server/migrations/index.js';
import { extendLease, settleAndLease, sweepQueue } from '../../server/queues/queue-sql.js';
import { freshSchema, PG_URL, planNodes, seedInvoicesQueue, type PlanNode } from '../helpers/fleet-servers.js';

describe('queue item writes (PostgreSQL)', { timeout: 240_000 }, () => {
  let db: SqlClient;
  let drop: () => Promise<void>;

  before(async () => {
    const schema = await freshSchema('fleetwl');
    drop = schema.drop;
    db = createPgClient({ connectionString: PG_URL, schema: schema.schema, max: 2 });
    await migrate(db);
    await seedInvoicesQueue(db);
  });
  after(async () => {
    await db?.close();
    await drop?.();
  });

  it('a heartbeat is a HOT update: extending 50 leases writes no index entry', async () => {
    await db.query(`INSERT INTO queue_items (queue, payload, state, max_retries) SELECT 'invoices', '{}', 'new', 3 FROM generate_series(1, 50)`);
    const leased = JSON.parse((await settleAndLease(db, 'hash-1', 'invoices', 'w', 60_000, 50, [], 'brief')).leasedJson) as Array<{ id: number; leaseToken: string }>;
    assert.equal(leased.length, 50);
    const counts = await db.transaction(async (tx) => {
      // The connection's counts not yet reported (this transaction's and maybe earlier ones'): updates of queue_items, and of them HOT ones.
      const read = async () =>
        (await tx.query<{ updated: string; hot: string }>(`SELECT pg_stat_get_xact_tuples_updated('queue_items'::regclass) AS updated, pg_stat_get_xact_tuples_hot_updated('queue_items'::regclass) AS hot`)).rows[0]!;
      const before = await read();
      for (const item of leased) assert.ok(await extendLease(tx, 'd1', item.id, item.leaseToken, 120_000), 'the lease holds');
      const after = await read();
      return { updated: Number(after.updated) - Number(before.updated), hot: Number(after.hot) - Number(before.hot) };
    });
    assert.equal(counts.updated, 50);
    assert.equal(counts.hot, 50, `${counts.hot} of 50 heartbeats were HOT updates: an index covers the lease's expiry (or there is no room on the pages)`);
    const settled = await settleAndLease(db, 'hash-1', 'invoices', 'w', 60_000, 1, leased.map((i) => ({ id: i.id, leaseToken: i.leaseToken, output: null })), 'brief');
    assert.equal((JSON.parse(settled.doneJson) as unknown[]).length, 50);
  });

  it('with 100 000 done items, the sweep finds the expired leases and the counts the open items through an index', async () => {
    await db.query(`INSERT INTO queue_items (queue, payload, state, max_retries, attempts) SELECT 'invoices', '{}', 'done', 3, 1 FROM generate_series(1, 100000)`);
    await db.query(`INSERT INTO queue_items (queue, payload, state, max_retries) SELECT 'invoices', '{}', 'new', 3 FROM generate_series(1, 20)`);
    await db.query('ANALYZE queue_items');
    const leased = JSON.parse((await settleAndLease(db, 'hash-1', 'invoices', 'w', 100, 5, [], 'brief')).leasedJson) as Array<{ id: number }>;
    assert.equal(leased.length, 5);
    const explained = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) SELECT id FROM queue_items WHERE queue = 'invoices' AND state = 'in_progress' AND lease_expires_at <= now() ORDER BY lease_expires_at LIMIT 1000`,
    );
    const nodes = planNodes(explained.rows[0]!['QUERY PLAN'][0]!.Plan);
    assert.ok(!nodes.some((n) => /Seq Scan/.test(n['Node Type'])), `the sweep scans every item: ${nodes.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await sweepQueue(db, 'invoices'), 5);
    const states = Object.fromEntries((await db.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM queue_items WHERE queue = 'invoices' GROUP BY state`)).rows.map((r) => [r.state, Number(r.n)]));
    assert.deepEqual(states, { done: 100_050, new: 15, retrying: 5 });
    const events = (await db.query<{ to_state: string; actor: string }>(`SELECT to_state, actor FROM queue_item_events WHERE item_id = $1 ORDER BY id`, [leased[0]!.id])).rows;
    assert.deepEqual(events.map((e) => `${e.to_state}:${e.actor}`), ['in_progress:device:d1', 'retrying:server']);
  });
});
