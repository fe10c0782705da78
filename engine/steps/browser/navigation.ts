// browser.open, browser.goto, browser.switchTab
import type { Page } from 'playwright-core';
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';

export const open: StepHandler<StepOf<'browser.open'>> = async (step, ctx) => {
  const session = await ctx.openBrowser(step.viewport);
  if (step.url) await session.page.goto(ctx.renderText(step.url), { timeout: ctx.timeoutMs });
};

export const goto: StepHandler<StepOf<'browser.goto'>> = async (step, ctx) => {
  await ctx.browser().page.goto(ctx.renderText(step.url), { timeout: ctx.timeoutMs, waitUntil: step.waitUntil ?? 'load' });
};

async function matches(page: Page, step: StepOf<'browser.switchTab'>, ctx: Parameters<StepHandler>[1], pages: Page[]): Promise<boolean> {
  if (step.index !== undefined && pages.indexOf(page) !== step.index) return false;
  if (step.urlContains !== undefined && !page.url().includes(ctx.renderText(step.urlContains))) return false;
  if (step.titleContains !== undefined) {
    const title = await page.title().catch(() => '');
    if (!title.includes(ctx.renderText(step.titleContains))) return false;
  }
  return true;
}

export const switchTab: StepHandler<StepOf<'browser.switchTab'>> = async (step, ctx) => {
  const session = ctx.browser();
  let from: Page | undefined;
  try {
    from = session.page;
  } catch {
    from = undefined; // the current tab is already closed (a popup that closed itself)
  }
  if (step.closeCurrent && from) await from.close();
  const anyCriteria = step.index !== undefined || step.urlContains !== undefined || step.titleContains !== undefined;
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const pages = session.openPages();
    // Without criteria: the newest tab other than the one we are on.
    const candidates = anyCriteria ? pages : pages.filter((p) => p !== from).reverse();
    for (const page of candidates) {
      if (await matches(page, step, ctx, pages)) {
        await page.waitForLoadState('domcontentloaded', { timeout: Math.max(1, deadline - Date.now()) });
        await session.switchTo(page);
        ctx.log('info', `switched to tab ${pages.indexOf(page)}: ${page.url()}`);
        return;
      }
    }
    if (Date.now() >= deadline) break;
    await abortableSleep(100, ctx.signal);
  }
  const open = session.openPages().map((p, i) => `${i}: ${p.url()}`).join(', ');
  throw new RpaError(`no tab matched within ${ctx.timeoutMs} ms (open tabs: ${open || 'none'})`);
};
