// When a retrying item is due again: exponential backoff with "equal jitter" — half the
// delay is fixed, half random — so robots that failed together don't return together.

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 1 s. */
  baseMs?: number;
  /** Upper bound, after jitter. Default 5 min. */
  capMs?: number;
  /** [0, 1); injectable for tests. Default Math.random. */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 1000;
export const DEFAULT_BACKOFF_CAP_MS = 5 * 60 * 1000;

/**
 * Delay after the attempt numbered `attempts` (1 = first) failed:
 * d = min(cap, base × 2^(attempts−1)), then uniformly in [d/2, d].
 */
export function backoffMs(attempts: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = opts.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = opts.random ?? Math.random;
  // 2^1024 is Infinity, and min() handles that; Math.max guards attempts < 1.
  const nominal = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal / 2 + (nominal / 2) * r);
}
