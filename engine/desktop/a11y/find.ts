// Finds the one control an accessibility selector names, in the windows whose title matches.
import { ordinal } from '../order.js';
import { titleMatcher } from '../windows.js';
import { a11yProvider } from './index.js';
import { describeElement, matchesSelector, type A11ySelector } from './match.js';
import type { A11yElement, A11yProvider, A11yWindow } from './types.js';

export interface A11yHit {
  element: A11yElement;
  window: A11yWindow;
}

export type A11ySearch =
  /** Exactly one showing control matches, its centre inside its window. */
  | { kind: 'found'; hit: A11yHit }
  /** Several match: acting on any of them could be the wrong one. */
  | { kind: 'ambiguous'; hits: A11yHit[] }
  /** None matches. `windows`: accessible windows searched (0: the program is not accessible, or has no such window). */
  | { kind: 'missing'; windows: number; sameRole: string[]; outside: A11yHit[] }
  /** A selector with an `nth`: the windows searched hold another number of such controls than recorded (or it is out of view). */
  | { kind: 'changed'; why: string }
  | { kind: 'unavailable'; reason: string };

const inside = (hit: A11yHit): boolean => {
  const { rect } = hit.element;
  const x = rect.x + rect.width / 2;
  const y = rect.y + rect.height / 2;
  const w = hit.window.rect;
  return x >= w.x && y >= w.y && x < w.x + w.width && y < w.y + w.height;
};

export async function findAccessible(selector: A11ySelector, windowPattern: string | undefined, provider: A11yProvider = a11yProvider()): Promise<A11ySearch> {
  const reason = await provider.unavailable();
  if (reason) return { kind: 'unavailable', reason };
  const keep = windowPattern ? titleMatcher(windowPattern) : () => true;
  let windows: A11yWindow[];
  try {
    windows = (await provider.windows()).filter((window) => keep(window.title));
  } catch (error) {
    return { kind: 'unavailable', reason: (error as Error).message };
  }
  const hits: A11yHit[] = [];
  const sameRole: string[] = [];
  const changed: string[] = [];
  let searched = 0;
  for (const window of windows) {
    let elements: A11yElement[];
    try {
      elements = await provider.elements(window);
    } catch {
      continue; // closed meanwhile
    }
    searched++;
    const own: A11yHit[] = [];
    for (const element of elements) {
      if (matchesSelector(selector, element)) own.push({ element, window });
      else if (element.role === selector.role && sameRole.length < 6) sameRole.push(describeElement(element));
    }
    if (!selector.nth || !own.length) {
      hits.push(...own);
      continue;
    }
    // The nth in tree order among the window's look-alikes, only while it holds as many as recorded.
    const { index, of } = selector.nth;
    if (own.length !== of) changed.push(`the window "${window.title}" holds ${own.length} such controls, recorded ${of}: its structure changed, so the ${ordinal(index + 1)} may be another control (${own.map((hit) => describeElement(hit.element)).join('; ')})`);
    else hits.push(own[index]!);
  }
  // A control scrolled out of its window's view cannot be clicked where it is said to be.
  const shown = hits.filter(inside);
  if (shown.length === 1) return { kind: 'found', hit: shown[0]! };
  if (shown.length > 1) return { kind: 'ambiguous', hits: shown };
  if (changed.length) return { kind: 'changed', why: changed.join('; ') };
  return { kind: 'missing', windows: searched, sameRole, outside: hits };
}

export interface A11ySnapshot {
  window: A11yWindow;
  elements: A11yElement[];
}

/** A window this far (corner and size, in pixels) from the X11/native window is another one. */
const SAME_WINDOW_PX = 120;

/**
 * The accessible window that is this on-screen window (same title, about the same place and
 * size: the accessible rectangle may include the frame) and its controls; undefined when the
 * platform has no accessibility or the program is not accessible.
 */
export async function snapshotOf(window: { title: string; rect: { x: number; y: number; width: number; height: number } }, provider: A11yProvider = a11yProvider()): Promise<A11ySnapshot | undefined> {
  if (await provider.unavailable()) return undefined;
  const distance = (other: A11yWindow): number =>
    Math.abs(other.rect.x - window.rect.x) + Math.abs(other.rect.y - window.rect.y) + Math.abs(other.rect.width - window.rect.width) + Math.abs(other.rect.height - window.rect.height);
  const same = (await provider.windows()).filter((other) => other.title === window.title && distance(other) <= SAME_WINDOW_PX).sort((a, b) => distance(a) - distance(b));
  const best = same[0];
  if (!best) return undefined;
  return { window: best, elements: await provider.elements(best) };
}
