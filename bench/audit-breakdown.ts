// bench/audit-breakdown: where the milliseconds of one audit batch (500 records) go.
//
//   npx tsc -p tsconfig.json && node --max-semi-space-size=64 dist/bench/audit-breakdown.js [--db URL] [--batches N] [--out FILE]
//
// 1. The checks, on this thread with nothing else running (what a verification worker does per
//    batch): JSON parse of the body, then prepareBatch as a whole (schema, canonical JSON, SHA-256,
//    COPY text, signature, chain), and its parts timed alone over the same records: canonical JSON
//    of every record, SHA-256 of every record, the batch signature, the chain links.
// 2. The database, through the real server (buildServer, checks on the server thread, batches sent
//    one after the other with inject): every statement of the ingest transaction timed from the
//    caller's side (connect + BEGIN, COPY, each query by its statement name, COMMIT).
// 3. The floor per batch: the same 500 rows COPYed alone in a transaction of their own into a
//    table of the same shape (text built before the clock).
// Median and minimum over the batches (the checks in CPU time of this process, the database in
// wall time from the caller's side); the machine's load before and after.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { generateDeviceKeys, verifyBatchSignature, verifyChain, type AuditBatch } from '../audit/index.js';
import { canonicalRecord, hashCanonical } from '../audit/record.js';
import { buildServer } from '../server/app.js';
import { BufferPool, parseJsonBody, prepareBatch } from '../server/batch-prepare.js';
import { createPgClient, type Queryable, type SqlClient } from '../server/db.js';
import { ServerKey } from '../server/server-key.js';
import { COPY_COLUMNS, copyRows, prepareBatches, type ChainDevice } from './audit-records.js';
import { percentile, round1, table } from './stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { db: { type: 'string' }, batches: { type: 'string' }, out: { type: 'string' } } });
const PG_URL = values.db ?? process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCHES = Number(values.batches ?? 60);
const OUT = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', `audit-breakdown-${new Date().toISOString().slice(0, 10)}.json`));
const ADMIN = `adm_bench_${randomBytes(12).toString('hex')}`;

/** Milliseconds per stage, one entry per batch. */
const samples = new Map<string, number[]>();
const note = (stage: string, ms: number): void => {
  const list = samples.get(stage) ?? [];
  list.push(ms);
  samples.set(stage, list);
};
/** CPU time of this process so far (ms): on a loaded machine a far steadier measure of a stage than wall time. */
const cpuNow = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** Runs a stage of the checks and notes its CPU time (nothing else runs in this process meanwhile). */
async function timed<T>(stage: string, fn: () => T | Promise<T>): Promise<T> {
  const t = cpuNow();
  const result = await fn();
  note(stage, cpuNow() - t);
  return result;
}

/** The server's database with every transaction's steps timed (the statement's name, else its first words). */
function timedDb(db: SqlClient): SqlClient {
  const label = (sql: string, name?: string): string => `sql ${name ?? sql.replace(/\s+/g, ' ').trim().slice(0, 40)}`;
  const wrapTx = (tx: Queryable): Queryable => ({
    async query(sql, params, name) {
      const t = performance.now();
      try {
        return await tx.query(sql, params, name);
      } finally {
        note(label(sql, name), performance.now() - t);
      }
    },
    ...(tx.copyFrom
      ? {
          async copyFrom(sql: string, data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) {
            const t = performance.now();
            try {
              return await tx.copyFrom!(sql, data);
            } finally {
              note('sql COPY audit_records (500 rows)', performance.now() - t);
            }
          },
        }
      : {}),
  });
  return {
    kind: db.kind,
    query: (sql, params, name) => db.query(sql, params, name),
    close: () => db.close(),
    async transaction(fn) {
      const t0 = performance.now();
      let bodyEnd = 0;
      const result = await db.transaction(async (tx) => {
        note('sql connect + BEGIN', performance.now() - t0);
        try {
          return await fn(wrapTx(tx));
        } finally {
          bodyEnd = performance.now();
        }
      });
      note('sql COMMIT', performance.now() - bodyEnd);
      note('transaction, whole', performance.now() - t0);
      return result;
    },
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map(round1);
  const schema = `audit_breakdown_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = createPgClient({ connectionString: PG_URL, schema, max: 5 });
  const app = await buildServer({ db: timedDb(db), adminToken: ADMIN, rateLimit: false, logger: false, verifyThreads: 0, serverKey: ServerKey.generate() });
  try {
    const device: ChainDevice = { deviceId: `dev_bench_${randomBytes(4).toString('hex')}`, keys: generateDeviceKeys(), last: undefined };
    const enrollment = await app.inject({ method: 'POST', url: '/v1/enrollment-tokens', headers: { authorization: `Bearer ${ADMIN}` }, payload: {} });
    const registered = await app.inject({
      method: 'POST',
      url: '/v1/devices',
      payload: { enrollmentToken: enrollment.json<{ enrollmentToken: string }>().enrollmentToken, name: 'bench', publicKey: device.keys.publicKeyPem, deviceId: device.deviceId },
    });
    const token = registered.json<{ deviceToken: string }>().deviceToken;
    const warm = 10;
    const { bodies, records } = prepareBatches(device, BATCHES + warm);
    // Before the clock: the bodies' garbage is not the checks' to collect.
    (globalThis as { gc?: () => void }).gc?.();

    // 1. The checks, on this thread.
    const buffers = new BufferPool(16, 256 * 1024);
    for (const [index, body] of bodies.entries()) {
      // As a verification worker does it: parse, then every check and the COPY text.
      const parsed = (await timed('checks: JSON parse of the body', () => parseJsonBody(body))) as AuditBatch;
      await timed('checks: prepareBatch, whole (after parse)', () =>
        prepareBatch(parsed, device.deviceId, device.keys.publicKeyPem, { useCopy: true, detailAsJson: true, sliced: false, buffers, onChunk: (chunk) => buffers.give(chunk.text) }),
      );
      const forms = await timed('  part: canonical JSON of 500 records', () => parsed.records.map(canonicalRecord));
      const hashes = await timed('  part: SHA-256 of 500 records', () => forms.map((form) => hashCanonical(form.unsealed)));
      await timed('  part: batch signature (Ed25519 over 300 KiB)', () => verifyBatchSignature(parsed, device.keys.publicKeyPem, forms.map((form) => form.sealed)));
      await timed('  part: chain links', () => verifyChain(parsed.records, { seq: parsed.records[0]!.seq - 1, hash: parsed.records[0]!.prevHash }, hashes));
      if (index < warm) for (const list of samples.values()) list.length = 0;
    }
    const checks = new Map(samples);
    samples.clear();

    // 2. The database, through the server; 3. the floor, alternating batch by batch.
    await admin.query(`CREATE TABLE ${schema}.audit_records_copy (LIKE ${schema}.audit_records INCLUDING ALL)`);
    for (const [index, body] of bodies.entries()) {
      const t = performance.now();
      const response = await app.inject({ method: 'POST', url: '/v1/ingest', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
      note('request, whole (inject)', performance.now() - t);
      if (response.statusCode !== 200) throw new Error(`ingest answered ${response.statusCode}: ${response.body}`);
      const text = copyRows(records.slice(index * 500, index * 500 + 500));
      const c = performance.now();
      await admin.query('BEGIN');
      await pipeline(Readable.from([text]), admin.query(copyFrom(`COPY ${schema}.audit_records_copy (${COPY_COLUMNS}) FROM STDIN`)));
      await admin.query('COMMIT');
      note('floor: BEGIN + COPY 500 rows + COMMIT', performance.now() - c);
      if (index < warm) for (const list of samples.values()) list.length = 0;
    }
    const database = new Map(samples);

    const rows = (map: Map<string, number[]>) => [...map.entries()].filter(([, list]) => list.length > 0).map(([stage, list]) => ({ stage, medianMs: round1(percentile(list, 50)), minMs: round1(Math.min(...list)), n: list.length }));
    const report = {
      benchmark: 'bench/audit-breakdown',
      date: new Date().toISOString(),
      batches: BATCHES,
      recordsPerBatch: 500,
      machine: { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.cpus().length, node: process.version },
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
      checks: rows(checks),
      database: rows(database),
    };
    for (const [title, list] of [
      ['checks of one batch on one thread (CPU ms)', report.checks],
      ['one batch through the server, sent one at a time (ms, caller side)', report.database],
    ] as const) {
      console.log(`\n${title}`);
      console.log(table([['stage', 'median', 'min'], ...list.map((row) => [row.stage, row.medianMs.toFixed(2), row.minMs.toFixed(2)])]));
    }
    console.log(`\nload before ${loadBefore.join(' ')}, after ${report.loadAverage.after.join(' ')}`);
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${OUT}`);
  } finally {
    await app.close();
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

await main();
