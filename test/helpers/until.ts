// Waiting for a condition in tests: under load a fixed sleep is either too short or wasted,
// so tests poll for what they need and fail with what they waited for.

export interface UntilOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** How often to look (default 100 ms). */
  everyMs?: number;
  /** More to say when it times out (the last output of a process, say). */
  detail?: () => string;
}

/**
 * Resolves with the first truthy value `check` gives (it may be async); rejects naming `what`
 * after the timeout. A number as the third argument is the timeout.
 */
export async function until<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: number | UntilOptions = {}): Promise<T> {
  const { timeoutMs = 60_000, everyMs = 100, detail } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      const more = detail?.();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${more ? `\n${more}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
