// bench/audit: audit-server ingest throughput against real PostgreSQL.
//
//   npx tsc -p tsconfig.json && node --max-semi-space-size=64 dist/bench/audit.js [--db URL] [--out FILE] [--label TEXT]
//        [--baseline FILE] [--quick] [--profile FILE.cpuprofile] [--verify-threads N (default 1)]
//
// --baseline FILE: an earlier result (e.g. of the code before a change) copied into this one's
// "baseline" member and printed beside it.
//
// One run compares two servers side by side (checks on verification workers, as npm run server
// runs, and on the server thread), each on a fresh schema of the test database (created first,
// dropped at the end), every phase on both:
//   0. warm-up: 20 batches from a device of its own (not counted);
//   1. ingest through the real server: buildServer() listening on 127.0.0.1 (a real TCP socket,
//      HTTP/1.1 keep-alive via Node's fetch from a client in a worker thread, bench/audit-client.ts,
//      so the server's event loop carries only the server), rate limit off, logger off. Every batch carries 500
//      sealed records of run events (~400-700 bytes of JSON each) signed with the device's Ed25519
//      key, so the server checks schema, signature, every hash and every link, then inserts.
//      a) one device, 40 batches (20,000 records) sent one after the other, then again with two
//         batches in flight (as the sync client sends);
//      b) four devices at once, 20 batches each (40,000 records).
//      Records/s = records / wall time; latency = request start → response, per batch; CPU per
//      batch from /proc (server thread, rest of this process, PostgreSQL, rest of the machine).
//   2. drain: one fresh device uploads a 100,000-record backlog (200 batches) from ack 0.
//   3. the physical limit: the same 100,000 rows COPYed (FROM STDIN, text format) into a table
//      of the same shape (CREATE TABLE … (LIKE audit_records INCLUDING ALL): same columns,
//      primary key, indexes). Our drain throughput is reported as a ratio of it.
// Records, signatures and the request bodies (JSON, UTF-8 encoded) are prepared before the clock
// starts. Client and server share this process (not its event loop) and the 2 cores with PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateDeviceKeys, type AuditRecord } from '../audit/index.js';
import { BATCH, COPY_COLUMNS, copyRows, prepareBatches, type ChainDevice } from './audit-records.js';
import { buildServer } from '../server/app.js';
import { createPgClient } from '../server/db.js';
import type { SendJob, SendOutcome } from './audit-client.js';
import { percentile, round1, table } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' }, label: { type: 'string' }, baseline: { type: 'string' }, quick: { type: 'boolean' }, profile: { type: 'string' }, 'verify-threads': { type: 'string' } } });
const VERIFY_THREADS = Number(values['verify-threads'] ?? 1);
const PG_URL = values.db ?? process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS_FILE = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', 'audit.json'));
const quick = values.quick === true;
const SINGLE_BATCHES = quick ? 10 : 40;
const CONCURRENT_DEVICES = 4;
const CONCURRENT_BATCHES = quick ? 5 : 20;
const DRAIN_BATCHES = quick ? 20 : 200;
const TARGET_RATE = 20_000;
const TARGET_P99_MS = 250;
const ADMIN = `adm_bench_${randomBytes(12).toString('hex')}`;

interface BenchDevice extends ChainDevice {
  tokens: Record<Mode, string>;
}

// ---------------------------------------------------------------- HTTP
/** The two servers compared: batches checked on the server thread, and on verification workers. */
type Mode = 'inThread' | 'pool';
const MODES: readonly Mode[] = ['inThread', 'pool'];
const baseUrls: Record<Mode, string> = { inThread: '', pool: '' };

async function post(baseUrl: string, pathname: string, token: string | undefined, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(baseUrl + pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}

/** One device (id and key), enrolled on both servers: the same signed bodies go to each. */
async function enroll(): Promise<BenchDevice> {
  const device: BenchDevice = { deviceId: `dev_bench_${randomBytes(4).toString('hex')}`, keys: generateDeviceKeys(), tokens: { inThread: '', pool: '' }, last: undefined };
  for (const mode of MODES) {
    const enrollment = await post(baseUrls[mode], '/v1/enrollment-tokens', ADMIN, '{}');
    assert.equal(enrollment.status, 201);
    const registered = await post(baseUrls[mode], '/v1/devices', undefined, JSON.stringify({ enrollmentToken: enrollment.json.enrollmentToken, name: 'bench', publicKey: device.keys.publicKeyPem, deviceId: device.deviceId }));
    assert.equal(registered.status, 201, JSON.stringify(registered.json));
    device.tokens[mode] = registered.json.deviceToken as string;
  }
  return device;
}

/** The client thread (bench/audit-client.ts); one phase at a time. */
let client: Worker | undefined;

/**
 * Sends each device's batches in order to one server, the devices at once, keeping up to
 * `window` requests of a device in flight (1 = wait for each answer; 2 = what the sync client
 * does: the next batch is verified while one is written). Copies of the bodies are handed over
 * to the client thread (transferred, before its clock starts). Returns the wall time and each
 * batch's latency in ms.
 */
function send(mode: Mode, devices: Array<{ device: BenchDevice; bodies: Buffer[] }>, window = 1): Promise<{ ms: number; latencies: number[] }> {
  const worker = client!;
  const copies = devices.map(({ device, bodies }) => ({ token: device.tokens[mode], bodies: bodies.map((body) => Buffer.from(body)) }));
  const job: SendJob = { baseUrl: baseUrls[mode], window, batch: BATCH, devices: copies };
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (outcome: SendOutcome) => {
      worker.off('error', onError);
      if (outcome.ok) resolve({ ms: outcome.ms, latencies: outcome.latencies });
      else reject(new Error(`ingest failed (${mode}): ${outcome.error}`));
    });
    worker.postMessage(job, copies.flatMap(({ bodies }) => bodies.map((body) => body.buffer)));
  });
}

// ---------------------------------------------------------------- CPU accounting (Linux /proc)
const TICK_MS = 10; // USER_HZ = 100
const statTicks = (file: string): number => {
  try {
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0; // the task ended meanwhile
  }
};
/** CPU used so far (ms): this process's main thread (the server), its other threads (client, GC, libuv), all postgres processes, the whole machine. */
interface CpuSample {
  server: number;
  process: number;
  postgres: number;
  machine: number;
}
function cpuSample(): CpuSample {
  let postgres = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') postgres += statTicks(`/proc/${entry}/stat`);
    } catch {
      // gone
    }
  }
  const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = cpuLine.reduce((a, b) => a + b, 0) - cpuLine[3]! - (cpuLine[4] ?? 0); // minus idle and iowait
  return { server: statTicks(`/proc/self/task/${process.pid}/stat`) * TICK_MS, process: statTicks('/proc/self/stat') * TICK_MS, postgres: postgres * TICK_MS, machine: busy * TICK_MS };
}
/** CPU ms per batch between two samples; `other` is what the rest of the machine used. */
function cpuPerBatch(before: CpuSample, after: CpuSample, batches: number): { serverThread: number; restOfProcess: number; postgres: number; other: number } {
  const server = after.server - before.server;
  const proc = after.process - before.process;
  const postgres = after.postgres - before.postgres;
  const machine = after.machine - before.machine;
  const per = (ms: number) => round1(ms / batches);
  return { serverThread: per(server), restOfProcess: per(proc - server), postgres: per(postgres), other: per(Math.max(0, machine - proc - postgres)) };
}

interface Phase {
  records: number;
  batches: number;
  seconds: number;
  recordsPerS: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** CPU ms per batch (from /proc, 10 ms resolution summed over the phase). */
  cpuMsPerBatch?: ReturnType<typeof cpuPerBatch>;
}

function phase(records: number, ms: number, latencies: number[], cpu?: ReturnType<typeof cpuPerBatch>): Phase {
  return {
    ...(cpu ? { cpuMsPerBatch: cpu } : {}),
    records,
    batches: latencies.length,
    seconds: Math.round(ms) / 1000,
    recordsPerS: Math.round((records / ms) * 1000),
    latencyMs: { p50: round1(percentile(latencies, 50)), p99: round1(percentile(latencies, 99)), max: round1(Math.max(...latencies)) },
  };
}


// ---------------------------------------------------------------- physical limit
/** The same rows COPYed (text format, FROM STDIN) into a table of the same shape: the floor. */
async function physicalLimit(client: pg.Client, schema: string, records: AuditRecord[]): Promise<{ records: number; seconds: number; recordsPerS: number }> {
  await client.query(`CREATE TABLE ${schema}.audit_records_copy (LIKE ${schema}.audit_records INCLUDING ALL)`);
  const t = performance.now();
  const stream = client.query(
    copyFrom(`COPY ${schema}.audit_records_copy (${COPY_COLUMNS}) FROM STDIN`),
  );
  const rows = function* (): Generator<string> {
    for (let i = 0; i < records.length; i += 1000) yield copyRows(records.slice(i, i + 1000));
  };
  await pipeline(Readable.from(rows()), stream);
  const ms = performance.now() - t;
  const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.audit_records_copy`);
  assert.equal(Number(count.rows[0]!.n), records.length);
  return { records: records.length, seconds: Math.round(ms) / 1000, recordsPerS: Math.round((records.length / ms) * 1000) };
}

interface Figures {
  single: Phase;
  singlePipelined?: Phase;
  concurrent4: Phase;
  drain100k: Phase;
  physicalLimit: { records: number; seconds: number; recordsPerS: number };
  drainVsPhysical: number;
}
interface Baseline {
  label: unknown;
  date: unknown;
  loadAverage: unknown;
  figures: Figures;
}

/** --profile FILE: a CPU profile of the server thread during the drain (open it in Chrome DevTools). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

// ---------------------------------------------------------------- main
async function main(): Promise<void> {
  const stamp = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const schemas: Record<Mode, string> = { inThread: `audit_bench_${stamp}_a`, pool: `audit_bench_${stamp}_b` };
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const pgVersion = (await admin.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
  const dbs = {} as Record<Mode, ReturnType<typeof createPgClient>>;
  const apps = {} as Record<Mode, Awaited<ReturnType<typeof buildServer>>>;
  for (const mode of MODES) {
    await admin.query(`CREATE SCHEMA ${schemas[mode]}`);
    dbs[mode] = createPgClient({ connectionString: PG_URL, schema: schemas[mode], max: 10 });
    apps[mode] = await buildServer({ db: dbs[mode], adminToken: ADMIN, rateLimit: false, logger: false, verifyThreads: mode === 'pool' ? VERIFY_THREADS : 0 });
  }
  const loadBefore = os.loadavg().map(round1);
  try {
    for (const mode of MODES) {
      await apps[mode].listen({ host: '127.0.0.1', port: 0 });
      baseUrls[mode] = `http://127.0.0.1:${(apps[mode].server.address() as AddressInfo).port}`;
    }

    const warm = await enroll();
    const single = await enroll();
    const pipelined = await enroll();
    const group = await Promise.all(Array.from({ length: CONCURRENT_DEVICES }, enroll));
    const drain = await enroll();
    const tPrep = performance.now();
    const warmBodies = prepareBatches(warm, 20).bodies;
    const singleBodies = prepareBatches(single, SINGLE_BATCHES).bodies;
    const pipelinedBodies = prepareBatches(pipelined, SINGLE_BATCHES).bodies;
    const groupBodies = group.map((device) => ({ device, bodies: prepareBatches(device, CONCURRENT_BATCHES).bodies }));
    const drainPrepared = prepareBatches(drain, DRAIN_BATCHES);
    const prepSeconds = (performance.now() - tPrep) / 1000;
    const sample = drainPrepared.records.slice(0, 1000).map((r) => Buffer.byteLength(JSON.stringify(r)));
    const recordBytes = { mean: Math.round(sample.reduce((a, b) => a + b, 0) / sample.length), min: Math.min(...sample), max: Math.max(...sample) };
    const batchBytes = drainPrepared.bodies[0]!.length;
    console.log(`prepared in ${prepSeconds.toFixed(1)} s; record JSON ${recordBytes.min}-${recordBytes.max} bytes (mean ${recordBytes.mean}), batch body ${(batchBytes / 1024).toFixed(0)} KiB`);

    client = new Worker(new URL('./audit-client.js', import.meta.url));
    const timed = async (mode: Mode, records: number, devices: Array<{ device: BenchDevice; bodies: Buffer[] }>, window: number): Promise<Phase> => {
      const before = cpuSample();
      const { ms, latencies } = await send(mode, devices, window);
      return phase(records, ms, latencies, cpuPerBatch(before, cpuSample(), latencies.length));
    };
    /** One phase on both servers, one after the other; which goes first alternates from phase to phase. */
    let order: Mode[] = [...MODES];
    const both = async (records: number, devices: Array<{ device: BenchDevice; bodies: Buffer[] }>, window: number): Promise<Record<Mode, Phase>> => {
      const result = {} as Record<Mode, Phase>;
      for (const mode of order) result[mode] = await timed(mode, records, devices, window);
      order = [...order].reverse();
      return result;
    };
    for (const mode of MODES) await send(mode, [{ device: warm, bodies: warmBodies }]);
    const singlePhase = await both(SINGLE_BATCHES * BATCH, [{ device: single, bodies: singleBodies }], 1);
    const pipelinedPhase = await both(SINGLE_BATCHES * BATCH, [{ device: pipelined, bodies: pipelinedBodies }], 2);
    const groupPhase = await both(CONCURRENT_DEVICES * CONCURRENT_BATCHES * BATCH, groupBodies, 1);
    const profiler = values.profile ? await startProfile() : undefined;
    const drainPhase = await both(DRAIN_BATCHES * BATCH, [{ device: drain, bodies: drainPrepared.bodies }], 2);
    if (profiler && values.profile) await profiler.stop(values.profile);
    const physical = await physicalLimit(admin, schemas.inThread, drainPrepared.records);

    const figuresOf = (mode: Mode): Figures => ({
      single: singlePhase[mode],
      singlePipelined: pipelinedPhase[mode],
      concurrent4: groupPhase[mode],
      drain100k: drainPhase[mode],
      physicalLimit: physical,
      drainVsPhysical: Math.round((drainPhase[mode].recordsPerS / physical.recordsPerS) * 1000) / 1000,
    });
    const figures = figuresOf('pool');
    const inThread = figuresOf('inThread');
    const ratio = (key: 'single' | 'singlePipelined' | 'concurrent4' | 'drain100k') => Math.round((figures[key]!.recordsPerS / inThread[key]!.recordsPerS) * 100) / 100;

    const cpus = os.cpus();
    const report = {
      benchmark: 'bench/audit',
      label: values.label ?? null,
      date: new Date().toISOString(),
      quick,
      machine: {
        os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
        cpu: cpus[0]?.model.trim() ?? 'unknown',
        cores: cpus.length,
        memoryGb: round1(os.totalmem() / 2 ** 30),
        node: process.version,
        nodeFlags: process.execArgv,
        postgres: pgVersion,
      },
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
      method: {
        transport:
          'two servers from buildServer() (server/app.ts), each on its own fresh schema and 127.0.0.1 port (real TCP, HTTP/1.1 keep-alive via Node fetch): "pool" as npm run server runs it (checks on verification worker threads, AUDIT_VERIFY_THREADS), "inThread" with the checks on the server thread (AUDIT_VERIFY_THREADS=0); rate limit off, logger off; client in a worker thread of the same process (bench/audit-client.ts), request bodies prepared as bytes before the clock; each device is enrolled on both with the same id and key and sends both the same bodies; every phase runs on one server then the other, which goes first alternating from phase to phase',
        database: `${PG_URL.replace(/\/\/[^@]*@/, '//')}, schemas created, migrated by buildServer and dropped at the end; pg pool max 10 per server`,
        batch: `${BATCH} sealed records (runs of 20 events: run.started, 18 step/log events, run.finished), Ed25519-signed; server verifies schema, signature, every hash and link, then COPYs the records and upserts runs in one transaction`,
        verifyThreads: VERIFY_THREADS,
        recordBytes,
        batchBodyBytes: batchBytes,
        warmup: '20 batches on a separate device, on each server, not counted',
        single: `1 device, ${SINGLE_BATCHES} batches, each sent after the previous answer`,
        singlePipelined: `1 device, ${SINGLE_BATCHES} batches, 2 in flight (as the sync client sends)`,
        concurrent: `${CONCURRENT_DEVICES} devices at once, ${CONCURRENT_BATCHES} batches each, each device sequential`,
        drain: `1 fresh device, ${DRAIN_BATCHES} batches (${DRAIN_BATCHES * BATCH} records) from ack 0, 2 in flight`,
        physicalLimit:
          "COPY … FROM STDIN (text format, pg-copy-streams) of the drain's rows (COPY text built from the in-memory records, included in the time) into CREATE TABLE … (LIKE audit_records INCLUDING ALL) — same columns, primary key and indexes, no foreign key, no runs upsert, no verification",
        latency: 'per batch, request start to response body read, client side',
        cpu: 'per phase from /proc: the server thread (main thread of this process, both servers share it), the rest of this process (client thread, verification workers, GC), all postgres processes, the rest of the machine; divided by batches',
      },
      figures,
      figuresInThread: inThread,
      poolVsInThread: { single: ratio('single'), singlePipelined: ratio('singlePipelined'), concurrent4: ratio('concurrent4'), drain100k: ratio('drain100k') },
      targets: { recordsPerS: TARGET_RATE, p99Ms: TARGET_P99_MS },
      baseline: null as null | Baseline,
    };
    if (values.baseline) {
      const earlier = JSON.parse(readFileSync(values.baseline, 'utf8')) as Baseline;
      report.baseline = { label: earlier.label, date: earlier.date, loadAverage: earlier.loadAverage, figures: earlier.figures };
    }

    const row = (name: string, p: Phase) => [name, String(p.records), p.seconds.toFixed(2), String(p.recordsPerS), p.latencyMs.p50.toFixed(1), p.latencyMs.p99.toFixed(1)];
    const phases = (f: Figures) => [
      ['phase', 'records', 's', 'records/s', 'p50 ms', 'p99 ms'],
      row('1 device', f.single),
      ...(f.singlePipelined ? [row('1 device, 2 in flight', f.singlePipelined)] : []),
      row(`${CONCURRENT_DEVICES} devices`, f.concurrent4),
      row('drain 100k', f.drain100k),
      ['physical (COPY)', String(f.physicalLimit.records), f.physicalLimit.seconds.toFixed(2), String(f.physicalLimit.recordsPerS), '-', '-'],
    ];
    const cpuRow = (name: string, p: Phase) => {
      const c = p.cpuMsPerBatch!;
      return [name, c.serverThread.toFixed(1), c.restOfProcess.toFixed(1), c.postgres.toFixed(1), c.other.toFixed(1), ((p.seconds * 1000 * cpus.length) / p.batches).toFixed(1)];
    };
    for (const [title, f] of [
      [`checks on ${VERIFY_THREADS} verification worker(s) (as npm run server runs):`, figures],
      ['checks on the server thread (AUDIT_VERIFY_THREADS=0):', inThread],
    ] as const) {
      console.log(`\n${title}`);
      console.log(table(phases(f)));
      console.log(
        table([
          ['CPU ms per batch', 'server thread', 'rest of process', 'postgres', 'rest of machine', `${cpus.length} cores × wall`],
          cpuRow('1 device', f.single),
          cpuRow('1 device, 2 in flight', f.singlePipelined!),
          cpuRow(`${CONCURRENT_DEVICES} devices`, f.concurrent4),
          cpuRow('drain 100k', f.drain100k),
        ]),
      );
    }
    console.log(`\nworkers / server thread, records/s: ${JSON.stringify(report.poolVsInThread)}`);
    if (report.baseline) {
      console.log(`\nbaseline (${String(report.baseline.label)}):`);
      console.log(table(phases(report.baseline.figures)));
    }
    console.log(`drain / physical limit = ${figures.drainVsPhysical}; targets: ≥ ${TARGET_RATE} records/s, p99 < ${TARGET_P99_MS} ms`);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE}`);
  } finally {
    await client?.terminate();
    for (const mode of MODES) {
      await apps[mode]?.close();
      await dbs[mode]?.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schemas[mode]} CASCADE`);
    }
    await admin.end();
  }
}

await main();
