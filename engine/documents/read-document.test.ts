// read.document's reader on the committed sample corpus (assets/documents/samples): PDF text,
// OCR of scans (PNG, and a PDF holding only a scan), and bad input. OCR tests are slow (a few
// seconds a page), so there are few of them.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { findBrowser } from '../runner/browser-finder.js';
import { tempDir } from '../../test/helpers/env.js';
import { imageInfo } from './image-size.js';
import { closeOcr } from './ocr.js';
import { readDocument } from './read-document.js';

const SAMPLES = fileURLToPath(new URL('../../../assets/documents/samples/', import.meta.url));
const sample = (name: string): string => path.join(SAMPLES, name);
const truth = (name: string): Record<string, unknown> => (JSON.parse(readFileSync(sample(name.replace(/\.\w+$/, '.json')), 'utf8')) as { truth: Record<string, unknown> }).truth;

describe('readDocument', { concurrency: false }, () => {
  after(closeOcr);

  it('reads a PDF text layer into a page of lines with boxes in points', async () => {
    const doc = await readDocument(sample('invoice-001-classic.pdf'));
    assert.equal(doc.method, 'pdf-text');
    assert.equal(doc.pages.length, 1);
    const [page] = doc.pages;
    assert.equal(page!.method, 'pdf-text');
    assert.ok(Math.abs(page!.width - 595.92) < 1 && Math.abs(page!.height - 842.88) < 1, 'A4 in points');
    const number = page!.lines.find((l) => l.text === truth('invoice-001-classic.pdf')['invoiceNumber']);
    const label = page!.lines.find((l) => l.text === 'Invoice No.:');
    assert.ok(number && label, 'label and value are separate lines');
    assert.ok(number.box.x > label.box.x + label.box.width, 'the value sits right of its label');
    assert.ok(Math.abs(number.box.y - label.box.y) < 2, 'on the same row');
    assert.ok(number.box.y > 0 && number.box.y < 200, 'top-left origin: near the top of the page');
    assert.equal(number.confidence, 1);
    assert.match(doc.text, /Invoice No\.: {2}INV-\d{6}\n/);
  });

  it('reads a scanned PNG with OCR: lines, boxes in pixels, confidences', async () => {
    const file = sample('claim-002-stacked.png');
    const doc = await readDocument(file);
    assert.equal(doc.method, 'ocr');
    const info = imageInfo(readFileSync(file))!;
    assert.deepEqual([doc.pages[0]!.width, doc.pages[0]!.height], [info.width, info.height]);
    const policy = doc.pages[0]!.lines.find((l) => l.text === truth('claim-002-stacked.png')['policyNumber']);
    assert.ok(policy, `policy number among the lines:\n${doc.text}`);
    assert.ok(policy.confidence > 0.5 && policy.confidence <= 1);
    assert.ok(policy.box.width > 50 && policy.box.x + policy.box.width < info.width);
    assert.match(doc.text, /NAME OF CLAIMANT/);
  });

  it('OCRs the pages of a PDF that hold only a scan, with boxes in points', async () => {
    const dir = tempDir('scan-pdf');
    const browser = await chromium.launch({ executablePath: findBrowser(), headless: true });
    try {
      const page = await browser.newPage();
      const png = readFileSync(sample('invoice-006-compact.png')).toString('base64');
      await page.setContent(`<style>@page { size: A4; margin: 0 } body { margin: 0 }</style><img src="data:image/png;base64,${png}" style="width:210mm;height:297mm;display:block">`);
      writeFileSync(path.join(dir, 'scan.pdf'), await page.pdf({ format: 'A4' }));
    } finally {
      await browser.close();
    }
    const doc = await readDocument(path.join(dir, 'scan.pdf'));
    assert.equal(doc.method, 'ocr');
    assert.ok(Math.abs(doc.pages[0]!.width - 595.92) < 1);
    const total = doc.pages[0]!.lines.find((l) => l.text.startsWith('Total due'));
    assert.ok(total, `a total line in:\n${doc.text}`);
    assert.ok(total.box.x + total.box.width < 596 && total.box.y < 842, 'boxes in PDF points');
    assert.match(doc.text, new RegExp(String(truth('invoice-006-compact.png')['invoiceNumber'])));
  });

  it('names the file in every bad-input error', async () => {
    const dir = tempDir('bad-docs');
    const missing = path.join(dir, 'nope.pdf');
    await assert.rejects(readDocument(missing), { message: `${missing}: file not found` });
    const corrupt = path.join(dir, 'corrupt.pdf');
    writeFileSync(corrupt, '%PDF-1.7\nthis is not really a pdf');
    await assert.rejects(readDocument(corrupt), (error: Error) => error.message.startsWith(`${corrupt}: not a readable PDF`));
    const docx = path.join(dir, 'letter.docx');
    writeFileSync(docx, 'PK');
    await assert.rejects(readDocument(docx), { message: `${docx}: cannot read ".docx" documents; read.document reads PDF, PNG, JPEG and TIFF files` });
    const fake = path.join(dir, 'photo.png');
    writeFileSync(fake, 'not a png at all');
    await assert.rejects(readDocument(fake), (error: Error) => error.message.startsWith(`${fake}: not a readable PNG, JPEG or TIFF image`));
    const image = path.join(dir, 'scan.png');
    copyFileSync(sample('claim-002-stacked.png'), image);
    await assert.rejects(readDocument(image, { ocr: 'never' }), { message: `${image}: is an image, which can only be read with OCR, but ocr is "never"` });
    await assert.rejects(readDocument(image, { language: 'xyz' }), /OCR language "xyz" is not installed: add the npm package @tesseract.js-data\/xyz/);
  });
});

describe('imageInfo', () => {
  it('reads PNG, JPEG and TIFF sizes from their headers and refuses other bytes', () => {
    assert.deepEqual(imageInfo(readFileSync(sample('invoice-002-modern.png'))), { kind: 'png', width: 1191, height: 1685 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x00, 0xc8, 0x03]);
    assert.deepEqual(imageInfo(jpeg), { kind: 'jpeg', width: 200, height: 300 });
    const tiff = Buffer.alloc(8 + 2 + 24);
    tiff.write('II', 0, 'latin1');
    tiff.writeUInt16LE(42, 2);
    tiff.writeUInt32LE(8, 4);
    tiff.writeUInt16LE(2, 8);
    [[256, 640], [257, 480]].forEach(([tag, value], i) => {
      const at = 10 + i * 12;
      tiff.writeUInt16LE(tag!, at);
      tiff.writeUInt16LE(3, at + 2);
      tiff.writeUInt32LE(1, at + 4);
      tiff.writeUInt16LE(value!, at + 8);
    });
    assert.deepEqual(imageInfo(tiff), { kind: 'tiff', width: 640, height: 480 });
    assert.equal(imageInfo(Buffer.from('%PDF-1.7')), undefined);
  });
});
