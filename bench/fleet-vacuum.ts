// bench/fleet-vacuum: do dead row versions pile up in the hot work-item table of a long-lived queue,
// and does a per-table autovacuum setting (migration 010) keep them down? The machine's shared
// PostgreSQL runs with autovacuum = off (/etc/postgresql/15/main/conf.d/90-ci.conf), so this bench
// starts a cluster of its own with PostgreSQL's defaults (autovacuum on, naptime 1 min, a table
// vacuumed once a fifth of its rows are dead), as a production server has them.
// For each setting in turn (default: the table's parameters reset; tuned: migration 010's), on a
// fresh schema: --prefill done items (the history a long-lived queue table keeps) and one VACUUM
// ANALYZE, as such a table has had; then one robot (RemoteWorkQueue, leases of 25, each call
// completing the batch before) works a queue kept topped up for --seconds. Every --sample-every s:
// the table's dead row versions (pg_stat_user_tables), its vacuums so far, its size, and the
// index pages the lease's due-items search reads (EXPLAIN (ANALYZE, BUFFERS), as fleet-due-scan).
//   npx tsc -p tsconfig.json && node dist/bench/fleet-vacuum.js [--prefill 500000] [--seconds 180]
//       [--sample-every 10] [--settings default,tuned] [--out FILE]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { RemoteWorkQueue, type Completion } from '../engine/queue/index.js';
import { QUEUE_ITEMS_AUTOVACUUM } from '../server/migrations/010-queue-autovacuum.js';
import { createQueue, enrollDevice, grant, startFleetServers } from '../test/helpers/fleet-servers.js';
import { privatePostgres } from '../test/helpers/private-postgres.js';
import { percentile, round1 } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { prefill: { type: 'string' }, seconds: { type: 'string' }, 'sample-every': { type: 'string' }, settings: { type: 'string' }, out: { type: 'string' } } });
const PREFILL = Number(values.prefill ?? 500_000);
const SECONDS = Number(values.seconds ?? 180);
const SAMPLE_EVERY_S = Number(values['sample-every'] ?? 10);
const SETTINGS = (values.settings ?? 'default,tuned').split(',') as Array<'default' | 'tuned'>;
const OUT = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'fleet-vacuum.json'));
const load = () => os.loadavg().map(round1);

interface Sample {
  s: number;
  worked: number;
  deadTuples: number;
  liveTuples: number;
  autovacuums: number;
  autoanalyzes: number;
  tableMiB: number;
  indexMiB: number;
  dueScanPages: number;
  load: number;
}

const cluster = await privatePostgres();
if (!cluster) throw new Error('bench/fleet-vacuum needs the PostgreSQL binaries (/usr/lib/postgresql/*/bin) to start a cluster of its own');
const settingsOf = async (db: pg.Client) => (await db.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('autovacuum', 'autovacuum_naptime', 'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_threshold')`)).rows;
const results: Array<{ settings: string; reloptions: string[] | null; itemsPerS: number; leaseP50Ms: number; leaseP99Ms: number; samples: Sample[] }> = [];
console.log(`bench/fleet-vacuum: ${PREFILL} done items before, ${SECONDS} s of one robot (leases of 25) per setting (${SETTINGS.join(', ')}); ${os.cpus().length} cores; load before ${load().join(' ')}`);
try {
  const probe = new pg.Client({ connectionString: cluster.url });
  await probe.connect();
  const clusterSettings = await settingsOf(probe);
  await probe.end();
  for (const setting of SETTINGS) {
    const fleet = await startFleetServers(1, { AUDIT_RATE_LIMIT: 'off' }, [], undefined, cluster.url);
    const db = new pg.Client({ connectionString: cluster.url, options: `-c search_path=${fleet.schema}` });
    await db.connect();
    try {
      const parameters = Object.keys(QUEUE_ITEMS_AUTOVACUUM);
      if (setting === 'default') await db.query(`ALTER TABLE queue_items RESET (${parameters.join(', ')})`);
      else await db.query(`ALTER TABLE queue_items SET (${Object.entries(QUEUE_ITEMS_AUTOVACUUM).map(([name, value]) => `${name} = ${value}`).join(', ')})`);
      const reloptions = (await db.query<{ reloptions: string[] | null }>(`SELECT reloptions FROM pg_class WHERE oid = 'queue_items'::regclass`)).rows[0]!.reloptions;
      const base = fleet.urls[0]!;
      await createQueue(base, fleet.admin, 'history');
      await createQueue(base, fleet.admin, 'bench', { backoffBaseMs: 0 });
      const device = await enrollDevice(base, fleet.admin, 'robot');
      await grant(base, fleet.admin, 'bench', device.deviceId);
      // The history: done items as a long-lived queue keeps them (one event row each is left out: the events table is insert-only).
      await db.query(
        `INSERT INTO queue_items (queue, payload, state, attempts, max_retries, worker, device_id, output, created_at, updated_at)
         SELECT 'history', json_build_object('document', 'share://invoices/' || n || '.pdf')::text, 'done', 1, 3, 'w', $2, '{}', now() - interval '30 days', now() - interval '30 days'
         FROM generate_series(1, $1) AS n`,
        [PREFILL, device.deviceId],
      );
      await db.query('VACUUM ANALYZE queue_items');
      const admin = new RemoteWorkQueue({ serverUrl: base, token: fleet.admin });
      const robot = new RemoteWorkQueue({ serverUrl: base, token: device.token });
      let added = 0;
      const topUp = async () => {
        await admin.addMany('bench', Array.from({ length: 2000 }, (_, j) => ({ payload: { document: `share://invoices/new-${added + j}.pdf` } })));
        added += 2000;
      };
      for (let i = 0; i < 3; i++) await topUp();
      const samples: Sample[] = [];
      let worked = 0;
      const start = performance.now();
      const sample = async (): Promise<void> => {
        const [stats] = (
          await db.query<{ dead: string; live: string; av: string; aa: string; table: string; indexes: string }>(
            `SELECT n_dead_tup AS dead, n_live_tup AS live, autovacuum_count AS av, autoanalyze_count AS aa, pg_relation_size('queue_items') AS table, pg_indexes_size('queue_items') AS indexes
             FROM pg_stat_user_tables WHERE relid = 'queue_items'::regclass`,
          )
        ).rows;
        const [plan] = (
          await db.query<{ 'QUERY PLAN': Array<{ Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } }> }>(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM queue_items
             WHERE queue = 'bench' AND state IN ('new', 'retrying') AND next_attempt_at <= now() AND (deadline IS NULL OR deadline > now())
             ORDER BY priority DESC, deadline, id LIMIT 25`,
          )
        ).rows[0]!['QUERY PLAN'];
        const s: Sample = {
          s: Math.round((performance.now() - start) / 1000),
          worked,
          deadTuples: Number(stats!.dead),
          liveTuples: Number(stats!.live),
          autovacuums: Number(stats!.av),
          autoanalyzes: Number(stats!.aa),
          tableMiB: round1(Number(stats!.table) / 1048576),
          indexMiB: round1(Number(stats!.indexes) / 1048576),
          dueScanPages: plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks'],
          load: round1(os.loadavg()[0]!),
        };
        samples.push(s);
        console.log(`${setting.padEnd(7)} ${String(s.s).padStart(4)} s  worked ${String(s.worked).padStart(6)}  dead ${String(s.deadTuples).padStart(7)}  autovacuums ${s.autovacuums} (analyze ${s.autoanalyzes})  table ${s.tableMiB} MiB  indexes ${s.indexMiB} MiB  due-scan ${s.dueScanPages} pages  load ${s.load}`);
      };
      await sample();
      let nextSample = SAMPLE_EVERY_S;
      const latencies: number[] = [];
      let held: Completion[] = [];
      while ((performance.now() - start) / 1000 < SECONDS) {
        const t = performance.now();
        const { settled, leased } = await robot.completeAndLease(held, 'bench', 'w', 60_000, 25);
        latencies.push(performance.now() - t);
        worked += settled.filter((s) => s.ok).length;
        held = leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken }));
        if (added - worked < 3000) await topUp();
        if ((performance.now() - start) / 1000 >= nextSample) {
          await sample();
          nextSample += SAMPLE_EVERY_S;
        }
      }
      await robot.completeMany(held);
      await sample();
      results.push({ settings: setting, reloptions, itemsPerS: Math.round(worked / ((performance.now() - start) / 1000)), leaseP50Ms: round1(percentile(latencies, 50)), leaseP99Ms: round1(percentile(latencies, 99)), samples });
      const r = results.at(-1)!;
      const dead = samples.map((x) => x.deadTuples);
      const pages = samples.map((x) => x.dueScanPages);
      console.log(
        `${setting}: ${r.itemsPerS} items/s, lease p50 ${r.leaseP50Ms} ms p99 ${r.leaseP99Ms} ms; dead row versions max ${Math.max(...dead)} mean ${Math.round(dead.reduce((a, b) => a + b, 0) / dead.length)}; due-scan pages max ${Math.max(...pages)} mean ${Math.round(pages.reduce((a, b) => a + b, 0) / pages.length)}; autovacuums ${samples.at(-1)!.autovacuums}; table ${samples[0]!.tableMiB} → ${samples.at(-1)!.tableMiB} MiB, indexes ${samples[0]!.indexMiB} → ${samples.at(-1)!.indexMiB} MiB`,
      );
    } finally {
      await db.end();
      await fleet.close();
    }
    writeFileSync(OUT, `${JSON.stringify({ bench: 'fleet-vacuum', date: new Date().toISOString(), machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, config: { prefill: PREFILL, seconds: SECONDS, sampleEveryS: SAMPLE_EVERY_S, leaseBatch: 25 }, cluster: clusterSettings, loadAfter: load(), results }, null, 2)}\n`);
  }
} finally {
  cluster.destroy();
}
console.log(`load after ${load().join(' ')}; wrote ${path.relative(ROOT, OUT)}`);
