// The PNG check both the robot (before sending) and the audit server (before storing) run on a
// failure screenshot: the whole file, not just its header, so a cut-off or damaged one is refused.
import assert from 'node:assert/strict';
import { crc32, deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { notPngReason, pngProblem } from './screenshot.js';

function png(width: number, height: number, options: { interlace?: boolean; colorType?: 0 | 2 | 6 } = {}): Buffer {
  const image = new PNG({ width, height, colorType: options.colorType ?? 6 });
  for (let i = 0; i < width * height; i++) image.data.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, 255], i * 4);
  return PNG.sync.write(image, { colorType: options.colorType ?? 6 });
}

/** A chunk with its length and a right CRC-32. */
function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** A PNG built chunk by chunk: 4×2 RGBA, with `rows` as its (uncompressed) image data. */
function handmade(rows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('PNG check of failure screenshots', { timeout: 30_000 }, () => {
  it('takes whole PNGs: RGBA, RGB, grey, interlaced', async () => {
    for (const image of [png(64, 40), png(3, 5, { colorType: 2 }), png(17, 9, { colorType: 0 }), handmade(Buffer.alloc(2 * (1 + 16)))]) {
      assert.equal(notPngReason(image), undefined);
      assert.equal(await pngProblem(image), undefined);
    }
    // pngjs writes no interlaced images: an Adam7 one of 13×7 RGBA built by hand, pass by pass
    // (width × height of each of the seven sub-images); pngjs's own decoder reads it.
    const passes: Array<[number, number]> = [[2, 1], [2, 1], [4, 1], [3, 2], [7, 2], [6, 4], [13, 3]];
    const raw = Buffer.concat(passes.map(([w, h]) => Buffer.alloc(h * (1 + w * 4))));
    const header = Buffer.alloc(13);
    header.writeUInt32BE(13, 0);
    header.writeUInt32BE(7, 4);
    header.set([8, 6, 0, 0, 1], 8);
    const adam7 = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    assert.equal(PNG.sync.read(adam7).width, 13, 'a valid interlaced PNG');
    assert.equal(await pngProblem(adam7), undefined);
    const cutPass = Buffer.concat([adam7.subarray(0, 33), chunk('IDAT', deflateSync(raw.subarray(0, raw.length - 53))), chunk('IEND', Buffer.alloc(0))]);
    assert.match((await pngProblem(cutPass)) ?? '', /decompresses to 325 bytes, but its 13×7 header needs 378/);
  });

  it('refuses a PNG cut short anywhere, with where it ends', async () => {
    const image = png(64, 40);
    for (const keep of [40, Math.floor(image.length / 2), image.length - 12, image.length - 1]) {
      const cut = image.subarray(0, keep);
      const reason = notPngReason(cut);
      assert.ok(reason, `cut at ${keep} of ${image.length}`);
      assert.match(reason, /cut short/, reason);
      assert.equal(await pngProblem(cut), reason);
    }
  });

  it('refuses a damaged chunk (CRC-32), bytes after IEND, and image data that does not fill the header’s size', async () => {
    const image = png(64, 40);
    const damaged = Buffer.from(image);
    damaged[image.length - 30] = damaged[image.length - 30]! ^ 0x01;
    assert.match(notPngReason(damaged) ?? '', /IDAT chunk at byte \d+ fails its CRC-32 check: the image is damaged/);
    assert.match(notPngReason(Buffer.concat([image, Buffer.from('trailing')])) ?? '', /^8 bytes follow its IEND chunk/);
    // Every chunk whole and its CRC right, but one row's worth of pixels short: only decompressing tells.
    const short = handmade(Buffer.alloc(1 * (1 + 16)));
    assert.equal(notPngReason(short), undefined);
    assert.equal(await pngProblem(short), 'its image data decompresses to 17 bytes, but its 4×2 header needs 34: the image is cut short');
    const notZlib = Buffer.concat([short.subarray(0, 33), chunk('IDAT', Buffer.from('not a zlib stream at all')), chunk('IEND', Buffer.alloc(0))]);
    assert.match((await pngProblem(notZlib)) ?? '', /^its image data does not decompress \(.+\): the image is damaged or cut short$/);
    const tooMuch = handmade(Buffer.alloc(5 * (1 + 16)));
    assert.match((await pngProblem(tooMuch)) ?? '', /decompresses to more than the 34 bytes its 4×2 header needs/);
  });

  it('refuses a header claiming a screen no robot has, without decompressing anything', async () => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(100_000, 0);
    header.writeUInt32BE(100_000, 4);
    header.set([8, 6, 0, 0, 0], 8);
    const huge = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(10))), chunk('IEND', Buffer.alloc(0))]);
    assert.match((await pngProblem(huge)) ?? '', /^its header gives 100000×100000 pixels .*: larger than any screen$/);
  });
});
