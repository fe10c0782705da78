// One lane per device for POST /v1/ingest: a device's batches are checked at once but placed in
// order, and a batch that overtook an earlier one of its device waits for it instead of getting
// 409 gap. Knows nothing of what a batch is; ingest.ts gives it the work.
import { HttpError } from './http.js';

/**
 * Writes one batch. It is started when the batch before it in the lane has called admitNext or
 * settled; a place that needs nothing more of its predecessor (it holds the device row lock) may
 * call admitNext early, so the next batch prepares its write meanwhile.
 */
export type Place<T> = (admitNext: () => void) => Promise<T>;

/**
 * One lane per device: the checks that need no database run at once for every request, but a
 * device's batches are placed one after another (the next may start writing once the one before
 * holds the device row lock: placeStaged in ingest.ts). A client may therefore keep two batches
 * in flight (the next is verified while one is written). Requests can still reach the lane out
 * of order (their bodies, token and key lookups race), so a batch that finds a gap while another
 * batch of the same device is still on its way waits until another batch of the device is
 * through, then tries again. "On its way" starts with arrive(), which the route calls as soon as
 * a request's headers are in (the lane key is then the device's token, known before it is looked
 * up): counting only from the key lookup on let a later batch overtake an earlier one whose body
 * was still arriving or that was still being authorised, and get 409 gap.
 * Correctness never rests on this: placement locks the device row, so several server processes
 * stay right (there a batch overtaking another gets 409 gap and is re-sent).
 */
export class DeviceLanes {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly pending = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  /** Counts one batch as on its way in lane key until its ticket is left (ingest() leaves it). */
  arrive(key: string): LaneTicket {
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return new LaneTicket(this, key);
  }

  /** Runs one batch's checks and placement in lane key; place is queued in the lane. */
  ingest<T>(key: string, check: () => Promise<Place<T>>): Promise<T> {
    return this.arrive(key).ingest(check);
  }

  /** LaneTicket.ingest(): the checks at once, then place in the lane's order. */
  async runTicket<T>(ticket: LaneTicket, check: () => Promise<Place<T>>): Promise<T> {
    try {
      const place = await check();
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.queue(ticket.key, place);
        } catch (error) {
          const othersOnTheWay = (this.pending.get(ticket.key) ?? 0) > 1;
          if (!(error instanceof HttpError && error.body.error === 'gap' && othersOnTheWay && attempt < MAX_REQUEUES)) throw error;
          // An earlier batch of this device is still being checked: try again once another
          // batch of the device is through.
          await this.nextSettled(ticket.key);
        }
      }
    } finally {
      ticket.leave();
    }
  }

  /** LaneTicket.leave(): one batch fewer on its way; whoever waits for one to settle looks again. */
  depart(key: string): void {
    const left = (this.pending.get(key) ?? 1) - 1;
    if (left > 0) this.pending.set(key, left);
    else this.pending.delete(key);
    this.wake(key);
  }

  private nextSettled(key: string): Promise<void> {
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push(resolve);
      this.waiters.set(key, list);
    });
  }

  private wake(key: string): void {
    const list = this.waiters.get(key);
    this.waiters.delete(key);
    for (const resolve of list ?? []) resolve();
  }

  private queue<T>(key: string, work: Place<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let admitNext = (): void => undefined;
    const admitted = new Promise<void>((resolve) => (admitNext = resolve));
    const start = () => work(admitNext);
    const mine = previous.then(start, start);
    const tail = Promise.race([admitted, mine.then(noop, noop)]);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return mine;
  }
}

/** One batch's place in a DeviceLanes lane: ingest() at most once, leave() always (idempotent). */
export class LaneTicket {
  private left = false;

  constructor(
    private readonly lanes: DeviceLanes,
    readonly key: string,
  ) {}

  ingest<T>(check: () => Promise<Place<T>>): Promise<T> {
    return this.lanes.runTicket(this, check);
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    this.lanes.depart(this.key);
  }
}

const noop = (): void => undefined;

/** A gapped batch waits for at most this many of its device's other batches to get through. */
const MAX_REQUEUES = 16;
