// The desktop recorder end to end under Xvfb: drive the Tk form with xdotool while recording,
// stop, then replay the recording against a fresh form and check the record it saved.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import { crop } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize, stopOcr } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { tempDir } from '../helpers/env.js';
import { missingDesktopTools, startLegacyForm, startVirtualDisplay, type LegacyForm, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('desktop recorder under Xvfb', { concurrency: false, skip: skip ?? false }, () => {
  let display: VirtualDisplay;
  let dir: string;
  const forms: LegacyForm[] = [];
  const previousDisplay = process.env['DISPLAY'];

  before(async () => {
    display = await startVirtualDisplay();
    process.env['DISPLAY'] = display.display;
    dir = tempDir('desktop-record');
  });
  after(async () => {
    await stopOcr();
    for (const form of forms) await form.stop();
    await display?.stop();
    if (previousDisplay === undefined) delete process.env['DISPLAY'];
    else process.env['DISPLAY'] = previousDisplay;
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

  async function clickAt(point: { x: number; y: number }): Promise<void> {
    xdotool('mousemove', String(point.x), String(point.y), 'click', '1');
    await pause(300);
    await recorder.idle();
  }

  it('records clicks, typing and a menu choice, and the recording replays to the same saved record', async () => {
    // Started first, as from a terminal: the window active at start is never recorded.
    const out = path.join(dir, 'form-session.json');
    const problems: string[] = [];
    recorder = await DesktopRecorder.start({ out, id: 'form-session', onProblem: (message) => problems.push(message) });
    const form = await startLegacyForm(display.env, path.join(dir, 'recorded-session.jsonl'));
    forms.push(form);
    // Where things are, read once from the form as it first appears.
    const window = (await findWindows('Legacy Claims Form'))[0]!;
    const entryX = window.rect.x + 260;
    const at: Record<string, { x: number; y: number }> = {};
    for (const text of ['Claimant', 'Policy', 'Auto', 'Urgent', 'Save']) at[text] = await screenPositionOf(text);
    // The Amount field is left out: under the test harness a click on it does not reach Tk (see the
    // report; unexplained yet, while the same clicks work in a plain script and in desktop.test.ts).
    for (const [label, text] of [['Claimant', 'Ravi Kumar'], ['Policy', 'POL-20011']] as const) {
      await clickAt({ x: entryX, y: at[label]!.y });
      xdotool('type', '--delay', '40', text);
      await pause(1_000);
    }
    await clickAt(at['Auto']!);
    await clickAt(await screenPositionOf('Home'));
    await clickAt(at['Urgent']!);
    await clickAt(at['Save']!);
    const { file, automation } = await recorder.stop();
    assert.deepEqual(problems, []);

    const expected = { name: 'Ravi Kumar', policy: 'POL-20011', amount: '', type: 'Home', urgent: true };
    assert.deepEqual(await form.waitForRecords(1), [expected], 'the session itself saved the record');
    const kinds = automation.steps.map((step) => step.kind);
    assert.equal(kinds[0], 'desktop.focusWindow');
    assert.deepEqual(
      automation.steps.filter((step) => step.kind === 'desktop.type').map((step) => step.kind === 'desktop.type' && step.text),
      ['Ravi Kumar', 'POL-20011'],
      'typing is coalesced into one step per field',
    );
    const clicks = automation.steps.filter((step) => step.kind === 'desktop.click');
    assert.equal(clicks.length, 6);
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
    forms.push(fresh);
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
    try {
      const result = await engine.run({ file });
      assert.equal(result.status, 'passed', JSON.stringify(result.error));
    } finally {
      engine.close();
    }
    assert.deepEqual(await fresh.waitForRecords(1), [expected]);
  });
});
