// Fires schedules for the long-running agent. The agent supplies onFire (start the run,
// resolve when it ends) and hosts the Scheduler; the Scheduler decides when and whether.
//
// Timing: ONE timer, to the earliest next_fire_at, capped at maxTimerMs (10 s). Not one
// node-cron task per schedule: node-cron reads the real clock and keeps its own timers,
// so it could not run on the injected clock tests use, nor apply our overlap and
// missed-run policies or persist a cursor. The cap is a heartbeat: Node's timers run on
// a monotonic clock that stops while the machine sleeps, so a long timer would wake up
// late by the whole sleep; a timer that fires more than wakeThresholdMs (30 s) later
// than planned is taken as a wake. Each heartbeat also polls SQLite's data_version, so
// `rpa schedule add/pause/…` from another process reaches a running agent within 10 s.
//
// Slots: each schedule's next_fire_at is a cursor, the first slot not yet handled. A
// slot due less than graceMs (30 s) ago fires normally (several such slots collapse
// into one fire for the latest). Older slots, and any slot due after a wake, are missed:
// policy runOnce fires ONCE for the latest of them, skip fires nothing. The cursor and
// last_fired_at are committed BEFORE onFire is called, so a crash mid-run never refires
// the slot. A queued fire lives in memory only and is lost with the process.
import { cronSpec, dueSlots } from './cron.js';
import type { Schedule, ScheduleStore } from './schedule-store.js';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** overlap: a run is under way (policy skip); queue-full: one is already queued; max-concurrent: allow's limit is reached; missed: policy skip after sleep/downtime; paused: fell due while all schedules were paused. */
export type SkipReason = 'overlap' | 'queue-full' | 'max-concurrent' | 'missed' | 'paused';

export interface SchedulerOptions {
  store: ScheduleStore;
  /** Starts the run; the promise settles when the run ends. A rejection goes to onError. */
  onFire(schedule: Schedule, scheduledFor: Date): Promise<void>;
  onSkip?(schedule: Schedule, reason: SkipReason, scheduledFor: Date): void;
  onError?(error: unknown, schedule?: Schedule): void;
  onWake?(lateMs: number): void;
  clock?: Clock;
  wakeThresholdMs?: number;
  graceMs?: number;
  maxTimerMs?: number;
}

export interface ScheduleStatus {
  id: string;
  name: string | undefined;
  cron: string;
  timeZone: string;
  paused: boolean;
  nextFireAt: Date | undefined;
  lastFiredAt: Date | undefined;
  running: number;
  queued: boolean;
}

interface Runtime {
  running: number;
  queued: number | undefined;
}

type Action = 'fire' | 'queue' | SkipReason;

export class Scheduler {
  private readonly clock: Clock;
  private readonly wakeThresholdMs: number;
  private readonly graceMs: number;
  private readonly maxTimerMs: number;
  private schedules = new Map<string, Schedule>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: unknown;
  private planned: number | undefined;
  private started = false;
  private dataVersion = -1;
  /** Set by start({ skipDue }): the next tick skips every slot already due instead of firing it. */
  private skipDue = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
    this.wakeThresholdMs = options.wakeThresholdMs ?? 30_000;
    this.graceMs = options.graceMs ?? 30_000;
    this.maxTimerMs = options.maxTimerMs ?? 10_000;
  }

  /**
   * Loads the schedules, handles what fell due while no scheduler ran, arms the timer. With
   * `skipDue` (resuming after a pause of all schedules), what fell due meanwhile is skipped,
   * as resuming one paused schedule does: a pause means those slots were not wanted.
   */
  start(options: { skipDue?: boolean } = {}): void {
    if (this.started) return;
    this.started = true;
    this.skipDue = options.skipDue ?? false;
    this.load();
    this.tick(false);
  }

  /**
   * No more fires; queued fires are dropped. Runs under way go on: the returned promise
   * resolves when they have ended (the host aborts them first if it wants them gone).
   */
  stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const rt of this.runtime.values()) rt.queued = undefined;
    return this.drain();
  }

  /** Resolves when every onFire started so far has settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Re-reads the store after a change (add, remove, pause, resume) and re-arms. */
  reload(): void {
    this.load();
    if (this.started) this.tick(false);
  }

  status(): ScheduleStatus[] {
    return [...this.schedules.values()].map((s) => {
      const rt = this.rt(s.id);
      return {
        id: s.id,
        name: s.name,
        cron: s.cron,
        timeZone: s.timeZone,
        paused: s.paused,
        nextFireAt: s.paused ? undefined : s.nextFireAt,
        lastFiredAt: s.lastFiredAt,
        running: rt.running,
        queued: rt.queued !== undefined,
      };
    });
  }

  private load(): void {
    this.dataVersion = this.options.store.dataVersion();
    this.schedules = new Map(this.options.store.list().map((s) => [s.id, s]));
    for (const [id, rt] of this.runtime) {
      const s = this.schedules.get(id);
      if (!s || s.paused) rt.queued = undefined;
      if (!s && rt.running === 0) this.runtime.delete(id);
    }
  }

  private tryLoad(): void {
    try {
      this.load();
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private rt(id: string): Runtime {
    let rt = this.runtime.get(id);
    if (!rt) this.runtime.set(id, (rt = { running: 0, queued: undefined }));
    return rt;
  }

  private onTimer(): void {
    this.timer = undefined;
    const late = this.planned === undefined ? 0 : this.clock.now() - this.planned;
    const wake = late > this.wakeThresholdMs;
    if (wake) this.options.onWake?.(late);
    let changed = true;
    try {
      changed = this.options.store.dataVersion() !== this.dataVersion;
    } catch (error) {
      this.options.onError?.(error);
    }
    if (changed) this.tryLoad();
    this.tick(wake);
  }

  private tick(wake: boolean): void {
    if (!this.started) return;
    const now = this.clock.now();
    const handled: Array<{ s: Schedule; action: Action; slot: number; next: number | undefined }> = [];
    let stale = false;
    let retryIn = 0;
    const due = [...this.schedules.values()].filter((s) => !s.paused && s.nextFireAt !== undefined && s.nextFireAt.getTime() <= now);
    const skipDue = this.skipDue;
    this.skipDue = false;
    try {
      // One transaction for the whole batch; nothing below acts until it has committed.
      if (due.length) this.options.store.transaction(() => {
        for (const s of due) {
          const first = s.nextFireAt!.getTime();
          let slots: ReturnType<typeof dueSlots>;
          try {
            slots = dueSlots(cronSpec(s.cron, s.timeZone), first, now);
          } catch (error) {
            this.options.onError?.(error, s); // e.g. a zone this Node no longer knows
            s.nextFireAt = undefined;
            continue;
          }
          const { latest, next } = slots;
          const missed = wake || now - first > this.graceMs;
          const action: Action = skipDue ? 'paused' : missed && s.missed === 'skip' ? 'missed' : this.decide(s);
          // False: moved by another process, paused or removed meanwhile; not ours to act on.
          if (this.options.store.advance(s.id, first, next, action === 'fire' ? latest : undefined)) handled.push({ s, action, slot: latest, next });
          else stale = true;
        }
      });
    } catch (error) {
      this.options.onError?.(error);
      handled.length = 0;
      stale = true;
      retryIn = 1_000; // e.g. the file stayed locked past busy_timeout: don't spin
    }
    if (stale) this.tryLoad();
    for (const { s, action, slot, next } of handled) {
      s.nextFireAt = next === undefined ? undefined : new Date(next);
      if (action === 'fire') {
        s.lastFiredAt = new Date(slot);
        this.rt(s.id).running++;
        this.launch(s, slot);
      } else if (action === 'queue') this.rt(s.id).queued = slot;
      else this.options.onSkip?.(s, action, new Date(slot));
    }
    this.arm(retryIn);
  }

  private decide(s: Schedule): Action {
    const rt = this.rt(s.id);
    if (rt.running < (s.overlap === 'allow' ? s.maxConcurrent : 1)) return 'fire';
    if (s.overlap === 'queue') return rt.queued === undefined ? 'queue' : 'queue-full';
    return s.overlap === 'skip' ? 'overlap' : 'max-concurrent';
  }

  /** `running` was already counted by the caller. */
  private launch(s: Schedule, slot: number): void {
    const run = (async () => {
      try {
        await this.options.onFire(s, new Date(slot));
      } catch (error) {
        this.options.onError?.(error, s);
      }
    })();
    this.inFlight.add(run);
    void run.then(() => {
      this.inFlight.delete(run);
      this.finished(s.id);
    });
  }

  private finished(id: string): void {
    const rt = this.rt(id);
    rt.running--;
    const s = this.schedules.get(id);
    const slot = rt.queued;
    if (slot === undefined || !this.started || !s || s.paused || rt.running > 0) return;
    rt.queued = undefined;
    try {
      this.options.store.setLastFired(id, slot);
    } catch (error) {
      this.options.onError?.(error, s);
      return;
    }
    s.lastFiredAt = new Date(slot);
    rt.running++;
    this.launch(s, slot);
  }

  private arm(minDelay = 0): void {
    if (!this.started) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    let earliest = Infinity;
    for (const s of this.schedules.values()) {
      const at = s.nextFireAt?.getTime();
      if (!s.paused && at !== undefined && at < earliest) earliest = at;
    }
    const now = this.clock.now();
    const delay = Math.max(minDelay, Math.min(earliest - now, this.maxTimerMs));
    this.planned = now + delay;
    this.timer = this.clock.setTimeout(() => this.onTimer(), delay);
  }
}
