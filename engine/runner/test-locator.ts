// "Test this locator" for the studio's debugger: how many elements each candidate of a target
// finds on the page a paused run has open, which one the runner would use (the first that
// finds exactly one; a candidate finding several is skipped), and an outline drawn around
// the elements in the page, so a builder watching the browser sees them.
import type { Locator as PwLocator, Page } from 'playwright-core';
import type { Target } from '../format/schema.js';
import { candidateLocators } from './locate.js';
import { describeLocator } from './playwright-locator.js';

export interface CandidateTest {
  /** 0-based index of the candidate in the target. */
  candidate: number;
  locator: string;
  /** Elements the candidate finds now, and how many of them are visible. */
  count: number;
  visible: number;
  /** The first few: tag and start of their text. */
  elements: Array<{ tag: string; text: string }>;
  /** Why it could not be tried (a malformed CSS selector…). */
  error?: string;
}

export interface LocatorTestResult {
  url: string;
  title: string;
  candidates: CandidateTest[];
  /** The candidate a step would use now (the first finding exactly one element), if any. */
  wouldUse?: number;
  /** The candidate whose elements are outlined in the page. */
  highlighted?: number;
}

// Runs in the page. Node code here is compiled without DOM types, so the DOM is described structurally.
interface PageElement {
  tagName: string;
  innerText?: string;
  textContent: string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  setAttribute(name: string, value: string): void;
  remove(): void;
  title: string;
  style: Record<string, string>;
  getAttribute(name: string): string | null;
  value?: string;
}
interface PageDocument {
  documentElement: { appendChild(node: PageElement): void };
  createElement(tag: string): PageElement;
  querySelectorAll(selector: string): ArrayLike<PageElement> & { forEach(fn: (el: PageElement) => void): void };
}

const MARK = 'data-rpa-highlight';
/** An outline stays this long, or until the run goes on. */
const HIGHLIGHT_MS = 8_000;
const SHOWN_ELEMENTS = 3;
const COUNT_TIMEOUT_MS = 5_000;

async function tryCandidate(locator: PwLocator, index: number, text: string): Promise<CandidateTest> {
  try {
    const count = await locator.count();
    const shown = await Promise.all(
      Array.from({ length: Math.min(count, SHOWN_ELEMENTS) }, async (_, i) => {
        const element = locator.nth(i);
        const [visible, described] = await Promise.all([
          element.isVisible({ timeout: COUNT_TIMEOUT_MS }),
          element.evaluate((node) => {
            const el = node as unknown as PageElement;
            const tag = el.tagName.toLowerCase();
            // A field's value is what a person typed (maybe a password): only a button's value is its caption.
            const type = (el.getAttribute('type') ?? '').toLowerCase();
            const caption = tag === 'input' && ['button', 'submit', 'reset'].includes(type) ? el.value : undefined;
            const text = el.innerText || el.textContent || caption || el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('name') || '';
            return { tag, text: text.replace(/\s+/g, ' ').trim().slice(0, 60) };
          }, undefined, { timeout: COUNT_TIMEOUT_MS }),
        ]);
        return { visible, described };
      }),
    );
    let visible = shown.filter((s) => s.visible).length;
    for (let i = SHOWN_ELEMENTS; i < count; i++) if (await locator.nth(i).isVisible()) visible++;
    return { candidate: index, locator: text, count, visible, elements: shown.map((s) => s.described) };
  } catch (error) {
    return { candidate: index, locator: text, count: 0, visible: 0, elements: [], error: (error as Error).message.split('\n')[0]! };
  }
}

/** Removes outlines drawn by an earlier test, in every frame of the page. */
export async function clearHighlights(page: Page): Promise<void> {
  await Promise.all(page.frames().map((frame) => frame.evaluate((mark) => (globalThis as unknown as { document: PageDocument }).document.querySelectorAll(`[${mark}]`).forEach((el) => el.remove()), MARK).catch(() => undefined)));
}

async function outline(locator: PwLocator, label: string): Promise<void> {
  await locator.evaluateAll(
    (nodes, { mark, label, ms }) => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const elements = nodes as unknown as PageElement[];
      for (const [i, el] of elements.entries()) {
        const box = el.getBoundingClientRect();
        const ring = doc.createElement('div');
        ring.setAttribute(mark, '');
        ring.setAttribute('aria-hidden', 'true');
        ring.title = label;
        Object.assign(ring.style, {
          position: 'fixed',
          left: `${box.left - 3}px`,
          top: `${box.top - 3}px`,
          width: `${box.width + 6}px`,
          height: `${box.height + 6}px`,
          outline: '3px solid #d6336c',
          background: 'rgba(214, 51, 108, 0.12)',
          borderRadius: '3px',
          zIndex: '2147483647',
          pointerEvents: 'none',
        });
        if (elements.length > 1) ring.textContent = String(i + 1);
        doc.documentElement.appendChild(ring);
        setTimeout(() => ring.remove(), ms);
      }
    },
    { mark: MARK, label, ms: HIGHLIGHT_MS },
  );
}

/** Tries every candidate of `target` on `page` and outlines the elements of one (by default the one a step would use). */
export async function testTarget(page: Page, target: Target, highlight?: number): Promise<LocatorTestResult> {
  const locators = candidateLocators(page, target);
  const candidates = await Promise.all(locators.map((locator, i) => tryCandidate(locator, i, describeLocator(target.candidates[i]!))));
  const wouldUse = candidates.find((c) => c.count === 1 && !c.error)?.candidate;
  const chosen = highlight ?? wouldUse;
  await clearHighlights(page);
  let highlighted: number | undefined;
  if (chosen !== undefined && candidates[chosen] && candidates[chosen].count > 0) {
    await page.bringToFront().catch(() => undefined);
    await outline(locators[chosen]!, candidates[chosen].locator).then(
      () => (highlighted = chosen),
      () => undefined,
    );
  }
  return { url: page.url(), title: await page.title().catch(() => ''), candidates, ...(wouldUse !== undefined ? { wouldUse } : {}), ...(highlighted !== undefined ? { highlighted } : {}) };
}
