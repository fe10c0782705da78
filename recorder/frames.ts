// Where a recorded element's frame sits: the CSS selectors of the iframes around it,
// outermost first (Target.frame), computed from Node by walking frame.parentFrame() and
// describing each <iframe> element by its most stable attribute that is unique in its
// document: name, title, id, src path, else its position.
import type { Frame } from 'playwright-core';
import { looksGeneratedId } from './common/generated.js';

export interface IframeOption {
  kind: 'name' | 'title' | 'id' | 'src' | 'position';
  value: string;
  selector: string;
  /** How many elements of the iframe's document (or shadow root) the selector matches. */
  count: number;
}

// Node code is compiled without DOM types, so the page objects are described structurally.
interface DomNode {
  localName: string;
  parentElement: DomNode | null;
  children: ArrayLike<DomNode>;
  getAttribute(name: string): string | null;
  getRootNode(): { querySelectorAll(selector: string): ArrayLike<DomNode> };
}

/** Runs in the parent frame: the selector options for one iframe element, with their match counts. */
function iframeOptions(el: DomNode): IframeOption[] {
  const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const root = el.getRootNode();
  const tag = el.localName;
  const options: IframeOption[] = [];
  const add = (kind: IframeOption['kind'], value: string, selector: string): void => {
    let count: number;
    try {
      count = root.querySelectorAll(selector).length;
    } catch {
      count = 0; // a selector this browser cannot parse matches nothing
    }
    options.push({ kind, value, selector, count });
  };
  for (const kind of ['name', 'title', 'id'] as const) {
    const value = el.getAttribute(kind);
    if (value?.trim()) add(kind, value, `${tag}[${kind}=${quote(value)}]`);
  }
  const src = el.getAttribute('src');
  if (src) {
    try {
      const path = new URL(src, 'http://base.invalid/').pathname;
      if (path !== '/') add('src', path, `${tag}[src*=${quote(path)}]`);
    } catch {
      // an unparsable src is no use as a locator
    }
  }
  const siblings = el.parentElement ? Array.from(el.parentElement.children).filter((c) => c.localName === tag) : [el];
  add('position', '', `${tag}:nth-of-type(${siblings.indexOf(el) + 1})`);
  const frames = Array.from(root.querySelectorAll('iframe, frame'));
  options.push({ kind: 'position', value: '', selector: `${tag} >> nth=${frames.indexOf(el)}`, count: 1 });
  return options;
}

/** The first option that is stable (no generated name/id, no record number in the src) and unique. */
export function chooseIframeSelector(options: readonly IframeOption[]): string {
  const stable = (o: IframeOption): boolean =>
    o.kind === 'name' || o.kind === 'id' ? !looksGeneratedId(o.value) : o.kind === 'src' ? !/\d{4,}/.test(o.value) : true;
  const chosen = options.find((o) => o.count === 1 && stable(o));
  return (chosen ?? options.at(-1)!).selector;
}

const cache = new WeakMap<Frame, string>();

/** Selectors of the iframes around `frame`, outermost first; empty for a page's main frame. */
export async function frameChain(frame: Frame): Promise<string[]> {
  const chain: string[] = [];
  for (let current: Frame | null = frame; current?.parentFrame(); current = current.parentFrame()) {
    let selector = cache.get(current);
    if (!selector) {
      const element = await current.frameElement();
      try {
        selector = chooseIframeSelector(await element.evaluate(iframeOptions));
      } finally {
        await element.dispose();
      }
      cache.set(current, selector);
    }
    chain.unshift(selector);
  }
  return chain;
}
