// Field normalisation and validators, shared by every extraction provider (local and
// OpenAI-compatible) and by human review: whatever produced the values — rules, a model or a
// person correcting them — they are normalised to the field's type and checked the same way.
import type { FieldRule, FieldSpec } from '../format/schema.js';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Normalised {
  /** The value in the field's type (numbers as numbers, dates as YYYY-MM-DD); null when empty. */
  value: unknown;
  /** False when the raw value could not be read as the field's type. */
  ok: boolean;
}

// Month names in English, German, French, Spanish and Italian (index = month - 1); a written month is read when
// it is a prefix of exactly one month's names ("Sept", "Okt.", "févr", "juil"; not "ju").
const MONTH_NAMES: string[][] = [
  ['january', 'januar', 'jänner', 'janvier', 'enero', 'gennaio'],
  ['february', 'februar', 'février', 'fevrier', 'febrero', 'febbraio'],
  ['march', 'märz', 'maerz', 'mars', 'marzo'],
  ['april', 'avril', 'abril', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio'],
  ['june', 'juni', 'juin', 'junio', 'giugno'],
  ['july', 'juli', 'juillet', 'julio', 'luglio'],
  ['august', 'août', 'aout', 'agosto'],
  ['september', 'septembre', 'septiembre', 'setiembre', 'settembre'],
  ['october', 'oktober', 'octobre', 'octubre', 'ottobre'],
  ['november', 'novembre', 'noviembre'],
  ['december', 'dezember', 'décembre', 'decembre', 'diciembre', 'dicembre'],
];

const foldAccents = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '');

/** 1..12 for a month name or abbreviation in English, German, French, Spanish or Italian; 0 when none or several fit. */
export function monthNumber(word: string): number {
  // Accents folded on both sides: a scan drops them now and then ("21. Marz 2023").
  const w = foldAccents(word.toLowerCase().replace(/\.$/, ''));
  if (w.length < 3) return 0;
  const fits = MONTH_NAMES.flatMap((names, i) => (names.some((n) => foldAccents(n).startsWith(w)) ? [i + 1] : []));
  return fits.length === 1 ? fits[0]! : 0;
}

// Currency codes common enough to be read when printed against the number.
const COMMON_CODES = 'USD|EUR|GBP|CHF|CAD|AUD|NZD|JPY|CNY|HKD|SGD|SEK|NOK|DKK|PLN|CZK|HUF|ZAR|INR|MXN|BRL';
const TIGHT_CODE_BEFORE = new RegExp(`^(?:${COMMON_CODES})(?=\\d)`, 'u');
const TIGHT_CODE_AFTER = new RegExp(`(?<=\\d)(?:${COMMON_CODES})$`, 'u');

/**
 * Reads an amount written the way people write them: "$1,234.50", "1.234,50 €", "EUR 1 234.50",
 * "(12.00)" or "-12.00". The last "." or "," followed by one or two digits is the decimal mark;
 * other separators group thousands. Returns undefined when the text is not an amount.
 */
export function parseAmount(text: string): number | undefined {
  let s = text.trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  // Currency symbols and codes around the number; a common currency's code may touch it ("GBP3,015.73"), another word may not.
  s = s.replace(/^(?:[A-Z]{3}\s+|[$€£¥]\s*)/u, '').replace(/(?:\s+[A-Z]{3}|\s*[$€£¥])$/u, '').replace(TIGHT_CODE_BEFORE, '').replace(TIGHT_CODE_AFTER, '').trim();
  if (s.startsWith('-') || s.startsWith('−')) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  s = s.replace(/^(?:[A-Z]{3}\s+|[$€£¥]\s*)/u, '');
  // Grouping: comma, dot, apostrophe (Swiss, also typographic), space, no-break and narrow no-break space (French).
  s = s.replace(/[\u2019\u202f\u2009]/gu, (c) => (c === '\u2019' ? "'" : ' '));
  if (!/^\d[\d.,'\u00a0 ]*$/u.test(s)) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(s);
  let integerPart = decimal ? s.slice(0, decimal.index) : s;
  // Grouping separators must sit every three digits.
  if (/[.,'\u00a0 ]/u.test(integerPart)) {
    if (!/^\d{1,3}(?:[.,'\u00a0 ]\d{3})+$/u.test(integerPart)) return undefined;
    integerPart = integerPart.replace(/[.,'\u00a0 ]/gu, '');
  }
  const value = Number(`${integerPart}.${decimal?.[1] ?? '0'}`);
  if (!Number.isFinite(value)) return undefined;
  return negative ? -value : value;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// A written month in any order people print it, the parts apart by a space, a dash, a slash or a dot, the year in two
// or four digits: "5 March 2024", "05-Mar-24", "Mar-05-2024", "March 5, 2024", "2024-Mar-05".
const SEP = '(?:,? |[-/.] ?)';
// Spanish puts "de" between the parts: "5 de marzo de 2024".
const DAY_MONTH_YEAR = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th|er|\\.)?(?: of| de)?${SEP}(\\p{L}{3,10})\\.?(?: del?)?${SEP}(\\d{4}|\\d{2})$`, 'u');
const MONTH_DAY_YEAR = new RegExp(`^(\\p{L}{3,9})\\.?${SEP}(\\d{1,2})(?:st|nd|rd|th)?${SEP}(\\d{4}|\\d{2})$`, 'u');
const YEAR_MONTH_DAY = new RegExp(`^(\\d{4})${SEP}(\\p{L}{3,9})\\.?${SEP}(\\d{1,2})$`, 'u');

/** The months in Roman numerals, January first. */
export const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];
/** A Roman month as a pattern, longest first ("XII" before "X"). */
export const ROMAN_MONTH = `(?:${[...ROMAN_MONTHS].reverse().join('|')})`;
const ROMAN_MONTH_DATE = new RegExp(`^(\\d{1,2}) ?[-./] ?(${ROMAN_MONTH}) ?[-./] ?(\\d{4}|\\d{2})$`, 'iu');

const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

/**
 * Reads a date in a common format and returns YYYY-MM-DD: 2024-03-05, 2024/03/05, 5 March 2024,
 * March 5, 2024, 5th of March 2024, 20240305, 5-Mar-2024, 05-Mar-24, Mar-05-2024, 2024-Mar-05, 5th March 2024, 5. März 2024, 1er mars 2024, 05.03.2024 and
 * 05-03-2024 (day first), 03/05/2024 (month first, as in the US, unless the first number cannot
 * be a month or `dayFirst` says the document writes days first). Undefined when it is not a valid date.
 */
export function parseDate(text: string, dayFirst?: boolean): string | undefined {
  const s = text.trim().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // 20240308: year, month and day without separators (as systems print them).
  m = /^((?:19|20)\d{2})(\d{2})(\d{2})$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // "19. 03. 2024": a dotted date with a space after each dot (as Czech and DIN 5008 print it), or after the last ("28.7. 2023").
  m = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(s.replace(/^(\d{1,2})\. ?(\d{1,2})\. (\d{4})$/, '$1.$2.$3'));
  if (m) {
    const [a, b, year] = [Number(m[1]), Number(m[3]), fullYear(m[4]!)];
    // Dots are written day first. With slashes and dashes a part over 12 is the day; else the document's order decides —
    // when nothing says, slashes are read month first (05/03 as in the US) and dashes day first (05-03 as in Europe).
    const monthFirst = m[2] !== '.' && (b > 12 ? a <= 12 : a > 12 ? false : dayFirst === undefined ? m[2] === '/' : !dayFirst);
    return monthFirst ? isoDate(year, a, b) : isoDate(year, b, a);
  }
  // "6.XII.2022", "20-II-2023", "31. VIII. 2024": the month in Roman numerals, as Polish, Italian and Balkan offices print it.
  m = ROMAN_MONTH_DATE.exec(s);
  if (m) return isoDate(fullYear(m[3]!), ROMAN_MONTHS.indexOf(m[2]!.toUpperCase()) + 1, Number(m[1]));
  m = DAY_MONTH_YEAR.exec(s);
  if (m && monthNumber(m[2]!) > 0) return isoDate(fullYear(m[3]!), monthNumber(m[2]!), Number(m[1]));
  m = MONTH_DAY_YEAR.exec(s);
  if (m && monthNumber(m[1]!) > 0) return isoDate(fullYear(m[3]!), monthNumber(m[1]!), Number(m[2]));
  m = YEAR_MONTH_DAY.exec(s);
  if (m && monthNumber(m[2]!) > 0) return isoDate(Number(m[1]), monthNumber(m[2]!), Number(m[3]));
  return undefined;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'x', 'on', 'checked', '☑', '☒', '✓', '✔']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off', 'unchecked', '☐', '']);

function isEmpty(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0);
}

function normaliseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const plain = raw.trim();
  if (/^[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(plain)) return Number(plain);
  return parseAmount(plain);
}

function normaliseListItem(item: unknown): unknown {
  if (typeof item === 'number') return item;
  const text = typeof item === 'string' ? item.trim() : JSON.stringify(item);
  return normaliseNumber(text) ?? text;
}

/** Brings a raw value (a model's answer, a rule's match, a reviewer's correction) to the field's type. */
export function normaliseValue(spec: FieldSpec, raw: unknown, options: { dayFirst?: boolean } = {}): Normalised {
  if (isEmpty(raw)) return { value: null, ok: true };
  const type = spec.type ?? 'string';
  switch (type) {
    case 'number':
    case 'money': {
      const value = normaliseNumber(raw);
      if (value === undefined) return { value: raw, ok: false };
      return { value: type === 'money' ? Math.round(value * 100) / 100 : value, ok: true };
    }
    case 'date': {
      if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? { value: raw, ok: false } : { value: raw.toISOString().slice(0, 10), ok: true };
      const value = typeof raw === 'string' ? parseDate(raw, options.dayFirst) : undefined;
      return value === undefined ? { value: raw, ok: false } : { value, ok: true };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw, ok: true };
      const word = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true, ok: true };
      if (FALSE_WORDS.has(word)) return { value: false, ok: true };
      return { value: raw, ok: false };
    }
    case 'enum': {
      const text = String(raw).trim().toLowerCase();
      const match = (spec.values ?? []).find((v) => v.toLowerCase() === text);
      return match === undefined ? { value: raw, ok: false } : { value: match, ok: true };
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\s*[;\n]\s*/).filter(Boolean) : [raw];
      return { value: items.map(normaliseListItem), ok: true };
    }
    case 'string':
      if (typeof raw === 'string') return { value: raw.replace(/\s+/g, ' ').trim(), ok: true };
      if (typeof raw === 'number' || typeof raw === 'boolean') return { value: String(raw), ok: true };
      return { value: raw, ok: false };
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? `"${value.slice(0, 80)}"` : JSON.stringify(value)?.slice(0, 80) ?? String(value));

function wholeMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

function checkField(spec: FieldSpec, raw: unknown): { problems: string[]; value: unknown } {
  const problems: string[] = [];
  if (isEmpty(raw)) {
    if (spec.required) problems.push('is required but has no value');
    return { problems, value: null };
  }
  const { value, ok } = normaliseValue(spec, raw);
  const type = spec.type ?? 'string';
  if (!ok) {
    const expected = type === 'enum' ? `one of ${(spec.values ?? []).join(', ')}` : type === 'date' ? 'a date' : `a ${type}`;
    problems.push(`expected ${expected}, got ${show(raw)}`);
    return { problems, value: null };
  }
  if (spec.pattern !== undefined) {
    const regex = wholeMatch(spec.pattern);
    const text = typeof raw === 'string' ? raw.trim() : String(value);
    if (!regex) problems.push(`has an invalid pattern /${spec.pattern}/`);
    else if (!regex.test(text)) problems.push(`${show(text)} does not match the pattern /${spec.pattern}/`);
  }
  if (type !== 'enum' && spec.values?.length && !spec.values.includes(String(value))) {
    problems.push(`${show(value)} is not one of ${spec.values.join(', ')}`);
  }
  const numbers = typeof value === 'number' ? [value] : Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
  for (const n of numbers) {
    if (spec.min !== undefined && n < spec.min) problems.push(`${n} is below the minimum ${spec.min}`);
    if (spec.max !== undefined && n > spec.max) problems.push(`${n} is above the maximum ${spec.max}`);
  }
  if (type === 'date' && typeof value === 'string') {
    if (spec.notBefore !== undefined && value < spec.notBefore) problems.push(`${value} is before ${spec.notBefore}`);
    if (spec.notAfter !== undefined && value > spec.notAfter) problems.push(`${value} is after ${spec.notAfter}`);
  }
  return { problems, value };
}

const sumOf = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value.reduce((a: number, b: number) => a + b, 0);
  return undefined;
};

const round2 = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);

function checkRule(rule: FieldRule, values: Map<string, unknown>): FieldProblem[] {
  const present = (name: string): boolean => values.get(name) !== null && values.get(name) !== undefined;
  if ('sum' in rule) {
    if (![rule.sum, ...rule.of].every(present)) return [];
    const total = sumOf(values.get(rule.sum));
    const parts = rule.of.map((name) => sumOf(values.get(name)));
    if (total === undefined || parts.some((p) => p === undefined)) {
      return [{ field: rule.sum, message: rule.message ?? `cannot check ${rule.sum} = ${rule.of.join(' + ')}: not all of them are numbers` }];
    }
    const expected = (parts as number[]).reduce((a, b) => a + b, 0);
    if (Math.abs(total - expected) <= (rule.tolerance ?? 0.01) + 1e-9) return [];
    return [{ field: rule.sum, message: rule.message ?? `${rule.sum} (${round2(total)}) does not equal ${rule.of.join(' + ')} (${round2(expected)})` }];
  }
  if ('after' in rule) {
    if (!present(rule.after) || !present(rule.than)) return [];
    const [later, earlier] = [values.get(rule.after), values.get(rule.than)];
    if (typeof later !== 'string' || typeof earlier !== 'string') return [];
    if (later > earlier || (rule.orEqual && later === earlier)) return [];
    const relation = rule.orEqual ? 'on or after' : 'after';
    return [{ field: rule.after, message: rule.message ?? `${rule.after} (${later}) must be ${relation} ${rule.than} (${earlier})` }];
  }
  const [first, ...others] = rule.equal;
  if (!rule.equal.every(present)) return [];
  const reference = JSON.stringify(values.get(first!));
  return others
    .filter((name) => JSON.stringify(values.get(name)) !== reference)
    .map((name) => ({ field: name, message: rule.message ?? `${name} (${show(values.get(name))}) differs from ${first} (${show(values.get(first!))})` }));
}

/**
 * Every problem with a set of values: per-field type, required, pattern, allowed values, range
 * and dates, then the cross-field rules (on the normalised values; a rule whose fields are
 * missing or malformed is left to the per-field problems).
 */
export function validateFields(fields: FieldSpec[], rules: FieldRule[] | undefined, values: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const normalised = new Map<string, unknown>();
  for (const spec of fields) {
    const { problems: found, value } = checkField(spec, values[spec.name]);
    normalised.set(spec.name, value);
    problems.push(...found.map((message) => ({ field: spec.name, message })));
  }
  const known = new Set(fields.map((f) => f.name));
  for (const rule of rules ?? []) {
    const names = 'sum' in rule ? [rule.sum, ...rule.of] : 'after' in rule ? [rule.after, rule.than] : rule.equal;
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length) {
      problems.push({ field: unknown[0]!, message: `a rule names ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are' : 'is'} not a declared field` });
      continue;
    }
    problems.push(...checkRule(rule, normalised));
  }
  return problems;
}
