// How long the browser may take to start. Its own limit, apart from any step's: a busy machine
// can take many seconds to start Chromium, and that is no reason for a 5 s click to fail.
import { UsageError } from '../errors.js';

export const DEFAULT_LAUNCH_TIMEOUT_MS = 60_000;
export const LAUNCH_TIMEOUT_ENV = 'RPA_BROWSER_LAUNCH_TIMEOUT_MS';
export const LAUNCH_TIMEOUT_MIN_MS = 1_000;
export const LAUNCH_TIMEOUT_MAX_MS = 3_600_000;

export interface LaunchTimeout {
  ms: number;
  /** Where the value came from, in words that tell the user where to change it. */
  source: string;
}

/** Order: RPA_BROWSER_LAUNCH_TIMEOUT_MS, then settings.json browser.launchTimeoutMs, then 60 s. */
export function launchTimeoutFrom(options: { configured?: number | undefined; settingsFile: string; env: NodeJS.ProcessEnv }): LaunchTimeout {
  const raw = options.env[LAUNCH_TIMEOUT_ENV];
  if (raw !== undefined && raw.trim() !== '') {
    const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (!(ms >= LAUNCH_TIMEOUT_MIN_MS && ms <= LAUNCH_TIMEOUT_MAX_MS)) {
      throw new UsageError(
        `${LAUNCH_TIMEOUT_ENV} is "${raw}": give the browser's start-up limit in milliseconds, a whole number from ${LAUNCH_TIMEOUT_MIN_MS} to ${LAUNCH_TIMEOUT_MAX_MS} (default ${DEFAULT_LAUNCH_TIMEOUT_MS}), or unset it`,
        { variable: LAUNCH_TIMEOUT_ENV, value: raw },
      );
    }
    return { ms, source: LAUNCH_TIMEOUT_ENV };
  }
  if (options.configured !== undefined) return { ms: options.configured, source: `${options.settingsFile} browser.launchTimeoutMs` };
  return { ms: DEFAULT_LAUNCH_TIMEOUT_MS, source: `settings.json browser.launchTimeoutMs or ${LAUNCH_TIMEOUT_ENV}` };
}
