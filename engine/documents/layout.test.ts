import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linesFromPieces, pageText, rowsOf } from './layout.js';

const piece = (text: string, x: number, y: number, width: number, height = 10, confidence = 1) => ({ text, box: { x, y, width, height }, confidence });

describe('layout', () => {
  it('joins pieces on a row, splits them at wide gaps, and keeps the lowest confidence', () => {
    const lines = linesFromPieces([piece('Invoice', 10, 20, 35), piece('No.:', 47, 21, 18, 10, 0.7), piece('INV-1', 120, 20, 30), piece('From', 10, 0, 20)]);
    assert.deepEqual(
      lines.map((l) => [l.text, l.box, l.confidence]),
      [
        ['From', { x: 10, y: 0, width: 20, height: 10 }, 1],
        ['Invoice No.:', { x: 10, y: 20, width: 55, height: 11 }, 0.7],
        ['INV-1', { x: 120, y: 20, width: 30, height: 10 }, 1],
      ],
    );
  });

  it('glues touching pieces without a space and drops blank ones', () => {
    const lines = linesFromPieces([piece('12', 10, 0, 10), piece('.50', 20.5, 0, 12), piece('  ', 40, 0, 5)]);
    assert.deepEqual(lines.map((l) => l.text), ['12.50']);
  });

  it('puts one row per line of page text, cells two spaces apart', () => {
    const lines = linesFromPieces([piece('Total', 10, 50, 25), piece('$5.00', 200, 51, 25), piece('Header', 10, 0, 30)]);
    assert.equal(pageText(lines), 'Header\nTotal  $5.00');
    assert.equal(rowsOf(lines).length, 2);
  });

  it('keeps a word in small capitals whole: a big capital and its small letters on one baseline, beside smaller text a little higher', () => {
    // As a PDF of "font-variant: small-caps" gives them: "K" at 15 pt, "RANICH" at 10.5 pt on the same baseline (57),
    // and an address line in small type at the right whose middle is near the capital's.
    const lines = linesFromPieces([
      piece('Suite 210, Kingsgate House', 430.8, 44.4, 117, 8.2), piece('K', 48, 45, 11.2, 15), piece('RANICH', 59.2, 48.6, 46, 10.5),
      piece('B', 110, 45, 11, 15), piece('ÜROTECHNIK', 121, 48.6, 78, 10.5), piece('Glasgow G2 4JR', 480, 57, 68, 8.2),
    ]);
    assert.ok(lines.some((l) => l.text === 'KRANICH BÜROTECHNIK'), JSON.stringify(lines.map((l) => l.text)));
    assert.ok(lines.some((l) => l.text === 'Suite 210, Kingsgate House'));
  });
});
