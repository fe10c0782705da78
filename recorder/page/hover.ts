// Page-side: finds the element a person had to hover so that the element they click became
// visible (CSS menus such as `.menu:hover .submenu { display: block }`), so the recorder
// records a browser.hover before the click only where replay needs it.
import { parentOf } from './dom.ts';

interface HoverRule {
  /** The full selector, e.g. ".menu:hover .submenu". */
  selector: string;
  /** The part up to the compound that carries :hover, e.g. ".menu:hover". */
  hovered: string;
}

function revealsSomething(style: CSSStyleDeclaration): boolean {
  const display = style.getPropertyValue('display');
  const visibility = style.getPropertyValue('visibility');
  const opacity = style.getPropertyValue('opacity');
  return (display !== '' && display !== 'none') || visibility === 'visible' || (opacity !== '' && Number(opacity) > 0);
}

function collectRules(rules: CSSRuleList, out: HoverRule[]): void {
  for (const rule of Array.from(rules)) {
    if (rule instanceof CSSStyleRule) {
      if (!rule.selectorText.includes(':hover') || !revealsSomething(rule.style)) continue;
      for (const selector of rule.selectorText.split(',')) {
        const at = selector.indexOf(':hover');
        if (at < 0) continue;
        // Extend to the end of the compound selector that holds :hover.
        const rest = selector.slice(at + ':hover'.length);
        const end = rest.search(/[\s>+~]/);
        const hovered = selector.slice(0, at + ':hover'.length + (end < 0 ? rest.length : end)).trim();
        out.push({ selector: selector.trim(), hovered });
      }
    } else if ('cssRules' in rule) {
      collectRules((rule as CSSGroupingRule).cssRules, out);
    }
  }
}

function hoverRules(root: Document | ShadowRoot): HoverRule[] {
  const out: HoverRule[] = [];
  for (const sheet of [...Array.from(root.styleSheets), ...root.adoptedStyleSheets]) {
    try {
      collectRules(sheet.cssRules, out);
    } catch {
      // A cross-origin stylesheet cannot be read; its menus go unnoticed.
    }
  }
  return out;
}

function closestAcross(el: Element, selector: string): Element | null {
  for (let node: Element | null = el; node; node = parentOf(node)) {
    try {
      if (node.matches(selector)) return node;
    } catch {
      return null;
    }
  }
  return null;
}

/** The ancestor of `el` whose hover reveals `el` (or one of its ancestors), if any. */
export function hoverRevealer(el: Element): Element | undefined {
  const rulesByRoot = new Map<Document | ShadowRoot, HoverRule[]>();
  for (let node: Element | null = el; node && node.localName !== 'body'; node = parentOf(node)) {
    const root = node.getRootNode() as Document | ShadowRoot;
    let rules = rulesByRoot.get(root);
    if (!rules) rulesByRoot.set(root, (rules = hoverRules(root)));
    for (const rule of rules) {
      let applies: boolean;
      try {
        applies = node.matches(rule.selector);
      } catch {
        continue;
      }
      if (!applies) continue;
      const hovered = closestAcross(node, rule.hovered);
      // A rule about the hovered element itself (`a:hover { opacity: .8 }`) reveals nothing;
      // and hovering the clicked element is what clicking it does anyway.
      if (hovered && hovered !== node && hovered !== el && !el.contains(hovered)) return hovered;
    }
  }
  return undefined;
}
