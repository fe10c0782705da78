import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTask } from 'node-cron';
import { UsageError } from '../errors.js';
import { checkCron, cronSpec, dueSlots, nextFireTimes } from './cron.js';
import { checkTimeZone } from './time-zone.js';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));
const BERLIN = 'Europe/Berlin';

/** node-cron's own matcher, for cross-checking. */
function nodeCronMatch(cron: string, timeZone: string): (date: Date) => boolean {
  const task = createTask(cron, () => undefined, { timezone: timeZone });
  const match = (date: Date): boolean => task.match(date);
  void task.destroy();
  return match;
}

describe('nextFireTimes', () => {
  it('fires every second with a 6-field expression', () => {
    assert.deepEqual(iso(nextFireTimes('* * * * * *', 'UTC', new Date('2024-01-01T00:00:00.500Z'), 3)), [
      '2024-01-01T00:00:01Z',
      '2024-01-01T00:00:02Z',
      '2024-01-01T00:00:03Z',
    ]);
  });

  it('*/15 keeps 15 real minutes across the Berlin spring change (01:45 CET → 03:00 CEST)', () => {
    assert.deepEqual(iso(nextFireTimes('*/15 * * * *', BERLIN, new Date('2024-03-31T00:20:00Z'), 4)), [
      '2024-03-31T00:30:00Z', // 01:30 CET
      '2024-03-31T00:45:00Z', // 01:45 CET
      '2024-03-31T01:00:00Z', // 03:00 CEST
      '2024-03-31T01:15:00Z',
    ]);
  });

  it('*/15 fires in both passes of the repeated Berlin autumn hour', () => {
    assert.deepEqual(iso(nextFireTimes('*/15 * * * *', BERLIN, new Date('2024-10-27T00:20:00Z'), 6)), [
      '2024-10-27T00:30:00Z', // 02:30 CEST
      '2024-10-27T00:45:00Z', // 02:45 CEST
      '2024-10-27T01:00:00Z', // 02:00 CET, second pass
      '2024-10-27T01:15:00Z',
      '2024-10-27T01:30:00Z',
      '2024-10-27T01:45:00Z',
    ]);
  });

  it('hourly stays one real hour apart through both Berlin changes', () => {
    for (const start of ['2024-03-30T22:30:00Z', '2024-10-26T22:30:00Z']) {
      const times = nextFireTimes('0 * * * *', BERLIN, new Date(start), 6).map((d) => d.getTime());
      for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 3_600_000, `${start} #${i}`);
    }
  });

  it('a daily 02:30 fires once on each change day: at 03:00 when 02:30 is skipped, on the first pass when repeated', () => {
    assert.deepEqual(iso(nextFireTimes('30 2 * * *', BERLIN, new Date('2024-03-29T12:00:00Z'), 3)), [
      '2024-03-30T01:30:00Z', // 02:30 CET
      '2024-03-31T01:00:00Z', // 02:30 does not exist: 03:00 CEST, the moment of the change
      '2024-04-01T00:30:00Z', // 02:30 CEST
    ]);
    assert.deepEqual(iso(nextFireTimes('30 2 * * *', BERLIN, new Date('2024-10-25T12:00:00Z'), 3)), [
      '2024-10-26T00:30:00Z', // 02:30 CEST
      '2024-10-27T00:30:00Z', // 02:30 CEST, first pass only
      '2024-10-28T01:30:00Z', // 02:30 CET
    ]);
  });

  it('a time-of-day expression does not refire when asked from inside the repeated hour', () => {
    assert.deepEqual(iso(nextFireTimes('*/15 2 * * *', BERLIN, new Date('2024-10-27T01:10:00Z'), 1)), ['2024-10-28T01:00:00Z']);
  });

  it('weekdays at 09:00 skip the weekend, names and numbers alike', () => {
    const expected = ['2024-06-17T07:00:00Z', '2024-06-18T07:00:00Z', '2024-06-19T07:00:00Z'];
    const friday = new Date('2024-06-14T12:00:00Z');
    assert.deepEqual(iso(nextFireTimes('0 9 * * 1-5', BERLIN, friday, 3)), expected);
    assert.deepEqual(iso(nextFireTimes('0 9 * * MON-FRI', BERLIN, friday, 3)), expected);
  });

  it('New York: 09:00 local in winter and summer', () => {
    assert.deepEqual(iso(nextFireTimes('0 9 * * *', 'America/New_York', new Date('2024-03-09T20:00:00Z'), 2)), [
      '2024-03-10T13:00:00Z', // EDT from 07:00Z that day
      '2024-03-11T13:00:00Z',
    ]);
    assert.deepEqual(iso(nextFireTimes('0 9 * * *', 'America/New_York', new Date('2024-01-09T20:00:00Z'), 1)), ['2024-01-10T14:00:00Z']);
  });

  it('agrees with node-cron\'s own matcher over a year of special tokens and DST days', () => {
    const from = Date.parse('2024-01-01T00:00:00Z');
    const to = Date.parse('2025-01-01T00:00:00Z');
    for (const cron of ['0 */15 * * * *', '0 0 12 L * *', '0 30 12 * * 5#2', '0 0 12 * * 5L', '0 0 12 15W * *', '0 0 12 L-2 * *', '0 0 * 1 * 0', '@daily']) {
      const match = nodeCronMatch(cron, BERLIN);
      const spec = cronSpec(cron, BERLIN);
      const ours: number[] = [];
      for (let t = spec.nextAfter(from - 1); t !== undefined && t < to; t = spec.nextAfter(t)) ours.push(t);
      const theirs: number[] = [];
      for (let t = from; t < to; t += 15 * 60_000) if (match(new Date(t))) theirs.push(t);
      assert.deepEqual(ours.map((t) => new Date(t).toISOString()), theirs.map((t) => new Date(t).toISOString()), cron);
    }
  });

  it('an expression that never fires has no next time', () => {
    // The weekday nearest the 5th is never a Sunday.
    assert.deepEqual(nextFireTimes('0 0 0 5W * 0', 'UTC', new Date('2024-01-01T00:00:00Z'), 1), []);
    assert.throws(() => nextFireTimes('0 0 30 2 *', 'UTC', new Date('2024-01-01T00:00:00Z'), 1), /impossible day of month/);
  });
});

describe('dueSlots', () => {
  it('finds the latest due slot and the next one after a long gap, without walking every slot', () => {
    const first = Date.parse('2024-06-03T10:00:01Z');
    const now = Date.parse('2024-06-03T13:00:00.400Z');
    const started = performance.now();
    assert.deepEqual(dueSlots(cronSpec('* * * * * *', 'UTC'), first, now), { latest: Date.parse('2024-06-03T13:00:00Z'), next: Date.parse('2024-06-03T13:00:01Z') });
    assert.ok(performance.now() - started < 50, 'probed, not walked through 10,800 slots');
    assert.deepEqual(dueSlots(cronSpec('0 * * * *', 'UTC'), Date.parse('2024-06-03T11:00:00Z'), now), {
      latest: Date.parse('2024-06-03T13:00:00Z'),
      next: Date.parse('2024-06-03T14:00:00Z'),
    });
  });
});

describe('checkCron / checkTimeZone', () => {
  it('says which field is wrong', () => {
    assert.throws(() => checkCron('61 * * * *'), (e: unknown) => e instanceof UsageError && /61 is a invalid expression for minute/.test(e.message));
    assert.throws(() => checkCron('every day'), (e: unknown) => e instanceof UsageError && /expected 5 or 6 fields/.test(e.message));
    assert.doesNotThrow(() => checkCron('*/5 * * * * *'));
  });

  it('canonicalises and rejects time zones', () => {
    assert.equal(checkTimeZone('europe/berlin'), 'Europe/Berlin');
    assert.throws(() => checkTimeZone('Mars/Olympus'), (e: unknown) => e instanceof UsageError && /unknown time zone "Mars\/Olympus"/.test(e.message));
  });
});
