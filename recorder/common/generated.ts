// Tells stable ids and class names from generated ones (framework counters, hashes, GUIDs,
// utility classes). Plain string logic with no DOM and no Node: the page-side recorder
// imports it to rank locators, and unit tests run it in Node.

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Prefixes that frameworks put before a running counter: ember123, ext-gen45, mui-7, :r1:. */
const FRAMEWORK_COUNTER = /^(ember|ext-gen|ext-comp|ext-element-|gwt-uid-|yui_|yui-gen|mui-|react-select-|rc-|radix-|headlessui-|j_id|jsf|ui-id-|cdk-|mat-|p-|vaadin-|x-auto-|ng-|el-id-|ctl|id)[-_]?\d+/i;

/** True when a name segment looks like a hash or counter rather than a word. */
function hashLikeSegment(segment: string): boolean {
  const digits = segment.replace(/\D/g, '').length;
  const letters = segment.replace(/[^a-z]/gi, '').length;
  if (segment.length >= 6 && /^[0-9a-f]+$/i.test(segment) && digits >= 2 && letters >= 1) return true; // hex hash
  if (digits >= 3 && letters >= 1) return true; // a1b2c3, x7k92
  // Random mixed case such as "bdVaJa" or "kQzX1": many case flips inside one short token.
  if (segment.length >= 5 && !/^[A-Z]?[a-z]+(?:[A-Z][a-z]{2,})*$/.test(segment)) {
    const flips = segment.split('').filter((ch, i) => i > 0 && /[a-z]/i.test(ch) && /[a-z]/i.test(segment[i - 1]!) && (ch === ch.toUpperCase()) !== (segment[i - 1] === segment[i - 1]!.toUpperCase())).length;
    if (flips >= 3) return true;
  }
  return false;
}

/** An id attribute that will not be the same on the next page load (or next build). */
export function looksGeneratedId(id: string): boolean {
  if (!id.trim()) return true;
  if (/\s/.test(id)) return true;
  if (id.includes(':')) return true; // React useId (:r1:), JSF (form:j_id12)
  if (/^\d/.test(id)) return true;
  if (/\d{4,}/.test(id)) return true; // f8392742, item-1700000000
  if (GUID.test(id)) return true;
  if (FRAMEWORK_COUNTER.test(id)) return true;
  return id.split(/[-_.]/).some(hashLikeSegment);
}

const UTILITY_PREFIX =
  /^-?(m|p|mt|mb|ml|mr|mx|my|pt|pb|pl|pr|px|py|w|h|min-w|min-h|max-w|max-h|gap|space-[xy]|text|bg|border|rounded|shadow|grid-cols|col-span|row-span|col|z|top|left|right|bottom|inset|opacity|font|leading|tracking|order|flex|items|justify|self|place|overflow|d|align|float|fs|fw|lh|g|gx|gy|ring|outline|translate|scale|rotate|duration|ease|delay|transition|cursor|select|fill|stroke)-/;
const UTILITY_WORDS = new Set([
  'flex', 'grid', 'block', 'inline', 'inline-block', 'hidden', 'relative', 'absolute', 'fixed', 'sticky', 'static',
  'container', 'truncate', 'italic', 'underline', 'uppercase', 'lowercase', 'capitalize', 'clearfix', 'row', 'col',
  'pull-left', 'pull-right', 'float-left', 'float-right', 'visible', 'invisible', 'sr-only', 'shadow', 'rounded', 'border',
]);
/** Classes that come and go with the element's state, so they do not identify it. */
const STATE_CLASS = /^(is-|has-|was-)|^(active|selected|focus|focused|hover|hovered|open|opened|closed|disabled|enabled|checked|current|visible|show|shown|collapsed|expanded|ng-[a-z-]+|dirty|pristine|touched|untouched|valid|invalid)$/;

/** A class name worth putting in a CSS locator: meaningful, not hashed, not a utility or a state. */
export function isStableClass(name: string): boolean {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) return false; // escapes, "/", ":" and "[" mark utility variants (w-1/2, hover:x)
  if (name.length < 3) return false;
  if (UTILITY_WORDS.has(name) || UTILITY_PREFIX.test(name) || STATE_CLASS.test(name)) return false;
  if (/^(css|sc|jsx|emotion|styled|svelte|astro|tw)-/.test(name)) return false; // CSS-in-JS hashes
  if (/__[\w-]{4,}$/.test(name) && /\d/.test(name.split('__').pop()!)) return false; // CSS modules: Button_primary__3xYz1
  if (/\d{3,}/.test(name)) return false;
  return !name.split(/[-_]/).some(hashLikeSegment);
}
