// Accessibility selectors: which elements a selector matches, and the shortest selector that
// picks out one element (what the recorder saves). Pure functions over what a provider listed.
import type { Rect } from '../bitmap.js';
import { describeNth, type Nth } from '../order.js';
import type { A11yAncestor, A11yElement } from './types.js';

/** What an `a11y` candidate holds (engine/format/schema.ts). */
export interface A11ySelector {
  role: string;
  /** The accessible name; left out when the element has none. */
  name?: string;
  /** The text of the label that labels it (an entry named by "Last name:"). */
  label?: string;
  /** The named ancestors between the window and the element, outermost first. */
  path?: A11yAncestor[];
  /** Which of the controls the rest matches, in tree order, and how many there were (see order.ts). */
  nth?: Nth;
}

/** Ancestors that carry a name: unnamed layout boxes come and go with a program's version. */
export const namedPath = (element: A11yElement): A11yAncestor[] => element.path.filter((step) => step.name !== '');

const samePath = (a: A11yAncestor[], b: A11yAncestor[]): boolean => a.length === b.length && a.every((step, index) => step.role === b[index]!.role && step.name === b[index]!.name);

/** Whether the element is one the selector's role, name, label and path match (its `nth` picks among those: see findAccessible). */
export function matchesSelector(selector: A11ySelector, element: A11yElement): boolean {
  if (element.role !== selector.role) return false;
  if (selector.name !== undefined && element.name !== selector.name) return false;
  if (selector.label !== undefined && !element.labels.includes(selector.label)) return false;
  if (selector.path !== undefined && !samePath(namedPath(element), selector.path)) return false;
  // Look-alikes of an ordered selector have no name or label beyond the selector's: a labelled
  // entry added beside them does not shift "the 1st of 3 unlabelled entries".
  if (selector.nth && selector.name === undefined && element.name !== '') return false;
  if (selector.nth && selector.label === undefined && element.labels.length > 0) return false;
  return true;
}

export function describeSelector(selector: A11ySelector): string {
  const parts = [selector.role];
  if (selector.name !== undefined) parts.push(`"${selector.name}"`);
  if (selector.label !== undefined) parts.push(`labelled "${selector.label}"`);
  if (selector.path?.length) parts.push(`in ${selector.path.map((step) => `${step.role} "${step.name}"`).join(' › ')}`);
  const described = parts.join(' ');
  return selector.nth ? `${describeNth(selector.nth)} ${described}` : described;
}

/** How an element reads in an error: role, name, label, named ancestors and where it is. */
export function describeElement(element: A11yElement): string {
  const selector: A11ySelector = { role: element.role, ...(element.name ? { name: element.name } : {}), ...(element.labels[0] ? { label: element.labels[0] } : {}) };
  const path = namedPath(element);
  if (path.length) selector.path = path;
  const { x, y, width, height } = element.rect;
  return `${describeSelector(selector)} at (${x}, ${y}) ${width}×${height}`;
}

/** Roles that only lay out other elements: a click on their empty space names no control. */
const LAYOUT_ROLES = new Set(['filler', 'panel', 'frame', 'window', 'dialog', 'scroll pane', 'viewport', 'layered pane', 'root pane', 'glass pane', 'split pane', 'redundant object', 'unknown', 'invalid', 'section', 'grouping']);

const contains = (rect: Rect, point: { x: number; y: number }): boolean => point.x >= rect.x && point.y >= rect.y && point.x < rect.x + rect.width && point.y < rect.y + rect.height;

/** The innermost element under a point (the smallest that contains it), or undefined. */
export function elementAt(elements: A11yElement[], point: { x: number; y: number }): A11yElement | undefined {
  const area = (rect: Rect): number => rect.width * rect.height;
  let best: A11yElement | undefined;
  for (const element of elements) {
    if (!contains(element.rect, point)) continue;
    if (!best || area(element.rect) < area(best.rect) || (area(element.rect) === area(best.rect) && element.path.length > best.path.length)) best = element;
  }
  return best;
}

/**
 * The shortest selector that matches this element and no other of the window: role and name;
 * then its label; then its named ancestors; then, when even that matches several (identical
 * unlabelled entries), its index among them in tree order with their number. Undefined when the
 * element is only layout.
 */
export function selectorFor(element: A11yElement, elements: A11yElement[]): A11ySelector | undefined {
  if (LAYOUT_ROLES.has(element.role) && !element.name) return undefined;
  const unique = (selector: A11ySelector): boolean => elements.filter((other) => matchesSelector(selector, other)).length === 1;
  const selector: A11ySelector = { role: element.role, ...(element.name ? { name: element.name } : {}) };
  if (unique(selector)) return selector;
  if (element.labels.length === 1) {
    selector.label = element.labels[0]!;
    if (unique(selector)) return selector;
  }
  selector.path = namedPath(element);
  if (unique(selector)) return selector;
  const ordered: A11ySelector = { ...selector, nth: { index: 0, of: 0 } };
  const alike = elements.filter((other) => matchesSelector(ordered, other));
  const index = alike.indexOf(element);
  return index < 0 ? undefined : { ...selector, nth: { index, of: alike.length } };
}
