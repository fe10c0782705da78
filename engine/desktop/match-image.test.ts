import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crop, type Bitmap } from './bitmap.js';
import { changedFraction, matchImage, runnerUpScore } from './match-image.js';

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
