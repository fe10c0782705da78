// Finds a value of a field's type inside a piece of text: the amount in "Tax (8%): USD 98.40",
// the date in "Issued 5 March 2024", one of an enum's values. Returns the span it read.
import type { FieldSpec } from '../../format/schema.js';
import { normaliseValue } from '../validate.js';

export interface ValueMatch {
  value: unknown;
  /** The exact text the value was read from. */
  text: string;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
const DATE = new RegExp(
  [`\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}`, `\\d{1,2}[-/.]\\d{1,2}[-/.](?:\\d{4}|\\d{2})`, `\\d{1,2}(?:st|nd|rd|th)?[ -]${MONTH},?[ -]\\d{4}`, `${MONTH} \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}`].map((p) => `(?:${p})`).join('|'),
  'gi',
);
// An amount with optional currency before or after; not a percentage, not part of a longer token.
const MONEY = /(?<![\w.,-])(?:[A-Z]{3} ?|[$€£¥] ?)?-?\d{1,3}(?:[.,' \u00a0]\d{3})*(?:[.,]\d{1,2})?(?: ?[$€£¥]| [A-Z]{3}\b)?(?![\d%]|[.,]\d)/gu;
const NUMBER = /(?<![\w.-])-?\d+(?:[.,]\d+)?(?![\w%])/g;

function firstValid(spec: FieldSpec, regex: RegExp, text: string, last: boolean): ValueMatch | undefined {
  const matches = [...text.matchAll(regex)].map((m) => m[0].trim()).filter((t) => /\d/.test(t));
  for (const candidate of last ? matches.reverse() : matches) {
    const { value, ok } = normaliseValue(spec, candidate);
    if (ok && value !== null) return { value, text: candidate };
  }
  return undefined;
}

/** The value of the field's type in `text`, or undefined. Amounts: the last one (totals follow rates). */
export function findValue(spec: FieldSpec, text: string): ValueMatch | undefined {
  const clean = text.replace(/^[\s:#.\-–|]+/, '').trim();
  if (!clean) return undefined;
  switch (spec.type) {
    case 'money':
      return firstValid(spec, MONEY, clean, true);
    case 'number':
      return firstValid(spec, NUMBER, clean, true);
    case 'date':
      return firstValid(spec, DATE, clean, false);
    case 'enum': {
      const words = clean.toLowerCase();
      const hits = (spec.values ?? []).filter((v) => new RegExp(`(?:^|\\W)${v.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|\\W)`).test(words));
      return hits.length === 1 ? { value: hits[0], text: hits[0]! } : undefined;
    }
    case 'boolean':
    case 'list':
    case 'string': {
      if (spec.pattern !== undefined) {
        const match = safeRegex(spec.pattern)?.exec(clean);
        return match ? { value: normaliseValue(spec, match[0]).value, text: match[0] } : undefined;
      }
      const { value, ok } = normaliseValue(spec, clean);
      return ok && value !== null ? { value, text: clean } : undefined;
    }
  }
}

export function safeRegex(pattern: string, flags = 'u'): RegExp | undefined {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}
