// How much an element found on the page now looks like the one that was recorded: a pure
// score in [0, 1] over two fingerprints, and the decision whether the best-scoring element
// is safe to act on. No Playwright here, so every rule is unit-tested in Node.
import type { Fingerprint } from '../format/schema.js';
import { editDistance } from '../format/edit-distance.js';

/** Lowercase words of a text, punctuation dropped: "Policy number:" → ["policy", "number"]. */
export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Similarity of two short texts in [0, 1]: the better of word overlap (Dice over tokens,
 * word order ignored) and edit distance over the normalised text (catches "no." vs "number"
 * only partly, typos and plural forms well). Two empty texts are equal.
 */
export function textSimilarity(a: string | undefined, b: string | undefined): number {
  const ta = tokens(a ?? '');
  const tb = tokens(b ?? '');
  if (ta.length === 0 && tb.length === 0) return 1;
  if (ta.length === 0 || tb.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of tb) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of ta) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(t, left - 1);
    }
  }
  const dice = (2 * shared) / (ta.length + tb.length);
  const sa = ta.join(' ');
  const sb = tb.join(' ');
  const edit = 1 - editDistance(sa, sb) / Math.max(sa.length, sb.length);
  return Math.max(dice, edit);
}

/** The path (and query keys) of a link, so a changed host or session parameter does not count. */
function hrefKey(href: string): string {
  try {
    const url = new URL(href, 'http://page.invalid/');
    return `${url.pathname} ${[...url.searchParams.keys()].sort().join(' ')}`.trim();
  } catch {
    return href;
  }
}

const CONTROL_TAGS = new Set(['input', 'select', 'textarea', 'button']);
const CLICKABLE_TAGS = new Set(['a', 'button', 'input']);

function tagSimilarity(recorded: Fingerprint, found: Fingerprint): number {
  const sameTag = recorded.tag === found.tag;
  const sameRole = (recorded.role ?? '') === (found.role ?? '');
  if (sameTag && sameRole) return 1;
  if (sameRole && recorded.role) return 0.8; // <a role=button> vs <button>: same thing to a user
  if (sameTag) return 0.5; // an input whose type changed: text → password is a different field
  if ((CONTROL_TAGS.has(recorded.tag) && CONTROL_TAGS.has(found.tag)) || (CLICKABLE_TAGS.has(recorded.tag) && CLICKABLE_TAGS.has(found.tag))) return 0.3;
  return 0;
}

/** Attribute weights: what a back-office form keeps across releases weighs most, ids and classes least. */
const ATTRIBUTE_WEIGHTS: Record<string, number> = {
  name: 3,
  type: 1.5,
  href: 2,
  placeholder: 1,
  title: 1,
  alt: 1,
  value: 1.5,
  'aria-label': 1,
  for: 0.2,
  id: 0.3,
  class: 0.3,
};
const DATA_ATTRIBUTE_WEIGHT = 1;
/** Attributes whose presence alone tells elements apart (a field with a name vs one without). */
const PRESENCE_MATTERS = new Set(['name', 'type', 'href']);

function attributeSimilarity(name: string, a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 1 : 0;
  if (name === 'href') {
    const similarity = textSimilarity(hrefKey(a), hrefKey(b));
    return similarity === 1 ? 1 : similarity * 0.8; // another path is mostly another page
  }
  if (name === 'name' || name === 'type' || name === 'value') return a === b ? 1 : textSimilarity(a, b) * 0.6;
  if (name === 'class') return textSimilarity(a.split(/\s+/).sort().join(' '), b.split(/\s+/).sort().join(' '));
  return a === b ? 1 : textSimilarity(a, b);
}

function ancestorSimilarity(a: string[], b: string[]): number {
  const length = Math.max(a.length, b.length);
  if (length === 0) return 1;
  let same = 0;
  for (let i = 0; i < length; i++) if (a[i] !== undefined && a[i] === b[i]) same++;
  return same / length;
}

/** 1 when the boxes coincide, falling off with the distance of their centres (half at ~250 px). */
function boxSimilarity(a: NonNullable<Fingerprint['box']>, b: NonNullable<Fingerprint['box']>): number {
  const dx = a.x + a.width / 2 - (b.x + b.width / 2);
  const dy = a.y + a.height / 2 - (b.y + b.height / 2);
  return Math.exp(-Math.hypot(dx, dy) / 360);
}

interface Part {
  weight: number;
  similarity: number;
}

/**
 * Scores how much `found` looks like `recorded`, in [0, 1]. Only what the recorded
 * fingerprint says counts (a field it lacks cannot be compared), so scores of elements
 * found for one target are comparable with each other. `description` is the target's
 * human description, a weak extra hint about the element's name.
 */
export function scoreFingerprint(recorded: Fingerprint, found: Fingerprint, description?: string): number {
  const parts: Part[] = [{ weight: 2.5, similarity: tagSimilarity(recorded, found) }];
  if (recorded.name) parts.push({ weight: 3, similarity: textSimilarity(recorded.name, found.name) });
  if (recorded.label) parts.push({ weight: 2.5, similarity: textSimilarity(recorded.label, found.label) });
  if (recorded.text && recorded.text !== recorded.name) parts.push({ weight: 1.5, similarity: textSimilarity(recorded.text, found.text) });
  const recordedAttributes = recorded.attributes ?? {};
  const foundAttributes = found.attributes ?? {};
  const names = new Set(Object.keys(recordedAttributes));
  for (const name of PRESENCE_MATTERS) if (name in foundAttributes) names.add(name);
  for (const name of names) {
    const weight = ATTRIBUTE_WEIGHTS[name] ?? (name.startsWith('data-') ? DATA_ATTRIBUTE_WEIGHT : 0);
    if (weight > 0) parts.push({ weight, similarity: attributeSimilarity(name, recordedAttributes[name], foundAttributes[name]) });
  }
  if (recorded.formIndex !== undefined) {
    const distance = found.formIndex === undefined ? Infinity : Math.abs(found.formIndex - recorded.formIndex);
    parts.push({ weight: 1, similarity: distance === 0 ? 1 : distance === 1 ? 0.5 : 0 });
  }
  if (recorded.ancestors?.length) parts.push({ weight: 0.5, similarity: ancestorSimilarity(recorded.ancestors, found.ancestors ?? []) });
  if (recorded.box && found.box) parts.push({ weight: 0.7, similarity: boxSimilarity(recorded.box, found.box) });
  if (description && (found.name || found.label || found.text)) {
    const words = new Set(tokens(description));
    const said = tokens([found.name, found.label, found.text].filter(Boolean).join(' '));
    const overlap = said.length ? said.filter((t) => words.has(t)).length / said.length : 0;
    parts.push({ weight: 0.5, similarity: overlap });
  }
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  return parts.reduce((sum, p) => sum + p.weight * p.similarity, 0) / total;
}

export const DEFAULT_HEAL_THRESHOLD = 0.8;
/** The best match must beat the runner-up by this much; two look-alikes are never guessed between. */
export const HEAL_MARGIN = 0.1;

export interface Scored {
  index: number;
  score: number;
}

export type HealDecision =
  | { accept: true; best: Scored; runnerUp?: Scored | undefined }
  | { accept: false; reason: 'none' | 'below-threshold' | 'ambiguous'; best?: Scored | undefined; runnerUp?: Scored | undefined };

/** Accept the best element only when it clears the threshold and stands clearly apart from the next. */
export function decideHeal(scores: Scored[], threshold: number, margin = HEAL_MARGIN): HealDecision {
  const ranked = [...scores].sort((a, b) => b.score - a.score);
  const [best, runnerUp] = ranked;
  if (!best) return { accept: false, reason: 'none' };
  if (best.score < threshold) return { accept: false, reason: 'below-threshold', best, runnerUp };
  if (runnerUp && best.score - runnerUp.score < margin) return { accept: false, reason: 'ambiguous', best, runnerUp };
  return { accept: true, best, runnerUp };
}
