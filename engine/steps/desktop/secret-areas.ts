// Where the secrets a run typed show on screen, so that no picture the run keeps or reads shows
// them. A desktop.type step that types a secret notes the part of its window that changed while
// it typed (the field, showing the secret as plain text or as dots); every later screenshot (the
// desktop.screenshot step, the screenshot of a target not found) and every OCR of desktop.read
// and desktop.assert has that part painted over, wherever the window has moved since. When the
// part cannot be told (no window was active, nothing visibly changed, the window changed size
// since), the whole window — or, without a window, the whole screen — is painted over instead:
// a picture that hides too much is a lesser harm than one that shows a password.
import { changedBox, intersects, paintOver, unionRect, type Bitmap, type Rect } from '../../desktop/bitmap.js';
import { activeWindow, windowById, type DesktopWindow } from '../../desktop/windows.js';
import { captureScreen } from '../../desktop/control.js';
import { recognize } from '../../desktop/ocr.js';
import type { StepContext } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';

interface SecretArea {
  /** The window typed into; undefined when none was active (then the whole screen counts). */
  windowId?: string;
  /** The window's size when the secret was typed: the region holds while it keeps it. */
  size?: { width: number; height: number };
  /** Window-relative part that shows the secret; undefined: the whole window. */
  region?: Rect;
}

const areasByRun = new Map<string, SecretArea[]>();

/** Extra pixels around what changed: the field's frame and a cursor drawn a moment later. */
const PAD_PX = 6;
/** How long the typed text is watched for redraws (Tk draws typed text in idle time). */
const WATCH_MS = 700;
const WATCH_STEP_MS = 120;

function areasOf(ctx: StepContext): SecretArea[] {
  let areas = areasByRun.get(ctx.runId);
  if (!areas) {
    areas = [];
    areasByRun.set(ctx.runId, areas);
    const runId = ctx.runId;
    ctx.onRunEnd(() => {
      areasByRun.delete(runId);
      return Promise.resolve();
    });
  }
  return areas;
}

/** True once this run has typed a secret somewhere on screen. */
export function typedSecrets(ctx: StepContext): boolean {
  return (areasByRun.get(ctx.runId)?.length ?? 0) > 0;
}

/**
 * Types `text` (which holds a secret) with `type`, noting where it shows: before typing, the
 * whole active window counts; after, only what changed in it while typing (padded).
 */
export async function typeSecret(ctx: StepContext, type: () => Promise<void>): Promise<void> {
  const window = await activeWindow().catch(() => undefined);
  const area: SecretArea = window ? { windowId: window.id, size: { width: window.rect.width, height: window.rect.height } } : {};
  // Noted first: a step that fails halfway has still shown part of the secret.
  areasOf(ctx).push(area);
  if (!window) {
    ctx.log('warn', 'a secret was typed with no active window: every screenshot of this run leaves the screen out');
    await type();
    return;
  }
  const before = await captureScreen(window.rect).catch(() => undefined);
  await type();
  const region = before && (await changedRegion(window, before, ctx.signal));
  if (region) area.region = region;
  else ctx.log('info', `a secret was typed in "${window.title}" where no change could be seen: screenshots of this run leave that whole window out`);
}

/** What changed in the window since `before`, watched for a moment; undefined when nothing (or the window moved). */
async function changedRegion(window: DesktopWindow, before: Bitmap, signal: AbortSignal): Promise<Rect | undefined> {
  let region: Rect | undefined;
  for (const until = Date.now() + WATCH_MS; ; ) {
    const now = await windowById(window.id).catch(() => undefined);
    if (!now || now.rect.x !== window.rect.x || now.rect.y !== window.rect.y || now.rect.width !== window.rect.width || now.rect.height !== window.rect.height) return undefined;
    const after = await captureScreen(window.rect).catch(() => undefined);
    if (!after) return undefined;
    const changed = changedBox(before, after);
    if (changed) region = region ? unionRect(region, changed) : changed;
    if (Date.now() >= until) break;
    await abortableSleep(WATCH_STEP_MS, signal);
  }
  if (!region) return undefined;
  return { x: region.x - PAD_PX, y: region.y - PAD_PX, width: region.width + 2 * PAD_PX, height: region.height + 2 * PAD_PX };
}

/** Screen rectangles showing this run's typed secrets now. */
async function secretRects(ctx: StepContext, screen: Rect): Promise<Rect[]> {
  const rects: Rect[] = [];
  for (const area of areasByRun.get(ctx.runId) ?? []) {
    if (!area.windowId) {
      rects.push(screen);
      continue;
    }
    const window = await windowById(area.windowId).catch(() => undefined);
    if (!window) continue; // closed: it shows nothing any more
    const sameSize = area.size && window.rect.width === area.size.width && window.rect.height === area.size.height;
    rects.push(area.region && sameSize ? { ...area.region, x: area.region.x + window.rect.x, y: area.region.y + window.rect.y } : window.rect);
  }
  return rects;
}

/**
 * Paints over every part of `pixels` (a capture of the screen rectangle `at`) that shows a secret
 * this run typed. With `read` set, the result is also read by OCR and any word holding a secret's
 * value (shown again elsewhere: a status line, a terminal) is painted over too. Returns how many
 * areas were painted.
 */
export async function hideSecrets(ctx: StepContext, pixels: Bitmap, at: Rect, options: { read?: boolean } = {}): Promise<number> {
  if (!typedSecrets(ctx)) return 0;
  let painted = 0;
  const screen = { x: 0, y: 0, width: Number.MAX_SAFE_INTEGER, height: Number.MAX_SAFE_INTEGER };
  for (const rect of await secretRects(ctx, screen)) {
    if (!intersects(rect, at)) continue;
    paintOver(pixels, { x: rect.x - at.x, y: rect.y - at.y, width: rect.width, height: rect.height });
    painted++;
  }
  if (options.read) {
    const { words } = await recognize(pixels, 'sparse');
    for (const word of words) {
      if (word.text.length >= 2 && ctx.containsSecret(word.text)) {
        paintOver(pixels, { x: word.box.x - PAD_PX, y: word.box.y - PAD_PX, width: word.box.width + 2 * PAD_PX, height: word.box.height + 2 * PAD_PX });
        painted++;
      }
    }
  }
  return painted;
}
