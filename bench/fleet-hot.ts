// bench/fleet-hot: does it matter that an item's state changes are not HOT updates (issue #21,
// migration 008)? On the queue schema as migrated (a fresh schema of the test database), 20 000
// items; batches of 25 are changed inside PostgreSQL (a DO block, so that no client round trip is
// timed), two kinds of update in turn, each on its own half of the items:
//   state  — what a lease does: state, attempts, worker, device, lease token and expiry (state is
//            indexed, so not HOT: a new entry in every index the new row version belongs to);
//   hot    — the same columns but state (only unindexed columns: a HOT update when the page has room).
// Each batch is its own transaction, as each lease is.
// Each kind's mean µs per item, and PostgreSQL's own count of HOT updates, are printed.
//   npx tsc -p tsconfig.json && node dist/bench/fleet-hot.js [--items 20000] [--rounds 3]
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createQueue, PG_URL, startFleetServers } from '../test/helpers/fleet-servers.js';
import { RemoteWorkQueue } from '../engine/queue/index.js';

const { values } = parseArgs({ options: { items: { type: 'string' }, rounds: { type: 'string' } } });
const ITEMS = Number(values.items ?? 20_000);
const ROUNDS = Number(values.rounds ?? 3);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`bench/fleet-hot: ${ITEMS} items, batches of 25, ${ROUNDS} rounds; load before ${load()}`);

for (let round = 1; round <= ROUNDS; round++) {
  const fleet = await startFleetServers(1, { AUDIT_RATE_LIMIT: 'off' });
  const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${fleet.schema}` });
  await db.connect();
  try {
    await createQueue(fleet.urls[0]!, fleet.admin, 'hot');
    const admin = new RemoteWorkQueue({ serverUrl: fleet.urls[0]!, token: fleet.admin });
    for (let i = 0; i < ITEMS; i += 2000) await admin.addMany('hot', Array.from({ length: Math.min(2000, ITEMS - i) }, (_, j) => ({ payload: { document: `share://invoices/${i + j}.pdf` }, idempotencyKey: `K-${i + j}` })));
    await db.query('VACUUM ANALYZE queue_items');
    const stats0 = (await db.query<{ hot: string; upd: string }>(`SELECT n_tup_hot_upd AS hot, n_tup_upd AS upd FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`)).rows[0]!;
    // The first half of the items (in id order, so their own pages) takes the state update, the
    // second half the HOT-able one, a batch of each in turn, so that both run under the same load.
    // Each batch commits (COMMIT in the DO block), as each lease is its own transaction: the row
    // versions it leaves behind can then be pruned from their page, which keeps room for HOT updates.
    await db.query('CREATE TEMP TABLE timing (kind text, us float8)');
    await db.query(
      `DO $$
       DECLARE a bigint; b bigint; mid bigint; t timestamptz;
       BEGIN
         SELECT min(id), (min(id) + max(id)) / 2 INTO a, mid FROM queue_items;
         b := mid;
         WHILE a + 25 <= mid LOOP
           t := clock_timestamp();
           UPDATE queue_items SET state = 'in_progress', attempts = attempts + 1, worker = 'w', device_id = 'd', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '1 minute', updated_at = now()
           WHERE id >= a AND id < a + 25;
           INSERT INTO timing VALUES ('state', extract(epoch FROM clock_timestamp() - t) * 1e6 / 25);
           t := clock_timestamp();
           UPDATE queue_items SET attempts = attempts + 1, worker = 'w', device_id = 'd', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '1 minute', updated_at = now()
           WHERE id >= b AND id < b + 25;
           INSERT INTO timing VALUES ('hot', extract(epoch FROM clock_timestamp() - t) * 1e6 / 25);
           a := a + 25; b := b + 25;
           COMMIT;
         END LOOP;
       END $$`,
    );
    const { rows } = await db.query<{ state_us: number; hot_us: number }>(`SELECT avg(us) FILTER (WHERE kind = 'state') AS state_us, avg(us) FILTER (WHERE kind = 'hot') AS hot_us FROM timing`);
    const stats1 = (await db.query<{ hot: string; upd: string }>(`SELECT n_tup_hot_upd AS hot, n_tup_upd AS upd FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`)).rows[0]!;
    const r = rows[0]!;
    console.log(`round ${round}: state change ${r.state_us.toFixed(1)} µs per item, HOT-able change ${r.hot_us.toFixed(1)} µs per item (×${(r.state_us / r.hot_us).toFixed(2)}); updates ${Number(stats1.upd) - Number(stats0.upd)}, of them HOT ${Number(stats1.hot) - Number(stats0.hot)}; load ${load()}`);
  } finally {
    await db.end();
    await fleet.close();
  }
}
console.log(`load after ${load()}`);
