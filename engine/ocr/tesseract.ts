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

/**
 * Starts the language's worker in the background so that the first page a long-lived process
 * (agent, studio) reads does not pay the start-up (seconds: the model is loaded and compiled).
 * Never throws and never delays the caller; resolves with the start-up time, or undefined when
 * the worker could not start (the first real job then reports why).
 */
export function warmOcr(language = 'eng'): Promise<number | undefined> {
  const started = performance.now();
  let pending: Promise<OcrWorker>;
  try {
    pending = workerFor(language);
  } catch {
    return Promise.resolve(undefined);
  }
  return pending.then(
    () => performance.now() - started,
    () => undefined,
  );
}

/** Workers started or starting now (tests). */
export function ocrWorkerCount(): number {
  return workers.size;
}

/** Joins the queue for the language's worker: `ready` once the jobs before are through; call `done` to hand it on. */
function takeTurn(language: string): { ready: Promise<void>; done: () => void } {
  const ready = turns.get(language) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const end = ready.then(() => mine);
  turns.set(language, end);
  return {
    ready,
    done() {
      // A job cancelled while waiting releases at once: whoever queued behind it waits only for the jobs before it.
      release();
      if (turns.get(language) === end) turns.delete(language);
    },
  };
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
  const { signal, settings } = options;
  signal?.throwIfAborted();
  // One cancellation for the whole call: while waiting for the turn it only leaves the queue;
  // once the job has the worker it ends the worker too.
  let running = false;
  let cancel!: (error: CancelledError) => void;
  const cancelled = new Promise<never>((_, reject) => (cancel = reject));
  cancelled.catch(() => undefined);
  const onAbort = (): void => {
    if (running) void stopWorker(language);
    cancel(new CancelledError('OCR cancelled'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const turn = takeTurn(language);
  try {
    await Promise.race([turn.ready, cancelled]);
    running = true;
    const ocr = await Promise.race([workerFor(language), cancelled]);
    ocr.thread?.ref();
    try {
      const key = settingsKey(settings);
      const job = (async () => {
        if (ocr.settings !== key) {
          ocr.settings = undefined; // until the new ones are confirmed
          await ocr.worker.setParameters({
            tessedit_pageseg_mode: settings.pageSegmentation,
            preserve_interword_spaces: settings.preserveInterwordSpaces === true ? '1' : '0',
            user_defined_dpi: String(settings.dpi ?? 0),
          });
          ocr.settings = key;
        }
        return (await ocr.worker.recognize(image, { rotateAuto: options.rotateAuto === true }, options.output)).data;
      })();
      return await Promise.race([job, cancelled]);
    } finally {
      ocr.thread?.unref();
    }
  } catch (error) {
    if (error instanceof RpaError) throw error;
    throw new RpaError(`OCR failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    turn.done();
  }
}
