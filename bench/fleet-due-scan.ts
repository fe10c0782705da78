// bench/fleet-due-scan: what the lease's search for due items reads as a queue drains. A leased
// item's old row version keeps its entry in the waiting-items index until a vacuum removes it,
// so the scan for the next due items steps over the entries of every item leased since. One
// server, one robot leasing and completing 25 at a time; every --every items the due-items query
// of settleAndLease (without FOR UPDATE) is run under EXPLAIN (ANALYZE, BUFFERS): index pages read
// and execution time. Ends with the table's live and dead row counts and whether autovacuum ran.
//   npx tsc -p tsconfig.json && node dist/bench/fleet-due-scan.js [--items 20000] [--every 4000]
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { RemoteWorkQueue, type Completion } from '../engine/queue/index.js';
import { createQueue, enrollDevice, grant, PG_URL, startFleetServers } from '../test/helpers/fleet-servers.js';

const { values } = parseArgs({ options: { items: { type: 'string' }, every: { type: 'string' } } });
const ITEMS = Number(values.items ?? 20_000);
const EVERY = Number(values.every ?? 4000);
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`bench/fleet-due-scan: ${ITEMS} items, leases of 25; load before ${load()}`);
const fleet = await startFleetServers(1, { AUDIT_RATE_LIMIT: 'off' });
const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${fleet.schema}` });
await db.connect();
try {
  const base = fleet.urls[0]!;
  await createQueue(base, fleet.admin, 'bench', { backoffBaseMs: 0 });
  const device = await enrollDevice(base, fleet.admin, 'robot');
  await grant(base, fleet.admin, 'bench', device.deviceId);
  const admin = new RemoteWorkQueue({ serverUrl: base, token: fleet.admin });
  for (let i = 0; i < ITEMS; i += 2000) await admin.addMany('bench', Array.from({ length: Math.min(2000, ITEMS - i) }, (_, j) => ({ payload: { n: i + j } })));
  const robot = new RemoteWorkQueue({ serverUrl: base, token: device.token });
  let held: Completion[] = [];
  for (let leased = 0; leased <= ITEMS; leased += 25) {
    if (leased % EVERY === 0) {
      const [plan] = (
        await db.query<{ 'QUERY PLAN': Array<{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number }; 'Execution Time': number }> }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id, state FROM queue_items
           WHERE queue = 'bench' AND state IN ('new', 'retrying') AND next_attempt_at <= now() AND (deadline IS NULL OR deadline > now())
           ORDER BY priority DESC, deadline, id LIMIT 25`,
        )
      ).rows[0]!['QUERY PLAN'];
      console.log(`after ${String(leased).padStart(6)} leased: ${plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks']} pages read, ${plan!['Execution Time'].toFixed(2)} ms; load ${load()}`);
    }
    const { leased: next } = await robot.completeAndLease(held, 'bench', 'w', 60_000, 25);
    held = next.map((item) => ({ id: item.id, leaseToken: item.leaseToken }));
  }
  const [table] = (await db.query<{ n_live_tup: string; n_dead_tup: string; autovacuum_count: string }>(`SELECT n_live_tup, n_dead_tup, autovacuum_count FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`)).rows;
  console.log(`queue_items: ${table!.n_live_tup} live rows, ${table!.n_dead_tup} dead, autovacuum ran ${table!.autovacuum_count} times; load after ${load()}`);
} finally {
  await db.end();
  await fleet.close();
}
