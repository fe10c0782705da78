// The work queue over the run-store SQLite file. Every change runs in a BEGIN IMMEDIATE
// transaction together with its history row, so two processes leasing at once serialise
// on the write lock (busy_timeout) and never get the same item, and the history never
// disagrees with the item.
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../store/database.js';
import { backoffMs, type BackoffOptions } from './backoff.js';
import { LeaseLostError, QueueItemNotFoundError, QueueStateError } from './errors.js';
import { statements, toHistory, toItem, type ItemRow, type MoveParams, type Statements } from './statements.js';
import {
  ITEM_STATES,
  type AddedItem,
  type AddOptions,
  type FailOptions,
  type HistoryEntry,
  type ItemError,
  type LeasedItem,
  type ListOptions,
  type QueueItem,
  type QueueStats,
  type WorkQueue,
} from './types.js';

export interface SqliteWorkQueueOptions {
  /** Unix ms. Default Date.now; tests pass a fake clock. */
  clock?: { now(): number };
  backoff?: BackoffOptions;
}

export const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_LIST_LIMIT = 100;

type Tx<A extends unknown[], R> = (...args: A) => R;

export class SqliteWorkQueue implements WorkQueue {
  private readonly q: Statements;
  private readonly clock: { now(): number };
  private readonly backoff: BackoffOptions;
  private readonly addTx: Tx<[string, ReadonlyArray<{ payload: unknown } & AddOptions>], AddedItem[]>;
  private readonly leaseTx: Tx<[string, string, number], LeasedItem | undefined>;
  private readonly settleTx: Tx<[number, string, (row: ItemRow, now: number) => ItemRow], QueueItem>;
  private readonly requeueTx: Tx<[], number>;
  private readonly retryTx: Tx<[number], QueueItem>;

  static open(file: string, opts: SqliteWorkQueueOptions = {}): SqliteWorkQueue {
    return new SqliteWorkQueue(openDatabase(file), opts);
  }

  /** Takes ownership of an already opened and migrated database; close() closes it. */
  constructor(
    private readonly db: Database,
    opts: SqliteWorkQueueOptions = {},
  ) {
    this.q = statements(db);
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.backoff = opts.backoff ?? {};
    // Built once, IMMEDIATE: each reads before it writes (see RunStore for why).
    const immediate = <A extends unknown[], R>(fn: (...args: A) => R): Tx<A, R> => {
      const tx = db.transaction(fn);
      return (...args: A) => tx.immediate(...args);
    };
    this.addTx = immediate((queue, items) => items.map((it) => this.insert(queue, it)));
    this.leaseTx = immediate((queue, workerId, leaseMs) => this.takeNext(queue, workerId, leaseMs));
    this.settleTx = immediate((id, token, settle) => {
      const now = this.clock.now();
      return toItem(settle(this.holding(id, token, now), now));
    });
    this.requeueTx = immediate(() => this.requeue(this.clock.now()));
    this.retryTx = immediate((id) => this.reset(id));
  }

  add(queue: string, payload: unknown, opts: AddOptions = {}): Promise<AddedItem> {
    return settle(() => this.addTx(queue, [{ ...opts, payload }])[0]!);
  }

  addMany(queue: string, items: ReadonlyArray<{ payload: unknown } & AddOptions>): Promise<AddedItem[]> {
    return settle(() => this.addTx(queue, items));
  }

  lease(queue: string, workerId: string, leaseMs: number): Promise<LeasedItem | undefined> {
    return settle(() => {
      if (!(Number.isFinite(leaseMs) && leaseMs > 0)) throw new RangeError(`leaseMs must be a positive number, got ${leaseMs}`);
      if (!workerId) throw new RangeError('workerId must not be empty');
      return this.leaseTx(queue, workerId, leaseMs);
    });
  }

  complete(itemId: number, leaseToken: string, output?: unknown): Promise<QueueItem> {
    return settle(() => {
      const outputJson = output === undefined ? null : toJson(output, 'output');
      return this.settleTx(itemId, leaseToken, (row, now) =>
        this.move(row, { to: 'done', output_json: outputJson }, now, row.lease_worker),
      );
    });
  }

  fail(itemId: number, leaseToken: string, failure: FailOptions): Promise<QueueItem> {
    return settle(() => {
      const { kind } = failure;
      if (kind !== 'business' && kind !== 'application') throw new RangeError(`failure kind must be business or application, got ${String(kind)}`);
      const error: ItemError = { kind, name: String(failure.error.name), message: String(failure.error.message) };
      return this.settleTx(itemId, leaseToken, (row, now) =>
        kind === 'business' ? this.move(row, { to: 'failed', error_json: JSON.stringify(error) }, now, row.lease_worker) : this.applicationFailure(row, error, now, now),
      );
    });
  }

  release(itemId: number, leaseToken: string, reason: { name: string; message: string }): Promise<QueueItem> {
    return settle(() => {
      // The history keeps why it came back (kind application: nothing about the data is wrong);
      // the item's own last error stays what its last real attempt said.
      const why = JSON.stringify({ kind: 'application', name: String(reason.name), message: `released untried: ${String(reason.message)}` });
      return this.settleTx(itemId, leaseToken, (row, now) => {
        const attempts = row.attempts - 1;
        const moved = this.q.move.get({ id: row.id, to: attempts > 0 ? 'retrying' : 'new', next_attempt_at: now, attempts, output_json: null, error_json: null, now })!;
        this.record(moved, row.state, now, row.lease_worker, why);
        return moved;
      });
    });
  }

  requeueExpired(): Promise<number> {
    return settle(() => this.requeueTx());
  }

  get(id: number): Promise<QueueItem | undefined> {
    return settle(() => {
      const row = this.q.get.get(id);
      return row && toItem(row);
    });
  }

  history(id: number): Promise<HistoryEntry[]> {
    return settle(() => this.q.history.all(id).map(toHistory));
  }

  list(opts: ListOptions = {}): Promise<QueueItem[]> {
    return settle(() => {
      const limit = opts.limit ?? DEFAULT_LIST_LIMIT;
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
      const { queue, state } = opts;
      const rows =
        queue !== undefined && state !== undefined
          ? this.q.listQueueState.all(queue, state, limit)
          : queue !== undefined
            ? this.q.listQueue.all(queue, limit)
            : state !== undefined
              ? this.q.listState.all(state, limit)
              : this.q.listAll.all(limit);
      return rows.map(toItem);
    });
  }

  retry(id: number): Promise<QueueItem> {
    return settle(() => this.retryTx(id));
  }

  stats(queue: string): Promise<QueueStats> {
    return settle(() => {
      const stats = Object.fromEntries(ITEM_STATES.map((s) => [s, 0])) as QueueStats;
      for (const { state, n } of this.q.stats.all(queue)) stats[state] = n;
      return stats;
    });
  }

  close(): Promise<void> {
    return settle(() => void this.db.close());
  }

  // ---- inside transactions ---------------------------------------------------------

  private insert(queue: string, item: { payload: unknown } & AddOptions): AddedItem {
    if (typeof queue !== 'string' || queue.length === 0) throw new RangeError('queue name must not be empty');
    const maxRetries = item.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`maxRetries must be a whole number ≥ 0, got ${maxRetries}`);
    const priority = item.priority ?? 0;
    if (!Number.isInteger(priority)) throw new RangeError(`priority must be a whole number, got ${priority}`);
    const key = item.idempotencyKey ?? null;
    const now = this.clock.now();
    const row = this.q.insert.get({ queue, payload_json: toJson(item.payload, 'payload'), priority, idempotency_key: key, max_retries: maxRetries, now });
    if (!row) return { ...toItem(this.q.byKey.get(queue, key!)!), duplicate: true };
    this.record(row, null, now, null, null);
    return { ...toItem(row), duplicate: false };
  }

  private takeNext(queue: string, workerId: string, leaseMs: number): LeasedItem | undefined {
    const now = this.clock.now();
    this.requeue(now);
    const next = this.q.nextDue.get(queue, now);
    if (!next) return undefined;
    const token = randomUUID();
    const row = this.q.takeLease.get({ id: next.id, token, worker: workerId, expires: now + leaseMs, now })!;
    this.record(row, next.state, now, workerId, null);
    return { ...toItem(row), state: 'in_progress', leaseToken: token, leaseExpiresAt: row.lease_expires_at! };
  }

  private requeue(now: number): number {
    const expired = this.q.expired.all(now);
    for (const row of expired) {
      const expiredAt = row.lease_expires_at!;
      const error: ItemError = {
        kind: 'application',
        name: 'LeaseExpiredError',
        message: `the lease of worker ${row.lease_worker ?? '?'} expired at ${new Date(expiredAt).toISOString()} without complete() or fail(): the worker stopped or hung`,
      };
      // The failure happened when the lease ran out, however late it is noticed.
      this.applicationFailure(row, error, expiredAt, now);
    }
    return expired.length;
  }

  private applicationFailure(row: ItemRow, error: ItemError, failedAt: number, now: number): ItemRow {
    const errorJson = JSON.stringify(error);
    if (row.attempts > row.max_retries) return this.move(row, { to: 'dead', error_json: errorJson }, now, row.lease_worker);
    const next = failedAt + backoffMs(row.attempts, this.backoff);
    return this.move(row, { to: 'retrying', error_json: errorJson, next_attempt_at: next }, now, row.lease_worker);
  }

  private holding(id: number, token: string, now: number): ItemRow {
    const row = this.mustGet(id);
    if (row.state !== 'in_progress' || row.lease_token !== token) {
      const holder = row.state === 'in_progress' ? `in_progress under another lease (worker ${row.lease_worker ?? '?'}, attempt ${row.attempts})` : row.state;
      throw new LeaseLostError(
        `queue item ${id}: this lease token does not hold the item — it was taken over and is now ${holder}. Nothing was changed; this worker's result does not count.`,
      );
    }
    if (row.lease_expires_at! <= now) {
      throw new LeaseLostError(
        `queue item ${id}: the lease of worker ${row.lease_worker ?? '?'} expired at ${new Date(row.lease_expires_at!).toISOString()} (${now - row.lease_expires_at!} ms ago); the item goes back to the queue. Nothing was changed; this worker's result does not count.`,
      );
    }
    return row;
  }

  private reset(id: number): QueueItem {
    const row = this.mustGet(id);
    if (row.state !== 'failed' && row.state !== 'dead') {
      throw new QueueStateError(`queue item ${id} is ${row.state}: only failed or dead items can be retried`);
    }
    const now = this.clock.now();
    return toItem(this.move(row, { to: 'new', attempts: 0, next_attempt_at: now }, now, null));
  }

  private move(row: ItemRow, change: Partial<MoveParams> & Pick<MoveParams, 'to'>, now: number, worker: string | null): ItemRow {
    const moved = this.q.move.get({ id: row.id, next_attempt_at: null, attempts: null, output_json: null, error_json: null, ...change, now })!;
    this.record(moved, row.state, now, worker, change.error_json ?? null);
    return moved;
  }

  private record(row: ItemRow, from: ItemRow['state'] | null, now: number, worker: string | null, errorJson: string | null): void {
    this.q.addHistory.run({ item_id: row.id, ts: now, from_state: from, to_state: row.state, attempt: row.attempts, worker, error_json: errorJson });
  }

  private mustGet(id: number): ItemRow {
    const row = this.q.get.get(id);
    if (!row) throw new QueueItemNotFoundError(`queue item ${id} does not exist`);
    return row;
  }
}

function toJson(value: unknown, what: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${what} must be JSON-serialisable, got ${typeof value}`);
  return json;
}

/** Runs synchronous SQLite work behind the async WorkQueue contract: a throw becomes a rejection. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
