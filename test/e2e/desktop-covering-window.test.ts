// A window mapped on top of the active one without taking the focus (a notification), under
// Xvfb with openbox (issue #23, left item 1). The recorder took a click for the active window
// whenever the point lay inside it, so a click on the notice was recorded as a click in the
// dialog below (at the notice's place); and replay clicked whatever lay on top of the recorded
// point. Now the click belongs to the topmost window at the point (X11 stacking order, as it was
// before the press), and replay refuses a point another window covers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import { windowAt } from '../../engine/desktop/windows.js';
import type { Automation } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { spotsOf, windowOf } from '../fixtures/desktop/challenge.js';
import { clicksOf, type Click } from '../fixtures/desktop/challenge-harness.js';
import { missingDesktopTools, startContactDialog, startNotice } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { until } from '../helpers/until.js';

const skip = missingDesktopTools();

describe('a window on top of the active one without the focus (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 300_000 }, () => {
  const x = useDesktopDisplay('desktop-covering-window');
  const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });
  const activeTitle = (): string => xdotool('getactivewindow', 'getwindowname').trim();

  it('a click on the notice is recorded in the notice, not in the active dialog below it', { timeout: 240_000 }, async () => {
    const problems: string[] = [];
    const clicks: Click[] = [];
    const recorder = await DesktopRecorder.start({
      out: path.join(x.dir, 'notice.json'),
      id: 'notice',
      onStep: (step) => void clicks.push(...clicksOf({ steps: [step] } as Automation)),
      onProblem: (message) => problems.push(message),
    });
    let stopped = false;
    try {
      const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'contact.jsonl'));
      x.programs.push(dialog);
      const notice = await startNotice(x.display.env, path.join(x.dir, 'notice.jsonl'));
      x.programs.push(notice);
      assert.equal(activeTitle(), 'Contact Dialog', 'the notice took no focus');
      await recorder.ready();
      const gotIt = (await spotsOf('Notice', ['Got']))['Got']!;
      assert.equal((await windowAt(gotIt))?.title, 'Notice', 'the notice is on top at its button');
      xdotool('mousemove', String(gotIt.x), String(gotIt.y), 'click', '1');
      await until('the notice to take the click', () => notice.records().length === 1, 10_000);
      await until('the click to be recorded', () => clicks.length > 0 || problems.length > 0, 30_000);
      await recorder.idle();
      assert.equal(clicks.length, 1, `one click: ${JSON.stringify(clicks)}; problems: ${JSON.stringify(problems)}`);
      assert.equal(clicks[0]!.target.window, 'Notice', `the click's window: ${JSON.stringify(clicks[0]!.target)}`);
      const notice2 = await windowOf('Notice');
      const offset = clicks[0]!.target.candidates.find((candidate) => 'offset' in candidate);
      assert.ok(offset && 'offset' in offset, 'coordinates kept');
      assert.deepEqual(
        { x: Math.abs(notice2.rect.x + offset.offset.x - gotIt.x) <= 1, y: Math.abs(notice2.rect.y + offset.offset.y - gotIt.y) <= 1 },
        { x: true, y: true },
        'the offset is relative to the notice',
      );
      const { file } = await recorder.stop();
      stopped = true;
      // And replayed so: the notice (still open, the dialog still active) takes the click.
      assert.equal(activeTitle(), 'Contact Dialog');
      const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-recorded') } });
      try {
        const result = await engine.run({ file }, () => undefined);
        assert.equal(result.status, 'passed', result.error?.message);
        assert.equal(notice.records().length, 2, 'the replay pressed "Got it"');
        assert.equal(dialog.records().length, 0, 'nothing was done in the dialog');
      } finally {
        engine.close();
      }
    } finally {
      if (!stopped) await recorder.stop().catch(() => undefined);
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  it('replay refuses a click whose point another window covers, naming it, and clicks nothing', { timeout: 240_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'contact-replay.jsonl'));
    x.programs.push(dialog);
    const notice = await startNotice(x.display.env, path.join(x.dir, 'notice-replay.jsonl'));
    x.programs.push(notice);
    const below = await windowOf('Contact Dialog');
    const gotIt = (await spotsOf('Notice', ['Got']))['Got']!;
    // A click recorded in the dialog (by coordinates, the window at its recorded size) at the
    // place the notice now covers.
    const file = path.join(x.dir, 'covered.json');
    const automation = {
      format: 1,
      id: 'covered',
      name: 'covered',
      version: '1.0.0',
      steps: [
        {
          kind: 'desktop.click',
          timeoutMs: 4_000,
          target: { window: 'Contact Dialog', candidates: [{ offset: { x: gotIt.x - below.rect.x, y: gotIt.y - below.rect.y } }], windowSize: { width: below.rect.width, height: below.rect.height } },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(automation));
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home') } });
    try {
      const result = await engine.run({ file }, () => undefined);
      assert.equal(notice.records().length, 0, `nothing was clicked in the notice: ${JSON.stringify(notice.records())} (run ${result.status})`);
      assert.equal(result.status, 'failed');
      assert.match(result.error?.message ?? '', /covered by.*"Notice"/s, result.error?.message);
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });
});
