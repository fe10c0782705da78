// POST /v1/ingest: a signed batch from one device. Everything that needs no database (schema,
// signature, hashes, links inside the batch) is checked first; then, in one transaction with the
// device row locked, the batch is placed against the stored ack: gap → 409, re-sent records
// ignored, conflicting ones → 409, new records inserted in one statement and runs updated.
import { AuditBatchSchema, GENESIS_HASH, MAX_BATCH, verifyBatchSignature, verifyChain, type AuditBatch, type AuditRecord } from '../audit/index.js';
import { canonicalRecord, hashCanonical, type CanonicalRecord } from '../audit/record.js';
import type { Queryable, SqlClient } from './db.js';
import { toNumber } from './db.js';
import { badRequest, forbidden, HttpError, parse } from './http.js';

export interface IngestResult {
  ackSeq: number;
  accepted: number;
  duplicates: number;
}

/**
 * Postgres text and jsonb cannot hold NUL; a lone surrogate would not survive UTF-8. Read off the
 * record's canonical JSON rather than by walking it: JSON.stringify writes a NUL as \u0000 and a
 * lone surrogate as \udXXX (every other character as itself or another escape), so one of those
 * escapes, after an even run of backslashes, is there exactly when some key or string holds one.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;
const unstorableCanonical = (json: string): boolean => json.includes('\\u') && UNSTORABLE_ESCAPE.test(json);

function timestamp(ts: string): string | null {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

// A hand-written check of AuditBatchSchema for the common case. It accepts nothing the schema
// refuses; whatever it doubts goes through zod, whose verdict and messages stay the answer.
const HEX64 = /^[0-9a-f]{64}$/;
const RECORD_KEYS = ['id', 'deviceId', 'seq', 'ts', 'type', 'automation', 'runId', 'user', 'payload', 'prevHash', 'hash'] as const;
const isString = (value: unknown, min: number, max: number): value is string => typeof value === 'string' && value.length >= min && value.length <= max;
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};
const hasExactly = (value: Record<string, unknown>, keys: readonly string[]): boolean => {
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    count++;
  }
  return count === keys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(value, key));
};

function surelyValidRecord(value: unknown): boolean {
  if (!isPlainObject(value) || !hasExactly(value, RECORD_KEYS)) return false;
  const { automation, payload } = value;
  return (
    isString(value.id, 1, 64) &&
    isString(value.deviceId, 1, 64) &&
    Number.isSafeInteger(value.seq) &&
    (value.seq as number) >= 1 &&
    isString(value.ts, 1, 40) &&
    isString(value.type, 1, 64) &&
    (automation === null ||
      (isPlainObject(automation) &&
        hasExactly(automation, ['id', 'version', 'sha256']) &&
        typeof automation.id === 'string' &&
        typeof automation.version === 'string' &&
        typeof automation.sha256 === 'string')) &&
    isString(value.runId, 1, 64) &&
    isString(value.user, 0, 256) &&
    isPlainObject(payload) &&
    typeof value.prevHash === 'string' &&
    HEX64.test(value.prevHash) &&
    typeof value.hash === 'string' &&
    HEX64.test(value.hash)
  );
}

function surelyValidBatch(body: unknown): body is AuditBatch {
  if (!isPlainObject(body) || !hasExactly(body, ['deviceId', 'records', 'signature'])) return false;
  const { records } = body;
  return isString(body.deviceId, 1, 64) && isString(body.signature, 1, 200) && Array.isArray(records) && records.length >= 1 && records.length <= MAX_BATCH && records.every(surelyValidRecord);
}

export interface CheckedBatch {
  deviceId: string;
  records: AuditRecord[];
  signature: string;
  /** canonical JSON of each record (with and without hash, and its payload), built once. */
  canonical: CanonicalRecord[];
}

/** Checks that need nothing stored: shape, one device, consecutive seqs, storable strings. */
export function checkBatchShape(body: unknown, deviceId: string): CheckedBatch {
  const batch = surelyValidBatch(body) ? body : parse(AuditBatchSchema, body, 'batch', 'invalid_batch');
  if (batch.deviceId !== deviceId) throw forbidden(`this token belongs to device ${deviceId}, not ${batch.deviceId}`);
  const first = batch.records[0]!.seq;
  const canonical: CanonicalRecord[] = [];
  batch.records.forEach((record, index) => {
    if (record.deviceId !== batch.deviceId) throw badRequest('invalid_batch', `record ${record.seq} names device ${record.deviceId}, the batch ${batch.deviceId}`);
    if (record.seq !== first + index) throw badRequest('invalid_batch', `records must have consecutive seqs: found ${record.seq} at position ${index} after ${first}`);
    const forms = canonicalRecord(record);
    if (unstorableCanonical(forms.sealed)) throw badRequest('invalid_batch', `record ${record.seq} holds a NUL character or a lone surrogate, which cannot be stored`);
    canonical.push(forms);
  });
  return { deviceId: batch.deviceId, records: batch.records, signature: batch.signature, canonical };
}

/** Every hash recomputed, every link inside the batch followed; seq 1 must start from genesis. */
export function checkBatchChain(records: AuditRecord[], canonical?: readonly CanonicalRecord[]): void {
  const first = records[0]!;
  if (first.seq === 1 && first.prevHash !== GENESIS_HASH) throw badRequest('broken_chain', 'record 1 must have prevHash of 64 zeros', { seq: 1 });
  const hashes = canonical?.length === records.length ? canonical.map((forms) => hashCanonical(forms.unsealed)) : undefined;
  const verdict = verifyChain(records, { seq: first.seq - 1, hash: first.prevHash }, hashes);
  if (!verdict.ok) {
    const error = verdict.firstBroken.reason.includes('altered') ? 'bad_hash' : 'broken_chain';
    throw badRequest(error, verdict.firstBroken.reason, { seq: verdict.firstBroken.seq });
  }
}

export async function devicePublicKey(db: Queryable, deviceId: string): Promise<string | undefined> {
  const result = await db.query<{ public_key: string }>('SELECT public_key FROM devices WHERE id = $1', [deviceId]);
  return result.rows[0]?.public_key;
}

/**
 * One lane per device: the checks that need no database run at once for every request, but a
 * device's batches are written one after another. A client may therefore keep two batches in
 * flight (the next is verified while one is written). Requests can still reach the lane out of
 * order (their token and key lookups race), so a batch that finds a gap while another batch
 * of the same device is still on its way waits until another batch of the device is through,
 * then tries again.
 * Correctness never rests on this: placeBatch locks the device row, so several server
 * processes stay right (there a batch overtaking another gets 409 gap and is re-sent).
 */
export class DeviceLanes {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  /** Runs one batch's checks and placement; place is queued in the device's lane. */
  async ingest<T>(deviceId: string, check: () => Promise<() => Promise<T>>): Promise<T> {
    this.pending.set(deviceId, (this.pending.get(deviceId) ?? 0) + 1);
    try {
      const place = await check();
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.queue(deviceId, place);
        } catch (error) {
          const othersOnTheWay = (this.pending.get(deviceId) ?? 0) > 1;
          if (!(error instanceof HttpError && error.body.error === 'gap' && othersOnTheWay && attempt < MAX_REQUEUES)) throw error;
          // An earlier batch of this device is still being checked: try again once another
          // batch of the device is through.
          await this.nextSettled(deviceId);
        }
      }
    } finally {
      const left = (this.pending.get(deviceId) ?? 1) - 1;
      if (left > 0) this.pending.set(deviceId, left);
      else this.pending.delete(deviceId);
      this.wake(deviceId);
    }
  }

  private nextSettled(deviceId: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiters.get(deviceId) ?? [];
      list.push(resolve);
      this.waiters.set(deviceId, list);
    });
  }

  private wake(deviceId: string): void {
    const list = this.waiters.get(deviceId);
    this.waiters.delete(deviceId);
    for (const resolve of list ?? []) resolve();
  }

  private queue<T>(deviceId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(deviceId) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    this.tails.set(deviceId, tail);
    void tail.then(() => {
      if (this.tails.get(deviceId) === tail) this.tails.delete(deviceId);
    });
    return mine;
  }
}

/** A gapped batch waits for at most this many of its device's other batches to get through. */
const MAX_REQUEUES = 16;

export async function ingestBatch(db: SqlClient, deviceId: string, body: unknown, lanes?: DeviceLanes): Promise<IngestResult> {
  const check = async (): Promise<() => Promise<IngestResult>> => {
    const batch = checkBatchShape(body, deviceId);
    const publicKey = await devicePublicKey(db, deviceId);
    if (!publicKey || !verifyBatchSignature(batch, publicKey, batch.canonical.map((forms) => forms.sealed))) {
      throw new HttpError(401, { error: 'bad_signature', message: `the batch signature does not verify with the key enrolled for device ${deviceId}` });
    }
    checkBatchChain(batch.records, batch.canonical);
    // The insert's parameters assume nothing of the batch is stored yet (the usual case), so
    // they are built here, outside the lane, while another batch of the device may be writing.
    const prepared = insertParameters(batch.records, batch.canonical);
    return () => db.transaction((tx) => placeBatch(tx, deviceId, batch.records, batch.canonical, prepared, batch.signature));
  };
  if (lanes) return lanes.ingest(deviceId, check);
  return (await check())();
}

interface InsertParameters {
  columns: unknown[];
  runs: string;
}

/** The column arrays of the records INSERT (parameters $2…$15) for these records. */
function insertParameters(fresh: AuditRecord[], canonical: readonly CanonicalRecord[]): InsertParameters {
  const times = fresh.map((record) => timestamp(record.ts));
  return {
    columns: [
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
      `[${canonical.map((forms) => forms.payload).join(',')}]`,
      plainArray(fresh.map((r) => r.prevHash)),
      plainArray(fresh.map((r) => r.hash)),
    ],
    runs: JSON.stringify(runRows(fresh, times)),
  };
}

async function placeBatch(
  tx: Queryable,
  deviceId: string,
  records: AuditRecord[],
  canonical: readonly CanonicalRecord[],
  prepared: InsertParameters,
  signature: string,
): Promise<IngestResult> {
  const device = await tx.query<{ ack_seq: unknown; ack_hash: string }>('SELECT ack_seq, ack_hash FROM devices WHERE id = $1 FOR UPDATE', [deviceId]);
  const row = device.rows[0];
  if (!row) throw new HttpError(401, { error: 'unauthorized', message: `device ${deviceId} is not enrolled` });
  const ack = toNumber(row.ack_seq);
  const first = records[0]!.seq;
  const last = records[records.length - 1]!.seq;
  if (first > ack + 1) throw new HttpError(409, { error: 'gap', message: `expected seq ${ack + 1}, the batch starts at ${first}`, expectedSeq: ack + 1 });

  // Records at or below the ack must be the very ones already stored.
  let duplicates = 0;
  if (first <= ack) {
    const upTo = Math.min(last, ack);
    const stored = await tx.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3', [deviceId, first, upTo]);
    const hashes = new Map(stored.rows.map((r) => [toNumber(r.seq), r.hash]));
    for (const record of records) {
      if (record.seq > upTo) break;
      const hash = hashes.get(record.seq);
      if (hash !== undefined && hash !== record.hash) throw new HttpError(409, { error: 'conflict', message: `seq ${record.seq} was already accepted with another hash`, seq: record.seq });
      duplicates++;
    }
  }
  // Records are consecutive, so the new ones are a suffix.
  const skip = Math.max(0, Math.min(records.length, ack - first + 1));
  const fresh = records.slice(skip);
  if (fresh.length === 0) return { ackSeq: ack, accepted: 0, duplicates };
  const next = fresh[0]!;
  if (next.prevHash !== row.ack_hash) {
    throw new HttpError(409, { error: 'conflict', message: `record ${next.seq} does not link to accepted record ${ack} (prevHash differs)`, seq: next.seq });
  }

  // One statement for the whole batch: the records as a column array per field (ROWS FROM zips
  // them into rows; payloads come as one JSON array, stored jsonb, so their key order is moot),
  // the runs they touch upserted, the device's signature over the whole batch kept, and the
  // device's ack moved on.
  const parameters = skip === 0 ? prepared : insertParameters(fresh, canonical.slice(skip));
  const lastRecord = fresh[fresh.length - 1]!;
  await tx.query(
    `WITH inserted AS (
       INSERT INTO audit_records (device_id, seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash)
       SELECT $1, r.seq, r.id, r.ts, r.ts_at, r.type, r.run_id, r.automation_id, r.automation_version, r.automation_sha256, r.user_name, r.payload, r.prev_hash, r.hash
       FROM ROWS FROM (unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]), unnest($5::timestamptz[]), unnest($6::text[]), unnest($7::text[]), unnest($8::text[]),
                       unnest($9::text[]), unnest($10::text[]), unnest($11::text[]), jsonb_array_elements($12::jsonb), unnest($13::text[]), unnest($14::text[]))
            AS r(seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash)
     ), upserted AS (
       INSERT INTO runs (device_id, run_id, automation_id, automation_version, user_name, status, started_at, ended_at, record_count, first_seq, last_seq)
       SELECT $1, r.run_id, r.automation_id, r.automation_version, r.user_name, r.status, COALESCE(r.started_at, now()), r.ended_at, r.record_count, r.first_seq, r.last_seq
       FROM json_to_recordset($15::json) AS r(run_id text, automation_id text, automation_version text, user_name text, status text,
            started_at timestamptz, ended_at timestamptz, record_count integer, first_seq bigint, last_seq bigint)
       ON CONFLICT (device_id, run_id) DO UPDATE SET
         automation_id = COALESCE(runs.automation_id, EXCLUDED.automation_id),
         automation_version = COALESCE(runs.automation_version, EXCLUDED.automation_version),
         status = CASE WHEN EXCLUDED.status = 'running' THEN runs.status ELSE EXCLUDED.status END,
         started_at = LEAST(runs.started_at, EXCLUDED.started_at),
         ended_at = COALESCE(EXCLUDED.ended_at, runs.ended_at),
         record_count = runs.record_count + EXCLUDED.record_count,
         last_seq = GREATEST(runs.last_seq, EXCLUDED.last_seq),
         updated_at = now()
     ), signed AS (
       INSERT INTO audit_batches (device_id, first_seq, last_seq, signature) VALUES ($1, $18, $19, $20) ON CONFLICT DO NOTHING
     )
     UPDATE devices SET ack_seq = $16, ack_hash = $17, last_seen_at = now() WHERE id = $1`,
    [deviceId, ...parameters.columns, parameters.runs, lastRecord.seq, lastRecord.hash, first, last, signature],
  );
  return { ackSeq: lastRecord.seq, accepted: fresh.length, duplicates };
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

interface RunRow {
  run_id: string;
  automation_id: string | null;
  automation_version: string | null;
  user_name: string;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  record_count: number;
  first_seq: number;
  last_seq: number;
}

/** What this batch says about each run it touches; merged into runs by the upsert. */
function runRows(records: AuditRecord[], times: ReadonlyArray<string | null>): RunRow[] {
  const runs = new Map<string, RunRow>();
  for (const [index, record] of records.entries()) {
    const at = times[index] ?? null;
    let run = runs.get(record.runId);
    if (!run) {
      run = {
        run_id: record.runId,
        automation_id: record.automation?.id ?? null,
        automation_version: record.automation?.version ?? null,
        user_name: record.user,
        status: 'running',
        started_at: at,
        ended_at: null,
        record_count: 0,
        first_seq: record.seq,
        last_seq: record.seq,
      };
      runs.set(record.runId, run);
    }
    run.record_count++;
    run.last_seq = record.seq;
    if (at && (!run.started_at || at < run.started_at)) run.started_at = at;
    if (record.type === 'run.finished') {
      const status = record.payload.status;
      run.status = typeof status === 'string' && status !== 'running' ? status : 'finished';
      run.ended_at = at;
    }
  }
  return [...runs.values()];
}
