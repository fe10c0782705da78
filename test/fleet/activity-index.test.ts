// The console's activity route reads the last minutes of a queue's event log; the log only grows.
// On a log of 30 days the query must read the rows of those minutes through the time index
// (migration 007), not scan the whole table — checked on the plan PostgreSQL chooses, and on
// the counts it gives.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPgClient, type SqlClient } from '../../server/db.js';
import { migrate } from '../../server/migrations/index.js';
import { ACTIVITY_SQL } from '../../server/queues/queue-sql.js';
import { freshSchema, PG_URL, planNodes, type PlanNode } from '../helpers/fleet-servers.js';

describe('queue activity over a long event log (PostgreSQL)', { timeout: 240_000 }, () => {
  let db: SqlClient;
  let drop: () => Promise<void>;

  before(async () => {
    const schema = await freshSchema('fleetact');
    drop = schema.drop;
    db = createPgClient({ connectionString: PG_URL, schema: schema.schema, max: 2 });
    await migrate(db);
    await db.query(`INSERT INTO queues (name, created_by) VALUES ('invoices', 'test'), ('claims', 'test')`);
    // 100,000 items over 30 days in two queues, each leased and done: 200,000 events in time order.
    await db.query(
      `INSERT INTO queue_items (queue, payload, state, max_retries, created_at)
       SELECT CASE WHEN g % 2 = 0 THEN 'invoices' ELSE 'claims' END, '{}', 'done', 3, now() - interval '30 days' + g * interval '30 days' / 100000
       FROM generate_series(1, 100000) g`,
    );
    await db.query(
      `INSERT INTO queue_item_events (item_id, ts, from_state, to_state, attempt, actor)
       SELECT id, ts, from_state, to_state, 1, 'device:d' FROM (
         SELECT id, created_at AS ts, 'new' AS from_state, 'in_progress' AS to_state FROM queue_items
         UNION ALL
         SELECT id, created_at + interval '1 second', 'in_progress', 'done' FROM queue_items
       ) e ORDER BY ts`,
    );
    await db.query('ANALYZE queue_items');
    await db.query('ANALYZE queue_item_events');
  });
  after(async () => {
    await db?.close();
    await drop?.();
  });

  it('reads the last hour through the time index, not the whole log, and counts it right', async () => {
    const explained = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${ACTIVITY_SQL}`, ['invoices', 60]);
    const nodes = planNodes(explained.rows[0]!['QUERY PLAN'][0]!.Plan);
    const summary = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`);
    assert.ok(!nodes.some((n) => /Seq Scan/.test(n['Node Type']) && n['Relation Name'] === 'queue_item_events'), `the activity query scans the whole event log:\n${summary.join('\n')}`);
    assert.ok(nodes.some((n) => n['Index Name'] === 'queue_item_events_ts'), `the activity query does not use the time index:\n${summary.join('\n')}`);

    const rows = (await db.query<{ done: string }>(ACTIVITY_SQL, ['invoices', 60])).rows;
    const expected = (
      await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id
         WHERE i.queue = 'invoices' AND e.to_state = 'done' AND e.ts > now() - interval '60 minutes'`,
      )
    ).rows[0]!.n;
    assert.ok(Number(expected) > 0);
    assert.equal(rows.reduce((sum, row) => sum + Number(row.done), 0), Number(expected));
  });
});
