// browser.click, fill, select, check, press, upload, hover, dragTo
import { existsSync } from 'node:fs';
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

/** Clicks made again, at most, when a dialog the page opened on its own swallowed the click. */
const CLICK_REDOS = 3;

export const click: StepHandler<StepOf<'browser.click'>> = async (step, ctx) => {
  const session = ctx.browser();
  const page = session.page;
  const { locator, matched } = await ctx.resolve(step.target);
  for (let redo = 0; ; redo++) {
    const since = Date.now();
    const dialogsBefore = session.unarmedDialogs().count;
    try {
      await locator.click({
        timeout: ctx.timeoutMs,
        button: step.button ?? 'left',
        clickCount: step.clickCount ?? 1,
        ...(step.modifiers ? { modifiers: step.modifiers } : {}),
      });
    } catch (error) {
      // A "Close window" button closes its own tab while the click is being confirmed:
      // the click did what it should. Anything else is a real failure.
      if (!page.isClosed() || ctx.signal.aborted) throw error;
      ctx.log('info', 'the tab closed itself after the click');
      break;
    }
    // A dialog no step armed an answer for (the page's own timer, answered by a standing answer, or one
    // dismissed) opened while the click was being made: the browser drops input while a dialog is open, and
    // Playwright's click returns all the same. A click that never reached the element is made again.
    const dialog = session.unarmedDialogs();
    if (dialog.count === dialogsBefore || (await session.clickReached(locator, since)) !== false) break;
    if (redo >= CLICK_REDOS) throw new RpaError(`the click did not reach the page: a dialog the page opened on its own ("${dialog.message.slice(0, 80)}") took it, ${redo + 1} times`);
    ctx.log('warn', `the click did not reach the page (the dialog "${dialog.message.slice(0, 80)}" opened while it was made); clicking again`);
  }
  return { locator: matched };
};

export const fill: StepHandler<StepOf<'browser.fill'>> = async (step, ctx) => {
  const { locator, matched } = await ctx.resolve(step.target);
  const value = ctx.renderText(step.value);
  // Before filling: a fill that fails half-way leaves part of the secret in the field.
  if (ctx.containsSecret(value)) ctx.browser().rememberSecretField(locator);
  await locator.fill(value, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const select: StepHandler<StepOf<'browser.select'>> = async (step, ctx) => {
  const { locator, matched } = await ctx.resolve(step.target);
  const option = step.value !== undefined ? { value: ctx.renderText(step.value) } : { label: ctx.renderText(step.label ?? '') };
  await locator.selectOption(option, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const check: StepHandler<StepOf<'browser.check'>> = async (step, ctx) => {
  const { locator, matched } = await ctx.resolve(step.target);
  await locator.setChecked(step.checked, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const press: StepHandler<StepOf<'browser.press'>> = async (step, ctx) => {
  if (!step.target) {
    await ctx.browser().page.keyboard.press(step.key);
    return;
  }
  const { locator, matched } = await ctx.resolve(step.target);
  await locator.press(step.key, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

/**
 * Types key by key, as a person does: rich-text editors (contenteditable) take their text from
 * key and input events, which fill() bypasses. Playwright focuses the element only when it does
 * not have the focus already, so a caret or selection made by the steps before (a click, Control+A)
 * is where the text goes.
 */
export const type: StepHandler<StepOf<'browser.type'>> = async (step, ctx) => {
  const text = ctx.renderText(step.text);
  if (!step.target) {
    await ctx.browser().page.keyboard.type(text);
    return;
  }
  const { locator, matched } = await ctx.resolve(step.target);
  if (ctx.containsSecret(text)) ctx.browser().rememberSecretField(locator);
  await locator.pressSequentially(text, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const upload: StepHandler<StepOf<'browser.upload'>> = async (step, ctx) => {
  const files = step.files.map((file) => ctx.resolvePath(ctx.renderText(file)));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length) throw new RpaError(`file to upload not found: ${missing.join(', ')}`);
  const { locator, matched } = await ctx.resolve(step.target);
  await locator.setInputFiles(files, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const hover: StepHandler<StepOf<'browser.hover'>> = async (step, ctx) => {
  const { locator, matched } = await ctx.resolve(step.target);
  await locator.hover({ timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const dragTo: StepHandler<StepOf<'browser.dragTo'>> = async (step, ctx) => {
  const { locator, matched } = await ctx.resolve(step.target);
  const { locator: to } = await ctx.resolve(step.to);
  await locator.dragTo(to, { timeout: ctx.timeoutMs });
  return { locator: matched };
};
