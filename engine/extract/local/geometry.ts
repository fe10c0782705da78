// Where things sit on a page: the line to the right of a label, the lines below it, the rows
// of a column. Works in the page's own units (PDF points or pixels): only ratios of text
// heights are used, so PDF text and OCR behave the same.
import type { Box, TextLine } from '../types.js';

export interface PlacedLine extends TextLine {
  page: number;
  /** Index within its page, top to bottom. */
  index: number;
  /** Read by OCR (not a PDF's own text). */
  ocr?: boolean;
  /** One cell of a printed line divided by bars: its box is estimated from its share of the line's characters. */
  cell?: boolean;
}

const right = (b: Box): number => b.x + b.width;
const bottom = (b: Box): number => b.y + b.height;

function verticalOverlap(a: Box, b: Box): number {
  return Math.max(0, Math.min(bottom(a), bottom(b)) - Math.max(a.y, b.y)) / Math.min(a.height, b.height);
}

function horizontalOverlap(a: Box, b: Box): number {
  return Math.max(0, Math.min(right(a), right(b)) - Math.max(a.x, b.x));
}

export function sameRow(a: Box, b: Box): boolean {
  return verticalOverlap(a, b) >= 0.5;
}

/** The nearest line on the same row, right of `label`, within 25 text heights (a form's label column, a totals table). */
// A colon in a column of its own between the labels and their values ("Loss date   :   31-5-2024") is passed over.
export function lineRightOf(label: PlacedLine, lines: PlacedLine[]): PlacedLine | undefined {
  return lines
    .filter((l) => l.page === label.page && l !== label && sameRow(l.box, label.box) && l.box.x >= right(label.box) - 1 && l.box.x - right(label.box) < 25 * label.box.height && !/^[\s:]*$/.test(l.text))
    .sort((a, b) => a.box.x - b.box.x)[0];
}

/** The nearest line under `label` that starts near it or overlaps it horizontally, within 3 text heights. */
export function lineBelow(label: PlacedLine, lines: PlacedLine[]): PlacedLine | undefined {
  const h = label.box.height;
  return lines
    .filter((l) => l.page === label.page && l.box.y > label.box.y + h * 0.5 && l.box.y - bottom(label.box) < 3 * h)
    .filter((l) => Math.abs(l.box.x - label.box.x) < 2 * h || horizontalOverlap(l.box, label.box) > 0.5 * Math.min(l.box.width, label.box.width))
    .sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x)[0];
}

/** The nearest line over `caption` that starts near it or overlaps it horizontally, within 3 of its text heights. */
export function lineAbove(caption: PlacedLine, lines: PlacedLine[]): PlacedLine | undefined {
  const h = caption.box.height;
  return lines
    .filter((l) => l.page === caption.page && bottom(l.box) < caption.box.y + h * 0.5 && caption.box.y - bottom(l.box) < 3 * h)
    .filter((l) => Math.abs(l.box.x - caption.box.x) < 2 * h || horizontalOverlap(l.box, caption.box) > 0.5 * Math.min(l.box.width, caption.box.width))
    .sort((a, b) => b.box.y - a.box.y || a.box.x - b.box.x)[0];
}

/**
 * Whether `next` may carry on `line` (a name wrapped in a narrow cell or column): tight under it,
 * starting where it starts, in the same type, holding no digit (an address line usually does).
 */
export function mayContinue(line: PlacedLine, next: PlacedLine | undefined): boolean {
  if (!next || next.page !== line.page) return false;
  const h = line.box.height;
  return next.box.y - bottom(line.box) < 0.6 * h && Math.abs(next.box.x - line.box.x) < h && Math.abs(next.box.height - h) <= 0.15 * h && !/\d/.test(next.text);
}

/** Lines that continue a paragraph started by `first`: left-aligned with it, of the same text height, each close under the last. */
export function paragraphFrom(first: PlacedLine, lines: PlacedLine[]): PlacedLine[] {
  const paragraph = [first];
  for (;;) {
    const last = paragraph[paragraph.length - 1]!;
    const next = lines.find((l) => l.page === last.page && l.box.y > bottom(last.box) - 0.2 * last.box.height && l.box.y - bottom(last.box) < 0.8 * last.box.height && Math.abs(l.box.x - first.box.x) < first.box.height && Math.abs(l.box.height - first.box.height) < 0.15 * first.box.height);
    if (!next || paragraph.includes(next)) return paragraph;
    paragraph.push(next);
  }
}

/**
 * The paragraph a label to its left is set against, when the label is centred on it rather than on its first line
 * ("How the loss occurred" beside the second of two lines, or on a line of its own between them): the lines right of
 * `label` whose middle lies within a line and a half of the label's, from the paragraph's top. `taken` tells which
 * lines belong to other labels (a value column's line beside another label is that label's value): the paragraph
 * stops at them.
 */
export function paragraphBeside(label: PlacedLine, lines: PlacedLine[], taken: (line: PlacedLine) => boolean): { paragraph: PlacedLine[]; pieced: boolean } | undefined {
  const h = label.box.height;
  const mid = label.box.y + h / 2;
  const rightOf = (l: PlacedLine): boolean => l.page === label.page && l !== label && l.box.x >= right(label.box) - 1 && l.box.x - right(label.box) < 25 * h;
  const near = lines.filter((l) => rightOf(l) && !taken(l) && Math.abs(l.box.y + l.box.height / 2 - mid) < 1.6 * h).sort((a, b) => a.box.y - b.box.y);
  let top = near[0];
  if (!top) return undefined;
  for (;;) {
    const t: PlacedLine = top;
    const up = lines.find((l) => rightOf(l) && l.box.y < t.box.y && t.box.y - bottom(l.box) < 0.8 * t.box.height && Math.abs(l.box.x - t.box.x) < t.box.height && Math.abs(l.box.height - t.box.height) < 0.15 * t.box.height);
    if (!up || taken(up)) break;
    top = up;
  }
  const paragraph: PlacedLine[] = [];
  for (const l of paragraphFrom(top, lines)) {
    if (taken(l)) break;
    paragraph.push(l);
  }
  // A line set against the label in the paragraph's column that the paragraph did not reach (a wider gap where the
  // label sits): joined on, but the value is then pieced together.
  const left = top.box.x;
  const stray = near.filter((l) => !paragraph.includes(l) && Math.abs(l.box.x - left) < top.box.height && l.box.y > top.box.y);
  if (stray.length) return { paragraph: [...paragraph, ...stray].sort((a, b) => a.box.y - b.box.y), pieced: true };
  return paragraph.length ? { paragraph, pieced: false } : undefined;
}

/** Lines under a column header that overlap its horizontal extent, top to bottom. */
export function columnBelow(header: PlacedLine, lines: PlacedLine[]): PlacedLine[] {
  const span: Box = { ...header.box, x: header.box.x - header.box.height, width: header.box.width + 2 * header.box.height };
  return lines.filter((l) => l.page === header.page && l.box.y > bottom(header.box) - 0.2 * header.box.height && horizontalOverlap(l.box, span) > 0).sort((a, b) => a.box.y - b.box.y);
}

/** Every line of the page on the same row as `line` (itself included). */
export function rowOf(line: PlacedLine, lines: PlacedLine[]): PlacedLine[] {
  return lines.filter((l) => l.page === line.page && sameRow(l.box, line.box));
}

/**
 * The value under `label` when it heads a column of a table with a header row: a row of three or more cells without
 * a digit (two when they are in smaller type than the row under them), and under it a row whose cells start where the
 * header's cells start, one under each. Beside such a label stands the next column's header, not its value.
 * Undefined when `label` heads no such table.
 */
export function cellUnderHeader(label: PlacedLine, lines: PlacedLine[]): PlacedLine | undefined {
  const header = rowOf(label, lines).sort((a, b) => a.box.x - b.box.x);
  if (header.length < 2 || header.some((l) => /\d/.test(l.text))) return undefined;
  const first = lineBelow(label, lines);
  if (!first) return undefined;
  const values = rowOf(first, lines).filter((l) => !header.includes(l));
  const under = (cell: PlacedLine): PlacedLine | undefined => values.find((v) => Math.abs(v.box.x - cell.box.x) < 1.5 * cell.box.height || horizontalOverlap(v.box, cell.box) > 0.5 * Math.min(v.box.width, cell.box.width));
  const cells = header.map(under);
  if (cells.some((c) => !c) || new Set(cells).size !== header.length) return undefined;
  const smaller = header.every((h, i) => h.box.height < 0.9 * cells[i]!.box.height);
  // A header row is printed in one type: a label beside its answer ("Insured person" 18 px, "Hamish McAllister" 14 px on a
  // scan) over the next label is a form's row, not two captions.
  const heights = header.map((h) => h.box.height);
  const oneType = Math.max(...heights) <= 1.2 * Math.min(...heights);
  if (header.length < 3 && !(smaller && oneType)) return undefined;
  return under(label);
}

/**
 * The line `caption` captions when it is printed under it (paper forms): in smaller type, tight under a larger line,
 * the next line further down than that. Undefined when `caption` sits over its value instead.
 */
export function captionedBy(caption: PlacedLine, lines: PlacedLine[]): PlacedLine | undefined {
  const above = lineAbove(caption, lines);
  const below = lineBelow(caption, lines);
  const gap = (upper: PlacedLine, lower: PlacedLine): number => lower.box.y - bottom(upper.box);
  if (!above || caption.box.height >= 0.85 * above.box.height || gap(above, caption) >= 1.5 * caption.box.height) return undefined;
  // A column of labels with their answers in a column right of them is no caption under its value: a scan reads a line
  // with "p" or "y" taller than one without, but both lines stand beside their own answers, starting at one x.
  const besideCaption = lineRightOf(caption, lines);
  const besideAbove = lineRightOf(above, lines);
  if (besideCaption && besideAbove && Math.abs(besideCaption.box.x - besideAbove.box.x) < caption.box.height) return undefined;
  return !below || gap(caption, below) > 1.5 * Math.max(0, gap(above, caption)) + 0.2 * caption.box.height ? above : undefined;
}
