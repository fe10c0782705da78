// browser.click, fill, select, check, press, upload, hover, dragTo
import { existsSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { RpaError } from '../../errors.js';
import type { StepOf } from '../../format/schema.js';
import type { StepHandler } from '../../runner/step-context.js';

/** Longest a look at an element's state (enabled, editable) may wait for it: a look, not a wait. */
const LOOK_MS = 50;

/** Clicks, key presses and drags made again, at most, when a dialog the page opened swallowed them. */
const CLICK_REDOS = 3;

export const click: StepHandler<StepOf<'browser.click'>> = async (step, ctx) => {
  const session = ctx.browser();
  const page = session.page;
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  const options = { button: step.button ?? 'left', clickCount: step.clickCount ?? 1, ...(step.modifiers ? { modifiers: step.modifiers } : {}) } as const;
  await ctx.ready(found, { trial: (timeout) => locator.click({ ...options, trial: true, timeout }) });
  for (let redo = 0; ; redo++) {
    const since = Date.now();
    const dialogsBefore = session.unarmedDialogs().count;
    try {
      await locator.click({ ...options, timeout: ctx.timeoutMs });
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

/** Visible and editable now, as a fill waits for: a look that changes nothing. */
const editable = (locator: Locator) => async (): Promise<boolean> => (await locator.isVisible()) && (await locator.isEditable({ timeout: LOOK_MS }));

export const fill: StepHandler<StepOf<'browser.fill'>> = async (step, ctx) => {
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  await ctx.ready(found, { look: editable(locator) });
  const value = ctx.renderText(step.value);
  // Before filling: a fill that fails half-way leaves part of the secret in the field.
  if (ctx.containsSecret(value)) ctx.browser().rememberSecretField(locator);
  await locator.fill(value, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const select: StepHandler<StepOf<'browser.select'>> = async (step, ctx) => {
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  await ctx.ready(found, { look: async () => (await locator.isVisible()) && (await locator.isEnabled({ timeout: LOOK_MS })) });
  const option = step.value !== undefined ? { value: ctx.renderText(step.value) } : { label: ctx.renderText(step.label ?? '') };
  await locator.selectOption(option, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

export const check: StepHandler<StepOf<'browser.check'>> = async (step, ctx) => {
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  await ctx.ready(found, { trial: (timeout) => locator.setChecked(step.checked, { trial: true, timeout }) });
  await locator.setChecked(step.checked, { timeout: ctx.timeoutMs });
  return { locator: matched };
};

/** The keys of a combination ("Control+Shift+A", "Control++"), split as Playwright splits them. */
function keysOf(combination: string): string[] {
  const keys: string[] = [];
  let building = '';
  for (const char of combination) {
    if (char === '+' && building) {
      keys.push(building);
      building = '';
    } else building += char;
  }
  keys.push(building);
  return keys;
}

/**
 * The characters of a text Playwright types as key presses: those of its US keyboard layout (printable ASCII,
 * and a line break as Enter). Every other one — a tab, é, ß, 東, an emoji, one code point at a time — it
 * inserts as text, as an IME does: no key event, a textInput of its own.
 */
const KEYED = /[\x20-\x7e\n\r]/;

const quoted = (message: string): string => `"${message.slice(0, 80)}"`;

/**
 * A press. While a dialog is open the browser drops input and Playwright returns all the same: a dialog
 * the page opened between the key's events (its own timer, answered by a standing answer, or dismissed)
 * may have taken the key. One that reached the page in no part is pressed again (at most CLICK_REDOS
 * times); one whose keydown reached it but not its release is released (the page saw it go down once:
 * pressing again would press it twice).
 */
export const press: StepHandler<StepOf<'browser.press'>> = async (step, ctx) => {
  const session = ctx.browser();
  const found = step.target ? await ctx.resolve(step.target) : undefined;
  const keys = keysOf(step.key);
  for (let redo = 0; ; redo++) {
    const page = session.page;
    const since = Date.now();
    const dialogsBefore = session.dialogsOpened().count;
    if (found) await found.locator.press(step.key, { timeout: ctx.timeoutMs });
    else await page.keyboard.press(step.key);
    const dialog = session.dialogsOpened();
    if (dialog.count === dialogsBefore) break;
    const reached = await session.inputSince(page, since);
    if (!reached) break;
    const downs = reached.filter((type) => type === 'keydown').length;
    const ups = reached.filter((type) => type === 'keyup').length;
    if (downs < keys.length) {
      if (redo >= CLICK_REDOS) throw new RpaError(`the key ${step.key} did not reach the page: a dialog the page opened (${quoted(dialog.message)}) took it, ${redo + 1} times`);
      ctx.log('warn', `the key ${step.key} did not reach the page (the dialog ${quoted(dialog.message)} opened while it was pressed); pressed again`);
      continue;
    }
    if (ups < keys.length) {
      // Released in the reverse order of pressing: the releases the dialog took are the last ones.
      const unreleased = [...keys].reverse().slice(ups);
      ctx.log('warn', `the dialog ${quoted(dialog.message)} opened while ${step.key} was pressed and took its release; released ${unreleased.join(', ')}`);
      for (const key of unreleased) await page.keyboard.up(key);
    }
    break;
  }
  return found ? { locator: found.matched } : undefined;
};

/**
 * Types key by key, as a person does: rich-text editors (contenteditable) take their text from
 * key and input events, which fill() bypasses. Playwright focuses the element only when it does
 * not have the focus already, so a caret or selection made by the steps before (a click, Control+A)
 * is where the text goes. A dialog that opened while typing (the page's own timer) may have taken
 * some keys: the browser drops input while a dialog is open. Then the step fails, saying so — typing
 * again could type part of the text twice — unless only the last key's release was taken (it is released).
 */
export const type: StepHandler<StepOf<'browser.type'>> = async (step, ctx) => {
  const text = ctx.renderText(step.text);
  const session = ctx.browser();
  const page = session.page;
  const found = step.target ? await ctx.resolve(step.target) : undefined;
  if (found && ctx.containsSecret(text)) session.rememberSecretField(found.locator);
  const since = Date.now();
  const dialogsBefore = session.dialogsOpened().count;
  if (found) await found.locator.pressSequentially(text, { timeout: ctx.timeoutMs });
  else await page.keyboard.type(text);
  const dialog = session.dialogsOpened();
  if (dialog.count !== dialogsBefore) {
    const reached = await session.inputSince(page, since);
    const chars = [...text];
    const keys = chars.filter((char) => KEYED.test(char));
    const inserted = chars.length - keys.length;
    const count = (type: string, sent: number): number => (reached ? Math.min(sent, reached.filter((t) => t === type).length) : sent);
    const downs = count('keydown', keys.length);
    const ups = count('keyup', keys.length);
    const inserts = count('insert', inserted);
    if (downs < keys.length || inserts < inserted) {
      throw new RpaError(
        `only ${downs + inserts} of the ${chars.length} characters reached the page: the dialog ${quoted(dialog.message)} opened while they were typed, and the browser drops input while a dialog is open. Not typed again (part of the text would be typed twice): a fill sets the value in one go, or a waiting browser.dialog step before this one lets the dialog come first`,
      );
    }
    if (ups < keys.length) {
      const lastKey = reached?.filter((t) => t === 'keydown' || t === 'keyup').at(-1);
      if (lastKey !== 'keydown') ctx.log('warn', `the dialog ${quoted(dialog.message)} opened while typing and took the release of ${keys.length - ups} key(s) in the middle of the text; every key went down`);
      else {
        ctx.log('warn', `the dialog ${quoted(dialog.message)} opened while typing and took the release of its last key; released it`);
        await page.keyboard.up(keys.at(-1) === '\n' || keys.at(-1) === '\r' ? 'Enter' : keys.at(-1)!);
      }
    }
  }
  return found ? { locator: found.matched } : undefined;
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
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  await ctx.ready(found, { trial: (timeout) => locator.hover({ trial: true, timeout }) });
  await locator.hover({ timeout: ctx.timeoutMs });
  return { locator: matched };
};

/**
 * A drag. A dialog the page opened while it was made (its own timer, say on dragstart) takes the input
 * sent while it is open, the release among it: nothing is dropped and Playwright returns all the same.
 * A drag whose release reached the page in no frame (no mouseup, drop or dragend) dropped nothing, so
 * it is made again (at most CLICK_REDOS times), once the drag the page still has going is cancelled.
 */
export const dragTo: StepHandler<StepOf<'browser.dragTo'>> = async (step, ctx) => {
  const session = ctx.browser();
  const found = await ctx.resolve(step.target);
  const { locator, matched } = found;
  const { locator: to } = await ctx.resolve(step.to);
  await ctx.ready(found, { trial: (timeout) => locator.hover({ trial: true, timeout }) });
  for (let redo = 0; ; redo++) {
    const page = session.page;
    const since = Date.now();
    const dialogsBefore = session.dialogsOpened().count;
    await locator.dragTo(to, { timeout: ctx.timeoutMs });
    const dialog = session.dialogsOpened();
    if (dialog.count === dialogsBefore) break;
    const reached = await session.inputSince(page, since);
    if (!reached || reached.some((type) => type === 'mouseup' || type === 'drop' || type === 'dragend')) break;
    if (redo >= CLICK_REDOS) throw new RpaError(`the drag did not reach the page: a dialog the page opened (${quoted(dialog.message)}) took its drop, ${redo + 1} times`);
    ctx.log('warn', `the drag did not reach the page (the dialog ${quoted(dialog.message)} opened while it was made and took its drop); dragging again`);
    await session.cancelDrag(page);
  }
  return { locator: matched };
};
