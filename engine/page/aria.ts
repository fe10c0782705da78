// Page-side: the ARIA role and accessible name of an element, close enough to what
// Playwright's getByRole computes for the elements back-office forms are made of.
// Runs inside the browser page (bundled by scripts/build-page.mjs); no Node imports.

const IMPLICIT_ROLES: Record<string, (el: Element) => string | undefined> = {
  a: (el) => (el.hasAttribute('href') ? 'link' : undefined),
  area: (el) => (el.hasAttribute('href') ? 'link' : undefined),
  button: () => 'button',
  select: (el) => ((el as HTMLSelectElement).multiple || (el as HTMLSelectElement).size > 1 ? 'listbox' : 'combobox'),
  textarea: () => 'textbox',
  option: () => 'option',
  img: (el) => (el.getAttribute('alt') === '' ? 'presentation' : 'img'),
  h1: () => 'heading', h2: () => 'heading', h3: () => 'heading', h4: () => 'heading', h5: () => 'heading', h6: () => 'heading',
  table: () => 'table', tr: () => 'row', td: () => 'cell', th: () => 'columnheader',
  ul: () => 'list', ol: () => 'list', li: () => 'listitem',
  nav: () => 'navigation', main: () => 'main', form: () => 'form', dialog: () => 'dialog',
  input: (el) => {
    const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
    if (type === 'checkbox') return 'checkbox';
    if (type === 'radio') return 'radio';
    if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
    if (type === 'range') return 'slider';
    if (type === 'number') return 'spinbutton';
    if (type === 'search') return 'searchbox';
    if (['hidden', 'file', 'password', 'color', 'date', 'datetime-local', 'month', 'time', 'week'].includes(type)) return undefined;
    return el.hasAttribute('list') ? 'combobox' : 'textbox';
  },
};

export function roleOf(el: Element): string | undefined {
  const explicit = el.getAttribute('role')?.trim().split(/\s+/)[0];
  if (explicit) return explicit;
  return IMPLICIT_ROLES[el.localName]?.(el);
}

export function collapse(text: string | null | undefined, max = 100): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) : t;
}

function byIds(el: Element, attr: string): string | undefined {
  const ids = el.getAttribute(attr)?.split(/\s+/).filter(Boolean);
  if (!ids?.length) return undefined;
  const root = el.getRootNode() as Document | ShadowRoot;
  const text = ids.map((id) => collapse(root.getElementById?.(id)?.textContent)).filter(Boolean).join(' ');
  return text || undefined;
}

/** Text of the <label>s of a form control (for=, wrapping, aria-labelledby). */
export function labelOf(el: Element): string | undefined {
  const labelled = byIds(el, 'aria-labelledby');
  if (labelled) return labelled;
  const labels = (el as HTMLInputElement).labels;
  if (labels && labels.length > 0) {
    const text = Array.from(labels).map((l) => collapse(l.textContent)).filter(Boolean).join(' ');
    if (text) return text;
  }
  return undefined;
}

/** Accessible name, simplified: aria-label(ledby), labels, alt/title, value of buttons, text content. */
export function accessibleName(el: Element): string {
  const aria = el.getAttribute('aria-label');
  if (aria?.trim()) return collapse(aria);
  const label = labelOf(el);
  if (label) return label;
  const tag = el.localName;
  if (tag === 'input') {
    const input = el as HTMLInputElement;
    if (['button', 'submit', 'reset'].includes(input.type)) return collapse(input.value || (input.type === 'submit' ? 'Submit' : input.type === 'reset' ? 'Reset' : ''));
    if (input.type === 'image') return collapse(input.alt);
    return collapse(input.title || input.placeholder);
  }
  if (tag === 'img') return collapse(el.getAttribute('alt') ?? el.getAttribute('title'));
  if (tag === 'select' || tag === 'textarea') return collapse(el.getAttribute('title') ?? (el as HTMLTextAreaElement).placeholder ?? '');
  const text = collapse((el as HTMLElement).innerText ?? el.textContent);
  if (text) return text;
  return collapse(el.getAttribute('title'));
}
