// Page-side: the fingerprint of an element — what it looked like, for fuzzy matching when
// every recorded locator fails. Shape: Fingerprint in engine/format/schema.ts.
import { accessibleName, collapse, labelOf, roleOf } from './aria.ts';

export interface PageFingerprint {
  tag: string;
  role?: string;
  name?: string;
  text?: string;
  attributes?: Record<string, string>;
  label?: string;
  formIndex?: number;
  ancestors?: string[];
  box?: { x: number; y: number; width: number; height: number };
}

const KEY_ATTRIBUTES = ['id', 'name', 'type', 'placeholder', 'title', 'alt', 'href', 'value', 'class', 'for', 'aria-label'];
const CONTROLS = 'input:not([type=hidden]), select, textarea, button';

/** Label-like text just before a control that has no <label>: a preceding cell, dt or text. */
function nearbyLabel(el: Element): string | undefined {
  let node: Element | null = el;
  for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) {
    let sibling = node.previousElementSibling;
    while (sibling && !collapse(sibling.textContent)) sibling = sibling.previousElementSibling;
    if (sibling) {
      const text = collapse(sibling.textContent, 60);
      if (text) return text;
    }
  }
  return undefined;
}

export function fingerprintOf(el: Element): PageFingerprint {
  const fp: PageFingerprint = { tag: el.localName };
  const role = roleOf(el);
  if (role) fp.role = role;
  const name = accessibleName(el);
  if (name) fp.name = name;
  const isControl = el.matches('input, select, textarea');
  if (!isControl) {
    const text = collapse((el as HTMLElement).innerText ?? el.textContent);
    if (text) fp.text = text;
  }
  const attributes: Record<string, string> = {};
  const isPassword = el instanceof HTMLInputElement && el.type === 'password';
  for (const attr of Array.from(el.attributes)) {
    if (!(KEY_ATTRIBUTES.includes(attr.name) || attr.name.startsWith('data-'))) continue;
    if (attr.name === 'value' && (isPassword || el.localName !== 'input' || !['submit', 'button', 'reset', 'radio', 'checkbox'].includes((el as HTMLInputElement).type))) continue;
    attributes[attr.name] = attr.value.slice(0, 200);
  }
  if (Object.keys(attributes).length > 0) fp.attributes = attributes;
  const label = labelOf(el) ?? (isControl ? nearbyLabel(el) : undefined);
  if (label) fp.label = label;
  if (el.matches(CONTROLS)) {
    const scope = el.closest('form') ?? el.ownerDocument;
    const index = Array.from(scope.querySelectorAll(CONTROLS)).indexOf(el);
    if (index >= 0) fp.formIndex = index;
  }
  const ancestors: string[] = [];
  for (let node = el.parentElement; node && ancestors.length < 4; node = node.parentElement) ancestors.push(node.localName);
  if (ancestors.length > 0) fp.ancestors = ancestors;
  const rect = el.getBoundingClientRect();
  fp.box = { x: Math.round(rect.x + scrollX), y: Math.round(rect.y + scrollY), width: Math.round(rect.width), height: Math.round(rect.height) };
  return fp;
}
