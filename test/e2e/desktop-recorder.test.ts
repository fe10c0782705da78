// The desktop recorder end to end under Xvfb: drive the Tk form and xcalc with xdotool while
// recording, stop, then replay each recording against a fresh program and check its state (the
// record the form saved; the calculator's display, read by OCR).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { crop } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { writeAutomation } from '../helpers/env.js';
import {
  hasXcalc,
  missingDesktopTools,
  startContactDialog,
  startLegacyForm,
  startXcalc,
  type VirtualDisplay,
} from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('desktop recorder under Xvfb', { concurrency: false, skip: skip ?? false }, () => {
  let display: VirtualDisplay;
  let dir: string;
  const shared = useDesktopDisplay('desktop-record');
  const { programs } = shared;

  before(() => {
    ({ display, dir } = shared);
  });

  const xdotool = (...args: string[]): void => void execFileSync('xdotool', args, { env: display.env });

  /** Screen position of a text in the form (or its open menu), found by OCR. */
  async function screenPositionOf(text: string): Promise<{ x: number; y: number }> {
    const window = (await findWindows('Legacy Claims Form'))[0]!;
    const { words } = await recognize(crop(await captureScreen(), window.rect), 'sparse');
    const match = findText(words, { text, exact: true }).match;
    assert.ok(match, `"${text}" is on screen`);
    return { x: Math.round(window.rect.x + match.rect.x + match.rect.width / 2), y: Math.round(window.rect.y + match.rect.y + match.rect.height / 2) };
  }

  let recorder: DesktopRecorder;

  /** Polls until `check` holds (the recorder hears input about 100 ms late, more on a busy machine). */
  async function until(check: () => boolean, what: string): Promise<void> {
    for (const deadline = Date.now() + 15_000; !check(); await pause(50)) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    }
  }

  /** Steps the recorder has reported so far. */
  let steps = 0;
  const countSteps = (): void => void steps++;

  /** Clicks, waits until the recorder has recorded the click and holds a picture of the screen as it is now. */
  async function clickAt(point: { x: number; y: number }): Promise<void> {
    const seen = steps;
    xdotool('mousemove', String(point.x), String(point.y), 'click', '1');
    await until(() => steps > seen, 'the recorder to record the click');
    await recorder.ready();
  }

  /** Types, waits until the recorder has heard every key and holds a picture of the screen as it is now. */
  async function typeText(text: string): Promise<void> {
    xdotool('type', '--delay', '40', text);
    await until(() => recorder.pendingText === text, `the recorder to hear "${text}" typed`);
    await recorder.ready();
  }

  it('records clicks, typing and a menu choice, and the recording replays to the same saved record', async () => {
    // Started first, as from a terminal: the window active at start is never recorded.
    const out = path.join(dir, 'form-session.json');
    const problems: string[] = [];
    recorder = await DesktopRecorder.start({ out, id: 'form-session', onStep: countSteps, onProblem: (message) => problems.push(message) });
    const form = await startLegacyForm(display.env, path.join(dir, 'recorded-session.jsonl'));
    programs.push(form);
    // Where things are, read once from the form as it first appears.
    const window = (await findWindows('Legacy Claims Form'))[0]!;
    const entryX = window.rect.x + 260;
    const at: Record<string, { x: number; y: number }> = {};
    for (const text of ['Claimant', 'Policy', 'Amount', 'Auto', 'Urgent', 'Save']) at[text] = await screenPositionOf(text);
    await recorder.ready();
    // The Amount entry is the hard one: a crop around it holds little but the entry's frame, so a
    // crop taken after the click (focus ring drawn) matched the focused Policy entry at replay.
    for (const [label, text] of [['Claimant', 'Ravi Kumar'], ['Policy', 'POL-20011'], ['Amount', '250.75']] as const) {
      await clickAt({ x: entryX, y: at[label]!.y });
      await typeText(text);
    }
    await clickAt(at['Auto']!);
    await clickAt(await screenPositionOf('Home'));
    await clickAt(at['Urgent']!);
    await clickAt(at['Save']!);
    const { file, automation } = await recorder.stop();
    assert.deepEqual(problems, []);

    const expected = { name: 'Ravi Kumar', policy: 'POL-20011', amount: '250.75', type: 'Home', urgent: true };
    assert.deepEqual(await form.waitForRecords(1), [expected], 'the session itself saved the record');
    const kinds = automation.steps.map((step) => step.kind);
    assert.equal(kinds[0], 'desktop.focusWindow');
    assert.deepEqual(
      automation.steps.filter((step) => step.kind === 'desktop.type').map((step) => step.kind === 'desktop.type' && step.text),
      ['Ravi Kumar', 'POL-20011', '250.75'],
      'typing is coalesced into one step per field',
    );
    // Each typing step keeps the window that received its keys: replay checks they go there.
    assert.deepEqual(
      automation.steps.filter((step) => step.kind === 'desktop.type').map((step) => step.kind === 'desktop.type' && step.window),
      ['Legacy Claims Form', 'Legacy Claims Form', 'Legacy Claims Form'],
      'each typing step names the window its keys went to',
    );
    const clicks = automation.steps.filter((step) => step.kind === 'desktop.click');
    assert.equal(clicks.length, 7);
    const save = clicks.at(-1)!;
    assert.ok(save.kind === 'desktop.click');
    assert.equal(save.target.window, 'Legacy Claims Form');
    const image = save.target.candidates.find((candidate) => 'image' in candidate);
    assert.ok(image && 'image' in image && existsSync(path.join(dir, image.image)), 'the Save click kept an image target beside the file');
    assert.ok(save.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'Save'), 'and the OCR text under the pointer');
    assert.ok('offset' in save.target.candidates.at(-1)!, 'and window-relative coordinates last');
    await form.stop();

    // Replay against a fresh form.
    const fresh = await startLegacyForm(display.env, path.join(dir, 'replayed.jsonl'));
    programs.push(fresh);
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
    const events: RunEvent[] = [];
    try {
      const result = await engine.run({ file }, (event) => events.push(event));
      assert.equal(result.status, 'passed', JSON.stringify(result.error));
    } finally {
      engine.close();
    }
    assert.deepEqual(await fresh.waitForRecords(1), [expected]);
    // The crops show the screen before each click, as replay sees it: each click is found by its
    // image (a crop of the screen after the click would miss, or match elsewhere).
    const located = events.flatMap((event) => (event.type === 'step.succeeded' && event.kind === 'desktop.click' ? [event.locator?.description ?? 'none'] : []));
    assert.equal(located.length, 7);
    for (const description of located) assert.match(description, /^image "form-session-step\d+(-[a-z0-9-]+)?\.png" (0\.9\d|1\.00)$/);
  });
  it('records the OK click that closes its dialog, and the replay fills the dialog and closes it', async () => {
    const out = path.join(dir, 'dialog-session.json');
    const problems: string[] = [];
    recorder = await DesktopRecorder.start({ out, id: 'dialog-session', onStep: countSteps, onProblem: (message) => problems.push(message) });
    const dialog = await startContactDialog(display.env, path.join(dir, 'dialog-recorded.jsonl'));
    programs.push(dialog);
    const window = (await findWindows('Contact Dialog'))[0]!;
    const { words } = await recognize(crop(await captureScreen(), window.rect), 'sparse');
    const rowOf = (text: string): number => {
      const match = findText(words, { text, exact: true }).match;
      assert.ok(match, `"${text}" is on the dialog`);
      return Math.round(window.rect.y + match.rect.y + match.rect.height / 2);
    };
    const ok = findText(words, { text: 'OK', exact: true }).match;
    assert.ok(ok, 'the OK button is on the dialog');
    await recorder.ready();
    const values = { first: 'Asha', last: 'Verma', email: 'asha@example.org' };
    for (const [label, text] of [['First name', values.first], ['Last name', values.last], ['Email', values.email]] as const) {
      await clickAt({ x: window.rect.x + 240, y: rowOf(label) });
      await typeText(text);
    }
    // OK closes the window at once: the recorder must still know which window was clicked.
    await clickAt({ x: Math.round(window.rect.x + ok.rect.x + ok.rect.width / 2), y: Math.round(window.rect.y + ok.rect.y + ok.rect.height / 2) });
    const { file, automation } = await recorder.stop();
    assert.ok(await dialog.waitClosed(), 'the recorded OK closed the dialog');
    assert.deepEqual(dialog.records(), [values], 'the session itself saved the entries');
    const clicks = automation.steps.filter((step) => step.kind === 'desktop.click');
    assert.equal(clicks.length, 4, `three fields and OK: ${JSON.stringify(automation.steps)}`);
    const last = automation.steps.at(-1)!;
    assert.ok(last.kind === 'desktop.click' && last.target.window === 'Contact Dialog', 'the OK click is the last step, in the dialog');
    assert.ok(last.target.candidates.some((candidate) => 'image' in candidate), `the OK click kept an image target (problems: ${JSON.stringify(problems)})`);

    const fresh = await startContactDialog(display.env, path.join(dir, 'dialog-replayed.jsonl'));
    programs.push(fresh);
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home-dialog') } });
    try {
      const result = await engine.run({ file });
      assert.equal(result.status, 'passed', JSON.stringify(result.error));
    } finally {
      engine.close();
    }
    assert.ok(await fresh.waitClosed(), 'the replayed OK closed the dialog');
    assert.deepEqual(fresh.records(), [values]);
  });

  /** Screen centres of xcalc's buttons, from its layout: a grid whose rows and columns OCR finds by their labels. */
  async function xcalcButtons(): Promise<Record<string, { x: number; y: number }>> {
    const window = (await findWindows('Calculator'))[0]!;
    const { words } = await recognize(crop(await captureScreen(), window.rect), 'sparse');
    const centre = (text: string): { x: number; y: number } => {
      const match = findText(words, { text, exact: true }).match;
      assert.ok(match, `xcalc label "${text}" found by OCR in ${JSON.stringify(words.map((word) => word.text))}`);
      return { x: window.rect.x + match.rect.x + match.rect.width / 2, y: window.rect.y + match.rect.y + match.rect.height / 2 };
    };
    // Column 0 holds EXC (bottom row) and SUM (the row of 1 2 3 +); column 4 holds DRG.
    const first = centre('EXC');
    const last = centre('DRG');
    const pitch = (last.x - first.x) / 4;
    const at = (column: number, y: number): { x: number; y: number } => ({ x: Math.round(first.x + column * pitch), y: Math.round(y) });
    const sumRow = centre('SUM').y;
    return { '1': at(1, sumRow), '2': at(2, sumRow), '3': at(3, sumRow), '+': at(4, sumRow), '0': at(1, first.y), '=': at(4, first.y) };
  }

  /** What xcalc's display shows, read by OCR through a desktop.read step. */
  async function xcalcDisplay(engine: Engine): Promise<string> {
    const file = writeAutomation(dir, 'read-xcalc.json', {
      format: 1,
      id: 'read-xcalc',
      name: 'read the calculator',
      version: '1.0.0',
      outputs: ['display'],
      steps: [{ kind: 'desktop.read', window: 'Calculator', region: { x: 0, y: 0, width: 226, height: 50 }, into: 'display' }],
    });
    const result = await engine.run({ file });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const text = String(result.outputs['display']);
    return /-?\d+(\.\d+)?/.exec(text)?.[0] ?? `no number in "${text}"`;
  }

  it('records clicks on xcalc buttons, and the recording replays twice to 42 on a fresh calculator', { skip: hasXcalc() ? false : 'needs xcalc (Debian: apt-get install x11-apps)' }, async () => {
    const out = path.join(dir, 'xcalc-session.json');
    const problems: string[] = [];
    recorder = await DesktopRecorder.start({ out, id: 'xcalc-session', onStep: countSteps, onProblem: (message) => problems.push(message) });
    const calc = await startXcalc(display.env);
    programs.push(calc);
    const buttons = await xcalcButtons();
    await recorder.ready();
    for (const label of ['1', '2', '+', '3', '0', '=']) await clickAt(buttons[label]!);
    const { file, automation } = await recorder.stop();
    assert.deepEqual(problems, []);
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home-xcalc') } });
    try {
      assert.equal(await xcalcDisplay(engine), '42', 'the recorded session itself computed 12 + 30');
      await calc.stop();
      const clicks = automation.steps.filter((step) => step.kind === 'desktop.click');
      assert.equal(clicks.length, 6);
      assert.equal(automation.steps[0]?.kind === 'desktop.focusWindow' && automation.steps[0].title, 'Calculator');

      for (const round of [1, 2]) {
        const fresh = await startXcalc(display.env);
        programs.push(fresh);
        const events: RunEvent[] = [];
        const result = await engine.run({ file }, (event) => events.push(event));
        assert.equal(result.status, 'passed', `replay ${round}: ${JSON.stringify(result.error)}`);
        assert.equal(await xcalcDisplay(engine), '42', `replay ${round}: the display shows 42`);
        const located = events.flatMap((event) => (event.type === 'step.succeeded' && event.kind === 'desktop.click' ? [event.locator] : []));
        assert.equal(located.length, 6);
        assert.ok(
          located.every((locator) => locator?.fallback === false),
          `replay ${round}: each key found by its first candidate (its image where one was kept): ${JSON.stringify(located.map((locator) => locator?.description))}`,
        );
        await fresh.stop();
      }
    } finally {
      engine.close();
    }
  });
});
