// A click that closes its window, when nothing else tells the recorder which window that was:
// it is the first click in the dialog (no earlier click's window), it comes right after a key
// (so no trusted picture from just before it), and the dialog sits over the terminal the
// recording was started from (a window the recorder ignores). 150 ms after the press the
// terminal is active again and under the point, so the OK click was taken for a click in the
// terminal and left out of the recording without a word (issue #23 item 1: never lose a click
// silently). The newest picture showed the dialog active over that point, and the dialog has
// closed since: the click was on it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Automation } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { spotsOf } from '../fixtures/desktop/challenge.js';
import { clicksOf, type Click } from '../fixtures/desktop/challenge-harness.js';
import { missingDesktopTools, startListDialog, startTkTerminal } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';

const skip = missingDesktopTools();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the first click in a dialog over the ignored terminal closes it', { concurrency: false, skip: skip ?? false, timeout: 240_000 }, () => {
  const x = useDesktopDisplay('desktop-first-click-closes');

  it('OK pressed right after a key is recorded in the dialog (by its text), not dropped as a click in the terminal', { timeout: 240_000 }, async () => {
    const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });
    // The terminal recording is started from: large, active when the recorder starts, so ignored.
    const terminal = await startTkTerminal(x.display.env, path.join(x.dir, 'terminal.jsonl'), '1100x800+60+60');
    x.programs.push(terminal);
    const problems: string[] = [];
    const clicks: Click[] = [];
    const recorder = await DesktopRecorder.start({
      out: path.join(x.dir, 'first.json'),
      id: 'first',
      onStep: (step) => void clicks.push(...clicksOf({ steps: [step] } as Automation)),
      onProblem: (message) => problems.push(message),
    });
    let stopped = false;
    try {
      // The dialog opens over it (its default place is inside the terminal's).
      const dialog = await startListDialog(x.display.env, path.join(x.dir, 'list.jsonl'));
      x.programs.push(dialog);
      await recorder.ready();
      const ok = (await spotsOf('Choose Country', ['OK']))['OK']!;
      // A key in the dialog, then OK at once: no trusted picture from just before the click.
      xdotool('key', 'Down', 'mousemove', String(ok.x), String(ok.y), 'click', '1');
      assert.ok(await dialog.waitClosed(), 'OK closed the dialog');
      await recorder.idle();
      for (const deadline = Date.now() + 30_000; !clicks.length && !problems.length; await pause(100)) if (Date.now() > deadline) break;
      await recorder.idle();
      assert.equal(clicks.length, 1, `the OK click recorded: ${JSON.stringify(clicks)}; problems: ${JSON.stringify(problems)}`);
      assert.equal(clicks[0]!.target.window, 'Choose Country');
      assert.ok(
        clicks[0]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'),
        `OK by its text: ${JSON.stringify(clicks[0]!.target)}; problems: ${JSON.stringify(problems)}`,
      );
      await recorder.stop();
      stopped = true;
    } finally {
      if (!stopped) await recorder.stop().catch(() => undefined);
    }
  });
});
