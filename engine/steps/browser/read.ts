// browser.waitFor, browser.extract, browser.assert, browser.screenshot
import type { Locator } from 'playwright-core';
import { AmbiguousLocatorError, AssertionFailedError, LocatorNotFoundError, RpaError } from '../../errors.js';
import type { StepOf, Target } from '../../format/schema.js';
import { describeTarget, isGone } from '../../runner/locate.js';
import type { StepContext, StepHandler } from '../../runner/step-context.js';
import { abortableSleep } from '../../runner/timing.js';

export const waitFor: StepHandler<StepOf<'browser.waitFor'>> = async (step, ctx) => {
  const page = ctx.browser().page;
  if (step.loadState) {
    await page.waitForLoadState(step.loadState, { timeout: ctx.timeoutMs });
    return;
  }
  if (step.urlContains !== undefined) {
    const part = ctx.renderText(step.urlContains);
    await page.waitForURL((url) => url.href.includes(part), { timeout: ctx.timeoutMs });
    return;
  }
  const state = step.state ?? 'visible';
  if (state === 'hidden' || state === 'detached') {
    // The element may be gone already; "nothing matches" is success here.
    const target = ctx.render(step.target!) as Target;
    await pollUntil(ctx, () => isGone(page, target, state), `${describeTarget(step.target!)} to be ${state}`);
    return;
  }
  const { locator, matched } = await ctx.resolve(step.target!);
  await locator.waitFor({ state, timeout: ctx.timeoutMs });
  return { locator: matched };
};

async function pollUntil(ctx: StepContext, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + ctx.timeoutMs;
  while (!(await check())) {
    if (Date.now() >= deadline) throw new RpaError(`waited ${ctx.timeoutMs} ms for ${what}`);
    await abortableSleep(100, ctx.signal);
  }
}

// Runs in the page: a table element → list of row objects keyed by header text.
// Node code here is compiled without DOM types, so the DOM is described structurally.
interface DomElement {
  tagName: string;
  textContent: string | null;
  children: ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

function readTable(table: DomElement): Array<Record<string, string>> {
  const clean = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();
  const rows = Array.from(table.querySelectorAll('tr'));
  if (!rows.length) return [];
  // A record laid out as label/value rows ("Claim | CLM-1", "Policy | POL-2": a header cell
  // first in every row, data cells after it) is one record keyed by its labels, not a list
  // keyed by the first row's data.
  const cellsOf = (row: DomElement): DomElement[] => Array.from(row.children);
  const labelled = rows.filter((row) => cellsOf(row).length >= 2);
  const keyValue =
    !table.querySelector('thead') &&
    labelled.length > 0 &&
    labelled.every((row) => {
      const [first, ...rest] = cellsOf(row);
      return first!.tagName === 'TH' && rest.every((cell) => cell.tagName === 'TD');
    });
  if (keyValue) return [Object.fromEntries(labelled.map((row, i) => { const [label, ...values] = cellsOf(row); return [clean(label!.textContent).replace(/:$/, '') || `field${i + 1}`, values.map((v) => clean(v.textContent)).join(' ')]; }))];
  const headerRow = table.querySelector('thead tr') ?? rows.find((row) => row.querySelector('th')) ?? rows[0]!;
  const headers = Array.from(headerRow.children).map((cell, i) => clean(cell.textContent) || `column${i + 1}`);
  return rows
    .filter((row) => row !== headerRow && row.querySelector('td'))
    .map((row) => {
      const cells = Array.from(row.children);
      return Object.fromEntries(headers.map((header, i) => [header, clean(cells[i]?.textContent ?? null)]));
    });
}

function applyPattern(value: string, pattern: string | undefined): string {
  if (pattern === undefined) return value;
  const match = new RegExp(pattern).exec(value);
  if (!match) throw new RpaError(`extracted text "${value.slice(0, 200)}" does not match pattern /${pattern}/`);
  return match[1] ?? match[0];
}

export const extract: StepHandler<StepOf<'browser.extract'>> = async (step, ctx) => {
  if (step.what === 'count') {
    // Counting wants every match, not exactly one: use the first candidate as written.
    const resolved = await ctx.resolve(step.target).catch(() => undefined);
    const count = resolved ? await resolved.locator.count() : 0;
    ctx.vars[step.into] = count;
    return resolved ? { locator: resolved.matched } : undefined;
  }
  const { locator, matched } = await ctx.resolve(step.target);
  const timeout = ctx.timeoutMs;
  let value: unknown;
  switch (step.what) {
    case 'text':
      value = applyPattern((await locator.innerText({ timeout })).trim(), step.pattern);
      break;
    case 'value':
      value = applyPattern(await locator.inputValue({ timeout }), step.pattern);
      break;
    case 'attribute': {
      if (!step.attribute) throw new RpaError('browser.extract with what "attribute" needs "attribute"');
      value = applyPattern((await locator.getAttribute(step.attribute, { timeout })) ?? '', step.pattern);
      break;
    }
    case 'allTexts':
      value = (await locator.locator(':scope > *').allInnerTexts()).map((t) => t.trim());
      break;
    case 'table':
      value = await locator.evaluate(readTable);
      break;
  }
  ctx.vars[step.into] = value;
  return { locator: matched };
};

/** Text as a reader sees it: runs of whitespace (line breaks included) are one space; no space at the ends. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Runs in the page: what the matching elements show now (no waiting: an absent element is an answer). */
function readElements(elements: Array<{ innerText?: string; value?: unknown }>, what: 'text' | 'value'): Array<string | null> {
  return elements.map((element) => {
    if (what === 'text') return element.innerText ?? '';
    return typeof element.value === 'string' ? element.value : null;
  });
}

type Reading = { present: true; actual: string } | { present: false; count: number };

/** One look at the element an assertion is about. */
async function readOnce(locator: Locator, what: 'text' | 'value'): Promise<Reading> {
  const values = await locator.evaluateAll(readElements, what);
  if (values.length !== 1) return { present: false, count: values.length };
  const value = values[0];
  if (value === null || value === undefined) throw new RpaError(`${what === 'value' ? 'valueEquals needs an <input>, <textarea> or <select>' : 'the element has no text'}; use textEquals or textContains for other elements`);
  return { present: true, actual: value };
}

export const assert: StepHandler<StepOf<'browser.assert'>> = async (step, ctx) => {
  const page = ctx.browser().page;
  const textual = step.assert === 'textEquals' || step.assert === 'textContains';
  const rendered = step.expected === undefined ? undefined : ctx.renderText(step.expected);
  // Text is compared as read: whitespace collapsed and trimmed, the same on both sides.
  const expected = rendered !== undefined && textual ? normalizeText(rendered) : rendered;
  const needsTarget = !['urlContains', 'titleContains'].includes(step.assert);
  if (needsTarget && !step.target) throw new RpaError(`browser.assert "${step.assert}" needs a target`);
  const subject = step.target ? describeTarget(step.target) : 'page';
  const wanted = `expected ${step.assert}${expected !== undefined ? ` "${expected}"` : ''}`;
  const fail = (message: string, details: Record<string, unknown>): AssertionFailedError =>
    new AssertionFailedError(step.message ? `${step.message} (${message})` : message, { assert: step.assert, expected, ...details });
  const deadline = Date.now() + ctx.timeoutMs;

  let locator: Locator | undefined;
  let matchedLocator;
  if (step.assert !== 'urlContains' && step.assert !== 'titleContains' && step.assert !== 'hidden') {
    try {
      ({ locator, matched: matchedLocator } = await ctx.resolve(step.target!));
    } catch (error) {
      if (!(error instanceof LocatorNotFoundError || error instanceof AmbiguousLocatorError)) throw error;
      // The element never showed up: that is the assertion failing, in the builder's words.
      throw fail(`${subject}: ${wanted}, but no element matched (${error.message})`, { actual: null });
    }
  }

  let actual: string | undefined;
  let lastSeen: string | undefined;
  /** How many elements matched when the element was not there as one (0: gone; more: ambiguous). */
  let notOne: number | undefined;
  for (;;) {
    let ok: boolean;
    switch (step.assert) {
      case 'urlContains':
        actual = page.url();
        ok = actual.includes(expected ?? '');
        break;
      case 'titleContains':
        actual = await page.title();
        ok = actual.includes(expected ?? '');
        break;
      case 'hidden':
        ok = await isGone(page, ctx.render(step.target!) as Target, 'hidden');
        actual = ok ? 'hidden' : 'visible';
        break;
      case 'visible':
        ok = await locator!.isVisible();
        actual = ok ? 'visible' : 'not visible';
        break;
      default: {
        // Read without waiting: once the budget is spent a waiting read would report its own
        // timeout instead of what the page shows.
        const reading = await readOnce(locator!, step.assert === 'valueEquals' ? 'value' : 'text');
        notOne = reading.present ? undefined : reading.count;
        if (!reading.present) {
          ok = false;
          break;
        }
        actual = step.assert === 'valueEquals' ? reading.actual : normalizeText(reading.actual);
        lastSeen = actual;
        ok = step.assert === 'textContains' ? actual.includes(expected ?? '') : actual === expected;
      }
    }
    if (ok) return { locator: matchedLocator };
    if (Date.now() >= deadline) break;
    await abortableSleep(100, ctx.signal);
  }
  if (notOne !== undefined) {
    const seen = lastSeen !== undefined ? ` (last seen: "${lastSeen.slice(0, 300)}")` : '';
    const why = notOne === 0 ? 'the element is no longer on the page' : `${notOne} elements match it now`;
    throw fail(`${subject}: ${wanted}, but ${why}${seen}`, { actual: null, matches: notOne, ...(lastSeen !== undefined ? { lastSeen: lastSeen.slice(0, 1000) } : {}) });
  }
  throw fail(`${subject}: ${wanted}, got "${(actual ?? '').slice(0, 300)}"`, { actual: (actual ?? '').slice(0, 1000) });
};

export const screenshot: StepHandler<StepOf<'browser.screenshot'>> = async (step, ctx) => {
  const name = step.fileName ?? 'screenshot.png';
  const session = ctx.browser();
  // Through the session: fields filled from secrets are masked.
  if (step.target) {
    const { locator, matched } = await ctx.resolve(step.target);
    await ctx.saveArtifact('screenshot', name, await session.screenshot(session.page, { element: locator, timeout: ctx.timeoutMs }));
    return { locator: matched };
  }
  await ctx.saveArtifact('screenshot', name, await session.screenshot(session.page, { fullPage: step.fullPage ?? false, timeout: ctx.timeoutMs }));
};

export const dialog: StepHandler<StepOf<'browser.dialog'>> = async (step, ctx) => {
  const session = ctx.browser();
  const vars = ctx.vars;
  let answered!: () => void;
  const came = new Promise<void>((resolve) => (answered = resolve));
  const expectMessage = step.expectMessage === undefined ? undefined : ctx.renderText(step.expectMessage);
  const answer = {
    action: step.action,
    promptText: step.promptText === undefined ? undefined : ctx.renderText(step.promptText),
    expectMessage,
    armedBy: ctx.path,
    onDialog: (message: string) => {
      if (step.saveMessageAs) vars[step.saveMessageAs] = message;
    },
    answered,
  };
  if (step.whenever) {
    const standing = session.standDialog(answer);
    if (!step.wait) return;
    // The page's own dialog (a timer of its own): it may have opened already, while earlier steps ran.
    const wanted = ++standing.waited;
    const deadline = Date.now() + ctx.timeoutMs;
    while (standing.seen < wanted) {
      if (Date.now() >= deadline) {
        throw new RpaError(`the ${expectMessage !== undefined ? `dialog saying "${expectMessage}"` : 'dialog'} the page opens on its own did not open within ${ctx.timeoutMs} ms (the recording had it open by here)`);
      }
      await abortableSleep(50, ctx.signal);
    }
    return;
  }
  session.armDialog(answer);
  if (!step.wait) return;
  // A dialog that comes a while after the step before it: the next step must not run before it.
  const deadline = Date.now() + ctx.timeoutMs;
  let done = false;
  void came.then(() => (done = true));
  while (!done) {
    if (Date.now() >= deadline) {
      session.disarmDialog(answer);
      throw new RpaError(`no dialog${expectMessage !== undefined ? ` saying "${expectMessage}"` : ''} appeared within ${ctx.timeoutMs} ms (the recording had one here)`);
    }
    await abortableSleep(50, ctx.signal);
  }
};
