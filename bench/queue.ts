// bench/queue: throughput of the SQLite work queue with no-op items, two paths side by side.
//
//   npx tsc -p tsconfig.json && node dist/bench/queue.js [--items N] [--runs N] [--batch N] [--quick] [--out FILE]
//
// Each run uses a fresh run-store file in a temp dir (WAL, synchronous NORMAL: what rpa
// uses) and one process. Two paths, run alternately (per-item, batched, per-item, …):
//   per-item: 1. enqueue: N × add() with a payload of ~60 bytes, one transaction each;
//             2. drain:   lease(leaseMs 60 s) → complete() until lease() returns undefined —
//                         each a transaction of its own, lease() also sweeping expired leases first;
//   batched:  1. enqueue: addMany() of --batch items (default 100) per transaction;
//             2. drain:   leaseMany(60 s, --batch) → completeMany() of that batch until leaseMany()
//                         returns none — one transaction per lease batch and one per complete batch,
//                         the same rows, history and sweep as the per-item path.
// end-to-end = N / (enqueue time + drain time). Target (issue #22): batched end-to-end ≥ 10,000 items/s.
// Also, for information: addMany() of the same N items in one transaction.
// Figures are the median of the runs (default 3 of each path) after one small warm-up of each.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteWorkQueue } from '../engine/queue/sqlite-work-queue.js';
import { median, round1, table } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TARGET_ITEMS_PER_S = 10_000;

const { values } = parseArgs({
  options: { items: { type: 'string' }, runs: { type: 'string' }, batch: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } },
});
const quick = values.quick === true;
const ITEMS = Number(values.items ?? (quick ? 2000 : 20_000));
const RUNS = Number(values.runs ?? 3);
const BATCH = Number(values.batch ?? 100);
const RESULTS_FILE = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'queue.json'));

interface Sample {
  enqueueMs: number;
  drainMs: number;
  addManyMs: number;
  /** CPU time (user + system) of this process over enqueue + drain: less sensitive to other work on the cores. */
  cpuMs: number;
}

const rate = (items: number, ms: number): number => Math.round((items / ms) * 1000);

type Path = 'perItem' | 'batched';
const PATHS: readonly Path[] = ['perItem', 'batched'];

async function runOnce(dir: string, items: number, way: Path): Promise<Sample> {
  const wq = SqliteWorkQueue.open(path.join(dir, `run-${Math.random().toString(36).slice(2)}`, 'runs.db'));
  try {
    const payload = (i: number) => ({ invoice: `INV-${i}`, amount: i % 997, customer: 'ACME Ltd' });
    let t = performance.now();
    const cpu = process.cpuUsage();
    if (way === 'perItem') {
      for (let i = 0; i < items; i++) await wq.add('bench', payload(i));
    } else {
      for (let i = 0; i < items; i += BATCH) {
        await wq.addMany('bench', Array.from({ length: Math.min(BATCH, items - i) }, (_, j) => ({ payload: payload(i + j) })));
      }
    }
    const enqueueMs = performance.now() - t;

    t = performance.now();
    let done = 0;
    if (way === 'perItem') {
      for (let item = await wq.lease('bench', 'bench-worker', 60_000); item; item = await wq.lease('bench', 'bench-worker', 60_000)) {
        await wq.complete(item.id, item.leaseToken);
        done++;
      }
    } else {
      for (let batch = await wq.leaseMany('bench', 'bench-worker', 60_000, BATCH); batch.length > 0; batch = await wq.leaseMany('bench', 'bench-worker', 60_000, BATCH)) {
        const settled = await wq.completeMany(batch.map((item) => ({ id: item.id, leaseToken: item.leaseToken })));
        done += settled.filter((s) => s.ok).length;
      }
    }
    const drainMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    assert.equal(done, items, `drained ${done} of ${items}`);

    t = performance.now();
    await wq.addMany('bench-batch', Array.from({ length: items }, (_, i) => ({ payload: payload(i) })));
    const addManyMs = performance.now() - t;
    const stats = await wq.stats('bench');
    assert.equal(stats.done, items);
    return { enqueueMs, drainMs, addManyMs, cpuMs };
  } finally {
    await wq.close();
  }
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  const pkg = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
  const mem = new BetterSqlite3(':memory:');
  const sqlite = mem.prepare<[], { v: string }>('SELECT sqlite_version() AS v').get()?.v ?? 'unknown';
  mem.close();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    betterSqlite3: pkg.version,
    sqlite,
    tmpdir: os.tmpdir(),
  };
}

async function main(): Promise<void> {
  assert.ok(
    [ITEMS, RUNS, BATCH].every((n) => Number.isInteger(n) && n > 0),
    '--items, --runs and --batch must be positive whole numbers',
  );
  const loadBefore = os.loadavg().map(round1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-queue-'));
  try {
    console.error(`bench/queue${quick ? ' (quick)' : ''}: ${ITEMS} items, batch ${BATCH}, ${RUNS} runs of each path, alternately, after a warm-up of ${Math.min(ITEMS, 1000)}`);
    for (const way of PATHS) await runOnce(dir, Math.min(ITEMS, 1000), way);
    const samples: Record<Path, Sample[]> = { perItem: [], batched: [] };
    for (let i = 1; i <= RUNS; i++) {
      for (const way of PATHS) {
        const s = await runOnce(dir, ITEMS, way);
        samples[way].push(s);
        console.error(
          `  run ${i}/${RUNS} ${way.padEnd(7)}: enqueue ${rate(ITEMS, s.enqueueMs)}/s, lease+complete ${rate(ITEMS, s.drainMs)}/s, end-to-end ${rate(ITEMS, s.enqueueMs + s.drainMs)}/s (${rate(ITEMS, s.cpuMs)}/CPU s)`,
        );
      }
    }
    const figure = (way: Path, ms: (s: Sample) => number) => {
      const perRun = samples[way].map((s) => rate(ITEMS, ms(s)));
      return { itemsPerS: median(perRun), usPerItem: round1((1000 * 1000) / median(perRun)), runs: perRun };
    };
    const figures = (way: Path) => ({
      enqueue: figure(way, (s) => s.enqueueMs),
      leaseComplete: figure(way, (s) => s.drainMs),
      endToEnd: figure(way, (s) => s.enqueueMs + s.drainMs),
      endToEndOnCpu: figure(way, (s) => s.cpuMs),
    });
    const perItem = figures('perItem');
    const batched = figures('batched');
    const addMany = figure('perItem', (s) => s.addManyMs);
    // Paired: each batched run against the per-item run just before it.
    const pairedRatios = samples.batched.map((b, i) => {
      const p = samples.perItem[i]!;
      return Math.round((100 * (p.enqueueMs + p.drainMs)) / (b.enqueueMs + b.drainMs)) / 100;
    });
    const endToEnd = batched.endToEnd;

    const report = {
      benchmark: 'bench/queue',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
      method: {
        items: ITEMS,
        runs: RUNS,
        batch: BATCH,
        order: 'per-item and batched runs alternate (per-item first); each on a fresh file',
        store: 'fresh run-store file per run in os.tmpdir(), opened with openDatabase (WAL, synchronous NORMAL, busy_timeout 5000)',
        perItem: 'add() per item, one transaction each, ~60-byte JSON payload; one worker in the same process: lease(60 s) then complete() with no output, each its own BEGIN IMMEDIATE transaction',
        batched: 'addMany() of `batch` items per transaction; one worker: leaseMany(60 s, batch) then completeMany() of the batch, one BEGIN IMMEDIATE transaction each',
        endToEnd: 'items / (enqueue time + lease+complete time)',
        endToEndOnCpu: 'items / CPU time (user + system) of the process over enqueue + lease+complete: what one free core would do, for a busy machine',
        statistic: 'median of the runs; runs lists each run; pairedSpeedup = per-item time / batched time of each pair of runs',
      },
      figures: { perItem, batched, pairedSpeedup: { median: median(pairedRatios), runs: pairedRatios }, addManyOneTransaction: addMany },
      target: { batchedEndToEndItemsPerS: TARGET_ITEMS_PER_S, met: endToEnd.itemsPerS >= TARGET_ITEMS_PER_S },
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

    const m = report.machine;
    console.log('');
    console.log(`bench/queue — ${report.date}${quick ? '  (QUICK)' : ''}`);
    console.log(`${String(m['os'])}, ${String(m['cpu'])} × ${String(m['cores'])}, node ${String(m['node'])}, SQLite ${String(m['sqlite'])}`);
    console.log(`${ITEMS} no-op items, batch ${BATCH}, median of ${RUNS} runs of each path; load average before ${loadBefore.join(' ')}, after ${os.loadavg().map(round1).join(' ')}`);
    console.log('');
    console.log(
      table([
        ['phase', 'per-item items/s', 'batched items/s', 'per-item µs/item', 'batched µs/item'],
        ['enqueue', perItem.enqueue.itemsPerS, batched.enqueue.itemsPerS, perItem.enqueue.usPerItem, batched.enqueue.usPerItem],
        ['lease + complete', perItem.leaseComplete.itemsPerS, batched.leaseComplete.itemsPerS, perItem.leaseComplete.usPerItem, batched.leaseComplete.usPerItem],
        ['end-to-end', perItem.endToEnd.itemsPerS, batched.endToEnd.itemsPerS, perItem.endToEnd.usPerItem, batched.endToEnd.usPerItem],
        ['end-to-end per CPU second', perItem.endToEndOnCpu.itemsPerS, batched.endToEndOnCpu.itemsPerS, perItem.endToEndOnCpu.usPerItem, batched.endToEndOnCpu.usPerItem],
        ['addMany, 1 tx (info)', addMany.itemsPerS, '', addMany.usPerItem, ''],
      ]),
    );
    console.log('');
    console.log(`paired speed-up batched / per-item: median ${median(pairedRatios)}× (${pairedRatios.join(', ')})`);
    console.log(`batched end-to-end ${endToEnd.itemsPerS} items/s (target ≥ ${TARGET_ITEMS_PER_S}: ${report.target.met ? 'MET' : 'NOT MET'})`);
    console.log(`written: ${RESULTS_FILE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
