// Finds a desktop target on screen: its candidates in order (image → template match,
// text → OCR, offset → coordinates), within its window when one is named, polling until the
// step's time runs out. When nothing matches, the error names the best score of every candidate.
import { LocatorNotFoundError, RpaError } from '../errors.js';
import type { DesktopTarget } from '../format/schema.js';
import { describeCandidate, describeDesktopTarget } from './describe.js';
import { abortableSleep } from '../runner/timing.js';
import { center, readPng, type Bitmap, type Rect } from './bitmap.js';
import { captureScreen, type Point } from './control.js';
import { findText, type TextSearch } from './find-text.js';
import { DEFAULT_SCALES, matchImage, type ImageMatch } from './match-image.js';
import { recognize, type OcrWord } from './ocr.js';
import { findWindows, type DesktopWindow } from './windows.js';

export const DEFAULT_IMAGE_CONFIDENCE = 0.9;
const POLL_MS = 250;

export interface DesktopMatch {
  point: Point;
  /** Screen rectangle of what matched (a 1×1 box for coordinates). */
  rect: Rect;
  /** Index of the candidate that matched. */
  index: number;
  /** e.g. `image "save.png" 0.97` */
  via: string;
  window?: DesktopWindow;
}


/** What the last look found, per candidate; turned into the not-found message. */
interface Attempt {
  windowMissing?: boolean;
  images: Map<number, ImageMatch | undefined>;
  texts: Map<number, TextSearch>;
}

export interface LocateOptions {
  /** Resolves image paths (relative to the automation file). */
  resolvePath(file: string): string;
  timeoutMs: number;
  signal: AbortSignal;
}

const templates = new Map<string, Promise<Bitmap>>();

function loadTemplate(file: string): Promise<Bitmap> {
  let loading = templates.get(file);
  if (!loading) {
    loading = readPng(file).catch((error: NodeJS.ErrnoException) => {
      templates.delete(file);
      throw new RpaError(`cannot read the image target ${file}: ${error.code === 'ENOENT' ? 'file not found' : error.message}`);
    });
    templates.set(file, loading);
  }
  return loading;
}

/** One look at the screen: the first candidate that matches now, or undefined. */
async function lookOnce(target: DesktopTarget, options: LocateOptions, attempt: Attempt): Promise<DesktopMatch | undefined> {
  let window: DesktopWindow | undefined;
  if (target.window) {
    window = (await findWindows(target.window))[0];
    attempt.windowMissing = !window;
    if (!window) return undefined;
  }
  const area: Rect | undefined = window?.rect;
  let haystack: Bitmap | undefined;
  let words: OcrWord[] | undefined;
  const origin = { x: area?.x ?? 0, y: area?.y ?? 0 };
  const toScreen = (rect: Rect): Rect => ({ x: rect.x + origin.x, y: rect.y + origin.y, width: rect.width, height: rect.height });
  for (const [index, candidate] of target.candidates.entries()) {
    if ('offset' in candidate) {
      const point = { x: Math.round(origin.x + candidate.offset.x), y: Math.round(origin.y + candidate.offset.y) };
      return { point, rect: { ...point, width: 1, height: 1 }, index, via: describeCandidate(candidate), ...(window ? { window } : {}) };
    }
    haystack ??= area ? await captureScreen(area) : await captureScreen();
    if ('image' in candidate) {
      const template = await loadTemplate(options.resolvePath(candidate.image));
      const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
      const found = await matchImage(haystack, template, candidate.scales ?? DEFAULT_SCALES, needed);
      attempt.images.set(index, found);
      if (found && found.score >= needed) {
        const rect = toScreen(found.rect);
        return { point: center(rect), rect, index, via: `${describeCandidate(candidate)} ${found.score.toFixed(2)}`, ...(window ? { window } : {}) };
      }
    } else {
      words ??= (await recognize(haystack, 'sparse')).words;
      const search = findText(words, candidate);
      attempt.texts.set(index, search);
      if (search.match) {
        const rect = toScreen(search.match.rect);
        return { point: center(rect), rect, index, via: `${describeCandidate(candidate)} (OCR ${search.match.confidence.toFixed(2)})`, ...(window ? { window } : {}) };
      }
    }
  }
  return undefined;
}

function explain(target: DesktopTarget, attempt: Attempt): { lines: string[]; candidates: Array<Record<string, unknown>> } {
  if (attempt.windowMissing) return { lines: [`no visible window has a title matching "${target.window}"`], candidates: [] };
  const lines: string[] = [];
  const candidates: Array<Record<string, unknown>> = [];
  target.candidates.forEach((candidate, index) => {
    const name = describeCandidate(candidate);
    if ('image' in candidate) {
      const found = attempt.images.get(index);
      const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
      lines.push(found ? `${name}: best score ${found.score.toFixed(3)} (needs ${needed}) at (${found.rect.x}, ${found.rect.y}), scale ${found.scale}` : `${name}: larger than the search area`);
      candidates.push({ candidate: name, bestScore: found ? Number(found.score.toFixed(3)) : 0, needed });
    } else if ('text' in candidate) {
      const closest = attempt.texts.get(index)?.closest;
      lines.push(closest ? `${name}: closest text on screen "${closest.text}" (similarity ${closest.similarity.toFixed(2)}, OCR confidence ${closest.confidence.toFixed(2)})` : `${name}: no text found on screen`);
      candidates.push({ candidate: name, bestScore: closest ? Number(closest.similarity.toFixed(3)) : 0, ...(closest ? { closestText: closest.text } : {}) });
    }
  });
  return { lines, candidates };
}

/** Polls until a candidate matches; throws LocatorNotFoundError naming each candidate's best score. */
export async function locateDesktopTarget(target: DesktopTarget, options: LocateOptions): Promise<DesktopMatch> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const attempt: Attempt = { images: new Map(), texts: new Map() };
    const match = await lookOnce(target, options, attempt);
    if (match) return match;
    if (Date.now() + POLL_MS >= deadline) {
      const { lines, candidates } = explain(target, attempt);
      throw new LocatorNotFoundError(`desktop target ${describeDesktopTarget(target)} not found within ${options.timeoutMs} ms:\n  ${lines.join('\n  ')}`, {
        target: describeDesktopTarget(target),
        candidates,
      });
    }
    await abortableSleep(POLL_MS, options.signal);
  }
}

/** Polls until no image or text candidate matches (coordinates cannot disappear). */
export async function waitUntilGone(target: DesktopTarget, options: LocateOptions): Promise<void> {
  const visible = { ...target, candidates: target.candidates.filter((candidate) => !('offset' in candidate)) };
  if (!visible.candidates.length) throw new RpaError(`${describeDesktopTarget(target)} has only coordinates, which cannot disappear; add an image or text candidate`);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const match = await lookOnce(visible, options, { images: new Map(), texts: new Map() });
    if (!match) return;
    if (Date.now() + POLL_MS >= deadline) {
      throw new RpaError(`waited ${options.timeoutMs} ms for ${describeDesktopTarget(target)} to disappear; it is still there (${match.via} at ${match.point.x}, ${match.point.y})`);
    }
    await abortableSleep(POLL_MS, options.signal);
  }
}
