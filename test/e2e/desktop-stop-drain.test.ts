// Keys typed just before the desktop recorder stops (issue #23, brief item 1). The input hook
// (uiohook-napi) hears input on a thread of its own and hands each event to the event loop
// through a queue; stopping the hook flushes what the X server had recorded into that queue,
// and the events arrive afterwards. stop() took its listeners off at once, so the last keys of
// fast typing were lost: the recording had "quickbro" for "quickbrownfox42". Keys typed after
// stop() was called must not be recorded either — also when they are sent before the event loop
// runs anything else (CI once recorded "quickbrownfox42zz": stop() marked its moment in the input
// stream only after an await, so under load keys typed right after the call got ahead of it).
// DRAIN_ROUNDS sets how many rounds of each kind run (measuring under load).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Step } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { spotsOf, windowOf } from '../fixtures/desktop/challenge.js';
import { missingDesktopTools, startContactDialog } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { until } from '../helpers/until.js';

const skip = missingDesktopTools();
const run = promisify(execFile);
const rounds = Math.max(1, Number(process.env['DRAIN_ROUNDS'] ?? 1));

describe('keys typed right before the desktop recorder stops (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 60_000 + 2 * 240_000 * rounds }, () => {
  const x = useDesktopDisplay('desktop-stop-drain');
  const xdotool = async (...args: string[]): Promise<void> => void (await run('xdotool', args, { env: x.display.env }));
  const typedIn = (steps: readonly Step[]): string => steps.flatMap((step) => (step.kind === 'desktop.type' ? [step.text] : [])).join('');

  // 'blocking': the keys after stop() are typed while the event loop cannot run (execFileSync),
  // so nothing stop() left for later can come before them; 'async': typed as the loop goes on.
  const kinds = Array.from({ length: rounds }, (_, i) => i + 1).flatMap((round) => (['blocking', 'async'] as const).map((after) => ({ round, after })));
  for (const { round, after: typedAfter } of kinds) {
    it(`every key typed before stop() is recorded, none typed after it (${typedAfter}, round ${round})`, { timeout: 240_000 }, async () => {
      const steps: Step[] = [];
      const recorder = await DesktopRecorder.start({ out: path.join(x.dir, `drain-${typedAfter}-${round}.json`), id: `drain-${typedAfter}-${round}`, onStep: (step) => void steps.push(step) });
      let stopped = false;
      const dialog = await startContactDialog(x.display.env, path.join(x.dir, `contact-${typedAfter}-${round}.jsonl`));
      x.programs.push(dialog);
      try {
        const window = await windowOf('Contact Dialog');
        const first = (await spotsOf('Contact Dialog', ['First name']))['First name']!;
        await recorder.ready();
        await xdotool('mousemove', String(window.rect.x + 240), String(first.y), 'click', '1');
        await until('the click to be recorded', () => steps.some((step) => step.kind === 'desktop.click'), 30_000);
        await recorder.idle();
        // Fast typing (no delay between keys) while the recorder's event loop is busy (as with a
        // picture being compared or saved): the hook holds the keys for it; stop as soon as the
        // last key is sent.
        const before = 'quickbrownfox42';
        execFileSync('xdotool', ['type', '--delay', '0', before], { env: x.display.env });
        const stopping = recorder.stop();
        stopped = true;
        // Typed once stop() was called: not part of the recording.
        const afterwards = typedAfter === 'blocking' ? Promise.resolve(void execFileSync('xdotool', ['type', '--delay', '0', 'zz'], { env: x.display.env })) : xdotool('type', '--delay', '0', 'zz');
        const { automation } = await stopping;
        await afterwards;
        assert.equal(typedIn(automation.steps), before, `typing recorded: ${JSON.stringify(automation.steps.filter((step) => step.kind !== 'desktop.click'))}`);
      } finally {
        if (!stopped) await recorder.stop().catch(() => undefined);
        for (const program of x.programs.splice(0)) await program.stop();
      }
    });
  }
});
