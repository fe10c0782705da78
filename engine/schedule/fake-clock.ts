// A hand-driven clock for Scheduler tests (and the agent's): advance() runs each timer at
// its due time; sleep() moves time on without running any, as a suspended machine does,
// so the timers then fire late.
import type { Clock } from './scheduler.js';

interface Timer {
  at: number;
  fn: () => void;
}

/** Lets pending promise callbacks (onFire settling, queued starts) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private readonly timers = new Map<number, Timer>();
  private seq = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): number {
    this.timers.set(++this.seq, { at: this.t + Math.max(0, ms), fn });
    return this.seq;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, running each timer when its time comes. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const [id, timer] = this.earliest();
      if (id === undefined || timer.at > end) break;
      this.t = Math.max(this.t, timer.at);
      this.timers.delete(id);
      timer.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }

  /** The machine sleeps for `ms`: no timer runs meanwhile; those due run late on waking. */
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    await this.advance(0);
  }

  private earliest(): [number, Timer] | [undefined, undefined] {
    let best: [number, Timer] | [undefined, undefined] = [undefined, undefined];
    for (const [id, timer] of this.timers) if (best[1] === undefined || timer.at < best[1].at) best = [id, timer];
    return best;
  }
}
