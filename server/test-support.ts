// Shared by the server tests: a fresh PostgreSQL schema per test file (dropped after), a
// server built on it, and a fake device that enrolls, seals records and signs batches.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { generateDeviceKeys, sealRecord, signBatch, type AuditBatch, type AuditRecord } from '../audit/index.js';
import { buildServer, type ServerOptions } from './app.js';
import { createPgClient, type Queryable, type SqlClient } from './db.js';
import { ServerKey } from './server-key.js';

export const PG_URL = process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN = `adm_test_${randomBytes(12).toString('hex')}`;
/** One server key per test process: servers built on the same database share their log. */
export const TEST_SERVER_KEY = ServerKey.generate();

/** A new schema on the test database; drop() closes the pool and removes the schema. */
export async function freshPostgres(): Promise<{ db: SqlClient; schema: string; drop: () => Promise<void> }> {
  const schema = `audit_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const db = createPgClient({ connectionString: PG_URL, schema, max: 5 });
  return {
    db,
    schema,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: PG_URL });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/**
 * Resolves once an ingest transaction waits for a device row's lock (the lock statement, whichever
 * of its forms): held by holder's backend when given, else by anyone. Throws after 10 s.
 */
export async function untilIngestWaitsForDeviceRow(db: SqlClient, holder?: number): Promise<void> {
  for (let waited = 0; ; waited += 20) {
    const waiting = await db.query(
      `SELECT 1 FROM pg_stat_activity WHERE query LIKE '%ack_hash FROM devices WHERE id%FOR UPDATE%'
       AND CASE WHEN $1::int IS NULL THEN wait_event_type = 'Lock' ELSE $1::int = ANY (pg_blocking_pids(pid)) END`,
      [holder ?? null],
    );
    if (waiting.rows.length > 0) return;
    if (waited > 10_000) throw new Error('the batch never waited for the device row');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Holds deviceId's row locked in a transaction of its own (as another writer would), starts send
 * (an ingest of that device), waits until it blocks on the row, runs meanwhile in the holding
 * transaction, then rolls that back; resolves with send's answer.
 */
export async function withDeviceRowHeld<T>(db: SqlClient, deviceId: string, send: () => Promise<T>, meanwhile: (holding: Queryable) => Promise<void>): Promise<T> {
  let sending: Promise<T> | undefined;
  const rollBack = new Error('roll the holder back');
  await db
    .transaction(async (holding) => {
      await holding.query('SELECT 1 FROM devices WHERE id = $1 FOR UPDATE', [deviceId]);
      const holder = (await holding.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      sending = send();
      await untilIngestWaitsForDeviceRow(db, holder);
      await meanwhile(holding);
      throw rollBack;
    })
    .catch((error: unknown) => {
      if (error !== rollBack) throw error;
    });
  return sending!;
}

export async function testServer(db: SqlClient, options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  return buildServer({ db, adminToken: ADMIN, rateLimit: false, serverKey: TEST_SERVER_KEY, ...options });
}

/** The JSON bodies the API answers with, loosely: each test reads the fields its route returns. */
export interface Body {
  error: string;
  message: string;
  seq: number;
  expectedSeq: number;
  ackSeq: number;
  accepted: number;
  duplicates: number;
  enrollmentToken: string;
  deviceToken: string;
  deviceId: string;
  token: string;
  ok: boolean;
  checked: number;
  firstBroken: { seq: number; reason: string };
  records: AuditRecord[];
  devices: Array<{ id: string; name: string; ackSeq: number; ackHash: string; lastSeenAt: string | null }>;
  runs: Array<{ runId: string; deviceId: string; status: string; records: number; startedAt: string; endedAt: string | null }>;
  nextCursor: string | null;
  [key: string]: unknown;
}

export interface Reply {
  status: number;
  body: Body;
  text: string;
  headers: Record<string, unknown>;
}

export async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token?: string, body?: unknown): Promise<Reply> {
  const response = await app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body === undefined ? {} : { payload: body as object }),
  });
  let parsed: Body | undefined;
  try {
    parsed = JSON.parse(response.body) as Body;
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, body: parsed ?? ({} as Body), text: response.body, headers: response.headers };
}

let deviceCounter = 0;

/** A device as the client would be: its own id, keys, chain state and a record factory. */
export class FakeDevice {
  readonly keys = generateDeviceKeys();
  readonly deviceId = `dev_test_${process.pid}_${++deviceCounter}`;
  token = '';
  private last: { seq: number; hash: string } | undefined;
  readonly written: AuditRecord[] = [];

  async enroll(app: FastifyInstance, adminToken = ADMIN): Promise<this> {
    const enrollment = await call(app, 'POST', '/v1/enrollment-tokens', adminToken, {});
    if (enrollment.status !== 201) throw new Error(`enrollment token: ${enrollment.status} ${enrollment.text}`);
    const registered = await call(app, 'POST', '/v1/devices', undefined, {
      enrollmentToken: enrollment.body.enrollmentToken,
      name: `test device ${this.deviceId}`,
      publicKey: this.keys.publicKeyPem,
      deviceId: this.deviceId,
    });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
    this.token = registered.body.deviceToken;
    return this;
  }

  record(type: string, runId: string, payload: Record<string, unknown> = {}, options: { ts?: string; user?: string; automation?: AuditRecord['automation'] } = {}): AuditRecord {
    const record = sealRecord(
      {
        id: `rec_${this.written.length + 1}`,
        deviceId: this.deviceId,
        ts: options.ts ?? new Date().toISOString(),
        type,
        automation: options.automation === undefined ? { id: 'invoice-entry', version: '1.2.0', sha256: 'a'.repeat(64) } : options.automation,
        runId,
        user: options.user ?? 'robot',
        payload: { type, runId, ...payload },
      },
      this.last,
    );
    this.last = { seq: record.seq, hash: record.hash };
    this.written.push(record);
    return record;
  }

  /** A whole run: started, n steps, finished with status. */
  run(runId: string, status: string, steps = 2, options: { ts?: string; user?: string; automationId?: string } = {}): AuditRecord[] {
    const ts = options.ts ?? new Date().toISOString();
    const extra = { ts, ...(options.user ? { user: options.user } : {}), automation: { id: options.automationId ?? 'invoice-entry', version: '1.2.0', sha256: 'a'.repeat(64) } };
    const records = [this.record('run.started', runId, { headless: true, inputs: { n: 1 } }, extra)];
    for (let i = 1; i <= steps; i++) records.push(this.record('step.succeeded', runId, { path: `steps[${i}]`, durationMs: 12.5 }, extra));
    records.push(this.record('run.finished', runId, { status, durationMs: 40 }, extra));
    return records;
  }

  sign(records: AuditRecord[], privateKeyPem = this.keys.privateKeyPem): AuditBatch {
    return signBatch(this.deviceId, records, privateKeyPem);
  }

  ingest(app: FastifyInstance, records: AuditRecord[]): Promise<Reply> {
    return call(app, 'POST', '/v1/ingest', this.token, this.sign(records));
  }
}
