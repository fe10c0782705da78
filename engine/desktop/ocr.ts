// OCR of screen pixels: the one place desktop steps reach tesseract.js. Language data comes
// from the @tesseract.js-data/eng package (never downloaded at run time).
// TODO(documents): switch to the engine/documents OCR wrapper once it exists, keeping this signature.
import { createRequire } from 'node:module';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import { encodePng, type Bitmap, type Rect } from './bitmap.js';
import { loadOpenCv } from './opencv.js';

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
// The worker takes ~1 s to start; keep it for the next step, but let the process exit when idle.
const IDLE_MS = 1_500;

let worker: Promise<Worker> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let busy = 0;

function englishData(): { langPath: string; gzip: boolean } {
  return createRequire(import.meta.url)('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
}

function getWorker(): Promise<Worker> {
  clearTimeout(idleTimer);
  worker ??= (() => {
    const { langPath, gzip } = englishData();
    return createWorker('eng', 1, { langPath, gzip, cacheMethod: 'none' });
  })();
  return worker;
}

function scheduleIdleStop(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopOcr(), IDLE_MS);
}

/** Ends the OCR worker now (it is started again on the next read). */
export async function stopOcr(): Promise<void> {
  clearTimeout(idleTimer);
  const current = worker;
  worker = undefined;
  if (current) await (await current).terminate();
}

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
  busy++;
  try {
    const image = await prepare(bitmap);
    const tesseract = await getWorker();
    await tesseract.setParameters({ tessedit_pageseg_mode: mode === 'sparse' ? PSM.SPARSE_TEXT : PSM.AUTO, preserve_interword_spaces: '1', user_defined_dpi: '300' });
    const { data } = await tesseract.recognize(image, {}, { text: true, blocks: true });
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
  } finally {
    if (--busy === 0) scheduleIdleStop();
  }
}
