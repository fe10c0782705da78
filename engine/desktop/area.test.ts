import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bitmap } from './bitmap.js';
import { colorAt, flatAreaAt } from './area.js';

/** A white picture with a black rectangle (and a grey glyph-like dot inside it). */
function picture(width: number, height: number, black: { x: number; y: number; width: number; height: number }): Bitmap {
  const data = Buffer.alloc(width * height * 4, 255);
  for (let y = black.y; y < black.y + black.height; y++) {
    for (let x = black.x; x < black.x + black.width; x++) data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
  }
  for (let y = black.y + 2; y < black.y + 6; y++) for (let x = black.x + 2; x < black.x + 6; x++) data.fill(200, (y * width + x) * 4, (y * width + x) * 4 + 3);
  return { width, height, data };
}

describe('flatAreaAt', () => {
  it('finds the area of one colour around a point, its bounds and how solid it is', () => {
    const pixels = picture(200, 100, { x: 20, y: 10, width: 120, height: 70 });
    assert.equal(colorAt(pixels, { x: 50, y: 50 }), '#000000');
    const area = flatAreaAt(pixels, { x: 50, y: 50 });
    assert.deepEqual(area?.rect, { x: 20, y: 10, width: 120, height: 70 });
    assert.equal(area.color, '#000000');
    assert.ok(area.solidity > 0.99 && area.solidity < 1, `the grey dot is not part of it: ${area.solidity}`);
  });
  it('gives nothing for a point of another colour than the one asked for, or outside the picture', () => {
    const pixels = picture(200, 100, { x: 20, y: 10, width: 120, height: 70 });
    assert.equal(flatAreaAt(pixels, { x: 5, y: 5 }, '#000000'), undefined);
    assert.equal(flatAreaAt(pixels, { x: 500, y: 5 }), undefined);
  });
});
