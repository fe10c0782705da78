// Order locators: "the 1st of the 3 identical entries of this window". A control that nothing of
// its own tells apart (an entry without a label, among entries that look the same) is still told
// by its place in its window's structure: its index among the look-alikes, in reading order for
// pictures (rows top to bottom, left to right within a row) or in tree order for accessibility
// selectors. The recorder saves the index with the number of look-alikes; replay takes the
// control only when the window holds exactly that many and their order is plain — a window with
// another structure (an entry more or fewer, a row that overlaps another) fails the step, never
// acts on a neighbour.
import type { Rect } from './bitmap.js';

export interface Nth {
  /** 0-based index among the look-alikes. */
  index: number;
  /** How many look-alikes the window held when recorded. */
  of: number;
}

/** Centres closer than this (pixels, vertically) are on one row. */
export const ROW_SLACK_PX = 4;

export const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

export const describeNth = (nth: Nth): string => `the ${ordinal(nth.index + 1)} of ${nth.of}`;

/**
 * Places in reading order: rows from the top (centres within ROW_SLACK_PX of the row's first),
 * left to right in a row. Undefined when the order is not plain: two places whose rows overlap
 * without being one row (a staggered layout), where "the 2nd" could mean either.
 */
export function readingOrder<T extends { rect: Rect }>(places: readonly T[]): T[] | undefined {
  const middle = (place: T): number => place.rect.y + place.rect.height / 2;
  const byY = [...places].sort((a, b) => middle(a) - middle(b));
  const rows: T[][] = [];
  for (const place of byY) {
    const row = rows.at(-1);
    if (row && Math.abs(middle(place) - middle(row[0]!)) <= ROW_SLACK_PX) {
      row.push(place);
      continue;
    }
    // Overlapping a row it is not part of: neither in it nor below it.
    if (row && row.some((other) => place.rect.y < other.rect.y + other.rect.height && other.rect.y < place.rect.y + place.rect.height)) return undefined;
    rows.push([place]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.rect.x - b.rect.x));
}

/**
 * The `nth` of `places` (every place the image matches about equally) in reading order, or why
 * none may be taken: another number of look-alikes than recorded, or no plain order.
 */
export function pickNth<T extends { rect: Rect }>(places: readonly T[], nth: Nth): { place: T } | { why: string } {
  if (nth.index < 0 || nth.index >= nth.of) return { why: `index ${nth.index} is not below its count ${nth.of}` };
  if (places.length !== nth.of) {
    return { why: `recorded as ${describeNth(nth)} look-alikes, but the window holds ${places.length}: its structure changed, so "${ordinal(nth.index + 1)}" may be another control` };
  }
  const ordered = readingOrder(places);
  if (!ordered) return { why: `the ${places.length} look-alikes stand in overlapping rows: their order is not plain` };
  return { place: ordered[nth.index]! };
}

/** Where `place` stands among `places` (which hold it), in reading order; undefined when that order is not plain. */
export function nthOf<T extends { rect: Rect }>(place: T, places: readonly T[]): Nth | undefined {
  const ordered = readingOrder(places);
  const index = ordered?.indexOf(place) ?? -1;
  return index < 0 ? undefined : { index, of: places.length };
}
