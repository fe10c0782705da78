// Finds a value of a field's type inside a piece of text: the amount in "Tax (8%): USD 98.40",
// the date in "Issued 5 March 2024", one of an enum's values. Returns the span it read.
import type { FieldSpec } from '../../format/schema.js';
import { normaliseValue, parseAmount, ROMAN_MONTH } from '../validate.js';
import { VALUE_SYNONYMS } from './vocabulary.js';

export interface ValueMatch {
  value: unknown;
  /** The exact text the value was read from. */
  text: string;
}

// A written month (any language; parseDate decides whether the word is one).
const MONTH = '\\p{L}{3,10}\\.?';
// What stands between the parts of a date with a written month: a space (after a comma), a dash, a slash or a dot.
const SEP = '(?:,? |[-/.] ?)';
const DATE = new RegExp(
  [`\\d{1,2} ?[-/.] ?${ROMAN_MONTH} ?[-/.] ?(?:\\d{4}|\\d{2}(?!\\d))(?![\\p{L}\\d])`, `\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}`, `\\d{1,2}[-/.]\\d{1,2}[-/.](?:\\d{4}|\\d{2})`, `\\d{1,2}\\. ?\\d{1,2}\\. \\d{4}`, `\\d{1,2}(?:st|nd|rd|th|er|\\.)?(?: of| de)?${SEP}${MONTH}(?: del?)?${SEP}(?:\\d{4}|\\d{2}(?!\\d))`, `${MONTH}${SEP}\\d{1,2}(?:st|nd|rd|th)?${SEP}(?:\\d{4}|\\d{2}(?!\\d))`, `\\d{4}${SEP}${MONTH}${SEP}\\d{1,2}`, `(?<![\\d.,/-])(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(?![\\d.,/-])`].map((p) => `(?:${p})`).join('|'),
  'giu',
);
// An amount with optional currency before or after; not a percentage, not part of a longer
// token. Grouped (1,234.56 · 1.234,56 · 1 234,56 · 1'234.56) or not (5820,34).
const GROUP = "[.,'\u2019 \u00a0\u202f]";
const AMOUNT = `(?:\\d{1,3}(?:${GROUP}\\d{3})+|\\d+)(?:[.,]\\d{1,2})?`;
const MONEY = new RegExp(`(?<![\\w.,-])(?:[A-Z]{3} ?|[$€£¥] ?)?-?${AMOUNT}(?: ?[$€£¥]| [A-Z]{3}\\b)?(?![\\d%]|[.,]\\d|\\s?%)`, 'gu');
/** An amount that shows it is money (a currency or cents), for when no label vouches for it: not "Unit 4", not a day. */
const MONEY_SHAPED = new RegExp(`(?<![\\w.,-])(?:(?:[A-Z]{3} ?|[$€£¥] ?)-?${AMOUNT}|-?${AMOUNT}(?: ?[$€£¥]| [A-Z]{3}\\b)|-?(?:\\d{1,3}(?:${GROUP}\\d{3})+|\\d+)[.,]\\d{2})(?![\\d%]|[.,]\\d|\\s?%)`, 'gu');

/** Currency marks that name one currency, and the ISO code each stands for. */
const CURRENCY_MARKS: [RegExp, string][] = [
  [/US\$/u, 'USD'],
  [/(?<![A-Z])(?:A|AU)\$/u, 'AUD'],
  [/(?<![A-Z])(?:C|CA|CAN)\$/u, 'CAD'],
  [/NZ\$/u, 'NZD'],
  [/HK\$/u, 'HKD'],
  [/(?<![A-Z])(?:S|SG)\$/u, 'SGD'],
  [/(?<![A-Z])(?:MX|Mex)\$/u, 'MXN'],
  // French usage puts the country after the sign: "1 234,56 $ CA", "$ US".
  [/\$ ?CA(?!\p{L})/u, 'CAD'],
  [/\$ ?US(?!\p{L})/u, 'USD'],
  [/\$ ?AU(?!\p{L})/u, 'AUD'],
  [/€/u, 'EUR'],
  [/£/u, 'GBP'],
  [/¥/u, 'JPY'],
  [/\bFr\.\s?\d|\bSFr\b/u, 'CHF'],
];
/** Currencies written with a plain "$": a bare "$" names one of them only when the field allows no other. */
const DOLLARS = ['USD', 'AUD', 'CAD', 'NZD', 'HKD', 'SGD', 'MXN'];

/**
 * The currency codes (of `allowed`) that `text` shows by code or by symbol. A bare "$" stands
 * for every dollar currency the field allows (several codes: the text does not say which).
 */
export function currenciesIn(text: string, allowed: readonly string[]): string[] {
  const codes = new Set<string>();
  for (const code of allowed) if (/^[A-Z]{3}$/.test(code) && new RegExp(`(?<![A-Z])${code}(?![A-Z])`).test(text)) codes.add(code);
  for (const [mark, code] of CURRENCY_MARKS) if (allowed.includes(code) && mark.test(text)) codes.add(code);
  if (/(?<![\p{L}])\$(?! ?(?:CA|US|AU)(?!\p{L}))/u.test(text)) for (const code of DOLLARS) if (allowed.includes(code)) codes.add(code);
  return [...codes];
}
/** ISO 4217 codes in everyday use, for currencies a schema may not allow. */
const ISO_CODES = new Set('AED ARS AUD BGN BHD BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR ISK JPY KES KRW KWD MAD MXN MYR NGN NOK NZD PEN PHP PKR PLN QAR RON RSD RUB SAR SEK SGD THB TND TRY TWD UAH USD VND ZAR'.split(' '));
/** Signs that name one currency a schema may not allow (a bare "kr" or "$" names several: no help here). */
const OTHER_MARKS: [RegExp, string][] = ([[/₪/u, 'ILS'], [/₹/u, 'INR'], [/฿/u, 'THB'], [/₺/u, 'TRY'], [/₩/u, 'KRW'], [/\d ?zł|zł ?\d/u, 'PLN'], [/R\$/u, 'BRL'], [/₽/u, 'RUB'], [/₴/u, 'UAH'], [/₫/u, 'VND'], [/₱/u, 'PHP'], ...CURRENCY_MARKS] as [RegExp, string][]).map(
  // Global once here, for matchAll: not a new expression per line read.
  ([mark, code]) => [new RegExp(mark.source, `${mark.flags.replace('g', '')}g`), code],
);

/**
 * The currencies outside `allowed` that `text` writes its amounts in: a code or a sign next to a number ("PLN 1 234,56",
 * "1.234,56 NOK", "₪1,234.56"), with how often each is seen — or, with `bare`, a code standing on its own (a
 * "Currency" label's value).
 */
export function otherCurrenciesIn(text: string, allowed: readonly string[], bare = false): string[] {
  const found: string[] = [];
  const code = bare ? /(?<![\p{L}])([A-Z]{3})(?![\p{L}])/gu : /(?<![\p{L}])([A-Z]{3}) ?-?\d|\d ?([A-Z]{3})(?![\p{L}])/gu;
  for (const m of text.matchAll(code)) {
    const c = m[1] ?? m[2]!;
    if (ISO_CODES.has(c) && !allowed.includes(c)) found.push(c);
  }
  for (const [mark, c] of OTHER_MARKS) {
    if (allowed.includes(c)) continue;
    for (const m of text.matchAll(mark)) if (bare || /\d/u.test(text.slice(Math.max(0, m.index - 2), m.index + m[0].length + 2))) found.push(c);
  }
  return found;
}
const NUMBER = /(?<![\w.-])-?\d+(?:[.,]\d+)?(?![\w%])/g;

export interface FindOptions {
  /** The document writes days before months (03/05/2024 is 3 May). */
  dayFirst?: boolean;
  /** Without a label to vouch for it, only an amount that looks like money counts. */
  moneyShaped?: boolean;
}

/**
 * Where a date may start, each tried on its own: a weekday read as a written month ("Freitag, 12.01" of "Freitag,
 * 12.01.2024", "Monday, 19.02") must not swallow the date after it. A start inside a word or number is none ("1.02.2024"
 * of "31.02.2024").
 */
function dateMatches(regex: RegExp, text: string): { text: string; at: number }[] {
  const found: { text: string; at: number }[] = [];
  const sticky = new RegExp(regex.source, regex.flags.replace('g', '') + 'y');
  for (let at = 0; at < text.length; at++) {
    if (at > 0 && /[\p{L}\p{N}]/u.test(text.charAt(at - 1))) continue;
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m) found.push({ text: m[0], at });
  }
  return found;
}

function firstValid(spec: FieldSpec, regex: RegExp, text: string, last: boolean, options: FindOptions = {}): ValueMatch | undefined {
  const matches = (spec.type === 'date' ? dateMatches(regex, text).map((m) => m.text) : [...text.matchAll(regex)].map((m) => m[0])).map((t) => t.trim()).filter((t) => /\d/.test(t));
  for (const candidate of last ? matches.reverse() : matches) {
    const { value, ok } = normaliseValue(spec, candidate, options);
    if (ok && value !== null) return { value, text: candidate };
  }
  return undefined;
}

/**
 * Whether `text` holds two different dates side by side with nothing but spaces and marks between them: a date struck
 * through and written again beside it ("23 juin 2023 22 juin 2023"), where only the ink shows which one stands.
 */
export function twoDatesSideBySide(spec: FieldSpec, text: string, options: FindOptions = {}): boolean {
  let previous: { end: number; value: unknown } | undefined;
  for (const { text: found, at } of dateMatches(DATE, text)) {
    if (previous && at < previous.end) continue;
    const { value, ok } = normaliseValue(spec, found.trim(), options);
    if (!ok || value === null) continue;
    if (previous && !/[\p{L}\p{N}]/u.test(text.slice(previous.end, at)) && previous.value !== value) return true;
    previous = { end: at + found.length, value };
  }
  return false;
}

/** The value of the field's type in `text`, or undefined. Amounts: the last one (totals follow rates). */
export function findValue(spec: FieldSpec, text: string, options: FindOptions = {}): ValueMatch | undefined {
  // A required-field marker ("*") between a label and its value is neither.
  const clean = text.replace(/^[\s:#.\-–|*]+/, '').trim();
  if (!clean) return undefined;
  switch (spec.type) {
    case 'money':
      return firstValid(spec, options.moneyShaped ? MONEY_SHAPED : MONEY, clean, true);
    case 'number':
      return firstValid(spec, NUMBER, clean, true);
    case 'date':
      return firstValid(spec, DATE, clean, false, options);
    case 'enum': {
      const values = spec.values ?? [];
      const hits = values.filter((v) => [v, ...(VALUE_SYNONYMS[v.toLowerCase()] ?? [])].some((w) => wordIn(w, clean)));
      if (hits.length === 1) return { value: hits[0], text: hits[0]! };
      // A currency field: "£", "€", "$" stand for their codes.
      const currencies = hits.length ? [] : currenciesIn(clean, values);
      return currencies.length === 1 ? { value: currencies[0], text: currencies[0]! } : undefined;
    }
    case 'boolean':
    case 'list':
    case 'string': {
      if (spec.pattern !== undefined) {
        const match = tokenRegex(spec.pattern)?.exec(clean);
        return match ? { value: normaliseValue(spec, match[0]).value, text: match[0] } : undefined;
      }
      // Marks around a value are not part of it (OCR reads specks and rules as "~~", "|"), and a
      // line of underscores is a blank to fill in, not a value.
      let trimmed = clean.replace(/^[^\p{L}\p{N}"'([#]+/u, '').replace(/[^\p{L}\p{N}"')\].]+$/u, '');
      // A box's left edge read as a bracket ("[ Water leak …", "( MBR 4039-74-1") opens nothing that closes.
      const edge = /^([[(])\s+/u.exec(trimmed);
      if (edge && !trimmed.includes(edge[1] === '[' ? ']' : ')')) trimmed = trimmed.slice(edge[0].length);
      if (!/[\p{L}\p{N}]/u.test(trimmed)) return undefined;
      const { value, ok } = normaliseValue(spec, trimmed);
      return ok && value !== null ? { value, text: trimmed } : undefined;
    }
  }
}

/** A whole word of the text, not the head of an ID ("KFZ-4499610" names no motor claim). */
function wordIn(word: string, text: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}]|\\p{N}[-/.])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}]|[-/.]?\\p{N})`, 'iu').test(text);
}

/**
 * A field's pattern matched only as a whole token: `POL-\d{6}` finds "POL-862496" in
 * "(POL-862496)." but nothing in "POL-86249661" or "POL-862496-B" — a prefix of a longer ID is
 * not evidence of the ID.
 */
export function tokenRegex(pattern: string, flags = 'u'): RegExp | undefined {
  return safeRegex(`(?<![\\p{L}\\p{N}_]|[\\p{L}\\p{N}][-/])(?:${pattern})(?![\\p{L}\\p{N}_]|[-/][\\p{L}\\p{N}])`, flags);
}

export function safeRegex(pattern: string, flags = 'u'): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}

/** Every amount in `text` that shows it is money (a currency or cents), with where it sits in the text. */
export function amountsIn(text: string): { value: number; text: string; start: number; end: number }[] {
  const out: { value: number; text: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(MONEY_SHAPED)) {
    const raw = m[0].trim();
    const value = parseAmount(raw);
    if (value !== undefined && /\d/.test(raw)) out.push({ value, text: raw, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
