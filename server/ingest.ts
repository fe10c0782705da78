// POST /v1/ingest: a signed batch from one device. Everything that needs no database (schema,
// signature, hashes, links inside the batch) is checked first; then, in one transaction with the
// device row locked, the batch is placed against the stored ack: gap → 409, re-sent records
// ignored, conflicting ones → 409, new records written (COPY on PostgreSQL) and runs updated.
// On PostgreSQL a batch that follows the ack is COPYed before the lock is taken, so a device's
// next batch is written while the one before commits (placeStaged); with a verification pool
// (verify-pool.ts) its COPY starts while the worker still checks its later records.
import type { AuditRecord, Receipt } from '../audit/index.js';
import { copyBuffers, parseJsonBody, prepareBatch, runRows, type BatchDetail, type PreparedBatch } from './batch-prepare.js';
import { PendingBatch } from './pending-batch.js';
import type { Queryable, SqlClient } from './db.js';
import { toNumber } from './db.js';
import type { LaneTicket, Place } from './device-lanes.js';
import { HttpError } from './http.js';
import { headOf, lockLogHead, logAppendCtes, type LogHeadRow } from './server-log.js';
import type { VerifyPool } from './verify-pool.js';

export interface IngestResult {
  ackSeq: number;
  accepted: number;
  duplicates: number;
  /** The server's signed receipt for the batch (server-log.ts), when it placed new records. */
  receipt?: Receipt;
}

/**
 * Seals the receipt for a batch as the entry after the log's head, which the batch's transaction
 * holds locked (app.ts gives the server's key); the row is written by the batch's own place
 * statement, in the same transaction.
 */
export type IssueReceipt = (head: LogHeadRow, batch: ReceiptFacts) => LoggedReceipt;

/** What a receipt states of the batch it is for. */
export interface ReceiptFacts {
  deviceId: string;
  firstSeq: number;
  lastSeq: number;
  placedFromSeq: number;
  lastHash: string;
  recordHashes: string;
}

/** A receipt sealed as the entry after the locked head, and its log row's values (server-log.ts logAppendCtes). */
export interface LoggedReceipt {
  receipt: Receipt;
  values: unknown[];
}

/**
 * lane: where the batch queues behind the device's others (a DeviceLanes ticket); without one it
 * is placed at once. The parsed body is dropped once checked: what waits for the lane is only
 * what will be written (BatchRows). Two batches of a device are usually in flight, and every
 * young-generation garbage collection copies, then promotes, whatever is still alive: keeping
 * the parsed batches promoted three times as many bytes and cost ~2 ms of a batch's CPU.
 */
export function ingestBatch(db: SqlClient, device: EnrolledDevice, body: unknown, lane?: LaneTicket, issue?: IssueReceipt): Promise<IngestResult> {
  const parsed: { body: unknown } = { body };
  return ingestPending(db, device.deviceId, lane, async () => {
    const held = parsed.body;
    parsed.body = undefined;
    return PendingBatch.ready(await prepareBatch(held, device.deviceId, device.publicKey, { useCopy: db.kind === 'postgres' }), (text) => copyBuffers.give(text));
  }, issue);
}

/** The device a batch comes from, as its token says (auth.ts authorizeDevice), and the key it enrolled. */
export interface EnrolledDevice {
  deviceId: string;
  publicKey: string;
}

/**
 * The request body as it came (bytes). With a verification pool (PostgreSQL), parsing it and
 * every check run on a worker thread: the server thread keeps only HTTP and the database, and
 * the batch's COPY starts with its first checked records. Same verdicts either way.
 */
export async function ingestBody(db: SqlClient, device: EnrolledDevice, bytes: Uint8Array, lane?: LaneTicket, pool?: VerifyPool, issue?: IssueReceipt): Promise<IngestResult> {
  if (pool && db.kind === 'postgres') {
    return ingestPending(db, device.deviceId, lane, () => Promise.resolve(pool.prepare(bytes, device.deviceId, device.publicKey)), issue);
  }
  return ingestBatch(db, device, parseJsonBody(bytes), lane, issue);
}

async function ingestPending(db: SqlClient, deviceId: string, lane: LaneTicket | undefined, prepare: () => Promise<PendingBatch>, issue?: IssueReceipt): Promise<IngestResult> {
  const check = async (): Promise<Place<IngestResult>> => {
    // The rows assume nothing of the batch is stored yet (the usual case), so they are built
    // here, outside the lane, while another batch of the device may be writing.
    pending = await prepare();
    const ready = pending;
    return async (admitNext) => (await placeStaged(db, deviceId, ready, admitNext, issue)) ?? placeCarefully(db, deviceId, new BatchRows(await ready.verified, ready), issue);
  };
  let pending: PendingBatch | undefined;
  try {
    if (lane) return await lane.ingest(check);
    return await (await check())(() => undefined);
  } finally {
    pending?.release();
  }
}

const RECORD_COLUMNS = 'device_id, seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash';

/**
 * What a batch writes besides its records: the runs it touches upserted, the device's signature
 * over the whole batch kept, and the device's ack moved on. $1 device, $2 runs (JSON), $3/$4 the
 * new ack seq and hash, $5/$6 the batch's seq range, $7 its signature. With a receipt, its log
 * entry and the log's head move in the same statement (placeSql).
 */
const PLACE_CTES = `upserted AS (
       INSERT INTO runs (device_id, run_id, automation_id, automation_version, automation_name, user_name, status, started_at, ended_at, record_count, first_seq, last_seq)
       SELECT $1, r.run_id, r.automation_id, r.automation_version, r.automation_name, r.user_name, r.status, COALESCE(r.started_at, now()), r.ended_at, r.record_count, r.first_seq, r.last_seq
       FROM json_to_recordset($2::json) AS r(run_id text, automation_id text, automation_version text, automation_name text, user_name text, status text,
            started_at timestamptz, ended_at timestamptz, record_count integer, first_seq bigint, last_seq bigint)
       ON CONFLICT (device_id, run_id) DO UPDATE SET
         automation_id = COALESCE(runs.automation_id, EXCLUDED.automation_id),
         automation_version = COALESCE(runs.automation_version, EXCLUDED.automation_version),
         automation_name = COALESCE(runs.automation_name, EXCLUDED.automation_name),
         status = CASE WHEN EXCLUDED.status = 'running' THEN runs.status ELSE EXCLUDED.status END,
         started_at = LEAST(runs.started_at, EXCLUDED.started_at),
         ended_at = COALESCE(EXCLUDED.ended_at, runs.ended_at),
         record_count = runs.record_count + EXCLUDED.record_count,
         last_seq = GREATEST(runs.last_seq, EXCLUDED.last_seq),
         updated_at = now()
     ), signed AS (
       INSERT INTO audit_batches (device_id, first_seq, last_seq, signature) VALUES ($1, $5, $6, $7) ON CONFLICT DO NOTHING
     )`;
const PLACE_UPDATE = 'UPDATE devices SET ack_seq = $3, ack_hash = $4, last_seen_at = now() WHERE id = $1';

/** The place statement after `WITH ` + before (other CTEs), the receipt's log row from parameter logFrom on when there is one. */
const placeSql = (before: string, logFrom?: number): string => `WITH ${before}${PLACE_CTES}${logFrom ? `, ${logAppendCtes(logFrom)}` : ''} ${PLACE_UPDATE}`;

/** PostgreSQL: the records go in by COPY (see BatchRows), then this statement. */
const COPY_SQL = `COPY audit_records (${RECORD_COLUMNS}) FROM STDIN`;
const AFTER_COPY_SQL = placeSql('');
const AFTER_COPY_LOGGED_SQL = placeSql('', 8);

/**
 * PGlite (no COPY FROM STDIN here): one statement for the whole batch, the records as a column
 * array per field ($8…$20; ROWS FROM zips them into rows). The payloads come as one JSON array:
 * json_array_elements only splits it, so each payload is parsed once, into jsonb (which makes
 * their key order moot); jsonb_array_elements parsed all of them twice, which cost PostgreSQL
 * ~19 ms of a batch's CPU instead of ~13 ms.
 */
const INSERTED_CTE = `inserted AS (
       INSERT INTO audit_records (${RECORD_COLUMNS})
       SELECT $1, r.seq, r.id, r.ts, r.ts_at, r.type, r.run_id, r.automation_id, r.automation_version, r.automation_sha256, r.user_name, r.payload::jsonb, r.prev_hash, r.hash
       FROM ROWS FROM (unnest($8::bigint[]), unnest($9::text[]), unnest($10::text[]), unnest($11::timestamptz[]), unnest($12::text[]), unnest($13::text[]), unnest($14::text[]),
                       unnest($15::text[]), unnest($16::text[]), unnest($17::text[]), json_array_elements($18::json), unnest($19::text[]), unnest($20::text[]))
            AS r(seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash)
     ), `;
const INSERT_AND_PLACE_SQL = placeSql(INSERTED_CTE);
const INSERT_AND_PLACE_LOGGED_SQL = placeSql(INSERTED_CTE, 21);

/**
 * A checked batch's rows, ready to write, and what placing it needs to know of its records. For
 * PostgreSQL the rows are the COPY text of every record, one line each (COPY from the batch's own
 * canonical strings rather than an INSERT over 13 parameter arrays: PostgreSQL parses and inserts
 * it in about half the time, bench/audit), so a batch overlapping the ack sends only the suffix
 * of lines after it. For PGlite they are the INSERT's column arrays, built for whichever records
 * turn out to be new.
 */
class BatchRows {
  readonly firstSeq: number;
  /** Records in the batch. */
  readonly count: number;
  readonly signature: string;
  private readonly firstPrevHash: string;
  private readonly lastHash: string;
  private readonly runsJson: string;
  private readonly recordHashes: string;
  private detailed: BatchDetail | string;
  /** PGlite only (COPY has them in its text): the records and their payloads' canonical JSON. */
  private readonly insert: { records: AuditRecord[]; payloads: readonly string[] } | undefined;

  constructor(
    prepared: PreparedBatch,
    /** Where the COPY text is (PostgreSQL): every chunk, once verified. */
    private readonly pending: PendingBatch,
  ) {
    this.firstSeq = prepared.firstSeq;
    this.count = prepared.count;
    this.signature = prepared.signature;
    this.firstPrevHash = prepared.firstPrevHash;
    this.lastHash = prepared.lastHash;
    this.runsJson = prepared.runsJson;
    this.recordHashes = prepared.recordHashes;
    this.detailed = prepared.detail;
    this.insert = prepared.insert;
  }

  get lastSeq(): number {
    return this.firstSeq + this.count - 1;
  }

  /** Record i's hash (i from 0). */
  hash(index: number): string {
    return index === this.count - 1 ? this.lastHash : this.detail().hashes[index]!;
  }

  /** What the receipt for the whole batch states. */
  receiptFacts(deviceId: string, skip: number) {
    return { deviceId, firstSeq: this.firstSeq, lastSeq: this.lastSeq, placedFromSeq: this.firstSeq + skip, lastHash: this.lastHash, recordHashes: this.recordHashes };
  }

  /** Record i's prevHash: within a checked batch, record i - 1's hash. */
  prevHash(index: number): string {
    return index === 0 ? this.firstPrevHash : this.hash(index - 1);
  }

  /** Every record's hash, time and run event; from a worker it comes as JSON, read only for a batch that overlaps the ack. */
  private detail(): BatchDetail {
    if (typeof this.detailed === 'string') this.detailed = JSON.parse(this.detailed) as BatchDetail;
    return this.detailed;
  }

  /** Writes records[skip…] and everything that goes with them in tx; log: the receipt's log row (LoggedReceipt.values). */
  async write(tx: Queryable, skip: number, deviceId: string, log?: unknown[]): Promise<void> {
    if (!this.insert && tx.copyFrom) {
      await this.copyRecords(tx, skip);
      await this.writeRest(tx, skip, deviceId, log);
      return;
    }
    if (!this.insert) throw new Error('a batch prepared for COPY can only be written where COPY is available');
    const columns = insertColumns(this.insert.records.slice(skip), this.insert.payloads.slice(skip), this.detail().times.slice(skip));
    await tx.query(log ? INSERT_AND_PLACE_LOGGED_SQL : INSERT_AND_PLACE_SQL, [...this.placeParameters(skip, deviceId), ...columns, ...(log ?? [])]);
  }

  /** COPY of records[skip…] (PostgreSQL): the lines of the COPY text from record skip on. */
  async copyRecords(tx: Queryable, skip: number): Promise<void> {
    if (!tx.copyFrom) throw new Error('COPY is not available here');
    const texts: Uint8Array[] = [];
    let line = 0;
    for (const chunk of this.pending.chunks) {
      const lines = chunk.lineStarts.length;
      if (skip < line + lines) texts.push(chunk.text.subarray(skip > line ? chunk.lineStarts[skip - line] : 0));
      line += lines;
    }
    if (line !== this.count) throw new Error(`the COPY text has ${line} lines for ${this.count} records`);
    const copied = await tx.copyFrom(COPY_SQL, texts);
    if (copied !== this.count - skip) throw new Error(`COPY wrote ${copied} records of ${this.count - skip}`);
  }

  /** After the records' COPY, one statement: the runs, the signature, the ack and, given log, the receipt's log entry and head. */
  async writeRest(tx: Queryable, skip: number, deviceId: string, log?: unknown[]): Promise<void> {
    const parameters = this.placeParameters(skip, deviceId);
    if (log) await tx.query(AFTER_COPY_LOGGED_SQL, [...parameters, ...log], 'ingest_place_logged');
    else await tx.query(AFTER_COPY_SQL, parameters, 'ingest_place');
  }

  private placeParameters(skip: number, deviceId: string): unknown[] {
    const runs = skip === 0 ? this.runsJson : JSON.stringify(runRows(this.detail().runEvents.slice(skip), this.detail().times.slice(skip)));
    return [deviceId, runs, this.lastSeq, this.lastHash, this.firstSeq, this.lastSeq, this.signature];
  }

}

/** PostgreSQL error codes placement reacts to. */
const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';
const pgCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Thrown inside a staged placement's transaction to roll it back: the batch does not follow the ack. */
class NotAtAck extends Error {}

/**
 * The usual case, a batch that starts right after the device's ack, written with its predecessor
 * in the lane still committing: COPY all its records first — from a verification worker, chunk
 * by chunk while the rest of the batch is still being checked; the COPY ends only once every
 * check passed and fails (rolling back) when one did not — then lock the device row (which waits
 * for the predecessor's commit) and, once it is ours, admit the next batch to do the same.
 * The lane's serial part is then the lock, one statement and the commit, not the COPY.
 * Resolves undefined when the batch must be placed carefully instead (see placeBatch): it
 * overlaps or does not follow the ack, its records are already stored (unique violation), or,
 * with several server processes, PostgreSQL broke a deadlock with another writer by failing us.
 * Nothing of a failed attempt stays: its transaction is rolled back. A failed check is the
 * answer whatever the COPY made of it.
 */
async function placeStaged(db: SqlClient, deviceId: string, pending: PendingBatch, admitNext: () => void, issue?: IssueReceipt): Promise<IngestResult | undefined> {
  if (db.kind !== 'postgres') return undefined;
  try {
    return await db.transaction(async (tx) => {
      if (!tx.copyFrom) throw new Error('COPY is not available here');
      const copied = await tx.copyFrom(COPY_SQL, pending.streamed ? pending.text() : pending.chunks.map((chunk) => chunk.text));
      const rows = new BatchRows(await pending.verified, pending);
      if (copied !== rows.count) throw new Error(`COPY wrote ${copied} records of ${rows.count}`);
      const device = await lockDevice(tx, deviceId, issue !== undefined);
      admitNext();
      if (!device || device.ack !== rows.firstSeq - 1 || device.ackHash !== rows.prevHash(0)) throw new NotAtAck();
      const logged = issue && issue(headOf(device.head), rows.receiptFacts(deviceId, 0));
      await rows.writeRest(tx, 0, deviceId, logged?.values);
      return { ackSeq: rows.lastSeq, accepted: rows.count, duplicates: 0, ...(logged ? { receipt: logged.receipt } : {}) };
    });
  } catch (error) {
    await pending.verified;
    if (error instanceof NotAtAck || pgCode(error) === UNIQUE_VIOLATION || pgCode(error) === DEADLOCK_DETECTED) return undefined;
    throw error;
  }
}

/** placeBatch in a transaction of its own; tried again (a few times) when PostgreSQL picks it to break a deadlock. */
async function placeCarefully(db: SqlClient, deviceId: string, rows: BatchRows, issue?: IssueReceipt): Promise<IngestResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => placeBatch(tx, deviceId, rows, issue));
    } catch (error) {
      if (pgCode(error) !== DEADLOCK_DETECTED || attempt >= 3) throw error;
    }
  }
}

const LOCK_DEVICE_SQL = 'SELECT ack_seq, ack_hash FROM devices WHERE id = $1 AND revoked_at IS NULL FOR UPDATE';
/**
 * The device row locked, then the log's head, in one statement and in that order (every writer
 * of the log locks its device rows before the head, so two transactions never wait on each other
 * in a circle): the head's subquery refers to the device's row, so it runs only once that row is
 * locked, and not at all when there is none. After waiting for a lock, READ COMMITTED gives the
 * newest committed version of the row, as a statement of its own would.
 */
const LOCK_DEVICE_AND_HEAD_SQL = `WITH device AS MATERIALIZED (${LOCK_DEVICE_SQL})
     SELECT device.ack_seq, device.ack_hash, head.n, head.hash
     FROM device LEFT JOIN LATERAL (SELECT n, hash FROM server_log_head WHERE id = 1 AND device.ack_seq IS NOT NULL FOR UPDATE) AS head ON true`;

/** The device's ack with its row locked (undefined: revoked or unknown); withHead: the log's head locked and read too. */
async function lockDevice(tx: Queryable, deviceId: string, withHead: boolean): Promise<{ ack: number; ackHash: string; head?: { n: unknown; hash: string | null } } | undefined> {
  // A device revoked while this batch was on its way has no row here (revoking locks the row too).
  const device = await tx.query<{ ack_seq: unknown; ack_hash: string; n?: unknown; hash?: string | null }>(
    withHead ? LOCK_DEVICE_AND_HEAD_SQL : LOCK_DEVICE_SQL,
    [deviceId],
    withHead ? 'ingest_lock_device_head' : 'ingest_lock_device',
  );
  const row = device.rows[0];
  return row && { ack: toNumber(row.ack_seq), ackHash: row.ack_hash, ...(withHead ? { head: { n: row.n, hash: row.hash ?? null } } : {}) };
}

/** Places the batch against the device's ack with the device row locked first: gap, duplicates, conflicts, then the new suffix. */
async function placeBatch(tx: Queryable, deviceId: string, rows: BatchRows, issue?: IssueReceipt): Promise<IngestResult> {
  const device = await lockDevice(tx, deviceId, false);
  if (!device) {
    const revoked = (await tx.query('SELECT 1 FROM devices WHERE id = $1 AND revoked_at IS NOT NULL', [deviceId])).rows.length > 0;
    if (revoked) throw new HttpError(403, { error: 'device_revoked', message: `device ${deviceId} was revoked while this batch was on its way; the server no longer accepts its records` });
    throw new HttpError(401, { error: 'unauthorized', message: `device ${deviceId} is not enrolled` });
  }
  const { ack } = device;
  const first = rows.firstSeq;
  const last = rows.lastSeq;
  if (first > ack + 1) throw new HttpError(409, { error: 'gap', message: `expected seq ${ack + 1}, the batch starts at ${first}`, expectedSeq: ack + 1 });

  // Records at or below the ack must be the very ones already stored.
  let duplicates = 0;
  if (first <= ack) {
    const upTo = Math.min(last, ack);
    const stored = await tx.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3', [deviceId, first, upTo]);
    const hashes = new Map(stored.rows.map((r) => [toNumber(r.seq), r.hash]));
    for (let seq = first; seq <= upTo; seq++) {
      const hash = hashes.get(seq);
      if (hash !== undefined && hash !== rows.hash(seq - first)) throw new HttpError(409, { error: 'conflict', message: `seq ${seq} was already accepted with another hash`, seq });
      duplicates++;
    }
  }
  // Records are consecutive, so the new ones are a suffix.
  const skip = Math.max(0, Math.min(rows.count, ack - first + 1));
  if (skip === rows.count) return { ackSeq: ack, accepted: 0, duplicates };
  if (rows.prevHash(skip) !== device.ackHash) {
    throw new HttpError(409, { error: 'conflict', message: `record ${first + skip} does not link to accepted record ${ack} (prevHash differs)`, seq: first + skip });
  }
  // The log's head is locked only now (after the device row), so it is not held over this batch's COPY.
  const logged = issue && issue(await lockLogHead(tx), rows.receiptFacts(deviceId, skip));
  await rows.write(tx, skip, deviceId, logged?.values);
  return { ackSeq: last, accepted: rows.count - skip, duplicates, ...(logged ? { receipt: logged.receipt } : {}) };
}

/** The column arrays of the PGlite INSERT (parameters $8…$20) for these records. */
function insertColumns(fresh: AuditRecord[], payloads: readonly string[], times: ReadonlyArray<string | null>): unknown[] {
  return [
    plainArray(fresh.map((r) => r.seq)),
    quotedArray(fresh.map((r) => r.id)),
    quotedArray(fresh.map((r) => r.ts)),
    plainArray(times),
    quotedArray(fresh.map((r) => r.type)),
    quotedArray(fresh.map((r) => r.runId)),
    quotedArray(fresh.map((r) => r.automation?.id ?? null)),
    quotedArray(fresh.map((r) => r.automation?.version ?? null)),
    quotedArray(fresh.map((r) => r.automation?.sha256 ?? null)),
    quotedArray(fresh.map((r) => r.user)),
    `[${payloads.join(',')}]`,
    plainArray(fresh.map((r) => r.prevHash)),
    plainArray(fresh.map((r) => r.hash)),
  ];
}

// Postgres array literals written here rather than by the driver: most columns need no quoting.
/** Values that are never empty and hold no array syntax: integers, ISO times, hex. */
function plainArray(values: ReadonlyArray<string | number | null>): string {
  return `{${values.map((value) => (value === null ? 'NULL' : value)).join(',')}}`;
}

const ARRAY_SPECIAL = /["\\]/g;
/** Any text: each element double-quoted, " and \\ backslash-escaped. */
function quotedArray(values: ReadonlyArray<string | null>): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(ARRAY_SPECIAL, '\\$&')}"`)).join(',')}}`;
}
