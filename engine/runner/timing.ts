import { CancelledError, TimeoutError } from '../errors.js';

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CancelledError('run cancelled'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError('run cancelled'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Passes the work's outcome on once the deadline machinery is cleaned up. */
function settleWith<T>(work: Promise<T>, cleanup: () => void, resolve: (value: T) => void, reject: (error: Error) => void): void {
  work.then(
    (value) => {
      cleanup();
      resolve(value);
    },
    (error: unknown) => {
      cleanup();
      reject(error instanceof Error ? error : new Error(String(error)));
    },
  );
}

/** Settles with the work, or rejects on the deadline or on cancellation, whichever comes first. */
export function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(new CancelledError('run cancelled'));
      return;
    }
    const onAbort = (): void => {
      cleanup();
      reject(new CancelledError('run cancelled'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new TimeoutError(`${what} timed out after ${ms} ms`, { timeoutMs: ms }));
    }, ms);
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    settleWith(work, cleanup, resolve, reject);
  });
}

/**
 * A step's time budget. It can stand still while the runner does work that is not the step's
 * own — starting the browser: on a busy machine that alone can take longer than the step may.
 */
export class StepClock {
  private end: number;
  private pausedSince: number | undefined;
  private pauses = 0;
  private readonly resumeListeners = new Set<() => void>();

  constructor(readonly budgetMs: number) {
    this.end = Date.now() + budgetMs;
  }

  get paused(): boolean {
    return this.pauses > 0;
  }

  /** What is left of the budget (it does not shrink while paused); negative once spent. */
  remainingMs(): number {
    return this.end - (this.pausedSince ?? Date.now());
  }

  /** Runs `work` with the clock stopped; the budget left before it is left after it. */
  async excluding<T>(work: () => Promise<T>): Promise<T> {
    if (this.pauses++ === 0) this.pausedSince = Date.now();
    try {
      return await work();
    } finally {
      if (--this.pauses === 0) {
        this.end += Date.now() - this.pausedSince!;
        this.pausedSince = undefined;
        const listeners = [...this.resumeListeners];
        this.resumeListeners.clear();
        for (const listener of listeners) listener();
      }
    }
  }

  /** Calls `listener` once when the clock runs again. Returns the way to take it back. */
  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }
}

/**
 * Like withDeadline, on a StepClock: rejects once the clock's budget plus `graceMs` is spent,
 * and never while the clock stands still.
 */
export function withStepDeadline<T>(work: Promise<T>, clock: StepClock, graceMs: number, signal: AbortSignal, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      // Nobody waits for the work any more: its own failure (the browser closing) must not go unhandled.
      work.catch(() => undefined);
      reject(new CancelledError('run cancelled'));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let forgetResume: (() => void) | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      forgetResume?.();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new CancelledError('run cancelled'));
    };
    const check = (): void => {
      if (clock.paused) {
        forgetResume = clock.onResume(check);
        return;
      }
      const left = clock.remainingMs() + graceMs;
      if (left > 0) {
        timer = setTimeout(check, left);
        return;
      }
      cleanup();
      const timeoutMs = clock.budgetMs + graceMs;
      reject(new TimeoutError(`${what} timed out after ${timeoutMs} ms`, { timeoutMs }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    check();
    settleWith(work, cleanup, resolve, reject);
  });
}
