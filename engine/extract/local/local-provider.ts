// The local extraction provider (the default): rule-based, no network. Driven by the hints in
// each FieldSpec — labels printed next to or above the value, a pattern, the field's type, an
// enum's values — over the lines and boxes of a read document. Each field's confidence says how
// much evidence backs it: a label with a parseable, valid value, read cleanly, agreeing with the
// cross-field rules → high; a value found only by its shape somewhere → low; conflicting
// candidates → lower still. Labels come from the field and from its concept's wordings in
// English, German and French (vocabulary.ts). Rules written on the DESIGN set of the variety
// corpus, calibration revised on the validation sets, measured on held-out-3
// (assets/documents/split.ts, bench/extraction --variety): trustworthy on documents like the
// ones checked, not yet on kinds never seen (docs/models-and-review.md).
import type { FieldRule, FieldSpec } from '../../format/schema.js';
import type { DocumentText, ExtractedField, ExtractionProvider, ExtractionRequest, ExtractionResult } from '../types.js';
import { monthNumber, parseAmount, parseDate, ROMAN_MONTH, validateFields } from '../validate.js';
import { captionedBy, cellUnderHeader, columnBelow, lineBelow, lineRightOf, mayContinue, paragraphBeside, paragraphFrom, rowOf, type PlacedLine } from './geometry.js';
import { amountsIn, currenciesIn, findValue, otherCurrenciesIn, tokenRegex, twoDatesSideBySide, type FindOptions } from './values.js';
import { CONCEPTS, conceptOf, questionWords, valueShape, words } from './vocabulary.js';
import { union } from '../../documents/layout.js';
import { invoiceArithmetic, type InvoiceArithmetic } from './arithmetic.js';

/**
 * Starting confidence by how a value was found. `letterhead`: an unlabelled supplier guessed
 * from the biggest type at the top; `consensus`: every currency mark on the page agrees; `akin`:
 * by a label in wording no vocabulary knows that shares a word with the field's labels (never
 * enough on its own for a value to be taken without a person).
 */
const EVIDENCE = { inline: 0.9, right: 0.9, below: 0.86, above: 0.82, column: 0.86, consensus: 0.85, sum: 0.88, 'sum-total': 0.7, answer: 0.75, akin: 0.6, pattern: 0.6, letterhead: 0.5, shape: 0.35 } as const;
type Evidence = keyof typeof EVIDENCE;
/** Confidence that an optional field is absent when no label, pattern or shape of it is anywhere on the page. */
const SURELY_ABSENT = 0.85;

interface Candidate {
  value: unknown;
  score: number;
  evidence: string;
  /** The lines holding the value (the source). */
  lines: PlacedLine[];
  text: string;
  /** Read under a label that names the field only when no plainer label on the page does ("Our ref." for the invoice number). */
  weak?: boolean;
}

interface Owner {
  field: string;
  label: string;
  /** The label is one of the field's own (not a wording of its concept). */
  own?: boolean;
  rest: string;
  /** Where the label starts in the line (0: it starts the line). */
  at: number;
  /** Found only by forgiving one letter OCR may have misread: the page may print another word ("Contact" for "Contract"). */
  slip?: boolean;
}

// Letter-spaced small capitals come out of a text layer one letter at a time ("S E L L E R"): one word again.
const flatten = (text: string): string =>
  text
    .replace(/\s+/g, ' ')
    .replace(/(?<![\p{L}\p{N}])\p{L}(?: \p{L}){2,}(?![\p{L}\p{N}])/gu, (spaced) => spaced.replace(/ /g, ''))
    .replace(/^[^\p{L}\p{N}]+/u, '');
/** A numbered question's or item's number is no part of its label: "1. Certificate number?", "b) Name". Not a date's day ("5. März 2024"). */
function withoutItemNumber(text: string): string {
  const m = /^\s*(?:\d{1,2}|[a-z])[.)]\s+(?=(\p{L}+))/u.exec(text);
  return m && monthNumber(m[1]!) === 0 ? text.slice(m[0].length) : text;
}
// An abbreviation's closing dot is often left out ("Invoice No"): a label's trailing dot is not required.
const labelKey = (label: string): string => flatten(label).toLowerCase().replace(/[\s:.]+$/, '');
const isWordChar = (c: string): boolean => /[\p{L}\p{N}]/u.test(c);
/**
 * Lower case without accents, one character for one (OCR often drops them: "Falligkeitsdatum"); a typographic apostrophe is
 * the plain one ("Date de l’incident" is "Date de l'incident").
 */
const fold = (text: string): string => [...text.toLowerCase()].map((c) => (/[’‘ʼ]/u.test(c) ? "'" : c.normalize('NFD').charAt(0) || c)).join('');

/**
 * Words that end a printed label without being a value: "Supplier Name", "Purchase Order Ref",
 * "Policy No." — a field's label may be only the first part of the label a sender prints. Which
 * words may follow depends on what the field holds: "Supplier Name" labels a supplier, "Supplier
 * No." a supplier's number, "Tax ID" no tax amount.
 */
type LabelKind = 'name' | 'id' | 'date' | 'other';
const TAIL_WORDS: Record<Exclude<LabelKind, 'other'>, string[]> = {
  name: ['name', 'nom', 'names'],
  id: ['no', 'nr', 'number', 'num', 'ref', 'reference', 'id', 'code', 'numero', 'nummer', 'n°', '#'],
  date: ['date', 'datum'],
};
const TAIL_WORD = /^\s*([\p{L}\p{N}°#]+)\.?(?=\s|:|$)/u;

/**
 * The text after a label once the words finishing the printed label are set aside; undefined
 * when they show the printed label names something else than this kind of field.
 */
function afterLabelTail(rest: string, kind: LabelKind): string | undefined {
  let at = 0;
  for (;;) {
    const m = TAIL_WORD.exec(fold(rest.slice(at)));
    const word = m?.[1];
    const owner = word ? (Object.keys(TAIL_WORDS) as (keyof typeof TAIL_WORDS)[]).find((k) => TAIL_WORDS[k].includes(word)) : undefined;
    if (!m || !owner) return rest.slice(at);
    if (owner !== kind) return undefined;
    at += m[0].length;
  }
}

/** What kind of value a field holds, for the words that may finish its labels. */
function labelKind(spec: FieldSpec): LabelKind {
  if (spec.type === 'date') return 'date';
  if (spec.type !== 'string') return 'other';
  if (spec.pattern !== undefined || /number|^id$|ref/i.test(conceptOf(spec)?.id ?? spec.name)) return 'id';
  return valueShape(spec) === 'line' ? 'name' : 'other';
}

/** Whether a and b differ by at most one inserted, deleted or replaced character. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Whether the first difference between a and key falls inside a word of key five letters long or more. */
function editInLongWord(a: string, key: string): boolean {
  let i = 0;
  while (i < a.length && i < key.length && a[i] === key[i]) i++;
  const at = Math.min(i, key.length - 1);
  let start = at;
  while (start > 0 && isWordChar(key.charAt(start - 1))) start--;
  let end = at;
  while (end < key.length && isWordChar(key.charAt(end))) end++;
  return end - start >= 5;
}

/** Whether `text` is an amount with cents and its currency and nothing else ("SFr. 500.00", "1 234,56 Kč", "EUR 12.00"). */
function sumOfMoney(text: string): boolean {
  const [amount, more] = amountsIn(text);
  if (!amount || more || !/[.,]\d{2}$/.test(amount.text.replace(/\D+$/u, ''))) return false;
  const rest = (text.slice(0, amount.start) + text.slice(amount.end)).trim();
  return /^(?:[A-Z]{3}|[$€£¥₹]|US\$|CA\$|S?Fr\.?|Kč|zł|Ft|kr|lei|R)?$/u.test(rest) && /[A-Z$€£¥₹]|Kč|zł|Ft|kr|lei/u.test(text);
}

/** Whether `a` is `key` with the space between two words of four letters or more left out ("lossdate" · "loss date"). */
function droppedSpace(a: string, key: string): boolean {
  const at = key.indexOf(' ');
  for (let i = at; i >= 0; i = key.indexOf(' ', i + 1)) {
    if (key.slice(0, i) + key.slice(i + 1) !== a) continue;
    const before = /\p{L}+$/u.exec(key.slice(0, i))?.[0].length ?? 0;
    const after = /^\p{L}+/u.exec(key.slice(i + 1))?.[0].length ?? 0;
    return before >= 4 && after >= 4;
  }
  return false;
}

/**
 * Where `label` labels this line, and the text after it. A label starts the line ("Invoice
 * No.: 1"), or follows a few words ("Bill from", "Your invoice number: 1") when it ends the line
 * or a colon or a value follows it — a label's words inside a sentence ("quote the invoice
 * number with your payment") label nothing.
 */
function matchLabel(line: PlacedLine, label: string, kind: LabelKind = 'other'): Owner | undefined {
  const flat = flatten(line.text);
  // OCR reads the raised o of "Nº" / "N°" as an e, an o or a 9 ("Ne de factura"): on a scan, before "de", they are one sign.
  const ordinal = (s: string): string => (line.ocr ? s.replace(/(?<![\p{L}\p{N}])n[eo9º°](?=\s+(?:de|del|di)\s)/gu, 'nº') : s);
  const text = ordinal(fold(flat));
  const key = ordinal(fold(labelKey(label)));
  if (!key) return undefined;
  // OCR misreads a letter of a long label now and then ("Rechnungsnumrner"): one edit is forgiven at the start of a
  // scanned line, inside a long word — a text layer misreads nothing, and a short word changed by a letter is another
  // word ("Invoice to" is no "Invoice No").
  if (line.ocr && key.length >= 8 && !text.startsWith(key)) {
    for (const length of [key.length - 1, key.length + 1, key.length]) {
      const next = text.charAt(length);
      const read = text.slice(0, length);
      const rest = (!next || !isWordChar(next)) && withinOneEdit(read, key) && (editInLongWord(read, key) || droppedSpace(read, key)) ? afterLabelTail(flat.slice(length), kind) : undefined;
      if (rest !== undefined) return { field: '', label, rest, at: 0, slip: true };
    }
  }
  // Small capitals spaced out letter by letter come out of some text layers with the spaces moved or lost
  // ("FECHADEEXPEDICIÓN", "Nº D E FAC TURA"): a line in capitals that is the label but for its spaces is the label.
  const squash = (s: string): string => s.replace(/[\s:]+/gu, '');
  // …and one that ends with it after a word or two of its own ("LAUFENDERECHNUNGSN R." is "Laufende Rechnungsnr.").
  if (!/\p{Ll}/u.test(line.text) && /\p{Lu}/u.test(line.text) && text !== key) {
    const [line_, key_] = [squash(text).replace(/\.$/u, ''), squash(key)];
    if (line_ === key_) return { field: '', label, rest: '', at: 0 };
    // A word of four letters at least before it ("SUBTOTAL" is no "Total"); the whole label matched wins over this.
    const extra = line_.length - key_.length;
    if (line_.endsWith(key_) && key_.length >= 5 && extra >= 4 && extra <= 12 && !/\d/u.test(line_)) return { field: '', label, rest: '', at: extra };
  }
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    if (at > 0 && isWordChar(text.charAt(at - 1))) continue;
    // A label joined to the word before it is part of another word: "Sub-total" is no "Total".
    if (at > 1 && /[-/]/.test(text.charAt(at - 1)) && isWordChar(text.charAt(at - 2))) continue;
    // A label's gendered ending belongs to it: "Versicherungsnehmer/in", "Antragsteller:in", "Nom de l'assuré(e)", "déclarant·e", "asegurado/a".
    const gendered = /^(?:(?:\/|\*|:|_)in\b|\((?:e|es|s|a|as|in)\)|·e\b|\/(?:a|e)\b)/u.exec(text.slice(at + key.length))?.[0].length ?? 0;
    // "PO" labels "PO: 1" but not "PO-22657" or "POLICY".
    const next = text.charAt(at + key.length + gendered);
    if (next && (isWordChar(next) || (/[-/_]/.test(next) && isWordChar(text.charAt(at + key.length + gendered + 1)))) && isWordChar(key.charAt(key.length - 1))) continue;
    const rest = afterLabelTail(flat.slice(at + key.length + gendered), kind);
    if (rest === undefined) continue;
    // "PO Box 2558" is a postal address, not a purchase order.
    if (/^p\.?\s?o\.?$/u.test(key) && /^\s*box\b/iu.test(rest)) continue;
    // A name's label before a telephone number labels a line, not a party: a fax machine's "FROM:+3314271461 TO:+44…".
    if (kind === 'name' && /^[\s:]*\+?\s?\d[\d\s()./-]{6,}/u.test(rest)) continue;
    if (at > 0) {
      const before = text.slice(0, at).trim().split(' ').filter(Boolean);
      // A label ends its line (its abbreviation's dot aside: "Laufende Rechnungsnr."), or a colon, a question mark or a required-field marker ("Name of the insured *") or a value follows it
      // …or, for a number's label, an ID ("Customer PO BST-30535").
      if (before.length > 3 || !(/^(?:\.(?![\p{L}\p{N}]))?\s*(?:$|[:#?*]|[-–]?\s*[\d$€£(])/u.test(rest) || (kind === 'id' && idLike(rest.trim().split(/\s+/)[0] ?? '')))) continue;
      // A colon ends a label: what follows it is a value, even a value that starts with a label's word ("Your ref.: PO 198535").
      if (before.some((w) => w.endsWith(':'))) continue;
      // "Total before tax", "Betrag ohne MwSt.", "Total hors TVA": after such a word the label qualifies another thing.
      if (QUALIFIER.test(before[before.length - 1] ?? '')) continue;
    }
    return { field: '', label, rest, at };
  }
  return undefined;
}

/** A standard's term code printed before a label: "BT-27 ", "BG-4 ", "IT-12 ". */
const TERM_CODE = /^\p{Lu}{1,3}-\d{1,4}\s+(?=\p{L})/u;

// Words after which a label only qualifies the thing named before them ("Total before tax" is no tax).
const QUALIFIER = /^(?:before|after|excl\.?|excluding|incl\.?|including|without|less|vor|nach|ohne|inkl\.?|exkl\.?|avant|apres|après|hors|sans)$/u;

/** A field's label texts: its own, then the wordings of its concept in English, German and French. */
function labelsOf(spec: FieldSpec): string[] {
  const own = spec.labels ?? [];
  const derived = conceptOf(spec)?.labels ?? [];
  return [...new Set([...own, ...derived])];
}

/**
 * For each line, the field whose label ends nearest the value: of the labels that start before
 * the line's first digit, the one reaching furthest ("Tax Invoice No" is an invoice number's
 * label, not the tax's), the earliest-starting on a tie ("Due Date", not "Date").
 */
function labelOwners(fields: FieldSpec[], lines: PlacedLine[]): Map<PlacedLine, Owner> {
  const owners = new Map<PlacedLine, Owner>();
  const labels = fields.map((spec) => ({ spec, labels: labelsOf(spec), own: new Set(spec.labels ?? []), kind: labelKind(spec) }));
  for (const line of lines) {
    let best: (Owner & { end: number }) | undefined;
    const flat = flatten(line.text);
    // A term code before a label ("BT-1 Invoice ID", as an e-invoice viewer prints EN 16931's terms) is no value.
    const code = TERM_CODE.exec(flat)?.[0].length ?? 0;
    const digitAfterCode = flat.slice(code).search(/\d/);
    const firstDigit = digitAfterCode < 0 ? -1 : code + digitAfterCode;
    for (const { spec, labels: list, own, kind } of labels) {
      for (const label of list) {
        const found = matchLabel(line, label, kind);
        if (!found) continue;
        const end = flat.length - found.rest.length;
        if (best && firstDigit >= 0 && found.at > firstDigit) continue;
        const better = !best || (best.at > firstDigit && firstDigit >= 0) || end > best.end || (end === best.end && found.at < best.at);
        if (better) best = { ...found, field: spec.name, own: own.has(label), end };
      }
    }
    if (!best) best = infixNumberLabel(labels, line, flat.slice(code)) ?? payByLabel(labels, line, flat.slice(code));
    if (!best) best = lastSentenceLabel(labels, line, flat);
    if (best) owners.set(line, best);
  }
  return owners;
}

/**
 * A label that starts the last sentence of a line of running text, with its value after a colon ("Balance transferred to
 * the company account. Remit payment by: 30.03.2024"): the sentence is read as a line of its own.
 */
function lastSentenceLabel(labels: { spec: FieldSpec; labels: string[]; own: Set<string>; kind: LabelKind }[], line: PlacedLine, flat: string): (Owner & { end: number }) | undefined {
  // The sentence holds nothing but the label, a colon and the value; a comma may end the sentence before it on a scan.
  const start = [...flat.matchAll(/\p{Ll}{2}[.!?,;]\s+(?=\p{Lu})/gu)].map((m) => m.index + m[0].length).find((at) => /^[^:\d]{3,60}:\s*\S/u.test(flat.slice(at)));
  if (start === undefined) return undefined;
  const sentence = flat.slice(start);
  const part: PlacedLine = { ...line, text: sentence };
  for (const { spec, labels: list, own, kind } of labels) {
    for (const label of list) {
      const found = matchLabel(part, label, kind);
      if (found && found.at === 0 && /^\s*:/u.test(found.rest)) return { ...found, field: spec.name, own: own.has(label), at: start, end: flat.length - found.rest.length };
    }
  }
  const paid = payByLabel(labels, part, sentence);
  return paid ? { ...paid, at: start, end: flat.length - paid.rest.length } : undefined;
}

/** The line that carries on an open-ended written line on the next ruled line of a form, if one does. */
function writtenOn(last: PlacedLine, lines: PlacedLine[], taken: (line: PlacedLine) => boolean): PlacedLine | undefined {
  const t = last.text.trim();
  if (/[.!?]["')]?$/u.test(t)) return undefined;
  const h = last.box.height;
  const next = lines
    .filter((l) => l.page === last.page && l !== last && l.box.y > last.box.y + 0.8 * h && Math.abs(l.box.x - last.box.x) < 0.5 * Math.max(h, l.box.height))
    .sort((a, b) => a.box.y - b.box.y)[0];
  if (!next || taken(next) || next.box.y - (last.box.y + h) > 1.2 * Math.max(h, next.box.height)) return undefined;
  return /^\p{Ll}/u.test(next.text.trim()) || /[;,]$/u.test(t) ? next : undefined;
}

const PAY = String.raw`(?:pay|payment|paid|settle|remit|zahl\p{L}*|uberweis\p{L}*|begleich\p{L}*|regl\p{L}*|payer|paiement|pag\p{L}*|betal\p{L}*|voldo\p{L}*)`;
const BY = String.raw`(?:by|bis|until|before|avant|antes|entro|voor|sp\p{L}{1,3}testens(?:\s+(?:am|bis))?|au\s+plus\s+tard(?:\s+le)?|at\s+the\s+latest(?:\s+on)?|no\s+later\s+than|uiterlijk(?:\s+op)?)`;
const PAY_BY = new RegExp(String.raw`^(?:\p{L}+\s+){0,2}?${PAY}\s+(?:\p{L}+\s+){0,2}?${BY}(?:\s+(?:le|el|del|il|the|de|dem|zum))?\s*[:.]?(\s*.*)$`, 'u');
const PAY_BY_SQUASHED = new RegExp(String.raw`^\p{L}{0,12}?${PAY}${BY}(?:le|el|del|il|the)?:?$`, 'u');

/**
 * A due date's label in words of paying by a date ("Payment expected by", "Bitte überweisen bis", "À régler avant le",
 * "Pagar antes del"): a verb or noun of paying, then "by" — whatever the words around them.
 */
function payByLabel(labels: { spec: FieldSpec; kind: LabelKind }[], line: PlacedLine, flat: string): (Owner & { end: number }) | undefined {
  const due = labels.find(({ spec }) => spec.type === 'date' && conceptOf(spec)?.id === 'dueDate');
  if (!due) return undefined;
  const text = fold(flat);
  const m = PAY_BY.exec(text);
  let rest: string | undefined = m ? flat.slice(flat.length - m[1]!.length) : undefined;
  if (rest === undefined && !/\p{Ll}/u.test(line.text) && PAY_BY_SQUASHED.test(text.replace(/\s+/gu, ''))) rest = '';
  // What follows is a date: digits first, or a weekday or month name before them ("Friday, August 9, 2024", "5 maart").
  if (rest === undefined || (rest.trim() && !/^[\s:]*(?:\p{L}+\.?,?\s+){0,2}\d/u.test(rest))) return undefined;
  return { field: due.spec.name, label: flat.slice(0, flat.length - rest.length).trim(), rest, at: 0, own: false, end: flat.length - rest.length };
}

// A word that makes a number label another number's ("Policy holder no.", "Invoice date", "Customer tax no.").
const NOT_A_QUALIFIER = new Set(['holder', 'date', 'tax', 'vat', 'account', 'customer', 'client', 'phone', 'telephone', 'tel', 'fax', 'order', 'line', 'page', 'item', 'bank', 'postal', 'zip', 'registration', 'company', 'to', 'of', 'and', 'or']);

/**
 * A number's label with a word of its own between the head noun and the number word ("Invoice serial no.", "Policy
 * reference number", "Certificate serial #"): the head noun says what the number is.
 */
function infixNumberLabel(labels: { spec: FieldSpec; kind: LabelKind }[], line: PlacedLine, flat: string): (Owner & { end: number }) | undefined {
  const m = /^(\p{L}+)\s+(\p{L}{3,12})\.?\s+(no|nr|number|#|n°|nº|num)\.?(\s*[:#]?\s*.*)$/u.exec(fold(flat));
  if (!m || NOT_A_QUALIFIER.has(m[2]!)) return undefined;
  for (const { spec, kind } of labels) {
    if (kind !== 'id') continue;
    const heads = conceptOf(spec)?.heads?.map((h) => fold(h)) ?? [];
    if (!heads.includes(m[1]!)) continue;
    const rest = flat.slice(flat.length - m[4]!.length);
    if (rest.trim() && !/^\s*[:#]/u.test(rest) && !idLike(rest.trim().split(/\s+/)[0] ?? '')) continue;
    return { field: spec.name, label: flat.slice(0, flat.length - rest.length).trim(), rest, at: 0, own: false, end: flat.length - rest.length };
  }
  return undefined;
}

/** 1 for clean text (PDF, confident OCR), falling to 0.5 as OCR confidence drops to 0.5. */
const readingFactor = (lines: PlacedLine[]): number => {
  const c = Math.min(...lines.map((l) => l.confidence));
  return c >= 0.9 ? 1 : 0.5 + 0.5 * Math.max(0, Math.min(1, (c - 0.5) / 0.4));
};

// Every word any label is made of: a "value" of nothing but such words is a label read as a value ("Name", "Customer No.").
const LABEL_WORDS = new Set([...CONCEPTS.flatMap((c) => c.labels.flatMap((l) => words(fold(l)))), ...Object.values(TAIL_WORDS).flat()]);
const onlyLabelWords = (text: string): boolean => {
  const list = words(fold(text));
  return list.length > 0 && list.every((w) => LABEL_WORDS.has(w));
};

/**
 * A name ends where an address begins: "Nordlicht Logistik KG, 14 rue des Lilas, 80331 München"
 * is the name up to the first comma that is followed by a number. Undefined when nothing follows.
 */
function nameWithoutAddress(text: string): { name: string; sure: boolean } | undefined {
  const m = /^(.*?\p{L}.*?),\s*(?=[^,]*\d)/u.exec(text);
  if (!m || m[1]!.trim().length < 2) return undefined;
  // An address's first line may hold no number ("Papeterie Lefèvre, Block B, Mill Yard, Bristol BS1 6QH"): with more than
  // one piece before the numbered one, the name is the first piece — or the first two ("Smith, Jones & Co"). A person decides.
  const pieces = m[1]!.split(/,\s*/);
  return pieces.length > 1 && pieces[0]!.trim().length >= 2 ? { name: pieces[0]!.trim(), sure: false } : { name: m[1]!.trim(), sure: true };
}

/** A slash or dash date whose day and month could be swapped (03/05/2024, 07-04-2023), read in an order nothing on the page proves. */
function ambiguousDate(text: string, order: DayOrder): boolean {
  if (order.proven) return false;
  const m = /^(\d{1,2})([/-])(\d{1,2})\2\d{2,4}$/.exec(text.trim());
  return !!m && Number(m[1]) <= 12 && Number(m[3]) <= 12 && m[1] !== m[3];
}

/** `label`: the label line the value was found by, whose reading counts too. */
// Tick boxes: a line of choices is a value only for a choice field, and only the one ticked.
// Radio buttons too: ◉ ● ⦿ chosen, ○ ◯ not.
const BOXES = /[☐☒☑✓✔■□◉●⦿○◯]/u;
const TICKED = /[☒☑✓✔■◉●⦿]/u;

// Boxes typed as brackets: "[X] Home  [ ] Travel", "(x) Yes ( ) No"; OCR reads a cross as "Xx" now and then.
// OCR reads a box's closing bracket as "1", "l", "I", "|" or "J" now and then ("[ 1 Motor", "[x1"): after an opening bracket, and
// before a space or the end, that is the box's end.
const BRACKET_TICKED = /[[(]\s*[xX✓✔]{1,2}\s*[\])]|\[\s*[xX✓✔]{1,2}\s*[1lIJ|](?=\s|$)/gu;
const BRACKET_EMPTY = /[[(]\s*[\])]|\[\s+[1lIJ|](?=\s|$)/gu;
/** Bracketed boxes as box characters, so one rule reads both; text with no bracketed box comes back as it was. */
const boxesOf = (text: string): string => text.replace(BRACKET_TICKED, '☒').replace(BRACKET_EMPTY, '☐');

/** The choice after the one ticked box of a line of choices; undefined when none or several are ticked. */
function tickedChoice(text: string): string | undefined {
  const all = text.split(/(?=[☐☒☑✓✔■□◉●⦿○◯])/u);
  const parts = all.filter((p) => BOXES.test(p));
  const ticked = parts.filter((p) => TICKED.test(p.charAt(0)));
  if (ticked.length !== 1) return undefined;
  const after = ticked[0]!.slice(1).trim();
  if (after) return after;
  // A tick set after its choice ("Journey ✓", a tick column): the choice is what stands before it.
  const before = all[all.indexOf(ticked[0]!) - 1];
  return before ? before.replace(BOXES, '').trim() || undefined : undefined;
}

const MARK = /[☒☑✓✔■◉●⦿]|(?:^|\s)[xX](?:\s|$)/u;
/** A choice's words without its box or tick ("Journey ✓", "[X] Home" → "Journey", "Home"). */
const withoutMarks = (text: string): string => boxesOf(text).replace(/[☐☒☑✓✔■□◉●⦿○◯]/gu, ' ').replace(/(?:^|\s)[xX](?=\s|$)/gu, ' ').trim();
/**
 * Choices printed one under another ("Vehicle" / "Household" / "Journey ✓"), the tick in the row or a column beside:
 * the value is the ticked one — never simply the first. Undefined when `first` starts no such list; null when the
 * list has no single tick (a person decides).
 */
function choiceFromList(spec: FieldSpec, first: PlacedLine, lines: PlacedLine[], owners: Map<PlacedLine, Owner>, options: FindOptions): PlacedLine | null | undefined {
  const value = (line: PlacedLine): unknown => findValue(spec, withoutMarks(line.text), options)?.value;
  if (value(first) === undefined) return undefined;
  const list = [first];
  for (let next = lineBelow(first, lines); next && !owners.has(next) && list.length < 8; next = lineBelow(next, lines)) {
    const v = value(next);
    if (v === undefined || list.some((l) => value(l) === v)) break;
    list.push(next);
  }
  if (list.length < 2) return undefined;
  const ticked = list.filter((line) => rowOf(line, lines).some((l) => !owners.has(l) && MARK.test(boxesOf(l.text))));
  return ticked.length === 1 ? ticked[0]! : null;
}

// A label carried on by words joined to it with a comma, a slash or "and", holding no digit: "Name, Vorname".
const LABEL_GOES_ON = /^\s*(?:[,/&+]\s*|(?:and|und|et|or|oder|ou)\s+)\p{L}[^\d:]*$/u;

// Words that carry a label on rather than start a value: "Nom du sociétaire", "Name of insured".
const CONNECTIVE = /^(?:of|du|de|des|de la|d[’']|der|des|von|of the)(?:\s|$)/u;

/** How a sentence cut short ends: a semicolon, a comma, a colon or a dash, or an article, a preposition or a conjunction. */
const OPEN_END = /(?:[;,:–-]|(?<![\p{L}])(?:a|an|the|and|or|of|to|by|on|in|at|for|with|from|der|die|das|den|dem|ein|eine|einen|und|oder|mit|von|zu|im|am|le|la|les|un|une|et|ou|de|du|des|à|au|par|sur|el|los|las|y|o|del|al|en|con|il|lo|gli|e|di|da|per))$/iu;
/** A telephone number inside a would-be name: a "+" before digits, or a run of six digits or more. */
const PHONE_IN_NAME = /\+ ?\d|\d{6}/u;
const OH_ZERO = /(?<=\p{Lu}[/.]?)0(?!\d)|(?<!\d)0(?=\p{Lu})|(?<=\d)O(?!\p{L})|(?<!\p{L})O(?=\d)/u;

function candidate(spec: FieldSpec, evidence: Evidence, lines: PlacedLine[], text: string, options: FindOptions & { order?: DayOrder }, label?: PlacedLine, own?: boolean): Candidate | undefined {
  text = boxesOf(text);
  if (BOXES.test(text)) {
    if (spec.type !== 'enum') return undefined;
    const choice = tickedChoice(text);
    if (choice === undefined) return undefined;
    text = choice;
  }
  if (evidence === 'inline' && spec.type === 'string' && CONNECTIVE.test(text)) return undefined;
  const notes: string[] = [];
  // A number or reference is one token, or a few with no comma between: "FAC-74-23663, du 20241119" is the number and then another fact.
  if (labelKind(spec) === 'id' && spec.pattern === undefined) {
    const head = /^([^,;]*?\d[^,;]*?)[,;]\s+\S/u.exec(text.trim());
    if (head) {
      text = head[1]!;
      notes.push('cut');
    }
  }
  let found = findValue(spec, text, options);
  if (!found) return undefined;
  // A number or reference holds a digit: "Invoice Dt" or "Acme Insurance Ltd." under a number's label is something else.
  if (labelKind(spec) === 'id' && !/\d/.test(found.text)) return undefined;
  // …and is no sum of money: "Policy excess : SFr. 500.00" under a word of a policy's label is an amount, not its number.
  if (labelKind(spec) === 'id' && sumOfMoney(found.text)) return undefined;
  const freeName = spec.type === 'string' && spec.pattern === undefined && valueShape(spec) === 'line' && labelKind(spec) !== 'id';
  if (freeName) {
    // A label read as a value is no value, and a name holds letters ("218.910-80" under a member's number is none).
    if (onlyLabelWords(found.text) || !/\p{L}/u.test(found.text)) return undefined;
    // …nor a caption led by a standard's term code ("BT-27 Seller").
    if (TERM_CODE.test(flatten(found.text))) return undefined;
    // …and no telephone number: a fax machine's transmission line ("FROM:+3314271461 TO:+44…") labels the sending line, not the firm.
    if (PHONE_IN_NAME.test(found.text)) return undefined;
    // …and no page title: "Honorarrechnung" beside "Rechnungssteller" is what the page is, not who sent it.
    if (TITLE.test(flatten(found.text)) && found.text.trim().split(/\s+/).length <= 2) return undefined;
    const name = nameWithoutAddress(found.text);
    if (name !== undefined) {
      const cut = findValue(spec, name.name, options);
      if (cut) {
        found = cut;
        notes.push('cut');
        if (!name.sure) notes.push('name ends where?');
      }
    }
  }
  let score = EVIDENCE[evidence] * readingFactor(label ? [label, ...lines] : lines);
  if (validateFields([spec], [], { [spec.name]: found.value }).length) score *= 0.4;
  else if (spec.pattern !== undefined && evidence !== 'pattern') score += 0.05;
  if (notes.includes('cut')) score *= 0.95;
  if (notes.includes('name ends where?')) score = Math.min(score, 0.6);
  // A scan reads the letter O and the digit 0 alike: in a reference read by OCR, a 0 among letters ("P0-29/2766") or an
  // O among digits may be either. A person checks it.
  if (labelKind(spec) === 'id' && lines.some((l) => l.ocr) && OH_ZERO.test(found.text)) {
    score = Math.min(score, 0.7);
    notes.push('O or 0?');
  }
  // The OCR model reads Latin letters without their accents now and then ("Backer" for "Bäcker"): a person checks names read from a scan.
  if (freeName && lines.some((l) => l.ocr)) {
    score = Math.min(score, 0.75);
    notes.push('scanned name');
  }
  // "AUD 5,074." — a reading that stops at the decimal mark lost the cents (a scan read short): never a sure amount.
  if ((spec.type === 'money' || spec.type === 'number') && !/[.,]\d{1,2}$/.test(found.text)) {
    const at = text.indexOf(found.text);
    if (at >= 0 && /^[.,](?!\d)/.test(text.slice(at + found.text.length))) {
      score = Math.min(score, 0.3);
      notes.push('cents cut off?');
    }
  }
  // Free text that stops on a semicolon, a comma or a word that leads on ("…the back door;", "…broken by a") was cut
  // where its lines were split: the rest is elsewhere on the page.
  if (spec.type === 'string' && valueShape(spec) === 'text' && OPEN_END.test(text.trim())) {
    score = Math.min(score, 0.6);
    notes.push('text cut?');
  }
  if (spec.type === 'date' && twoDatesSideBySide(spec, text, options)) {
    score = Math.min(score, 0.5);
    notes.push('two dates');
  }
  if (spec.type === 'date' && options.order && ambiguousDate(found.text, options.order)) {
    score = Math.min(score, 0.6);
    notes.push('day or month?');
  }
  // OCR reads a Roman month's strokes as ones ("6.II.2023" → "6.11.2023"): on a scan whose dates are not zero-padded, a month of
  // ones may be one. A person checks it.
  if (spec.type === 'date' && options.order?.unpadded && lines.some((l) => l.ocr) && ONES_MONTH.test(found.text)) {
    score = Math.min(score, 0.6);
    notes.push('Roman month?');
  }
  return { value: found.value, score, lines, text: found.text, evidence: `${evidence}${own === false ? '·vocabulary' : ''}${notes.map((n) => `·${n}`).join('')}` };
}

function listCandidate(spec: FieldSpec, header: PlacedLine, lines: PlacedLine[], owners: Map<PlacedLine, Owner>): Candidate | undefined {
  const items: PlacedLine[] = [];
  const itemSpec: FieldSpec = { ...spec, type: 'money' };
  for (const line of columnBelow(header, lines)) {
    // Another field's label on this row (Subtotal, Total…) ends the column.
    if (rowOf(line, lines).some((l) => owners.has(l) && owners.get(l)!.field !== spec.name)) break;
    if (!/\d/.test(line.text)) continue;
    if (!findValue(itemSpec, line.text)) break;
    items.push(line);
  }
  if (!items.length) return undefined;
  const value = items.map((l) => findValue(itemSpec, l.text)!.value);
  return { value, score: EVIDENCE.column * readingFactor([header, ...items]), lines: items, text: items.map((l) => l.text).join(' | '), evidence: `column${owners.get(header)?.own === false ? '·vocabulary' : ''}` };
}

// Document titles, never a supplier's name.
const TITLE = /^(?:tax\s+)?(?:invoice|bill|receipt|credit note|statement|fee note|\p{L}*rechnung|faktura|gutschrift|quittung|facture|note d'honoraires|avoir|reçu|factura|fattura|nota de crédito|nota di credito|claim form|schadenmeldung|schadenanzeige|déclaration)\b/iu;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A letter-spaced name ("P a p e t e r i e  L e f è v r e") comes out of a text layer or OCR without its word breaks;
 * where the page spells the same letters out with spaces (a return-address line, the footer), that is the name.
 */
function spelledOut(head: PlacedLine, printed: string, lines: PlacedLine[]): string | undefined {
  // A name set in capitals (or small capitals) is printed in its own case elsewhere: the footer, a payment slip.
  if (/\p{Lu}{2}/u.test(printed) && !/\p{Ll}/u.test(printed)) {
    const words = printed.trim().split(/\s+/);
    const caps = new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`, 'iu');
    for (const line of lines) {
      const m = line === head ? null : caps.exec(line.text);
      if (m && /\p{Ll}/u.test(m[0])) return m[0];
    }
    return undefined;
  }
  if (!/^\p{L}(?: \p{L}){3,}/u.test(printed.trim())) return undefined;
  const letters = [...printed.replace(/\s+/g, '')];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${letters.map(escapeRegExp).join(' ?')}(?![\\p{L}\\p{N}])`, 'u');
  for (const line of lines) {
    if (line === head) continue;
    const m = pattern.exec(line.text);
    if (m && m[0].includes(' ')) return m[0];
  }
  return undefined;
}

/** Whether two names are one firm's: one is the other's start, letters and digits only, case and accents aside ("CASTLEGATE CLEANING" · "Castlegate Cleaning Services Ltd"). */
function sameFirm(a: string, b: string): boolean {
  const plain = (text: string): string => fold(text).replace(/[^\p{L}\p{N}]+/gu, '');
  const [x, y] = [plain(a), plain(b)];
  return x.length >= 3 && y.length >= 3 && (x.startsWith(y) || y.startsWith(x));
}

/** The supplier of an unlabelled letterhead: the biggest type in the top quarter of page 1, top-most on a tie. */
function letterhead(document: DocumentText, lines: PlacedLine[], owners: Map<PlacedLine, Owner>, only: 'any' | 'addressed at the top' = 'any'): PlacedLine | undefined {
  const page = document.pages[0];
  if (!page) return undefined;
  // Read with some confidence, and a word of four letters at least: not a logo's speckle.
  // A name holds no reference or date ("Customer PO BST-30535" is no supplier).
  const named = lines.filter((l) => l.page === page.number && l.confidence >= 0.5 && !owners.has(l) && /^\D/u.test(flatten(l.text)) && /\p{L}{4}/u.test(l.text) && !TITLE.test(flatten(l.text)) && !l.text.split(/\s+/).some((t) => idLike(t) || parseDate(t) !== undefined));
  // A supplier's name stands over its address: a line with a number (street, postcode) tight under it. A title or a
  // column header does not — so a name over an address wins, at the top of the page first, then anywhere on it
  // (a remittance slip at the foot).
  const addressed = (l: PlacedLine, depth = 0): boolean => {
    const next = lineBelow(l, lines);
    if (/\d/.test(l.text) || !next || owners.has(next) || next.box.y - (l.box.y + l.box.height) >= l.box.height) return false;
    // An address line holds words beside its number ("Suite 210", "80331 München"): a column heading stands over bare amounts.
    if (/\d/.test(next.text)) return /\p{L}{2}/u.test(next.text.replace(/\b[A-Z]{3}\b/g, ''));
    // An address's first line may hold no number ("Block B, Mill Yard"): the number comes on the line after it, in the same small type.
    return depth === 0 && next.box.height <= l.box.height && /\p{L}{2}/u.test(next.text) && addressed(next, 1);
  };
  const biggest = (list: PlacedLine[]): PlacedLine | undefined => list.sort((a, b) => b.box.height - a.box.height || a.box.y - b.box.y)[0];
  const top = named.filter((l) => l.box.y < page.height / 4);
  const head = only === 'addressed at the top' ? biggest(top.filter((l) => addressed(l))) : biggest(top.filter((l) => addressed(l))) ?? biggest(named.filter((l) => addressed(l))) ?? biggest(top);
  return head && wholeName(head, named);
}

/** The letterhead's name as the page spells it: the printed line (or the joined cell), with its word breaks or case from elsewhere on the page. */
function letterheadName(document: DocumentText, head: PlacedLine, lines: PlacedLine[]): string {
  const printed = head.cell ? head.text : document.pages.find((page) => page.number === head.page)?.lines[head.index]?.text;
  return (printed && spelledOut(head, printed, lines)) ?? head.text;
}

/**
 * A name set in large type wraps ("KRANICH BÜROTECHNIK" / "GMBH", "Société Générale de" / "Nettoyage"): the lines tight
 * over and under it in the same type, flush with it on the left or the right and holding no number, are the rest of it.
 */
function wholeName(head: PlacedLine, named: PlacedLine[]): PlacedLine {
  const h = head.box.height;
  const flush = (a: PlacedLine, b: PlacedLine): boolean => Math.abs(a.box.x - b.box.x) < h || Math.abs(a.box.x + a.box.width - (b.box.x + b.box.width)) < h;
  const gap = (upper: PlacedLine, lower: PlacedLine): number => lower.box.y - (upper.box.y + upper.box.height);
  const next = (from: PlacedLine, up: boolean): PlacedLine | undefined =>
    named.find((l) => {
      const between = up ? gap(l, from) : gap(from, l);
      return l !== from && l.page === from.page && !/\d/.test(l.text) && Math.abs(l.box.height - h) <= 0.15 * h && flush(l, from) && between > -0.3 * h && between < 0.6 * h;
    });
  const run = [head];
  for (let l = next(head, true); l && run.length < 3 && !run.includes(l); l = next(l, true)) run.unshift(l);
  for (let l = next(head, false); l && run.length < 3 && !run.includes(l); l = next(l, false)) run.push(l);
  if (run.length === 1) return head;
  return { ...head, text: run.map((l) => l.text).join(' '), box: union(run.map((l) => l.box)), cell: true };
}

/** Whether the document writes days first, and whether a date on the page proves it. */
interface DayOrder {
  dayFirst: boolean;
  proven: boolean;
  /** The page prints a numeric date with a one-digit day or month ("6.1.2023"), or a month in Roman numerals. */
  unpadded?: boolean;
}

/** A numeric date whose month reads 1 or 11: on a scan, the Roman I or II ("6.II.2023") read as digits. */
const ONES_MONTH = /^\d{1,2} ?([./-]) ?1{1,2} ?\1 ?\d{2,4}$/u;
const UNPADDED_DATE = new RegExp(String.raw`(?<![\d.,/-])(?:\d ?([./-]) ?\d{1,2}|\d{1,2} ?([./-]) ?\d)(?: ?(?:\1|\2) ?)(?:\d{4}|\d{2})(?![\d.,/-])|(?<![\d.,/-])\d{1,2} ?[./-] ?${ROMAN_MONTH} ?[./-] ?\d{2,4}(?!\d)`, 'u');

/**
 * A slash or dash date that can only be read one way (05-20-2023) proves the order the page writes its dates in — unless
 * another proves the other order; else German or French wording suggests days first.
 */
function dayOrder(lines: PlacedLine[], owners: Map<PlacedLine, Owner>): DayOrder {
  const proofs = new Set<boolean>();
  for (const line of lines) {
    for (const m of line.text.matchAll(/(?<![\d/-])(\d{1,2})([/-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/-])/g)) {
      const [a, b] = [Number(m[1]), Number(m[3])];
      if (a > 12 && a <= 31 && b >= 1 && b <= 12) proofs.add(true);
      if (b > 12 && b <= 31 && a >= 1 && a <= 12) proofs.add(false);
    }
  }
  const unpadded = lines.some((line) => UNPADDED_DATE.test(line.text));
  if (proofs.size === 1) return { dayFirst: [...proofs][0]!, proven: true, unpadded };
  return { unpadded, dayFirst: [...owners.values()].some((o) => /[äöüßéèêàçû°]|^(?:datum|summe|netto|betrag|kunde|montant|client|total (?:ht|ttc)|tva|mwst|ust)\b/iu.test(o.label)), proven: false };
}

/**
 * The value the page's arithmetic gives this field: line items and subtotal from a column that
 * sums to the subtotal; tax and total only as a weaker hint (shipping or a discount line would
 * also "sum"), for a label to confirm.
 */
/**
 * The amount the page's arithmetic gives another role: the total is not the subtotal when a tax
 * lies between them, nor the subtotal the total.
 */
function otherRoleAmount(spec: FieldSpec, arithmetic: InvoiceArithmetic | undefined): number | undefined {
  if (!arithmetic?.total || !arithmetic.tax) return undefined;
  const concept = conceptOf(spec)?.id;
  return concept === 'total' ? arithmetic.subtotal.value : concept === 'subtotal' ? arithmetic.total.value : undefined;
}

function sumCandidate(spec: FieldSpec, arithmetic: InvoiceArithmetic | undefined): Candidate | undefined {
  const concept = conceptOf(spec)?.id;
  if (!arithmetic || !concept) return undefined;
  if (concept === 'items' && spec.type === 'list') {
    const lines = arithmetic.items.map((a) => a.line);
    return { value: arithmetic.items.map((a) => a.value), score: EVIDENCE.sum * readingFactor(lines), lines, text: arithmetic.items.map((a) => a.text).join(' | '), evidence: 'sum' };
  }
  if (spec.type !== 'money' && spec.type !== 'number') return undefined;
  const amount = concept === 'subtotal' ? arithmetic.subtotal : concept === 'tax' ? arithmetic.tax : concept === 'total' ? arithmetic.total : undefined;
  if (!amount) return undefined;
  const evidence = concept === 'subtotal' ? 'sum' : 'sum-total';
  return { value: amount.value, score: EVIDENCE[evidence] * readingFactor([amount.line]), lines: [amount.line], text: amount.text, evidence };
}

// Headings of a form's block about someone other than the claimant: the other vehicle or driver, a third party, a witness.
const OTHER_PARTY = /\b(?:third[- ]part(?:y|ies)|other (?:party|vehicle|driver)|witness(?:es)?|opposing|adverses?|tiers|autre (?:vehicule|conducteur)|temoins?|unfallgegner|gegner|gegnerisch\p{L}*|zeugen?|unfallbeteiligte\p{L}*|controparte|terz[oi]|testimon[ei])\b/iu;

/**
 * Whether `label` stands in a block whose heading names another party: the nearest line above it in its column (within
 * six of its heights) that holds no digit and is set apart as a heading — shorter than a sentence — and names one.
 */
function underOtherParty(label: PlacedLine, lines: PlacedLine[]): boolean {
  const h = label.box.height;
  const above = lines
    .filter((l) => l.page === label.page && l !== label && l.box.y < label.box.y - 0.5 * h && label.box.y - l.box.y < 6 * h && Math.abs(l.box.x - label.box.x) < 4 * h && !/\d/.test(l.text) && l.text.length <= 40)
    .sort((a, b) => b.box.y - a.box.y);
  return above.slice(0, 2).some((l) => OTHER_PARTY.test(fold(l.text)));
}

/** A form's numbered or lettered section heading: "B. What happened", "3) Costs", "IV. Declaration". */
const SECTION_HEAD = /^\s*(?:\p{Lu}|\d{1,2}|[IVX]{1,4})[.)]\s+\p{L}/u;

/**
 * Words in an order number's label that say it is the buyer's order (a purchase order, "your order"): without them an
 * "Order no." or "Bestellnummer" may as well be the seller's or a marketplace's own order number.
 */
const BUYERS_ORDER = /(?:^|[^\p{L}])(?:po|p\.o|your|yours|our|ihre?|unsere?|votre|notre|uw|onze|su|vostro|nostro|buyer|customer|client|purchase|purchasing|requisition|achat|bon)(?:[^\p{L}]|$)|nasze|nabywc|einkauf|kunden|inkoop|compra|acquist|bestellbeleg|bestellzeichen/u;
const ORDER_WORD = /order|bestell|auftrag|commande|pedido|ordine|bestel|zamowien/u;

function candidatesFor(spec: FieldSpec, document: DocumentText, lines: PlacedLine[], owners: Map<PlacedLine, Owner>, options: FindOptions & { order?: DayOrder }, arithmetic?: InvoiceArithmetic): { found: Candidate[]; labelled: boolean } {
  const found: Candidate[] = [];
  // A label read only by forgiving a letter may be another word that differs by one ("Contact number" is no
  // "Contract number"): what it leads to is for a person to confirm.
  let slipped = false;
  // A name's label in a block about another party (the other vehicle, a witness): the name there is someone else's.
  let otherParty = false;
  let weak = false;
  let whoseOrder = false;
  const push = (c: Candidate | undefined): void => {
    if (c && otherParty) c = { ...c, score: Math.min(c.score, 0.5), evidence: `${c.evidence}·another party's?` };
    // …an order number the page prints again (a packing slip under a cut line, a returns note) is the seller's order the
    // parcel goes by; a buyer's order is quoted once.
    if (c && whoseOrder && typeof c.value === 'string' && lines.filter((l) => l.text.includes(c!.value as string)).length >= 2) c = { ...c, score: Math.min(c.score, 0.7), evidence: `${c.evidence}·whose order?` };
    if (c && weak) c = { ...c, weak: true };
    if (c) found.push(slipped ? { ...c, score: Math.min(c.score, 0.7), evidence: `${c.evidence}·label misread?` } : c);
  };
  // A choice read from one cell of a row whose other cells name other choices ("Véhicule | [0 Multirisque habitation |
  // Voyage", the boxes lost to the scan) is one of several printed choices, not the chosen one.
  const add = (c: Candidate | undefined): void => {
    if (c && spec.type === 'enum' && c.lines.length === 1 && !MARK.test(boxesOf(c.lines[0]!.text))) {
      const others = rowOf(c.lines[0]!, lines).filter((l) => l !== c.lines[0] && !owners.has(l)).map((l) => findValue(spec, withoutMarks(l.text), options)?.value);
      if (others.some((v) => v !== undefined && v !== c.value)) return push({ ...c, score: Math.min(c.score, 0.3), evidence: `${c.evidence}·one of several choices` });
    }
    push(c);
  };
  const sum = sumCandidate(spec, arithmetic);
  let labelled = false;
  for (const [line, owner] of owners) {
    slipped = false;
    if (owner.field !== spec.name) continue;
    slipped = owner.slip === true;
    otherParty = conceptOf(spec)?.id === 'claimant' && underOtherParty(line, lines);
    weak = conceptOf(spec)?.weakLabels?.includes(owner.label) === true;
    // "Order no." names the buyer's purchase order on some invoices and the seller's (or a marketplace's) order on others.
    whoseOrder = conceptOf(spec)?.id === 'poNumber' && owner.own !== true && ORDER_WORD.test(fold(owner.label)) && !BUYERS_ORDER.test(fold(owner.label));
    labelled = true;
    if (spec.type === 'list') {
      add(listCandidate(spec, line, lines, owners));
      continue;
    }
    // The value on the label's own line ("Invoice #: INV-1"), else beside or under it.
    // "Name, Vorname", "Name / first name", "Nom et prénom": words joined on to the label carry it on; they are no value.
    // …and so is what ends with a colon: "Sachverhalt im Einzelnen:" has its value after the colon, on the next line.
    let inline = LABEL_GOES_ON.test(owner.rest) || /:\s*$/.test(owner.rest) ? '' : owner.rest.replace(/^[\s:#.?\-–|]+/, '');
    // A number's label may go on in words before the number: "Réf. commande client PO.3609.50".
    // …but capitals after the label's colon may be the number's own letters ("Booking ref.: SO 38-1958"): kept, for a person.
    let ownLetters = false;
    if (labelKind(spec) === 'id') {
      const tokens = inline.split(/\s+/);
      const at = tokens.findIndex(idLike);
      if (at > 0 && at <= 2 && tokens.slice(0, at).every((t) => /^\p{L}+[:.]?$/u.test(t))) {
        if (/^[\s.]*:/u.test(owner.rest) && tokens.slice(0, at).every((t) => /^\p{Lu}{1,3}$/u.test(t))) ownLetters = true;
        else inline = tokens.slice(at).join(' ');
      }
      // …and a sentence may go on after it: "My policy P/82/446118 replaced policy P/11/000001" — the number is the one token.
      const after = inline.split(/\s+/);
      if (after.length > 1 && idLike(after[0]!) && after.slice(1).some((t) => /\p{L}{3}/u.test(t))) inline = after[0]!.replace(/[.,;:]+$/, '');
    }
    // A name's label may go on in a word of its own after the words a vocabulary knows ("Insured traveller", "Assuré
    // voyageur"): one word in lower case is no one's name, the name is under or beside the whole label.
    if (spec.type === 'string' && !spec.pattern && valueShape(spec) === 'line' && labelKind(spec) !== 'id' && /^\p{Ll}[\p{L}/-]*$/u.test(inline.trim())) inline = '';
    let onLine = inline ? candidate(spec, 'inline', [line], inline, options, undefined, owner.own === true) : undefined;
    if (!onLine && spec.type === 'date' && /\p{L}.*\d{1,2},?\s*$/u.test(inline)) {
      // Running text wraps a long date at the line's end ("Remit payment by: Friday, August 9," / "2024."): the year is
      // the next line's first word. Joined, for a person to confirm.
      const next = lineBelow(line, lines);
      const year = next && !owners.has(next) ? /^\d{4}\b/u.exec(next.text.trim())?.[0] : undefined;
      const joined = year ? candidate(spec, 'inline', [line, next!], `${inline.trim()} ${year}`, options, undefined, owner.own === true) : undefined;
      if (joined) onLine = { ...joined, score: Math.min(joined.score, 0.75), evidence: `${joined.evidence}·wraps?` };
    }
    // Capitals that are the label's whole wording and stand before the number with a bare space ("PO 96803679") may be the
    // ID's own letters as well as its label: a person decides which ("PO: 96803679" has its label).
    if (onLine && ownLetters) onLine = { ...onLine, score: Math.min(onLine.score, 0.7), evidence: `${onLine.evidence}·letters part of the ID?` };
    if (onLine && labelKind(spec) === 'id' && /^\p{Lu}{1,4}$/u.test(line.text.slice(owner.at, line.text.length - owner.rest.length).trim()) && /^ \d/.test(owner.rest)) {
      onLine = { ...onLine, score: Math.min(onLine.score, 0.7), evidence: `${onLine.evidence}·letters part of the ID?` };
    }
    if (onLine && spec.type === 'string' && valueShape(spec) === 'line' && labelKind(spec) !== 'id') {
      // A name in a narrow cell wraps: a line tight under the label's, starting where it starts, may hold the rest
      // of the name ("Pierre-Louis" / "Girard") — or something else. A person decides.
      const next = lineBelow(line, lines);
      if (next && !owners.has(next) && mayContinue(line, next)) Object.assign(onLine, { score: Math.min(onLine.score, 0.6), evidence: `${onLine.evidence}·wraps?` });
    }
    if (onLine && spec.type === 'string' && line.ocr && /^[\s:*]*[|[\]]/u.test(owner.rest)) {
      // A scan reads a box's edge as "|" and may take it into the first letters of what stands in the box ("gyjitcase").
      Object.assign(onLine, { score: Math.min(onLine.score, 0.75), evidence: `${onLine.evidence}·box edge` });
    }
    if (onLine && spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text' && !/[.!?]["')]?$/u.test(onLine.text)) {
      // Free text in a box right of its label wraps inside the box: the next line, tight under this one and starting right
      // of where the label starts, is the rest of it — or something else. Joined, for a person to confirm.
      const h = line.box.height;
      const rest = lines.find((l) => l.page === line.page && !owners.has(l) && l.box.y > line.box.y + 0.5 * h && l.box.y - (line.box.y + h) < 0.6 * h && l.box.x > line.box.x + h && l.box.x < line.box.x + line.box.width);
      if (rest) {
        const more = paragraphFrom(rest, lines).filter((l) => !owners.has(l));
        const joined = candidate(spec, 'inline', [line, ...more], `${inline} ${more.map((l) => l.text).join(' ')}`, options, undefined, owner.own === true);
        if (joined) onLine = { ...joined, score: Math.min(joined.score, 0.75), evidence: `${joined.evidence}·wraps?` };
      }
    }
    if (onLine) {
      add(onLine);
      continue;
    }
    // A column header of a table: its value is the cell under it; beside it stands the next header.
    const cell = cellUnderHeader(line, lines);
    if (cell) {
      // The header of a column of several values (an items table's "Total ligne") labels no single value.
      if (!owners.has(cell) && !valuesGoOnUnder(cell, lines)) add(candidate(spec, 'below', [cell], cell.text, options, line, owner.own === true));
      continue;
    }
    const beside = lineRightOf(line, lines);
    const below = lineBelow(line, lines);
    // A caption printed under the line it captions (paper forms): in smaller type, tight under a larger line, the
    // next field's value further down. The line above is its value; what lies beside or below belongs to others.
    const above = captionedBy(line, lines);
    if (above && !owners.has(above)) {
      // A row of tick boxes may come as one line per box: the whole row is the value.
      const row = BOXES.test(boxesOf(above.text)) ? rowOf(above, lines).sort((a, b) => a.box.x - b.box.x) : [above];
      add(candidate(spec, 'above', row, row.map((l) => l.text).join(' '), options, line, owner.own === true));
      continue;
    }
    // Small captions in a row above larger values (tiles, boxed forms): what stands beside a caption in the caption's
    // type is the next caption, not its value.
    const smallOver = (caption: PlacedLine, value: PlacedLine | undefined): boolean => !!value && caption.box.height < 0.8 * value.box.height;
    const captionRow = !!beside && smallOver(line, below) && Math.abs(beside.box.height - line.box.height) <= 0.2 * line.box.height && smallOver(beside, lineBelow(beside, lines));
    const freeText = spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text';
    if (freeText && (beside ? !owners.has(beside) && !captionRow : true)) {
      // Free text set against its label may start above the label's line, or run on under it.
      const taken = (l: PlacedLine): boolean => rowOf(l, lines).some((r) => r !== line && owners.has(r));
      const against = paragraphBeside(line, lines, taken);
      const paragraph = against?.paragraph;
      const last = paragraph?.[paragraph.length - 1];
      if (paragraph && against.pieced) {
        const pieced = candidate(spec, 'right', paragraph, paragraph.map((l) => l.text).join(' '), options, line, owner.own === true);
        if (pieced) add({ ...pieced, score: Math.min(pieced.score, 0.6), evidence: `${pieced.evidence}·pieced together` });
      } else if (paragraph && last && last.box.y + last.box.height < line.box.y + line.box.height / 2) {
        // The paragraph ends above the label's middle: its last words may have been read into the label's own line
        // ("How the loss occurred  returned."). Pieced together, it is for a person to confirm.
        const rest = owner.rest.replace(/^[\s:]+/, '');
        const pieced = candidate(spec, 'right', paragraph, [...paragraph.map((l) => l.text), rest].join(' ').trim(), options, line, owner.own === true);
        if (pieced) add({ ...pieced, score: Math.min(pieced.score, 0.6), evidence: `${pieced.evidence}·runs on by the label?` });
      } else if (paragraph) {
        // A handwritten account goes on on the form's next ruled line, further down than print would be and in another
        // height: a line in the same column under an open-ended last line, starting in lower case or after a semicolon.
        const more = writtenOn(paragraph[paragraph.length - 1]!, lines, (l) => owners.has(l) || taken(l));
        const all = more ? [...paragraph, more] : paragraph;
        const read = candidate(spec, 'right', all, all.map((l) => l.text).join(' '), options, line, owner.own === true);
        add(read && more ? { ...read, score: Math.min(read.score, 0.75), evidence: `${read.evidence}·runs on below?` } : read);
      }
    } else if (beside && !owners.has(beside) && !captionRow) add(candidate(spec, 'right', [beside], beside.text, options, line, owner.own === true));
    else if (!beside && (spec.type === 'money' || spec.type === 'number')) {
      // A table's closing row: its label far left, its sum far right under the amounts ("Montant total demandé ……… kr 3 906,79").
      // The first thing right of the label on its row, when it shows it is money, is the label's — nothing stands between.
      const far = rowOf(line, lines).filter((l) => l !== line && l.box.x >= line.box.x + line.box.width - 1).sort((a, b) => a.box.x - b.box.x)[0];
      if (far && !owners.has(far) && findValue(spec, far.text, { moneyShaped: true })) add(candidate(spec, 'right', [far], far.text, { ...options, moneyShaped: true }, line, owner.own === true));
    }
    if (spec.type === 'enum' && below && !owners.has(below)) {
      const choice = choiceFromList(spec, below, lines, owners, options);
      if (choice !== undefined) {
        if (choice) {
          add(candidate(spec, 'below', [choice], withoutMarks(choice.text), options, line, owner.own === true));
        }
        continue;
      }
    }
    if (below && !owners.has(below)) {
      // Free text runs on over its paragraph; a name or an ID ends with its line (a name is not its address).
      const block = spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text' ? paragraphFrom(below, lines).filter((l) => !owners.has(l)) : [below];
      let under = candidate(spec, 'below', block, block.map((l) => l.text).join(' '), options, line, owner.own === true);
      // A form's section heading ("B. What happened") may stand over a caption of its own words ("Account of the loss",
      // often in smaller type) and only then the account: a few words with no stop, over a line that goes on, are that
      // caption. What is under it is the account — read for a person to confirm, as the page may mean otherwise.
      if (under && block.length && spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text') {
        const first = block[0]!;
        const next = block.length > 1 ? undefined : lineBelow(first, lines);
        const after = block.length > 1 ? block.slice(1) : next && !owners.has(next) ? paragraphFrom(next, lines).filter((l) => !owners.has(l)) : [];
        const few = first.text.trim().split(/\s+/).length <= 5 && !/[.!?…:;,)"'»]$/u.test(first.text.trim());
        if (after.length && few && (first.box.height < 0.85 * after[0]!.box.height || SECTION_HEAD.test(flatten(line.text)))) {
          const account = candidate(spec, 'below', after, after.map((l) => l.text).join(' '), options, line, owner.own === true);
          under = account ? { ...account, score: Math.min(account.score, 0.6), evidence: `${account.evidence}·under a caption?` } : { ...under, score: Math.min(under.score, 0.3), evidence: `${under.evidence}·a caption?` };
        }
      }
      // A label among a table's column headers ("Datum | Omschrijving | Aantal | …") over rows that go on with values of
      // the same kind heads a column: the first row's value is one of many (a charge's date), not the document's.
      if (under && block.length === 1 && headsColumn(line, below, lines)) under = { ...under, score: Math.min(under.score, 0.3), evidence: `${under.evidence}·heads a column` };
      // A name in a narrow column wraps: a tight next line in the same type ("Kranich Bürotechnik" / "GmbH") may be
      // the rest of it — or the next thing. A person decides.
      const next = block.length === 1 && under && spec.type === 'string' && valueShape(spec) === 'line' && labelKind(spec) !== 'id' ? lineBelow(below, lines) : undefined;
      if (under && next && !owners.has(next) && mayContinue(below, next)) {
        Object.assign(under, { score: Math.min(under.score, 0.6), evidence: `${under.evidence}·wraps?` });
      }
      add(under);
    }
  }
  slipped = false;
  weak = false;
  whoseOrder = false;
  // "Our ref." names the invoice number on some invoices and a file reference on others: where a plainer label ("Invoice
  // serial no.") leads to a value, that is the number.
  if (found.some((c) => !c.weak && c.score >= 0.5)) found.splice(0, found.length, ...found.filter((c) => !c.weak));
  const other = otherRoleAmount(spec, arithmetic);
  // A label that points at the amount the arithmetic gives another role ("Merchandise total" for the total) is weak evidence.
  if (other !== undefined) for (const c of found) if (typeof c.value === 'number' && Math.round(c.value * 100) === Math.round(other * 100)) Object.assign(c, { score: c.score * 0.3, evidence: `${c.evidence}·other role` });
  // Line items the page's arithmetic proves (they add up to the subtotal, which with the tax makes the total): a column
  // under another line with an amount word ("Offener Betrag", a tear-off slip's "Amount due") that does not add up to
  // the subtotal is no rival reading of them.
  if (sum && Array.isArray(sum.value) && arithmetic?.total && arithmetic.tax) {
    const subtotal = Math.round(arithmetic.subtotal.value * 100);
    for (const c of found) {
      if (Array.isArray(c.value) && Math.round((c.value as number[]).reduce((a, b) => a + b, 0) * 100) !== subtotal) Object.assign(c, { score: c.score * 0.3, evidence: `${c.evidence}·does not add up` });
    }
  }
  if (found.length && conceptOf(spec)?.id === 'vendor') {
    // "From", "Absender" head a shipper's block on a freight bill as well as a letter's sender: where the letterhead names
    // another firm than what such a label leads to, the page disagrees with itself, and a person decides.
    // A letterhead is a name over its address at the top of the page, in larger type than the body: a page title or a
    // customer's block is none.
    const head = letterhead(document, lines, owners, 'addressed at the top');
    const named = head && letterheadName(document, head, lines);
    if (head && named) {
      for (const c of found) {
        if (typeof c.value === 'string' && !c.lines.some((l) => l.index === head.index && l.page === head.page) && head.box.height >= 1.3 * c.lines[0]!.box.height && !sameFirm(c.value, named)) {
          Object.assign(c, { score: Math.min(c.score, 0.6), evidence: `${c.evidence}·letterhead names another` });
        }
      }
    }
  }
  // In a chat transcript the person's answer to a message asking for the field is its value, in their words: it
  // supports (or contradicts) what a summary's label gives.
  for (const c of chatAnswers(spec, lines, options)) add(c);
  if (found.length) return { found: sum ? [...found, sum] : found, labelled };
  if (sum) return { found: [sum], labelled };
  // No label of the vocabulary led to a value: a label in other words that share one with the field's labels may.
  for (const c of akinCandidates(spec, lines, owners, options)) add(c);
  if (found.length) return { found, labelled };
  // Nor such a label: look for the value's shape anywhere.
  const concept = conceptOf(spec);
  const pattern = spec.pattern !== undefined ? tokenRegex(spec.pattern, 'gu') : undefined;
  if (spec.type === 'enum' && concept?.id === 'currency') {
    const marks = lines.flatMap((l) => currenciesIn(l.text, spec.values ?? []).map((code) => ({ code, line: l })));
    const codes = new Set(marks.map((m) => m.code));
    // The agreement is the evidence: a mark misread on one poor line of a scan breaks it, it does not fake it, so the
    // marks are as well read as the better half of their lines (not the worst one), and two marks stay two.
    const read = [...new Set(marks.map((m) => m.line))].sort((a, b) => b.confidence - a.confidence);
    const halfRead = marks.length >= 3 ? read.slice(0, Math.ceil(read.length / 2)) : read;
    if (codes.size === 1 && marks.length >= 2) return { found: [{ value: marks[0]!.code, score: EVIDENCE.consensus * readingFactor(halfRead), lines: [marks[0]!.line], text: marks[0]!.line.text, evidence: 'consensus' }], labelled };
  }
  for (const line of lines) {
    if (pattern) for (const m of line.text.matchAll(pattern)) add(candidate(spec, 'pattern', [line], m[0], options));
    else if (spec.type === 'money' || spec.type === 'date' || spec.type === 'enum') add(candidate(spec, 'shape', [line], line.text, { ...options, moneyShaped: true }));
  }
  if (!found.length && !labelled && spec.type === 'string' && !pattern && valueShape(spec) === 'text') for (const c of proseCandidates(spec, lines, owners, options)) add(c);
  if (!found.length && !labelled && spec.type === 'string' && !pattern && concept?.id === 'vendor') {
    const head = letterhead(document, lines, owners);
    if (head) add(candidate(spec, 'letterhead', [head], letterheadName(document, head, lines), options));
  }
  return { found, labelled };
}

const key = (value: unknown): string => JSON.stringify(value);

/** A chat message's time ("09:12", "4:05 PM", "16:28 ✓✓" with its read ticks). */
const TIME_STAMP = /^\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s*[✓✔√vV]{1,2})?$/iu;

/** A document's chat messages, found once for all its fields. */
const messagesOf = new WeakMap<PlacedLine[], ChatMessage[]>();

interface ChatMessage {
  lines: PlacedLine[];
  /** Left: the assistant's (at the transcript's left margin); right: the person's answer. */
  side: 'left' | 'right';
}

/**
 * The messages of a chat transcript (a claim reported through an insurer's chat assistant), one page at a time: runs of
 * lines closed by a message's time, split where the speaker's side changes. A page is a transcript only when four times
 * at least stand alone on their lines; otherwise it has no messages.
 */
function chatMessages(lines: PlacedLine[]): ChatMessage[] {
  const known = messagesOf.get(lines);
  if (known) return known;
  const messages: ChatMessage[] = [];
  messagesOf.set(lines, messages);
  for (const page of new Set(lines.map((l) => l.page))) {
    const onPage = lines.filter((l) => l.page === page).sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
    const isTime = (l: PlacedLine): boolean => TIME_STAMP.test(l.text.trim());
    if (onPage.filter(isTime).length < 4) continue;
    const body = onPage.filter((l) => !isTime(l));
    const margin = Math.min(...body.map((l) => l.box.x));
    let current: ChatMessage | undefined;
    for (const line of onPage) {
      if (isTime(line)) {
        if (current) messages.push(current);
        current = undefined;
        continue;
      }
      const side = line.box.x <= margin + 3 * line.box.height ? 'left' : 'right';
      if (current && current.side !== side) {
        messages.push(current);
        current = undefined;
      }
      current ??= { lines: [], side };
      current.lines.push(line);
    }
    if (current) messages.push(current);
  }
  return messages;
}

/**
 * Values a chat transcript gives: the answer (the person's next message, after any row of quick-reply buttons) to the
 * assistant's message that asks for the field — by one of the field's labels ("What is your policy number?") or by the
 * question words of its kind of value ("Wann ist es passiert?" for a date). Read in the person's own words, so never
 * above a label's reading: a person confirms, unless a printed summary agrees.
 */
function chatAnswers(spec: FieldSpec, lines: PlacedLine[], options: FindOptions & { order?: DayOrder }): Candidate[] {
  if (spec.type === 'list' || spec.type === 'boolean') return [];
  const messages = chatMessages(lines);
  if (!messages.length) return [];
  const labels = labelsOf(spec).map((l) => fold(labelKey(l))).filter((l) => l.length >= 3).map((l) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(l)}(?![\\p{L}\\p{N}])`, 'u'));
  const words = questionWords(spec);
  const asks = (text: string): boolean => {
    const t = fold(flatten(text));
    return labels.some((l) => l.test(t)) || !!words?.test(t);
  };
  const out: Candidate[] = [];
  for (let i = 0; i < messages.length; i++) {
    const prompt = messages[i]!;
    if (prompt.side !== 'left') continue;
    // A row of quick-reply buttons under the question is no answer; the answer comes after it.
    let j = i + 1;
    while (messages[j]?.side === 'left' && rowOf(messages[j]!.lines[0]!, messages[j]!.lines).length === messages[j]!.lines.length && messages[j]!.lines.length >= 2) j++;
    const answer = messages[j];
    if (answer?.side !== 'right') continue;
    // The question is the message's last paragraph (its greeting or thanks come before it).
    const asked = lastParagraph(prompt.lines);
    if (!asks(asked.map((l) => l.text).join(' '))) continue;
    let text = answer.lines.map((l) => l.text).join(' ');
    if (labelKind(spec) === 'id') {
      const ids = text.split(/\s+/).filter(idLike);
      if (ids.length !== 1) continue;
      text = ids[0]!.replace(/[.,;:]+$/u, '');
    } else if (spec.type === 'string' && valueShape(spec) === 'line' && (answer.lines.length > 1 || text.trim().split(/\s+/).length > 5)) continue;
    const c = candidate(spec, 'answer', answer.lines, text, options);
    if (c) out.push({ ...c, evidence: 'answer' });
  }
  return out;
}

/** The last paragraph of a message: its lines from the last gap wider than a line's height. */
function lastParagraph(message: PlacedLine[]): PlacedLine[] {
  let from = message.length - 1;
  while (from > 0 && message[from]!.box.y - (message[from - 1]!.box.y + message[from - 1]!.box.height) <= message[from]!.box.height) from--;
  return message.slice(from);
}

/**
 * Free text no label led to (an account of what happened under a heading no vocabulary knows): paragraphs of five
 * words or more that no label claimed, the longest first; only ever a guess for a person to confirm.
 */
function proseCandidates(spec: FieldSpec, lines: PlacedLine[], owners: Map<PlacedLine, Owner>, options: FindOptions): Candidate[] {
  const wordCount = (text: string): number => (text.match(/\p{L}{2,}/gu) ?? []).length;
  // Each paragraph once, from its first line of five words or more.
  const covered = new Set<PlacedLine>();
  const blocks: PlacedLine[][] = [];
  for (const line of lines) {
    if (covered.has(line) || owners.has(line) || wordCount(line.text) < 5) continue;
    const block = paragraphFrom(line, lines).filter((l) => !owners.has(l));
    for (const l of block) covered.add(l);
    blocks.push(block);
  }
  blocks.sort((a, b) => wordCount(b.map((l) => l.text).join(' ')) - wordCount(a.map((l) => l.text).join(' ')));
  return blocks.flatMap((block, i) => {
    const c = candidate(spec, 'shape', block, block.map((l) => l.text).join(' '), options);
    return c ? [{ ...c, score: i === 0 ? c.score : c.score * 0.5 }] : [];
  });
}

/**
 * The words of a field's labels that no other kind of field holding the same type of value uses: "bill" labels a
 * supplier ("Bill from") and a customer ("Bill to"), so it tells neither; "loss" tells a date of loss from an amount.
 */
function distinctiveWords(spec: FieldSpec): string[] {
  const own = conceptOf(spec);
  const type = spec.type ?? 'string';
  const shared = new Set(CONCEPTS.filter((c) => c !== own && (c.types ?? ['string', 'enum']).includes(type)).flatMap((c) => c.labels.flatMap((l) => words(fold(l)))));
  return telltaleWords(spec).filter((w) => !shared.has(w));
}

/** Whether the column goes on under this cell with another value in the same type: a table of rows, not one value. */
function valuesGoOnUnder(cell: PlacedLine, lines: PlacedLine[]): boolean {
  const next = lineBelow(cell, lines);
  return !!next && /\d/.test(next.text) && /\d/.test(cell.text) && Math.abs(next.box.height - cell.box.height) <= 0.25 * cell.box.height;
}

/**
 * Whether `label` is one of a table's column headers — at least two other words in its row, none with a digit — and the
 * line under it starts a column of rows that go on with values (the rows of an items table), so what stands under it
 * is a row's, not the document's.
 */
function headsColumn(label: PlacedLine, below: PlacedLine, lines: PlacedLine[]): boolean {
  const header = rowOf(label, lines);
  if (header.length < 3 || header.some((l) => /\d/.test(l.text))) return false;
  const next = lineBelow(below, lines);
  return !!next && valuesGoOnUnder(below, lines) && Math.abs(next.box.x - below.box.x) < 2 * below.box.height && !header.includes(next);
}

/** Whether a word of a printed label is akin to a word of a field's labels: the same, or one holds the other whole at its start or end ("Abrechnungsnummer", "Rechnungsnummer"). */
function akin(word: string, labelWord: string): boolean {
  if (word === labelWord) return true;
  if (labelWord.length >= 5 && (word.startsWith(labelWord) || word.endsWith(labelWord))) return true;
  return word.length >= 5 && labelWord.startsWith(word);
}

/**
 * Values by labels the vocabulary lacks: a short line without a digit that no field's label claimed, one of whose
 * words is akin to a word of this field's labels ("Incident occurred on", "Abrechnungsnummer"), and its value where a
 * label's would be — the cell under it in a table, beside it, or under it. A name must read as one (letters, not a
 * date or an amount); a number must hold an ID.
 */
function akinCandidates(spec: FieldSpec, lines: PlacedLine[], owners: Map<PlacedLine, Owner>, options: FindOptions & { order?: DayOrder }): Candidate[] {
  if (spec.type === 'list' || spec.type === 'boolean') return [];
  const telltale = distinctiveWords(spec);
  const out: Candidate[] = [];
  for (const line of lines) {
    if (owners.has(line) || /\d/.test(line.text) || words(line.text).length > 5) continue;
    const own = words(fold(line.text)).filter((w) => w.length >= 4 && !COMMON.has(w));
    if (!own.some((w) => telltale.some((t) => akin(w, t)))) continue;
    // A caption in smaller type tight under a line captions that line (paper forms); else the value is where a label's is.
    const above = captionedBy(line, lines);
    const cell = above ? undefined : cellUnderHeader(line, lines);
    // The header of a column of several values (an items table's "Gesamt") labels no single value.
    if (cell && valuesGoOnUnder(cell, lines)) continue;
    const value = above ?? cell ?? lineRightOf(line, lines) ?? lineBelow(line, lines);
    if (!value || owners.has(value)) continue;
    // A heading in much larger type than the line under it heads a part of the page, not that line ("Claim notification
    // by phone" over "Call received"). Not a label a scan reads a third taller than digits (its capitals and descenders).
    if (!above && line.box.height > 1.6 * value.box.height) continue;
    const block = spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text' ? paragraphFrom(value, lines).filter((l) => !owners.has(l)) : [value];
    let text = block.map((l) => l.text).join(' ');
    // A number is the one ID on the line, not the line ("Numéro ........ INV/24/98796").
    if (labelKind(spec) === 'id') {
      const ids = text.split(/\s+/).filter(idLike);
      if (ids.length !== 1) continue;
      text = ids[0]!.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    }
    // An amount must look like money (a currency or cents): not a day, not a piece of a reference.
    const c = candidate(spec, 'akin', block, text, { ...options, moneyShaped: true }, line);
    if (!c) continue;
    const prose = spec.type === 'string' && !spec.pattern && valueShape(spec) === 'text';
    if ((labelKind(spec) === 'name' || prose) && (!/\p{L}{2}/u.test(c.text) || parseDate(c.text) !== undefined || parseAmount(c.text) !== undefined)) continue;
    if (labelKind(spec) === 'name' && /\d/.test(c.text)) continue;
    if (prose && (c.text.match(/\p{L}{2,}/gu) ?? []).length < 3) continue;
    out.push(c);
  }
  return out;
}

// Words too common to say that a page speaks of a particular field.
const COMMON = new Set(['number', 'nummer', 'numero', 'date', 'datum', 'total', 'amount', 'betrag', 'montant', 'name', 'your', 'ihre', 'votre', 'from', 'type', 'with', 'des', 'les']);

/** The words that would show a page speaks of this field: of its name, labels and label wordings (4 letters or more, not common ones). */
function telltaleWords(spec: FieldSpec): string[] {
  const all = [spec.name, ...labelsOf(spec)].flatMap((text) => words(fold(text)));
  return [...new Set(all.filter((w) => w.length >= 4 && !COMMON.has(w)))];
}

/** Whether any line mentions the field, even in wording no label of it matched ("Ordered under ref …"). */
function mentioned(spec: FieldSpec, lines: PlacedLine[]): boolean {
  const telltale = telltaleWords(spec);
  return lines.some((l) => words(fold(l.text)).some((w) => telltale.some((t) => w.startsWith(t))));
}

function choose(spec: FieldSpec, { found: candidates, labelled }: { found: Candidate[]; labelled: boolean }, lines: PlacedLine[]): ExtractedField {
  // Nothing on the page speaks of an optional field that documents may lack: absent, pending
  // the check for unclaimed IDs (surelyAbsent). A label without a readable value, a mention in
  // words no label matched, a required field, or one documents always have, needs a person.
  if (!candidates.length) {
    const concept = conceptOf(spec);
    const absent = !spec.required && !labelled && !mentioned(spec, lines) && (spec.pattern !== undefined || concept?.mayBeAbsent === true);
    return { name: spec.name, value: null, confidence: absent ? SURELY_ABSENT : 0, evidence: absent ? 'absent' : labelled ? 'label without value' : 'none' };
  }
  const byValue = new Map<string, Candidate[]>();
  for (const c of candidates) byValue.set(key(c.value), [...(byValue.get(key(c.value)) ?? []), c]);
  // Candidates that agree support each other: a tie on the best score goes to the value more of them give.
  const support = (group: Candidate[]): number => group[0]!.score + (group.length > 1 ? 0.04 : 0);
  const ranked = [...byValue.values()].map((group) => group.sort((a, b) => b.score - a.score)).sort((a, b) => support(b) - support(a));
  const best = ranked[0]![0]!;
  let confidence = best.score;
  if (ranked[0]!.length > 1) confidence += 0.04;
  // Another value with comparable support: the document is ambiguous about this field.
  if (ranked.slice(1).some((group) => group[0]!.score >= 0.5 * best.score)) confidence *= 0.6;
  return {
    name: spec.name,
    value: best.value,
    confidence: round(Math.min(0.99, confidence)),
    evidence: best.evidence,
    source: { page: best.lines[0]!.page, box: union(best.lines.map((l) => l.box)), text: best.text },
  };
}

/** A token that could be an ID: letters with digits, digits with separators, or a long number. Not a date, an amount or a postcode. */
function idLike(token: string): boolean {
  const t = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (t.length < 5 || !/\d/.test(t)) return false;
  if (!(/\p{L}/u.test(t) || /\d[-/.#]\d|\d[-/.#]|[-/.#]\d/.test(t) || /\d{8,}/.test(t))) return false;
  // The whole token, not a piece of it: "12-3456" holds the amount 12 but is no amount.
  return parseDate(t) === undefined && parseAmount(t) === undefined;
}

/**
 * A field taken for absent stays so only when the page holds no ID that no other field
 * claimed: an unclaimed "P.O. 12-3456" under wording no label matched may be it.
 */
function confirmAbsence(fields: FieldSpec[], results: Map<string, ExtractedField>, lines: PlacedLine[]): void {
  // What a guess (a letterhead, a shape) read claims nothing: it may have taken the ID's line for something else.
  const claimed = [...results.values()].filter((f) => !/^(?:letterhead|shape)/.test(f.evidence ?? '')).flatMap((f) => [f.source?.text ?? '', typeof f.value === 'string' ? f.value : '']).join(' ');
  const bare = (token: string): string => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  // An ID printed with a space after its letters ("PO 659001") is one ID too.
  const spaced = (tokens: string[], i: number): boolean => /^\p{Lu}{1,4}[.:#]?$/u.test(tokens[i]!) && /^\d{4,}[.,;]?$/.test(tokens[i + 1] ?? '') && !claimed.includes(bare(tokens[i + 1]!));
  const unclaimed = lines.some((l) => l.text.split(/\s+/).some((token, i, tokens) => (idLike(token) && !claimed.includes(bare(token))) || spaced(tokens, i)));
  if (!unclaimed) return;
  for (const spec of fields) {
    const field = results.get(spec.name)!;
    // Patterned fields too: a schema's pattern may not fit this sender's IDs.
    if (field.evidence === 'absent') Object.assign(field, { confidence: 0.3, evidence: 'absent·unclaimed ids' });
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * One printed value read for two fields by labels the vocabulary lacks ("Référence" is akin to an invoice's number and
 * to an order's): the page does not say whose it is, so neither takes it — a person decides.
 */
function disputeAkinValues(fields: FieldSpec[], results: Map<string, ExtractedField>): void {
  const akinRead = fields.map((spec) => results.get(spec.name)!).filter((f) => f.value !== null && f.evidence?.startsWith('akin'));
  const disputed = akinRead.filter((field) => akinRead.some((other) => other !== field && key(other.value) === key(field.value) && other.source?.page === field.source?.page && JSON.stringify(other.source?.box) === JSON.stringify(field.source?.box)));
  for (const field of disputed) Object.assign(field, { value: null, confidence: 0, evidence: 'akin·disputed', source: undefined });
}

const LABELLED = /^(?:inline|right|below|column|akin)/;

/**
 * A date found only by its shape is not the date another field's label gave: with the invoice
 * date labelled and the due date's wording unknown, the due date is among the other dates.
 */
function setAsideLabelledDates(fields: FieldSpec[], found: Map<string, { found: Candidate[]; labelled: boolean }>, results: Map<string, ExtractedField>, lines: PlacedLine[]): void {
  const taken = new Set([...results.values()].filter((f) => f.value !== null && LABELLED.test(f.evidence ?? '')).map((f) => key(f.value)));
  for (const spec of fields) {
    const own = found.get(spec.name)!;
    if (spec.type !== 'date' || !own.found.some((c) => c.evidence.startsWith('shape'))) continue;
    const kept = own.found.filter((c) => !(c.evidence.startsWith('shape') && taken.has(key(c.value))));
    if (kept.length !== own.found.length) results.set(spec.name, choose(spec, { ...own, found: kept }, lines));
  }
}

// A label of unknown wording that ends in a number word ("Voucher no.", "Beleg-Nr.") or starts with one ("N° de pièce").
const NUMBER_LABEL = /^(?:\p{L}[\p{L}'’. ]{1,30}?[\s-](?:no|nr|number|nummer|numero|num|ref|#)|(?:n°|no|nr)\.?\s+(?:de\s+|du\s+)?\p{L}{3,20})\.?\s*[:#]?\s*(.*)$/u;

/**
 * A required number no label of it named: when the page holds exactly one ID under a number
 * label of unknown wording that no other field took, it is offered — at the confidence of a
 * value found by its shape, for a person to confirm.
 */
function offerNumberLabelled(fields: FieldSpec[], results: Map<string, ExtractedField>, lines: PlacedLine[], owners: Map<PlacedLine, Owner>): void {
  const open = fields.filter((spec) => spec.required && spec.pattern === undefined && labelKind(spec) === 'id' && results.get(spec.name)!.value === null);
  if (!open.length) return;
  const claimed = new Set([...results.values()].filter((f) => typeof f.value === 'string').map((f) => f.value as string));
  const offers: { value: string; line: PlacedLine }[] = [];
  for (const line of lines) {
    if (owners.has(line)) continue;
    const m = NUMBER_LABEL.exec(fold(flatten(line.text)));
    if (!m) continue;
    const rest = flatten(line.text).slice(flatten(line.text).length - m[1]!.length).trim();
    const holder = rest ? line : [lineRightOf(line, lines), lineBelow(line, lines)].find((l) => l && !owners.has(l) && idLike(flatten(l.text).split(' ')[0] ?? ''));
    if (!holder) continue;
    const token = (rest || flatten(holder.text)).split(' ')[0]!.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (idLike(token) && !claimed.has(token) && !offers.some((o) => o.value === token)) offers.push({ value: token, line: holder });
  }
  if (offers.length !== 1) return;
  const [offer] = offers as [{ value: string; line: PlacedLine }];
  const spec = open[0]!;
  if (open.length > 1) return;
  results.set(spec.name, { name: spec.name, value: offer.value, confidence: round(EVIDENCE.shape * readingFactor([offer.line])), evidence: 'number label', source: { page: offer.line.page, box: offer.line.box, text: offer.line.text } });
}

/**
 * A required number no label led to, mentioned in running text by its head noun: "a claim under my policy P/82/446118",
 * "zu meinem Vertrag HV33974822", "sur mon contrat P/67/663380". One such ID on the page that no other field took is
 * offered — at the confidence of a value found by its shape, for a person to confirm; two or more, and nothing is.
 */
function offerMentioned(fields: FieldSpec[], results: Map<string, ExtractedField>, lines: PlacedLine[]): void {
  const claimed = new Set([...results.values()].filter((f) => typeof f.value === 'string').map((f) => f.value as string));
  for (const spec of fields) {
    const heads = conceptOf(spec)?.heads;
    if (!spec.required || spec.pattern !== undefined || labelKind(spec) !== 'id' || results.get(spec.name)!.value !== null || !heads?.length) continue;
    const head = new RegExp(`(?<![\\p{L}])(?:${heads.map((h) => escapeRegExp(fold(h))).join('|')})(?![\\p{L}])`, 'u');
    const offers = new Map<string, PlacedLine>();
    for (const line of lines) {
      const tokens = line.text.split(/\s+/);
      tokens.forEach((token, i) => {
        if (!head.test(fold(token))) return;
        // The number follows its noun, one word between at most ("policy no. X", "mon contrat X").
        for (const next of tokens.slice(i + 1, i + 3)) {
          const bare = next.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
          if (idLike(bare)) {
            if (!claimed.has(bare)) offers.set(bare, line);
            return;
          }
        }
      });
    }
    if (offers.size !== 1) continue;
    const [[value, line]] = [...offers] as [[string, PlacedLine]];
    results.set(spec.name, { name: spec.name, value, confidence: round(EVIDENCE.shape * readingFactor([line])), evidence: 'mentioned', source: { page: line.page, box: line.box, text: line.text } });
  }
}

/** Rules that hold raise the confidence of their fields; rules that fail cap it below any threshold worth using. */
function applyRules(fields: FieldSpec[], rules: FieldRule[], results: Map<string, ExtractedField>): void {
  const values = Object.fromEntries([...results].map(([name, field]) => [name, field.value]));
  for (const rule of rules) {
    const names = 'sum' in rule ? [rule.sum, ...rule.of] : 'after' in rule ? [rule.after, rule.than] : rule.equal;
    const involved = names.map((n) => results.get(n));
    if (involved.some((f) => f === undefined || f.value === null)) continue;
    // Only the rule's own fields, by type: another field's problem (an enum, a pattern) is not this rule failing.
    const typesOnly = fields.filter((f) => names.includes(f.name)).map((f) => ({ name: f.name, type: f.type }));
    const holds = validateFields(typesOnly, [rule], values).length === 0;
    const boost = 'after' in rule ? 0.03 : 0.1;
    for (const field of involved as ExtractedField[]) field.confidence = round(holds ? Math.min(0.99, field.confidence + boost) : Math.min(field.confidence, 0.5));
  }
}

/**
 * Amounts that add up to one under them, with no tax beside that sum and no total under it that is the two together (by
 * the page's arithmetic or by the tax and total its labels give), may
 * be any list and its sum (a contract summary's sum and variations, a schedule's previous payments): such line items and
 * their subtotal prove nothing by agreeing with each other. For a person to confirm.
 */
function unconfirmedSums(fields: FieldSpec[], sums: InvoiceArithmetic, results: Map<string, ExtractedField>): void {
  const items = key(sums.items.map((a) => a.value));
  // A tax and a total read by their labels that make the sum's total confirm it as well.
  const read = (concept: string): number | undefined => {
    const spec = fields.find((f) => conceptOf(f)?.id === concept);
    const value = spec ? results.get(spec.name)?.value : undefined;
    return typeof value === 'number' ? value : undefined;
  };
  const tax = read('tax');
  const total = read('total');
  if (tax !== undefined && total !== undefined && Math.round((sums.subtotal.value + tax) * 100) === Math.round(total * 100)) return;
  for (const spec of fields) {
    const field = results.get(spec.name)!;
    const concept = conceptOf(spec)?.id;
    const fromSum = (concept === 'items' && key(field.value) === items) || (concept === 'subtotal' && typeof field.value === 'number' && Math.round(field.value * 100) === Math.round(sums.subtotal.value * 100));
    if (fromSum && field.evidence?.startsWith('sum') && field.confidence > 0.7) Object.assign(field, { confidence: 0.7, evidence: `${field.evidence ?? ''}·no total confirms` });
  }
}

/**
 * A currency field that found none of its currencies on a page whose amounts are in another one ("PLN 1 234,56", a
 * "Currency: NOK" label): the reviewer is told so in words, and the currency the page shows is given as the value for the
 * validator to refuse, rather than nothing, or a guess among the allowed ones. Several other currencies: each is named.
 */
function otherCurrency(fields: FieldSpec[], results: Map<string, ExtractedField>, lines: PlacedLine[], owners: Map<PlacedLine, Owner>): void {
  for (const spec of fields) {
    const field = results.get(spec.name)!;
    if (spec.type !== 'enum' || conceptOf(spec)?.id !== 'currency' || field.value !== null || !spec.values?.length) continue;
    const count = new Map<string, number>();
    for (const line of lines) {
      const labelled = owners.get(line)?.field === spec.name;
      for (const code of otherCurrenciesIn(labelled ? owners.get(line)!.rest : line.text, spec.values, labelled)) count.set(code, (count.get(code) ?? 0) + (labelled ? 2 : 1));
    }
    const seen = [...count].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1]);
    if (!seen.length) continue;
    const allowed = spec.values.join(', ');
    const one = seen.length === 1 || seen[0]![1] >= 3 * seen[1]![1] ? seen[0]![0] : undefined;
    const problem = one
      ? `the document's amounts are in ${one}, which is not one of the currencies this field allows (${allowed})`
      : `the document's amounts are in ${seen.map(([c]) => c).join(' and ')}, none of them one of the currencies this field allows (${allowed})`;
    Object.assign(field, { value: one ?? null, confidence: 0, evidence: 'a currency the field does not allow', problems: [...(field.problems ?? []), problem] });
  }
}

/** Extracts every requested field from a read document. */
/**
 * Typewriter and form conventions that stand between a label and its value, undone so one rule reads them all:
 * - dot leaders ("Invoice no ........ F893216K", OCR's stray ". " left of a value) are a gap, not text;
 * - comb fields print one character per box and come out letter-spaced ("M V - 6 2 9"): one token again;
 * - a scan reads a space into an amount after its decimal mark ("829, 44€").
 */
export function tidyLine(text: string, ocr: boolean): string {
  let out = text
    .replace(/(\p{L})[.…]{3,}(?=\s|$)/gu, '$1  ')
    .replace(/(^|\s)[.·…_]{3,}(?=\S)/gu, '$1  ')
    .replace(/(^|\s+)[.·…_]+(?=\s|$)/gu, '  ');
  // Three or more single characters a space apart (two when all digits): a comb field's boxes.
  out = out.replace(/(?<!\S)[\p{L}\p{N}\-/.](?: [\p{L}\p{N}\-/.]){1,}(?!\S)/gu, (run) => {
    const chars = run.split(' ');
    return chars.length >= 3 || chars.every((c) => /\d/.test(c)) ? chars.join('') : run;
  });
  if (ocr) out = out.replace(/(\d[.,]) (\d{2})(?=\s?[€$£¢]|\s{2}|\s*$)/gu, '$1$2');
  return out.replace(/\s{3,}/g, '  ').trim();
}

const DATE_GUIDE = /^(DD|TT|JJ|MM)\s+(DD|TT|JJ|MM)\s+(YYYY|JJJJ|AAAA|YY|JJ|AA)$/u;
const rowText = (row: PlacedLine[]): string => row.map((l) => l.text).join(' ').replace(/\s+/g, ' ').trim();
/**
 * A date in comb boxes ("04 03 2023", often one box group per line of text) over its guide ("DD MM YYYY") is read in
 * the guide's order, nothing assumed: the row becomes one line with the date in ISO form.
 */
function guidedDates(lines: PlacedLine[]): PlacedLine[] {
  const dropped = new Set<PlacedLine>();
  for (const line of lines) {
    if (dropped.has(line)) continue;
    const row = rowOf(line, lines).sort((a, b) => a.box.x - b.box.x);
    if (row[0] !== line) continue;
    const digits = /^(\d{1,2}) (\d{1,2}) (\d{4})$/.exec(rowText(row));
    if (!digits) continue;
    const h = line.box.height;
    const guideRow = lines.filter((l) => l.page === line.page && l.box.y > line.box.y + 0.5 * h && l.box.y - (line.box.y + h) < 2 * h && l.box.x < row[row.length - 1]!.box.x + row[row.length - 1]!.box.width && l.box.x + l.box.width > line.box.x - h);
    const order = DATE_GUIDE.exec(rowText(guideRow.sort((a, b) => a.box.x - b.box.x)));
    if (!order) continue;
    const dayFirst = order[1] !== 'MM';
    const [day, month] = dayFirst ? [digits[1]!, digits[2]!] : [digits[2]!, digits[1]!];
    const last = row[row.length - 1]!;
    line.text = `${digits[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    line.box = { ...line.box, width: last.box.x + last.box.width - line.box.x };
    for (const other of row.slice(1)) dropped.add(other);
  }
  return dropped.size ? lines.filter((l) => !dropped.has(l)) : lines;
}

const CELL_BAR = /\s+[|¦]\s+/u;
const LABELLED_CELL = /^[^:\d]{2,40}:\s*\S/u;
/**
 * A line of facts divided by bars ("Our invoice: FRT-443-8510 | Invoice dated: 11/15/23 | Settle by: 12/15/23") is a row
 * of cells, each label starting its own: split where at least two of the pieces are a label with its value. A lone bar a
 * scan reads off a box's edge ("Name of the insured * | …") divides no such row.
 */
function barCells(line: PlacedLine): PlacedLine[] {
  const pieces = line.text.split(CELL_BAR);
  if (pieces.length < 2 || pieces.filter((p) => LABELLED_CELL.test(p)).length < 2) return [line];
  const cells: PlacedLine[] = [];
  const perChar = line.box.width / Math.max(1, line.text.length);
  let from = 0;
  for (const piece of pieces) {
    const at = line.text.indexOf(piece, from);
    from = at + piece.length;
    if (!piece.trim()) continue;
    cells.push({ ...line, text: piece.trim(), box: { ...line.box, x: line.box.x + at * perChar, width: piece.length * perChar }, cell: true });
  }
  return cells;
}

/**
 * The cells left of `line` on its row that may be its label: the nearest, passing over cells that
 * hold no word (a rate, a quantity, another amount). A label further left, behind a cell of words,
 * labels something else: a sidebar's "Belegdatum" shares its row with a line item of the table.
 */
function rowLabel(line: PlacedLine, lines: PlacedLine[]): PlacedLine[] {
  const left = rowOf(line, lines).filter((l) => l !== line && l.box.x + l.box.width <= line.box.x + line.box.height).sort((a, b) => b.box.x - a.box.x);
  const label: PlacedLine[] = [];
  for (const cell of left) {
    label.push(cell);
    if (/\p{L}{3,}/u.test(cell.text.replace(/\b[A-Z]{3}\b|Kč|zł|Ft|kr|Fr\.?/gu, ''))) break;
  }
  return label;
}

/** The document's lines as the reader places them: tidied, numbered per page, rows of bar-divided facts split into cells. */
export function placedLines(document: DocumentText): PlacedLine[] {
  return guidedDates(document.pages.flatMap((page) => page.lines.flatMap((line, index) => barCells({ ...line, text: tidyLine(withoutItemNumber(line.text), page.method === 'ocr'), page: page.number, index, ocr: page.method === 'ocr' }))));
}

export function extractFields(fields: FieldSpec[], rules: FieldRule[] | undefined, document: DocumentText): ExtractedField[] {
  const lines = placedLines(document);
  const owners = labelOwners(fields, lines);
  const order = dayOrder(lines, owners);
  const options = { dayFirst: order.dayFirst, order };
  const otherLabel = (l: PlacedLine): boolean => owners.has(l) && conceptOf(fields.find((f) => f.name === owners.get(l)!.field)!)?.id !== 'items';
  const sums = fields.some((f) => ['items', 'subtotal', 'tax', 'total'].includes(conceptOf(f)?.id ?? '')) ? invoiceArithmetic(lines, (line) => otherLabel(line) || rowLabel(line, lines).some(otherLabel)) : undefined;
  const found = new Map(fields.map((spec) => [spec.name, candidatesFor(spec, document, lines, owners, options, sums)]));
  const results = new Map(fields.map((spec) => [spec.name, choose(spec, found.get(spec.name)!, lines)]));
  disputeAkinValues(fields, results);
  setAsideLabelledDates(fields, found, results, lines);
  offerNumberLabelled(fields, results, lines, owners);
  offerMentioned(fields, results, lines);
  confirmAbsence(fields, results, lines);
  otherCurrency(fields, results, lines, owners);
  applyRules(fields, rules ?? [], results);
  if (sums && !sums.total) unconfirmedSums(fields, sums, results);
  return fields.map((spec) => results.get(spec.name)!);
}

export class LocalProvider implements ExtractionProvider {
  readonly name = 'local';

  extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return Promise.resolve({ fields: extractFields(request.fields, request.rules, request.document) });
  }
}
