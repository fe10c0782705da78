// The work-queue contract. SqliteWorkQueue (one machine, the run-store file) implements it
// today; a shared PostgreSQL queue on the central server can follow, which is why every
// method returns a Promise even though SQLite answers synchronously.
//
// Life of an item:
//   new ──lease──▶ in_progress ──complete──▶ done
//                  in_progress ──fail(business)──▶ failed            (set aside for review)
//                  in_progress ──fail(application) / lease expired──▶ retrying ──lease──▶ in_progress
//                  in_progress ──release──▶ new | retrying   (handed back untried: the attempt does not count)
//                                                 … or, once attempts > maxRetries, ──▶ dead
//   failed | dead ──retry──▶ new   (attempts reset, history kept)

export const ITEM_STATES = ['new', 'in_progress', 'done', 'failed', 'retrying', 'dead'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export function isItemState(value: string): value is ItemState {
  return (ITEM_STATES as readonly string[]).includes(value);
}

/** business: the data is wrong, retrying won't help. application: the system hiccupped, try again later. */
export type FailureKind = 'business' | 'application';

export interface ItemError {
  kind: FailureKind;
  name: string;
  message: string;
}

export interface QueueItem {
  id: number;
  queue: string;
  payload: unknown;
  state: ItemState;
  /** Higher is served first; equal priorities in arrival order. */
  priority: number;
  idempotencyKey: string | null;
  /** Leases taken so far (reset by retry()). */
  attempts: number;
  /** Retries after the first attempt: the item is dead once attempts exceed this. */
  maxRetries: number;
  /** Unix ms; a new or retrying item is not leased before this. */
  nextAttemptAt: number;
  /** Unix ms; central queues only: an item not leased by then is dead (DeadlineExceededError). */
  deadline?: number | null;
  /** The worker that holds (or last held) the lease. */
  worker: string | null;
  /** Unix ms; set only while in_progress. */
  leaseExpiresAt: number | null;
  /** What complete() stored; null until done. */
  output: unknown;
  lastError: ItemError | null;
  createdAt: number;
  updatedAt: number;
}

/** An item handed to a worker: the token proves the lease on complete()/fail(). */
export interface LeasedItem extends QueueItem {
  state: 'in_progress';
  leaseToken: string;
  leaseExpiresAt: number;
}

export interface AddedItem extends QueueItem {
  /** True when the idempotency key was already in the queue: this is the earlier item, unchanged. */
  duplicate: boolean;
}

export interface AddOptions {
  /** Unique per queue, across all states (done included): the same key is never added twice. */
  idempotencyKey?: string;
  /** Default 3. */
  maxRetries?: number;
  /** Default 0; higher first. */
  priority?: number;
  /**
   * Unix ms: an item not leased by then is dead (DeadlineExceededError); among equal priorities
   * the earliest deadline is served first. Central queues only (RemoteWorkQueue): the local
   * SQLite queue refuses it rather than ignore it.
   */
  deadline?: number;
}

export interface FailOptions {
  kind: FailureKind;
  error: { name: string; message: string };
}

export interface HistoryEntry {
  ts: number;
  from: ItemState | null;
  to: ItemState;
  /** attempts at the time of the change. */
  attempt: number;
  worker: string | null;
  /** Central queues: who made the change (device:ID, admin, server for an expired lease or deadline). */
  actor?: string;
  error: ItemError | null;
}

export interface ListOptions {
  queue?: string;
  state?: ItemState;
  /** Default 100. */
  limit?: number;
}

export type QueueStats = Record<ItemState, number>;

/** One entry of completeMany(). */
export interface Completion {
  id: number;
  leaseToken: string;
  output?: unknown;
}

/**
 * The outcome of one entry of a batch: the settled item, or why nothing was changed for it
 * (LeaseLostError, QueueItemNotFoundError) — the other entries of the batch still count.
 */
export type Settled = { id: number; ok: true; item: QueueItem } | { id: number; ok: false; error: Error };

/**
 * What completeAndLease hands a worker of each item it leased: the item's id and payload, its
 * lease, and what the item says about how to work it — not the whole item (a central queue
 * sends this much over the network for every item; get() reads the rest).
 */
export type LeasedWork = Pick<LeasedItem, 'id' | 'queue' | 'payload' | 'attempts' | 'maxRetries' | 'priority' | 'idempotencyKey' | 'deadline' | 'lastError' | 'leaseToken' | 'leaseExpiresAt'>;

/** completeAndLease's outcome of one completion: done, or why nothing was changed for it. */
export type SettledAck = { id: number; ok: true } | { id: number; ok: false; error: Error };

export interface WorkQueue {
  add(queue: string, payload: unknown, opts?: AddOptions): Promise<AddedItem>;
  /** Adds all or none (one transaction); duplicates come back flagged as in add(). */
  addMany(queue: string, items: ReadonlyArray<{ payload: unknown } & AddOptions>): Promise<AddedItem[]>;
  /**
   * Requeues expired leases, then takes the next due item of the queue (priority, then
   * arrival): in_progress, attempts + 1, a fresh lease token. Undefined when nothing is due.
   */
  lease(queue: string, workerId: string, leaseMs: number): Promise<LeasedItem | undefined>;
  /**
   * lease() up to `max` items at once, in lease order, in one transaction: each gets its own
   * token and history row exactly as from lease(), and all expire at now + leaseMs. Empty when
   * nothing is due. For fast, short items: a held lease keeps running while its batch-mates work.
   */
  leaseMany(queue: string, workerId: string, leaseMs: number, max: number): Promise<LeasedItem[]>;
  /** Throws LeaseLostError (and changes nothing) unless the token holds a live lease. */
  complete(itemId: number, leaseToken: string, output?: unknown): Promise<QueueItem>;
  /**
   * complete() for many items in one transaction, in the given order. An entry whose token does
   * not hold a live lease (or whose item does not exist) changes nothing and comes back with its
   * error; the others are done. An output that is not JSON rejects the whole call, changing nothing.
   */
  completeMany(completions: ReadonlyArray<Completion>): Promise<Settled[]>;
  /**
   * completeMany(completions), then leaseMany(queue, workerId, leaseMs, max), in one transaction:
   * a worker that goes item after item settles its batch and takes the next in one call (on a
   * central queue one request and one statement instead of two of each). The settled entries are
   * completeMany's outcomes (acknowledgements: get() reads a done item); with no completions it
   * leases as leaseMany, each item as LeasedWork.
   */
  completeAndLease(completions: ReadonlyArray<Completion>, queue: string, workerId: string, leaseMs: number, max: number): Promise<{ settled: SettledAck[]; leased: LeasedWork[] }>;
  /** Throws LeaseLostError (and changes nothing) unless the token holds a live lease. */
  fail(itemId: number, leaseToken: string, failure: FailOptions): Promise<QueueItem>;
  /**
   * Hands a leased item back untried (the agent may not run anything just now, e.g. the machine
   * policy became invalid): it waits again as before, and the attempt it was leased for does not
   * count. Throws LeaseLostError (and changes nothing) unless the token holds a live lease.
   */
  release(itemId: number, leaseToken: string, reason: { name: string; message: string }): Promise<QueueItem>;
  /**
   * Heartbeat: a live lease now lasts leaseMs more (from the queue's clock). Throws LeaseLostError
   * unless the token holds a live lease. Central queues only so far.
   */
  extendLease?(itemId: number, leaseToken: string, leaseMs: number): Promise<QueueItem>;
  /** in_progress items whose lease ran out → retrying (or dead), counting the attempt. Returns how many. */
  requeueExpired(): Promise<number>;
  get(id: number): Promise<QueueItem | undefined>;
  /** Oldest first. */
  history(id: number): Promise<HistoryEntry[]>;
  /** In id order. */
  list(opts?: ListOptions): Promise<QueueItem[]>;
  /** failed or dead → new with attempts 0; anything else throws QueueStateError. */
  retry(id: number): Promise<QueueItem>;
  stats(queue: string): Promise<QueueStats>;
  close(): Promise<void>;
}
