// Featureless areas (an empty text area, a canvas): a click there has no picture, text or label
// to be found by, only the area of one colour around it. The recorder keeps the area's colour
// and bounds; replay looks at the recorded point (or its place scaled with a resized window) and
// accepts it only when the area of that colour there has the recorded bounds — each edge kept
// from a window edge, centred or scaled (resizedSpan) — and is as solid as recorded.
import type { Bitmap, Rect } from './bitmap.js';

/** Channels may differ this much from the area's colour (anti-aliasing, dithering). */
const COLOR_TOLERANCE = 10;
/** An area at least this solid (share of its bounding box in its colour) is one control's background. */
export const AREA_SOLIDITY = 0.9;
/** The recorder keeps an area only this large at least, each way. */
export const AREA_MIN = { width: 80, height: 40 };

export interface FlatArea {
  color: string;
  rect: Rect;
  /** Share of the bounding box in the area's colour. */
  solidity: number;
}

const hex = (value: number): string => value.toString(16).padStart(2, '0');

export function colorAt(pixels: Bitmap, point: { x: number; y: number }): string {
  const at = (Math.round(point.y) * pixels.width + Math.round(point.x)) * 4;
  return `#${hex(pixels.data[at]!)}${hex(pixels.data[at + 1]!)}${hex(pixels.data[at + 2]!)}`;
}

/**
 * The area of one colour (`color`, default the point's own) that holds `point`: every pixel
 * joined to it (4-connected) whose channels are within COLOR_TOLERANCE of that colour. Undefined
 * when the point is outside the picture or not of that colour.
 */
export function flatAreaAt(pixels: Bitmap, point: { x: number; y: number }, color?: string): FlatArea | undefined {
  const x0 = Math.round(point.x);
  const y0 = Math.round(point.y);
  const { width, height, data } = pixels;
  if (x0 < 0 || y0 < 0 || x0 >= width || y0 >= height) return undefined;
  const wanted = color ?? colorAt(pixels, { x: x0, y: y0 });
  const r = parseInt(wanted.slice(1, 3), 16);
  const g = parseInt(wanted.slice(3, 5), 16);
  const b = parseInt(wanted.slice(5, 7), 16);
  const alike = (index: number): boolean => {
    const at = index * 4;
    return Math.abs(data[at]! - r) <= COLOR_TOLERANCE && Math.abs(data[at + 1]! - g) <= COLOR_TOLERANCE && Math.abs(data[at + 2]! - b) <= COLOR_TOLERANCE;
  };
  const start = y0 * width + x0;
  if (!alike(start)) return undefined;
  const seen = new Uint8Array(width * height);
  const stack = [start];
  seen[start] = 1;
  let count = 0;
  let left = x0;
  let right = x0;
  let top = y0;
  let bottom = y0;
  while (stack.length) {
    const index = stack.pop()!;
    count++;
    const x = index % width;
    const y = (index - x) / width;
    if (x < left) left = x;
    if (x > right) right = x;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
    for (const next of [x > 0 ? index - 1 : -1, x < width - 1 ? index + 1 : -1, y > 0 ? index - width : -1, y < height - 1 ? index + width : -1]) {
      if (next >= 0 && !seen[next] && alike(next)) {
        seen[next] = 1;
        stack.push(next);
      }
    }
  }
  const rect = { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
  return { color: wanted, rect, solidity: count / (rect.width * rect.height) };
}
