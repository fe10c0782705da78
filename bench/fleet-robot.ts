// One robot of bench/fleet: drains a central queue through RemoteWorkQueue (what rpa agent uses)
// with no-op work (or, with WORK=file, reading the file the item refers to), until the queue
// says every item is done. Each call completes the batch it worked and leases the next
// (completeAndLease: one request). Prints one JSON line when it ends: its call latencies and counts.
// Env: URLS (comma-separated servers; the robot uses URLS[INDEX % n]), TOKEN, QUEUE, TOTAL,
// BATCH, LEASE_MS, INDEX, WORK (noop | file | wait), WORK_MS (wait: the wall time of each item),
// QUEUE_MODULE, WAIT_GO (0: do not wait for "go" on stdin),
// WARMUP_QUEUE and WARMUP_CALLS (calls on that queue before "ready").
// cpuMs: CPU time from "go" to the end.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Completion, RemoteWorkQueue as Queue } from '../engine/queue/index.js';

// QUEUE_MODULE: the engine/queue/index.js of another build (bench/fleet --baseline): the same
// robot loop with that build's client.
const { RemoteWorkQueue } = (await import(process.env.QUEUE_MODULE ? pathToFileURL(process.env.QUEUE_MODULE).href : '../engine/queue/index.js')) as { RemoteWorkQueue: typeof Queue };

const env = process.env;
const urls = (env.URLS ?? '').split(',');
const index = Number(env.INDEX ?? 0);
const queue = env.QUEUE ?? 'bench';
const total = Number(env.TOTAL);
const batch = Number(env.BATCH ?? 25);
const leaseMs = Number(env.LEASE_MS ?? 5000);
const work = env.WORK ?? 'noop';
// work=wait: each item takes WORK_MS of wall time and next to no CPU, as a robot waiting on a
// legacy application's screen — the robots' own CPU then leaves the queue's scaling to be seen.
const workMs = Number(env.WORK_MS ?? 20);
const wq = new RemoteWorkQueue({ serverUrl: urls[index % urls.length]!, token: env.TOKEN! });
const worker = `robot-${index}-${process.pid}`;

// Ready, then go: the robot loads its modules and opens its connection (one stats call) before
// the bench opens the queue to all robots at once, so that N robots starting up (a node process,
// its modules, its JIT) is not counted as the queue's throughput. WAIT_GO=0 (a robot started in
// place of a killed one) goes at once.
await wq.stats(queue);
// Warm-up on a queue of its own (WARMUP_QUEUE, WARMUP_CALLS): the robot's client and JIT, the
// servers' routes and the pooled database connections' plans are warm before the clock starts.
if (env.WARMUP_QUEUE && env.WAIT_GO !== '0') {
  let held: Completion[] = [];
  for (let call = 0; call < Number(env.WARMUP_CALLS ?? 5); call++) {
    const { leased } = await wq.completeAndLease(held, env.WARMUP_QUEUE, `warmup-${index}`, leaseMs, batch);
    held = leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken }));
  }
  await wq.completeMany(held);
}
if (env.WAIT_GO !== '0') {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('go')) resolve();
    });
  });
  process.stdin.pause();
}
const cpuAtGo = process.cpuUsage();

const leaseLatencies: number[] = [];
let completed = 0;
let lost = 0;
let bytesRead = 0;
let worked: Completion[] = [];

for (;;) {
  const t = performance.now();
  const { settled, leased } = await wq.completeAndLease(worked, queue, worker, leaseMs, batch);
  leaseLatencies.push(performance.now() - t);
  // The bench's fault injector kills robots that hold leases: it learns from this line that this one does.
  if (leaseLatencies.length === 1) process.stdout.write('leased\n');
  for (const s of settled) if (s.ok) completed++;
  else lost++;
  worked = [];
  if (leased.length === 0) {
    const stats = await wq.stats(queue);
    if (stats.done + stats.failed + stats.dead >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    continue;
  }
  if (work === 'file') for (const item of leased) bytesRead += readFileSync((item.payload as { document: string }).document).length;
  if (work === 'wait') for (let i = 0; i < leased.length; i++) await new Promise((resolve) => setTimeout(resolve, workMs));
  worked = leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken }));
}
process.stdout.write(`${JSON.stringify({ worker, completed, leaseLost: lost, bytesRead, leaseLatencies: leaseLatencies.map((ms) => Math.round(ms * 100) / 100), cpuMs: Math.round(((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(cpuAtGo))) })}\n`);
