// Wall-clock arithmetic in IANA time zones through Intl, the only tz database Node ships.
// A "wall" time is the local date and time written as if it were UTC milliseconds
// (Date.UTC(y, m, d, h, min, s)); the offset of an instant is its wall time minus itself.
import { UsageError } from '../errors.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The machine's own zone, e.g. Europe/Berlin; UTC when Node can't tell. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Returns the canonical spelling of an IANA zone (europe/berlin → Europe/Berlin) or throws UsageError. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(`unknown time zone "${timeZone}": give an IANA name such as Europe/Berlin, America/New_York or UTC`);
  }
}

/** The wall time of `instant` (whole seconds) in `timeZone`. */
export function wallTime(instant: number, timeZone: string): number {
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of formatter(timeZone).formatToParts(instant)) {
    const n = Number(part.value);
    switch (part.type) {
      case 'year':
        year = n;
        break;
      case 'month':
        month = n;
        break;
      case 'day':
        day = n;
        break;
      case 'hour':
        hour = n;
        break;
      case 'minute':
        minute = n;
        break;
      case 'second':
        second = n;
        break;
      default:
        break;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** UTC offset of `instant` in ms (east positive), at one-second resolution. */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallTime(whole, timeZone) - whole;
}

/**
 * The first whole second in (lo, hi] whose offset differs from `offset`, given that lo
 * has `offset` and hi does not. Binary search: about 35 Intl calls across a year.
 */
export function findTransition(lo: number, hi: number, offset: number, timeZone: string): number {
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (offsetAt(mid, timeZone) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}
