// Learning where each field sits on one layout from a person's correction, and reading the next
// document of that layout from it. A template holds, per field, the anchor the value hangs on
// (the fixed words printed before it on its line, or the nearest label line left of or above
// it) and where the value sits relative to that anchor, in page-relative units so a scan and a
// PDF of the same layout share it. Documents are matched to a template by their fixed words
// (the layout's fingerprint) and by finding its anchors; a value read from a found anchor at
// the learned place is evidence of its own ("template"), stronger than any generic rule.
import { createHash } from 'node:crypto';
import type { FieldSpec } from '../../format/schema.js';
import type { Box, DocumentText, ExtractedField } from '../types.js';
import { normaliseValue } from '../validate.js';
import { mayContinue, type PlacedLine } from '../local/geometry.js';
import { findValue, tokenRegex } from '../local/values.js';

export interface FieldPlace {
  /** inline: the value follows the anchor words on their line; left / above: it is (in) the line at `offset` from the anchor line. */
  relation: 'inline' | 'left' | 'above' | 'column' | 'mark' | 'at';
  /** The anchor's words, folded (lower case, no accents), digits and punctuation left out. */
  anchor: string[];
  page: number;
  /** The anchor line's top-left, page-relative (0..1). */
  anchorAt: { x: number; y: number };
  /** The value line's top-left minus the anchor's, page-relative. */
  offset: { dx: number; dy: number };
  /** Dates: the learned document wrote days first. */
  dayFirst?: boolean;
  /** Text: the value ended where this mark followed it ("Sundial Catering AB, Unit 4 …" → ","). */
  cut?: string;
  /** Column (a list of amounts): the column's horizontal extent, page-relative. */
  column?: { x0: number; x1: number };
  /** Mark (an enum such as a currency the page shows only by a symbol): the one symbol the page showed ("$"), meaning the person's value ("CAD"). */
  mark?: { symbol: string; value: string };
  /** Text: the value the person gave on the learned document, for the shape of values read here (a number holds a digit). */
  example?: string;
  /** The generic reader had this field right on the learned document: when it now reads otherwise, the two disagree and a person decides. */
  genericRight?: boolean;
}

export interface LayoutTemplate {
  id: string;
  version: number;
  /** The fields (by name) the template was learned for: templates serve only the same schema. */
  schemaKey: string;
  /** The layout's words (folded, letters only), for matching documents to templates. */
  fingerprint: string[];
  fields: Record<string, FieldPlace>;
  /** Where each version's knowledge came from (document text SHA-256, review id). */
  learnedFrom: { documentSha256: string; reviewId?: string; version: number }[];
  createdAt: string;
  updatedAt: string;
}

/** Lower case without accents, one character for one (as the local reader folds labels). */
const fold = (text: string): string => [...text.toLowerCase()].map((c) => c.normalize('NFD').charAt(0) || c).join('');
const wordsOf = (text: string): string[] => fold(text).match(/\p{L}{2,}/gu) ?? [];

export function schemaKey(fields: readonly FieldSpec[]): string {
  return createHash('sha256').update(fields.map((f) => `${f.name}:${f.type ?? 'string'}`).sort().join('|')).digest('hex').slice(0, 16);
}

export function documentSha256(document: DocumentText): string {
  return createHash('sha256').update(document.text).digest('hex');
}

function placedLines(document: DocumentText): PlacedLine[] {
  return document.pages.flatMap((page) => page.lines.map((line, index) => ({ ...line, page: page.number, index, ocr: page.method === 'ocr' })));
}

function pageSize(document: DocumentText, page: number): { width: number; height: number } {
  const p = document.pages.find((x) => x.number === page);
  return { width: p?.width || 1, height: p?.height || 1 };
}

const rel = (box: Box, size: { width: number; height: number }): { x: number; y: number } => ({ x: box.x / size.width, y: box.y / size.height });

/** The words of a page that are the same on every document of a layout are among these. */
export function fingerprintOf(document: DocumentText): string[] {
  return [...new Set(placedLines(document).flatMap((l) => wordsOf(l.text)).filter((w) => w.length >= 3))].sort();
}

export function similarity(a: readonly string[], b: readonly string[]): number {
  const setB = new Set(b);
  const shared = a.filter((w) => setB.has(w)).length;
  return shared / Math.max(1, Math.min(a.length, b.length));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 0.005;
  if (typeof a === 'string' && typeof b === 'string') return fold(a).replace(/\s+/g, ' ').trim() === fold(b).replace(/\s+/g, ' ').trim();
  return a === b;
}

/** Where in `line` the field's value (as the person gave it) is written: the span's start, or undefined. */
/** For finding a person's text on a scan: the letters OCR confuses with digits made one. */
const loose = (text: string): string => fold(text).replace(/[1l|!]/g, 'i').replace(/0/g, 'o');

function valueIn(spec: FieldSpec, line: string, value: unknown): { at: number; dayFirst?: boolean } | undefined {
  if ((spec.type ?? 'string') === 'string') {
    const at = loose(line).indexOf(loose(String(value)).trim());
    return at >= 0 ? { at } : undefined;
  }
  for (const dayFirst of spec.type === 'date' ? [false, true] : [false]) {
    const found = findValue(spec, line, { dayFirst });
    if (found && sameValue(found.value, value)) {
      // Days first or not is learned only from a date that could be read either way.
      const ambiguous = spec.type === 'date' && findValue(spec, found.text, { dayFirst: !dayFirst })?.value !== found.value;
      // A date only one order can read ("18/08/24") proves how this sender writes dates too.
      const numeric = spec.type === 'date' && !ambiguous ? /^(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}$/.exec(found.text.trim()) : null;
      const proven = numeric ? (Number(numeric[1]) > 12 ? true : Number(numeric[2]) > 12 ? false : undefined) : undefined;
      const order = ambiguous ? dayFirst : proven;
      return { at: Math.max(0, line.indexOf(found.text)), ...(order !== undefined ? { dayFirst: order } : {}) };
    }
  }
  return undefined;
}

/** The words of `text` that can anchor a value: letters only, the variable bits (numbers, IDs) left out. */
const anchorWords = (text: string): string[] => wordsOf(text.replace(/\S*\d\S*/g, ' '));

const MONEY: FieldSpec = { name: 'amount', type: 'money' };
const RANK = { inline: 0, left: 1, above: 2, column: 3, mark: 4, at: 5 } as const;

/** The nearest label line left of `line` on its row, else above it (overlapping its column). */
function anchorOf(line: PlacedLine, labels: PlacedLine[]): { anchor: PlacedLine; relation: 'left' | 'above' } | undefined {
  const left = labels.filter((l) => Math.abs(l.box.y - line.box.y) < line.box.height * 0.6 && l.box.x + l.box.width <= line.box.x + 1).sort((a, b) => b.box.x - a.box.x)[0];
  if (left) return { anchor: left, relation: 'left' };
  const above = labels
    .filter((l) => l.box.y < line.box.y - line.box.height * 0.3 && line.box.y - l.box.y < line.box.height * 6 && Math.min(l.box.x + l.box.width, line.box.x + line.box.width) - Math.max(l.box.x, line.box.x) > 0)
    .sort((a, b) => b.box.y - a.box.y)[0];
  return above ? { anchor: above, relation: 'above' } : undefined;
}

/** A list of amounts: the column under the header above its first amount (the rightmost such amount on its row: totals follow prices). */
function learnColumn(document: DocumentText, lines: PlacedLine[], amounts: unknown[]): FieldPlace | undefined {
  const first = amounts[0];
  if (typeof first !== 'number') return undefined;
  const holding = lines.filter((l) => { const f = findValue(MONEY, l.text); return f !== undefined && sameValue(f.value, first); }).sort((a, b) => a.box.y - b.box.y || b.box.x - a.box.x);
  const line = holding[0];
  if (!line) return undefined;
  const size = pageSize(document, line.page);
  const labels = lines.filter((l) => l.page === line.page && l.box.y < line.box.y && anchorWords(l.text).length > 0 && !/\d/.test(l.text));
  const header = labels
    .filter((l) => line.box.y - l.box.y < line.box.height * 6 && Math.min(l.box.x + l.box.width, line.box.x + line.box.width) - Math.max(l.box.x, line.box.x) > 0)
    .sort((a, b) => b.box.y - a.box.y)[0];
  if (!header) return undefined;
  const at = rel(header.box, size);
  const x0 = Math.min(header.box.x, line.box.x) / size.width;
  const x1 = Math.max(header.box.x + header.box.width, line.box.x + line.box.width) / size.width;
  return { relation: 'column', anchor: anchorWords(header.text), page: line.page, anchorAt: at, offset: { dx: 0, dy: (line.box.y - header.box.y) / size.height }, column: { x0, x1 } };
}

/** The distinct currency symbols (with the letters stuck to them: "A$", "CHF") printed beside amounts on the page. */
function marksOf(lines: PlacedLine[]): string[] {
  const marks = new Set<string>();
  for (const line of lines) for (const m of line.text.matchAll(/(?<![\p{L}])(\p{Lu}{0,3}[$€£¥]|[$€£¥]\p{Lu}{0,3})(?=\s?\d)|(?<=\d)\s?([$€£¥])(?!\p{L})/gu)) marks.add((m[1] ?? m[2])!);
  return [...marks];
}

/** Learns where each corrected value sits. Fields whose value is null or not found on the page are left to the generic reader. */
export function learnPlaces(document: DocumentText, fields: readonly FieldSpec[], values: Record<string, unknown>): Record<string, FieldPlace> {
  const lines = placedLines(document);
  const places: Record<string, FieldPlace> = {};
  for (const spec of fields) {
    const value = values[spec.name];
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      const column = value.length ? learnColumn(document, lines, value) : undefined;
      if (column) places[spec.name] = column;
      continue;
    }
    let best: FieldPlace | undefined;
    for (const line of lines) {
      const found = valueIn(spec, line.text, value);
      if (!found) continue;
      const size = pageSize(document, line.page);
      const dayFirst = found.dayFirst !== undefined ? { dayFirst: found.dayFirst } : {};
      const after = (spec.type ?? 'string') === 'string' ? line.text.slice(found.at + (typeof value === 'string' ? value : JSON.stringify(value)).trim().length).match(/^\s*([,;|–—/(-])/)?.[1] : undefined;
      const cut = after ? { cut: after } : {};
      const before = anchorWords(line.text.slice(0, found.at));
      let place: FieldPlace | undefined;
      if (before.length) {
        place = { relation: 'inline', anchor: before.slice(-4), page: line.page, anchorAt: rel(line.box, size), offset: { dx: 0, dy: 0 }, ...dayFirst, ...cut };
      } else if (spec.type !== 'enum') {
        // An enum (a currency) printed beside an amount is anchored by whatever the row says: nothing that stays.
        const labels = lines.filter((l) => l.page === line.page && l !== line && anchorWords(l.text).length > 0 && valueIn(spec, l.text, value) === undefined);
        const found2 = anchorOf(line, labels);
        if (!found2 && (spec.type ?? 'string') === 'string') {
          // A letterhead: no label, only its place on the page.
          place = { relation: 'at', anchor: [], page: line.page, anchorAt: rel(line.box, size), offset: { dx: 0, dy: 0 }, ...cut };
        }
        if (found2) {
          const at = rel(found2.anchor.box, size);
          const to = rel(line.box, size);
          place = { relation: found2.relation, anchor: anchorWords(found2.anchor.text), page: line.page, anchorAt: at, offset: { dx: to.x - at.x, dy: to.y - at.y }, ...dayFirst, ...cut };
        }
      }
      if (place && (!best || RANK[place.relation] < RANK[best.relation])) best = place;
      if (best?.relation === 'inline') break;
    }
    if (!best && spec.type === 'enum' && typeof value === 'string') {
      const marks = marksOf(lines);
      if (marks.length === 1) best = { relation: 'mark', anchor: [], page: 1, anchorAt: { x: 0, y: 0 }, offset: { dx: 0, dy: 0 }, mark: { symbol: marks[0]!, value } };
    }
    if (best) places[spec.name] = (spec.type ?? 'string') === 'string' && typeof value === 'string' ? { ...best, example: value } : best;
  }
  return places;
}

/** An anchor word as OCR may have read it: one letter wrong, missing or extra, or cut short ("Bestel" for "Bestellnr."). */
function sameWord(seen: string, learned: string): boolean {
  if (seen === learned) return true;
  if (learned.length < 4) return false;
  if (seen.length >= 5 && (learned.startsWith(seen) || seen.startsWith(learned))) return true;
  if (Math.abs(seen.length - learned.length) > 1) return false;
  let i = 0;
  while (i < seen.length && i < learned.length && seen[i] === learned[i]) i++;
  if (seen.length === learned.length) return seen.slice(i + 1) === learned.slice(i + 1);
  return seen.length > learned.length ? seen.slice(i + 1) === learned.slice(i) : seen.slice(i) === learned.slice(i + 1);
}

/** Where the anchor's words are in `line` (whole words, in order, nothing but non-letters between), as the end of their span; -1 when not there. */
function anchorEnd(line: string, anchor: readonly string[]): number {
  return anchorSpan(line, anchor)?.end ?? -1;
}

function anchorSpan(line: string, anchor: readonly string[]): { first: number; end: number } | undefined {
  if (!anchor.length) return undefined;
  const folded = fold(line);
  const words = [...folded.matchAll(/\p{L}{2,}/gu)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
  for (let i = 0; i + anchor.length <= words.length; i++) {
    let ok = true;
    for (let k = 0; k < anchor.length && ok; k++) {
      const w = words[i + k]!;
      if (!sameWord(w.word, anchor[k]!)) ok = false;
      // Only spacing and punctuation between the anchor's words.
      else if (k > 0 && /\p{L}/u.test(folded.slice(words[i + k - 1]!.end, w.start))) ok = false;
    }
    if (ok) return { first: i, end: words[i + anchor.length - 1]!.end };
  }
  return undefined;
}

function nearest<T extends PlacedLine>(lines: T[], size: { width: number; height: number }, at: { x: number; y: number }): T | undefined {
  const distance = (l: T): number => Math.hypot(l.box.x / size.width - at.x, l.box.y / size.height - at.y);
  return [...lines].sort((a, b) => distance(a) - distance(b))[0];
}

/** How many of the template's anchors the document shows (0..1): the layout is the template's when most are there. */
export function anchorCoverage(template: LayoutTemplate, document: DocumentText): number {
  const lines = placedLines(document);
  const places = Object.values(template.fields).filter((p) => p.anchor.length > 0);
  if (!places.length) return 0;
  return places.filter((p) => lines.some((l) => l.page === p.page && anchorEnd(l.text, p.anchor) >= 0)).length / places.length;
}

/**
 * The amounts down a learned column from its header, until a row that carries another field's
 * anchor (the subtotal under the last item) or a gap wider than the rows before.
 */
function readColumn(place: FieldPlace, header: PlacedLine, lines: PlacedLine[], size: { width: number; height: number }, template: LayoutTemplate): { values: number[]; text: string; confidence: number } | undefined {
  const col = place.column!;
  const others = Object.values(template.fields).filter((p) => p !== place).map((p) => p.anchor);
  const below = lines
    .filter((l) => l.page === header.page && l.box.y > header.box.y + header.box.height * 0.5 && Math.min((l.box.x + l.box.width) / size.width, col.x1) - Math.max(l.box.x / size.width, col.x0) > 0)
    .sort((a, b) => a.box.y - b.box.y);
  const values: number[] = [];
  const texts: string[] = [];
  const used: number[] = [];
  let lastY = header.box.y;
  let step = 0;
  for (const line of below) {
    const row = lines.filter((l) => l.page === line.page && Math.abs(l.box.y - line.box.y) < line.box.height * 0.6);
    if (row.some((l) => others.some((a) => anchorEnd(l.text, a) >= 0))) break;
    const gap = line.box.y - lastY;
    if (values.length >= 2 && gap > step * 1.6) break;
    const found = findValue(MONEY, line.text);
    if (!found || typeof found.value !== 'number') break;
    if (values.length >= 1) step = Math.max(step, gap);
    values.push(found.value);
    texts.push(found.text);
    used.push(line.confidence);
    lastY = line.box.y;
  }
  return values.length ? { values, text: texts.join(' | '), confidence: Math.min(...used) } : undefined;
}

function findsValue(spec: FieldSpec, text: string, place: FieldPlace): boolean {
  if ((spec.type ?? 'string') === 'string') return /\p{L}|\d/u.test(text);
  // "Taxes 10 %": a rate is no amount; only what shows it is money counts.
  return findValue(spec, text, { ...(place.dayFirst !== undefined ? { dayFirst: place.dayFirst } : {}), moneyShaped: true }) !== undefined;
}

/**
 * Whether a string read at its place has the shape of the value learned there. A number (the learned value held a
 * digit) needs a digit, and is its one ID-like token when the line holds label words or leaders around it ("n° ……
 * PUR-0550-37"); a name that may go on over a tight next line in its type ("Société Générale de" / "Nettoyage") is
 * doubtful. Returns the value to use, 'none' when the line holds no such value, 'doubt', or 'ok'.
 */
function stringShapeCheck(value: string, example: string, line: PlacedLine, lines: PlacedLine[]): { value: string } | 'none' | 'doubt' | 'ok' {
  if (/\d/.test(example)) {
    if (!/\d/.test(value)) return 'none';
    if (!/\s/.test(example.trim()) && /\s/.test(value.trim())) {
      const tokens = value.split(/\s+/).map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter((t) => /\d/.test(t) && t.length >= 3);
      return tokens.length === 1 ? { value: tokens[0]! } : 'none';
    }
    return 'ok';
  }
  const next = lines.filter((l) => l.page === line.page && l.box.y > line.box.y + 0.5 * line.box.height).sort((a, b) => a.box.y - b.box.y)[0];
  return mayContinue(line, next) ? 'doubt' : 'ok';
}

/** Confidence of a value read at its learned place: the anchor found once, the value of the field's type and pattern where it was. */
export const TEMPLATE_CONFIDENCE = 0.97;
/** Below this OCR confidence a line's characters are doubtful (measured on the held-out-3 learning run's first groups: misreads sat at 0.1–0.66, clean lines at 0.77 and up). */
const OCR_DOUBT = 0.7;
/** A value at its learned place whose reading is doubtful: for a person to check. */
const UNSURE = 0.6;

/** Reads the fields the template knows; the others (and those it cannot read here) are left out for the generic reader. */
export function readWithTemplate(template: LayoutTemplate, document: DocumentText, fields: readonly FieldSpec[], options: { generic?: Record<string, unknown> } = {}): ExtractedField[] {
  const lines = placedLines(document);
  const out: ExtractedField[] = [];
  for (const spec of fields) {
    const place = template.fields[spec.name];
    if (!place) continue;
    const size = pageSize(document, place.page);
    if (place.relation === 'mark') {
      const marks = marksOf(lines);
      const mark = place.mark;
      if (mark && marks.length === 1 && marks[0] === mark.symbol) out.push({ name: spec.name, value: mark.value, confidence: TEMPLATE_CONFIDENCE, source: { page: 1, text: mark.symbol, template: { id: template.id, version: template.version } }, evidence: 'template' });
      continue;
    }
    if (place.relation === 'at') {
      const size0 = pageSize(document, place.page);
      const line = nearest(lines.filter((l) => l.page === place.page), size0, place.anchorAt);
      if (!line || Math.abs(line.box.y / size0.height - place.anchorAt.y) > 0.02 || Math.abs(line.box.x / size0.width - place.anchorAt.x) > 0.1) continue;
      const text = (place.cut && line.text.includes(place.cut) ? line.text.slice(0, line.text.indexOf(place.cut)) : line.text).trim();
      const normalised = normaliseValue(spec, text);
      if (!text || !normalised.ok) continue;
      // Only a place, no label: worth a look by a person unless the generic reader agrees.
      const agrees = options.generic?.[spec.name] === normalised.value;
      out.push({ name: spec.name, value: normalised.value, confidence: agrees || line.confidence >= OCR_DOUBT ? 0.9 : UNSURE, source: { page: place.page, box: line.box, text, template: { id: template.id, version: template.version } }, evidence: 'template' });
      continue;
    }
    const anchors = lines.filter((l) => l.page === place.page && anchorEnd(l.text, place.anchor) >= 0);
    // "Total" labels its own line, not "Sous-total" (an anchor that starts its line first).
    const starting = anchors.filter((l) => anchorSpan(l.text, place.anchor)?.first === 0);
    const anchor = nearest(starting.length ? starting : anchors, size, place.anchorAt);
    if (!anchor) continue;
    let line: PlacedLine | undefined = anchor;
    let text: string;
    if (place.relation === 'inline' || place.relation === 'column') {
      text = anchor.text.slice(anchorEnd(anchor.text, place.anchor)).replace(/^[\s:#.\-–|]+/, '');
    } else if (place.relation === 'left' && findsValue(spec, anchor.text.slice(anchorEnd(anchor.text, place.anchor)), place)) {
      // The row read as one line (OCR joins a label and its value when the gap is small).
      text = anchor.text.slice(anchorEnd(anchor.text, place.anchor));
    } else {
      const at = rel(anchor.box, size);
      const want = { x: at.x + place.offset.dx, y: at.y + place.offset.dy };
      const tolerance = (anchor.box.height / size.height) * 1.5;
      line = nearest(lines.filter((l) => l.page === place.page && l !== anchor), size, want);
      if (!line || Math.abs(line.box.y / size.height - want.y) > tolerance || Math.abs(line.box.x / size.width - want.x) > 0.15) continue;
      text = line.text;
    }
    const type = spec.type ?? 'string';
    // A scan's line OCR itself doubts ("T1-006135" at 0.11) is no clean reading, wherever it sits.
    let confidence = line.confidence >= OCR_DOUBT ? TEMPLATE_CONFIDENCE : UNSURE;
    let value: unknown;
    let span: string;
    if (place.relation === 'column') {
      const column = readColumn(place, anchor, lines, size, template);
      if (!column) continue;
      out.push({ name: spec.name, value: column.values, confidence: column.confidence >= OCR_DOUBT ? TEMPLATE_CONFIDENCE : UNSURE, source: { page: place.page, box: anchor.box, text: column.text, template: { id: template.id, version: template.version } }, evidence: 'template' });
      continue;
    }
    if (type === 'string') {
      span = (place.cut && text.includes(place.cut) ? text.slice(0, text.indexOf(place.cut)) : text).trim();
      const normalised = normaliseValue(spec, span);
      if (!span || !normalised.ok) continue;
      value = normalised.value;
    } else {
      const found = findValue(spec, text, place.dayFirst !== undefined ? { dayFirst: place.dayFirst } : {});
      if (!found) continue;
      value = found.value;
      span = found.text;
      if (spec.type === 'date' && place.dayFirst === undefined) {
        // 03/05/2024 could be either; the learned document did not say which this sender writes.
        const other = findValue(spec, text, { dayFirst: true });
        // Neither the learned document nor this one says which order: the generic reader, which does not know either,
        // agreeing proves nothing. A person decides.
        if (other && other.value !== value) confidence = Math.min(confidence, 0.5);
      }
    }
    if (spec.pattern && typeof value === 'string' && !tokenRegex(spec.pattern)?.test(value)) continue;
    if (type === 'string' && typeof value === 'string' && place.example !== undefined) {
      const sure = stringShapeCheck(value, place.example, line, lines);
      if (sure === 'none') continue;
      if (sure === 'doubt') confidence = Math.min(confidence, UNSURE);
      else if (sure !== 'ok') value = sure.value;
    }
    // The OCR model drops accents now and then ("Backer" for "Bäcker"): a name read from a scan goes to a person, as
    // the generic reader's do.
    if (type === 'string' && line.ocr && place.example !== undefined && !/\d/.test(place.example)) confidence = Math.min(confidence, 0.75);
    const generic = options.generic?.[spec.name];
    if (place.genericRight && generic !== undefined && generic !== null && !sameValue(generic, value)) confidence = Math.min(confidence, UNSURE);
    out.push({
      name: spec.name,
      value,
      confidence,
      source: { page: place.page, box: line.box, text: span, template: { id: template.id, version: template.version } },
      evidence: 'template',
    });
  }
  return out;
}

/** A new template, or the next version of `existing` with the places learned from this document. */
export function learnTemplate(document: DocumentText, fields: readonly FieldSpec[], values: Record<string, unknown>, options: { existing?: LayoutTemplate; reviewId?: string; now?: string; generic?: Record<string, unknown> } = {}): LayoutTemplate | undefined {
  const places = learnPlaces(document, fields, values);
  if (options.generic) for (const [name, place] of Object.entries(places)) if (options.generic[name] !== undefined && options.generic[name] !== null && sameValue(options.generic[name], values[name])) place.genericRight = true;
  if (!Object.keys(places).length) return undefined;
  const now = options.now ?? new Date().toISOString();
  const sha = documentSha256(document);
  const source = { documentSha256: sha, ...(options.reviewId ? { reviewId: options.reviewId } : {}) };
  if (options.existing) {
    const version = options.existing.version + 1;
    return { ...options.existing, version, fields: { ...options.existing.fields, ...places }, learnedFrom: [...options.existing.learnedFrom, { ...source, version }], updatedAt: now };
  }
  const fingerprint = fingerprintOf(document);
  const key = schemaKey(fields);
  const id = `tpl-${createHash('sha256').update(`${key}|${fingerprint.join(' ')}`).digest('hex').slice(0, 12)}`;
  return { id, version: 1, schemaKey: key, fingerprint, fields: places, learnedFrom: [{ ...source, version: 1 }], createdAt: now, updatedAt: now };
}

/** The template for this document among `templates` (same schema, most of its anchors on the page), or undefined. */
export function templateFor(templates: readonly LayoutTemplate[], document: DocumentText, fields: readonly FieldSpec[]): LayoutTemplate | undefined {
  const key = schemaKey(fields);
  const fingerprint = fingerprintOf(document);
  let best: { template: LayoutTemplate; score: number } | undefined;
  for (const template of templates) {
    if (template.schemaKey !== key) continue;
    // The anchors decide (a layout's labels are fixed, its other words are not); the page's words break ties.
    const words = similarity(template.fingerprint, fingerprint);
    const coverage = anchorCoverage(template, document);
    if (coverage < 0.6 || Object.keys(template.fields).length < 2) continue;
    const score = words + coverage;
    if (!best || score > best.score) best = { template, score };
  }
  return best?.template;
}
