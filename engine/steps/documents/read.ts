// read.document and read.screen: a document file or what the browser shows → text with
// pages, lines and boxes, stored in a variable for ai.extract and friends.
import { readDocument } from '../../documents/read-document.js';
import { readImageText } from '../../documents/read-image.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

export const readDocumentStep: StepHandler<StepOf<'read.document'>> = async (step, ctx) => {
  const file = ctx.resolvePath(ctx.renderText(step.file));
  const result = await readDocument(file, { ocr: step.ocr, language: step.language, signal: ctx.signal });
  ctx.vars[step.into] = result;
  const lines = result.pages.reduce((sum, page) => sum + page.lines.length, 0);
  ctx.log('info', `read ${file}: ${result.pages.length} page(s), ${lines} lines (${result.method})`);
};

export const readScreenStep: StepHandler<StepOf<'read.screen'>> = async (step, ctx) => {
  // Through the session, so fields filled from secrets are masked before OCR can read them.
  const session = ctx.browser();
  const page = session.page;
  let png: Buffer;
  let origin = { x: 0, y: 0 };
  let matched;
  if (step.target) {
    const resolved = await ctx.resolve(step.target);
    matched = resolved.matched;
    const box = await resolved.locator.boundingBox({ timeout: ctx.timeoutMs });
    if (box) origin = { x: box.x, y: box.y };
    png = await session.screenshot(page, { element: resolved.locator, timeout: ctx.timeoutMs, scale: 'css' });
  } else if (step.region) {
    origin = { x: step.region.x, y: step.region.y };
    png = await session.screenshot(page, { clip: step.region, timeout: ctx.timeoutMs, scale: 'css' });
  } else {
    png = await session.screenshot(page, { timeout: ctx.timeoutMs, scale: 'css' });
  }
  const result = await readImageText(png, { origin, language: step.language, signal: ctx.signal });
  ctx.vars[step.into] = result;
  ctx.log('info', `read the screen: ${result.pages[0]!.lines.length} lines`);
  return matched ? { locator: matched } : undefined;
};
