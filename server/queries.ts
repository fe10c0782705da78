// Read side: runs with filters and keyset cursors, a run's records, devices, the stored chain
// re-checked, and records for export. Filters become numbered parameters, never SQL text.
import { AUDIT_TIME_HINT, canonicalJson, isAuditTime, type AuditRecord } from '../audit/index.js';
import { z } from 'zod';
import type { Queryable } from './db.js';
import { toIso, toNumber } from './db.js';
import { badRequest, storableText } from './http.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A time filter: an RFC 3339 date-time, or a date (its midnight UTC), that PostgreSQL reads as
 * JavaScript does (isAuditTime: real calendar days, years 0001-9999). It goes to PostgreSQL as
 * JavaScript's own ISO form, so the database never sees a spelling only one side accepts.
 */
export const isoTime = z
  .string()
  .max(40)
  .refine((value) => isAuditTime(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value), `${AUDIT_TIME_HINT}, or a date such as 2026-12-05`)
  .transform((value) => new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value).toISOString());
const text = storableText(1, 256);

export const RunsQuery = z.strictObject({
  device: text.optional(),
  user: text.optional(),
  /** Part of the automation's id or name, any case ("invoice" finds "invoice-entry", "Invoice entry"). */
  automation: text.optional(),
  status: text.optional(),
  /** Free text: part of the run id, automation id, user or device id, or of any record of the run (inputs, outputs, errors, names). */
  q: text.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunsQuery = z.infer<typeof RunsQuery>;

export const ExportQuery = z.strictObject({
  format: z.enum(['ndjson', 'csv']).default('ndjson'),
  device: text.optional(),
  user: text.optional(),
  automation: text.optional(),
  run: text.optional(),
  type: text.optional(),
  /** Records of runs that ended so (the runs list's status), and of runs the free text finds (as in RunsQuery). */
  status: text.optional(),
  q: text.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** Collects WHERE conditions with their parameters numbered in order. */
class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  add(condition: (...placeholders: string[]) => string, ...values: unknown[]): void {
    const placeholders = values.map((value) => {
      this.params.push(value);
      return `$${this.params.length}`;
    });
    this.parts.push(condition(...placeholders));
  }
  /** A condition whose placeholders came from param(). */
  raw(condition: string): void {
    this.parts.push(condition);
  }
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  toString(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** A LIKE pattern that finds `value` anywhere, its own %, _ and \\ taken literally. */
const containing = (value: string): string => `%${value.replace(/[\\%_]/g, '\\$&')}%`;

/** The runs-table conditions the runs list and the export share, `runs` naming the runs row; values become parameters of `where`. */
function runConditions(where: Where, runs: string, query: { automation?: string | undefined; status?: string | undefined; q?: string | undefined }): string[] {
  const conditions: string[] = [];
  if (query.automation) {
    const p = where.param(containing(query.automation));
    conditions.push(`(${runs}.automation_id ILIKE ${p} OR ${runs}.automation_name ILIKE ${p})`);
  }
  if (query.status) conditions.push(`${runs}.status = ${where.param(query.status)}`);
  if (query.q) {
    const p = where.param(containing(query.q));
    conditions.push(
      `(${runs}.run_id ILIKE ${p} OR ${runs}.automation_id ILIKE ${p} OR ${runs}.automation_name ILIKE ${p} OR ${runs}.user_name ILIKE ${p} OR ${runs}.device_id ILIKE ${p}` +
        ` OR EXISTS (SELECT 1 FROM audit_records found WHERE found.run_id = ${runs}.run_id AND found.device_id = ${runs}.device_id AND found.payload::text ILIKE ${p}))`,
    );
  }
  return conditions;
}

const encodeCursor = (values: string[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
/** What a cursor holds: the last row's start time as listRuns wrote it (microseconds, kept as they are), device and run. */
const CursorValues = z.tuple([z.string().max(40).refine(isAuditTime), storableText(1, 64), storableText(1, 64)]);
function decodeCursor(cursor: string): [string, string, string] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const parsed = CursorValues.safeParse(values);
  if (parsed.success) return parsed.data;
  throw badRequest('invalid_request', 'invalid cursor: pass back the nextCursor of a previous page');
}

interface RunDbRow {
  device_id: string;
  run_id: string;
  automation_id: string | null;
  automation_version: string | null;
  automation_name: string | null;
  user_name: string;
  status: string;
  started_at: unknown;
  ended_at: unknown;
  record_count: unknown;
  cursor_ts: string;
}

/** Runs newest first; nextCursor is null on the last page. */
export async function listRuns(db: Queryable, query: RunsQuery) {
  const where = new Where();
  if (query.device) where.add((p) => `device_id = ${p}`, query.device);
  if (query.user) where.add((p) => `user_name = ${p}`, query.user);
  for (const condition of runConditions(where, 'runs', query)) where.raw(condition);
  if (query.from) where.add((p) => `started_at >= ${p}::timestamptz`, query.from);
  if (query.to) where.add((p) => `started_at < ${p}::timestamptz`, query.to);
  if (query.cursor) where.add((a, b, c) => `(started_at, device_id, run_id) < (${a}::timestamptz, ${b}, ${c})`, ...decodeCursor(query.cursor));
  const limit = where.param(query.limit + 1);
  const result = await db.query<RunDbRow>(
    `SELECT device_id, run_id, automation_id, automation_version, automation_name, user_name, status, started_at, ended_at, record_count,
            to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts
     FROM runs ${where.toString()} ORDER BY started_at DESC, device_id DESC, run_id DESC LIMIT ${limit}`,
    where.params,
  );
  const page = result.rows.slice(0, query.limit);
  const lastRow = page[page.length - 1];
  return {
    runs: page.map((row) => ({
      runId: row.run_id,
      deviceId: row.device_id,
      // name: null for a run whose run.started record the server never had (migration 009).
      automation: row.automation_id === null ? null : { id: row.automation_id, version: row.automation_version, name: row.automation_name },
      user: row.user_name,
      status: row.status,
      startedAt: toIso(row.started_at),
      endedAt: toIso(row.ended_at),
      records: toNumber(row.record_count),
    })),
    nextCursor: result.rows.length > query.limit && lastRow ? encodeCursor([lastRow.cursor_ts, lastRow.device_id, lastRow.run_id]) : null,
  };
}

const RECORD_COLUMNS = `device_id, seq, id, ts, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash`;

interface RecordDbRow {
  device_id: string;
  seq: unknown;
  id: string;
  ts: string;
  type: string;
  run_id: string;
  automation_id: string | null;
  automation_version: string | null;
  automation_sha256: string | null;
  user_name: string;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** A stored row back into the record the device signed (same fields, same values). */
export function toRecord(row: RecordDbRow): AuditRecord {
  return {
    id: row.id,
    deviceId: row.device_id,
    seq: toNumber(row.seq),
    ts: row.ts,
    type: row.type,
    automation: row.automation_id === null ? null : { id: row.automation_id, version: row.automation_version ?? '', sha256: row.automation_sha256 ?? '' },
    runId: row.run_id,
    user: row.user_name,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export async function runRecords(db: Queryable, runId: string): Promise<AuditRecord[]> {
  const result = await db.query<RecordDbRow>(`SELECT ${RECORD_COLUMNS} FROM audit_records WHERE run_id = $1 ORDER BY device_id, seq`, [runId]);
  return result.rows.map(toRecord);
}

export async function listDevices(db: Queryable) {
  const result = await db.query<{ id: string; name: string; created_at: unknown; last_seen_at: unknown; ack_seq: unknown; ack_hash: string }>(
    'SELECT id, name, created_at, last_seen_at, ack_seq, ack_hash FROM devices ORDER BY created_at, id',
  );
  return result.rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: toIso(row.created_at),
    lastSeenAt: toIso(row.last_seen_at),
    ackSeq: toNumber(row.ack_seq),
    ackHash: row.ack_hash,
  }));
}

/** Records matching the filters, ordered by device and seq, fetched in pages. */
export async function* exportRecords(db: Queryable, query: ExportQuery, pageSize = 2000): AsyncGenerator<AuditRecord> {
  let after: [string, number] | undefined;
  for (;;) {
    const where = new Where();
    if (query.device) where.add((p) => `device_id = ${p}`, query.device);
    if (query.user) where.add((p) => `user_name = ${p}`, query.user);
    // The automation (part of its id or name), status and free text are the run's: records of the runs they find.
    const ofRuns = runConditions(where, 'r', { automation: query.automation, status: query.status, q: query.q });
    if (ofRuns.length) where.raw(`EXISTS (SELECT 1 FROM runs r WHERE r.run_id = audit_records.run_id AND r.device_id = audit_records.device_id AND ${ofRuns.join(' AND ')})`);
    if (query.run) where.add((p) => `run_id = ${p}`, query.run);
    if (query.type) where.add((p) => `type = ${p}`, query.type);
    if (query.from) where.add((p) => `ts_at >= ${p}::timestamptz`, query.from);
    if (query.to) where.add((p) => `ts_at < ${p}::timestamptz`, query.to);
    if (after) where.add((d, s) => `(device_id, seq) > (${d}, ${s}::bigint)`, ...after);
    const limit = where.param(pageSize);
    const result = await db.query<RecordDbRow>(`SELECT ${RECORD_COLUMNS} FROM audit_records ${where.toString()} ORDER BY device_id, seq LIMIT ${limit}`, where.params);
    for (const row of result.rows) yield toRecord(row);
    const last = result.rows[result.rows.length - 1];
    if (!last || result.rows.length < pageSize) return;
    after = [last.device_id, toNumber(last.seq)];
  }
}

export const CSV_COLUMNS = ['deviceId', 'seq', 'id', 'ts', 'type', 'runId', 'automationId', 'automationVersion', 'automationSha256', 'user', 'payload', 'prevHash', 'hash'] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(record: AuditRecord): string {
  const a = record.automation;
  const cells = [record.deviceId, record.seq, record.id, record.ts, record.type, record.runId, a?.id ?? '', a?.version ?? '', a?.sha256 ?? '', record.user, canonicalJson(record.payload), record.prevHash, record.hash];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
