// The process's tesseract.js workers, one per language, shared by document OCR (engine/documents)
// and screen OCR (engine/desktop): one model in memory — the LSTM "best_int" data of the
// language's @tesseract.js-data package, never fetched from the network — and one start-up
// (~1 s). A worker's settings (page segmentation above all) hold for every job it runs, and the
// two readers need different ones, so jobs take turns: each puts its own settings in force, then
// recognizes, before the next job begins. A worker holds the process open only while a job runs;
// closeOcr() (or Engine.close) ends them.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { onEngineClose } from '../close-hooks.js';
import { CancelledError, RpaError } from '../errors.js';

const require = createRequire(import.meta.url);

/**
 * The settings a job relies on. Each reader names every setting it changes from tesseract's
 * defaults, so the values another reader left behind never leak into its job.
 */
export interface OcrSettings {
  pageSegmentation: Tesseract.PSM;
  /** Keep runs of spaces between words (screen text aligned in columns). Default false. */
  preserveInterwordSpaces?: boolean;
  /** The resolution to assume instead of tesseract's estimate (images upscaled before reading). */
  dpi?: number;
}

interface OcrWorker {
  worker: Tesseract.Worker;
  /** The worker thread tesseract.js runs in (not in its typings). */
  thread: ThreadWorker | undefined;
  /** The settings now in force (as set by the last job), as a key. */
  settings: string | undefined;
}

const workers = new Map<string, Promise<OcrWorker>>();
/** Per language, the end of the queue of jobs waiting for the worker. */
const turns = new Map<string, Promise<void>>();

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
  const worker = await Tesseract.createWorker(language, Tesseract.OEM.LSTM_ONLY, {
    langPath: languageFolder(language),
    gzip: true,
    cacheMethod: 'none',
    // Without a handler tesseract.js rethrows a failed job inside its message listener,
    // which would crash the process; the job's promise rejects either way.
    errorHandler: () => undefined,
  });
  // Tesseract's diagnostics ("Estimating resolution as …") would otherwise land on stdout.
  await worker.setParameters({ debug_file: '/dev/null' });
  const thread = (worker as unknown as { worker?: ThreadWorker }).worker;
  thread?.unref();
  return { worker, thread, settings: undefined };
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

/** Ends every OCR worker of this process (engine close, the desktop recorder, tests). Safe to call at any time. */
export async function closeOcr(): Promise<void> {
  await Promise.all([...workers.keys()].map(stopWorker));
}

/** Workers started or starting now (tests). */
export function ocrWorkerCount(): number {
  return workers.size;
}

/** Waits until the language's worker is free (or the signal aborts); call the result to hand it on. */
async function takeTurn(language: string, signal: AbortSignal | undefined): Promise<() => void> {
  const before = turns.get(language) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const end = before.then(() => mine);
  turns.set(language, end);
  const done = (): void => {
    release();
    if (turns.get(language) === end) turns.delete(language);
  };
  if (!signal) {
    await before;
    return done;
  }
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      before,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new CancelledError('OCR cancelled'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (error) {
    done(); // whoever queued behind this job waits for the one before it, not for this one
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
  return done;
}

const settingsKey = (settings: OcrSettings): string => `${settings.pageSegmentation}|${settings.preserveInterwordSpaces === true ? 1 : 0}|${settings.dpi ?? 0}`;

/**
 * Reads an image (PNG, JPEG, TIFF) with `settings` in force: the page tesseract.js returns, with
 * the outputs asked for. A cancelled job ends the worker (a tesseract job cannot be stopped);
 * the next job starts another.
 */
export async function recognizeImage(
  image: Buffer,
  options: { language?: string; settings: OcrSettings; rotateAuto?: boolean; output: Partial<Tesseract.OutputFormats>; signal?: AbortSignal },
): Promise<Tesseract.Page> {
  const language = options.language ?? 'eng';
  const { signal } = options;
  signal?.throwIfAborted();
  const done = await takeTurn(language, signal);
  let onAbort: (() => void) | undefined;
  try {
    const ocr = await workerFor(language);
    ocr.thread?.ref();
    try {
      const key = settingsKey(options.settings);
      const job = (async () => {
        if (ocr.settings !== key) {
          ocr.settings = undefined; // until the new ones are confirmed
          await ocr.worker.setParameters({
            tessedit_pageseg_mode: options.settings.pageSegmentation,
            preserve_interword_spaces: options.settings.preserveInterwordSpaces === true ? '1' : '0',
            user_defined_dpi: String(options.settings.dpi ?? 0),
          });
          ocr.settings = key;
        }
        return (await ocr.worker.recognize(image, { rotateAuto: options.rotateAuto === true }, options.output)).data;
      })();
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          void stopWorker(language);
          reject(new CancelledError('OCR cancelled'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      return await Promise.race([job, aborted]);
    } finally {
      ocr.thread?.unref();
    }
  } catch (error) {
    if (error instanceof RpaError) throw error;
    throw new RpaError(`OCR failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    done();
  }
}
