// Desktop targets that must never act on the wrong control (issue #23), under Xvfb with the Tk
// contact dialog: three entries of the same width, so a crop of one empty entry matches all
// three. An ambiguous image fails its step naming the places; the recorded position picks the
// right one; coordinates are a fallback only where they are safe, and a fallback that was used
// is a warning. Each case ends by reading what the dialog itself saved on OK.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { crop, encodePng, type Bitmap } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize, closeOcr } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { missingDesktopTools, startContactDialog, startVirtualDisplay, type ContactDialog, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const WINDOW = 'Contact Dialog';
const EMPTY = { first: '', last: '', email: '' };

describe('desktop targets that must not act on the wrong control', { concurrency: false, skip: skip ?? false }, () => {
  let display: VirtualDisplay;
  let dir: string;
  let engine: Engine;
  const dialogs: ContactDialog[] = [];
  const previousDisplay = process.env['DISPLAY'];
  /** Window-relative centre of the Last-name entry, and the dialog's size, read from the first dialog. */
  let lastEntry: { x: number; y: number };
  let windowSize: { width: number; height: number };
  /** From the right edge's middle of the "Last name" label to the entry's centre. */
  let fromLabel: { x: number; y: number };

  before(async () => {
    display = await startVirtualDisplay();
    process.env['DISPLAY'] = display.display;
    dir = tempDir('desktop-targets');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
    const dialog = await open();
    const window = (await findWindows(WINDOW))[0]!;
    windowSize = { width: window.rect.width, height: window.rect.height };
    const pixels = crop(await captureScreen(), window.rect);
    const { words } = await recognize(pixels, 'sparse');
    const label = findText(words, { text: 'Last name', exact: true }).match;
    assert.ok(label, `"Last name" found by OCR in ${JSON.stringify(words.map((word) => word.text))}`);
    // Tk centres the label and the entry in their grid row; x = 240 is well inside the entry.
    lastEntry = { x: 240, y: Math.round(label.rect.y + label.rect.height / 2) };
    fromLabel = { x: Math.round(lastEntry.x - (label.rect.x + label.rect.width)), y: Math.round(lastEntry.y - (label.rect.y + label.rect.height / 2)) };
    // The empty entry, its top and bottom borders included: the same picture as the other two.
    writeFileSync(path.join(dir, 'empty-entry.png'), encodePng(crop(pixels, { x: lastEntry.x - 60, y: lastEntry.y - 18, width: 120, height: 36 })));
    // Something the dialog does not show (another theme, another program): a noise picture.
    const noise: Bitmap = { width: 120, height: 36, data: Buffer.alloc(120 * 36 * 4) };
    for (let index = 0; index < noise.data.length; index++) noise.data[index] = index % 4 === 3 ? 255 : (index * 7919) % 251;
    writeFileSync(path.join(dir, 'elsewhere.png'), encodePng(noise));
    await dialog.stop();
  });

  after(async () => {
    await closeOcr();
    for (const dialog of dialogs) await dialog.stop();
    engine?.close();
    await display?.stop();
    if (previousDisplay === undefined) delete process.env['DISPLAY'];
    else process.env['DISPLAY'] = previousDisplay;
  });

  async function open(geometry?: string): Promise<ContactDialog> {
    const dialog = await startContactDialog(display.env, path.join(dir, `saved-${dialogs.length}.jsonl`), geometry);
    dialogs.push(dialog);
    return dialog;
  }

  async function run(steps: unknown[]): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> {
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, { format: 1, id: 'targets', name: 'targets', version: '1.0.0', steps });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    return { result, events };
  }

  /** Types without clicking first, then presses OK: the text lands in whichever entry has the focus (none, unless a step clicked one). */
  async function typeAndSave(dialog: ContactDialog): Promise<Array<Record<string, unknown>>> {
    const { result } = await run([
      { kind: 'desktop.type', text: 'Verma' },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ text: 'OK', exact: true }] }, timeoutMs: 15_000 },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await dialog.waitClosed(), 'OK closed the dialog');
    return dialog.records();
  }

  it('an image that matches identical empty entries fails its step naming the places, and clicks none', async () => {
    const dialog = await open();
    const { result } = await run([{ kind: 'desktop.click', target: { window: WINDOW, candidates: [{ image: 'empty-entry.png' }], description: 'Last name entry' }, timeoutMs: 5_000 }]);
    assert.equal(result.status, 'failed', 'the step refuses to choose between look-alike entries');
    assert.equal(result.error?.name, 'AmbiguousLocatorError');
    assert.match(result.error.message, /matches \d places about equally/);
    // The crop is uniform across an entry, so a row can be named more than once; every row is named.
    const places = result.error?.details?.['places'] as Array<{ windowY: number }>;
    const rows = new Set(places.map((place) => Math.round((place.windowY - lastEntry.y) / 10)));
    assert.ok(rows.size >= 3 && rows.has(0), `the three entries, the Last-name one among them, are named: ${JSON.stringify(places)}`);
    assert.deepEqual(await typeAndSave(dialog), [EMPTY], 'no entry was clicked, so the typing went nowhere');
  });

  it('a label target finds the entry beside it after the dialog was moved and resized, where the image is ambiguous', async () => {
    // Moved and larger: the image's recorded place no longer holds, and the empty entries look alike.
    const dialog = await open('600x340+700+420');
    const { result, events } = await run([
      {
        kind: 'desktop.click',
        target: { window: WINDOW, windowSize, candidates: [{ image: 'empty-entry.png', at: lastEntry }, { label: 'Last name', side: 'right', distance: fromLabel }, { offset: lastEntry }] },
      },
      { kind: 'desktop.type', text: 'Verma' },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ text: 'OK', exact: true }] }, timeoutMs: 15_000 },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await dialog.waitClosed());
    assert.deepEqual(dialog.records(), [{ ...EMPTY, last: 'Verma' }]);
    const located = events.find((event) => event.type === 'step.succeeded' && event.path === '1');
    assert.ok(located?.type === 'step.succeeded' && /^right of label "Last name" \(OCR/.test(located.locator?.description ?? ''), JSON.stringify(located));
  });

  it('a label (or text) on two lines of the window fails its step naming both, and clicks neither', async () => {
    for (const candidate of [{ label: 'name', side: 'right', distance: fromLabel }, { text: 'name', exact: true }]) {
      const dialog = await open();
      const { result } = await run([{ kind: 'desktop.click', target: { window: WINDOW, candidates: [candidate, { offset: lastEntry }] }, timeoutMs: 3_000 }]);
      assert.equal(result.status, 'failed', `${JSON.stringify(candidate)}: "name" is on the First-name and the Last-name line`);
      assert.equal(result.error?.name, 'AmbiguousLocatorError');
      assert.match(result.error.message, /matches 2 places about equally, on different lines of the window, and no other candidate found the control by itself; nothing was clicked/);
      assert.equal((result.error.details?.['places'] as unknown[]).length, 2);
      assert.deepEqual(await typeAndSave(dialog), [EMPTY], 'the coordinates did not decide either');
    }
  });

  it('waiting for an image to disappear does not count look-alikes at several places as gone', async () => {
    const dialog = await open();
    const { result } = await run([{ kind: 'desktop.waitFor', state: 'disappears', target: { window: WINDOW, candidates: [{ image: 'empty-entry.png' }] }, timeoutMs: 1_500 }]);
    assert.equal(result.status, 'failed', 'the empty entries are still on screen');
    assert.match(result.error!.message, /still there \(at \d places\)/);
    await dialog.stop();
  });

  it('the recorded position picks the right one of identical entries', async () => {
    const dialog = await open();
    const { result, events } = await run([
      { kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'empty-entry.png', at: lastEntry }] } },
      { kind: 'desktop.type', text: 'Verma' },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ text: 'OK', exact: true }] }, timeoutMs: 15_000 },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await dialog.waitClosed());
    assert.deepEqual(dialog.records(), [{ ...EMPTY, last: 'Verma' }]);
    assert.ok(!events.some((event) => event.type === 'log' && event.level === 'warn'), 'the first candidate matched: no warning');
  });

  it('an image found away from its recorded position in a window of the recorded size is another control', async () => {
    const dialog = await open();
    const { result } = await run([
      // Recorded 90 px lower (where nothing alike is): the match on the Last-name row is not it.
      { kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'empty-entry.png', at: { x: lastEntry.x, y: lastEntry.y + 130 } }] }, timeoutMs: 2_000 },
    ]);
    assert.equal(result.status, 'failed');
    assert.match(result.error!.message, /recorded at \(240, \d+\) in a window of the same size/);
    assert.deepEqual(await typeAndSave(dialog), [EMPTY]);
  });

  it('coordinates are not a fallback in a window of another size, nor where the recorded image no longer looks alike', async () => {
    for (const [why, target, reason] of [
      ['another size', { windowSize: { width: windowSize.width + 120, height: windowSize.height }, candidates: [{ image: 'elsewhere.png' }, { offset: lastEntry }] }, /the window is \d+×\d+, recorded \d+×\d+/],
      ['image no longer alike', { windowSize, candidates: [{ image: 'elsewhere.png', at: lastEntry }, { offset: lastEntry }] }, /no longer looks alike at its recorded place/],
      ['nothing to check against', { candidates: [{ image: 'elsewhere.png' }, { offset: lastEntry }] }, /no recorded window size/],
    ] as const) {
      const dialog = await open();
      const { result } = await run([{ kind: 'desktop.click', target: { window: WINDOW, ...target }, timeoutMs: 2_000 }]);
      assert.equal(result.status, 'failed', `${why}: the coordinates are refused`);
      assert.equal(result.error?.name, 'LocatorNotFoundError');
      assert.match(result.error.message, reason, why);
      assert.deepEqual(await typeAndSave(dialog), [EMPTY], `${why}: nothing was clicked`);
    }
  });

  it('a safe coordinate fallback acts, and the run says it was a fallback', async () => {
    const dialog = await open();
    const { result, events } = await run([
      { kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'elsewhere.png' }, { offset: lastEntry }], description: 'Last name entry' } },
      { kind: 'desktop.type', text: 'Verma' },
      { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ text: 'OK', exact: true }] }, timeoutMs: 15_000 },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await dialog.waitClosed());
    assert.deepEqual(dialog.records(), [{ ...EMPTY, last: 'Verma' }]);
    const warnings = events.filter((event) => event.type === 'log' && event.level === 'warn');
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    const warning = warnings[0]!;
    assert.ok(warning.type === 'log' && warning.path === '1' && /found by a fallback, offset \(240, \d+\), after image "elsewhere.png" did not match/.test(warning.message), JSON.stringify(warning));
  });
});
