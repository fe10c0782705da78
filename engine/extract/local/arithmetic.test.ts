// The page's arithmetic on its own (issue #17): which column of amounts is the line items.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invoiceArithmetic } from './arithmetic.js';
import type { PlacedLine } from './geometry.js';

const right = (text: string, y: number, index: number): PlacedLine => ({ text, box: { x: 545 - text.length * 6, y, width: text.length * 6, height: 9 }, confidence: 1, page: 1, index, ocr: false });

describe('invoice arithmetic', { timeout: 10_000 }, () => {
  it('takes no subtotal for a line item: an amount that is the sum of the run right above it starts no run of items', () => {
    const lines = [right('2 922,12', 137, 0), right('4 581,36', 154, 1), right('7 503,48', 181, 2), right('750,35', 196, 3), right('8 253,83', 211, 4)];
    assert.deepEqual(invoiceArithmetic(lines)?.items.map((a) => a.value), [2922.12, 4581.36]);
    // With the item rows ruled out (another field's label shares them), the subtotal and its tax — which
    // also add up to the total — are no reading: the page is left undecided.
    const itemRows = new Set([lines[0], lines[1]]);
    assert.equal(invoiceArithmetic(lines, (l) => itemRows.has(l)), undefined);
  });

  it('takes the items of both parts of a printout split over two pages, not the sum carried and brought forward for an item', () => {
    const lines = [right('9.342,84', 150, 0), right('6.712,20', 165, 1), right('16.055,04', 200, 2), right('16.055,04', 320, 3), right('2.569,60', 340, 4), right('976,68', 355, 5), right('19.601,32', 390, 6), right('3.724,25', 405, 7), right('23.325,57', 420, 8)];
    const found = invoiceArithmetic(lines);
    assert.deepEqual(found?.items.map((a) => a.value), [9342.84, 6712.2, 2569.6, 976.68]);
    assert.equal(found?.subtotal.value, 19601.32);
    assert.equal(found?.total?.value, 23325.57);
  });
});
