// Time a builder spends paused at a breakpoint is not the bot's: the run's duration leaves it
// out (in the result, the run.finished event and the stored run), and a log line at the step
// says where the gap in the timeline comes from. Real engine, real SQLite store.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { RunDebugger } from '../../engine/transport/run-debugger.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const PAUSE_MS = 4000;

describe('a run paused at a breakpoint', { timeout: 60_000 }, () => {
  let dir: string;
  let engine: Engine;

  before(() => {
    dir = tempDir('debug-duration');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(() => {
    engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does not count the pause in its duration and logs it at the step', { timeout: 60_000 }, async () => {
    const file = writeAutomation(dir, 'three.json', { format: 1, id: 'test.three', name: 'Three', version: '1.0.0', steps: [{ kind: 'log', message: 'a' }, { kind: 'log', message: 'b' }, { kind: 'log', message: 'c' }] });
    let pausedAt: number | undefined;
    const debug = new RunDebugger(['2'], false, {
      paused: () => {
        pausedAt = performance.now();
        // The builder looks at the page for a while, then continues.
        setTimeout(() => debug.continue(), PAUSE_MS);
      },
      resumed: () => undefined,
    });
    const events: RunEvent[] = [];
    const began = performance.now();
    const result = await engine.run({ file, debug }, (event) => events.push(event));
    const wall = performance.now() - began;
    assert.equal(result.status, 'passed');
    assert.ok(pausedAt !== undefined, 'the run paused at the breakpoint');
    assert.ok(wall >= PAUSE_MS, 'the run waited for the builder');
    assert.ok(result.durationMs < PAUSE_MS, `duration ${result.durationMs} ms leaves out the ${PAUSE_MS} ms pause (wall ${Math.round(wall)} ms)`);
    const finished = events.find((e) => e.type === 'run.finished');
    assert.equal(finished && 'durationMs' in finished ? finished.durationMs : undefined, result.durationMs);
    assert.equal(engine.getRun(result.runId)?.durationMs, result.durationMs, 'the stored run has the same duration');
    const note = events.find((e) => e.type === 'log' && e.message.startsWith('paused in the debugger'));
    assert.ok(note && note.type === 'log' && note.path === '2', 'a log line at step 2 explains the gap');
  });
});
