// desktop.click, desktop.doubleClick, desktop.rightClick, desktop.type, desktop.press, desktop.drag
import type { StepOf } from '../../format/schema.js';
import type { Rect } from '../../desktop/bitmap.js';
import { captureScreen, click as clickAt, drag as dragBetween, pressKeys, typeText } from '../../desktop/control.js';
import type { DesktopMatch } from '../../desktop/locate.js';
import { changedFraction } from '../../desktop/match-image.js';
import { abortableSleep } from '../../runner/timing.js';
import type { StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, locate, matched, refuseCovered } from './common.js';
import { actedOn, checkKeysWindowAfter, ensureKeysWindow, ensureRecordedWindow, forgetKeysWindow } from './keys-window.js';
import { typeSecret } from './secret-areas.js';

type ClickKind = 'desktop.click' | 'desktop.doubleClick' | 'desktop.rightClick';

/** A point still covered this long before the step's time ends fails the step (its screenshot fits in the rest). */
const COVERED_MARGIN_MS = 1_000;

const clicking =
  (button: 'left' | 'right', count: 1 | 2): StepHandler<StepOf<ClickKind>> =>
  async (step, ctx) => {
    await ensureDesktop();
    const started = Date.now();
    // A window still being mapped, moved, resized or redrawn is clicked only once it holds still.
    const match = await locate(ctx, step.target, ctx.timeoutMs, true);
    // Never a click that another window on top would take.
    await refuseCovered(ctx, step.target, match, started + ctx.timeoutMs - COVERED_MARGIN_MS);
    const line = lineAround(match);
    const before = line && (await captureScreen(line).catch(() => undefined));
    // From the press on a failure is not retried: a second click could submit twice.
    await clickAt(match.point, button, count, () => ctx.inputSent('click'));
    // The next keys are meant for this window.
    actedOn(ctx, match.window);
    if (line && before) await untilReacted(line, before, ctx.signal);
    return { locator: matched(step.target, match) };
  };

/** The strip around the clicked point (inside its window): where a program shows it took the click. */
function lineAround(match: DesktopMatch): Rect | undefined {
  if (!match.window) return undefined;
  const { rect } = match.window;
  const half = { width: 60, height: 10 };
  const x = Math.max(rect.x, match.point.x - half.width);
  const y = Math.max(rect.y, match.point.y - half.height);
  const right = Math.min(rect.x + rect.width, match.point.x + half.width);
  const bottom = Math.min(rect.y + rect.height, match.point.y + half.height);
  return right - x >= 8 && bottom - y >= 4 ? { x, y, width: right - x, height: bottom - y } : undefined;
}

/** How long a click may go without a visible reaction before the next step goes on anyway. */
const REACTION_MS = 600;

/**
 * Waits until the pixels around the click change (a focus ring, a cursor, a pressed button) or
 * REACTION_MS passes. The next step's keys otherwise reach a busy program before it has handled
 * the click: the first character went into the previous field ("POL-200112", amount "50.75").
 */
async function untilReacted(line: Rect, before: Awaited<ReturnType<typeof captureScreen>>, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + REACTION_MS;
  while (Date.now() < deadline) {
    const now = await captureScreen(line).catch(() => undefined);
    if (!now || (await changedFraction(before, now)) > 0) return;
    await abortableSleep(40, signal);
  }
}


export const click = clicking('left', 1);
export const doubleClick = clicking('left', 2);
export const rightClick = clicking('right', 1);

export const type: StepHandler<StepOf<'desktop.type'>> = async (step, ctx) => {
  await ensureDesktop();
  // The text may hold a secret: it is typed, never logged, and where it shows is kept out of pictures.
  const text = ctx.renderText(step.text);
  // Only into the window the run last acted on: never into one that took the focus since.
  await ensureKeysWindow(ctx, 'typed');
  // And, when the recording saw which window got the keys, into that one.
  await ensureRecordedWindow(ctx, step.window, 'typed');
  // From here a failure is not retried: the keys that went out stay where they went.
  ctx.inputSent('keys');
  if (ctx.containsSecret(text)) await typeSecret(ctx, () => typeText(text));
  else await typeText(text);
  await checkKeysWindowAfter(ctx);
};

/** Combinations that move the focus to another window on purpose (Alt+Tab, Super+2). */
const SWITCHING = /\b(Alt|Meta|Super|Cmd|Command|Win)\+/i;

export const press: StepHandler<StepOf<'desktop.press'>> = async (step, ctx) => {
  await ensureDesktop();
  await ensureKeysWindow(ctx, 'pressed');
  await ensureRecordedWindow(ctx, step.window, 'pressed');
  ctx.inputSent('keys');
  await pressKeys(step.keys);
  // After such keys the focus is where they put it: the next keys follow it.
  if (SWITCHING.test(step.keys)) forgetKeysWindow(ctx);
};

export const drag: StepHandler<StepOf<'desktop.drag'>> = async (step, ctx) => {
  await ensureDesktop();
  const started = Date.now();
  const from = await locate(ctx, step.from, ctx.timeoutMs, true);
  await refuseCovered(ctx, step.from, from, started + ctx.timeoutMs - COVERED_MARGIN_MS);
  const to = await locate(ctx, step.to, Math.max(1, ctx.timeoutMs - (Date.now() - started)), true);
  await refuseCovered(ctx, step.to, to, started + ctx.timeoutMs - COVERED_MARGIN_MS);
  await dragBetween(from.point, to.point, () => ctx.inputSent('drag'));
  actedOn(ctx, from.window);
  return { locator: matched(step.from, from) };
};
