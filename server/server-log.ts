// The server's log: one hash chain of entries, each signed with the server's key (audit/receipt.ts).
// Appended inside the transaction that does what the entry records (a batch accepted, a device
// enrolled, a retention anchor moved, a device revoked), so an entry exists exactly when its
// change was committed. Appends take the head row's lock: entries get consecutive numbers in
// commit order. Callers lock their device rows first, then the head, so appends never deadlock.
import { LogEntrySchema, sealLogEntry, type LogEntry, type LogEntryBody } from '../audit/index.js';
import type { Queryable } from './db.js';
import { toNumber } from './db.js';
import type { ServerKey } from './server-key.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An entry as its writer states it; the log adds its place, link and time. */
export type NewLogEntry = DistributiveOmit<LogEntryBody, 'v' | 'n' | 'prevHash' | 'at'>;

/** The head row as locked: the number and hash of the newest entry. */
export interface LogHeadRow {
  n: number;
  hash: string;
}

/**
 * The two CTEs that write a sealed entry and move the head, its values from parameter $first on
 * (in the order of LogRow.values). The caller holds the head's lock already (lockLogHead, or a
 * statement that locked it after its device rows), so writing them in another statement's WITH
 * adds no round trip and no lock.
 */
export function logAppendCtes(first: number): string {
  const p = (i: number): string => `$${first + i}`;
  return `log_added AS (
       INSERT INTO server_log (n, kind, device_id, first_seq, last_seq, body, record_hashes, hash, signature)
       VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)})
     ), log_moved AS (
       UPDATE server_log_head SET n = ${p(0)}, hash = ${p(7)} WHERE id = 1
     )`;
}

const APPEND_SQL = `WITH ${logAppendCtes(1)} SELECT 1`;
const LOCK_HEAD_SQL = 'SELECT n, hash FROM server_log_head WHERE id = 1 FOR UPDATE';

/** Locks the log's head row (callers lock their device rows first) and reads it. */
export async function lockLogHead(tx: Queryable): Promise<LogHeadRow> {
  return headOf((await tx.query<{ n: unknown; hash: string }>(LOCK_HEAD_SQL, [], 'server_log_head')).rows[0]);
}

/** The head as a statement read it (n, hash), checked to be there. */
export function headOf(row: { n: unknown; hash: string | null } | undefined): LogHeadRow {
  if (!row || row.hash === null) throw new Error('the server log has no head row: the database was not migrated');
  return { n: toNumber(row.n), hash: row.hash };
}

/** The next entry after head, sealed, and the values of its row for logAppendCtes. */
export function sealLogRow(head: LogHeadRow, key: ServerKey, entry: NewLogEntry, recordHashes?: string): { sealed: LogEntry; values: unknown[] } {
  const body = { v: 1, n: head.n + 1, prevHash: head.hash, at: new Date().toISOString(), ...entry } as LogEntryBody;
  const sealed = sealLogEntry(body, key.privateKey);
  const range = rangeOf(body);
  const { hash: _hash, signature: _signature, ...unsigned } = sealed;
  return { sealed, values: [body.n, body.kind, body.deviceId, range?.first ?? null, range?.last ?? null, JSON.stringify(unsigned), recordHashes ?? null, sealed.hash, sealed.signature] };
}

/** Locks the head, then appends: two statements (ingest folds both into its own, see ingest.ts). */
export async function appendLogEntry(tx: Queryable, key: ServerKey, entry: NewLogEntry, recordHashes?: string): Promise<LogEntry> {
  const { sealed, values } = sealLogRow(await lockLogHead(tx), key, entry, recordHashes);
  await tx.query(APPEND_SQL, values, 'server_log_append');
  return sealed;
}

function rangeOf(body: LogEntryBody): { first: number; last: number } | undefined {
  if (body.kind === 'batch') return { first: body.firstSeq, last: body.lastSeq };
  if (body.kind === 'anchor') return { first: body.fromSeq, last: body.anchorSeq };
  return undefined;
}

/** A row of server_log as stored: its body is what was signed, the rest may have been edited. */
export interface StoredLogEntry {
  n: number;
  kind: string;
  deviceId: string;
  /** The signed entry as the body says, or undefined when the body is not an entry at all. */
  entry: LogEntry | undefined;
  recordHashes: string | null;
}

interface LogRow {
  n: unknown;
  kind: string;
  device_id: string;
  body: string;
  record_hashes?: string | null;
  hash: string;
  signature: string;
}

function toStored(row: LogRow): StoredLogEntry {
  let entry: LogEntry | undefined;
  try {
    const parsed = LogEntrySchema.safeParse({ ...(JSON.parse(row.body) as object), hash: row.hash, signature: row.signature });
    entry = parsed.success ? parsed.data : undefined;
  } catch {
    entry = undefined;
  }
  return { n: toNumber(row.n), kind: row.kind, deviceId: row.device_id, entry, recordHashes: row.record_hashes ?? null };
}

/** The whole log in order, page by page; record hashes only for deviceId's entries (the others need only their links). */
export async function* readLog(db: Queryable, deviceId: string, pageSize = 5000): AsyncGenerator<StoredLogEntry> {
  let after = -1;
  for (;;) {
    const result = await db.query<LogRow>(
      `SELECT n, kind, device_id, body, CASE WHEN device_id = $1 THEN record_hashes END AS record_hashes, hash, signature
       FROM server_log WHERE n > $2 ORDER BY n LIMIT $3`,
      [deviceId, after, pageSize],
    );
    for (const row of result.rows) yield toStored(row);
    if (result.rows.length < pageSize) return;
    after = toNumber(result.rows[result.rows.length - 1]!.n);
  }
}

/** A device's log entries of one kind (as their bodies say), oldest first; for the device-facing routes. */
export async function deviceEntries(db: Queryable, deviceId: string, kind: LogEntryBody['kind'], afterSeq = 0, limit = 1000): Promise<LogEntry[]> {
  const result = await db.query<LogRow>(
    'SELECT n, kind, device_id, body, hash, signature FROM server_log WHERE device_id = $1 AND kind = $2 AND COALESCE(last_seq, 0) > $3 ORDER BY n LIMIT $4',
    [deviceId, kind, afterSeq, limit],
  );
  return result.rows.map(toStored).flatMap((stored) => (stored.entry && stored.entry.deviceId === deviceId ? [stored.entry] : []));
}
