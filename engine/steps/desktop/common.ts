// What every desktop step handler shares: the preflight, locating targets (with a screenshot
// when one is not found) and finding windows within the step's time.
import type { MatchedLocator } from '../../events.js';
import { LocatorNotFoundError, RpaError } from '../../errors.js';
import type { DesktopTarget } from '../../format/schema.js';
import { encodePng, type Bitmap, type Rect } from '../../desktop/bitmap.js';
import { describeCandidate, describeDesktopTarget } from '../../desktop/describe.js';
import { captureScreen } from '../../desktop/control.js';
import { locateDesktopTarget, type DesktopMatch } from '../../desktop/locate.js';
import { desktopPreflight } from '../../desktop/preflight.js';
import { findProcessWindows, findWindows, type DesktopWindow } from '../../desktop/windows.js';
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
export async function saveDesktopPicture(ctx: StepContext, fileName: string, pixels: Bitmap, at: Rect, read = false): Promise<string> {
  await hideSecrets(ctx, pixels, at, { read });
  return ctx.saveArtifact('screenshot', fileName, encodePng(pixels));
}

export async function saveScreenshot(ctx: StepContext, fileName: string): Promise<string | undefined> {
  try {
    const pixels = await captureScreen();
    return await saveDesktopPicture(ctx, fileName, pixels, { x: 0, y: 0, width: pixels.width, height: pixels.height });
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

/** The first visible window matching a title pattern or process, waiting up to the step's time. */
export async function waitForWindow(ctx: StepContext, by: { title: string } | { process: string }): Promise<DesktopWindow> {
  return (await waitForWindows(ctx, by))[0]!;
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
