// desktop.waitFor, desktop.read, desktop.screenshot, desktop.assert
import { AssertionFailedError, RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import { clampRect, crop } from '../../desktop/bitmap.js';
import { captureScreen, readClipboard, screenSize } from '../../desktop/control.js';
import { waitUntilGone } from '../../desktop/locate.js';
import { recognize } from '../../desktop/ocr.js';
import { findWindows } from '../../desktop/windows.js';
import { abortableSleep } from '../../runner/timing.js';
import type { StepContext, StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, locate, matched, saveDesktopPicture, waitForWindow } from './common.js';
import { hideSecrets } from './secret-areas.js';

export const waitFor: StepHandler<StepOf<'desktop.waitFor'>> = async (step, ctx) => {
  await ensureDesktop();
  if (step.state === 'disappears') {
    await waitUntilGone(ctx.render(step.target) as typeof step.target, { resolvePath: (file) => ctx.resolvePath(file), timeoutMs: ctx.timeoutMs, signal: ctx.signal });
    return;
  }
  const match = await locate(ctx, step.target);
  return { locator: matched(step.target, match) };
};

/** The window's (or the screen's) pixels, optionally only a region relative to it. */
async function capture(ctx: StepContext, windowPattern: string | undefined, doing: string, region?: { x: number; y: number; width: number; height: number }) {
  const window = windowPattern === undefined ? undefined : await waitForWindow(ctx, { title: ctx.renderText(windowPattern) }, doing);
  const screen = await screenSize();
  const area = window?.rect ?? { x: 0, y: 0, ...screen };
  const wanted = region ? { x: area.x + region.x, y: area.y + region.y, width: region.width, height: region.height } : area;
  const rect = clampRect(wanted, screen.width, screen.height);
  if (!rect.width || !rect.height) throw new RpaError(`the region ${JSON.stringify(region)} lies outside ${window ? `window "${window.title}"` : 'the screen'}`);
  // Secrets this run typed are painted over before anything reads or keeps the picture.
  const pixels = crop(await captureScreen(), rect);
  await hideSecrets(ctx, pixels, rect);
  return { pixels, rect };
}

export const read: StepHandler<StepOf<'desktop.read'>> = async (step, ctx) => {
  await ensureDesktop();
  const { pixels } = await capture(ctx, step.window, 'read', step.region);
  const { text } = await recognize(pixels, 'block');
  ctx.vars[step.into] = text;
};

export const screenshot: StepHandler<StepOf<'desktop.screenshot'>> = async (step, ctx) => {
  await ensureDesktop();
  const { pixels, rect } = await capture(ctx, step.window, 'captured');
  await saveDesktopPicture(ctx, step.fileName ?? 'desktop.png', pixels, rect, true);
};

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Checks what the desktop shows, polling until it holds or the step's time runs out: OCR text
 * in a window (or a region of it), a window open or closed, the clipboard's content. A failed
 * check fails the run with what was seen last (the clipboard's content is not repeated: it may
 * hold a secret).
 */
export const assert: StepHandler<StepOf<'desktop.assert'>> = async (step, ctx) => {
  await ensureDesktop();
  const window = step.window === undefined ? undefined : ctx.renderText(step.window);
  const expected = step.expected === undefined ? undefined : squash(ctx.renderText(step.expected));
  const deadline = Date.now() + ctx.timeoutMs;
  const fail = (message: string, details: Record<string, unknown>): AssertionFailedError =>
    new AssertionFailedError(step.message ? `${step.message} (${message})` : message, { assert: step.assert, ...details });
  for (;;) {
    let seen: string;
    if (step.assert === 'windowOpen' || step.assert === 'windowClosed') {
      const windows = await findWindows(window!);
      if ((windows.length > 0) === (step.assert === 'windowOpen')) return;
      seen = step.assert === 'windowOpen' ? `no visible window has a title matching "${window}"` : `window "${windows[0]!.title}" is still open`;
    } else if (step.assert === 'clipboardEquals') {
      const text = await readClipboard();
      if (text === ctx.renderText(step.expected!)) return;
      seen = `the clipboard holds ${text.length} other characters`;
    } else {
      let text: string | undefined;
      try {
        const { pixels } = await capture(ctx, window, 'checked', step.region);
        text = squash((await recognize(pixels, 'block')).text);
      } catch (error) {
        if (Date.now() + 250 >= deadline) throw fail(`expected ${window ? `window "${window}"` : 'the screen'} to show "${expected}": ${(error as Error).message}`, { expected, actual: null });
      }
      if (text !== undefined && text.toLowerCase().includes(expected!.toLowerCase())) return;
      seen = `read "${(text ?? '').slice(0, 200)}"`;
      if (Date.now() + 250 >= deadline) throw fail(`expected ${window ? `window "${window}"` : 'the screen'}${step.region ? ` (region ${JSON.stringify(step.region)})` : ''} to show "${expected}"; OCR ${seen}`, { expected, actual: text ?? null });
    }
    if (Date.now() + 250 >= deadline) throw fail(`desktop.assert ${step.assert} failed after ${ctx.timeoutMs} ms: ${seen}`, { ...(window ? { window } : {}) });
    await abortableSleep(250, ctx.signal);
  }
};
