// bench/fleet: N robot processes draining one central queue on PostgreSQL, through two server
// processes (robots alternate between them, as behind a load balancer), side by side for each N.
//
//   npx tsc -p tsconfig.json && nice node dist/bench/fleet.js [--items 20000] [--robots 1,2,4,8]
//       [--servers 2] [--batch 25,100] [--lease-ms 3000] [--kill-every-ms 3000] [--work noop|file|wait] [--work-ms 20] [--out FILE]
//       [--baseline DIR] [--warmup-calls 5] [--robot-sessions] [--modes calm,kill] [--kill-starting]
//
// --baseline DIR: the dist/ of an earlier build (e.g. `git archive` of an older commit, built
// with tsc): each configuration runs with that build's servers and robots, then with this one's,
// one after the other, so that the ratio new/baseline is measured under the same load of the
// shared machine.
//
// --work wait: each item takes --work-ms of wall time (a robot waiting on a legacy application):
// the queue's own scaling (contention, lock waits, lease latency) apart from no-op robots' CPU.
//
// For each lease batch size and each N, twice — calm, then with a robot SIGKILLed (and a new one started in its place)
// every --kill-every-ms — on a fresh schema: the admin adds the items (addMany, 2,000 a call),
// then N robots (dist/bench/fleet-robot.js, RemoteWorkQueue as rpa agent uses it) start, load
// their modules, open their connections and warm up (--warmup-calls batches each on a queue of
// their own: the client's JIT, the servers' routes, the pooled connections' plans — a fleet's
// robots are long-running processes), and once all are ready are let go together; they lease
// --batch items, do no work (or read the small file each item refers to), complete them, and
// stop when the queue says everything is done. Throughput = items / (last completion − first
// lease), both from the server's events. p99 lease latency = of every lease call the surviving
// robots made. Checked after every run from the database: every item done exactly once (one
// done event per item: 0 worked twice to completion, 0 lost). CPU seconds of the server
// processes, of PostgreSQL (the backends serving them) and of the robots say where the time goes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { RemoteWorkQueue } from '../engine/queue/index.js';
import { createQueue, enrollDevice, grant, PG_URL, startFleetServers } from '../test/helpers/fleet-servers.js';
import { percentile, round1 } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROBOT = fileURLToPath(new URL('./fleet-robot.js', import.meta.url));

const { values } = parseArgs({
  options: {
    items: { type: 'string' },
    robots: { type: 'string' },
    servers: { type: 'string' },
    batch: { type: 'string' },
    'lease-ms': { type: 'string' },
    'kill-every-ms': { type: 'string' },
    modes: { type: 'string' },
    work: { type: 'string' },
    'work-ms': { type: 'string' },
    'warmup-calls': { type: 'string' },
    'robot-sessions': { type: 'boolean' },
    'kill-starting': { type: 'boolean' },
    out: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const ITEMS = Number(values.items ?? 20_000);
const ROBOTS = (values.robots ?? '1,2,4,8').split(',').map(Number);
const SERVERS = Number(values.servers ?? 2);
const BATCHES = (values.batch ?? '25,100').split(',').map(Number);
const LEASE_MS = Number(values['lease-ms'] ?? 3000);
const KILL_EVERY_MS = Number(values['kill-every-ms'] ?? 3000);
// --modes calm,kill (default; kill only with --kill-every-ms > 0): which runs to make.
const MODES = (values.modes ?? 'calm,kill').split(',');
const WORK = values.work ?? 'noop';
const WORK_MS = Number(values['work-ms'] ?? 20);
const WARMUP_CALLS = Number(values['warmup-calls'] ?? 5);
const ROBOT_SESSIONS = values['robot-sessions'] ?? false;
// The fault under test is a robot killed while it holds leases. By default the injector picks
// among robots that have leased since they started; --kill-starting also kills robots still
// starting (the bench before 2026-12-07 did): when a restart takes longer than --kill-every-ms, as
// under load, a robot is killed before it leases and one robot never works at all.
const KILL_STARTING = values['kill-starting'] ?? false;
const RESULTS_FILE = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'fleet.json'));
const BASELINE = values.baseline ? path.resolve(values.baseline) : undefined;
// The baseline's robots run this build's robot loop (bench/fleet-robot.js) with the baseline's
// queue client (QUEUE_MODULE), so that both builds do the same work (e.g. --work wait).
const BUILDS: Array<{ name: 'baseline' | 'new'; serverMain?: string; queueModule?: string; robot: string }> = [
  ...(BASELINE ? [{ name: 'baseline' as const, serverMain: path.join(BASELINE, 'server', 'main.js'), queueModule: path.join(BASELINE, 'engine', 'queue', 'index.js'), robot: ROBOT }] : []),
  { name: 'new', robot: ROBOT },
];

const TICK_MS = 1000 / 100; // USER_HZ on Linux

function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * CPU ms of the PostgreSQL backends serving this run's servers (their connections carry the
 * schema as application_name), by pid. Other work on the machine uses the same PostgreSQL: its
 * backends, and the shared background processes (WAL writer, checkpointer, autovacuum), are
 * left out.
 */
async function postgresCpu(db: pg.Client, schema: string): Promise<Map<number, number>> {
  const pids = (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [schema])).rows.map((row) => row.pid);
  return new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
}

const postgresDelta = (before: Map<number, number>, after: Map<number, number>): number => [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

interface RobotReport {
  completed: number;
  leaseLost: number;
  leaseLatencies: number[];
  cpuMs: number;
}

interface Run {
  /** new: this build; baseline: the --baseline build, run just before under the same load. */
  build: 'baseline' | 'new';
  robots: number;
  batch: number;
  chaos: boolean;
  items: number;
  itemsPerS: number;
  wallS: number;
  enqueuePerS: number;
  leaseP50Ms: number;
  leaseP99Ms: number;
  leaseCalls: number;
  kills: number;
  /**
   * Of the kills, those of a robot that had not leased yet (still starting: its process, modules
   * and first call) — with --kill-only-leasing (the default) none: see killOnlyLeasing.
   */
  killsBeforeFirstLease: number;
  /** Size of the indexes of queue_items and queue_item_events after the run. */
  indexMiB: number;
  /** Ticks of the fault injector that found no robot holding a lease to kill. */
  killTicksSkipped: number;
  /** Robots started in place of killed ones: median and slowest ms from spawn to their first lease answer. */
  restartToLeaseMs: { p50: number; max: number } | null;
  abandonedAttempts: number;
  workedTwiceToCompletion: number;
  lost: number;
  cpuS: { servers: number; postgres: number; robots: number };
  /**
   * Items per CPU second of servers + PostgreSQL + robots: less sensitive than items/s to other
   * work on the cores. Calm runs only (a killed robot's CPU time is not known).
   */
  itemsPerCpuS: number | null;
}

/**
 * A robot process. It says "ready" once its modules are loaded and its connection is open, and
 * leases nothing before go() (robots started in place of killed ones: waitGo false, they go at once).
 */
function startRobot(robot: string, env: Record<string, string>, reports: RobotReport[], waitGo: boolean): { child: ChildProcess; exited: Promise<void>; ready: Promise<void>; go: () => void; startedAt: number; firstLeaseAt: () => number | undefined } {
  const startedAt = performance.now();
  let firstLeaseAt: number | undefined;
  // FLEET_ROBOT_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the robots.
  const child = spawn(process.execPath, [...(process.env.FLEET_ROBOT_NODE_ARGS?.split(' ').filter(Boolean) ?? []), robot], {
    env: { ...process.env, ...env, WAIT_GO: waitGo ? '1' : '0' },
    stdio: ['pipe', 'pipe', 'inherit'],
    // --robot-sessions: each robot in a session of its own (setsid), as robots on machines of their
    // own. Linux with sched_autogroup gives each session one share of the CPU: robots in the bench's
    // session all share one share, so that adding robots only divides it.
    detached: ROBOT_SESSIONS,
  });
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) {
      out = out.slice('ready\n'.length);
      onReady();
    }
    if (out.startsWith('leased\n')) {
      out = out.slice('leased\n'.length);
      firstLeaseAt = performance.now();
    }
  });
  child.stdin.on('error', () => {}); // a robot killed before go
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code === 0 && out.trim()) reports.push(JSON.parse(out.trim()) as RobotReport);
      else if (signal !== 'SIGKILL') console.error(`robot ${env.INDEX} ended with ${code ?? signal}`);
      onReady();
      resolve();
    }),
  );
  return { child, exited, ready, go: () => child.stdin.end('go\n'), startedAt, firstLeaseAt: () => firstLeaseAt };
}

async function runOnce(build: (typeof BUILDS)[number], robots: number, batch: number, chaos: boolean, files: string[]): Promise<Run> {
  // FLEET_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the servers.
  const fleet = await startFleetServers(SERVERS, { AUDIT_RATE_LIMIT: 'off' }, process.env.FLEET_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [], ...(build.serverMain ? [build.serverMain] : []));
  const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${fleet.schema}` });
  await db.connect();
  try {
    const base = fleet.urls[0]!;
    await createQueue(base, fleet.admin, 'bench', { backoffBaseMs: 0, maxRetries: 100 });
    const devices: Array<{ deviceId: string; token: string }> = [];
    for (let i = 0; i < robots; i++) {
      const device = await enrollDevice(base, fleet.admin, `bench robot ${i}`);
      await grant(base, fleet.admin, 'bench', device.deviceId);
      devices.push(device);
    }
    const admin = new RemoteWorkQueue({ serverUrl: base, token: fleet.admin });
    // The warm-up queue: WARMUP_CALLS batches per robot, worked before the clock starts.
    await createQueue(base, fleet.admin, 'warmup', { backoffBaseMs: 0 });
    for (const device of devices) await grant(base, fleet.admin, 'warmup', device.deviceId);
    const warmupItems = robots * batch * WARMUP_CALLS;
    for (let i = 0; i < warmupItems; i += 2000) await admin.addMany('warmup', Array.from({ length: Math.min(2000, warmupItems - i) }, (_, j) => ({ payload: { document: files[0], invoice: `WARM-${i + j}` } })));
    const t0 = performance.now();
    for (let i = 0; i < ITEMS; i += 2000) {
      await admin.addMany('bench', Array.from({ length: Math.min(2000, ITEMS - i) }, (_, j) => ({ payload: { document: files[(i + j) % files.length], invoice: `INV-${i + j}` }, idempotencyKey: `INV-${i + j}` })));
    }
    const enqueuePerS = ITEMS / ((performance.now() - t0) / 1000);

    const serverPids = fleet.servers.map((s) => s.child.pid!);
    const reports: RobotReport[] = [];
    const envOf = (i: number) => ({ URLS: fleet.urls.join(','), TOKEN: devices[i]!.token, QUEUE: 'bench', TOTAL: String(ITEMS), BATCH: String(batch), LEASE_MS: String(LEASE_MS), INDEX: String(i), WORK, WORK_MS: String(WORK_MS), WARMUP_QUEUE: 'warmup', WARMUP_CALLS: String(WARMUP_CALLS), ...(build.queueModule ? { QUEUE_MODULE: build.queueModule } : {}) });
    const live = new Map<number, ReturnType<typeof startRobot>>();
    const all: Array<Promise<void>> = [];
    for (let i = 0; i < robots; i++) {
      const robot = startRobot(build.robot, envOf(i), reports, true);
      live.set(i, robot);
      all.push(robot.exited);
    }
    await Promise.all([...live.values()].map((robot) => robot.ready));
    const serverCpu0 = serverPids.map(cpuMsOf);
    const pgCpu0 = await postgresCpu(db, fleet.schema);
    const start = performance.now();
    for (const robot of live.values()) robot.go();
    let kills = 0;
    let killsBeforeFirstLease = 0;
    let killTicksSkipped = 0;
    const replacements: Array<ReturnType<typeof startRobot>> = [];
    let finished = false;
    const chaosTimer = chaos
      ? setInterval(() => {
          if (finished) return;
          const candidates = [...live].filter(([, robot]) => robot.child.exitCode === null && (KILL_STARTING || robot.firstLeaseAt() !== undefined));
          if (candidates.length === 0) {
            killTicksSkipped++;
            return;
          }
          const [i, victim] = candidates[Math.floor(Math.random() * candidates.length)]!;
          victim.child.kill('SIGKILL');
          kills++;
          if (victim.firstLeaseAt() === undefined) killsBeforeFirstLease++;
          // FLEET_KILL_LOG=1: each kill on stderr, as it happens (a stalled run prints nothing else).
          if (process.env.FLEET_KILL_LOG) console.error(`${new Date().toISOString()} kill robot ${i} (${victim.firstLeaseAt() === undefined ? 'not leased yet' : 'leasing'}, up ${Math.round(performance.now() - victim.startedAt)} ms); load ${os.loadavg()[0]!.toFixed(1)}`);
          const replacement = startRobot(build.robot, envOf(i), reports, false);
          replacements.push(replacement);
          live.set(i, replacement);
          all.push(replacement.exited);
        }, KILL_EVERY_MS)
      : undefined;
    // Robots started in place of killed ones join the list while it is awaited.
    for (let seen = 0; seen < all.length; ) {
      const upTo = all.length;
      await Promise.all(all.slice(seen, upTo));
      seen = upTo;
    }
    finished = true;
    clearInterval(chaosTimer);
    const wallS = (performance.now() - start) / 1000;
    const serverCpu = serverPids.reduce((sum, pid, i) => sum + cpuMsOf(pid) - serverCpu0[i]!, 0);
    const pgCpu = postgresDelta(pgCpu0, await postgresCpu(db, fleet.schema));

    const span = (await db.query<{ s: number }>(`SELECT extract(epoch FROM max(ts) FILTER (WHERE to_state = 'done') - min(ts) FILTER (WHERE to_state = 'in_progress'))::float8 AS s FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id WHERE i.queue = 'bench'`)).rows[0]!.s;
    const twice = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT item_id FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id WHERE i.queue = 'bench' AND to_state = 'done' GROUP BY item_id HAVING count(*) > 1) t`)).rows[0]!.n);
    const done = Number((await db.query<{ n: string }>(`SELECT count(DISTINCT item_id) AS n FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id WHERE i.queue = 'bench' AND to_state = 'done'`)).rows[0]!.n);
    const states = (await db.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM queue_items WHERE queue = 'bench' GROUP BY state`)).rows;
    const abandoned = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id WHERE i.queue = 'bench' AND from_state = 'in_progress' AND actor = 'server'`)).rows[0]!.n);
    assert.equal(twice, 0, 'an item was worked to completion twice');
    assert.equal(done, ITEMS, `items lost: ${JSON.stringify(states)}`);
    const latencies = reports.flatMap((r) => r.leaseLatencies);
    const restarts = replacements.flatMap((r) => (r.firstLeaseAt() === undefined ? [] : [r.firstLeaseAt()! - r.startedAt]));
    // What the run left in the indexes of the queue tables (this run's schema: the bench and warm-up queues): the index writes of its state changes.
    const indexBytes = Number((await db.query<{ n: string }>(`SELECT sum(pg_relation_size(indexrelid)) AS n FROM pg_index WHERE indrelid IN ('queue_items'::regclass, 'queue_item_events'::regclass)`)).rows[0]!.n);
    const robotCpu = reports.reduce((sum, r) => sum + r.cpuMs, 0);
    return {
      build: build.name,
      robots,
      batch,
      chaos,
      items: ITEMS,
      itemsPerS: Math.round(ITEMS / span),
      wallS: round1(wallS),
      enqueuePerS: Math.round(enqueuePerS),
      leaseP50Ms: round1(percentile(latencies, 50)),
      leaseP99Ms: round1(percentile(latencies, 99)),
      leaseCalls: latencies.length,
      kills,
      killsBeforeFirstLease,
      killTicksSkipped,
      restartToLeaseMs: restarts.length === 0 ? null : { p50: Math.round(percentile(restarts, 50)), max: Math.round(Math.max(...restarts)) },
      indexMiB: round1(indexBytes / 1048576),
      abandonedAttempts: abandoned,
      workedTwiceToCompletion: twice,
      lost: ITEMS - done,
      cpuS: { servers: round1(serverCpu / 1000), postgres: round1(pgCpu / 1000), robots: round1(robotCpu / 1000) },
      itemsPerCpuS: chaos ? null : Math.round(ITEMS / ((serverCpu + pgCpu + robotCpu) / 1000)),
    };
  } finally {
    await db.end();
    await fleet.close();
  }
}

const loadBefore = os.loadavg().map(round1);
console.log(`bench/fleet: ${ITEMS} items, robots ${ROBOTS.join(',')}, ${SERVERS} server processes, batch ${BATCHES.join(',')}, lease ${LEASE_MS} ms, work ${WORK}${WORK === 'wait' ? ` ${WORK_MS} ms per item` : ''}${ROBOT_SESSIONS ? ', robots in sessions of their own' : ''}; ${os.cpus().length} cores; load before ${loadBefore.join(' ')}`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-fleet-bench-'));
const files = Array.from({ length: 50 }, (_, i) => {
  const file = path.join(dir, `invoice-${i}.txt`);
  writeFileSync(file, `INVOICE ${i}\nACME Ltd\nTotal: ${(i * 37) % 1000}.00 EUR\n`.repeat(20));
  return file;
});
const runs: Run[] = [];
// Written after every run, so that a bench stopped part-way keeps the runs it made.
function writeResults(): void {
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        bench: 'fleet',
        date: new Date().toISOString(),
        machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
        config: { items: ITEMS, servers: SERVERS, killStarting: KILL_STARTING, batches: BATCHES, leaseMs: LEASE_MS, killEveryMs: KILL_EVERY_MS, modes: MODES, work: WORK, ...(WORK === 'wait' ? { workMsPerItem: WORK_MS } : {}), baseline: BASELINE ?? null, warmupCalls: WARMUP_CALLS, robotSessions: ROBOT_SESSIONS },
        loadBefore,
        loadAfter: os.loadavg().map(round1),
        runs,
      },
      null,
      2,
    )}\n`,
  );
}
try {
  for (const batch of BATCHES) {
    for (const chaos of [...(MODES.includes('calm') ? [false] : []), ...(KILL_EVERY_MS > 0 && MODES.includes('kill') ? [true] : [])]) {
      for (const robots of ROBOTS) {
        for (const build of BUILDS) {
          const run = await runOnce(build, robots, batch, chaos, files);
          runs.push(run);
          writeResults();
          const base = runs.find((r) => r.build === build.name && r.robots === ROBOTS[0] && r.chaos === chaos && r.batch === batch)!;
          const baseline = runs.find((r) => r.build === 'baseline' && r.robots === robots && r.chaos === chaos && r.batch === batch);
          console.log(
            `${build.name.padEnd(8)} batch ${String(batch).padEnd(3)} ${chaos ? 'kill' : 'calm'}  N=${String(robots).padEnd(2)} ${String(run.itemsPerS).padStart(6)} items/s (×${round1(run.itemsPerS / base.itemsPerS)} of N=${ROBOTS[0]}${build.name === 'new' && baseline ? `, ×${round1(run.itemsPerS / baseline.itemsPerS)} of baseline` : ''})  lease p50 ${run.leaseP50Ms} ms p99 ${run.leaseP99Ms} ms  kills ${run.kills}${run.killsBeforeFirstLease ? ` (${run.killsBeforeFirstLease} still starting)` : ''}${run.restartToLeaseMs ? ` restart→lease p50 ${run.restartToLeaseMs.p50} max ${run.restartToLeaseMs.max} ms` : ''} abandoned ${run.abandonedAttempts}  indexes ${run.indexMiB} MiB  twice ${run.workedTwiceToCompletion} lost ${run.lost}  cpu s: servers ${run.cpuS.servers} postgres ${run.cpuS.postgres} robots ${run.cpuS.robots}${run.itemsPerCpuS === null ? '' : ` → ${run.itemsPerCpuS} items per CPU s`}  (enqueue ${run.enqueuePerS}/s)`,
          );
        }
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load after ${os.loadavg().map(round1).join(' ')}`);
writeResults();
console.log(`wrote ${path.relative(ROOT, RESULTS_FILE)}`);
