// bench/queue: throughput of the SQLite work queue with no-op items.
//
//   npx tsc -p tsconfig.json && node dist/bench/queue.js [--items N] [--runs N] [--quick] [--out FILE]
//
// Each run uses a fresh run-store file in a temp dir (WAL, synchronous NORMAL: what rpa
// uses) and one process:
//   1. enqueue: N × add() with a payload of ~60 bytes, one transaction each;
//   2. drain:   lease(leaseMs 60 s) → complete() until lease() returns undefined — each
//               a transaction of its own, lease() also sweeping expired leases first;
// end-to-end = N / (enqueue time + drain time). Target: end-to-end ≥ 2,000 items/s.
// Also, for information: addMany() of the same N items in one transaction.
// Figures are the median of the runs (default 3) after one small warm-up.
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
const TARGET_ITEMS_PER_S = 2000;

const { values } = parseArgs({ options: { items: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' }, out: { type: 'string' } } });
const quick = values.quick === true;
const ITEMS = Number(values.items ?? (quick ? 2000 : 20_000));
const RUNS = Number(values.runs ?? 3);
const RESULTS_FILE = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'queue.json'));

interface Sample {
  enqueueMs: number;
  drainMs: number;
  addManyMs: number;
}

const rate = (items: number, ms: number): number => Math.round((items / ms) * 1000);

async function runOnce(dir: string, items: number): Promise<Sample> {
  const wq = SqliteWorkQueue.open(path.join(dir, `run-${Math.random().toString(36).slice(2)}`, 'runs.db'));
  try {
    const payload = (i: number) => ({ invoice: `INV-${i}`, amount: i % 997, customer: 'ACME Ltd' });
    let t = performance.now();
    for (let i = 0; i < items; i++) await wq.add('bench', payload(i));
    const enqueueMs = performance.now() - t;

    t = performance.now();
    let done = 0;
    for (let item = await wq.lease('bench', 'bench-worker', 60_000); item; item = await wq.lease('bench', 'bench-worker', 60_000)) {
      await wq.complete(item.id, item.leaseToken);
      done++;
    }
    const drainMs = performance.now() - t;
    assert.equal(done, items, `drained ${done} of ${items}`);

    t = performance.now();
    await wq.addMany('bench-batch', Array.from({ length: items }, (_, i) => ({ payload: payload(i) })));
    const addManyMs = performance.now() - t;
    const stats = await wq.stats('bench');
    assert.equal(stats.done, items);
    return { enqueueMs, drainMs, addManyMs };
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
  assert.ok(Number.isInteger(ITEMS) && ITEMS > 0 && Number.isInteger(RUNS) && RUNS > 0, '--items and --runs must be positive whole numbers');
  const loadBefore = os.loadavg().map(round1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-queue-'));
  try {
    console.error(`bench/queue${quick ? ' (quick)' : ''}: ${ITEMS} items, ${RUNS} runs after a warm-up of ${Math.min(ITEMS, 1000)}`);
    await runOnce(dir, Math.min(ITEMS, 1000));
    const samples: Sample[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const s = await runOnce(dir, ITEMS);
      samples.push(s);
      console.error(`  run ${i}/${RUNS}: enqueue ${rate(ITEMS, s.enqueueMs)}/s, lease+complete ${rate(ITEMS, s.drainMs)}/s, end-to-end ${rate(ITEMS, s.enqueueMs + s.drainMs)}/s`);
    }
    const figure = (ms: (s: Sample) => number) => {
      const perRun = samples.map((s) => rate(ITEMS, ms(s)));
      return { itemsPerS: median(perRun), usPerItem: round1((1000 * 1000) / median(perRun)), runs: perRun };
    };
    const enqueue = figure((s) => s.enqueueMs);
    const drain = figure((s) => s.drainMs);
    const endToEnd = figure((s) => s.enqueueMs + s.drainMs);
    const addMany = figure((s) => s.addManyMs);

    const report = {
      benchmark: 'bench/queue',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
      method: {
        items: ITEMS,
        runs: RUNS,
        store: 'fresh run-store file per run in os.tmpdir(), opened with openDatabase (WAL, synchronous NORMAL, busy_timeout 5000)',
        enqueue: 'add() per item, one transaction each, ~60-byte JSON payload',
        leaseComplete: 'one worker in the same process: lease(60 s) then complete() with no output, each its own BEGIN IMMEDIATE transaction',
        endToEnd: 'items / (enqueue time + lease+complete time)',
        statistic: 'median of the runs; runs lists each run',
      },
      figures: { enqueue, leaseComplete: drain, endToEnd, addManyOneTransaction: addMany },
      target: { endToEndItemsPerS: TARGET_ITEMS_PER_S, met: endToEnd.itemsPerS >= TARGET_ITEMS_PER_S },
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

    const m = report.machine;
    console.log('');
    console.log(`bench/queue — ${report.date}${quick ? '  (QUICK)' : ''}`);
    console.log(`${String(m['os'])}, ${String(m['cpu'])} × ${String(m['cores'])}, node ${String(m['node'])}, SQLite ${String(m['sqlite'])}`);
    console.log(`${ITEMS} no-op items, median of ${RUNS} runs; load average before ${loadBefore.join(' ')}, after ${os.loadavg().map(round1).join(' ')}`);
    console.log('');
    console.log(
      table([
        ['phase', 'items/s', 'µs/item'],
        ['enqueue (add, 1 tx each)', enqueue.itemsPerS, enqueue.usPerItem],
        ['lease + complete', drain.itemsPerS, drain.usPerItem],
        ['end-to-end', endToEnd.itemsPerS, endToEnd.usPerItem],
        ['addMany, 1 tx (info)', addMany.itemsPerS, addMany.usPerItem],
      ]),
    );
    console.log('');
    console.log(`end-to-end ${endToEnd.itemsPerS} items/s (target ≥ ${TARGET_ITEMS_PER_S}: ${report.target.met ? 'MET' : 'NOT MET'})`);
    console.log(`written: ${RESULTS_FILE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
