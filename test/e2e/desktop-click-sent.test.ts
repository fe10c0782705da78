// A desktop click is input that cannot be taken back (issue #23): a second click into a legacy
// program can submit twice. Like keys (desktop-focus-stolen), once a click's button went down a
// later failure of its step is not retried, continued past or caught; and an attempt that the
// runner already gave up on (its deadline passed while it still looked for its target) sends no
// click at all. The stall is made with SIGSTOP on the X server, as an overloaded machine makes
// one: here between the click's move onto the button and its press, so that the step's deadline
// passes while the click goes out; before, the step failed as any other and its retry clicked a
// second time. Real Tk program under Xvfb with openbox, the whole runner.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { spotsOf, windowOf } from '../fixtures/desktop/challenge.js';
import { missingDesktopTools, startNotice } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { until } from '../helpers/until.js';

const skip = missingDesktopTools();

/** How long the X server stands still: longer than the click step's time and the runner's grace (2 s). */
const STALL_MS = 5_000;

describe('a desktop click is sent once, whatever fails around it (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 300_000 }, () => {
  const x = useDesktopDisplay('desktop-click-sent');

  it('a click whose step ran out of time as it went out is not done again; the run fails saying so (before: retried, "Got it" pressed twice)', { timeout: 200_000 }, async () => {
    // The notice stalls the X server as the pointer comes onto its button (the click's move).
    const notice = await startNotice({ ...x.display.env, NOTICE_STALL_X: `${x.display.serverPid()}:${STALL_MS}` }, path.join(x.dir, 'stalled.jsonl'));
    x.programs.push(notice);
    const window = await windowOf('Notice');
    const gotIt = (await spotsOf('Notice', ['Got']))['Got']!;
    const file = path.join(x.dir, 'stalled.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        id: 'stalled',
        name: 'stalled',
        version: '1.0.0',
        steps: [
          {
            kind: 'desktop.click',
            target: { window: 'Notice', candidates: [{ offset: { x: gotIt.x - window.rect.x, y: gotIt.y - window.rect.y } }], windowSize: { width: window.rect.width, height: window.rect.height } },
            timeoutMs: 1_500,
            retry: { attempts: 2, delayMs: 100 },
            continueOnError: true,
          },
          { kind: 'log', message: 'went on after the click' },
        ],
      }),
    );
    execFileSync('xdotool', ['mousemove', '0', '0'], { env: x.display.env });
    const events: RunEvent[] = [];
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-stalled') } });
    try {
      const result = await engine.run({ file }, (event) => void events.push(event));
      // Tk handles a press that arrived just before the run ended a moment later.
      await until('the notice to write its presses', () => notice.records().length >= 1, 10_000).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const failures = events.flatMap((event) => (event.type === 'step.failed' ? [{ attempt: event.attempt, willRetry: event.willRetry, name: event.error.name }] : []));
      assert.equal(notice.records().length, 1, `"Got it" pressed ${notice.records().length} times; failures ${JSON.stringify(failures)}`);
      assert.deepEqual(failures, [{ attempt: 1, willRetry: false, name: 'InputDeliveredError' }], 'the step failed once, after its click went out, and was not done again');
      assert.equal(result.status, 'failed', 'the run does not pass');
      assert.match(result.error?.message ?? '', /timed out.*the click had already gone out.*not done again/s, result.error?.message);
      assert.ok(!events.some((event) => event.type === 'log' && event.message === 'went on after the click'), 'continueOnError does not carry the run past it');
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });
});
