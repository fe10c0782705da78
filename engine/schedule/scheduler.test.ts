import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../store/database.js';
import { FakeClock } from './fake-clock.js';
import { ScheduleStore, type NewSchedule, type Schedule } from './schedule-store.js';
import { Scheduler, type SkipReason } from './scheduler.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-scheduler-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const START = Date.parse('2024-06-03T10:00:00Z');
const MIN = 60_000;
const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

interface Harness {
  store: ScheduleStore;
  clock: FakeClock;
  scheduler: Scheduler;
  /** "scheduledFor@now" */
  fires: string[];
  skips: string[];
  wakes: number;
  add(s: Partial<NewSchedule>): Schedule;
  /** How long each run takes, in fake time; Infinity = never ends. */
  runMs: number;
}

function harness(opts: { file?: string; clock?: FakeClock; onFire?: (s: Schedule, at: Date) => void } = {}): Harness {
  const store = new ScheduleStore(openDatabase(opts.file ?? path.join(dir, `runs-${++n}.db`)));
  const clock = opts.clock ?? new FakeClock(START);
  const h: Harness = {
    store,
    clock,
    fires: [],
    skips: [],
    wakes: 0,
    runMs: 0,
    add: (s) => store.add({ file: 'a.json', cron: '* * * * *', timeZone: 'UTC', ...s }, new Date(clock.now())),
    scheduler: new Scheduler({
      store,
      clock,
      onFire: (s, at) => {
        h.fires.push(`${hhmm(at.getTime())}@${hhmm(clock.now())}`);
        opts.onFire?.(s, at);
        if (h.runMs === Infinity) return new Promise<void>(() => undefined);
        return h.runMs ? new Promise<void>((resolve) => clock.setTimeout(resolve, h.runMs)) : Promise.resolve();
      },
      onSkip: (_s, reason: SkipReason, at) => h.skips.push(`${hhmm(at.getTime())} ${reason}`),
      onWake: () => h.wakes++,
    }),
  };
  return h;
}

function done(...hs: Harness[]): void {
  for (const h of hs) {
    void h.scheduler.stop(); // runs that never end are simply abandoned
    h.store.close();
  }
}

describe('Scheduler (fake clock)', () => {
  it('fires each slot on time', async () => {
    const h = harness();
    h.add({ cron: '* * * * *' });
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    assert.deepEqual(h.fires, ['10:01:00@10:01:00', '10:02:00@10:02:00', '10:03:00@10:03:00', '10:04:00@10:04:00', '10:05:00@10:05:00']);
    done(h);
  });

  it('overlap skip: a slot while the previous run is still going is skipped and reported', async () => {
    const h = harness();
    h.add({ overlap: 'skip' });
    h.runMs = 150_000;
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    assert.deepEqual(h.fires, ['10:01:00@10:01:00', '10:04:00@10:04:00']);
    assert.deepEqual(h.skips, ['10:02:00 overlap', '10:03:00 overlap', '10:05:00 overlap']);
    done(h);
  });

  it('overlap queue: one fire waits for the current run, further ones are skipped', async () => {
    const h = harness();
    const s = h.add({ overlap: 'queue' });
    h.runMs = 150_000;
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    assert.deepEqual(h.fires, ['10:01:00@10:01:00', '10:02:00@10:03:30']);
    assert.deepEqual(h.skips, ['10:03:00 queue-full', '10:05:00 queue-full']);
    const [status] = h.scheduler.status();
    assert.deepEqual({ running: status?.running, queued: status?.queued, next: status?.nextFireAt?.toISOString() }, { running: 1, queued: true, next: '2024-06-03T10:06:00.000Z' });
    assert.equal(h.store.get(s.id)?.lastFiredAt?.toISOString(), '2024-06-03T10:02:00.000Z', 'a queued start records its slot');
    done(h);
  });

  it('overlap allow: up to maxConcurrent at once', async () => {
    const h = harness();
    h.add({ overlap: 'allow', maxConcurrent: 2 });
    h.runMs = 150_000;
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    assert.deepEqual(h.fires, ['10:01:00@10:01:00', '10:02:00@10:02:00', '10:04:00@10:04:00', '10:05:00@10:05:00']);
    assert.deepEqual(h.skips, ['10:03:00 max-concurrent']);
    assert.equal(h.scheduler.status()[0]?.running, 2);
    done(h);
  });

  it('missed runOnce: after a 3-hour sleep it fires exactly once, then keeps the beat', async () => {
    const h = harness();
    h.add({ cron: '*/5 * * * *', missed: 'runOnce' });
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    await h.clock.sleep(3 * 60 * MIN + 2 * MIN);
    assert.equal(h.wakes, 1);
    assert.deepEqual(h.fires, ['10:05:00@10:05:00', '13:05:00@13:07:00']);
    await h.clock.advance(10 * MIN);
    assert.deepEqual(h.fires.slice(2), ['13:10:00@13:10:00', '13:15:00@13:15:00']);
    done(h);
  });

  it('missed skip: after a 3-hour sleep nothing fires until the next slot', async () => {
    const h = harness();
    h.add({ cron: '*/5 * * * *', missed: 'skip' });
    h.scheduler.start();
    await h.clock.advance(5 * MIN);
    await h.clock.sleep(3 * 60 * MIN + 2 * MIN);
    assert.deepEqual(h.fires, ['10:05:00@10:05:00']);
    assert.deepEqual(h.skips, ['13:05:00 missed']);
    await h.clock.advance(3 * MIN);
    assert.deepEqual(h.fires, ['10:05:00@10:05:00', '13:10:00@13:10:00']);
    done(h);
  });

  it('missed policies on start after the agent was stopped for hours', async () => {
    for (const missed of ['runOnce', 'skip'] as const) {
      const file = path.join(dir, `runs-${++n}.db`);
      const before = harness({ file });
      before.add({ cron: '0 * * * *', missed }); // next 11:00
      done(before);
      const h = harness({ file, clock: new FakeClock(Date.parse('2024-06-03T14:30:00Z')) });
      h.scheduler.start();
      await h.clock.advance(0);
      assert.deepEqual(h.fires, missed === 'runOnce' ? ['14:00:00@14:30:00'] : [], missed);
      assert.equal(h.scheduler.status()[0]?.nextFireAt?.toISOString(), '2024-06-03T15:00:00.000Z');
      done(h);
    }
  });

  it('a slot a few seconds late at start is not "missed": it fires even under skip', async () => {
    const file = path.join(dir, `runs-${++n}.db`);
    const before = harness({ file });
    before.add({ missed: 'skip' }); // next 10:01
    done(before);
    const h = harness({ file, clock: new FakeClock(START + MIN + 5_000) });
    h.scheduler.start();
    await h.clock.advance(0);
    assert.deepEqual(h.fires, ['10:01:00@10:01:05']);
    done(h);
  });

  it('pause stops fires; resume picks up at the next slot without catching up', async () => {
    const h = harness();
    const s = h.add({});
    h.scheduler.start();
    await h.clock.advance(2 * MIN);
    h.store.setPaused(s.id, true, new Date(h.clock.now()));
    h.scheduler.reload();
    await h.clock.advance(5 * MIN);
    assert.equal(h.fires.length, 2);
    assert.deepEqual(h.scheduler.status()[0]?.paused, true);
    assert.equal(h.scheduler.status()[0]?.nextFireAt, undefined);
    h.store.setPaused(s.id, false, new Date(h.clock.now() + 30_000));
    h.scheduler.reload();
    await h.clock.advance(2 * MIN + 30_000);
    assert.deepEqual(h.fires.slice(2), ['10:08:00@10:08:00', '10:09:00@10:09:00']);
    assert.deepEqual(h.skips, []);
    done(h);
  });

  it('persists the slot before onFire, so a crash mid-run does not refire it after a restart', async () => {
    const file = path.join(dir, `runs-${++n}.db`);
    const seen: string[] = [];
    const first = harness({
      file,
      onFire: (s, at) => {
        const other = ScheduleStore.open(file); // another connection: what a restart would read
        const row = other.get(s.id);
        other.close();
        seen.push(`${row?.lastFiredAt?.toISOString() === at.toISOString()} ${row?.nextFireAt?.toISOString()}`);
      },
    });
    first.add({});
    first.runMs = Infinity;
    first.scheduler.start();
    await first.clock.advance(MIN + 20_000);
    assert.deepEqual(first.fires, ['10:01:00@10:01:00']);
    assert.deepEqual(seen, ['true 2024-06-03T10:02:00.000Z']);
    done(first); // "crash": the run never finished

    const second = harness({ file, clock: new FakeClock(START + MIN + 20_000) });
    second.scheduler.start();
    await second.clock.advance(45_000);
    assert.deepEqual(second.fires, ['10:02:00@10:02:00']);
    done(second);
  });

  it('picks up a schedule added by another process within one heartbeat', async () => {
    const file = path.join(dir, `runs-${++n}.db`);
    const h = harness({ file });
    h.scheduler.start();
    await h.clock.advance(1_000);
    const cli = ScheduleStore.open(file);
    cli.add({ file: 'a.json', cron: '*/5 * * * * *', timeZone: 'UTC' }, new Date(h.clock.now()));
    cli.close();
    await h.clock.advance(14_000);
    // The 10:00:05 slot is found by the 10:00:10 heartbeat, with 10:00:10 itself due: one fire.
    assert.deepEqual(h.fires, ['10:00:10@10:00:10', '10:00:15@10:00:15']);
    done(h);
  });

  it('two schedulers on one file fire each slot once between them', async () => {
    const file = path.join(dir, `runs-${++n}.db`);
    const clock = new FakeClock(START);
    const a = harness({ file, clock });
    const b = harness({ file, clock });
    a.add({ cron: '*/10 * * * * *' });
    a.scheduler.start();
    b.scheduler.start();
    await clock.advance(MIN);
    assert.equal(a.fires.length + b.fires.length, 6);
    assert.deepEqual([...a.fires, ...b.fires].sort(), ['10:00:10', '10:00:20', '10:00:30', '10:00:40', '10:00:50', '10:01:00'].map((t) => `${t}@${t}`));
    done(a, b);
  });
});
