// The SQL of central work queues. Every change of an item's state is one statement that moves the
// item and appends its event (queue_item_events) together, so the history never disagrees with the
// item. Times are PostgreSQL's now(): a robot sends durations (leaseMs), never clock readings.
// Leases take due rows with FOR UPDATE SKIP LOCKED, so any number of server processes on one
// database hand each item to one robot at a time.
import type { Queryable } from '../db.js';
import { toNumber } from '../db.js';

/** An item row as the SQL below returns it (pg: bigint as string, timestamptz as Date). */
export interface ItemRow {
  id: string | number;
  queue: string;
  payload: string;
  state: string;
  priority: number;
  idempotency_key: string | null;
  attempts: number;
  max_retries: number;
  next_attempt_at: Date | string;
  deadline: Date | string | null;
  worker: string | null;
  device_id: string | null;
  lease_token: string | null;
  lease_expires_at: Date | string | null;
  output: string | null;
  last_error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const ms = (value: Date | string | null): number | null => (value === null ? null : value instanceof Date ? value.getTime() : new Date(value).getTime());
const json = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** The wire form of an item (times in Unix ms of the server's clock), as engine/queue's QueueItem. */
export function itemJson(row: ItemRow): Record<string, unknown> {
  return {
    id: toNumber(row.id),
    queue: row.queue,
    payload: json(row.payload),
    state: row.state,
    priority: row.priority,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    maxRetries: row.max_retries,
    nextAttemptAt: ms(row.next_attempt_at),
    deadline: ms(row.deadline),
    worker: row.worker,
    deviceId: row.device_id,
    leaseExpiresAt: row.state === 'in_progress' ? ms(row.lease_expires_at) : null,
    output: json(row.output),
    lastError: json(row.last_error),
    createdAt: ms(row.created_at),
    updatedAt: ms(row.updated_at),
  };
}

const BACKOFF = (attempts: string, base: string, cap: string) =>
  `make_interval(secs => LEAST(${cap}::float8, ${base}::float8 * power(2::float8, GREATEST(${attempts} - 1, 0))) * (0.5 + 0.5 * random()) / 1000.0)`;

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Leases whose time ran out → retrying (after a backoff from the moment they ran out) or dead;
 * the attempt is recorded as abandoned. Then waiting items whose deadline passed → dead.
 * Rows another process is sweeping are skipped (SKIP LOCKED), not waited for.
 */
export async function sweepQueue(db: Queryable, queue: string): Promise<number> {
  // One statement, one round trip: an expired lease and a passed deadline are never the same row
  // (in_progress vs new/retrying), so the two moves cannot collide.
  const swept = await db.query<{ n: string }>(
    `WITH expired AS (
       SELECT i.id, i.attempts, i.max_retries, i.lease_expires_at, i.worker, i.device_id, q.backoff_base_ms, q.backoff_cap_ms
       FROM queue_items i JOIN queues q ON q.name = i.queue
       WHERE i.queue = $1 AND i.state = 'in_progress' AND i.lease_expires_at <= now()
       ORDER BY i.lease_expires_at LIMIT 1000
       FOR UPDATE OF i SKIP LOCKED
     ), moved AS (
       UPDATE queue_items i SET
         state = CASE WHEN e.attempts > e.max_retries THEN 'dead' ELSE 'retrying' END,
         next_attempt_at = e.lease_expires_at + ${BACKOFF('e.attempts', 'e.backoff_base_ms', 'e.backoff_cap_ms')},
         last_error = json_build_object('kind', 'application', 'name', 'LeaseExpiredError', 'abandoned', true,
           'message', 'abandoned: the lease of worker ' || coalesce(e.worker, '?') || ' on device ' || coalesce(e.device_id, '?') || ' expired at '
             || ${ISO('e.lease_expires_at')} || ' (server time) without complete, fail or release: the robot stopped, hung or lost its connection')::text,
         lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       FROM expired e WHERE i.id = e.id
       RETURNING i.id, i.state, i.attempts, i.worker, i.last_error
     ), late AS (
       SELECT id FROM queue_items
       WHERE queue = $1 AND state IN ('new', 'retrying') AND deadline IS NOT NULL AND deadline <= now()
       LIMIT 1000 FOR UPDATE SKIP LOCKED
     ), killed AS (
       UPDATE queue_items i SET state = 'dead', updated_at = now(),
         last_error = json_build_object('kind', 'business', 'name', 'DeadlineExceededError',
           'message', 'the item was not worked before its deadline ' || ${ISO('i.deadline')} || ' (server time)')::text
       FROM late WHERE i.id = late.id
       RETURNING i.id, i.attempts, i.worker, i.last_error
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker, error)
       SELECT id, 'in_progress', state, attempts, 'server', worker, last_error FROM moved
       UNION ALL
       SELECT id, NULL, 'dead', attempts, 'server', worker, last_error FROM killed
     )
     SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM killed) AS n`,
    [queue],
    'queue_sweep',
  );
  return toNumber(swept.rows[0]?.n ?? 0);
}

/** Unix ms of a timestamptz column, as itemJson gives it (Date.getTime() of what pg parses). */
const MS = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;

/** itemJson(row) built by PostgreSQL: the hot path sends it on without parsing rows or dates in the server. */
const ITEM_JSON = (r: string, extra = '') => `json_build_object(
  'id', ${r}.id, 'queue', ${r}.queue, 'payload', ${r}.payload::json, 'state', ${r}.state, 'priority', ${r}.priority,
  'idempotencyKey', ${r}.idempotency_key, 'attempts', ${r}.attempts, 'maxRetries', ${r}.max_retries,
  'nextAttemptAt', ${MS(`${r}.next_attempt_at`)}, 'deadline', ${MS(`${r}.deadline`)}, 'worker', ${r}.worker, 'deviceId', ${r}.device_id,
  'leaseExpiresAt', CASE WHEN ${r}.state = 'in_progress' THEN ${MS(`${r}.lease_expires_at`)} END,
  'output', ${r}.output::json, 'lastError', ${r}.last_error::json, 'createdAt', ${MS(`${r}.created_at`)}, 'updatedAt', ${MS(`${r}.updated_at`)}${extra})`;

/** What settleAndLease answers: whether the token may work the queue, and the JSON of what it did. */
export interface SettleAndLeaseResult {
  /** False: nothing was changed (unknown token, revoked device, no such queue, or not granted). */
  authorized: boolean;
  deviceId: string | null;
  /** JSON array of { id, ok: true, item } (answer 'brief': { id, ok: true }) for the completions that held, in the order given. */
  doneJson: string;
  /** Ids of the completions that did not hold (lease lost, no such item). */
  notDone: number[];
  /** JSON array of leased items (with leaseToken), in lease order. */
  leasedJson: string;
}

/**
 * How much of each item the combined call answers with.
 * - items (the first version of the route): every settled and every leased item in full, as
 *   GET /v1/queue-items/:id gives it;
 * - brief: what a robot works with and nothing it already knows — a completion that held is
 *   { id, ok: true }; a leased item is its id, payload, lease (token, expiry), attempt count and
 *   retry limit, priority, deadline, idempotency key and, on a retry, the last attempt's error.
 *   The queue, state, worker, device, times and output of an item are the robot's own request
 *   or what the console reads (GET /v1/queue-items/:id).
 */
export type LeaseAnswerForm = 'items' | 'brief';

const BRIEF_ITEM_JSON = (r: string) => `json_build_object(
  'id', ${r}.id, 'payload', ${r}.payload::json, 'attempts', ${r}.attempts, 'maxRetries', ${r}.max_retries, 'priority', ${r}.priority,
  'idempotencyKey', ${r}.idempotency_key, 'deadline', ${MS(`${r}.deadline`)}, 'lastError', ${r}.last_error::json,
  'leaseToken', ${r}.lease_token, 'leaseExpiresAt', ${MS(`${r}.lease_expires_at`)})`;

/** The settle-and-lease statement for each answer form (built once: each is a named, prepared statement). */
const SETTLE_AND_LEASE_SQL: Record<LeaseAnswerForm, string> = {
  items: settleAndLeaseSql('items'),
  brief: settleAndLeaseSql('brief'),
};

function settleAndLeaseSql(form: LeaseAnswerForm): string {
  const brief = form === 'brief';
  return `WITH who AS (
       SELECT d.id FROM devices d
       WHERE d.token_hash = $1 AND d.revoked_at IS NULL
         AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = $2 AND g.device_id = d.id)
     ), input AS (
       SELECT * FROM unnest($6::bigint[], $7::uuid[], $8::text[]) WITH ORDINALITY AS t(id, token, output, n)
     ), done AS (
       UPDATE queue_items i SET state = 'done', output = input.output, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       FROM input
       WHERE i.id = input.id AND i.lease_token = input.token AND i.state = 'in_progress' AND i.lease_expires_at > now() AND i.device_id = (SELECT id FROM who)
         AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = i.queue AND g.device_id = i.device_id)
       RETURNING ${brief ? 'i.id, i.attempts, i.device_id, i.worker' : 'i.*'}, input.n
     ), due AS (
       SELECT id, state FROM queue_items
       WHERE EXISTS (SELECT 1 FROM who) AND queue = $2 AND state IN ('new', 'retrying') AND next_attempt_at <= now() AND (deadline IS NULL OR deadline > now())
       ORDER BY priority DESC, deadline, id
       LIMIT $5
       FOR UPDATE SKIP LOCKED
     ), leased AS (
       UPDATE queue_items i SET state = 'in_progress', attempts = i.attempts + 1, worker = $3, device_id = (SELECT id FROM who),
         lease_token = gen_random_uuid(), lease_expires_at = now() + make_interval(secs => $4::float8 / 1000.0), updated_at = now()
       FROM due WHERE i.id = due.id
       RETURNING i.*, due.state AS from_state
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker)
       SELECT id, 'in_progress', 'done', attempts, 'device:' || device_id, worker FROM done
       UNION ALL
       SELECT id, from_state, 'in_progress', attempts, 'device:' || device_id, worker FROM leased
     )
     SELECT EXISTS (SELECT 1 FROM who) AS authorized, (SELECT id FROM who) AS device_id,
       (SELECT json_agg(${brief ? "json_build_object('id', d.id, 'ok', true)" : `json_build_object('id', d.id, 'ok', true, 'item', ${ITEM_JSON('d')})`} ORDER BY d.n)::text FROM done d) AS done,
       (SELECT array_agg(input.id ORDER BY input.n) FROM input WHERE input.id NOT IN (SELECT id FROM done)) AS not_done,
       (SELECT json_agg(${brief ? BRIEF_ITEM_JSON('l') : ITEM_JSON('l', ", 'leaseToken', l.lease_token")} ORDER BY l.priority DESC, l.deadline, l.id)::text FROM leased l) AS leased`;
}

/**
 * The fleet's hot path in one statement and one round trip: checks the device token (enrolled,
 * not revoked, granted the queue itself or through a group), completes the items whose tokens
 * still hold a live lease of this device, and leases up to max due items — each state change
 * with its event row, all in one transaction. A robot that works item after item makes one call
 * per batch instead of three (check, complete, lease) on the database and two on the server.
 */
export async function settleAndLease(
  db: Queryable,
  tokenHash: string,
  queue: string,
  worker: string,
  leaseMs: number,
  max: number,
  completions: ReadonlyArray<{ id: number; leaseToken: string; output: string | null }>,
  form: LeaseAnswerForm = 'items',
): Promise<SettleAndLeaseResult> {
  const result = await db.query<{ authorized: boolean; device_id: string | null; done: string | null; not_done: Array<string | number> | null; leased: string | null }>(
    SETTLE_AND_LEASE_SQL[form],
    [tokenHash, queue, worker, leaseMs, max, completions.map((c) => c.id), completions.map((c) => c.leaseToken), completions.map((c) => c.output)],
    form === 'brief' ? 'queue_settle_and_lease_brief' : 'queue_settle_and_lease',
  );
  const row = result.rows[0]!;
  return {
    authorized: row.authorized,
    deviceId: row.device_id,
    doneJson: row.done ?? '[]',
    notDone: (row.not_done ?? []).map(toNumber),
    leasedJson: row.leased ?? '[]',
  };
}

/** Completes the entries whose token holds a live lease of this device; returns the rows it completed. */
export async function completeItems(db: Queryable, deviceId: string, entries: ReadonlyArray<{ id: number; leaseToken: string; output: string | null }>): Promise<ItemRow[]> {
  const result = await db.query<ItemRow>(
    `WITH input AS (SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[]) AS t(id, token, output)),
     done AS (
       UPDATE queue_items i SET state = 'done', output = input.output, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       FROM input
       WHERE i.id = input.id AND i.lease_token = input.token AND i.state = 'in_progress' AND i.lease_expires_at > now() AND i.device_id = $4
         AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = i.queue AND g.device_id = i.device_id)
       RETURNING i.*
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker)
       SELECT id, 'in_progress', 'done', attempts, $5, worker FROM done
     )
     SELECT * FROM done`,
    [entries.map((e) => e.id), entries.map((e) => e.leaseToken), entries.map((e) => e.output), deviceId, `device:${deviceId}`],
    'queue_complete',
  );
  return result.rows;
}

/** business → failed; application → retrying after a backoff, or dead past maxRetries. Undefined: the lease does not hold. */
export async function failItem(db: Queryable, deviceId: string, id: number, token: string, kind: 'business' | 'application', errorJson: string): Promise<ItemRow | undefined> {
  const result = await db.query<ItemRow>(
    `WITH held AS (
       SELECT i.id, i.attempts, i.max_retries, q.backoff_base_ms, q.backoff_cap_ms
       FROM queue_items i JOIN queues q ON q.name = i.queue
       WHERE i.id = $1 AND i.lease_token = $2::uuid AND i.state = 'in_progress' AND i.lease_expires_at > now() AND i.device_id = $3
         AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = i.queue AND g.device_id = i.device_id)
       FOR UPDATE OF i
     ), moved AS (
       UPDATE queue_items i SET
         state = CASE WHEN $4 = 'business' THEN 'failed' WHEN h.attempts > h.max_retries THEN 'dead' ELSE 'retrying' END,
         next_attempt_at = CASE WHEN $4 = 'business' THEN i.next_attempt_at ELSE now() + ${BACKOFF('h.attempts', 'h.backoff_base_ms', 'h.backoff_cap_ms')} END,
         last_error = $5, lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       FROM held h WHERE i.id = h.id
       RETURNING i.*
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker, error)
       SELECT id, 'in_progress', state, attempts, $6, worker, last_error FROM moved
     )
     SELECT * FROM moved`,
    [id, token, deviceId, kind, errorJson, `device:${deviceId}`],
  );
  return result.rows[0];
}

/** Hands a leased item back untried: the attempt does not count. Undefined: the lease does not hold. */
export async function releaseItem(db: Queryable, deviceId: string, id: number, token: string, whyJson: string): Promise<ItemRow | undefined> {
  const result = await db.query<ItemRow>(
    `WITH moved AS (
       UPDATE queue_items i SET state = CASE WHEN i.attempts - 1 > 0 THEN 'retrying' ELSE 'new' END, attempts = i.attempts - 1,
         next_attempt_at = now(), lease_token = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE i.id = $1 AND i.lease_token = $2::uuid AND i.state = 'in_progress' AND i.lease_expires_at > now() AND i.device_id = $3
         AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = i.queue AND g.device_id = i.device_id)
       RETURNING i.*
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker, error)
       SELECT id, 'in_progress', state, attempts, $4, worker, $5 FROM moved
     )
     SELECT * FROM moved`,
    [id, token, deviceId, `device:${deviceId}`, whyJson],
  );
  return result.rows[0];
}

/** Extends a live lease to now + leaseMs (server time). Undefined: the lease does not hold. */
export async function extendLease(db: Queryable, deviceId: string, id: number, token: string, leaseMs: number): Promise<ItemRow | undefined> {
  const result = await db.query<ItemRow>(
    `UPDATE queue_items i SET lease_expires_at = now() + make_interval(secs => $4::float8 / 1000.0), updated_at = now()
     WHERE i.id = $1 AND i.lease_token = $2::uuid AND i.state = 'in_progress' AND i.lease_expires_at > now() AND i.device_id = $3
       AND EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = i.queue AND g.device_id = i.device_id)
     RETURNING *`,
    [id, token, deviceId, leaseMs],
  );
  return result.rows[0];
}

/** failed or dead → new, attempts reset (history kept). Undefined when the item is in another state. */
export async function retryItem(db: Queryable, id: number, actor: string): Promise<ItemRow | undefined> {
  const result = await db.query<ItemRow>(
    `WITH old AS (SELECT id, state FROM queue_items WHERE id = $1 AND state IN ('failed', 'dead') FOR UPDATE),
     moved AS (
       UPDATE queue_items i SET state = 'new', attempts = 0, next_attempt_at = now(), updated_at = now()
       FROM old WHERE i.id = old.id RETURNING i.*, old.state AS from_state
     ), logged AS (
       INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor, worker)
       SELECT id, from_state, 'new', 0, $2, NULL FROM moved
     )
     SELECT * FROM moved`,
    [id, actor],
  );
  return result.rows[0];
}

/**
 * Why a lease token does not (or no longer) hold an item, in the words the local queue uses.
 * Undefined when the item does not exist.
 */
export async function whyNotHeld(db: Queryable, id: number, deviceId: string): Promise<string | undefined> {
  const row = (
    await db.query<{ state: string; worker: string | null; device_id: string | null; attempts: number; expired: boolean; lease_expires_at: Date | null }>(
      `SELECT state, worker, device_id, attempts, lease_expires_at <= now() AS expired, lease_expires_at FROM queue_items WHERE id = $1`,
      [id],
    )
  ).rows[0];
  if (!row) return undefined;
  if (row.state === 'in_progress' && row.expired && row.device_id === deviceId) {
    return `queue item ${id}: the lease of worker ${row.worker ?? '?'} expired at ${row.lease_expires_at?.toISOString() ?? '?'} (server time); the item goes back to the queue. Nothing was changed; this worker's result does not count.`;
  }
  const holder = row.state === 'in_progress' ? `in_progress under another lease (worker ${row.worker ?? '?'} on device ${row.device_id ?? '?'}, attempt ${row.attempts})` : row.state;
  return `queue item ${id}: this lease token does not hold the item — it was taken over and is now ${holder}. Nothing was changed; this worker's result does not count.`;
}

/**
 * A queue's events of the last $2 minutes, counted per minute ($1: the queue). The time index of
 * migration 007 (queue_item_events_ts) keeps it to the rows of those minutes, not the whole log.
 */
export const ACTIVITY_SQL = `SELECT date_trunc('minute', e.ts) AS minute,
       count(*) FILTER (WHERE e.to_state = 'done') AS done,
       count(*) FILTER (WHERE e.to_state = 'failed') AS failed,
       count(*) FILTER (WHERE e.from_state = 'in_progress' AND e.to_state = 'retrying' AND e.actor <> 'server') AS retried,
       count(*) FILTER (WHERE e.from_state = 'in_progress' AND e.actor = 'server') AS abandoned,
       count(*) FILTER (WHERE e.to_state = 'dead') AS dead
  FROM queue_item_events e JOIN queue_items i ON i.id = e.item_id
  WHERE i.queue = $1 AND e.ts > now() - make_interval(mins => $2::int)
  GROUP BY 1 ORDER BY 1`;

export interface EventRow {
  ts: Date | string;
  from_state: string | null;
  to_state: string;
  attempt: number;
  actor: string;
  worker: string | null;
  error: string | null;
}

export const eventJson = (row: EventRow): Record<string, unknown> => ({
  ts: ms(row.ts),
  from: row.from_state,
  to: row.to_state,
  attempt: row.attempt,
  actor: row.actor,
  worker: row.worker,
  error: json(row.error),
});

/**
 * The attempts of an item, read from its events: when each was leased, by whom, and how it
 * ended — done, failed (business), error (application), abandoned (the lease ran out),
 * released (handed back untried), or still running.
 */
export function attemptsOf(events: readonly EventRow[]): Array<Record<string, unknown>> {
  const attempts: Array<Record<string, unknown>> = [];
  let open: Record<string, unknown> | undefined;
  for (const event of events) {
    if (event.to_state === 'in_progress') {
      open = { attempt: event.attempt, worker: event.worker, device: event.actor.replace(/^device:/, ''), leasedAt: ms(event.ts), endedAt: null, outcome: 'running', error: null };
      attempts.push(open);
      continue;
    }
    if (!open || event.from_state !== 'in_progress') continue;
    const error = json(event.error) as { name?: string; message?: string } | null;
    open.endedAt = ms(event.ts);
    open.error = error;
    open.outcome =
      event.to_state === 'done'
        ? 'done'
        : event.to_state === 'failed'
          ? 'failed'
          : error?.name === 'LeaseExpiredError'
            ? 'abandoned'
            : typeof error?.message === 'string' && error.message.startsWith('released untried')
              ? 'released'
              : 'error';
    open = undefined;
  }
  return attempts;
}
