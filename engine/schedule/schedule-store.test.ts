import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { UsageError } from '../errors.js';
import { ScheduleStore } from './schedule-store.js';
import { systemTimeZone } from './time-zone.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-schedule-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => path.join(dir, `runs-${++n}.db`);
const NOW = new Date('2024-06-03T10:00:30Z');
const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

describe('ScheduleStore', () => {
  it('adds with defaults, an absolute file, a short id and the first fire time', () => {
    const store = ScheduleStore.open(fresh());
    try {
      const s = store.add({ file: 'automations/a.json', cron: '*/15 * * * *', inputs: { n: 1 } }, NOW);
      assert.match(s.id, /^[2-9a-z]{6}$/);
      assert.equal(s.file, path.resolve('automations/a.json'));
      assert.deepEqual(
        { tz: s.timeZone, overlap: s.overlap, max: s.maxConcurrent, missed: s.missed, paused: s.paused, inputs: s.inputs, maxRunMs: s.maxRunMs, last: s.lastFiredAt },
        { tz: systemTimeZone(), overlap: 'skip', max: 1, missed: 'runOnce', paused: false, inputs: { n: 1 }, maxRunMs: undefined, last: undefined },
      );
      const wait = s.nextFireAt!.getTime() - NOW.getTime();
      assert.ok(wait > 0 && wait <= 15 * 60_000 && s.nextFireAt!.getUTCMinutes() % 15 === 0, s.nextFireAt!.toISOString());
      assert.equal(s.createdAt.toISOString(), NOW.toISOString());
    } finally {
      store.close();
    }
  });

  it('rejects a bad cron, time zone or policy with a UsageError that says what to do', () => {
    const store = ScheduleStore.open(fresh());
    try {
      assert.throws(() => store.add({ file: 'a.json', cron: '* * *' }), usage(/invalid cron expression "\* \* \*": expected 5 or 6 fields/));
      assert.throws(() => store.add({ file: 'a.json', cron: '0 25 * * *' }), usage(/25 is a invalid expression for hour/));
      assert.throws(() => store.add({ file: 'a.json', cron: '0 9 * * *', timeZone: 'Berlin' }), usage(/unknown time zone "Berlin"/));
      assert.throws(() => store.add({ file: 'a.json', cron: '0 9 * * *', maxConcurrent: 3 }), usage(/needs the allow overlap policy/));
      assert.throws(() => store.add({ file: 'a.json', cron: '0 9 * * *', maxRunMs: -1 }), usage(/maximum run time/));
      assert.throws(() => store.add({ file: 'a.json', cron: '0 0 0 5W * 0' }), usage(/never fires/));
      assert.deepEqual(store.list(), []);
    } finally {
      store.close();
    }
  });

  it('finds by id or name, refuses duplicate names, removes', () => {
    const store = ScheduleStore.open(fresh());
    try {
      const s = store.add({ file: 'a.json', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin', name: 'morning' }, NOW);
      assert.equal(store.resolve('morning').id, s.id);
      assert.equal(store.resolve(s.id).name, 'morning');
      assert.equal(s.nextFireAt?.toISOString(), '2024-06-04T07:00:00.000Z');
      assert.throws(() => store.add({ file: 'b.json', cron: '0 9 * * *', name: 'morning' }), usage(/already exists/));
      store.remove('morning');
      assert.throws(() => store.resolve(s.id), usage(/no schedule/));
    } finally {
      store.close();
    }
  });

  it('resuming starts from the next slot after now, not from the slots passed while paused', () => {
    const store = ScheduleStore.open(fresh());
    try {
      const s = store.add({ file: 'a.json', cron: '0 * * * *', timeZone: 'UTC' }, NOW);
      assert.equal(store.setPaused(s.id, true, NOW).paused, true);
      const resumed = store.setPaused(s.id, false, new Date('2024-06-03T15:20:00Z'));
      assert.equal(resumed.paused, false);
      assert.equal(resumed.nextFireAt?.toISOString(), '2024-06-03T16:00:00.000Z');
    } finally {
      store.close();
    }
  });

  it('advance is a compare-and-set on the cursor, and survives reopening the file', () => {
    const file = fresh();
    const a = ScheduleStore.open(file);
    const b = ScheduleStore.open(file);
    try {
      const s = a.add({ file: 'a.json', cron: '0 * * * *', timeZone: 'UTC' }, NOW);
      const slot = s.nextFireAt!.getTime();
      const versionBefore = b.dataVersion();
      assert.equal(a.advance(s.id, slot, slot + 3_600_000, slot), true);
      assert.notEqual(b.dataVersion(), versionBefore, 'the other connection sees a change');
      assert.equal(b.advance(s.id, slot, slot + 3_600_000, slot), false, 'the slot was taken already');
      const again = b.get(s.id)!;
      assert.equal(again.lastFiredAt?.getTime(), slot);
      assert.equal(again.nextFireAt?.getTime(), slot + 3_600_000);
      a.setPaused(s.id, true);
      assert.equal(b.advance(s.id, slot + 3_600_000, slot + 7_200_000), false, 'a paused schedule does not move');
    } finally {
      a.close();
      b.close();
    }
  });
});
