// A fast click that closes its window (issue #23 item 1), at the moment that made it lose its
// target on a loaded machine: while the recorder's look at the screen is under way, between
// reading the active window and grabbing the screen. The picture then shows what was behind the
// closed dialog; the click must still be recorded by what the dialog showed (OK by its text),
// never by coordinates only.
//
// Seen in a clean-clone CI run at load ≈ 10: "1 of 2 clicks recorded". The cause was not the look:
// libuiohook counts a press of the same button within the multi-click time (X resource
// multiClickTime, 200 ms by default) as the second of a double click wherever it is, so OK,
// pressed less than 200 ms after Denmark, came with clicks = 2 and the recorder made the Denmark
// click a double click: OK was lost without a word. Whether it did depended on how fast xdotool
// started. Here the display's multiClickTime is long, so that the hook always counts OK as the
// second press (the test checks it did), as it does for a user who picks a row and OK quickly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Bitmap } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { activeWindow, type DesktopWindow } from '../../engine/desktop/windows.js';
import type { Automation } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { LIST_CHOICE, spotsOf, type Spot } from '../fixtures/desktop/challenge.js';
import { clicksOf, type Click } from '../fixtures/desktop/challenge-harness.js';
import { missingDesktopTools, startListDialog } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';

const skip = missingDesktopTools();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The screen grabbed at once, without giving the event loop a turn (libnut's capture is synchronous). */
function grabScreenNow(): Bitmap {
  const libnut = createRequire(import.meta.url)('@nut-tree-fork/libnut-linux') as { screen: { capture(): { width: number; height: number; image: Buffer; byteWidth: number } } };
  const shot = libnut.screen.capture();
  const data = Buffer.alloc(shot.width * shot.height * 4);
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      const from = y * shot.byteWidth + x * 4;
      const to = (y * shot.width + x) * 4;
      // X11 gives BGRx: to RGBA, opaque.
      data[to] = shot.image[from + 2]!;
      data[to + 1] = shot.image[from + 1]!;
      data[to + 2] = shot.image[from]!;
      data[to + 3] = 255;
    }
  }
  return { width: shot.width, height: shot.height, data };
}

/**
 * The active window read at once (synchronously), as engine/desktop/windows.ts reads it (the
 * window manager's active window, then its place by xwininfo; a window already destroyed has
 * none, so none is active), or undefined.
 */
function activeWindowNow(env: NodeJS.ProcessEnv): DesktopWindow | undefined {
  try {
    const id = execFileSync('xdotool', ['getactivewindow'], { env, encoding: 'utf8' }).trim();
    const info = execFileSync('xwininfo', ['-id', id], { env, encoding: 'utf8' });
    const title = execFileSync('xdotool', ['getwindowname', id], { env, encoding: 'utf8' }).replace(/\n$/, '');
    const field = (name: string): number => Number(new RegExp(`${name}:\\s*(-?\\d+)`).exec(info)?.[1] ?? NaN);
    const rect = { x: field('Absolute upper-left X'), y: field('Absolute upper-left Y'), width: field('Width'), height: field('Height') };
    return Object.values(rect).every(Number.isFinite) ? { id, title, rect } : undefined;
  } catch {
    return undefined; // no active window, or it is gone
  }
}

/** True when the 40×20 pixels around `at` are all of one colour (no button, no text). */
function flatAround(screen: Bitmap, at: Spot): boolean {
  const first = (at.y - 10) * screen.width * 4 + (at.x - 20) * 4;
  for (let y = at.y - 10; y < at.y + 10; y++) {
    for (let x = at.x - 20; x < at.x + 20; x++) {
      const i = (y * screen.width + x) * 4;
      if (screen.data[i] !== screen.data[first] || screen.data[i + 1] !== screen.data[first + 1] || screen.data[i + 2] !== screen.data[first + 2]) return false;
    }
  }
  return true;
}

/** Blocks this process (hooks included: they report through its event loop) for `ms`. */
const blockFor = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('a fast click that closes its window', { concurrency: false, skip: skip ?? false, timeout: 240_000 }, () => {
  const x = useDesktopDisplay('desktop-closing-click', (display) => {
    // Read by libuiohook when its hook starts (below, with the recorder).
    execFileSync('xrdb', ['-merge'], { env: display.env, input: '*multiClickTime: 10000\n' });
  });

  it('a row and OK clicked fast while the recorder looks at the screen: OK is recorded by its text, though that look saw the dialog gone and the hook counted OK as a double click', { timeout: 240_000 }, async () => {
    const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });
    let okAt: Spot | undefined;
    let denmarkAt: Spot | undefined;
    let clickedDuringLook = false;
    let grabbedAfterClick = false;
    let lookSawDialogGone = false;
    const problems: string[] = [];
    const clicks: Click[] = [];
    const presses: Array<{ x: number; y: number; clicks: number }> = [];
    const recorder = await DesktopRecorder.start({
      out: path.join(x.dir, 'closing.json'),
      id: 'closing',
      onStep: (step) => void clicks.push(...clicksOf({ steps: [step] } as Automation)),
      onProblem: (message) => problems.push(message),
      // The look at the screen during which OK is clicked runs on without giving the process's
      // event loop a turn from the click on (synchronous reads of the same X server), so that the
      // hook's report of the click is heard only after the look: the order a busy process gets
      // under load (captures of 2-10 s, reports queued behind them), made certain here.
      lookSources: {
        activeWindow: async () => {
          if (!grabbedAfterClick) return activeWindow();
          grabbedAfterClick = false;
          return activeWindowNow(x.display.env);
        },
        captureScreen: async () => {
          if (!okAt || !denmarkAt || clickedDuringLook) return captureScreen();
          clickedDuringLook = true;
          // Denmark, then OK 60 ms later (the fast pace): no settled picture is taken between them.
          xdotool('mousemove', String(denmarkAt.x), String(denmarkAt.y), 'click', '1');
          blockFor(60);
          xdotool('mousemove', String(okAt.x), String(okAt.y), 'click', '1');
          // Grabbed once the dialog is gone from the screen: OK's place shows one flat colour.
          let screen = grabScreenNow();
          for (const deadline = Date.now() + 10_000; !flatAround(screen, okAt) && Date.now() < deadline; blockFor(50)) screen = grabScreenNow();
          lookSawDialogGone = flatAround(screen, okAt);
          grabbedAfterClick = true;
          return screen;
        },
      },
    });
    let stopped = false;
    // What the hook itself reports for each press (the recorder's hook is the same one).
    const { uIOhook } = await import('uiohook-napi');
    const onPress = (event: { x: number; y: number; clicks: number }): void => void presses.push({ x: event.x, y: event.y, clicks: event.clicks });
    uIOhook.on('mousedown', onPress);
    try {
      const program = await startListDialog(x.display.env, path.join(x.dir, 'closing-recorded.jsonl'));
      x.programs.push(program);
      await recorder.ready();
      const spots = await spotsOf('Choose Country', ['Denmark', 'OK']);
      // The next look at the screen clicks both (see lookSources).
      denmarkAt = { x: spots['Denmark']!.x + 10, y: spots['Denmark']!.y };
      okAt = spots['OK'];
      for (const deadline = Date.now() + 60_000; clicks.length < 2; await pause(50)) if (Date.now() > deadline) assert.fail(`${clicks.length} of 2 clicks recorded (clicked during a look: ${clickedDuringLook}); presses: ${JSON.stringify(presses)}; problems: ${JSON.stringify(problems)}`);
      assert.ok(clickedDuringLook, 'OK was clicked while a look at the screen was under way');
      assert.deepEqual(presses.map((press) => press.clicks), [1, 2], `the hook counted OK as the second press of a double click: ${JSON.stringify(presses)}`);
      assert.ok(lookSawDialogGone, 'that look grabbed the screen with the dialog gone');
      assert.ok(await program.waitClosed(), 'OK closed the dialog');
      const { automation } = await recorder.stop();
      stopped = true;
      assert.deepEqual(program.records(), [LIST_CHOICE], 'the recorded session itself chose Denmark');
      assert.ok(clicks[0]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'Denmark'), `Denmark by its text: ${JSON.stringify(clicks[0]!.target)}`);
      const ok = clicks[1]!;
      assert.equal(ok.target.window, 'Choose Country');
      assert.ok(
        ok.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'),
        `OK by its text, read from a picture that shows the dialog: ${JSON.stringify(ok.target)}; problems: ${JSON.stringify(problems)}`,
      );
      assert.ok(!problems.some((problem) => /coordinates only/.test(problem)), `never by coordinates only: ${JSON.stringify(problems)}`);
      assert.equal(automation.steps.filter((step) => step.kind === 'desktop.click').length, 2);
      assert.ok(!automation.steps.some((step) => step.kind === 'desktop.doubleClick'), 'no double click: the two presses were in different places');
    } finally {
      uIOhook.removeListener('mousedown', onPress);
      if (!stopped) await recorder.stop().catch(() => undefined);
    }
  });

  it('two presses in one place are still recorded as one double click, and a press elsewhere right after as a click of its own', { timeout: 240_000 }, async () => {
    const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });
    const steps: Automation['steps'] = [];
    const problems: string[] = [];
    const recorder = await DesktopRecorder.start({ out: path.join(x.dir, 'double.json'), id: 'double', onStep: (step, index) => void (steps[index] = step), onProblem: (message) => problems.push(message) });
    let stopped = false;
    try {
      const program = await startListDialog(x.display.env, path.join(x.dir, 'double-recorded.jsonl'));
      x.programs.push(program);
      await recorder.ready();
      const spots = await spotsOf('Choose Country', ['Denmark', 'France']);
      const denmark = { x: spots['Denmark']!.x + 10, y: spots['Denmark']!.y };
      const france = { x: spots['France']!.x + 10, y: spots['France']!.y };
      // A double click on Denmark, then France at once: all three within the (long) multi-click time.
      xdotool('mousemove', String(denmark.x), String(denmark.y), 'click', '--repeat', '2', '--delay', '40', '1', 'mousemove', String(france.x), String(france.y), 'click', '1');
      for (const deadline = Date.now() + 60_000; steps.filter((step) => step.kind === 'desktop.click').length < 1 || !steps.some((step) => step.kind === 'desktop.doubleClick'); await pause(100)) {
        if (Date.now() > deadline) assert.fail(`a double click and a click recorded: ${JSON.stringify(steps.map((step) => step.kind))}; problems: ${JSON.stringify(problems)}`);
      }
      const { automation } = await recorder.stop();
      stopped = true;
      const clicks = automation.steps.filter((step) => step.kind === 'desktop.click' || step.kind === 'desktop.doubleClick');
      assert.deepEqual(clicks.map((step) => step.kind), ['desktop.doubleClick', 'desktop.click'], JSON.stringify(automation.steps));
      const [first, second] = clicks as Click[];
      assert.ok(first!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'Denmark'), `the double click on Denmark: ${JSON.stringify(first!.target)}`);
      assert.ok(second!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'France'), `the click on France: ${JSON.stringify(second!.target)}`);
    } finally {
      if (!stopped) await recorder.stop().catch(() => undefined);
    }
  });
});
