// bench/agent: how the Scheduler the agent hosts behaves with 1,000 schedules.
//
//   npx tsc -p tsconfig.json && node dist/bench/agent.js [--quick] [--out FILE]
//
// 1. Fire lateness. 1,000 schedules in a real run store (temp RPA_HOME, WAL), on the
//    real clock, a no-op onFire: 100 every second, 200 every 5 s (offset 0–4), 700 once
//    a minute at second i mod 60; zones UTC / Europe/Berlin / America/New_York in turn.
//    About 150 fires a second. Lateness = the moment onFire is called − its slot, over a
//    60-s window after a 2-s warm-up. Target: p99 < 250 ms.
// 2. Idle CPU. 1,000 schedules whose next fire is months away (yearly, spread over the
//    days of next year), a fresh store; process.cpuUsage() over 30 s of the started
//    Scheduler doing nothing but its 10-s heartbeat. Target: < 1 % of one core.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScheduleStore } from '../engine/schedule/schedule-store.js';
import { Scheduler } from '../engine/schedule/scheduler.js';
import { median, percentile, round1, round3, table } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const outIndex = args.indexOf('--out');
const RESULTS_FILE = outIndex >= 0 && args[outIndex + 1] ? path.resolve(args[outIndex + 1]!) : path.join(ROOT, 'bench', 'results', 'agent.json');
const WINDOW_MS = QUICK ? 10_000 : 60_000;
const WARMUP_MS = 2_000;
const IDLE_MS = QUICK ? 5_000 : 30_000;
const COUNT = 1_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = (): number => performance.timeOrigin + performance.now();

function openStore(dir: string): ScheduleStore {
  return ScheduleStore.open(path.join(dir, 'runs.db'));
}

function busyCron(i: number): string {
  if (i < 100) return '* * * * * *';
  if (i < 300) return `${i % 5}-59/5 * * * * *`;
  return `${i % 60} * * * * *`;
}

async function lateness(dir: string): Promise<Record<string, number>> {
  const store = openStore(dir);
  const t0 = performance.now();
  store.transaction(() => {
    for (let i = 0; i < COUNT; i++) store.add({ file: 'bench.json', cron: busyCron(i), timeZone: ZONES[i % ZONES.length]! });
  });
  const addMs = performance.now() - t0;
  const samples: number[] = [];
  let measuring = false;
  let fires = 0;
  const scheduler = new Scheduler({
    store,
    onFire: (_s, at) => {
      fires++;
      if (measuring) samples.push(nowMs() - at.getTime());
      return Promise.resolve();
    },
    onError: (error) => console.error('scheduler error:', error),
  });
  const s0 = performance.now();
  scheduler.start();
  const startMs = performance.now() - s0;
  await sleep(WARMUP_MS);
  measuring = true;
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(WINDOW_MS);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - w0;
  measuring = false;
  await scheduler.stop();
  store.close();
  return {
    schedules: COUNT,
    windowS: round1(wall / 1000),
    fires: samples.length,
    firesPerS: round1(samples.length / (wall / 1000)),
    totalFires: fires,
    p50Ms: round3(median(samples)),
    p99Ms: round3(percentile(samples, 99)),
    maxMs: round3(Math.max(...samples)),
    minMs: round3(Math.min(...samples)),
    cpuPercent: round3(((cpu.user + cpu.system) / 1000 / wall) * 100),
    addAllMs: round1(addMs),
    startMs: round1(startMs),
  };
}

async function idleCpu(dir: string): Promise<Record<string, number>> {
  const store = openStore(dir);
  const nextYear = new Date().getUTCFullYear() + 1;
  store.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const day = new Date(Date.UTC(nextYear, 0, 1 + (i % 365)));
      store.add({ file: 'bench.json', cron: `${i % 60} ${i % 24} ${day.getUTCDate()} ${day.getUTCMonth() + 1} *`, timeZone: ZONES[i % ZONES.length]! });
    }
  });
  let fires = 0;
  const scheduler = new Scheduler({ store, onFire: () => (fires++, Promise.resolve()) });
  scheduler.start();
  await sleep(1_000); // let start-up work (and its garbage) settle out of the window
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(IDLE_MS);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - w0;
  await scheduler.stop();
  store.close();
  if (fires) throw new Error(`idle schedules fired ${fires} times`);
  return {
    schedules: COUNT,
    windowS: round1(wall / 1000),
    cpuMs: round1((cpu.user + cpu.system) / 1000),
    cpuPercent: round3(((cpu.user + cpu.system) / 1000 / wall) * 100),
  };
}

const dir = path.join(os.tmpdir(), `rpa-bench-agent-${process.pid}`);
try {
  mkdirSync(path.join(dir, 'busy'), { recursive: true });
  mkdirSync(path.join(dir, 'idle'), { recursive: true });
  console.log(`fire lateness: ${COUNT} schedules, ${WINDOW_MS / 1000}-s window…`);
  const late = await lateness(path.join(dir, 'busy'));
  console.log(`idle CPU: ${COUNT} far-off schedules, ${IDLE_MS / 1000} s…`);
  const idle = await idleCpu(path.join(dir, 'idle'));
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}, ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}`,
    quick: QUICK,
    lateness: { ...late, targetP99Ms: 250, pass: late['p99Ms']! < 250 },
    idle: { ...idle, targetPercent: 1, pass: idle['cpuPercent']! < 1 },
  };
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\n${table([
      ['measure', 'value', 'target'],
      ['fires measured', String(late['fires']), ''],
      ['fires per second', late['firesPerS']!, ''],
      ['lateness p50 (ms)', late['p50Ms']!.toFixed(2), ''],
      ['lateness p99 (ms)', late['p99Ms']!.toFixed(2), '< 250'],
      ['lateness max (ms)', late['maxMs']!.toFixed(2), ''],
      ['CPU while firing (% core)', late['cpuPercent']!.toFixed(2), ''],
      ['add 1,000 schedules (ms)', late['addAllMs']!, ''],
      ['Scheduler.start (ms)', late['startMs']!, ''],
      ['idle CPU (% core)', idle['cpuPercent']!.toFixed(3), '< 1'],
    ])}\n\nwrote ${RESULTS_FILE}`,
  );
  if (!results.lateness.pass || !results.idle.pass) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
