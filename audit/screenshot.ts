// Failure screenshots sent to the audit server after their run's records (the protocol both
// sides share). The artifact record of the screenshot carries the SHA-256 of the PNG's bytes,
// sealed in the device's hash chain; the server takes only those bytes, for that record.
import { crc32, createInflate } from 'node:zlib';

/** Largest failure screenshot the server takes (a 4K full-screen PNG is 2–8 MiB). */
export const MAX_SCREENSHOT_BYTES = 16 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** More decompressed image data than this (an 8K screen of 16-bit RGBA is 265 MB) is no screenshot. */
const MAX_RAW_BYTES = 512 * 1024 * 1024;

/** Channels per pixel of each PNG colour type, and the bit depths it allows. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Adam7's seven passes: first column and row, then steps across and down. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface PngLayout {
  width: number;
  height: number;
  /** The concatenated IDAT chunks' data: one zlib stream. */
  data: Buffer[];
  /** Bytes that stream must inflate to: each row's filter byte and its pixels, for each pass. */
  rawBytes: number;
}

/** The image's rows as PNG stores them before compression, in bytes. */
function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8)));
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil(Math.max(0, width - x0) / dx), Math.ceil(Math.max(0, height - y0) / dy)), 0);
}

/**
 * Reads the whole PNG's chunk structure: every chunk inside the bytes with the right CRC-32, IHDR
 * first with a valid size, colour type and depth, a palette where one is needed, the image data
 * in one run of IDAT chunks, IEND last and nothing after it. A string says what is wrong.
 */
function pngLayout(bytes: Uint8Array): PngLayout | string {
  if (bytes.length < 33) return `${bytes.length} bytes is too short for a PNG image`;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'it does not start with the PNG signature';
  if (buffer.readUInt32BE(8) !== 13 || buffer.toString('latin1', 12, 16) !== 'IHDR') return 'its first chunk is not a PNG header (IHDR)';
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  if (width === 0 || height === 0) return 'its header gives a width or height of 0';
  const [depth, colourType, compression, filter, interlace] = [24, 25, 26, 27, 28].map((at) => buffer[at]!) as [number, number, number, number, number];
  const colour = COLOUR_TYPES[colourType];
  if (!colour || !colour.depths.includes(depth)) return `its header gives colour type ${colourType} with bit depth ${depth}, which PNG does not have`;
  if (compression !== 0 || filter !== 0 || interlace > 1) return 'its header names a compression, filter or interlace method PNG does not have';
  const data: Buffer[] = [];
  let palette = false;
  let dataEnded = false;
  for (let at = 8; ; ) {
    if (at === buffer.length) return 'it ends without an IEND chunk: the image is cut short';
    if (at + 12 > buffer.length) return `it is cut short at byte ${buffer.length}, inside the chunk starting at byte ${at}`;
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) return `the chunk at byte ${at} has no valid type: the image is damaged`;
    if (length > 0x7fffffff || at + 12 + length > buffer.length) return `it is cut short: its ${type} chunk at byte ${at} holds ${length} bytes, only ${Math.max(0, buffer.length - at - 12)} follow`;
    const crc = buffer.readUInt32BE(at + 8 + length);
    if (crc32(buffer.subarray(at + 4, at + 8 + length)) !== crc) return `its ${type} chunk at byte ${at} fails its CRC-32 check: the image is damaged`;
    const body = buffer.subarray(at + 8, at + 8 + length);
    at += 12 + length;
    if (type === 'IHDR' && at !== 33) return 'it has a second IHDR chunk';
    if (type === 'PLTE') palette = true;
    if (type === 'IDAT') {
      if (dataEnded) return 'its image data (IDAT chunks) is split by another chunk';
      if (colourType === 3 && !palette) return 'it is a palette image with no palette (PLTE) before its data';
      data.push(body);
    } else if (data.length) dataEnded = true;
    if (type === 'IEND') {
      if (!data.length) return 'it has no image data (IDAT chunk)';
      if (at !== buffer.length) return `${buffer.length - at} bytes follow its IEND chunk, which must be last`;
      return { width, height, data, rawBytes: rawSize(width, height, colour.channels * depth, interlace === 1) };
    }
  }
}

/**
 * Why these bytes are not a whole PNG image, or undefined when their structure is one: the
 * signature, a valid header, every chunk complete with a right CRC-32, IEND last (so a cut-off
 * upload is refused). The image data itself is checked by pngProblem.
 */
export function notPngReason(bytes: Uint8Array): string | undefined {
  const layout = pngLayout(bytes);
  return typeof layout === 'string' ? layout : undefined;
}

/**
 * notPngReason, then the image data: it must decompress (zlib) to exactly the rows the header's
 * size needs. Streamed and counted, never held, so a small file claiming a huge image costs little.
 */
export async function pngProblem(bytes: Uint8Array): Promise<string | undefined> {
  const layout = pngLayout(bytes);
  if (typeof layout === 'string') return layout;
  const { width, height, rawBytes } = layout;
  if (rawBytes > MAX_RAW_BYTES) return `its header gives ${width}×${height} pixels (${rawBytes} bytes of image data): larger than any screen`;
  return await new Promise<string | undefined>((resolve) => {
    const inflate = createInflate();
    let total = 0;
    let settled = false;
    const settle = (problem: string | undefined): void => {
      if (settled) return;
      settled = true;
      inflate.destroy();
      resolve(problem);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > rawBytes) settle(`its image data decompresses to more than the ${rawBytes} bytes its ${width}×${height} header needs`);
    });
    inflate.on('error', (error) => settle(`its image data does not decompress (${error.message}): the image is damaged or cut short`));
    inflate.on('end', () => settle(total === rawBytes ? undefined : `its image data decompresses to ${total} bytes, but its ${width}×${height} header needs ${rawBytes}: the image is cut short`));
    for (const part of layout.data) inflate.write(part);
    inflate.end();
  });
}

/** Where a device sends the screenshot of its artifact record `seq` (PUT, image/png), and auditors read it (GET). */
export const screenshotPath = (deviceId: string, seq: number): string => `/v1/devices/${encodeURIComponent(deviceId)}/records/${seq}/screenshot`;
