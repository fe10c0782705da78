// Page-side: ranked locator candidates for one element, most robust first. Every candidate
// is checked here, at record time, to match exactly that element the way Playwright's
// locator will match it at replay (test ids, role + name, label, placeholder, text, stable
// attributes, id, stable classes, anchored xpath). Candidates that match nothing or more
// than one element are dropped.
import { accessibleName, collapse, roleOf } from '../../engine/page/aria.ts';
import { isStableClass, looksGeneratedId } from '../common/generated.ts';
import type { WireLocator } from '../common/wire.ts';
import { allElements, deepQueryAll, isHiddenForAria, isInShadowTree } from './dom.ts';

const TEST_ID_ATTRIBUTES = ['data-testid', 'data-test', 'data-test-id', 'data-qa', 'data-cy'];
const MAX_TEXT = 80;
/** Elements whose visible text names them; containers are left to the other locators. */
const TEXT_ROLES = new Set(['link', 'button', 'menuitem', 'tab', 'option', 'heading', 'cell', 'columnheader', 'listitem', 'checkbox', 'radio', 'switch']);

export interface RankedCandidates {
  candidates: WireLocator[];
  description: string;
}

/** Roles whose accessible name may come from their content (WAI-ARIA); others are named only by their author. */
const NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab', 'tooltip', 'treeitem']);

function hasAuthorName(el: Element): boolean {
  if (['aria-label', 'aria-labelledby', 'title', 'placeholder', 'alt'].some((a) => el.getAttribute(a)?.trim())) return true;
  const labels = (el as HTMLInputElement).labels;
  return !!labels && labels.length > 0;
}

/** Whitespace-normalized text, the way Playwright compares texts. */
function norm(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

function quoteCss(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;
}

function quoteXpath(value: string): string | undefined {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return undefined;
}

/** Text as Playwright's text engine sees it: button-like inputs by value, others by content. */
function elementText(el: Element): string {
  if (el instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(el.type)) return norm(el.value);
  if (['script', 'style', 'noscript', 'head'].includes(el.localName)) return '';
  return norm(el.textContent);
}

/** The label texts Playwright's getByLabel matches: aria-labelledby or <label>s, and aria-label. */
function labelTexts(el: Element): string[] {
  const texts: string[] = [];
  const aria = el.getAttribute('aria-label');
  if (aria && norm(aria)) texts.push(norm(aria));
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const root = el.getRootNode() as Document | ShadowRoot;
    const text = labelledBy.split(/\s+/).map((id) => norm(root.getElementById(id)?.textContent)).filter(Boolean).join(' ');
    if (text) texts.push(text);
  } else {
    const labels = (el as HTMLInputElement).labels;
    if (labels) for (const label of Array.from(labels)) if (norm(label.textContent)) texts.push(norm(label.textContent));
  }
  return texts;
}

/** Per-event cache of the page's elements: several candidates are checked against the same DOM. */
class Scope {
  private elements: Element[] | undefined;
  constructor(readonly doc: Document) {}
  all(): Element[] {
    return (this.elements ??= allElements(this.doc));
  }
}

type Check = (scope: Scope) => Element[];

function matchesByRole(role: string, name: string): Check {
  return (scope) => scope.all().filter((el) => roleOf(el) === role && !isHiddenForAria(el) && accessibleName(el) === name);
}

function matchesByLabel(label: string): Check {
  return (scope) => scope.all().filter((el) => labelTexts(el).includes(label));
}

function matchesByAttribute(attribute: string, value: string): Check {
  return (scope) => scope.all().filter((el) => el.getAttribute(attribute) === value);
}

function matchesByText(text: string): Check {
  return (scope) =>
    scope.all().filter((el) => {
      if (elementText(el) !== text) return false;
      // Playwright returns the innermost element holding the text, not its ancestors.
      return !Array.from(el.children).some((child) => elementText(child) === text);
    });
}

function matchesCss(selector: string): Check {
  return (scope) => deepQueryAll(selector, scope.doc);
}

function matchesXpath(expression: string): Check {
  return (scope) => {
    try {
      const result = scope.doc.evaluate(expression, scope.doc, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
      const out: Element[] = [];
      for (let i = 0; i < result.snapshotLength; i++) {
        const node = result.snapshotItem(i);
        if (node instanceof Element) out.push(node);
      }
      return out;
    } catch {
      return [];
    }
  };
}

// ---- the candidates ---------------------------------------------------------

function testIdCandidates(el: Element): Array<[WireLocator, Check]> {
  const out: Array<[WireLocator, Check]> = [];
  for (const attribute of TEST_ID_ATTRIBUTES) {
    const value = el.getAttribute(attribute);
    if (!value) continue;
    const locator: WireLocator = attribute === 'data-testid' ? { testId: value } : { css: `[${attribute}=${quoteCss(value)}]` };
    out.push([locator, matchesByAttribute(attribute, value)]);
  }
  return out;
}

function stableAttributeCss(el: Element): string[] {
  const tag = el.localName;
  const out: string[] = [];
  const name = el.getAttribute('name');
  if (name && !looksGeneratedId(name.replace(/[[\]]/g, '_'))) {
    const value = el.getAttribute('value');
    const withValue = (el instanceof HTMLInputElement && ['radio', 'checkbox'].includes(el.type)) || el instanceof HTMLButtonElement;
    out.push(withValue && value ? `${tag}[name=${quoteCss(name)}][value=${quoteCss(value)}]` : `${tag}[name=${quoteCss(name)}]`);
  }
  for (const attribute of ['title', 'alt']) {
    const value = el.getAttribute(attribute);
    if (value && norm(value)) out.push(`${tag}[${attribute}=${quoteCss(value)}]`);
  }
  const href = el.getAttribute('href');
  if (href && !href.startsWith('javascript:') && href !== '#' && !/\d{4,}/.test(href)) out.push(`${tag}[href=${quoteCss(href)}]`);
  const type = el.getAttribute('type');
  if (el instanceof HTMLInputElement && type && ['submit', 'button', 'reset'].includes(type) && el.value) out.push(`input[type=${quoteCss(type)}][value=${quoteCss(el.value)}]`);
  return out;
}

function idCss(el: Element): string | undefined {
  const id = el.getAttribute('id');
  return id && !looksGeneratedId(id) ? `#${CSS.escape(id)}` : undefined;
}

function classCompound(el: Element): string | undefined {
  const classes = Array.from(el.classList).filter(isStableClass).slice(0, 3);
  return classes.length ? `${el.localName}${classes.map((c) => `.${CSS.escape(c)}`).join('')}` : undefined;
}

/** A selector for the nearest ancestor that has a stable id or test id: the anchor of relative paths. */
function stableAncestor(el: Element): { el: Element; css: string; xpath: string } | undefined {
  for (let node = el.parentElement; node && node.localName !== 'html'; node = node.parentElement) {
    const id = node.getAttribute('id');
    if (id && !looksGeneratedId(id)) {
      const q = quoteXpath(id);
      if (q) return { el: node, css: `#${CSS.escape(id)}`, xpath: `//*[@id=${q}]` };
    }
    for (const attribute of ['data-testid', 'data-test', 'data-qa', 'data-cy']) {
      const value = node.getAttribute(attribute);
      const q = value && quoteXpath(value);
      if (value && q) return { el: node, css: `[${attribute}=${quoteCss(value)}]`, xpath: `//*[@${attribute}=${q}]` };
    }
    const name = node.getAttribute('name');
    if (name && node.localName === 'form' && !looksGeneratedId(name)) {
      const q = quoteXpath(name);
      if (q) return { el: node, css: `form[name=${quoteCss(name)}]`, xpath: `//form[@name=${q}]` };
    }
  }
  return undefined;
}

/**
 * An element in a table row, found through its row's text: "the Edit link in the row whose
 * cell says INV-2041". Rows of a table come in any order (sorting, new records), and the same
 * link is in every row, so position says nothing; a cell whose text no other row of the table
 * has does. The element is then named inside the row by its own text, or its path in the row.
 */
function rowRelativeXpath(el: Element): string | undefined {
  if (isInShadowTree(el)) return undefined;
  const item = el.closest('li');
  if (item && item !== el && !item.querySelector('li')) {
    // A list item is named by its whole text ("the checkbox of the item that says Pay the invoice").
    const text = norm(item.textContent);
    const q = text && text.length <= 60 ? quoteXpath(text) : undefined;
    const siblings = item.parentElement ? Array.from(item.parentElement.children).filter((c) => c !== item && c.localName === 'li') : [];
    if (q && !siblings.some((s) => norm(s.textContent) === text)) return `//li[normalize-space(.)=${q}]/${positionalPath(el, item)}`;
  }
  const row = el.closest('tr');
  if (!row || row === el) return undefined;
  const table = row.closest('table');
  if (!table) return undefined;
  const rows = Array.from(table.querySelectorAll('tr')).filter((r) => r !== row && r.closest('table') === table);
  const cellTexts = (r: Element): string[] => Array.from(r.children).map((c) => norm(c.textContent));
  const others = new Set(rows.flatMap(cellTexts));
  const key = Array.from(row.children).find((cell) => {
    const text = norm(cell.textContent);
    return text && text.length <= 60 && !cell.contains(el) && !others.has(text) && quoteXpath(text);
  });
  if (!key) return undefined;
  const rowXpath = `//tr[${key.localName}[normalize-space(.)=${quoteXpath(norm(key.textContent))!}]]`;
  const text = elementText(el);
  const q = text && text.length <= MAX_TEXT ? quoteXpath(text) : undefined;
  return q ? `${rowXpath}//${el.localName}[normalize-space(.)=${q}]` : `${rowXpath}/${positionalPath(el, row)}`;
}

/** tag[n] steps from `from` (exclusive) down to `el`. */
function positionalPath(el: Element, from: Element | null): string {
  const steps: string[] = [];
  for (let node: Element | null = el; node && node !== from; node = node.parentElement) {
    const parent: Element | null = node.parentElement;
    const tag = node.localName;
    const same = parent ? Array.from(parent.children).filter((c) => c.localName === tag) : [node];
    steps.unshift(same.length > 1 ? `${tag}[${same.indexOf(node) + 1}]` : tag);
    if (!parent) break;
  }
  return steps.join('/');
}

/** Position-only xpath from the document root: the last resort. */
export function absoluteXpath(el: Element): string {
  return `/${positionalPath(el, null)}`;
}

export function describeElement(el: Element): string {
  const role = roleOf(el);
  // Icon-font glyphs (private use area) are in the name but mean nothing to a reader.
  // Roles not named by their content (a list item, a paragraph) are described by their text.
  const name = collapse((accessibleName(el) || elementText(el)).replace(/[\ue000-\uf8ff]/g, ''), 60);
  const kind = role ?? el.localName;
  if (name) return `${kind} "${name}"`;
  const attr = el.getAttribute('name') ?? el.getAttribute('id');
  return attr ? `${kind} ${attr}` : kind;
}

/** Ranked, checked candidates for `el`. `acceptInside`: a match inside `el` also counts (clicks). */
export function candidatesFor(el: Element, options: { acceptInside?: boolean } = {}): RankedCandidates {
  const scope = new Scope(el.ownerDocument);
  const inShadow = isInShadowTree(el);
  const raw: Array<[WireLocator, Check]> = [...testIdCandidates(el)];

  const role = roleOf(el);
  const name = accessibleName(el);
  if (role && name && role !== 'presentation' && role !== 'none' && (NAME_FROM_CONTENT.has(role) || hasAuthorName(el))) {
    raw.push([{ role, name, exact: true }, matchesByRole(role, name)]);
  }
  if (el.matches('input, select, textarea, [aria-label], [aria-labelledby]')) {
    for (const label of labelTexts(el)) raw.push([{ label, exact: true }, matchesByLabel(label)]);
  }
  const placeholder = el.getAttribute('placeholder');
  if (placeholder && norm(placeholder)) raw.push([{ placeholder, exact: true }, matchesByAttribute('placeholder', placeholder)]);
  const text = elementText(el);
  const texty = (role !== undefined && TEXT_ROLES.has(role)) || el.children.length === 0;
  if (text && text.length <= MAX_TEXT && texty && !el.matches('input:not([type=submit]):not([type=button]):not([type=reset]), select, textarea')) {
    raw.push([{ text, exact: true }, matchesByText(text)]);
  }
  // A frame's body is where a rich-text editor in an iframe types: one per document.
  if (el.localName === 'body' && el === el.ownerDocument.body) raw.push([{ css: 'body' }, matchesCss('body')]);
  for (const css of stableAttributeCss(el)) raw.push([{ css }, matchesCss(css)]);
  const id = idCss(el);
  if (id) raw.push([{ css: id }, matchesCss(id)]);
  const compound = classCompound(el);
  if (compound) raw.push([{ css: compound }, matchesCss(compound)]);
  const inRow = rowRelativeXpath(el);
  if (inRow) raw.push([{ xpath: inRow }, matchesXpath(inRow)]);
  const anchor = inShadow ? undefined : stableAncestor(el);
  if (anchor) {
    const css = `${anchor.css} ${compound ?? el.localName}`;
    raw.push([{ css }, matchesCss(css)]);
    raw.push([{ xpath: `${anchor.xpath}/${positionalPath(el, anchor.el)}` }, matchesXpath(`${anchor.xpath}/${positionalPath(el, anchor.el)}`)]);
  }

  const seen = new Set<string>();
  const candidates: WireLocator[] = [];
  for (const [locator, check] of raw) {
    const key = JSON.stringify(locator);
    if (seen.has(key)) continue;
    seen.add(key);
    const matches = check(scope);
    if (matches.length !== 1) continue;
    const match = matches[0]!;
    if (match === el || (options.acceptInside && el.contains(match))) candidates.push(locator);
  }
  let description = describeElement(el);
  if (!candidates.length) {
    if (inShadow) {
      // XPath does not enter shadow roots; the host's position is the best there is.
      const host = (el.getRootNode() as ShadowRoot).host;
      candidates.push({ css: `${host.localName} ${el.localName}` });
    } else {
      candidates.push({ xpath: absoluteXpath(el) });
    }
    description += ' (found by position only: no stable locator matched exactly this element)';
  }
  return { candidates, description };
}
