// Light text on dark panels (issue #17): a scan whose supplier block stands pale on a navy sidebar
// is read, and a page without such a panel goes to OCR as it is.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { tempDir } from '../../test/helpers/env.js';
import { closeOcr } from './ocr.js';
import { invertDarkPanels } from './panels.js';
import { readDocument } from './read-document.js';

/** A scan-like page: a navy sidebar with pale labels and white values, black text on the rest. */
function sidebarPage(): Buffer {
  const canvas = createCanvas(1000, 700);
  const g = canvas.getContext('2d');
  g.fillStyle = '#e4e4e0';
  g.fillRect(0, 0, 1000, 700);
  g.fillStyle = '#2a3f5f';
  g.fillRect(20, 20, 300, 660);
  const text = (value: string, x: number, y: number, size: number, colour: string, bold = false): void => {
    g.font = `${bold ? 'bold ' : ''}${size}px DejaVu Sans`;
    g.fillStyle = colour;
    g.fillText(value, x, y);
  };
  text('Papeterie Lefèvre', 45, 90, 30, '#ffffff', true);
  text('Belegnummer', 45, 200, 15, '#9fb1cc');
  text('RN 3097/40', 45, 228, 20, '#ffffff');
  text('Belegdatum', 45, 290, 15, '#9fb1cc');
  text('28.08.2024', 45, 318, 20, '#ffffff');
  text('Steuerrechnung', 360, 90, 34, '#2a3f5f', true);
  text('Desk chairs  6  1 924,56 Kč', 360, 200, 20, '#222222');
  return canvas.toBuffer('image/png');
}

describe('dark panels before OCR', { concurrency: false, timeout: 120_000 }, () => {
  after(closeOcr);

  it('reads pale text on a navy sidebar of a scan: labels and values', async () => {
    const file = path.join(tempDir('panels'), 'sidebar.png');
    writeFileSync(file, sidebarPage());
    const doc = await readDocument(file);
    for (const expected of ['Belegnummer', 'RN 3097/40', 'Belegdatum', '28.08.2024', 'Papeterie', 'Steuerrechnung', 'Desk chairs']) assert.ok(doc.text.includes(expected), `${expected} not read:\n${doc.text}`);
  });

  it('leaves a page without dark panels as it is, bold headings and all', async () => {
    const canvas = createCanvas(800, 400);
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, 800, 400);
    g.fillStyle = '#000000';
    g.font = 'bold 60px DejaVu Sans';
    g.fillText('INVOICE', 40, 100);
    g.fillRect(40, 150, 700, 6); // a rule under the heading
    const png = canvas.toBuffer('image/png');
    const out = await invertDarkPanels(png);
    assert.equal(out.panels, 0);
    assert.equal(out.image, png, 'the same bytes go to OCR');
    // Undecodable bytes (a TIFF the canvas cannot read) also pass through untouched.
    const tiff = Buffer.from('II*\0 not really a tiff');
    assert.equal((await invertDarkPanels(tiff)).image, tiff);
  });
});
