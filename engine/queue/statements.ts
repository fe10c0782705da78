// Every SQL statement of the SQLite work queue, prepared once per connection, and the
// mapping from rows to the API's items.
import type { Database } from '../store/database.js';
import type { HistoryEntry, ItemError, ItemState, QueueItem } from './types.js';

export interface ItemRow {
  id: number;
  queue: string;
  payload_json: string;
  state: ItemState;
  priority: number;
  idempotency_key: string | null;
  attempts: number;
  max_retries: number;
  next_attempt_at: number;
  lease_token: string | null;
  lease_worker: string | null;
  lease_expires_at: number | null;
  output_json: string | null;
  error_json: string | null;
  created_at: number;
  updated_at: number;
}

interface HistoryRow {
  ts: number;
  from_state: ItemState | null;
  to_state: ItemState;
  attempt: number;
  worker: string | null;
  error_json: string | null;
}

export interface InsertParams {
  queue: string;
  payload_json: string;
  priority: number;
  idempotency_key: string | null;
  max_retries: number;
  now: number;
}

export interface MoveParams {
  id: number;
  to: ItemState;
  /** null keeps the current value, for these four. */
  next_attempt_at: number | null;
  attempts: number | null;
  output_json: string | null;
  error_json: string | null;
  now: number;
}

export interface LeaseParams {
  id: number;
  token: string;
  worker: string;
  expires: number;
  now: number;
}

export interface HistoryParams {
  item_id: number;
  ts: number;
  from_state: ItemState | null;
  to_state: ItemState;
  attempt: number;
  worker: string | null;
  error_json: string | null;
}

const WAITING = `state IN ('new', 'retrying')`;

export function statements(db: Database) {
  return {
    insert: db.prepare<InsertParams, ItemRow>(
      `INSERT INTO queue_items (queue, payload_json, state, priority, idempotency_key, max_retries, next_attempt_at, created_at, updated_at)
       VALUES (@queue, @payload_json, 'new', @priority, @idempotency_key, @max_retries, @now, @now, @now)
       ON CONFLICT (queue, idempotency_key) DO NOTHING
       RETURNING *`,
    ),
    byKey: db.prepare<[string, string], ItemRow>('SELECT * FROM queue_items WHERE queue = ? AND idempotency_key = ?'),
    get: db.prepare<[number], ItemRow>('SELECT * FROM queue_items WHERE id = ?'),
    // Walks the partial index in lease order; next_attempt_at filters retrying items not yet due.
    nextDue: db.prepare<[string, number], { id: number; state: ItemState }>(
      `SELECT id, state FROM queue_items INDEXED BY queue_items_waiting
       WHERE queue = ? AND ${WAITING} AND next_attempt_at <= ?
       ORDER BY priority DESC, id LIMIT 1`,
    ),
    // The same walk, for leaseMany().
    nextDueMany: db.prepare<[string, number, number], { id: number; state: ItemState }>(
      `SELECT id, state FROM queue_items INDEXED BY queue_items_waiting
       WHERE queue = ? AND ${WAITING} AND next_attempt_at <= ?
       ORDER BY priority DESC, id LIMIT ?`,
    ),
    takeLease: db.prepare<LeaseParams, ItemRow>(
      `UPDATE queue_items
       SET state = 'in_progress', attempts = attempts + 1, lease_token = @token, lease_worker = @worker,
           lease_expires_at = @expires, updated_at = @now
       WHERE id = @id AND ${WAITING}
       RETURNING *`,
    ),
    // leaseMany(): one statement for the whole batch. @leases is a JSON array of [id, token];
    // the state check is the one takeLease makes.
    takeLeases: db.prepare<{ leases: string; worker: string; expires: number; now: number }, ItemRow>(
      `UPDATE queue_items AS q
       SET state = 'in_progress', attempts = q.attempts + 1, lease_token = l.token, lease_worker = @worker,
           lease_expires_at = @expires, updated_at = @now
       FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(@leases)) AS l
       WHERE q.id = l.id AND q.${WAITING}
       RETURNING *`,
    ),
    // completeMany(): one statement for the whole batch. @done is a JSON array of [id, token,
    // output_json | null]; an entry changes its item only under the check holding() makes
    // (in_progress, this token, lease not run out), so the ones it skips changed nothing.
    completeHeld: db.prepare<{ done: string; now: number }, ItemRow>(
      `UPDATE queue_items AS q
       SET state = 'done', lease_token = NULL, lease_expires_at = NULL,
           output_json = coalesce(d.output_json, q.output_json), updated_at = @now
       FROM (SELECT value ->> 0 AS id, value ->> 1 AS token, value ->> 2 AS output_json FROM json_each(@done)) AS d
       WHERE q.id = d.id AND q.state = 'in_progress' AND q.lease_token = d.token AND q.lease_expires_at > @now
       RETURNING *`,
    ),
    // The history rows of a batch, in the given order. @rows is a JSON array of
    // [item_id, from_state, to_state, attempt, worker].
    addHistories: db.prepare<{ rows: string; ts: number }>(
      `INSERT INTO queue_item_history (item_id, ts, from_state, to_state, attempt, worker, error_json)
       SELECT value ->> 0, @ts, value ->> 1, value ->> 2, value ->> 3, value ->> 4, NULL FROM json_each(@rows) ORDER BY key`,
    ),
    expired: db.prepare<[number], ItemRow>(
      `SELECT * FROM queue_items INDEXED BY queue_items_leased
       WHERE state = 'in_progress' AND lease_expires_at <= ? ORDER BY id`,
    ),
    move: db.prepare<MoveParams, ItemRow>(
      `UPDATE queue_items
       SET state = @to, lease_token = NULL, lease_expires_at = NULL,
           next_attempt_at = coalesce(@next_attempt_at, next_attempt_at),
           attempts = coalesce(@attempts, attempts),
           output_json = coalesce(@output_json, output_json),
           error_json = coalesce(@error_json, error_json),
           updated_at = @now
       WHERE id = @id
       RETURNING *`,
    ),
    addHistory: db.prepare<HistoryParams>(
      `INSERT INTO queue_item_history (item_id, ts, from_state, to_state, attempt, worker, error_json)
       VALUES (@item_id, @ts, @from_state, @to_state, @attempt, @worker, @error_json)`,
    ),
    history: db.prepare<[number], HistoryRow>(
      'SELECT ts, from_state, to_state, attempt, worker, error_json FROM queue_item_history WHERE item_id = ? ORDER BY id',
    ),
    listAll: db.prepare<[number], ItemRow>('SELECT * FROM queue_items ORDER BY id LIMIT ?'),
    listQueue: db.prepare<[string, number], ItemRow>('SELECT * FROM queue_items WHERE queue = ? ORDER BY id LIMIT ?'),
    listState: db.prepare<[string, number], ItemRow>('SELECT * FROM queue_items WHERE state = ? ORDER BY id LIMIT ?'),
    listQueueState: db.prepare<[string, string, number], ItemRow>(
      'SELECT * FROM queue_items WHERE queue = ? AND state = ? ORDER BY id LIMIT ?',
    ),
    stats: db.prepare<[string], { state: ItemState; n: number }>(
      'SELECT state, count(*) AS n FROM queue_items WHERE queue = ? GROUP BY state',
    ),
  };
}

export type Statements = ReturnType<typeof statements>;

export function toItem(row: ItemRow): QueueItem {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload_json) as unknown,
    state: row.state,
    priority: row.priority,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    maxRetries: row.max_retries,
    nextAttemptAt: row.next_attempt_at,
    worker: row.lease_worker,
    leaseExpiresAt: row.lease_expires_at,
    output: row.output_json === null ? null : (JSON.parse(row.output_json) as unknown),
    lastError: parseError(row.error_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toHistory(row: HistoryRow): HistoryEntry {
  return { ts: row.ts, from: row.from_state, to: row.to_state, attempt: row.attempt, worker: row.worker, error: parseError(row.error_json) };
}

function parseError(json: string | null): ItemError | null {
  return json === null ? null : (JSON.parse(json) as ItemError);
}
