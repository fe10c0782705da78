// Warming the OCR worker: the call returns at once (a process's start is never delayed), the
// worker starts in the background, and the first page read after it does not pay the start-up.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { PSM } from 'tesseract.js';
import { closeOcr, ocrWorkerCount, recognizeImage, warmOcr } from './tesseract.js';

function picture(text: string): Buffer {
  const canvas = createCanvas(600, 120);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 600, 120);
  context.fillStyle = '#000';
  context.font = '48px DejaVu Sans, sans-serif';
  context.fillText(text, 20, 80);
  return canvas.toBuffer('image/png');
}

const read = async (image: Buffer): Promise<number> => {
  const started = performance.now();
  const page = await recognizeImage(image, { settings: { pageSegmentation: PSM.SINGLE_LINE }, output: { text: true } });
  assert.match(page.text, /INVOICE/);
  return performance.now() - started;
};

describe('warmOcr', { timeout: 120_000 }, () => {
  after(closeOcr);

  it('returns at once, starts the worker in the background, and the first page after it reads warm', async () => {
    const image = picture('INVOICE 42');
    // Cold: the first page of a process starts the worker.
    const cold = await read(image);
    await closeOcr();
    assert.equal(ocrWorkerCount(), 0);

    const called = performance.now();
    const warming = warmOcr();
    assert.ok(performance.now() - called < 100, 'warming never delays the caller');
    assert.equal(ocrWorkerCount(), 1, 'the worker is starting');
    const startMs = await warming;
    assert.ok(startMs !== undefined && startMs > 0, 'the worker started');
    const warm = await read(image);
    assert.ok(warm < cold, `the first page after warming (${Math.round(warm)} ms) is faster than a cold one (${Math.round(cold)} ms)`);
  });

  it('never throws for a language that is not installed; it resolves undefined', async () => {
    assert.equal(await warmOcr('xyz'), undefined);
  });
});
