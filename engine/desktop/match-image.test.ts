import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crop, type Bitmap } from './bitmap.js';
import { changedFraction, findImage, matchImage, runnerUpScore } from './match-image.js';

/** A deterministic textured image: template matching needs variance. */
function texture(width: number, height: number, seed: number): Bitmap {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    // An integer hash of the pixel index: no repeats, unlike a plain LCG's low bytes.
    let hash = Math.imul((i >>> 2) ^ seed, 2654435761);
    hash = Math.imul(hash ^ (hash >>> 15), 2246822519);
    hash ^= hash >>> 13;
    data[i] = data[i + 1] = data[i + 2] = hash >>> 24;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

describe('matchImage', () => {
  it('finds a crop at its place with a score near 1', async () => {
    const screen = texture(400, 300, 7);
    const found = await matchImage(screen, crop(screen, { x: 120, y: 80, width: 50, height: 30 }), [1], 0.9);
    assert.ok(found && found.score > 0.99);
    assert.deepEqual(found.rect, { x: 120, y: 80, width: 50, height: 30 });
  });
  it('scores an image that is not there low, and says how ambiguous a crop is', async () => {
    const screen = texture(400, 300, 7);
    const found = await matchImage(screen, texture(50, 30, 99), [1, 0.9], 0.9);
    assert.ok(found && found.score < 0.5, `score ${found?.score}`);
    assert.ok((await runnerUpScore(screen, crop(screen, { x: 10, y: 10, width: 40, height: 40 }))) < 0.5);
  });
});

/** `screen` with `patch` painted at each of `places` (a new picture; the original is left as it was). */
function paint(screen: Bitmap, patch: Bitmap, places: Array<{ x: number; y: number }>): Bitmap {
  const data = Buffer.from(screen.data);
  for (const { x, y } of places) {
    for (let row = 0; row < patch.height; row++) patch.data.copy(data, ((y + row) * screen.width + x) * 4, row * patch.width * 4, (row + 1) * patch.width * 4);
  }
  return { width: screen.width, height: screen.height, data };
}

describe('findImage', () => {
  // Sizes that take each path: full resolution only (< 24 px), the half-resolution pass, the quarter one (≥ 48 px).
  for (const [width, height] of [[30, 16], [60, 30], [120, 64]] as const) {
    it(`finds a ${width}×${height} crop at odd coordinates exactly, and calls it unique`, async () => {
      const screen = texture(900, 500, 11);
      const place = { x: 333, y: 211, width, height };
      const found = await findImage(screen, crop(screen, place), { scales: [1], goodEnough: 0.9, margin: 0.1 });
      assert.deepEqual(found.best?.rect, place);
      assert.ok(found.best.score > 0.99);
      assert.equal(found.places.length, 1, JSON.stringify(found.places));
    });
    it(`names every place of a ${width}×${height} patch painted twice (even and odd offsets): ambiguous`, async () => {
      const patch = texture(width, height, 5);
      const screen = paint(texture(900, 500, 12), patch, [{ x: 100, y: 80 }, { x: 601, y: 313 }]);
      const found = await findImage(screen, patch, { scales: [1], goodEnough: 0.9, margin: 0.1 });
      assert.deepEqual(found.places.map((place) => [place.rect.x, place.rect.y]).sort((a, b) => a[0]! - b[0]!), [[100, 80], [601, 313]]);
    });
  }
  it('finds a template recorded at another scale, and says which', async () => {
    // Blocks of 4×4 pixels: a picture with some smoothness, as screens have, survives resampling.
    const fine = texture(25, 13, 8);
    const patch = { width: 100, height: 50, data: Buffer.alloc(100 * 50 * 4) };
    for (let y = 0; y < 50; y++) for (let x = 0; x < 100; x++) fine.data.copy(patch.data, (y * 100 + x) * 4, (Math.floor(y / 4) * 25 + Math.floor(x / 4)) * 4, (Math.floor(y / 4) * 25 + Math.floor(x / 4)) * 4 + 4);
    // The screen shows the patch 0.8 times its size (as at another DPI).
    const small = { width: 80, height: 40, data: Buffer.alloc(80 * 40 * 4) };
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) patch.data.copy(small.data, (y * 80 + x) * 4, (Math.floor(y / 0.8) * 100 + Math.floor(x / 0.8)) * 4, (Math.floor(y / 0.8) * 100 + Math.floor(x / 0.8)) * 4 + 4);
    const screen = paint(texture(600, 400, 13), small, [{ x: 250, y: 150 }]);
    const found = await findImage(screen, patch, { scales: [1, 0.9, 0.8], goodEnough: 0.7 });
    assert.equal(found.best?.scale, 0.8);
    assert.ok(Math.abs(found.best.rect.x - 250) <= 2 && Math.abs(found.best.rect.y - 150) <= 2, JSON.stringify(found.best));
    assert.equal(found.places.length, 1);
  });
  it('returns the best score, and no places, for an image that is not there', async () => {
    const found = await findImage(texture(600, 400, 14), texture(60, 40, 15), { goodEnough: 0.9 });
    assert.ok(found.best && found.best.score < 0.5, JSON.stringify(found.best));
    assert.deepEqual(found.places, []);
  });
});

describe('changedFraction', () => {
  it('is the share of pixels that differ between two pictures of the same size', async () => {
    const before = texture(100, 50, 3);
    assert.equal(await changedFraction(before, before), 0);
    const after = { ...before, data: Buffer.from(before.data) };
    // Paint the left fifth white: a fifth of the pixels change (those that were not near-white).
    for (let row = 0; row < 50; row++) after.data.fill(255, row * 400, row * 400 + 80);
    const changed = await changedFraction(before, after);
    assert.ok(changed > 0.15 && changed <= 0.2, `changed ${changed}`);
    assert.ok((await changedFraction(before, texture(100, 50, 4))) > 0.7, 'a different picture changed almost everywhere');
  });
});
