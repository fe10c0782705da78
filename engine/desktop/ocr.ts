// OCR of screen pixels: the one place desktop steps reach tesseract, on the process's shared
// worker (engine/ocr/tesseract.ts: the same model as document OCR, from the
// @tesseract.js-data/eng package, never downloaded at run time).
import { PSM } from 'tesseract.js';
import { recognizeImage, type OcrSettings } from '../ocr/tesseract.js';
import { encodePng, type Bitmap, type Rect } from './bitmap.js';
import { loadOpenCv } from './opencv.js';

export { closeOcr } from '../ocr/tesseract.js';

export interface OcrWord {
  text: string;
  /** 0…1 */
  confidence: number;
  /** In the coordinates of the bitmap that was read. */
  box: Rect;
  /** Words with the same line number sit on one text line, in reading order. */
  line: number;
}

export interface OcrResult {
  text: string;
  words: OcrWord[];
}

/** sparse: find scattered words (buttons, labels) for locating; block: read text in reading order. */
export type OcrMode = 'sparse' | 'block';

// Screen text is small and anti-aliased; tesseract reads it far better at twice the size.
const UPSCALE = 2;
const SETTINGS: Record<OcrMode, OcrSettings> = {
  sparse: { pageSegmentation: PSM.SPARSE_TEXT, preserveInterwordSpaces: true, dpi: 300 },
  block: { pageSegmentation: PSM.AUTO, preserveInterwordSpaces: true, dpi: 300 },
};

async function prepare(bitmap: Bitmap): Promise<Buffer> {
  const cv = await loadOpenCv();
  const rgba = cv.matFromImageData({ width: bitmap.width, height: bitmap.height, data: bitmap.data });
  const grey = new cv.Mat();
  const large = new cv.Mat();
  const back = new cv.Mat();
  try {
    cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
    cv.resize(grey, large, new cv.Size(bitmap.width * UPSCALE, bitmap.height * UPSCALE), 0, 0, cv.INTER_CUBIC);
    cv.cvtColor(large, back, cv.COLOR_GRAY2RGBA);
    return encodePng({ width: large.cols, height: large.rows, data: Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength) });
  } finally {
    rgba.delete();
    grey.delete();
    large.delete();
    back.delete();
  }
}

/** Reads the text of a bitmap, with a box for every word. */
export async function recognize(bitmap: Bitmap, mode: OcrMode = 'block'): Promise<OcrResult> {
  if (bitmap.width < 1 || bitmap.height < 1) return { text: '', words: [] };
  const data = await recognizeImage(await prepare(bitmap), { settings: SETTINGS[mode], output: { text: true, blocks: true } });
  const words: OcrWord[] = [];
  let line = 0;
  for (const block of data.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const textLine of paragraph.lines) {
        for (const word of textLine.words) {
          const { x0, y0, x1, y1 } = word.bbox;
          words.push({
            text: word.text,
            confidence: word.confidence / 100,
            box: { x: x0 / UPSCALE, y: y0 / UPSCALE, width: (x1 - x0) / UPSCALE, height: (y1 - y0) / UPSCALE },
            line,
          });
        }
        line++;
      }
    }
  }
  return { text: data.text.trim(), words };
}
