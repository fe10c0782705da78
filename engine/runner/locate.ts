// Resolves a target to exactly one element by trying its ranked locator candidates in
// order. A candidate matching several elements is skipped, never guessed: clicking the
// wrong thing in a back-office system is worse than stopping.
import type { FrameLocator, Locator as PwLocator, Page } from 'playwright-core';
import type { MatchedLocator } from '../events.js';
import { AmbiguousLocatorError, LocatorNotFoundError } from '../errors.js';
import type { Locator, Target } from '../format/schema.js';
import { abortableSleep } from './timing.js';

type Root = Page | FrameLocator;

export function describeLocator(candidate: Locator): string {
  if ('role' in candidate) return candidate.name ? `role=${candidate.role}[name="${candidate.name}"]` : `role=${candidate.role}`;
  if ('label' in candidate) return `label="${candidate.label}"`;
  if ('testId' in candidate) return `testId="${candidate.testId}"`;
  if ('placeholder' in candidate) return `placeholder="${candidate.placeholder}"`;
  if ('text' in candidate) return `text="${candidate.text}"`;
  if ('title' in candidate) return `title="${candidate.title}"`;
  if ('css' in candidate) return `css=${candidate.css}`;
  return `xpath=${candidate.xpath}`;
}

export function describeTarget(target: Target): string {
  return target.description ?? describeLocator(target.candidates[0]!);
}

function toPlaywright(root: Root, candidate: Locator): PwLocator {
  if ('role' in candidate) {
    return root.getByRole(candidate.role as Parameters<Page['getByRole']>[0], candidate.name === undefined ? {} : { name: candidate.name, exact: candidate.exact ?? false });
  }
  if ('label' in candidate) return root.getByLabel(candidate.label, { exact: candidate.exact ?? false });
  if ('testId' in candidate) return root.getByTestId(candidate.testId);
  if ('placeholder' in candidate) return root.getByPlaceholder(candidate.placeholder, { exact: candidate.exact ?? false });
  if ('text' in candidate) return root.getByText(candidate.text, { exact: candidate.exact ?? false });
  if ('title' in candidate) return root.getByTitle(candidate.title, { exact: candidate.exact ?? false });
  if ('css' in candidate) return root.locator(candidate.css);
  return root.locator(`xpath=${candidate.xpath}`);
}

export interface Resolved {
  locator: PwLocator;
  matched: MatchedLocator;
}

const POLL_MS = 50;

/** One Playwright locator per candidate, scoped to the target's frames. */
export function candidateLocators(page: Page, target: Target): PwLocator[] {
  let root: Root = page;
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

export async function resolveTarget(page: Page, target: Target, timeoutMs: number, signal: AbortSignal): Promise<Resolved> {
  const locators = candidateLocators(page, target);
  const deadline = Date.now() + timeoutMs;
  let counts: number[] = [];
  for (;;) {
    counts = [];
    for (const [index, locator] of locators.entries()) {
      const count = await locator.count();
      counts.push(count);
      if (count === 1) {
        return { locator, matched: { index, description: describeLocator(target.candidates[index]!), fallback: index > 0 } };
      }
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await abortableSleep(Math.min(POLL_MS, remaining), signal);
  }
  const report = target.candidates.map((candidate, i) => `${describeLocator(candidate)} → ${counts[i] ?? 0} match${counts[i] === 1 ? '' : 'es'}`).join('; ');
  const where = target.frame?.length ? ` inside frame ${target.frame.join(' > ')}` : '';
  const details = { candidates: target.candidates.map(describeLocator), counts, frame: target.frame };
  if (counts.some((count) => count > 1)) {
    throw new AmbiguousLocatorError(`${describeTarget(target)}${where}: no candidate matched exactly one element after ${timeoutMs} ms (${report})`, details);
  }
  throw new LocatorNotFoundError(`${describeTarget(target)}${where}: not found after ${timeoutMs} ms (${report})`, details);
}
