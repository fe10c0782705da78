// OCR with tesseract.js, fully offline: language data comes from the @tesseract.js-data/<lang>
// npm packages, never from the network. One worker per language per process, created on first
// use and reused; it holds the process open only while a job runs, and closeOcr() ends it.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { onEngineClose } from '../close-hooks.js';
import { CancelledError, RpaError } from '../errors.js';
import type { TextLine } from '../extract/types.js';
import { rowsOf, splitAtGaps, type TextPiece } from './layout.js';

const require = createRequire(import.meta.url);

interface OcrWorker {
  worker: Tesseract.Worker;
  /** The worker thread tesseract.js runs in (not in its typings). */
  thread: ThreadWorker | undefined;
  jobs: number;
}

const workers = new Map<string, Promise<OcrWorker>>();

/** Folder holding <lang>.traineddata.gz: the LSTM ("best_int") model of the language's npm package. */
function languageFolder(language: string): string {
  if (!/^[a-z]{3}(?:_[a-z]+)?$/.test(language)) throw new RpaError(`OCR language "${language}" is not a tesseract language code such as eng, deu or chi_sim`);
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${language}/package.json`);
  } catch {
    throw new RpaError(`OCR language "${language}" is not installed: add the npm package @tesseract.js-data/${language}`, { language });
  }
  return path.join(path.dirname(packageJson), '4.0.0_best_int');
}

async function startWorker(language: string): Promise<OcrWorker> {
  const langPath = languageFolder(language);
  const worker = await Tesseract.createWorker(language, Tesseract.OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    // Without a handler tesseract.js rethrows a failed job inside its message listener,
    // which would crash the process; the job's promise rejects either way.
    errorHandler: () => undefined,
  });
  // Single-column segmentation: the default page layout analysis sometimes drops a bordered
  // table (a claim form's fields) whole, and sparse-text mode loses light-on-dark text; on the
  // generated corpus this mode reads both (bench/extraction). Tesseract's diagnostics
  // ("Estimating resolution as …") would otherwise land on stdout.
  await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.SINGLE_COLUMN, debug_file: '/dev/null' });
  const thread = (worker as unknown as { worker?: ThreadWorker }).worker;
  thread?.unref();
  return { worker, thread, jobs: 0 };
}

function workerFor(language: string): Promise<OcrWorker> {
  let started = workers.get(language);
  if (!started) {
    if (workers.size === 0) onEngineClose(closeOcr);
    started = startWorker(language);
    workers.set(language, started);
    started.catch(() => workers.delete(language));
  }
  return started;
}

async function stopWorker(language: string): Promise<void> {
  const started = workers.get(language);
  workers.delete(language);
  const ocr = await started?.catch(() => undefined);
  await ocr?.worker.terminate().catch(() => undefined);
}

/** Ends every OCR worker of this process (engine close, tests). Safe to call at any time. */
export async function closeOcr(): Promise<void> {
  await Promise.all([...workers.keys()].map(stopWorker));
}

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
  const language = options.language ?? 'eng';
  const scale = options.scale ?? 1;
  options.signal?.throwIfAborted();
  const ocr = await workerFor(language);
  ocr.jobs++;
  ocr.thread?.ref();
  let onAbort: (() => void) | undefined;
  try {
    const job = ocr.worker.recognize(image, { rotateAuto: true }, { blocks: true, text: false });
    // A tesseract job cannot be stopped: on cancel the worker is ended and the next use starts another.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        void stopWorker(language);
        reject(new CancelledError('OCR cancelled'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const { data } = await Promise.race([job, aborted]);
    const words = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    // Tesseract's own lines, split at column gaps, keep their order top to bottom.
    const lines = rowsOf(words.flatMap((line) => splitAtGaps(toPieces(line.words, scale)))).flat();
    const all = words.flatMap((line) => line.words);
    const confidence = all.length ? all.reduce((sum, w) => sum + w.confidence, 0) / all.length / 100 : 0;
    return { lines, confidence };
  } catch (error) {
    if (error instanceof RpaError) throw error;
    throw new RpaError(`OCR failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    if (--ocr.jobs === 0) ocr.thread?.unref();
  }
}
