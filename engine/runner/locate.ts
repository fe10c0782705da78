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

export interface ErrorPage {
  what: string;
  since: number;
  /** The frame that shows it (its selectors, outermost first); none for the page's own document. */
  frame?: string | undefined;
}

/** A target seen matching something on a page's current document (BrowserSession.noteSeen): when, and which candidate by whom. */
export interface Sighting {
  at: number;
  how: string;
}

/** What tells one target from another for sightings: its (rendered) candidates and frames. */
export const sightingKey = (target: Target): string => JSON.stringify([target.frame ?? [], target.candidates]);

export interface Resolved {
  locator: PwLocator;
  matched: MatchedLocator;
  /** The target as resolved (its templates rendered), for the watch on it (untilReady). */
  target?: Target | undefined;
}

export interface ResolveOptions {
  /** Least fingerprint similarity for self-healing; default 0.8. */
  healThreshold?: number | undefined;
  /**
   * When the page, or one of the iframes `frames` the target lives in, shows an error page
   * (BrowserSession.errorPageOnTheWay): what error, since when, and which frame (none: the page's own).
   */
  errorPage?: ((frames: readonly string[] | undefined) => Promise<ErrorPage | undefined> | ErrorPage | undefined) | undefined;
  /** True while the page waits for a request of its own (BrowserSession.networkBusy): it is not settled. */
  busy?: (() => boolean) | undefined;
  /**
   * When the target was last seen on the page's current document before this step (BrowserSession.lastSeen): a
   * step that finds no candidate matching anything from its start, on a page quiet for REMOVED_MS, fails then.
   */
  lastSeen?: (() => Sighting | undefined) | undefined;
  /** Told which candidate matched when the step found its element (BrowserSession.noteSeen), for later steps. */
  seen?: ((how: string) => void) | undefined;
}

/**
 * A page that stays an error page this long (from the step's start, or from when it became one) with no
 * candidate matching anything ends the search: the element is not coming, and the step says why at once
 * instead of waiting out its budget. The moment lets a page that reloads itself out of an error come back.
 */
export const ERROR_PAGE_MS = 3_000;

/**
 * An element the step saw that no candidate has matched since, for this long while the page was quiet (no
 * request of its own going), was removed for good: the step fails saying so instead of waiting out its
 * budget. A re-render (an equal element in its place), rows re-sorting, or a page fetching the element's new
 * copy all match again, or keep the page busy, well within it.
 */
export const REMOVED_MS = 3_000;

const POLL_MS = 50;
/** How often the watch on a found element counts its candidates while the step waits for it to take the action. */
const WATCH_MS = 100;
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
  let errorPage: ErrorPage | undefined;
  /** A candidate matched something during this step (several elements, or one still hidden): the element was there. */
  let seen = false;
  let gone: Gone | undefined;
  let removedAt: number | undefined;
  /** Seen on the page before this step, and matching nothing since the step began: removed in between. */
  let before: Sighting | undefined;
  const found = (index: number, fallback: boolean): Resolved => {
    options.seen?.(`${describeLocator(target.candidates[index]!)} → 1 match`);
    return { locator: locators[index]!, matched: { index, description: describeLocator(target.candidates[index]!), fallback } };
  };
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
          if ((await locators[earlier]!.count()) === 1) return found(earlier, earlier > 0);
        }
        return found(index, index > 0);
      }
    }
    const now = Date.now();
    errorPage = counts.every((count) => count === 0) ? await options.errorPage?.(target.frame) : undefined;
    if (errorPage && now - Math.max(errorPage.since, started) >= Math.min(ERROR_PAGE_MS, timeoutMs)) break;
    if (counts.some((count) => count > 0)) {
      seen = true;
      before = undefined;
    } else if (!seen) {
      // Matching nothing from the step's start: an element seen before it began was removed in between.
      const sighting = options.lastSeen?.();
      if (sighting && sighting.at <= started) before = sighting;
    }
    gone = seen || before ? watchGone(gone, counts, now, options.busy) : undefined;
    if (gone && now - gone.quietSince >= REMOVED_MS) {
      removedAt = gone.since;
      break;
    }
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
    const which = errorPage.frame ? `its frame ${errorPage.frame} shows an error page` : 'the page is an error page';
    throw new LocatorNotFoundError(`${describeTarget(target)}${where}: not found, and ${which}: ${errorPage.what} (looked for ${waited} ms of the step's ${timeoutMs}: an error page does not turn into the application by itself)${healing}`, { ...details, errorPage: errorPage.what, ...(errorPage.frame ? { errorFrame: errorPage.frame } : {}) });
  }
  if (removedAt !== undefined) throw before ? goneBeforeError(target, before, report, details) : removedError(target, started, removedAt, report, details);
  if (counts.some((count) => count > 1)) {
    throw new AmbiguousLocatorError(`${describeTarget(target)}${where}: no candidate matched exactly one element after ${timeoutMs} ms (${report})${healing}`, details);
  }
  throw new LocatorNotFoundError(`${describeTarget(target)}${where}: not found after ${timeoutMs} ms (${report})${healing}`, details);
}

/** Since when no candidate has matched anything, and since when the page has been quiet as well. */
interface Gone {
  since: number;
  quietSince: number;
}

/** The next state of a watch for a removed element, given the latest counts of its candidates. */
function watchGone(gone: Gone | undefined, counts: number[], now: number, busy: (() => boolean) | undefined): Gone | undefined {
  if (counts.some((count) => count > 0)) return undefined;
  const next = gone ?? { since: now, quietSince: now };
  if (busy?.()) next.quietSince = now;
  return next;
}

const clockTime = (at: number): string => `${new Date(at).toISOString().slice(11, 23)} UTC`;

function removedError(target: Target, started: number, removedAt: number, report: string, details: Record<string, unknown>): LocatorNotFoundError {
  const where = target.frame?.length ? ` inside frame ${target.frame.join(' > ')}` : '';
  return new LocatorNotFoundError(
    `the element ${describeTarget(target)}${where} was removed from the page at ${clockTime(removedAt)} (${removedAt - started} ms into the step); no candidate matches now (${report}), and the page has been quiet for ${REMOVED_MS} ms since (no re-render put it back, no request of its own was going): it is not coming back`,
    { ...details, removedAt: new Date(removedAt).toISOString() },
  );
}

function goneBeforeError(target: Target, before: Sighting, report: string, details: Record<string, unknown>): LocatorNotFoundError {
  const where = target.frame?.length ? ` inside frame ${target.frame.join(' > ')}` : '';
  return new LocatorNotFoundError(
    `the element ${describeTarget(target)}${where} was removed from the page before this step began: it was last seen at ${clockTime(before.at)} (${before.how}); no candidate matches now (${report}), and the page has been quiet for ${REMOVED_MS} ms since (nothing put it back, no request of its own was going): it is not coming back`,
    { ...details, lastSeen: new Date(before.at).toISOString(), lastSeenHow: before.how },
  );
}

/** How a step waits, changing nothing, until its element can take the action: Playwright's trial run of it, or a look. */
export type ReadyWhen = { trial: (timeoutMs: number) => Promise<unknown> } | { look: () => Promise<boolean> };

/**
 * Waits until the element a step found can take the step's action (visible, enabled, editable, not covered:
 * what the action itself would wait for), watching all the while that it is still there: an element no
 * candidate has matched for REMOVED_MS of a quiet page fails the step (see REMOVED_MS) instead of the action
 * waiting for it to the end of its budget. Waiting this way is harmless (a trial run, a look), so it can be
 * left behind when the step fails; the action itself starts only once the element is ready, and then waits on
 * its own, as before. A wait that ends otherwise (its time ran out, the locator matched two elements) throws
 * what the action would have thrown.
 */
export async function untilReady(page: Page, target: Target, resolved: Resolved, when: ReadyWhen, timeoutMs: number, signal: AbortSignal, options: ResolveOptions = {}): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  // Most elements are ready at once: no watch for them.
  if ('look' in when && (await when.look().catch(() => false))) return;
  const watched = [resolved.locator, ...candidateLocators(page, target)];
  let outcome: { ready: true } | { error: unknown } | undefined;
  const trial = 'trial' in when ? when.trial(timeoutMs).then(() => void (outcome = { ready: true }), (error: unknown) => void (outcome = { error })) : undefined;
  let gone: Gone | undefined;
  for (;;) {
    if (outcome && 'ready' in outcome) return;
    if (outcome) throw outcome.error;
    if ('look' in when && (await when.look().catch(() => false))) return;
    const counts = await Promise.all(watched.map((locator) => locator.count().catch(() => 0)));
    const now = Date.now();
    gone = watchGone(gone, counts, now, options.busy);
    if (gone && now - gone.quietSince >= REMOVED_MS) {
      const report = target.candidates.map((candidate, i) => `${describeLocator(candidate)} → ${counts[i + 1] ?? 0} matches`).join('; ');
      throw removedError(target, started, gone.since, report, { candidates: target.candidates.map(describeLocator), counts: counts.slice(1), frame: target.frame });
    }
    const remaining = deadline - now;
    if (remaining <= 0) {
      // The trial run ends at the same moment, with the time-out the action would have had; a look leaves it to the action.
      await trial;
      const ended = outcome as { ready: true } | { error: unknown } | undefined;
      if (ended && 'error' in ended) throw ended.error;
      return;
    }
    const pause = abortableSleep(Math.min(WATCH_MS, remaining), signal);
    await (trial ? Promise.race([trial, pause]) : pause);
  }
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
