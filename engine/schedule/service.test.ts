import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openDatabase } from '../store/database.js';
import { FakeClock } from './fake-clock.js';
import { ScheduleStore } from './schedule-store.js';
import { schedulerService, type ScheduleRunRequest } from './service.js';

it('schedulerService turns fires into runs with a schedule trigger and skips into warnings', async () => {
  const db = openDatabase(':memory:');
  const clock = new FakeClock(Date.parse('2024-06-03T10:00:00Z'));
  const s = new ScheduleStore(db).add({ file: '/bots/a.json', cron: '* * * * *', timeZone: 'UTC', inputs: { n: 2 }, maxRunMs: 90_000, name: 'nightly' }, new Date(clock.now()));
  const requests: ScheduleRunRequest[] = [];
  const logs: string[] = [];
  const scheduler = schedulerService({
    db,
    clock,
    runBot: (request) => {
      requests.push(request);
      return new Promise((resolve) => clock.setTimeout(() => resolve(undefined), 90_000));
    },
    log: (level, message) => logs.push(`${level} ${message}`),
  });
  scheduler.start();
  await clock.advance(2 * 60_000);
  assert.deepEqual(requests, [{ file: '/bots/a.json', inputs: { n: 2 }, trigger: `schedule:${s.id}`, maxRunMs: 90_000 }]);
  assert.deepEqual(logs, [
    `info schedule ${s.id} (nightly): starting /bots/a.json for 2024-06-03T10:01:00.000Z`,
    `warn schedule ${s.id} (nightly): skipped the 2024-06-03T10:02:00.000Z fire: the previous run is still going`,
  ]);
  const stopped = scheduler.stop();
  await clock.advance(60_000);
  await stopped;
  db.close();
});
