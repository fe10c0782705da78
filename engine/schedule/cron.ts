// Cron expressions: node-cron parses and validates them (5 fields, or 6 with seconds;
// names, ranges, steps, L, W, #, nicknames like @daily); the walk to the next fire time
// is ours, over node-cron's parsed fields, because node-cron can only look ahead from
// the real "now" (ScheduledTask.getNextRuns) and the scheduler needs an injectable clock.
// Day of month and day of week combine with AND, as node-cron's own matcher does.
//
// Daylight saving time, two rules:
//  - An expression firing in every hour (hour field `*`, e.g. `*/15 * * * *`) is an
//    interval: it fires at every instant whose local time matches. Across a change the
//    real spacing stays the same: in the repeated autumn hour it fires in both passes,
//    the skipped spring hour has no local times and so no fires.
//  - An expression with chosen hours (`30 2 * * *`, `0 9 * * 1-5`) names a time of
//    day: it fires once per matching local time. A repeated time fires on its first
//    pass only; a time the spring change skips fires at the change (03:00 in Berlin).
import { validateDetailed } from 'node-cron';
import { UsageError } from '../errors.js';
import { matchesDay, type DayFields } from './cron-days.js';
import { findTransition, offsetAt } from './time-zone.js';

const HOUR = 3_600_000;
/** Longest DST shift to look back over (Lord Howe is 30 min, most are 1 h; 3 h is ample). */
const MAX_SHIFT = 3 * HOUR;
/** How far ahead a day walk looks before it calls an expression one that never fires. */
const MAX_YEARS = 400;

/** Throws UsageError saying which field is wrong. */
export function checkCron(expression: string): void {
  const result = validateDetailed(expression);
  if (result.valid) return;
  const detail = result.errors.map((e) => e.message).join('; ') || 'invalid';
  throw new UsageError(
    `invalid cron expression "${expression}": ${detail}. Expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "*/15 * * * *" or "0 9 * * 1-5"`,
  );
}

export class CronSpec {
  private readonly seconds: number[];
  private readonly minutes: number[];
  private readonly hours: number[];
  private readonly months: boolean[];
  private readonly days: DayFields;
  /** Hour field covers every hour: interval semantics across DST (see the file comment). */
  readonly everyHour: boolean;

  constructor(
    readonly expression: string,
    readonly timeZone: string,
  ) {
    checkCron(expression);
    const fields = validateDetailed(expression).fields!;
    const sortedNumbers = (values: readonly (number | string)[]): number[] =>
      [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
    this.seconds = sortedNumbers(fields.second);
    this.minutes = sortedNumbers(fields.minute);
    this.hours = sortedNumbers(fields.hour);
    this.months = Array.from({ length: 13 }, (_, m) => fields.month.includes(m));
    this.days = { dayOfMonth: fields.dayOfMonth, dayOfWeek: fields.dayOfWeek };
    this.everyHour = this.hours.length === 24;
  }

  /** The first fire time strictly after `after` (ms), or undefined if it never fires again. */
  nextAfter(after: number): number | undefined {
    const tz = this.timeZone;
    let t = Math.floor(after / 1000) * 1000 + 1000;
    let off = offsetAt(t, tz);
    if (!this.everyHour) t = this.afterRepeatedTimes(t, off);
    off = offsetAt(t, tz);
    // Each pass handles one offset change; 400 years hold about 800 of them.
    for (let guard = 0; guard < 1000; guard++) {
      const wall = this.nextWall(t + off);
      if (wall === undefined) return undefined;
      const candidate = wall - off;
      if (offsetAt(candidate, tz) === off) return candidate;
      // The offset changes between t and the candidate: handle the change, go on after it.
      const change = findTransition(t, candidate, off, tz);
      const newOff = offsetAt(change, tz);
      if (newOff > off) {
        // Spring forward: local times [change+off, change+newOff) do not exist.
        if (!this.everyHour) {
          const skipped = this.nextWall(change + off);
          if (skipped !== undefined && skipped < change + newOff) return change;
        }
        t = change;
      } else {
        // Fall back: local times [change+newOff, change+off) come round again.
        t = this.everyHour ? change : change + (off - newOff);
      }
      off = newOff;
    }
    return undefined;
  }

  /** The next `count` fire times after `after`. */
  next(after: number, count: number): number[] {
    const out: number[] = [];
    let t: number | undefined = after;
    while (out.length < count && (t = this.nextAfter(t)) !== undefined) out.push(t);
    return out;
  }

  /** Inside the second pass of a repeated hour, moves t to where new local times begin. */
  private afterRepeatedTimes(t: number, off: number): number {
    const before = offsetAt(t - MAX_SHIFT, this.timeZone);
    if (before <= off) return t;
    const change = findTransition(t - MAX_SHIFT, t, before, this.timeZone);
    return Math.max(t, change + (before - off));
  }

  /** The first matching wall time at or after `wall` (both in wall ms). */
  private nextWall(wall: number): number | undefined {
    const start = new Date(wall);
    let y = start.getUTCFullYear();
    let m = start.getUTCMonth() + 1;
    let d = start.getUTCDate();
    let first = true;
    while (y < start.getUTCFullYear() + MAX_YEARS) {
      if (!this.months[m]) {
        [y, m, d] = m === 12 ? [y + 1, 1, 1] : [y, m + 1, 1];
        first = false;
        continue;
      }
      if (matchesDay(this.days, y, m, d)) {
        const time = first ? this.timeAtOrAfter(start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()) : this.timeAtOrAfter(0, 0, 0);
        if (time) return Date.UTC(y, m - 1, d, time[0], time[1], time[2]);
      }
      const next = new Date(Date.UTC(y, m - 1, d + 1));
      [y, m, d] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
      first = false;
    }
    return undefined;
  }

  private timeAtOrAfter(h0: number, m0: number, s0: number): [number, number, number] | undefined {
    for (const h of this.hours) {
      if (h < h0) continue;
      for (const m of this.minutes) {
        if (h === h0 && m < m0) continue;
        for (const s of this.seconds) {
          if (h === h0 && m === m0 && s < s0) continue;
          return [h, m, s];
        }
      }
    }
    return undefined;
  }
}

const specs = new Map<string, CronSpec>();

/** A compiled expression, cached: the scheduler asks for the same few over and over. */
export function cronSpec(expression: string, timeZone: string): CronSpec {
  const key = `${timeZone} ${expression}`;
  let spec = specs.get(key);
  if (!spec) {
    spec = new CronSpec(expression, timeZone);
    if (specs.size > 10_000) specs.clear();
    specs.set(key, spec);
  }
  return spec;
}

/** The next `count` fire times of `cron` in `timeZone` strictly after `after`. */
export function nextFireTimes(cron: string, timeZone: string, after: Date, count: number): Date[] {
  return cronSpec(cron, timeZone)
    .next(after.getTime(), count)
    .map((ms) => new Date(ms));
}

const MINUTE = 60_000;
const PROBES = [MINUTE, 60 * MINUTE, 1440 * MINUTE, 32 * 1440 * MINUTE, 367 * 1440 * MINUTE];

/** The latest slot at or before `now` (starting from the due slot `first`) and the first after it. */
export function dueSlots(spec: CronSpec, first: number, now: number): { latest: number; next: number | undefined } {
  let latest = first;
  // After a long sleep an every-second schedule has thousands of slots: probe close to now first.
  for (const back of PROBES) {
    const from = now - back;
    if (from <= latest) break;
    const probe = spec.nextAfter(from);
    if (probe !== undefined && probe <= now) {
      latest = probe;
      break;
    }
  }
  let next = spec.nextAfter(latest);
  while (next !== undefined && next <= now) {
    latest = next;
    next = spec.nextAfter(next);
  }
  return { latest, next };
}
