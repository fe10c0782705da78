// Text of a captured image (read.screen: a page, element or region screenshot): OCR on the
// image enlarged 2× — screen text is small for OCR — with boxes brought back to CSS pixels and
// moved by `origin`, so they are in the page's viewport coordinates.
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { DocumentText } from '../extract/types.js';
import { pageText } from './layout.js';
import { ocrImage } from './ocr.js';

const UPSCALE = 2;

export async function readImageText(png: Buffer, options: { origin?: { x: number; y: number }; language?: string; signal?: AbortSignal } = {}): Promise<DocumentText> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width * UPSCALE, image.height * UPSCALE);
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const { lines } = await ocrImage(await canvas.encode('png'), { language: options.language, scale: UPSCALE, signal: options.signal });
  const { x = 0, y = 0 } = options.origin ?? {};
  const moved = lines.map((line) => ({ ...line, box: { ...line.box, x: line.box.x + x, y: line.box.y + y } }));
  const text = pageText(moved);
  return { method: 'ocr', text, pages: [{ number: 1, width: image.width, height: image.height, text, lines: moved, method: 'ocr' }] };
}
