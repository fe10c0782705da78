// Page-side half of self-healing replay: lists the visible elements that could be the
// recorded one (with their fingerprints, scored in Node), remembers the one Node picks, and
// proposes robust locators for it, which Node verifies with Playwright before using them.
import { accessibleName, collapse, labelOf, roleOf } from './aria.ts';
import { fingerprintOf, type PageFingerprint } from './fingerprint.ts';

/** Same shape as Locator in engine/format/schema.ts. */
export type ProposedLocator =
  | { role: string; name?: string; exact?: boolean }
  | { label: string; exact?: boolean }
  | { testId: string }
  | { placeholder: string; exact?: boolean }
  | { text: string; exact?: boolean }
  | { title: string; exact?: boolean }
  | { css: string };

let scanned: Element[] = [];
let picked: Element | undefined;

function visible(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 && rect.height === 0) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none';
}

/** Visible elements matching `selector`, with their fingerprints; remembered for pick(). */
export function scan(selector: string): Array<{ index: number; fingerprint: PageFingerprint }> {
  scanned = Array.from(document.querySelectorAll(selector)).filter(visible);
  return scanned.map((el, index) => ({ index, fingerprint: fingerprintOf(el) }));
}

function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;
}

/** Absolute nth-child path from <html>: unique, and exactly what breaks when markup shifts. */
export function cssPath(el: Element): string {
  const parts: string[] = [];
  for (let node: Element | null = el; node && node.parentElement; node = node.parentElement) {
    const index = Array.from(node.parentElement.children).indexOf(node) + 1;
    parts.unshift(`${node.localName}:nth-child(${index})`);
  }
  return ['html', ...parts].join(' > ');
}

/** CSS from attributes that forms keep across releases: name (and value for radios), href, title. */
function stableCss(el: Element): string | undefined {
  const tag = el.localName;
  const name = el.getAttribute('name');
  if (name) {
    const type = el.getAttribute('type');
    const value = el.getAttribute('value');
    const byValue = type && ['radio', 'checkbox', 'submit', 'button'].includes(type) && value !== null ? `[value=${cssString(value)}]` : '';
    return `${tag}[name=${cssString(name)}]${byValue}`;
  }
  const href = el.getAttribute('href');
  if (tag === 'a' && href && !href.startsWith('javascript:')) return `a[href=${cssString(href)}]`;
  const title = el.getAttribute('title');
  if (title) return `${tag}[title=${cssString(title)}]`;
  if (tag === 'input' && el.getAttribute('type') === 'submit' && el.getAttribute('value')) return `input[type="submit"][value=${cssString(el.getAttribute('value')!)}]`;
  return undefined;
}

/** Picks a scanned element; returns locators for it, most robust first (Node checks each). */
export function pick(index: number): ProposedLocator[] {
  picked = scanned[index];
  const el = picked;
  if (!el) return [];
  const proposals: ProposedLocator[] = [];
  const testId = el.getAttribute('data-testid') ?? el.getAttribute('data-test-id') ?? el.getAttribute('data-test');
  if (testId) proposals.push({ testId });
  const role = roleOf(el);
  const name = accessibleName(el);
  if (role && name) proposals.push({ role, name, exact: true });
  const label = labelOf(el);
  if (label) proposals.push({ label, exact: true });
  const placeholder = el.getAttribute('placeholder');
  if (placeholder) proposals.push({ placeholder, exact: true });
  const css = stableCss(el);
  if (css) proposals.push({ css });
  const text = collapse((el as HTMLElement).innerText ?? el.textContent);
  if (text && text.length <= 60 && !el.matches('input, select, textarea')) proposals.push({ text, exact: true });
  const title = el.getAttribute('title');
  if (title) proposals.push({ title, exact: true });
  proposals.push({ css: cssPath(el) });
  return proposals;
}

/** True when `el` is the element pick() chose. */
export function isPicked(el: Element): boolean {
  return el === picked;
}
