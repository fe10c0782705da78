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

// ---- name from content, as Playwright computes it (its getByRole matches these names) ----
// Playwright follows the accname spec with a few documented differences: CSS ::before/::after
// content counts (icon fonts put a glyph there: a button reads "\uf090 Login"), inline
// elements join without a space while block ones are spaced, hidden descendants count for
// nothing, a descendant's aria-label / alt / title stands for its content.

/** Roles whose descendants may give their content to the name of an ancestor (Playwright's list). */
const DESCENDANT_NAME_FROM_CONTENT = new Set(['', 'caption', 'code', 'contentinfo', 'definition', 'deletion', 'emphasis', 'insertion', 'list', 'listitem', 'mark', 'none', 'paragraph', 'presentation', 'region', 'row', 'rowgroup', 'section', 'strong', 'subscript', 'superscript', 'table', 'term', 'time']);
const ALWAYS_NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab', 'tooltip', 'treeitem']);
const IGNORED = new Set(['script', 'style', 'noscript', 'template', 'head']);

/** Strings (and attr()) of a computed CSS `content` value; after a "/" only the alternative text. */
function cssContentText(element: Element, value: string, pseudo: boolean): string | undefined {
  if (!value || value === 'none' || value === 'normal') return undefined;
  const tokens: Array<{ kind: 'string' | 'attr' | 'slash' | 'other'; value: string }> = [];
  for (let i = 0; i < value.length; ) {
    const c = value[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let text = '';
      for (i++; i < value.length && value[i] !== c; i++) {
        if (value[i] === '\\') {
          const hex = /^[0-9a-fA-F]{1,6}\s?/.exec(value.slice(i + 1));
          if (hex) {
            text += String.fromCodePoint(parseInt(hex[0].trim(), 16));
            i += hex[0].length;
          } else {
            text += value[++i] ?? '';
          }
        } else {
          text += value[i];
        }
      }
      i++;
      tokens.push({ kind: 'string', value: text });
    } else if (c === '/') {
      tokens.push({ kind: 'slash', value: '/' });
      i++;
    } else {
      const attr = /^attr\(\s*([-\w]+)\s*\)/.exec(value.slice(i));
      const word = attr ?? /^[^\s"'/]+(\([^)]*\))?/.exec(value.slice(i));
      tokens.push(attr ? { kind: 'attr', value: attr[1]! } : { kind: 'other', value: word?.[0] ?? c });
      i += word?.[0].length || 1;
    }
  }
  let used = tokens;
  const slash = tokens.findIndex((t) => t.kind === 'slash');
  if (slash >= 0) used = tokens.slice(slash + 1);
  else if (!pseudo) return undefined; // on an element itself only url()/gradients are valid content
  const out: string[] = [];
  for (const token of used) {
    if (token.kind === 'string') out.push(token.value);
    else if (token.kind === 'attr') out.push(element.getAttribute(token.value) ?? '');
    else return undefined;
  }
  return out.join('');
}

function cssContent(element: Element, pseudo?: '::before' | '::after'): string | undefined {
  const style = getComputedStyle(element, pseudo);
  if (!style || style.display === 'none' || style.visibility === 'hidden') return undefined;
  let content = cssContentText(element, style.content, !!pseudo);
  if (pseudo && content !== undefined && (style.display || 'inline') !== 'inline') content = ` ${content} `;
  return content;
}

function hiddenForAria(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) {
    if (node.getAttribute('aria-hidden') === 'true') return true;
  }
  // A <slot> or any display: contents box has no box of its own; its content decides.
  if (getComputedStyle(el).display === 'contents') return false;
  return !el.checkVisibility({ visibilityProperty: true });
}

/** What an embedded control contributes to its label's text: its value, or the chosen option. */
function embeddedControlText(el: Element, role: string | undefined): string | undefined {
  if (role === 'textbox' || role === 'searchbox') return (el as HTMLInputElement).value ?? el.textContent ?? '';
  if (role === 'combobox' || role === 'listbox') {
    if (el instanceof HTMLSelectElement) return Array.from(el.selectedOptions).map((o) => o.label).join(' ');
    return undefined;
  }
  if (['progressbar', 'scrollbar', 'slider', 'spinbutton', 'meter'].includes(role ?? '')) {
    return el.getAttribute('aria-valuetext') ?? el.getAttribute('aria-valuenow') ?? (el as HTMLInputElement).value ?? '';
  }
  return undefined;
}

/** The text alternative of a descendant met while naming an ancestor from its content. */
function descendantText(el: Element, visited: Set<Element>): string {
  if (visited.has(el) || IGNORED.has(el.localName) || hiddenForAria(el)) return '';
  visited.add(el);
  const aria = el.getAttribute('aria-label');
  const role = roleOf(el);
  const embedded = embeddedControlText(el, role);
  if (embedded !== undefined) return embedded;
  if (aria?.trim()) return aria;
  const tag = el.localName;
  if (el instanceof SVGSVGElement) {
    const title = Array.from(el.children).find((c) => c.localName === 'title');
    return title?.textContent ?? '';
  }
  if (tag === 'img' || (tag === 'input' && (el as HTMLInputElement).type === 'image')) {
    const alt = el.getAttribute('alt');
    if (alt?.trim()) return alt;
  }
  if (tag === 'input' && ['button', 'submit', 'reset'].includes((el as HTMLInputElement).type)) {
    const input = el as HTMLInputElement;
    return input.value || (input.type === 'submit' ? 'Submit' : input.type === 'reset' ? 'Reset' : '');
  }
  if (ALWAYS_NAME_FROM_CONTENT.has(role ?? '') || DESCENDANT_NAME_FROM_CONTENT.has(role ?? '')) {
    const text = contentText(el, visited);
    if (text.trim()) return text;
  }
  return el.getAttribute('title') ?? '';
}

/** Name from content: ::before, the children (and an open shadow root), ::after. */
function contentText(el: Element, visited: Set<Element> = new Set([el])): string {
  const tokens: string[] = [cssContent(el, '::before') ?? ''];
  const own = cssContent(el);
  if (own !== undefined) {
    tokens.push(own);
  } else {
    const visit = (node: Node): void => {
      if (node instanceof Element) {
        const display = getComputedStyle(node).display || 'inline';
        const token = descendantText(node, visited);
        tokens.push(display !== 'inline' || node.localName === 'br' ? ` ${token} ` : token);
      } else if (node.nodeType === Node.TEXT_NODE) {
        tokens.push(node.textContent ?? '');
      }
    };
    const assigned = el instanceof HTMLSlotElement ? el.assignedNodes() : [];
    if (assigned.length) {
      for (const node of assigned) visit(node);
    } else {
      for (let child = el.firstChild; child; child = child.nextSibling) if (!(child as Element | Text).assignedSlot) visit(child);
      if (el.shadowRoot) for (let child = el.shadowRoot.firstChild; child; child = child.nextSibling) visit(child);
    }
  }
  tokens.push(cssContent(el, '::after') ?? '');
  return tokens.join('');
}

/** Whitespace as Playwright normalises names before comparing: zero-width out, runs collapsed, trimmed. */
export function normalizeName(text: string): string {
  return text.replace(/[\u200b\u00ad]/g, '').replace(/\s+/g, ' ').trim();
}

function textOfIds(el: Element, attr: string): string | undefined {
  const ids = el.getAttribute(attr)?.split(/\s+/).filter(Boolean);
  if (!ids?.length) return undefined;
  const root = el.getRootNode() as Document | ShadowRoot;
  const text = ids
    .map((id) => root.getElementById?.(id))
    .filter((ref): ref is HTMLElement => !!ref)
    .map((ref) => normalizeName(ref.getAttribute('aria-label') || contentText(ref)))
    .filter(Boolean)
    .join(' ');
  return text || undefined;
}

/**
 * Accessible name as Playwright's getByRole computes it (whitespace-normalised): aria-labelledby,
 * aria-label, labels, alt/value/title, and for roles named by their content the content with
 * CSS pseudo-element text, hidden parts left out.
 */
export function accessibleName(el: Element): string {
  const labelled = textOfIds(el, 'aria-labelledby');
  if (labelled) return labelled;
  const aria = el.getAttribute('aria-label');
  if (aria?.trim()) return normalizeName(aria);
  const tag = el.localName;
  if (['input', 'select', 'textarea'].includes(tag)) {
    const labels = (el as HTMLInputElement).labels;
    if (labels?.length) {
      const text = normalizeName(Array.from(labels).map((l) => contentTextSkipping(l, el)).join(' '));
      if (text) return text;
    }
  }
  if (tag === 'input') {
    const input = el as HTMLInputElement;
    if (['button', 'submit', 'reset'].includes(input.type)) return normalizeName(input.value || (input.type === 'submit' ? 'Submit' : input.type === 'reset' ? 'Reset' : ''));
    if (input.type === 'image') return normalizeName(input.alt || input.title || '');
    return normalizeName(input.title || input.placeholder);
  }
  if (tag === 'img') return normalizeName(el.getAttribute('alt') ?? el.getAttribute('title') ?? '');
  if (tag === 'select' || tag === 'textarea') return normalizeName(el.getAttribute('title') ?? (el as HTMLTextAreaElement).placeholder ?? '');
  const role = roleOf(el) ?? '';
  if (ALWAYS_NAME_FROM_CONTENT.has(role) || tag === 'a' || tag === 'button' || tag === 'summary' || tag === 'legend' || tag === 'caption' || tag === 'label') {
    const text = normalizeName(contentText(el));
    if (text) return text;
  }
  return normalizeName(el.getAttribute('title') ?? '');
}

/** A label's content, the labelled control itself standing for its value. */
function contentTextSkipping(label: Element, control: Element): string {
  return contentText(label, new Set([label, control]));
}
