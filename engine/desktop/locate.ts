// Finds a desktop target on screen: its candidates in order (a11y → the platform's accessibility
// API, image → template match, text → OCR, offset → coordinates), within its window when one is named, polling until the
// step's time runs out. When nothing matches, the error names the best score of every candidate.
//
// A match must be unique and where it was recorded: an image that two places match about equally
// (identical empty entries) fails the step naming both, never acts; while the window has its
// recorded size, only a match at the recorded position counts. Coordinates are used as a fallback
// only when that is safe: the window has its recorded size and the recorded image still looks
// alike at the point.
//
// A match that a place or a look decided (an image at its recorded place, an area, coordinates)
// must agree with what tells the control itself — its accessible name, its place among
// look-alikes ("the 1st of 3 entries"), the label beside it — when the target has any: an entry
// inserted above the recorded one leaves another entry that looks the same at the recorded place
// of a window of the recorded size. A disagreement, or a window whose structure changed, fails the
// step naming both, never acts.
//
// An accessibility selector must match exactly one control: several fail the step naming them,
// never act; none falls to the next candidate, and then coordinates are not trusted when the
// window is accessible but holds no such control (they would click something else).
import { AmbiguousLocatorError, LocatorNotFoundError, RpaError } from '../errors.js';
import type { DesktopCandidate, DesktopTarget } from '../format/schema.js';
import { describeCandidate, describeDesktopTarget } from './describe.js';
import { findAccessible, type A11yHit, type A11ySearch } from './a11y/find.js';
import { describeElement } from './a11y/match.js';
import { abortableSleep } from '../runner/timing.js';
import { center, readPng, type Bitmap, type Rect } from './bitmap.js';
import { captureScreen, type Point } from './control.js';
import { findTextAll, type TextMatch, type TextSearch } from './find-text.js';
import { AREA_SOLIDITY, colorAt, flatAreaAt } from './area.js';
import { changedFraction, DEFAULT_SCALES, findImage, matchNear, type ImageMatch } from './match-image.js';
import { recognize, type OcrWord } from './ocr.js';
import { findWindows, windowById, type DesktopWindow } from './windows.js';
import { pickNth } from './order.js';

export const DEFAULT_IMAGE_CONFIDENCE = 0.9;
const POLL_MS = 250;
/** A second place scoring within this much of the best makes an image match ambiguous (as browser healing's margin). */
export const AMBIGUITY_MARGIN = 0.1;
/** A match whose centre lies this close to the recorded position (each way) is the recorded control. */
const NEAR_PX = 12;
/** A window this close to its recorded size still has its recorded layout. */
const SIZE_SLACK_PX = 2;
/** Coordinates are a safe fallback only where the recorded image still looks at least this alike. */
export const FALLBACK_AGREEMENT = 0.8;

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
  /** An image or text that several places match about equally: only other image, text and label candidates may still decide. */
  ambiguous?: { index: number; places: Array<{ rect: Rect; score: number }>; origin: Point };
  /** Labels seen by OCR, per candidate (for the message when the label was not found). */
  labels: Map<number, TextSearch>;
  /** A match away from the recorded position in a window of the recorded size, or (resized) away from every place the recorded one can have gone. */
  misplaced: Map<number, { found: ImageMatch; at: Point; resized?: { from: Size; to: Size } }>;
  /** Why a featureless area was not taken. */
  areas: Map<number, string>;
  /** Why the coordinates were not used. */
  unsafe: Map<number, string>;
  /** Why an order candidate (an image with `nth`) took none of its look-alikes: the window's structure changed. */
  orders: Map<number, string>;
  /** What each accessibility selector found. */
  a11y: Map<number, A11ySearch>;
  /** A selector that several controls match: the look stops there. */
  ambiguousA11y?: { index: number; hits: A11yHit[] };
  /** Every window whose title matched, when more than one did. */
  sameTitle?: DesktopWindow[];
  /** Several windows of the target's title each hold it: the look stops there. */
  ambiguousWindows?: DesktopMatch[];
  /** A match that its place or look decided, which what tells the control itself contradicts: the look stops there. */
  disputed?: Dispute;
  /** Searches not started because they would have ended past the step's deadline, and why. */
  skipped: Map<number, string>;
  /** The search under way (for the message when the step's time runs out during it). */
  current?: { index: number; what: string; since: number };
  /** The last candidate the look came to. */
  reached: number;
  /** A window still being mapped, moved, resized or redrawn: not searched yet (settling looks only). */
  unsettled?: { window: DesktopWindow; why: string };
}

const newAttempt = (): Attempt => ({ images: new Map(), texts: new Map(), labels: new Map(), misplaced: new Map(), areas: new Map(), unsafe: new Map(), orders: new Map(), a11y: new Map(), skipped: new Map(), reached: -1 });

/**
 * How long a search of each kind took lately, in ms per megapixel of the picture searched
 * (a moving average): a search expected to end past the step's deadline is not started.
 */
const lookCosts: Record<SearchKind, number | undefined> = { ocr: undefined, image: undefined };
export type SearchKind = 'ocr' | 'image';

/** Forgets what searches cost (tests start from a machine never measured). */
export function forgetLookCosts(): void {
  lookCosts.ocr = undefined;
  lookCosts.image = undefined;
}

/** Takes a search of this kind as costing `msPerMegapixel` from now on (tests: a machine measured as slow). */
export function assumeLookCost(kind: SearchKind, msPerMegapixel: number): void {
  lookCosts[kind] = msPerMegapixel;
}

const megapixels = (pixels: Bitmap): number => Math.max(0.01, (pixels.width * pixels.height) / 1e6);

/** Why a search of `pixels` should not start now, or undefined when it may. */
function wouldOverrun(kind: SearchKind, pixels: Bitmap, deadline: number, where: 'window' | 'screen'): string | undefined {
  const rate = lookCosts[kind];
  if (rate === undefined) return undefined;
  const expected = Math.round(rate * megapixels(pixels));
  const left = Math.round(deadline - Date.now());
  return expected > left ? `not searched: ${kind === 'ocr' ? `reading the ${where} by OCR` : `matching the image in the ${where}`} takes about ${expected} ms here and ${Math.max(0, left)} ms of the step's time were left` : undefined;
}

/** Runs one search, noting it as the one under way and what it cost. */
async function timed<T>(kind: SearchKind, pixels: Bitmap, attempt: Attempt, index: number, what: string, search: () => Promise<T>): Promise<T> {
  const began = Date.now();
  attempt.current = { index, what, since: began };
  const result = await search();
  attempt.current = undefined;
  const rate = (Date.now() - began) / megapixels(pixels);
  const known = lookCosts[kind];
  lookCosts[kind] = known === undefined ? rate : (known + rate) / 2;
  return result;
}

/** True when recorded positions still hold: no recorded size, or the window has it. */
function recordedLayout(target: DesktopTarget, window: DesktopWindow | undefined): boolean {
  if (!target.windowSize) return true;
  return !!window && Math.abs(window.rect.width - target.windowSize.width) <= SIZE_SLACK_PX && Math.abs(window.rect.height - target.windowSize.height) <= SIZE_SLACK_PX;
}

const centreOf = (rect: Rect): Point => ({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 });

interface Size {
  width: number;
  height: number;
}

/** Pixels of slack (each way) around the span of places a recorded point can have gone to in a resized window. */
const RESIZED_SLACK_PX = 16;

/**
 * Along one axis of a window resized from `from` to `to` pixels, the span where a point recorded
 * at `at` can lie now: kept from the near edge, from the far edge, centred, or scaled with the
 * window (the ways layouts place controls), widened by RESIZED_SLACK_PX.
 */
export function resizedSpan(at: number, from: number, to: number): [number, number] {
  const ways = [at, at + (to - from), at + (to - from) / 2, (at * to) / from];
  return [Math.min(...ways) - RESIZED_SLACK_PX, Math.max(...ways) + RESIZED_SLACK_PX];
}

/** True when `found` (window-relative) lies where `at`, recorded in a window of `recorded` size, can be in a window of `now`'s size. */
export function consistentPlace(found: Point, at: Point, recorded: Size, now: Size): boolean {
  const [left, right] = resizedSpan(at.x, recorded.width, now.width);
  const [top, bottom] = resizedSpan(at.y, recorded.height, now.height);
  return found.x >= left && found.x <= right && found.y >= top && found.y <= bottom;
}

/**
 * Why coordinates cannot be trusted now, or undefined when they can: a window of another size
 * has another layout; a recorded image that no longer looks alike at its recorded place means
 * the window shows something else there (another theme, font or state).
 */
async function unsafeCoordinates(target: DesktopTarget, window: DesktopWindow | undefined, index: number, haystack: () => Promise<Bitmap>, options: LocateOptions, attempt: Attempt): Promise<string | undefined> {
  const fallback = index > 0;
  if (target.windowSize && !recordedLayout(target, window)) {
    return `the window is ${window ? `${window.rect.width}×${window.rect.height}` : 'missing'}, recorded ${target.windowSize.width}×${target.windowSize.height}: its layout may have changed`;
  }
  if (!fallback) return undefined;
  for (const [at, search] of attempt.a11y) {
    if (at < index && search.kind === 'missing' && search.windows > 0) {
      return `${describeCandidate(target.candidates[at]!)} is not in the window, which is accessible: the coordinates would click something else`;
    }
    if (at < index && search.kind === 'changed') return `${describeCandidate(target.candidates[at]!)}: ${search.why}`;
  }
  // A window whose structure changed has another layout: its recorded coordinates are no guide.
  for (const [at, why] of attempt.orders) {
    if (at < index) return `${describeCandidate(target.candidates[at]!)}: ${why}`;
  }
  for (const [at, why] of attempt.areas) {
    if (at < index) return `${describeCandidate(target.candidates[at]!)} is not as recorded (${why})`;
  }
  if (!target.windowSize) return 'no recorded window size to check the coordinates against (add "windowSize" to the target, or make the coordinates the first candidate)';
  for (const candidate of target.candidates.slice(0, index)) {
    if (!('image' in candidate) || !candidate.at) continue;
    const score = (await matchNear(await haystack(), await loadTemplate(options.resolvePath(candidate.image)), candidate.at))?.score ?? 0;
    if (score < FALLBACK_AGREEMENT) {
      return `${describeCandidate(candidate)} no longer looks alike at its recorded place (${candidate.at.x}, ${candidate.at.y}): score ${score.toFixed(2)}, needs ${FALLBACK_AGREEMENT}`;
    }
  }
  return undefined;
}

export interface LocateOptions {
  /** Resolves image paths (relative to the automation file). */
  resolvePath(file: string): string;
  timeoutMs: number;
  signal: AbortSignal;
  /**
   * Search a window only once it holds still: the same place and size, and the same picture, in
   * two looks in a row (bounded by SETTLE_MAX_MS). For clicks: a window still being mapped,
   * moved, resized or redrawn is not acted on.
   */
  settle?: boolean;
  /** Lists the visible windows whose title matches (default: findWindows; tests slow it down as a loaded machine does). */
  listWindows?: (title: string) => Promise<DesktopWindow[]>;
  /**
   * Whether a match that its place or look decided is checked against the candidates that tell
   * the control itself (default true). Replay never turns it off: bench/desktop-locate does, to
   * measure what the checks cost beside the same locate without them.
   */
  checkIdentity?: boolean;
}

/** The longest a settling look waits for a window to hold still before it searches the window anyway. */
export const SETTLE_MAX_MS = 3_000;
/** Between two pictures of a window that is not yet still. */
const SETTLE_POLL_MS = 100;
/** Pixels that may change between two pictures of a window that holds still (a blinking text cursor). */
const STILL_PIXELS = 64;

/** What settling looks saw of each window last (by window id), and until when they wait for it. */
interface Settling {
  seen: Map<string, { rect: Rect; pixels: Bitmap }>;
  until: number;
}

const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/**
 * Why the window is not yet still (another place, size or picture than at the last look), or
 * undefined when it is. A window not seen before is looked at twice, SETTLE_POLL_MS apart.
 */
async function stillness(settling: Settling, window: DesktopWindow, pixels: Bitmap, signal: AbortSignal): Promise<string | undefined> {
  const before = settling.seen.get(window.id);
  settling.seen.set(window.id, { rect: window.rect, pixels });
  if (!before) {
    await abortableSleep(SETTLE_POLL_MS, signal);
    const now = await windowById(window.id);
    if (!now) return 'it closed';
    return stillness(settling, now, await captureScreen(now.rect), signal);
  }
  const { rect } = window;
  if (before.rect.width !== rect.width || before.rect.height !== rect.height) return `its size changed from ${before.rect.width}×${before.rect.height} to ${rect.width}×${rect.height}`;
  if (!sameRect(before.rect, rect)) return `it moved from (${before.rect.x}, ${before.rect.y}) to (${rect.x}, ${rect.y})`;
  const changed = Math.round((await changedFraction(before.pixels, pixels)) * pixels.width * pixels.height);
  return changed > STILL_PIXELS ? `${changed} of its pixels changed` : undefined;
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
async function lookOnce(target: DesktopTarget, options: LocateOptions, attempt: Attempt, deadline = Number.POSITIVE_INFINITY, settling?: Settling): Promise<DesktopMatch | undefined> {
  if (!target.window) return lookIn(target, undefined, options, attempt, deadline);
  // Listing the windows is part of the look's time (on a loaded machine, most of it).
  attempt.current = { index: -1, what: `listing the windows with a title matching "${target.window}"`, since: Date.now() };
  const windows = await (options.listWindows ?? findWindows)(target.window);
  attempt.current = undefined;
  attempt.windowMissing = !windows.length;
  if (windows.length <= 1) return windows[0] ? lookIn(target, windows[0], options, attempt, deadline, settling) : undefined;
  // Several windows match the title: the one that holds the target, never merely the first;
  // two that hold it leave the step failing, naming both. The first window's look explains a miss.
  attempt.sameTitle = windows;
  const found: DesktopMatch[] = [];
  for (const [at, window] of windows.entries()) {
    const own = at === 0 ? attempt : newAttempt();
    const match = await lookIn(target, window, options, own, deadline, settling);
    // An accessibility selector is searched by title: both looks may return the same control.
    if (match && !found.some((other) => other.point.x === match.point.x && other.point.y === match.point.y)) found.push(match);
    // A window where the target is ambiguous holds it too: then no other window's match is taken.
    attempt.ambiguous ??= own.ambiguous;
    attempt.ambiguousA11y ??= own.ambiguousA11y;
    attempt.unsettled ??= own.unsettled;
    attempt.disputed ??= own.disputed;
  }
  // While one of them is still changing, no window is chosen yet.
  if (attempt.unsettled || attempt.ambiguous || attempt.ambiguousA11y || attempt.disputed) return undefined;
  if (found.length === 1) return found[0];
  if (found.length > 1) attempt.ambiguousWindows = found;
  return undefined;
}

/** One look in one window (or the whole screen): the first candidate that matches now, or undefined. `given`: the window's picture, already taken. */
async function lookIn(target: DesktopTarget, window: DesktopWindow | undefined, options: LocateOptions, attempt: Attempt, deadline: number, settling?: Settling, given?: Bitmap): Promise<DesktopMatch | undefined> {
  const area: Rect | undefined = window?.rect;
  let haystack: Bitmap | undefined = given;
  let words: OcrWord[] | undefined;
  const origin = { x: area?.x ?? 0, y: area?.y ?? 0 };
  const toScreen = (rect: Rect): Rect => ({ x: rect.x + origin.x, y: rect.y + origin.y, width: rect.width, height: rect.height });
  const capture = async (): Promise<Bitmap> => (haystack ??= area ? await captureScreen(area) : await captureScreen());
  // A window still being mapped, moved, resized or redrawn is searched only once it holds still
  // (or the wait for it has lasted SETTLE_MAX_MS): what is found in it now may be elsewhere, or
  // another control, by the time the click lands.
  if (window && settling && Date.now() < settling.until) {
    const why = await stillness(settling, window, await capture(), options.signal);
    if (why) {
      attempt.unsettled = { window, why };
      return undefined;
    }
    // The latest picture of the window that held still (its place and size are as listed).
    haystack = settling.seen.get(window.id)!.pixels;
  }
  const ambiguousAt = (index: number, places: Array<{ rect: Rect; score: number }>): void => {
    attempt.ambiguous ??= { index, places, origin };
  };
  // A match its place or look decided is taken only when nothing that tells the control itself disagrees.
  const decided = async (match: DesktopMatch): Promise<DesktopMatch | undefined> => {
    if (options.checkIdentity === false) return match;
    const dispute = await disputeOf(target, window, match, options, attempt, deadline, capture);
    if (!dispute) return match;
    attempt.disputed = dispute;
    return undefined;
  };
  for (const [index, candidate] of target.candidates.entries()) {
    attempt.reached = index;
    if ('offset' in candidate) {
      // Coordinates never decide between places that an image or a text could not tell apart.
      if (attempt.ambiguous) continue;
      const unsafe = await unsafeCoordinates(target, window, index, capture, options, attempt);
      if (unsafe) {
        attempt.unsafe.set(index, unsafe);
        continue;
      }
      const point = { x: Math.round(origin.x + candidate.offset.x), y: Math.round(origin.y + candidate.offset.y) };
      return decided({ point, rect: { ...point, width: 1, height: 1 }, index, via: describeCandidate(candidate), ...(window ? { window } : {}) });
    }
    if ('a11y' in candidate) {
      const search = await findAccessible(candidate.a11y, target.window);
      attempt.a11y.set(index, search);
      if (search.kind === 'ambiguous') {
        attempt.ambiguousA11y = { index, hits: search.hits };
        return undefined;
      }
      if (search.kind === 'found') {
        const { rect } = search.hit.element;
        return { point: center(rect), rect, index, via: describeCandidate(candidate), ...(window ? { window } : {}) };
      }
      continue;
    }
    const pixels = await capture();
    if ('area' in candidate) {
      const found = findArea(candidate, target.windowSize, pixels);
      if ('point' in found) {
        const point = { x: found.point.x + origin.x, y: found.point.y + origin.y };
        return decided({ point, rect: toScreen(found.rect), index, via: `${describeCandidate(candidate)} (its area ${found.rect.width}×${found.rect.height} at (${found.rect.x}, ${found.rect.y}))`, ...(window ? { window } : {}) });
      }
      attempt.areas.set(index, found.why);
      continue;
    }
    // A search that would end past the step's deadline is not started: the step then fails
    // naming it, rather than being cut off with a bare timeout in the middle of it.
    const late = wouldOverrun('image' in candidate ? 'image' : 'ocr', pixels, deadline, area ? 'window' : 'screen');
    if (late && ('image' in candidate || !words)) {
      attempt.skipped.set(index, late);
      continue;
    }
    if ('image' in candidate && candidate.nth) {
      const found = await findNth(candidate, target, window, pixels, options, attempt, index);
      if (found) {
        const rect = toScreen(found.rect);
        return { point: center(rect), rect, index, via: `${describeCandidate(candidate)} ${found.score.toFixed(2)}`, ...(window ? { window } : {}) };
      }
    } else if ('image' in candidate) {
      const template = await loadTemplate(options.resolvePath(candidate.image));
      const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
      const scales = candidate.scales ?? DEFAULT_SCALES;
      if (candidate.at && recordedLayout(target, window)) {
        // The recorded place first (issue #22). Only a match there counts in the recorded layout,
        // and only one within AMBIGUITY_MARGIN of the best anywhere: a score of at least
        // 1 − AMBIGUITY_MARGIN there is within it of any score (none exceeds 1), so the search of
        // the whole window could not change the answer. The search runs at the first scale, as it
        // stops at the first scale good enough.
        const there = await matchNear(pixels, template, candidate.at, scales[0], NEAR_PX);
        if (there && there.score >= needed && there.score >= 1 - AMBIGUITY_MARGIN) {
          attempt.images.set(index, there);
          const rect = toScreen(there.rect);
          return decided({ point: center(rect), rect, index, via: `${describeCandidate(candidate)} ${there.score.toFixed(2)}`, ...(window ? { window } : {}) });
        }
      }
      // The best place, and every place about as good as it at the scale that matched.
      const { best: found, places } = await timed('image', pixels, attempt, index, `matching the image "${candidate.image}"`, () => findImage(pixels, template, { scales, goodEnough: needed, margin: AMBIGUITY_MARGIN }));
      attempt.images.set(index, found);
      if (found && found.score >= needed) {
        let chosen: ImageMatch | undefined;
        if (candidate.at && recordedLayout(target, window)) {
          // Only a match at the recorded place counts, and only one as good as the best anywhere.
          const there = await matchNear(pixels, template, candidate.at, found.scale, NEAR_PX);
          if (there && there.score >= needed && there.score >= found.score - AMBIGUITY_MARGIN) chosen = there;
          else attempt.misplaced.set(index, { found: places[0]!, at: candidate.at });
        } else if (places.length > 1) {
          ambiguousAt(index, places);
        } else if (candidate.at && target.windowSize && window && !consistentPlace(centreOf(places[0]!.rect), candidate.at, target.windowSize, window.rect)) {
          // A window of another size: the one match must still lie where the recorded place can
          // have gone (kept from an edge, scaled, or centred), never anywhere in the window.
          attempt.misplaced.set(index, { found: places[0]!, at: candidate.at, resized: { from: target.windowSize, to: { width: window.rect.width, height: window.rect.height } } });
        } else {
          chosen = places[0];
        }
        if (chosen) {
          const rect = toScreen(chosen.rect);
          return decided({ point: center(rect), rect, index, via: `${describeCandidate(candidate)} ${chosen.score.toFixed(2)}`, ...(window ? { window } : {}) });
        }
      }
    } else if ('text' in candidate) {
      words ??= (await timed('ocr', pixels, attempt, index, `reading the ${area ? 'window' : 'screen'} by OCR for ${describeCandidate(candidate)}`, () => recognize(pixels, 'sparse'))).words;
      const found = findTextAll(words, candidate);
      const best = bestOf(found);
      attempt.texts.set(index, { ...(best ? { match: best } : {}), ...(found.closest ? { closest: found.closest } : {}) });
      if (found.length > 1) ambiguousAt(index, found.map((match) => ({ rect: match.rect, score: match.confidence })));
      else if (best) {
        const rect = toScreen(best.rect);
        return { point: center(rect), rect, index, via: `${describeCandidate(candidate)} (OCR ${best.confidence.toFixed(2)})`, ...(window ? { window } : {}) };
      }
    } else {
      words ??= (await timed('ocr', pixels, attempt, index, `reading the ${area ? 'window' : 'screen'} by OCR for ${describeCandidate(candidate)}`, () => recognize(pixels, 'sparse'))).words;
      const found = findTextAll(words, { text: candidate.label, exact: true, confidence: candidate.confidence });
      const best = bestOf(found);
      attempt.labels.set(index, { ...(best ? { match: best } : {}), ...(found.closest ? { closest: found.closest } : {}) });
      if (found.length > 1) ambiguousAt(index, found.map((match) => ({ rect: match.rect, score: match.confidence })));
      else if (best) {
        const { rect } = best;
        const anchor = candidate.side === 'right' ? { x: rect.x + rect.width, y: rect.y + rect.height / 2 } : { x: rect.x, y: rect.y + rect.height };
        const local = { x: Math.round(anchor.x + candidate.distance.x), y: Math.round(anchor.y + candidate.distance.y) };
        if (local.x >= 0 && local.y >= 0 && local.x < pixels.width && local.y < pixels.height) {
          const point = { x: local.x + origin.x, y: local.y + origin.y };
          return { point, rect: { ...point, width: 1, height: 1 }, index, via: `${describeCandidate(candidate)} (OCR ${best.confidence.toFixed(2)})`, ...(window ? { window } : {}) };
        }
      }
    }
  }
  return undefined;
}

/** A match that its place or look decided, and what contradicts it. */
interface Dispute {
  match: DesktopMatch;
  /** The candidate that tells the control itself. */
  by: number;
  /** Where that candidate found the control, when it found one. */
  found?: DesktopMatch;
  why: string;
}

/** Candidates that tell the control itself, not where it stood or how it looked: its accessible name, its place among look-alikes, the label beside it. */
export const tellsIdentity = (candidate: DesktopCandidate): boolean => 'a11y' in candidate || 'label' in candidate || ('image' in candidate && !!candidate.nth);

/** The cheapest check first: the accessibility API, then an image search, then OCR. */
const identityCost = (candidate: DesktopCandidate): number => ('a11y' in candidate ? 0 : 'image' in candidate ? 1 : 2);

/**
 * True when `found` (by a candidate that tells the control) is the control `match` points at:
 * the match's point inside the control's box; for a label's point (no box), on the same line
 * (NEAR_PX) and within the matched picture's width.
 */
function agrees(found: DesktopMatch, match: DesktopMatch): boolean {
  const { point } = match;
  if (found.rect.width > 1 || found.rect.height > 1) {
    const slack = 2;
    return point.x >= found.rect.x - slack && point.x <= found.rect.x + found.rect.width + slack && point.y >= found.rect.y - slack && point.y <= found.rect.y + found.rect.height + slack;
  }
  return Math.abs(found.point.y - point.y) <= NEAR_PX && Math.abs(found.point.x - point.x) <= Math.max(NEAR_PX, match.rect.width / 2);
}

/** Why an identity candidate tried in a look took no control of its own, when that contradicts a match elsewhere. */
function contradiction(attempt: Attempt, index: number): string | undefined {
  const order = attempt.orders.get(index);
  if (order) return order;
  const misplaced = attempt.misplaced.get(index);
  if (misplaced) {
    const at = centreOf(misplaced.found.rect);
    return `takes the control centred at (${Math.round(at.x)}, ${Math.round(at.y)}) in the window, not at its recorded place (${misplaced.at.x}, ${misplaced.at.y})`;
  }
  const a11y = attempt.a11y.get(index);
  return a11y?.kind === 'changed' ? a11y.why : undefined;
}

/**
 * What contradicts `match`, a match that its place or look decided, or undefined when nothing
 * does: the target's candidates that tell the control itself are asked, cheapest first, until one
 * says. One that finds another control, or finds the window's structure changed, contradicts;
 * one that agrees ends the check; one that finds nothing says nothing. Those the look tried
 * before the match are not searched again.
 */
async function disputeOf(target: DesktopTarget, window: DesktopWindow | undefined, match: DesktopMatch, options: LocateOptions, attempt: Attempt, deadline: number, pixels: () => Promise<Bitmap>): Promise<Dispute | undefined> {
  const identities = target.candidates
    .map((candidate, index) => ({ candidate, index }))
    .filter(({ candidate, index }) => index !== match.index && tellsIdentity(candidate))
    .sort((a, b) => identityCost(a.candidate) - identityCost(b.candidate));
  for (const { candidate, index } of identities) {
    if (index < match.index) {
      const why = contradiction(attempt, index);
      if (why) return { match, by: index, why };
      continue;
    }
    const own = newAttempt();
    const found = await lookIn({ ...target, candidates: [candidate] }, window, options, own, deadline, undefined, await pixels());
    if (found) {
      if (agrees(found, match)) return undefined;
      return { match, by: index, found, why: `finds the control at (${found.point.x}, ${found.point.y}) on screen` };
    }
    const why = contradiction(own, 0);
    if (why) return { match, by: index, why };
  }
  return undefined;
}

/**
 * An order candidate (an image with `nth`): every place the image matches about equally, which
 * must be as many as recorded, in plain reading order; the nth of them, which must lie at the
 * recorded place while the window has its recorded size, or where that place can have gone in a
 * resized window. Undefined (with the reason noted) otherwise.
 */
async function findNth(
  candidate: Extract<DesktopCandidate, { image: string }>,
  target: DesktopTarget,
  window: DesktopWindow | undefined,
  pixels: Bitmap,
  options: LocateOptions,
  attempt: Attempt,
  index: number,
): Promise<ImageMatch | undefined> {
  const nth = candidate.nth!;
  const template = await loadTemplate(options.resolvePath(candidate.image));
  const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
  // A few more places than recorded are listed, so that a window holding more is seen to.
  const search = () => findImage(pixels, template, { scales: candidate.scales ?? DEFAULT_SCALES, goodEnough: needed, margin: AMBIGUITY_MARGIN, limit: nth.of + 3 });
  const { best, places } = await timed('image', pixels, attempt, index, `matching the image "${candidate.image}"`, search);
  attempt.images.set(index, best);
  if (!best || best.score < needed) return undefined;
  const picked = pickNth(places, nth);
  if ('why' in picked) {
    attempt.orders.set(index, picked.why);
    return undefined;
  }
  const chosen = picked.place;
  if (candidate.at) {
    const centre = centreOf(chosen.rect);
    if (recordedLayout(target, window)) {
      if (Math.abs(centre.x - candidate.at.x) > NEAR_PX || Math.abs(centre.y - candidate.at.y) > NEAR_PX) {
        attempt.misplaced.set(index, { found: chosen, at: candidate.at });
        return undefined;
      }
    } else if (target.windowSize && window && !consistentPlace(centre, candidate.at, target.windowSize, window.rect)) {
      attempt.misplaced.set(index, { found: chosen, at: candidate.at, resized: { from: target.windowSize, to: { width: window.rect.width, height: window.rect.height } } });
      return undefined;
    }
  }
  return chosen;
}

/**
 * A featureless area in the window's pixels: at the recorded point, or (a resized window) at its
 * place scaled with the window, the area of the recorded colour whose bounds are the recorded
 * ones kept from an edge, centred or scaled, and as solid as an area of one control.
 */
function findArea(candidate: Extract<DesktopCandidate, { area: unknown }>, recorded: Size | undefined, pixels: Bitmap): { point: Point; rect: Rect } | { why: string } {
  const from = recorded ?? { width: pixels.width, height: pixels.height };
  const to = { width: pixels.width, height: pixels.height };
  const { rect } = candidate.area;
  const scaled = { x: Math.round((candidate.at.x * to.width) / from.width), y: Math.round((candidate.at.y * to.height) / from.height) };
  const points = [scaled, { x: Math.round(candidate.at.x), y: Math.round(candidate.at.y) }].filter((point, at, all) => at === 0 || point.x !== all[0]!.x || point.y !== all[0]!.y);
  const why: string[] = [];
  for (const point of points) {
    const area = flatAreaAt(pixels, point, candidate.area.color);
    if (!area) {
      why.push(`at (${point.x}, ${point.y}) the window is ${point.x < pixels.width && point.y < pixels.height ? colorAt(pixels, point) : 'not there'}, not ${candidate.area.color}`);
      continue;
    }
    const edges: Array<[string, number, number, number, number]> = [
      ['left', rect.x, area.rect.x, from.width, to.width],
      ['right', rect.x + rect.width, area.rect.x + area.rect.width, from.width, to.width],
      ['top', rect.y, area.rect.y, from.height, to.height],
      ['bottom', rect.y + rect.height, area.rect.y + area.rect.height, from.height, to.height],
    ];
    const off = edges.filter(([, was, now, before, after]) => {
      const [low, high] = resizedSpan(was, before, after);
      return now < low || now > high;
    });
    if (off.length || area.solidity < AREA_SOLIDITY) {
      const bounds = `${area.rect.width}×${area.rect.height} at (${area.rect.x}, ${area.rect.y})`;
      why.push(`at (${point.x}, ${point.y}) the ${candidate.area.color} area is ${bounds}${off.length ? `, its ${off.map(([edge]) => edge).join(', ')} edge${off.length > 1 ? 's' : ''} not where the recorded area's (${Math.round(rect.width)}×${Math.round(rect.height)} at (${Math.round(rect.x)}, ${Math.round(rect.y)}) in ${from.width}×${from.height}) can be in ${to.width}×${to.height}` : `, only ${Math.round(area.solidity * 100)} % solid`}: another control`);
      continue;
    }
    return { point, rect: area.rect };
  }
  return { why: why.join('; ') };
}

const bestOf = (matches: readonly TextMatch[]): TextMatch | undefined => matches.reduce<TextMatch | undefined>((best, found) => (!best || found.confidence > best.confidence ? found : best), undefined);

function explain(target: DesktopTarget, attempt: Attempt): { lines: string[]; candidates: Array<Record<string, unknown>> } {
  if (attempt.windowMissing) return { lines: [`no visible window has a title matching "${target.window}"`], candidates: [] };
  const lines: string[] = [];
  if (attempt.sameTitle) {
    lines.push(`${attempt.sameTitle.length} windows have a title matching "${target.window}" and none holds it; below, what was seen in the first, at (${attempt.sameTitle[0]!.rect.x}, ${attempt.sameTitle[0]!.rect.y})`);
  }
  const candidates: Array<Record<string, unknown>> = [];
  target.candidates.forEach((candidate, index) => {
    const name = describeCandidate(candidate);
    const skipped = attempt.skipped.get(index);
    if (skipped) {
      lines.push(`${name}: ${skipped}`);
      candidates.push({ candidate: name, notSearched: skipped });
      return;
    }
    if (index > attempt.reached && attempt.unsettled) {
      const { window, why } = attempt.unsettled;
      lines.push(`${name}: not tried, the window "${window.title}" at (${window.rect.x}, ${window.rect.y}) ${window.rect.width}×${window.rect.height} was still changing (${why})`);
      candidates.push({ candidate: name, notTried: true, unsettled: why });
      return;
    }
    if (index > attempt.reached && attempt.current?.index === -1) {
      lines.push(`${name}: not tried, the step's time ran out while ${attempt.current.what} (${Date.now() - attempt.current.since} ms into it)`);
      candidates.push({ candidate: name, notTried: true });
      return;
    }
    if (index > attempt.reached && !attempt.windowMissing) {
      lines.push(`${name}: not tried, the step's time ran out before`);
      candidates.push({ candidate: name, notTried: true });
      return;
    }
    if (attempt.current?.index === index) {
      const tookMs = Date.now() - attempt.current.since;
      const why = `still ${attempt.current.what} when the step's time ran out (${tookMs} ms into it)`;
      lines.push(`${name}: ${why}`);
      candidates.push({ candidate: name, unfinished: why });
      return;
    }
    if ('a11y' in candidate) {
      const search = attempt.a11y.get(index);
      if (search?.kind === 'unavailable') {
        lines.push(`${name}: not used, ${search.reason}`);
        candidates.push({ candidate: name, unavailable: search.reason });
      } else if (search?.kind === 'changed') {
        lines.push(`${name}: ${search.why}`);
        candidates.push({ candidate: name, changed: search.why });
      } else if (search?.kind === 'missing') {
        const why = !search.windows
          ? `no accessible window${target.window ? ` with a title matching "${target.window}"` : ''} (is the program accessible? GTK and Qt programs are)`
          : search.outside.length
            ? `only outside its window's view: ${search.outside.map((hit) => describeElement(hit.element)).join('; ')}`
            : `no such control in ${search.windows} accessible window(s)${search.sameRole.length ? `; controls of that role there: ${search.sameRole.join('; ')}` : ''}`;
        lines.push(`${name}: ${why}`);
        candidates.push({ candidate: name, missing: why });
      }
    } else if ('offset' in candidate) {
      const unsafe = attempt.unsafe.get(index);
      if (unsafe) {
        lines.push(`${name}: not used, ${unsafe}`);
        candidates.push({ candidate: name, unsafe });
      }
    } else if ('image' in candidate) {
      const found = attempt.images.get(index);
      const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
      const misplaced = attempt.misplaced.get(index);
      const order = attempt.orders.get(index);
      if (order) {
        lines.push(`${name}: ${order}`);
        candidates.push({ candidate: name, changed: order });
        return;
      }
      if (misplaced) {
        const at = centreOf(misplaced.found.rect);
        if (misplaced.resized) {
          const { from, to } = misplaced.resized;
          lines.push(
            `${name}: matched ${misplaced.found.score.toFixed(3)} centred at (${Math.round(at.x)}, ${Math.round(at.y)}), but it was recorded at (${misplaced.at.x}, ${misplaced.at.y}) in a window of ${from.width}×${from.height}, and in this one of ${to.width}×${to.height} it can only have gone to x ${resizedSpan(misplaced.at.x, from.width, to.width).map(Math.round).join('…')}, y ${resizedSpan(misplaced.at.y, from.height, to.height).map(Math.round).join('…')}: another control`,
          );
          candidates.push({ candidate: name, bestScore: Number(misplaced.found.score.toFixed(3)), needed, misplacedAt: { x: Math.round(at.x), y: Math.round(at.y) }, recordedAt: misplaced.at, resized: misplaced.resized });
          return;
        }
        lines.push(`${name}: matched ${misplaced.found.score.toFixed(3)} centred at (${Math.round(at.x)}, ${Math.round(at.y)}), but it was recorded at (${misplaced.at.x}, ${misplaced.at.y}) in a window of the same size: another control`);
        candidates.push({ candidate: name, bestScore: Number(misplaced.found.score.toFixed(3)), needed, misplacedAt: { x: Math.round(at.x), y: Math.round(at.y) }, recordedAt: misplaced.at });
        return;
      }
      lines.push(found ? `${name}: best score ${found.score.toFixed(3)} (needs ${needed}) at (${found.rect.x}, ${found.rect.y}), scale ${found.scale}` : `${name}: larger than the search area`);
      candidates.push({ candidate: name, bestScore: found ? Number(found.score.toFixed(3)) : 0, needed });
    } else if ('area' in candidate) {
      const why = attempt.areas.get(index);
      if (why) {
        lines.push(`${name}: ${why}`);
        candidates.push({ candidate: name, missing: why });
      }
    } else if ('label' in candidate) {
      const seen = attempt.labels.get(index);
      const closest = seen?.closest;
      if (seen?.match) {
        lines.push(`${name}: the label was found, but the point ${candidate.distance.x}, ${candidate.distance.y} from it lies outside the window`);
        candidates.push({ candidate: name, bestScore: 1, outside: true });
        return;
      }
      lines.push(closest ? `${name}: closest text on screen "${closest.text}" (similarity ${closest.similarity.toFixed(2)}, OCR confidence ${closest.confidence.toFixed(2)})` : `${name}: no text found on screen`);
      candidates.push({ candidate: name, bestScore: closest ? Number(closest.similarity.toFixed(3)) : 0, ...(closest ? { closestText: closest.text } : {}) });
    } else if ('text' in candidate) {
      const closest = attempt.texts.get(index)?.closest;
      lines.push(closest ? `${name}: closest text on screen "${closest.text}" (similarity ${closest.similarity.toFixed(2)}, OCR confidence ${closest.confidence.toFixed(2)})` : `${name}: no text found on screen`);
      candidates.push({ candidate: name, bestScore: closest ? Number(closest.similarity.toFixed(3)) : 0, ...(closest ? { closestText: closest.text } : {}) });
    }
  });
  return { lines, candidates };
}

function ambiguity(target: DesktopTarget, { index, places, origin }: NonNullable<Attempt['ambiguous']>, orders: Attempt['orders'] = new Map()): AmbiguousLocatorError {
  const candidate = target.candidates[index]!;
  const where = places.map((place) => {
    const at = centreOf(place.rect);
    return { x: Math.round(origin.x + at.x), y: Math.round(origin.y + at.y), windowX: Math.round(at.x), windowY: Math.round(at.y), score: Number(place.score.toFixed(3)) };
  });
  const listed = where.map((place) => `(${place.x}, ${place.y}) on screen [(${place.windowX}, ${place.windowY}) in the window] score ${place.score.toFixed(3)}`).join('; ');
  const hint =
    'image' in candidate
      ? candidate.at
        ? `even near its recorded place (${candidate.at.x}, ${candidate.at.y})`
        : 'and it has no recorded place ("at") to choose by'
      : 'on different lines of the window';
  // What the order candidates found instead (a window whose structure changed).
  const notes = [...orders].map(([at, why]) => ` (${describeCandidate(target.candidates[at]!)}: ${why})`).join('');
  const others = target.candidates.length > 1 ? `, and no other candidate found the control by itself${notes}` : '';
  return new AmbiguousLocatorError(
    `desktop target ${describeDesktopTarget(target)}: ${describeCandidate(candidate)} matches ${places.length} places about equally, ${hint}${others}; nothing was clicked. Places: ${listed}. ${'image' in candidate ? 'Use a larger image that includes a label, or give "at" and "windowSize"' : 'Use a longer text or a label next to the control'}`,
    { target: describeDesktopTarget(target), candidate: describeCandidate(candidate), places: where },
  );
}

function disputeError(target: DesktopTarget, { match, by, found, why }: Dispute): AmbiguousLocatorError {
  const decidedBy = describeCandidate(target.candidates[match.index]!);
  const identity = describeCandidate(target.candidates[by]!);
  const inWindow = (point: Point): string => (match.window ? ` [(${point.x - match.window.rect.x}, ${point.y - match.window.rect.y}) in the window]` : '');
  const places = [{ candidate: decidedBy, x: match.point.x, y: match.point.y }, ...(found ? [{ candidate: identity, x: found.point.x, y: found.point.y }] : [])];
  return new AmbiguousLocatorError(
    `desktop target ${describeDesktopTarget(target)}: ${decidedBy} matches at (${match.point.x}, ${match.point.y}) on screen${inWindow(match.point)}, but ${identity} ${why}${found ? inWindow(found.point) : ''}: the window's layout changed (a control added, removed or moved), so its place no longer tells the control; nothing was clicked. Record the step again on the window as it is now`,
    { target: describeDesktopTarget(target), candidate: decidedBy, contradictedBy: identity, why, places },
  );
}

function windowAmbiguity(target: DesktopTarget, found: DesktopMatch[]): AmbiguousLocatorError {
  const listed = found.map((match) => {
    const rect = match.window!.rect;
    return `window "${match.window!.title}" at (${rect.x}, ${rect.y}) ${rect.width}×${rect.height}: ${match.via} at (${match.point.x}, ${match.point.y})`;
  });
  return new AmbiguousLocatorError(
    `desktop target ${describeDesktopTarget(target)}: ${found.length} windows with a title matching "${target.window}" hold it; nothing was clicked. ${listed.join('; ')}. Close the other window, or give the target a title that names one`,
    { target: describeDesktopTarget(target), windows: found.map((match) => ({ id: match.window!.id, title: match.window!.title, rect: match.window!.rect, via: match.via, point: match.point })) },
  );
}

function a11yAmbiguity(target: DesktopTarget, { index, hits }: NonNullable<Attempt['ambiguousA11y']>): AmbiguousLocatorError {
  const candidate = target.candidates[index]!;
  const listed = hits.map((hit) => `${describeElement(hit.element)} in "${hit.window.title}"`);
  return new AmbiguousLocatorError(
    `desktop target ${describeDesktopTarget(target)}: ${describeCandidate(candidate)} matches ${hits.length} controls; nothing was clicked. Controls: ${listed.join('; ')}. Give the selector a label or path (or the target a window) that names one`,
    { target: describeDesktopTarget(target), candidate: describeCandidate(candidate), controls: listed },
  );
}

/** A look that searched nothing: each search it came to was left out for lack of time. */
const leftAllOut = (attempt: Attempt): boolean => attempt.skipped.size > 0 && attempt.images.size === 0 && attempt.texts.size === 0 && attempt.labels.size === 0 && attempt.misplaced.size === 0;

/** Polls until a candidate matches; throws LocatorNotFoundError naming each candidate's best score. */
export async function locateDesktopTarget(target: DesktopTarget, options: LocateOptions): Promise<DesktopMatch> {
  const started = Date.now();
  // A little before the step's own deadline: the step then fails saying what each candidate
  // scored, not with a bare timeout cut through a look.
  const deadline = started + options.timeoutMs - Math.min(250, options.timeoutMs * 0.05);
  const settling: Settling | undefined = options.settle ? { seen: new Map(), until: started + Math.min(SETTLE_MAX_MS, options.timeoutMs / 2) } : undefined;
  /**
   * The last look that came to the candidates. When the step's time runs out in the middle of a
   * later look (on a loaded machine, often while the windows are being listed), what that look
   * had not yet seen must not hide what the earlier one found (a match in the wrong place, a best
   * score): the error says what the earlier look found, and where the last one was cut.
   */
  let seen: { attempt: Attempt; at: number } | undefined;
  const notFound = (attempt: Attempt, cut = false): LocatorNotFoundError => {
    // A look that left every search out for lack of time saw no more than a cut one.
    const skippedAll = !cut && leftAllOut(attempt);
    const earlier = seen && !attempt.windowMissing && ((cut && attempt.reached < 0) || skippedAll) ? seen : undefined;
    const { lines, candidates } = explain(target, earlier?.attempt ?? attempt);
    if (earlier && skippedAll) {
      lines.push(`(that is what the look ${earlier.at} ms into the step found; the next one left its searches out: ${[...attempt.skipped.values()].join('; ')})`);
    } else if (earlier) {
      const { what, since } = attempt.current ?? { what: 'looking', since: Date.now() };
      lines.push(`(that is what the look ${earlier.at} ms into the step found; the next one was still ${what} when the step's time ran out, ${Date.now() - since} ms into it)`);
    }
    return new LocatorNotFoundError(`desktop target ${describeDesktopTarget(target)} not found within ${options.timeoutMs} ms:\n  ${lines.join('\n  ')}`, {
      target: describeDesktopTarget(target),
      candidates,
    });
  };
  for (;;) {
    const attempt = newAttempt();
    const began = Date.now();
    // A search started with no measure of its cost yet may still run past the deadline: the
    // step then fails naming it (the search finishes unseen), never with a bare timeout.
    const look = lookOnce(target, options, attempt, deadline, settling);
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => (timer = setTimeout(() => resolve('overrun'), Math.max(0, deadline - Date.now()))));
    let match: DesktopMatch | undefined;
    try {
      const first = await Promise.race([look, overrun]);
      if (first === 'overrun') {
        look.catch(() => undefined);
        throw notFound(attempt, true);
      }
      match = first;
    } finally {
      clearTimeout(timer);
    }
    if (match) return match;
    if (attempt.ambiguousWindows) throw windowAmbiguity(target, attempt.ambiguousWindows);
    // Waiting does not make the window's layout what it was: fail now, acting on neither.
    if (attempt.disputed) throw disputeError(target, attempt.disputed);
    // Waiting does not tell identical controls apart: fail now, acting on neither.
    if (attempt.ambiguous) throw ambiguity(target, attempt.ambiguous, attempt.orders);
    if (attempt.ambiguousA11y) throw a11yAmbiguity(target, attempt.ambiguousA11y);
    if (attempt.reached >= 0 && !leftAllOut(attempt)) seen = { attempt, at: began - started };
    // A search left out for lack of time will not fit later either: when every search was left
    // out, waiting cannot help (while some still run, a later look may yet find the control).
    // Nor is another look started that would end past the deadline (a loaded machine looks slowly).
    const searches = target.candidates.filter((candidate) => !('offset' in candidate) && !('a11y' in candidate)).length;
    const pause = attempt.unsettled ? SETTLE_POLL_MS : POLL_MS;
    if ((searches > 0 && attempt.skipped.size >= searches) || Date.now() + pause + (Date.now() - began) >= deadline) throw notFound(attempt);
    await abortableSleep(pause, options.signal);
  }
}

/** Polls until no image or text candidate matches (coordinates cannot disappear). */
export async function waitUntilGone(target: DesktopTarget, options: LocateOptions): Promise<void> {
  const visible = { ...target, candidates: target.candidates.filter((candidate) => !('offset' in candidate)) };
  if (!visible.candidates.length) throw new RpaError(`${describeDesktopTarget(target)} has only coordinates, which cannot disappear; add an image or text candidate`);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const attempt = newAttempt();
    const match = await lookOnce(visible, options, attempt);
    // An image seen at several places is still there, though replay would not click it.
    const seenAt = match
      ? `${match.via} at ${match.point.x}, ${match.point.y}`
      : attempt.ambiguous
        ? `at ${attempt.ambiguous.places.length} places`
        : attempt.ambiguousA11y
          ? `${attempt.ambiguousA11y.hits.length} matching controls`
          : attempt.ambiguousWindows
            ? `in ${attempt.ambiguousWindows.length} windows`
            : attempt.disputed
              ? `${attempt.disputed.match.via} at ${attempt.disputed.match.point.x}, ${attempt.disputed.match.point.y}, though ${describeCandidate(visible.candidates[attempt.disputed.by]!)} disagrees`
              : undefined;
    if (!seenAt) {
      // Gone only if something looked: accessibility selectors alone cannot see without the API.
      const blind = visible.candidates.every((candidate, index) => 'a11y' in candidate && attempt.a11y.get(index)?.kind === 'unavailable');
      if (blind && !attempt.windowMissing) {
        const reason = [...attempt.a11y.values()].map((search) => (search.kind === 'unavailable' ? search.reason : '')).find(Boolean);
        throw new RpaError(`cannot tell whether ${describeDesktopTarget(target)} disappeared: its accessibility selectors cannot be used here (${reason}); add an image or text candidate`);
      }
      return;
    }
    if (Date.now() + POLL_MS >= deadline) {
      throw new RpaError(`waited ${options.timeoutMs} ms for ${describeDesktopTarget(target)} to disappear; it is still there (${seenAt})`);
    }
    await abortableSleep(POLL_MS, options.signal);
  }
}
