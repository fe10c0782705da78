// Resolves a target to exactly one element by trying its ranked locator candidates in
// order. A candidate matching several elements is skipped, never guessed: clicking the
// wrong thing in a back-office system is worse than stopping. When no candidate matches
// and the target has a fingerprint, the element is looked for by similarity (heal.ts).
import type { FrameLocator, Locator as PwLocator, Page } from 'playwright-core';
import type { MatchedLocator } from '../events.js';
import { AmbiguousLocatorError, LocatorNotFoundError } from '../errors.js';
import type { Fingerprint, Target } from '../format/schema.js';
import { DEFAULT_HEAL_THRESHOLD } from './heal-score.js';
import { healTarget, type HealOutcome } from './heal.js';
import { describeLocator, toPlaywright } from './playwright-locator.js';
import { abortableSleep } from './timing.js';

export { describeLocator } from './playwright-locator.js';

export function describeTarget(target: Target): string {
  return target.description ?? describeLocator(target.candidates[0]!);
}

export interface Resolved {
  locator: PwLocator;
  matched: MatchedLocator;
}

export interface ResolveOptions {
  /** Least fingerprint similarity for self-healing; default 0.8. */
  healThreshold?: number | undefined;
  /** When the page shows an error page (BrowserSession.errorPage): what error, and since when. */
  errorPage?: (() => { what: string; since: number } | undefined) | undefined;
}

/**
 * A page that stays an error page this long (from the step's start, or from when it became one) with no
 * candidate matching anything ends the search: the element is not coming, and the step says why at once
 * instead of waiting out its budget. The moment lets a page that reloads itself out of an error come back.
 */
export const ERROR_PAGE_MS = 3_000;

const POLL_MS = 50;
/** Healing waits this long (or half the step's budget) for a candidate to appear first: pages load. */
const HEAL_AFTER_MS = 1_500;
/** Scanning the page costs more than counting: at most this often. */
const HEAL_EVERY_MS = 500;

/** One Playwright locator per candidate, scoped to the target's frames. */
export function candidateLocators(page: Page, target: Target): PwLocator[] {
  let root: Page | FrameLocator = page;
  for (const frame of target.frame ?? []) root = root.frameLocator(frame);
  return target.candidates.map((candidate) => toPlaywright(root, candidate));
}

/** True when no candidate has a visible (or, for 'detached', any) element right now. */
export async function isGone(page: Page, target: Target, state: 'hidden' | 'detached'): Promise<boolean> {
  for (const locator of candidateLocators(page, target)) {
    const count = await locator.count();
    if (state === 'detached' && count > 0) return false;
    if (state === 'hidden') for (let i = 0; i < count; i++) if (await locator.nth(i).isVisible()) return false;
  }
  return true;
}

function hasFingerprint(target: Target): target is Target & { fingerprint: Fingerprint } {
  return target.fingerprint !== undefined;
}

export async function resolveTarget(page: Page, target: Target, timeoutMs: number, signal: AbortSignal, options: ResolveOptions = {}): Promise<Resolved> {
  const locators = candidateLocators(page, target);
  const started = Date.now();
  const deadline = started + timeoutMs;
  const healFrom = started + Math.min(HEAL_AFTER_MS, timeoutMs / 2);
  const threshold = options.healThreshold ?? DEFAULT_HEAL_THRESHOLD;
  let lastHeal = 0;
  let heal: Extract<HealOutcome, { healed: false }> | undefined;
  let counts: number[] = [];
  let errorPage: { what: string; since: number } | undefined;
  for (;;) {
    counts = [];
    for (const [index, locator] of locators.entries()) {
      const count = await locator.count();
      counts.push(count);
      if (count === 1) {
        // A later candidate may see an element before the page has shown it (a text locator
        // counts hidden elements, a role locator does not): while the page may still be
        // revealing it, wait for the recorded top candidate rather than fall back at once.
        if (index > 0 && Date.now() < healFrom && !(await locator.isVisible().catch(() => false))) continue;
        // The page may have shown the element between counting the earlier candidates and this one.
        for (let earlier = 0; earlier < index; earlier++) {
          if ((await locators[earlier]!.count()) === 1) return { locator: locators[earlier]!, matched: { index: earlier, description: describeLocator(target.candidates[earlier]!), fallback: earlier > 0 } };
        }
        return { locator, matched: { index, description: describeLocator(target.candidates[index]!), fallback: index > 0 } };
      }
    }
    const now = Date.now();
    errorPage = counts.every((count) => count === 0) ? options.errorPage?.() : undefined;
    if (errorPage && now - Math.max(errorPage.since, started) >= Math.min(ERROR_PAGE_MS, timeoutMs)) break;
    if (hasFingerprint(target) && now >= healFrom && (now - lastHeal >= HEAL_EVERY_MS || now >= deadline)) {
      lastHeal = now;
      const outcome = await healTarget(page, target, threshold).catch((error: NodeJS.ErrnoException): HealOutcome => {
        if (error.code === 'ENOENT') throw error; // the page bundle is missing: a broken build, not a page problem
        return { healed: false, reason: 'none', best: [] }; // the page navigated while it was scanned: try again
      });
      if (outcome.healed) {
        const healed = { from: target.candidates.map(describeLocator).join(' | '), ...outcome.report };
        return { locator: outcome.locator, matched: { index: target.candidates.length, description: describeLocator(outcome.report.to), fallback: true, healed } };
      }
      heal = outcome;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await abortableSleep(Math.min(POLL_MS, remaining), signal);
  }
  const report = target.candidates.map((candidate, i) => `${describeLocator(candidate)} → ${counts[i] ?? 0} match${counts[i] === 1 ? '' : 'es'}`).join('; ');
  const where = target.frame?.length ? ` inside frame ${target.frame.join(' > ')}` : '';
  const healing = heal ? healingReport(heal, threshold) : '';
  const details = {
    candidates: target.candidates.map(describeLocator),
    counts,
    frame: target.frame,
    ...(heal ? { healing: { threshold, reason: heal.reason, best: heal.best } } : {}),
  };
  if (errorPage) {
    const waited = Date.now() - started;
    throw new LocatorNotFoundError(`${describeTarget(target)}${where}: not found, and the page is an error page: ${errorPage.what} (looked for ${waited} ms of the step's ${timeoutMs}: an error page does not turn into the application by itself)${healing}`, { ...details, errorPage: errorPage.what });
  }
  if (counts.some((count) => count > 1)) {
    throw new AmbiguousLocatorError(`${describeTarget(target)}${where}: no candidate matched exactly one element after ${timeoutMs} ms (${report})${healing}`, details);
  }
  throw new LocatorNotFoundError(`${describeTarget(target)}${where}: not found after ${timeoutMs} ms (${report})${healing}`, details);
}

/** Why fingerprint matching did not pick an element, with the best few and their scores. */
function healingReport(heal: Extract<HealOutcome, { healed: false }>, threshold: number): string {
  const best = heal.best.map((b) => `${b.element} ${b.score.toFixed(2)}`).join(', ');
  const why = {
    none: 'no plausible element on the page',
    'below-threshold': `no element scored at least ${threshold}`,
    ambiguous: 'the best elements scored too close to each other to choose',
    'no-locator': 'no locator could be verified for the best element',
  }[heal.reason];
  return `; fingerprint matching: ${why}${best ? ` (best: ${best})` : ''}`;
}
