import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crop, type Bitmap } from './bitmap.js';
import { matchImage, runnerUpScore } from './match-image.js';

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
