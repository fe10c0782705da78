// The shared tesseract worker: readers with different settings take turns on one worker without
// their settings leaking into each other's jobs; cancelling a waiting job leaves the running one
// alone; cancelling a running job ends the worker and the next read starts another.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { PSM } from 'tesseract.js';
import { CancelledError, RpaError } from '../errors.js';
import { closeOcr, ocrWorkerCount, recognizeImage, type OcrSettings } from './tesseract.js';

/** Black text on white: each [text, x, y] in the given font. */
function drawn(width: number, height: number, font: string, texts: [string, number, number][]): Buffer {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000';
  context.font = font;
  for (const [text, x, y] of texts) context.fillText(text, x, y);
  return canvas.toBuffer('image/png');
}

/** Two words with a wide gap between them. */
const picture = (left: string, right: string): Buffer => drawn(900, 120, '48px DejaVu Sans, sans-serif', [[left, 20, 80], [right, 560, 80]]);

/** A page of many lines of text: a read of it takes far longer than the 20 ms after which the test cancels it. */
const fullPage = (): Buffer =>
  drawn(1700, 2200, '36px DejaVu Sans, sans-serif', Array.from({ length: 40 }, (_, line): [string, number, number] => [`CANCELLED READ line ${line} of the page, invoice 4711 total 1234.56`, 40, 60 + line * 52]));

const SPARSE: OcrSettings = { pageSegmentation: PSM.SPARSE_TEXT, preserveInterwordSpaces: true, dpi: 300 };
const SCREEN: OcrSettings = { pageSegmentation: PSM.AUTO, preserveInterwordSpaces: true, dpi: 300 };
const DOCUMENT: OcrSettings = { pageSegmentation: PSM.SINGLE_COLUMN };
const read = (image: Buffer, settings: OcrSettings, signal?: AbortSignal) => recognizeImage(image, { settings, output: { text: true }, ...(signal ? { signal } : {}) });

describe('shared OCR worker', () => {
  after(closeOcr);
  const image = picture('INVOICE', 'TOTAL');

  it('runs interleaved reads with different settings on one worker, each with its own settings', async () => {
    const order = [SPARSE, DOCUMENT, SCREEN, DOCUMENT, SPARSE, SCREEN];
    const results = await Promise.all(order.map((settings) => read(image, settings)));
    assert.equal(ocrWorkerCount(), 1, 'one worker serves every reader');
    for (const [index, page] of results.entries()) {
      const settings = order[index];
      if (settings === SPARSE) assert.match(page.text, /^INVOICE\s*\n\s*TOTAL\s*$/, 'sparse text: each word on its own');
      if (settings === SCREEN) assert.match(page.text, /^INVOICE {2,}TOTAL\s*$/, 'screen reads keep the gap between columns');
      if (settings === DOCUMENT) assert.match(page.text, /^INVOICE TOTAL\s*$/, 'document reads inherit neither the page segmentation nor the spacing of the read before');
    }
  });

  it('cancelling a read that waits for its turn leaves the running read alone', async () => {
    const running = read(picture('RUNNING', 'JOB'), DOCUMENT);
    const controller = new AbortController();
    const waiting = read(image, SCREEN, controller.signal);
    controller.abort();
    await assert.rejects(waiting, CancelledError);
    assert.match((await running).text, /RUNNING/);
    assert.equal(ocrWorkerCount(), 1);
  });

  it('cancelling a running read ends the worker; the next read starts another', async () => {
    const controller = new AbortController();
    // A whole page: a two-word picture was once read in under 20 ms on a warm worker, before the cancel came.
    const running = read(fullPage(), DOCUMENT, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(running, CancelledError);
    assert.equal(ocrWorkerCount(), 0, 'the cancelled job took its worker down');
    assert.match((await read(image, DOCUMENT)).text, /INVOICE/);
    assert.equal(ocrWorkerCount(), 1);
  });

  it('refuses a language that is not installed, saying which package to add', async () => {
    await assert.rejects(recognizeImage(image, { language: 'deu', settings: DOCUMENT, output: { text: true } }), (error: unknown) => error instanceof RpaError && /@tesseract\.js-data\/deu/.test(error.message));
  });
});
