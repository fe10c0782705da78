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

/**
 * The smallest rectangle holding every pixel whose channels differ by more than `tolerance`
 * between two pictures of the same size, or undefined when none does (or the sizes differ).
 */
export function changedBox(a: Bitmap, b: Bitmap, tolerance = 24): Rect | undefined {
  if (a.width !== b.width || a.height !== b.height) return undefined;
  let left = a.width;
  let top = a.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const at = (y * a.width + x) * 4;
      if (Math.abs(a.data[at]! - b.data[at]!) > tolerance || Math.abs(a.data[at + 1]! - b.data[at + 1]!) > tolerance || Math.abs(a.data[at + 2]! - b.data[at + 2]!) > tolerance) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return right < 0 ? undefined : { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/** The smallest rectangle holding both. */
export function unionRect(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** True when the two rectangles share at least one pixel. */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Paints a rectangle of the picture (clipped to it) solid black, in place. */
export function paintOver(bitmap: Bitmap, rect: Rect): void {
  const area = clampRect(rect, bitmap.width, bitmap.height);
  for (let row = 0; row < area.height; row++) {
    const from = ((area.y + row) * bitmap.width + area.x) * 4;
    for (let at = from; at < from + area.width * 4; at += 4) {
      bitmap.data[at] = 0;
      bitmap.data[at + 1] = 0;
      bitmap.data[at + 2] = 0;
      bitmap.data[at + 3] = 255;
    }
  }
}
