// POST /v1/ingest: a signed batch from one device. Everything that needs no database (schema,
// signature, hashes, links inside the batch) is checked first; then, in one transaction with the
// device row locked, the batch is placed against the stored ack: gap → 409, re-sent records
// ignored, conflicting ones → 409, new records inserted in one statement and runs updated.
import { AuditBatchSchema, GENESIS_HASH, verifyBatchSignature, verifyChain, type AuditRecord } from '../audit/index.js';
import type { Queryable, SqlClient } from './db.js';
import { toNumber } from './db.js';
import { badRequest, forbidden, HttpError, parse } from './http.js';

export interface IngestResult {
  ackSeq: number;
  accepted: number;
  duplicates: number;
}

/** Postgres text and jsonb cannot hold NUL; a lone surrogate would not survive UTF-8. */
function unstorableString(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || /\p{Cs}/u.test(value);
  if (Array.isArray(value)) return value.some(unstorableString);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, item]) => unstorableString(key) || unstorableString(item));
  return false;
}

function timestamp(ts: string): string | null {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Checks that need nothing stored: shape, one device, consecutive seqs, storable strings. */
export function checkBatchShape(body: unknown, deviceId: string): { deviceId: string; records: AuditRecord[]; signature: string } {
  const batch = parse(AuditBatchSchema, body, 'batch', 'invalid_batch');
  if (batch.deviceId !== deviceId) throw forbidden(`this token belongs to device ${deviceId}, not ${batch.deviceId}`);
  batch.records.forEach((record, index) => {
    if (record.deviceId !== batch.deviceId) throw badRequest('invalid_batch', `record ${record.seq} names device ${record.deviceId}, the batch ${batch.deviceId}`);
    const first = batch.records[0]!.seq;
    if (record.seq !== first + index) throw badRequest('invalid_batch', `records must have consecutive seqs: found ${record.seq} at position ${index} after ${first}`);
    if (unstorableString(record)) throw badRequest('invalid_batch', `record ${record.seq} holds a NUL character or a lone surrogate, which cannot be stored`);
  });
  return batch;
}

/** Every hash recomputed, every link inside the batch followed; seq 1 must start from genesis. */
export function checkBatchChain(records: AuditRecord[]): void {
  const first = records[0]!;
  if (first.seq === 1 && first.prevHash !== GENESIS_HASH) throw badRequest('broken_chain', 'record 1 must have prevHash of 64 zeros', { seq: 1 });
  const verdict = verifyChain(records, { seq: first.seq - 1, hash: first.prevHash });
  if (!verdict.ok) {
    const error = verdict.firstBroken.reason.includes('altered') ? 'bad_hash' : 'broken_chain';
    throw badRequest(error, verdict.firstBroken.reason, { seq: verdict.firstBroken.seq });
  }
}

export async function devicePublicKey(db: Queryable, deviceId: string): Promise<string | undefined> {
  const result = await db.query<{ public_key: string }>('SELECT public_key FROM devices WHERE id = $1', [deviceId]);
  return result.rows[0]?.public_key;
}

export async function ingestBatch(db: SqlClient, deviceId: string, body: unknown): Promise<IngestResult> {
  const batch = checkBatchShape(body, deviceId);
  const publicKey = await devicePublicKey(db, deviceId);
  if (!publicKey || !verifyBatchSignature(batch, publicKey)) {
    throw new HttpError(401, { error: 'bad_signature', message: `the batch signature does not verify with the key enrolled for device ${deviceId}` });
  }
  checkBatchChain(batch.records);
  return db.transaction((tx) => placeBatch(tx, deviceId, batch.records));
}

async function placeBatch(tx: Queryable, deviceId: string, records: AuditRecord[]): Promise<IngestResult> {
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
  const fresh = records.filter((record) => record.seq > ack);
  if (fresh.length === 0) return { ackSeq: ack, accepted: 0, duplicates };
  const next = fresh[0]!;
  if (next.prevHash !== row.ack_hash) {
    throw new HttpError(409, { error: 'conflict', message: `record ${next.seq} does not link to accepted record ${ack} (prevHash differs)`, seq: next.seq });
  }

  // One statement for the whole batch: a column array per field, unnest()ed into rows.
  const columns = recordColumns(fresh);
  await tx.query(
    `INSERT INTO audit_records (device_id, seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash)
     SELECT $1, r.seq, r.id, r.ts, r.ts_at, r.type, r.run_id, r.automation_id, r.automation_version, r.automation_sha256, r.user_name, r.payload::jsonb, r.prev_hash, r.hash
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
          AS r(seq, id, ts, ts_at, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash)`,
    [deviceId, ...columns],
  );
  await tx.query(
    `INSERT INTO runs (device_id, run_id, automation_id, automation_version, user_name, status, started_at, ended_at, record_count, first_seq, last_seq)
     SELECT $1, r.run_id, r.automation_id, r.automation_version, r.user_name, r.status, COALESCE(r.started_at, now()), r.ended_at, r.record_count, r.first_seq, r.last_seq
     FROM json_to_recordset($2::json) AS r(run_id text, automation_id text, automation_version text, user_name text, status text,
          started_at timestamptz, ended_at timestamptz, record_count integer, first_seq bigint, last_seq bigint)
     ON CONFLICT (device_id, run_id) DO UPDATE SET
       automation_id = COALESCE(runs.automation_id, EXCLUDED.automation_id),
       automation_version = COALESCE(runs.automation_version, EXCLUDED.automation_version),
       status = CASE WHEN EXCLUDED.status = 'running' THEN runs.status ELSE EXCLUDED.status END,
       started_at = LEAST(runs.started_at, EXCLUDED.started_at),
       ended_at = COALESCE(EXCLUDED.ended_at, runs.ended_at),
       record_count = runs.record_count + EXCLUDED.record_count,
       last_seq = GREATEST(runs.last_seq, EXCLUDED.last_seq),
       updated_at = now()`,
    [deviceId, JSON.stringify(runRows(fresh))],
  );
  const lastRecord = fresh[fresh.length - 1]!;
  await tx.query('UPDATE devices SET ack_seq = $2, ack_hash = $3, last_seen_at = now() WHERE id = $1', [deviceId, lastRecord.seq, lastRecord.hash]);
  return { ackSeq: lastRecord.seq, accepted: fresh.length, duplicates };
}

function recordColumns(records: AuditRecord[]): unknown[][] {
  return [
    records.map((r) => r.seq),
    records.map((r) => r.id),
    records.map((r) => r.ts),
    records.map((r) => timestamp(r.ts)),
    records.map((r) => r.type),
    records.map((r) => r.runId),
    records.map((r) => r.automation?.id ?? null),
    records.map((r) => r.automation?.version ?? null),
    records.map((r) => r.automation?.sha256 ?? null),
    records.map((r) => r.user),
    records.map((r) => JSON.stringify(r.payload)),
    records.map((r) => r.prevHash),
    records.map((r) => r.hash),
  ];
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
function runRows(records: AuditRecord[]): RunRow[] {
  const runs = new Map<string, RunRow>();
  for (const record of records) {
    const at = timestamp(record.ts);
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
