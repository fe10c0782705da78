// bench/fleet-vacuum: do dead row versions pile up in the hot work-item table of a long-lived queue,
// and does a per-table autovacuum setting (migration 010) keep them down? The machine's shared
// PostgreSQL runs with autovacuum = off (/etc/postgresql/15/main/conf.d/90-ci.conf), so this bench
// starts a cluster of its own with PostgreSQL's defaults (autovacuum on, naptime 1 min, a table
// vacuumed once a fifth of its rows are dead), as a production server has them.
// Both settings are measured in ONE run, alternating (default, tuned, default, tuned … for
// --rounds rounds), so that the machine's load drifts over both alike. Each phase, on a fresh
// schema of that one cluster (the previous phase's schema dropped): the table's parameters reset
// (default) or set as migration 010 sets them (tuned); --prefill done items (the history a
// long-lived queue table keeps) and one VACUUM ANALYZE, as such a table has had; --items new items
// added; then one robot (RemoteWorkQueue, leases of 25, each call completing the batch before)
// drains that queue until it is empty (or --seconds have passed). Every --sample-every s: items
// left, the items/s since the sample before, the table's dead row versions (pg_stat_user_tables),
// its vacuums so far, its size, and the index pages the lease's due-items search reads
// (EXPLAIN (ANALYZE, BUFFERS), as fleet-due-scan). The summary sets the settings side by side per
// round and at each quarter of the drain; load is printed before and after each phase and the run.
//   npx tsc -p tsconfig.json && node dist/bench/fleet-vacuum.js [--prefill 500000] [--items 10000]
//       [--seconds 300] [--sample-every 10] [--rounds 2] [--settings default,tuned] [--out FILE]
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

type Setting = 'default' | 'tuned';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    prefill: { type: 'string' },
    items: { type: 'string' },
    seconds: { type: 'string' },
    'sample-every': { type: 'string' },
    rounds: { type: 'string' },
    settings: { type: 'string' },
    out: { type: 'string' },
  },
});
const positive = (name: string, raw: string | undefined, fallback: number): number => {
  const n = Number(raw ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bench/fleet-vacuum: --${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return n;
};
const PREFILL = positive('prefill', values.prefill, 500_000);
const ITEMS = positive('items', values.items, 10_000);
const SECONDS = positive('seconds', values.seconds, 300);
const SAMPLE_EVERY_S = positive('sample-every', values['sample-every'], 10);
const ROUNDS = positive('rounds', values.rounds, 2);
const SETTINGS = (values.settings ?? 'default,tuned').split(',') as Setting[];
for (const s of SETTINGS) if (s !== 'default' && s !== 'tuned') throw new Error(`bench/fleet-vacuum: --settings takes default and/or tuned, not ${JSON.stringify(s)}`);
const OUT = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'fleet-vacuum.json'));
const LEASE_BATCH = 25;
const ADD_CHUNK = 2000;
const load = () => os.loadavg().map(round1);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

interface Sample {
  s: number;
  worked: number;
  left: number;
  /** Items completed per second since the sample before. */
  itemsPerS: number;
  deadTuples: number;
  liveTuples: number;
  autovacuums: number;
  autoanalyzes: number;
  tableMiB: number;
  indexMiB: number;
  dueScanPages: number;
  load: number;
}
interface Phase {
  round: number;
  settings: Setting;
  reloptions: string[] | null;
  drained: boolean;
  seconds: number;
  worked: number;
  itemsPerS: number;
  leaseP50Ms: number;
  leaseP99Ms: number;
  deadMax: number;
  deadMean: number;
  dueScanMax: number;
  dueScanMean: number;
  autovacuums: number;
  /** At 25, 50, 75 and 100 % drained: the first sample at or past it. */
  quarters: Array<{ drainedPct: number; s: number; dueScanPages: number; itemsPerS: number; deadTuples: number }>;
  loadBefore: number[];
  loadAfter: number[];
  samples: Sample[];
}

const cluster = await privatePostgres();
if (!cluster) throw new Error('bench/fleet-vacuum needs the PostgreSQL binaries (/usr/lib/postgresql/*/bin) to start a cluster of its own');
const settingsOf = async (db: pg.Client) =>
  (await db.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('autovacuum', 'autovacuum_naptime', 'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_threshold')`)).rows;
const phases: Phase[] = [];
const runLoadBefore = load();
const runStart = new Date().toISOString();
let clusterSettings: Array<{ name: string; setting: string }> = [];
const writeOut = () =>
  writeFileSync(
    OUT,
    `${JSON.stringify(
      {
        bench: 'fleet-vacuum',
        date: runStart,
        machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
        config: { prefill: PREFILL, items: ITEMS, maxSeconds: SECONDS, sampleEveryS: SAMPLE_EVERY_S, rounds: ROUNDS, order: 'alternating', leaseBatch: LEASE_BATCH },
        cluster: clusterSettings,
        loadBefore: runLoadBefore,
        loadAfter: load(),
        phases,
      },
      null,
      2,
    )}\n`,
  );

async function phase(round: number, setting: Setting): Promise<Phase> {
  const loadBefore = load();
  console.log(`-- round ${round} ${setting}: load before ${loadBefore.join(' ')}`);
  const fleet = await startFleetServers(1, { AUDIT_RATE_LIMIT: 'off' }, [], undefined, cluster!.url);
  const db = new pg.Client({ connectionString: cluster!.url, options: `-c search_path=${fleet.schema}` });
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
    const addStart = performance.now();
    for (let added = 0; added < ITEMS; added += ADD_CHUNK) {
      const n = Math.min(ADD_CHUNK, ITEMS - added);
      await admin.addMany('bench', Array.from({ length: n }, (_, j) => ({ payload: { document: `share://invoices/new-${added + j}.pdf` } })));
    }
    console.log(`r${round} ${setting}: ${PREFILL} done items and ${ITEMS} new added (the new ones in ${round1((performance.now() - addStart) / 1000)} s); reloptions ${JSON.stringify(reloptions)}`);
    const samples: Sample[] = [];
    let worked = 0;
    let previous = { t: performance.now(), worked: 0 };
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
           ORDER BY priority DESC, deadline, id LIMIT ${LEASE_BATCH}`,
        )
      ).rows[0]!['QUERY PLAN'];
      const now = performance.now();
      const s: Sample = {
        s: Math.round((now - start) / 1000),
        worked,
        left: ITEMS - worked,
        itemsPerS: now > previous.t ? Math.round(((worked - previous.worked) * 1000) / (now - previous.t)) : 0,
        deadTuples: Number(stats!.dead),
        liveTuples: Number(stats!.live),
        autovacuums: Number(stats!.av),
        autoanalyzes: Number(stats!.aa),
        tableMiB: round1(Number(stats!.table) / 1048576),
        indexMiB: round1(Number(stats!.indexes) / 1048576),
        dueScanPages: plan!.Plan['Shared Hit Blocks'] + plan!.Plan['Shared Read Blocks'],
        load: round1(os.loadavg()[0]!),
      };
      previous = { t: now, worked };
      samples.push(s);
      console.log(
        `r${round} ${setting.padEnd(7)} ${String(s.s).padStart(4)} s  left ${String(s.left).padStart(6)}  ${String(s.itemsPerS).padStart(4)} items/s  dead ${String(s.deadTuples).padStart(6)}  autovacuums ${s.autovacuums} (analyze ${s.autoanalyzes})  table ${s.tableMiB} MiB  indexes ${s.indexMiB} MiB  due-scan ${s.dueScanPages} pages  load ${s.load}`,
      );
    };
    await sample();
    let nextSample = SAMPLE_EVERY_S;
    const latencies: number[] = [];
    let held: Completion[] = [];
    let drained = false;
    while ((performance.now() - start) / 1000 < SECONDS) {
      const t = performance.now();
      const { settled, leased } = await robot.completeAndLease(held, 'bench', 'w', 60_000, LEASE_BATCH);
      latencies.push(performance.now() - t);
      worked += settled.filter((x) => x.ok).length;
      held = leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken }));
      if (held.length === 0) {
        drained = worked === ITEMS;
        if (drained) break;
      }
      if ((performance.now() - start) / 1000 >= nextSample) {
        await sample();
        nextSample += SAMPLE_EVERY_S;
      }
    }
    if (held.length) worked += (await robot.completeMany(held)).filter((x) => x.ok).length;
    const seconds = (performance.now() - start) / 1000;
    await sample();
    const dead = samples.map((x) => x.deadTuples);
    const pages = samples.map((x) => x.dueScanPages);
    const quarters = [25, 50, 75, 100].flatMap((pct) => {
      const at = samples.find((x) => x.worked >= (ITEMS * pct) / 100);
      return at ? [{ drainedPct: pct, s: at.s, dueScanPages: at.dueScanPages, itemsPerS: at.itemsPerS, deadTuples: at.deadTuples }] : [];
    });
    const p: Phase = {
      round,
      settings: setting,
      reloptions,
      drained,
      seconds: round1(seconds),
      worked,
      itemsPerS: Math.round(worked / seconds),
      leaseP50Ms: round1(percentile(latencies, 50)),
      leaseP99Ms: round1(percentile(latencies, 99)),
      deadMax: Math.max(...dead),
      deadMean: Math.round(mean(dead)),
      dueScanMax: Math.max(...pages),
      dueScanMean: Math.round(mean(pages)),
      autovacuums: samples.at(-1)!.autovacuums,
      quarters,
      loadBefore,
      loadAfter: load(),
      samples,
    };
    console.log(
      `r${round} ${setting}: ${drained ? 'drained' : 'NOT drained'} ${worked} items in ${p.seconds} s, ${p.itemsPerS} items/s, complete+lease p50 ${p.leaseP50Ms} ms p99 ${p.leaseP99Ms} ms; dead max ${p.deadMax} mean ${p.deadMean}; due-scan pages max ${p.dueScanMax} mean ${p.dueScanMean}; autovacuums ${p.autovacuums}; load before ${loadBefore.join(' ')} after ${p.loadAfter.join(' ')}`,
    );
    return p;
  } finally {
    await db.end();
    await fleet.close();
  }
}

console.log(
  `bench/fleet-vacuum: ${PREFILL} done items before, a queue of ${ITEMS} drained by one robot (leases of ${LEASE_BATCH}, at most ${SECONDS} s) per phase; ${ROUNDS} rounds alternating ${SETTINGS.join(', ')}; ${os.cpus().length} cores; load before ${runLoadBefore.join(' ')}`,
);
try {
  const probe = new pg.Client({ connectionString: cluster.url });
  await probe.connect();
  clusterSettings = await settingsOf(probe);
  await probe.end();
  console.log(`cluster: ${clusterSettings.map((s) => `${s.name}=${s.setting}`).join(' ')}`);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const setting of SETTINGS) {
      phases.push(await phase(round, setting));
      writeOut();
    }
  }
} finally {
  cluster.destroy();
}

// Side by side: per round, and over the rounds at each quarter of the drain.
console.log('\nside by side (per round: items/s, due-scan pages mean/max, dead mean/max, autovacuums)');
for (let round = 1; round <= ROUNDS; round++) {
  const line = SETTINGS.map((setting) => {
    const p = phases.find((x) => x.round === round && x.settings === setting)!;
    return `${setting} ${p.itemsPerS} items/s, pages ${p.dueScanMean}/${p.dueScanMax}, dead ${p.deadMean}/${p.deadMax}, av ${p.autovacuums}`;
  });
  console.log(`  round ${round}: ${line.join('  |  ')}`);
}
console.log('as the queue drains (mean over rounds: due-scan pages, items/s in the interval ending there)');
for (const pct of [25, 50, 75, 100]) {
  const line = SETTINGS.map((setting) => {
    const at = phases.filter((x) => x.settings === setting).flatMap((x) => x.quarters.filter((q) => q.drainedPct === pct));
    return at.length ? `${setting} ${Math.round(mean(at.map((q) => q.dueScanPages)))} pages, ${Math.round(mean(at.map((q) => q.itemsPerS)))} items/s (n=${at.length})` : `${setting} not reached`;
  });
  console.log(`  ${String(pct).padStart(3)} % drained: ${line.join('  |  ')}`);
}
const overall = SETTINGS.map((setting) => {
  const ps = phases.filter((x) => x.settings === setting);
  return `${setting} ${Math.round(mean(ps.map((x) => x.itemsPerS)))} items/s, due-scan mean ${Math.round(mean(ps.map((x) => x.dueScanMean)))} max ${Math.max(...ps.map((x) => x.dueScanMax))} pages, dead mean ${Math.round(mean(ps.map((x) => x.deadMean)))}`;
});
console.log(`  overall: ${overall.join('  |  ')}`);
writeOut();
console.log(`load before ${runLoadBefore.join(' ')}, after ${load().join(' ')}; wrote ${path.relative(ROOT, OUT)}`);
