// The hot work-item table is vacuumed after a fixed number of changes, however many done items it
// keeps (migration 010). On a cluster of the test's own with autovacuum on (the machine's shared
// PostgreSQL has it off) and a one-second naptime: a queue table of 150 000 done items, then 9 000
// items leased and completed — at most 18 000 dead row versions, under the default's fifth of the
// table (31 800 of 159 000 rows) but over the table's own threshold (5 000). Autovacuum (held off
// for the table while they are made, then let be) must then vacuum it, and the lease's search for
// due items must read fewer index pages afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPgClient, type SqlClient } from '../../server/db.js';
import { migrate } from '../../server/migrations/index.js';
import { settleAndLease } from '../../server/queues/queue-sql.js';
import { freshSchema, seedInvoicesQueue } from '../helpers/fleet-servers.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

describe('autovacuum of queue_items (PostgreSQL, autovacuum on)', { timeout: 240_000 }, () => {
  let cluster: PrivatePostgres | undefined;
  let db: SqlClient;

  before(async () => {
    cluster = await privatePostgres(['autovacuum=on', 'autovacuum_naptime=1']);
    assert.ok(cluster, 'this test needs the PostgreSQL binaries (/usr/lib/postgresql/*/bin)');
    const schema = await freshSchema('fleetav', cluster.url);
    db = createPgClient({ connectionString: cluster.url, schema: schema.schema, max: 2 });
    await migrate(db);
    await seedInvoicesQueue(db);
  });
  after(async () => {
    await db?.close();
    cluster?.destroy();
  });

  const dueScanPages = async (): Promise<number> => {
    const plan = (
      await db.query<{ 'QUERY PLAN': Array<{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }> }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM queue_items
         WHERE queue = 'invoices' AND state IN ('new', 'retrying') AND next_attempt_at <= now() AND (deadline IS NULL OR deadline > now())
         ORDER BY priority DESC, deadline, id LIMIT 25`,
      )
    ).rows[0]!['QUERY PLAN'][0]!.Plan;
    return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
  };

  it('a long-lived queue table is vacuumed after at most 18 000 dead row versions, well before a fifth of it is dead', async () => {
    await db.query(`INSERT INTO queue_items (queue, payload, state, max_retries, attempts) SELECT 'invoices', '{}', 'done', 3, 1 FROM generate_series(1, 150000)`);
    await db.query(`INSERT INTO queue_items (queue, payload, state, max_retries) SELECT 'invoices', '{}', 'new', 3 FROM generate_series(1, 9025)`);
    await db.query('VACUUM ANALYZE queue_items');
    const vacuums = async () => Number((await db.query<{ n: string }>(`SELECT autovacuum_count AS n FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`)).rows[0]!.n);
    // Held off while the robot works, so that the whole 18 000 are dead when it may run: the thresholds under test decide, not when a naptime fell.
    await db.query('ALTER TABLE queue_items SET (autovacuum_enabled = false)');
    // Leases of 1 000, each call completing the batch before: 9 000 items leased and completed.
    let held: Array<{ id: number; leaseToken: string; output: null }> = [];
    for (let call = 0; call < 10; call++) {
      const answer = await settleAndLease(db, 'hash-1', 'invoices', 'w', 60_000, call < 9 ? 1000 : 1, held, 'brief');
      held = (JSON.parse(answer.leasedJson) as Array<{ id: number; leaseToken: string }>).map((item) => ({ id: item.id, leaseToken: item.leaseToken, output: null }));
    }
    const pagesBefore = await dueScanPages();
    const vacuumsBefore = await vacuums();
    await db.query('ALTER TABLE queue_items RESET (autovacuum_enabled)');
    // Autovacuum wakes every second here; the pending statistics of the writes reach it within a second or so.
    const deadline = Date.now() + 90_000;
    while ((await vacuums()) === vacuumsBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    const [stats] = (await db.query<{ dead: string; reloptions: string[] | null }>(`SELECT n_dead_tup AS dead, (SELECT reloptions FROM pg_class WHERE oid = 'queue_items'::regclass) AS reloptions FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`)).rows;
    assert.ok((await vacuums()) > vacuumsBefore, `queue_items was not autovacuumed in 90 s with ${stats!.dead} dead row versions (its parameters: ${JSON.stringify(stats!.reloptions)})`);
    const pagesAfter = await dueScanPages();
    assert.ok(pagesAfter < pagesBefore, `the due-items search read ${pagesBefore} index pages before the vacuum and ${pagesAfter} after`);
  });
});
