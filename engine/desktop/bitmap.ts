// RGBA pixel buffers: what screen captures, image targets and OCR regions are passed around as.
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

/** Top-left based rectangle in screen pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Bitmap {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, rows top to bottom. */
  data: Buffer;
}

export async function readPng(file: string): Promise<Bitmap> {
  const png = PNG.sync.read(await readFile(file));
  return { width: png.width, height: png.height, data: png.data };
}

export function encodePng(bitmap: Bitmap): Buffer {
  const png = new PNG({ width: bitmap.width, height: bitmap.height });
  bitmap.data.copy(png.data, 0, 0, bitmap.width * bitmap.height * 4);
  // One filter and light compression: 5× faster than pngjs's defaults on a full screen, still small.
  return PNG.sync.write(png, { deflateLevel: 3, filterType: 1 });
}

/** The part of `rect` that lies inside a width×height area (may be empty). */
export function clampRect(rect: Rect, width: number, height: number): Rect {
  const x = Math.max(0, Math.min(width, Math.round(rect.x)));
  const y = Math.max(0, Math.min(height, Math.round(rect.y)));
  const right = Math.max(x, Math.min(width, Math.round(rect.x + rect.width)));
  const bottom = Math.max(y, Math.min(height, Math.round(rect.y + rect.height)));
  return { x, y, width: right - x, height: bottom - y };
}

export function crop(bitmap: Bitmap, rect: Rect): Bitmap {
  const area = clampRect(rect, bitmap.width, bitmap.height);
  const data = Buffer.alloc(area.width * area.height * 4);
  for (let row = 0; row < area.height; row++) {
    const from = ((area.y + row) * bitmap.width + area.x) * 4;
    bitmap.data.copy(data, row * area.width * 4, from, from + area.width * 4);
  }
  return { width: area.width, height: area.height, data };
}

export function center(rect: Rect): { x: number; y: number } {
  return { x: Math.round(rect.x + rect.width / 2), y: Math.round(rect.y + rect.height / 2) };
}
