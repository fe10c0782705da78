// OCR of documents (scans, images, rendered PDF pages) into text lines, fully offline, on the
// process's shared tesseract.js worker (engine/ocr/tesseract.ts).
import type Tesseract from 'tesseract.js';
import { PSM } from 'tesseract.js';
import { recognizeImage, type OcrSettings } from '../ocr/tesseract.js';
import type { TextLine } from '../extract/types.js';
import { rowsOf, splitAtGaps, type TextPiece } from './layout.js';

export { closeOcr } from '../ocr/tesseract.js';

// Single-column segmentation: the default page layout analysis sometimes drops a bordered table
// (a claim form's fields) whole, and sparse-text mode loses light-on-dark text; on the generated
// corpus this mode reads both (bench/extraction).
const DOCUMENT: OcrSettings = { pageSegmentation: PSM.SINGLE_COLUMN };

export interface OcrResult {
  lines: TextLine[];
  /** Mean word confidence, 0..1. */
  confidence: number;
}

function toPieces(words: Tesseract.Word[], scale: number): TextPiece[] {
  return words
    .filter((w) => w.text.trim() !== '')
    .map((w) => ({
      text: w.text,
      box: { x: w.bbox.x0 / scale, y: w.bbox.y0 / scale, width: (w.bbox.x1 - w.bbox.x0) / scale, height: (w.bbox.y1 - w.bbox.y0) / scale },
      confidence: Math.max(0, Math.min(1, w.confidence / 100)),
    }));
}

/**
 * Reads the text of a PNG, JPEG or TIFF image. Boxes are divided by `scale`, so a page
 * rendered at 2× comes back in the page's own units. Straightens slightly rotated scans first.
 */
export async function ocrImage(image: Buffer, options: { language?: string; scale?: number; signal?: AbortSignal } = {}): Promise<OcrResult> {
  const scale = options.scale ?? 1;
  const data = await recognizeImage(image, { language: options.language, settings: DOCUMENT, rotateAuto: true, output: { blocks: true, text: false }, signal: options.signal });
  const words = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
  // Tesseract's own lines, split at column gaps, keep their order top to bottom.
  const lines = rowsOf(words.flatMap((line) => splitAtGaps(toPieces(line.words, scale)))).flat();
  const all = words.flatMap((line) => line.words);
  const confidence = all.length ? all.reduce((sum, w) => sum + w.confidence, 0) / all.length / 100 : 0;
  return { lines, confidence };
}
