// desktop.waitFor, desktop.read, desktop.screenshot
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import { clampRect, crop, encodePng } from '../../desktop/bitmap.js';
import { captureScreen, screenSize } from '../../desktop/control.js';
import { waitUntilGone } from '../../desktop/locate.js';
import { recognize } from '../../desktop/ocr.js';
import type { StepContext, StepHandler } from '../../runner/step-context.js';
import { ensureDesktop, locate, matched, waitForWindow } from './common.js';

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
async function capture(ctx: StepContext, windowPattern: string | undefined, region?: { x: number; y: number; width: number; height: number }) {
  const window = windowPattern === undefined ? undefined : await waitForWindow(ctx, { title: ctx.renderText(windowPattern) });
  const screen = await screenSize();
  const area = window?.rect ?? { x: 0, y: 0, ...screen };
  const wanted = region ? { x: area.x + region.x, y: area.y + region.y, width: region.width, height: region.height } : area;
  const rect = clampRect(wanted, screen.width, screen.height);
  if (!rect.width || !rect.height) throw new RpaError(`the region ${JSON.stringify(region)} lies outside ${window ? `window "${window.title}"` : 'the screen'}`);
  return crop(await captureScreen(), rect);
}

export const read: StepHandler<StepOf<'desktop.read'>> = async (step, ctx) => {
  await ensureDesktop();
  const pixels = await capture(ctx, step.window, step.region);
  const { text } = await recognize(pixels, 'block');
  ctx.vars[step.into] = text;
};

export const screenshot: StepHandler<StepOf<'desktop.screenshot'>> = async (step, ctx) => {
  await ensureDesktop();
  const pixels = await capture(ctx, step.window);
  await ctx.saveArtifact('screenshot', step.fileName ?? 'desktop.png', encodePng(pixels));
};
