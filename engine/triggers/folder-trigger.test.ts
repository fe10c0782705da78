import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../store/database.js';
import { FolderTrigger, type FolderRunOutcome, type FolderTriggerConfig } from './folder-trigger.js';

function setup(overrides: Partial<FolderTriggerConfig> = {}, outcome: (file: string) => FolderRunOutcome = () => ({ runId: 'R1', status: 'passed' })) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-folder-'));
  const db = openDatabase(path.join(dir, 'runs.db'));
  const folder = path.join(dir, 'inbox');
  mkdirSync(folder);
  let clock = 1_000_000;
  const runs: string[] = [];
  const logs: string[] = [];
  const config: FolderTriggerConfig = { id: 'inbox', folder, automation: '/x.json', input: 'file', stableMs: 1000, ...overrides };
  const make = (): FolderTrigger =>
    new FolderTrigger(
      config,
      db,
      {
        run: (_config, file) => {
          runs.push(path.basename(file));
          return Promise.resolve(outcome(file));
        },
        log: (_level, message) => logs.push(message),
      },
      () => clock,
    );
  const trigger = make();
  return { dir, db, folder, trigger, runs, logs, make, advance: (ms: number) => (clock += ms) };
}

async function settle(trigger: FolderTrigger): Promise<void> {
  // Runs started by a scan end on their own; stop() waits for them (and stops polling).
  await trigger.stop();
}

describe('FolderTrigger', () => {
  it('runs a complete file once, then moves it to done/', async () => {
    const t = setup();
    writeFileSync(path.join(t.folder, 'claims.csv'), 'a,b\n1,2\n');
    await t.trigger.scan(); // first sight: not yet known to be complete
    assert.deepEqual(t.runs, []);
    t.advance(1500);
    await t.trigger.scan();
    await settle(t.trigger);
    assert.deepEqual(t.runs, ['claims.csv']);
    assert.ok(existsSync(path.join(t.folder, 'done', 'claims.csv')));
    assert.ok(!existsSync(path.join(t.folder, 'claims.csv')));
  });

  it('waits while a file is still growing and ignores partial-download names', async () => {
    const t = setup();
    const file = path.join(t.folder, 'big.csv');
    writeFileSync(file, 'a\n');
    writeFileSync(path.join(t.folder, 'next.csv.part'), 'x');
    await t.trigger.scan();
    t.advance(600);
    appendFileSync(file, '1\n'); // still being written
    await t.trigger.scan();
    t.advance(600);
    await t.trigger.scan();
    assert.deepEqual(t.runs, [], 'changed 600 ms ago: not stable for 1000 ms yet');
    t.advance(600);
    await t.trigger.scan();
    await settle(t.trigger);
    assert.deepEqual(t.runs, ['big.csv']);
    assert.ok(existsSync(path.join(t.folder, 'next.csv.part')), 'partial file left alone');
  });

  it('does not process the same content twice, unless forced', async () => {
    const t = setup();
    writeFileSync(path.join(t.folder, 'one.csv'), 'same\n');
    await t.trigger.scan();
    t.advance(1500);
    await t.trigger.scan();
    writeFileSync(path.join(t.folder, 'copy-of-one.csv'), 'same\n');
    await t.trigger.scan();
    t.advance(1500);
    await t.trigger.scan();
    await settle(t.trigger);
    assert.deepEqual(t.runs, ['one.csv']);
    assert.ok(existsSync(path.join(t.folder, 'done', 'copy-of-one.csv')));
    assert.ok(t.logs.some((line) => line.includes('same content as a file already processed')));

    const forced = setup({ force: true });
    for (const name of ['a.csv', 'b.csv']) writeFileSync(path.join(forced.folder, name), 'same\n');
    await forced.trigger.scan();
    forced.advance(1500);
    await forced.trigger.scan();
    await settle(forced.trigger);
    assert.deepEqual(forced.runs.sort(), ['a.csv', 'b.csv']);
  });

  it('moves a file whose run failed to failed/, never overwriting an earlier one', async () => {
    const t = setup({}, () => ({ runId: 'R2', status: 'failed' }));
    mkdirSync(path.join(t.folder, 'failed'));
    writeFileSync(path.join(t.folder, 'failed', 'bad.csv'), 'older');
    writeFileSync(path.join(t.folder, 'bad.csv'), 'newer');
    await t.trigger.scan();
    t.advance(1500);
    await t.trigger.scan();
    await settle(t.trigger);
    assert.deepEqual(readdirSync(path.join(t.folder, 'failed')).sort(), ['bad (1).csv', 'bad.csv']);
  });

  it('runs again a file left in processing/ by a killed agent', async () => {
    const t = setup();
    mkdirSync(path.join(t.folder, 'processing'));
    writeFileSync(path.join(t.folder, 'processing', 'half.csv'), 'x\n');
    const again = t.make();
    again.start();
    await again.stop();
    assert.deepEqual(t.runs, ['half.csv']);
    assert.ok(existsSync(path.join(t.folder, 'done', 'half.csv')));
  });
});
