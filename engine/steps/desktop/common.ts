// What every desktop step handler shares: the preflight, locating targets (with a screenshot
// when one is not found) and finding windows within the step's time.
import type { MatchedLocator } from '../../events.js';
import { AmbiguousLocatorError, LocatorNotFoundError, RpaError } from '../../errors.js';
import type { DesktopTarget } from '../../format/schema.js';
import { encodePng, type Bitmap, type Rect } from '../../desktop/bitmap.js';
import { describeCandidate, describeDesktopTarget } from '../../desktop/describe.js';
import { captureScreen } from '../../desktop/control.js';
import { locateDesktopTarget, type DesktopMatch } from '../../desktop/locate.js';
import { desktopPreflight } from '../../desktop/preflight.js';
import { findProcessWindows, findWindows, stackedWindows, windowAtPoint, type DesktopWindow } from '../../desktop/windows.js';
import type { StepContext } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';
import { hideSecrets } from './secret-areas.js';

/** Runs before a desktop step touches the screen; nut-js would crash the process without a display. */
export function ensureDesktop(): Promise<void> {
  return desktopPreflight();
}

/**
 * Saves a picture of the screen rectangle `at` as a screenshot artifact, with the run's typed
 * secrets painted over; `read`: also any word OCR reads there that holds a secret (slower: not
 * for the screenshot of a failing step, which must fit in what is left of the step's time).
 */
export async function saveDesktopPicture(ctx: StepContext, fileName: string, pixels: Bitmap, at: Rect, read = false, failure = false): Promise<string> {
  await hideSecrets(ctx, pixels, at, { read });
  return ctx.saveArtifact('screenshot', fileName, encodePng(pixels), { failure });
}

/** The whole screen when a step is failing (a target not found, covered), secrets painted over. */
export async function saveScreenshot(ctx: StepContext, fileName: string): Promise<string | undefined> {
  try {
    const pixels = await captureScreen();
    return await saveDesktopPicture(ctx, fileName, pixels, { x: 0, y: 0, width: pixels.width, height: pixels.height }, false, true);
  } catch (error) {
    ctx.log('warn', `could not capture the screen: ${(error as Error).message}`);
    return undefined;
  }
}

/** How long the screenshot of a target not found may take (the runner allows a step 2 s past its time). */
const NOT_FOUND_SCREENSHOT_MS = 1_500;

/**
 * Finds a target within the step's time; when it is not found, saves a screenshot first.
 * `settle`: (steps that act on the target) search its window only once it holds still.
 */
export async function locate(ctx: StepContext, target: DesktopTarget, timeoutMs = ctx.timeoutMs, settle = false): Promise<DesktopMatch> {
  const rendered = ctx.render(target) as DesktopTarget;
  try {
    const match = await locateDesktopTarget(rendered, { resolvePath: (file) => ctx.resolvePath(file), timeoutMs, signal: ctx.signal, settle });
    // A later candidate is weaker evidence than the first: say so where the run is read.
    if (match.index > 0) {
      const missed = rendered.candidates.slice(0, match.index).map((candidate) => describeCandidate(candidate)).join(', ');
      ctx.log('warn', `${describeDesktopTarget(rendered)} was found by a fallback, ${match.via}, after ${missed} did not match; check the step did the right thing and re-record it`);
    }
    return match;
  } catch (error) {
    if (error instanceof LocatorNotFoundError && !ctx.signal.aborted) {
      // Within the step's grace time: a screenshot that a loaded machine takes too long over is
      // left out (it is still saved when it finishes), rather than the step ending in a bare timeout.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), NOT_FOUND_SCREENSHOT_MS)));
      const screenshot = await Promise.race([saveScreenshot(ctx, 'not-found.png'), late]).finally(() => clearTimeout(timer));
      if (screenshot === 'late') throw new LocatorNotFoundError(`${error.message}\n  screenshot: not taken within ${NOT_FOUND_SCREENSHOT_MS} ms`, error.details);
      if (screenshot) throw new LocatorNotFoundError(`${error.message}\n  screenshot: ${screenshot}`, { ...error.details, screenshot });
    }
    throw error;
  }
}

export function matched(target: DesktopTarget, match: DesktopMatch): MatchedLocator {
  return { index: match.index, description: match.via, fallback: match.index > 0 && target.candidates.length > 1 };
}

/**
 * The one visible window matching a title pattern or process, waiting up to the step's time.
 * Several (two windows of one title): an error naming them, never the first listed.
 */
export async function waitForWindow(ctx: StepContext, by: { title: string } | { process: string }, doing: string): Promise<DesktopWindow> {
  const windows = await waitForWindows(ctx, by);
  if (windows.length === 1) return windows[0]!;
  const listed = windows.map((window) => `"${window.title}" at (${window.rect.x}, ${window.rect.y}) ${window.rect.width}×${window.rect.height}`);
  const named = 'title' in by ? `a title matching "${by.title}"` : `process "${by.process}"`;
  throw new AmbiguousLocatorError(`${windows.length} windows match (${named}): ${listed.join('; ')}; nothing was ${doing}. Close the others, or give a title that names one`, {
    windows: windows.map((window) => ({ id: window.id, title: window.title, rect: window.rect })),
  });
}

/** Every visible window matching a title pattern or process, once there is one, waiting up to the step's time. */
export async function waitForWindows(ctx: StepContext, by: { title: string } | { process: string }): Promise<DesktopWindow[]> {
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const windows = 'title' in by ? await findWindows(by.title) : await findProcessWindows(by.process);
    if (windows.length) return windows;
    if (Date.now() + 200 >= deadline) {
      throw new RpaError('title' in by ? `no visible window has a title matching "${by.title}"` : `process "${by.process}" has no visible window`);
    }
    await abortableSleep(200, ctx.signal);
  }
}

/** Between two looks at a point another window covers. */
const COVERED_POLL_MS = 250;

/**
 * Acts on a matched point only when its window is the topmost one there: another window mapped
 * over it (a notification, a dialog that took no focus) would take the click. Waits for that
 * window to go until `deadline`, then fails naming it, with a screenshot; nothing is clicked.
 * A popup (menu, drop-down list) belongs to the window that opened it and is let be. Where the
 * platform has no stacking order to read (not X11), nothing is checked.
 */
export async function refuseCovered(ctx: StepContext, target: DesktopTarget, match: DesktopMatch, deadline: number): Promise<void> {
  const own = match.window;
  if (!own) return;
  for (;;) {
    const stack = await stackedWindows().catch(() => undefined);
    if (!stack) return;
    const top = windowAtPoint(stack, match.point);
    if (!top || top.id === own.id || top.kind === 'popup') return;
    if (Date.now() + COVERED_POLL_MS >= deadline || ctx.signal.aborted) {
      const name = top.title ? `"${top.title}"` : 'an untitled window';
      const screenshot = await saveScreenshot(ctx, 'covered.png');
      throw new RpaError(
        `${describeDesktopTarget(ctx.render(target) as DesktopTarget)} was found in "${own.title}" by ${match.via} at (${match.point.x}, ${match.point.y}), but that point is covered by ${name} at (${top.outer.x}, ${top.outer.y}) ${top.outer.width}×${top.outer.height}, which would take the click; nothing was clicked${screenshot ? `\n  screenshot: ${screenshot}` : ''}`,
        { target: describeDesktopTarget(ctx.render(target) as DesktopTarget), window: own.title, point: match.point, coveredBy: { title: top.title, rect: top.outer }, ...(screenshot ? { screenshot } : {}) },
      );
    }
    await abortableSleep(COVERED_POLL_MS, ctx.signal);
  }
}
