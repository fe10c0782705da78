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
  type Completion,
  type FailOptions,
  type HistoryEntry,
  type ItemError,
  type LeasedItem,
  type ListOptions,
  type QueueItem,
  type QueueStats,
  type Settled,
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
  private readonly leaseTx: Tx<[string, string, number, number], LeasedItem[]>;
  private readonly settleTx: Tx<[number, string, (row: ItemRow, now: number) => ItemRow], QueueItem>;
  private readonly completeManyTx: Tx<[ReadonlyArray<{ id: number; leaseToken: string; outputJson: string | null }>], Settled[]>;
  private readonly completeAndLeaseTx: Tx<[ReadonlyArray<{ id: number; leaseToken: string; outputJson: string | null }>, string, string, number, number], { settled: Settled[]; leased: LeasedItem[] }>;
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
    this.leaseTx = immediate((queue, workerId, leaseMs, max) => this.take(queue, workerId, leaseMs, max));
    this.settleTx = immediate((id, token, settle) => {
      const now = this.clock.now();
      return toItem(settle(this.holding(id, token, now), now));
    });
    this.completeManyTx = immediate((entries) => this.completeBatch(entries));
    this.completeAndLeaseTx = immediate((entries, queue, workerId, leaseMs, max) => ({
      settled: entries.length === 0 ? [] : this.completeBatch(entries),
      leased: this.take(queue, workerId, leaseMs, max),
    }));
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
      checkLease(workerId, leaseMs);
      return this.leaseTx(queue, workerId, leaseMs, 1)[0];
    });
  }

  leaseMany(queue: string, workerId: string, leaseMs: number, max: number): Promise<LeasedItem[]> {
    return settle(() => {
      checkLease(workerId, leaseMs);
      if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive whole number, got ${max}`);
      return this.leaseTx(queue, workerId, leaseMs, max);
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

  completeMany(completions: ReadonlyArray<Completion>): Promise<Settled[]> {
    return settle(() => {
      // Every output is checked before the transaction: a bad one rejects the call and changes nothing.
      const entries = completions.map(({ id, leaseToken, output }) => ({ id, leaseToken, outputJson: output === undefined ? null : toJson(output, `output of item ${id}`) }));
      return entries.length === 0 ? [] : this.completeManyTx(entries);
    });
  }

  completeAndLease(completions: ReadonlyArray<Completion>, queue: string, workerId: string, leaseMs: number, max: number): Promise<{ settled: Settled[]; leased: LeasedItem[] }> {
    return settle(() => {
      checkLease(workerId, leaseMs);
      if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive whole number, got ${max}`);
      const entries = completions.map(({ id, leaseToken, output }) => ({ id, leaseToken, outputJson: output === undefined ? null : toJson(output, `output of item ${id}`) }));
      return this.completeAndLeaseTx(entries, queue, workerId, leaseMs, max);
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
    if (item.deadline !== undefined) throw new RangeError('deadline is a feature of central queues (queue: { server: … }); the local queue has none — leave it out or move the queue to the server');
    const key = item.idempotencyKey ?? null;
    const now = this.clock.now();
    const row = this.q.insert.get({ queue, payload_json: toJson(item.payload, 'payload'), priority, idempotency_key: key, max_retries: maxRetries, now });
    if (!row) return { ...toItem(this.q.byKey.get(queue, key!)!), duplicate: true };
    this.record(row, null, now, null, null);
    return { ...toItem(row), duplicate: false };
  }

  private take(queue: string, workerId: string, leaseMs: number, max: number): LeasedItem[] {
    const now = this.clock.now();
    this.requeue(now);
    const leased = (row: ItemRow): LeasedItem => ({ ...toItem(row), state: 'in_progress', leaseToken: row.lease_token!, leaseExpiresAt: row.lease_expires_at! });
    if (max === 1) {
      const next = this.q.nextDue.get(queue, now);
      if (!next) return [];
      const row = this.q.takeLease.get({ id: next.id, token: randomUUID(), worker: workerId, expires: now + leaseMs, now })!;
      this.record(row, next.state, now, workerId, null);
      return [leased(row)];
    }
    // A batch: the same rows and history as `max` single leases, in three statements.
    const due = this.q.nextDueMany.all(queue, now, max);
    if (due.length === 0) return [];
    const rows = new Map(
      this.q.takeLeases.all({ leases: JSON.stringify(due.map((d) => [d.id, randomUUID()])), worker: workerId, expires: now + leaseMs, now }).map((r) => [r.id, r]),
    );
    // Inside the write transaction nothing else can have taken a due item in between.
    if (rows.size !== due.length) throw new Error(`leaseMany: leased ${rows.size} of ${due.length} due items`);
    const inOrder = due.map((d) => rows.get(d.id)!);
    this.q.addHistories.run({ rows: JSON.stringify(inOrder.map((r, i) => [r.id, due[i]!.state, r.state, r.attempts, workerId])), ts: now });
    return inOrder.map(leased);
  }

  private completeBatch(entries: ReadonlyArray<{ id: number; leaseToken: string; outputJson: string | null }>): Settled[] {
    const now = this.clock.now();
    const ids = new Set(entries.map((e) => e.id));
    if (ids.size !== entries.length) {
      // The same item twice: settle one after the other, so the second sees what the first did.
      return entries.map(({ id, leaseToken, outputJson }) =>
        this.settleOne(id, () => {
          const row = this.holding(id, leaseToken, now);
          return this.move(row, { to: 'done', output_json: outputJson }, now, row.lease_worker);
        }),
      );
    }
    const done = new Map(
      this.q.completeHeld.all({ done: JSON.stringify(entries.map((e) => [e.id, e.leaseToken, e.outputJson])), now }).map((r) => [r.id, r]),
    );
    const history: unknown[] = [];
    const settled = entries.map(({ id, leaseToken }): Settled => {
      const row = done.get(id);
      if (row) {
        history.push([row.id, 'in_progress', row.state, row.attempts, row.lease_worker]);
        return { id, ok: true, item: toItem(row) };
      }
      // Not changed: holding() says why, in the words complete() would use.
      return this.settleOne(id, () => {
        this.holding(id, leaseToken, now);
        throw new Error(`completeMany: item ${id} is held by this token but was not completed`);
      });
    });
    if (history.length > 0) this.q.addHistories.run({ rows: JSON.stringify(history), ts: now });
    return settled;
  }

  /** One entry of a batch: a lost lease or a missing item is that entry's answer; anything else aborts the batch. */
  private settleOne(id: number, fn: () => ItemRow): Settled {
    try {
      return { id, ok: true, item: toItem(fn()) };
    } catch (error) {
      if (error instanceof LeaseLostError || error instanceof QueueItemNotFoundError) return { id, ok: false, error };
      throw error;
    }
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

function checkLease(workerId: string, leaseMs: number): void {
  if (!(Number.isFinite(leaseMs) && leaseMs > 0)) throw new RangeError(`leaseMs must be a positive number, got ${leaseMs}`);
  if (!workerId) throw new RangeError('workerId must not be empty');
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
