// Desktop targets that must never act on the wrong control (issue #23), under Xvfb with the Tk
// contact dialog: three entries of the same width, so a crop of one empty entry matches all
// three. An ambiguous image fails its step naming the places; the recorded position picks the
// right one; coordinates are a fallback only where they are safe, and a fallback that was used
// is a warning. Each case ends by reading what the dialog itself saved on OK.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { crop, encodePng, type Bitmap } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize } from '../../engine/desktop/ocr.js';
import { forgetLookCosts } from '../../engine/desktop/locate.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { writeAutomation } from '../helpers/env.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { missingDesktopTools, startContactDialog, type ContactDialog } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const WINDOW = 'Contact Dialog';
const EMPTY = { first: '', last: '', email: '' };

describe('desktop targets that must not act on the wrong control', { concurrency: false, skip: skip ?? false }, () => {
  let engine: Engine;
  /** Window-relative centre of the Last-name entry, and the dialog's size, read from the first dialog. */
  let lastEntry: { x: number; y: number };
  let windowSize: { width: number; height: number };
  /** From the right edge's middle of the "Last name" label to the entry's centre. */
  let fromLabel: { x: number; y: number };
  /** Window-relative centre of the OK button. */
  let okAt: { x: number; y: number };

  const x = useDesktopDisplay('desktop-targets', async () => {
    const { dir } = x;
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
    const ok = findText(words, { text: 'OK', exact: true }).match;
    assert.ok(ok, 'OK found by OCR');
    okAt = { x: Math.round(ok.rect.x + ok.rect.width / 2), y: Math.round(ok.rect.y + ok.rect.height / 2) };
    writeFileSync(path.join(dir, 'ok-button.png'), encodePng(crop(pixels, { x: okAt.x - 50, y: okAt.y - 18, width: 100, height: 36 })));
    // Something the dialog does not show (another theme, another program): a noise picture.
    const noise: Bitmap = { width: 120, height: 36, data: Buffer.alloc(120 * 36 * 4) };
    for (let index = 0; index < noise.data.length; index++) noise.data[index] = index % 4 === 3 ? 255 : (index * 7919) % 251;
    writeFileSync(path.join(dir, 'elsewhere.png'), encodePng(noise));
    await dialog.stop();
  });

  after(() => engine?.close());

  async function open(geometry?: string, look?: { font?: string; colors?: string }): Promise<ContactDialog> {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, `saved-${x.programs.length}.jsonl`), geometry, look);
    x.programs.push(dialog);
    return dialog;
  }

  async function run(steps: unknown[]): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> {
    const file = writeAutomation(x.dir, `${Math.random().toString(36).slice(2)}.json`, { format: 1, id: 'targets', name: 'targets', version: '1.0.0', steps });
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

  // Another theme and font, the window of the recorded size (a program without accessibility):
  // every recorded picture misses. The recorded place's picture no longer looks alike, so the
  // coordinates are refused and the step fails; a text or label target still finds the control.
  const RESTYLED = { font: 'DejaVu Serif 17', colors: '#cfe0f2 #1a1a60' };

  it('after a theme and font change, an image-and-coordinates target fails clearly and clicks nothing', async () => {
    const dialog = await open(undefined, RESTYLED);
    const window = (await findWindows(WINDOW))[0]!;
    assert.deepEqual({ width: window.rect.width, height: window.rect.height }, windowSize, 'the restyled dialog keeps the recorded size');
    const { result, events } = await run([{ kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'empty-entry.png', at: lastEntry }, { offset: lastEntry }], description: 'Last name entry' }, timeoutMs: 6_000 }]);
    assert.equal(result.status, 'failed', `no image matches and the coordinates are not trusted; matched: ${JSON.stringify(events.find((event) => event.type === 'step.succeeded'))}`);
    assert.equal(result.error?.name, 'LocatorNotFoundError');
    assert.match(result.error.message, /Last name entry in window "Contact Dialog" not found/);
    assert.match(result.error.message, /offset \(240, \d+\): not used, image "empty-entry.png" no longer looks alike at its recorded place/);
    assert.ok(!events.some((event) => event.type === 'step.succeeded'), 'nothing passed');
    assert.deepEqual(await typeAndSave(dialog), [EMPTY], 'no entry was clicked');
  });

  it('after a theme and font change, the text and label candidates find the controls and the dialog saves the right record', async () => {
    const dialog = await open(undefined, RESTYLED);
    const { result, events } = await run([
      { kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'empty-entry.png', at: lastEntry }, { label: 'Last name', side: 'right', distance: fromLabel }, { offset: lastEntry }] }, timeoutMs: 20_000 },
      { kind: 'desktop.type', text: 'Verma' },
      { kind: 'desktop.click', target: { window: WINDOW, windowSize, candidates: [{ image: 'ok-button.png', at: okAt }, { text: 'OK', exact: true }, { offset: okAt }] }, timeoutMs: 20_000 },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(await dialog.waitClosed(), 'OK closed the dialog');
    assert.deepEqual(dialog.records(), [{ ...EMPTY, last: 'Verma' }]);
    const via = events.flatMap((event) => (event.type === 'step.succeeded' && event.kind === 'desktop.click' ? [event.locator?.description ?? ''] : []));
    assert.match(via[0]!, /^right of label "Last name" \(OCR/);
    assert.match(via[1]!, /^text "OK"/);
    assert.equal(events.filter((event) => event.type === 'log' && event.level === 'warn' && /found by a fallback/.test(event.message)).length, 2, 'each fallback is a warning');
  });

  // The step's deadline: a search expected to end past it is not started, and one that runs past
  // it ends the step naming it — a LocatorNotFoundError saying what was tried, never a bare timeout.
  it('a search that would end past the step\'s deadline is not started: the step fails naming it and clicks nothing', async () => {
    const dialog = await open();
    // What reading the whole screen by OCR costs on this machine now (the runner measures the
    // same); the whole screen, so that it costs far more than finding and capturing it.
    const pixels = await captureScreen();
    let slowest = 0;
    for (let time = 0; time < 2; time++) {
      const began = Date.now();
      await recognize(pixels, 'sparse');
      slowest = Math.max(slowest, Date.now() - began);
    }
    // A run that reads it once, so the runner knows the cost too.
    const primed = await run([{ kind: 'desktop.waitFor', target: { candidates: [{ text: 'Nowhere in this dialog', exact: true }] }, timeoutMs: 3_000 }]);
    assert.equal(primed.result.status, 'failed');
    // "Last name" is in the window (a label: clicking it would change nothing), but the search for it does not fit.
    const budget = Math.floor(slowest / 3);
    const { result } = await run([{ kind: 'desktop.click', target: { candidates: [{ text: 'Last name', exact: true }], description: 'the label' }, timeoutMs: budget }]);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'LocatorNotFoundError', JSON.stringify(result.error));
    assert.match(result.error.message, /the label not found within \d+ ms:/);
    assert.match(result.error.message, /text "Last name": not searched: reading the screen by OCR takes about \d+ ms here and \d+ ms of the step's time were left/);
    assert.deepEqual(await typeAndSave(dialog), [EMPTY]);
  });

  it('a first search that runs past the step\'s deadline ends the step naming it, not with a bare timeout', async () => {
    const dialog = await open();
    // The whole screen, read twice: the faster of the two is what a look at least costs.
    const pixels = await captureScreen();
    let fastest = Number.POSITIVE_INFINITY;
    for (let time = 0; time < 2; time++) {
      const began = Date.now();
      await recognize(pixels, 'sparse');
      fastest = Math.min(fastest, Date.now() - began);
    }
    // As on a machine that never measured a search: the look starts, and the deadline comes during it.
    forgetLookCosts();
    const budget = Math.floor(fastest / 3);
    const { result } = await run([{ kind: 'desktop.click', target: { candidates: [{ text: 'Last name', exact: true }] }, timeoutMs: budget }]);
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'LocatorNotFoundError', JSON.stringify(result.error));
    assert.match(result.error.message, /text "Last name": (still reading the screen by OCR for text "Last name" when the step's time ran out \(\d+ ms into it\)|not tried, the step's time ran out before)/);
    assert.deepEqual(await typeAndSave(dialog), [EMPTY]);
  });
});
