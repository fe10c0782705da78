// The one test on the real clock: an every-second schedule fires within ~1.5 s, on time.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openDatabase } from '../store/database.js';
import { ScheduleStore } from './schedule-store.js';
import { Scheduler } from './scheduler.js';

it('fires `* * * * * *` within 1.5 s on the real clock', async () => {
  const store = new ScheduleStore(openDatabase(':memory:'));
  store.add({ file: 'a.json', cron: '* * * * * *' });
  const started = Date.now();
  const lateness: number[] = [];
  const firedAt: number[] = [];
  let scheduler: Scheduler | undefined;
  const twoFires = new Promise<number>((resolve) => {
    scheduler = new Scheduler({
      store,
      onFire: (_s, at) => {
        firedAt.push(Date.now());
        lateness.push(Date.now() - at.getTime());
        if (lateness.length === 2) resolve(Date.now());
        return Promise.resolve();
      },
    });
  });
  scheduler!.start();
  try {
    const secondAt = await twoFires;
    assert.ok(firedAt[0]! - started < 1_500, `first fire after ${firedAt[0]! - started} ms`);
    assert.ok(Math.abs(secondAt - firedAt[0]! - 1_000) < 200, `second fire ${secondAt - firedAt[0]!} ms after the first`);
    for (const ms of lateness) assert.ok(ms >= 0 && ms < 200, `fired ${ms} ms after its slot`);
  } finally {
    await scheduler!.stop();
    store.close();
  }
});
