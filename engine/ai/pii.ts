// The PII guard: finds personal data in what is about to be sent to a remote model and masks
// it (or refuses the call, by policy). Numbers with a checksum (IBAN, card numbers) are only
// treated as PII when the checksum holds, so invoice and order numbers are left alone.
import { PiiRefusedError, ProviderConfigError } from './errors.js';

export type PiiMode = 'mask' | 'refuse';

interface Detector {
  kind: string;
  pattern: RegExp;
  /** Extra check on a match (checksums); a match that fails it is not PII. */
  accept?: (match: string) => boolean;
}

/** ISO 13616 mod-97 check of an IBAN written with or without spaces. */
export function isValidIban(text: string): boolean {
  const iban = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** Luhn check of a card number written with or without spaces or dashes. */
export function passesLuhn(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Order matters: the specific, checksummed kinds first, so a card number is not half-eaten
// by the phone pattern.
const BUILT_IN: Detector[] = [
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, accept: isValidIban },
  { kind: 'card', pattern: /\b\d(?:[ -]?\d){12,18}\b/g, accept: passesLuhn },
  { kind: 'national-id', pattern: /\b\d{3}-\d{2}-\d{4}\b/g }, // US SSN
  { kind: 'national-id', pattern: /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g }, // UK NINO
  {
    kind: 'phone',
    // International (+44 20 7946 0958), US ((555) 123-4567, 555-123-4567), UK national (020 7946 0958).
    pattern: /(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}|\b0\d{2,4} \d{3,4} ?\d{3,4})\b/g,
  },
];

export interface PiiFinding {
  kind: string;
  count: number;
}

export class PiiGuard {
  private readonly detectors: Detector[];

  constructor(
    readonly mode: PiiMode = 'mask',
    extraPatterns: Record<string, string> = {},
  ) {
    const extra = Object.entries(extraPatterns).map(([kind, source]) => {
      try {
        return { kind, pattern: new RegExp(source, 'g') };
      } catch (error) {
        throw new ProviderConfigError(`settings models.pii.patterns.${kind} is not a valid regular expression: ${(error as Error).message}`);
      }
    });
    this.detectors = [...extra, ...BUILT_IN];
  }

  /**
   * Masks every finding in `text` as [KIND-n] (the same value gets the same tag within one
   * guard, so a model can still tell two addresses apart). Counts go to `found`.
   */
  maskText(text: string, found: Map<string, number> = new Map(), tags: Map<string, string> = new Map()): string {
    let out = text;
    for (const detector of this.detectors) {
      out = out.replace(detector.pattern, (match) => {
        if (match.startsWith('[') || (detector.accept && !detector.accept(match))) return match;
        found.set(detector.kind, (found.get(detector.kind) ?? 0) + 1);
        let tag = tags.get(match);
        if (!tag) {
          const n = [...tags.values()].filter((t) => t.startsWith(`[${detector.kind.toUpperCase()}-`)).length + 1;
          tag = `[${detector.kind.toUpperCase()}-${n}]`;
          tags.set(match, tag);
        }
        return tag;
      });
    }
    return out;
  }

  /**
   * Masks strings anywhere in a JSON-like value. In `refuse` mode, throws PiiRefusedError
   * naming the kinds found (never the values) instead.
   */
  protect<T>(value: T, what: string): { value: T; found: PiiFinding[]; placeholders: Placeholders } {
    const found = new Map<string, number>();
    const tags = new Map<string, string>();
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.maskText(v, found, tags);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    const masked = walk(value) as T;
    const findings = [...found].map(([kind, count]) => ({ kind, count }));
    if (this.mode === 'refuse' && findings.length) {
      throw new PiiRefusedError(`${what} contains personal data (${findings.map((f) => `${f.count} ${f.kind}`).join(', ')}) and the PII policy is "refuse": the model call was not made`, {
        found: Object.fromEntries(found),
      });
    }
    return { value: masked, found: findings, placeholders: new Placeholders(tags) };
  }
}

/** A placeholder as the guard writes them: [EMAIL-1], [IBAN-2], [POLICY-1]. */
const PLACEHOLDER = /\[[A-Z][A-Z0-9_-]*-\d+\]/g;

/** Every placeholder-shaped tag in the strings of a value (arrays and objects walked). */
export function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return value.match(PLACEHOLDER) ?? [];
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholdersIn);
  return [];
}

/**
 * The placeholders one call sent, to put the real values back into the model's answer on this
 * machine. A model only ever saw "[IBAN-1]"; the automation needs the IBAN itself.
 */
export class Placeholders {
  private readonly originals: Map<string, string>;

  constructor(tags: Map<string, string>) {
    this.originals = new Map([...tags].map(([original, tag]) => [tag, original]));
  }

  /**
   * `value` with every placeholder this call issued replaced by its original, walking strings
   * in arrays and objects. `unresolved`: the answer still holds something shaped like a
   * placeholder that this call never issued (made up, or mangled) — no value to accept.
   */
  restore<T>(value: T): { value: T; unresolved: boolean } {
    let unresolved = false;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') {
        return v.replace(PLACEHOLDER, (tag) => {
          const original = this.originals.get(tag);
          if (original === undefined) unresolved = true;
          return original ?? tag;
        });
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return { value: walk(value) as T, unresolved };
  }
}
