// Page-side DOM helpers for the recorder: the real target of an event (inside open shadow
// roots), walking up across shadow boundaries, every element Playwright's locators can see
// (document plus open shadow roots), and per-load element ids.

/** Tag name of the recorder's own toolbar host; everything under it is never recorded. */
export const TOOLBAR_TAG = 'rpa-recorder-toolbar';

let nextElementId = 1;
const elementIds = new WeakMap<Element, number>();

export function elementIdOf(el: Element): number {
  let id = elementIds.get(el);
  if (id === undefined) {
    id = nextElementId++;
    elementIds.set(el, id);
  }
  return id;
}

/** The innermost element an event happened on, seen through open shadow roots. */
export function eventTarget(event: Event): Element | undefined {
  for (const node of event.composedPath()) if (node instanceof Element) return node;
  return undefined;
}

/** True for events on the recorder's toolbar (its closed shadow root shows up as the host). */
export function isOwnUi(event: Event): boolean {
  return event.composedPath().some((node) => node instanceof Element && node.localName === TOOLBAR_TAG);
}

/** Parent element, stepping out of a shadow root to its host. */
export function parentOf(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

export function isInShadowTree(el: Element): boolean {
  return el.getRootNode() instanceof ShadowRoot;
}

/** Every element of the document and of its open shadow roots (what Playwright's locators pierce). */
export function allElements(doc: Document = document): Element[] {
  const out: Element[] = [];
  const visit = (root: Document | ShadowRoot): void => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.localName === TOOLBAR_TAG) continue;
      out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(doc);
  return out;
}

/** querySelectorAll over the document and every open shadow root. */
export function deepQueryAll(selector: string, doc: Document = document): Element[] {
  const out: Element[] = [];
  const visit = (root: Document | ShadowRoot): void => {
    let found: Element[];
    try {
      found = Array.from(root.querySelectorAll(selector));
    } catch {
      return;
    }
    out.push(...found.filter((el) => el.localName !== TOOLBAR_TAG));
    for (const el of Array.from(root.querySelectorAll('*'))) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(doc);
  return out;
}

/** Hidden the way Playwright's getByRole treats it: display none, visibility hidden, aria-hidden. */
export function isHiddenForAria(el: Element): boolean {
  for (let node: Element | null = el; node; node = parentOf(node)) {
    if (node.getAttribute('aria-hidden') === 'true') return true;
  }
  return !el.checkVisibility({ visibilityProperty: true });
}

export const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'time', 'week', '']);

/** An <input>/<textarea> that Playwright's fill() can fill. */
export function isFillable(el: Element): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(el.type.toLowerCase());
}

export function isToggle(el: Element): el is HTMLInputElement {
  return el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
}

const INTERACTIVE =
  'a[href], button, input, select, textarea, summary, label, [role=button], [role=link], [role=menuitem], [role=tab], [role=checkbox], [role=radio], [role=option], [role=switch], [onclick], [tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable=true]';

/** Clicks on an icon or a span inside a button land on the button: the nearest interactive ancestor. */
export function interactiveAncestor(el: Element): Element {
  for (let node: Element | null = el, depth = 0; node && depth < 8; node = parentOf(node), depth++) {
    if (node.localName === 'body' || node.localName === 'html') break;
    if (node.matches(INTERACTIVE)) return node;
  }
  return el;
}

/**
 * The rich-text editor (contenteditable element, or the body of a document in design mode)
 * that `el` is in: the outermost editable element, where the keys typed go.
 */
export function editingHost(el: Element): HTMLElement | undefined {
  if (!(el instanceof HTMLElement) || !el.isContentEditable) return undefined;
  let host: HTMLElement = el;
  for (let node = el.parentElement; node?.isContentEditable; node = node.parentElement) host = node;
  return host === el.ownerDocument.documentElement ? (el.ownerDocument.body ?? host) : host;
}

/** The form control a <label> activates, if any. */
export function labelledControl(el: Element): Element | null {
  return el instanceof HTMLLabelElement ? el.control : null;
}
