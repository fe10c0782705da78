// The local extraction provider (the default): rule-based, no network. Driven by the hints in
// each FieldSpec — labels printed next to or above the value, a pattern, the field's type, an
// enum's values — over the lines and boxes of a read document. Each field's confidence says how
// much evidence backs it: a label with a parseable, valid value, read cleanly, agreeing with the
// cross-field rules → high; a value found only by its shape somewhere → low; conflicting
// candidates → lower still. Calibrated on the generated corpus (bench/extraction).
import type { FieldRule, FieldSpec } from '../../format/schema.js';
import type { DocumentText, ExtractedField, ExtractionProvider, ExtractionRequest, ExtractionResult } from '../types.js';
import { validateFields } from '../validate.js';
import { columnBelow, lineBelow, lineRightOf, paragraphFrom, rowOf, type PlacedLine } from './geometry.js';
import { findValue, safeRegex } from './values.js';
import { union } from '../../documents/layout.js';

/** Starting confidence by how a value was found. */
const EVIDENCE = { inline: 0.9, right: 0.9, below: 0.86, column: 0.86, pattern: 0.6, shape: 0.35 } as const;
type Evidence = keyof typeof EVIDENCE;

interface Candidate {
  value: unknown;
  score: number;
  /** The lines holding the value (the source). */
  lines: PlacedLine[];
  text: string;
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').replace(/^[^\p{L}\p{N}]+/u, '').toLowerCase();
const labelKey = (label: string): string => normalise(label).replace(/[\s:]+$/, '');

/** The text after `label` when the line starts with it (at a word boundary), else undefined. */
function afterLabel(line: PlacedLine, label: string): string | undefined {
  const text = normalise(line.text);
  const key = labelKey(label);
  if (!key || !text.startsWith(key)) return undefined;
  // "PO" labels "PO: 1" but not "PO-22657" or "POLICY".
  const next = text.charAt(key.length);
  if (next && /[\p{L}\p{N}_\-/]/u.test(next) && /[\p{L}\p{N}]$/u.test(key)) return undefined;
  return line.text.replace(/\s+/g, ' ').replace(/^[^\p{L}\p{N}]+/u, '').slice(key.length);
}

/** For each line, the field whose longest label it starts with. */
function labelOwners(fields: FieldSpec[], lines: PlacedLine[]): Map<PlacedLine, { field: string; label: string; rest: string }> {
  const owners = new Map<PlacedLine, { field: string; label: string; rest: string }>();
  for (const line of lines) {
    let best: { field: string; label: string; rest: string } | undefined;
    for (const spec of fields) {
      for (const label of spec.labels ?? []) {
        const rest = afterLabel(line, label);
        if (rest !== undefined && (!best || labelKey(label).length > labelKey(best.label).length)) best = { field: spec.name, label, rest };
      }
    }
    if (best) owners.set(line, best);
  }
  return owners;
}

/** 1 for clean text (PDF, confident OCR), falling to 0.5 as OCR confidence drops to 0.5. */
const readingFactor = (lines: PlacedLine[]): number => {
  const c = Math.min(...lines.map((l) => l.confidence));
  return c >= 0.9 ? 1 : 0.5 + 0.5 * Math.max(0, Math.min(1, (c - 0.5) / 0.4));
};

/** `label`: the label line the value was found by, whose reading counts too. */
function candidate(spec: FieldSpec, evidence: Evidence, lines: PlacedLine[], text: string, label?: PlacedLine): Candidate | undefined {
  const found = findValue(spec, text);
  if (!found) return undefined;
  let score = EVIDENCE[evidence] * readingFactor(label ? [label, ...lines] : lines);
  if (validateFields([spec], [], { [spec.name]: found.value }).length) score *= 0.4;
  else if (spec.pattern !== undefined && evidence !== 'pattern') score += 0.05;
  return { value: found.value, score, lines, text: found.text };
}

function listCandidate(spec: FieldSpec, header: PlacedLine, lines: PlacedLine[], owners: Map<PlacedLine, { field: string }>): Candidate | undefined {
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
  return { value, score: EVIDENCE.column * readingFactor([header, ...items]), lines: items, text: items.map((l) => l.text).join(' | ') };
}

function candidatesFor(spec: FieldSpec, lines: PlacedLine[], owners: Map<PlacedLine, { field: string; label: string; rest: string }>): Candidate[] {
  const found: Candidate[] = [];
  const add = (c: Candidate | undefined): void => void (c && found.push(c));
  for (const [line, owner] of owners) {
    if (owner.field !== spec.name) continue;
    if (spec.type === 'list') {
      add(listCandidate(spec, line, lines, owners));
      continue;
    }
    // The value on the label's own line ("Invoice #: INV-1"), else beside or under it.
    const inline = owner.rest.replace(/^[\s:#.\-–|]+/, '');
    const onLine = inline ? candidate(spec, 'inline', [line], inline) : undefined;
    if (onLine) {
      add(onLine);
      continue;
    }
    const beside = lineRightOf(line, lines);
    if (beside && !owners.has(beside)) add(candidate(spec, 'right', [beside], beside.text, line));
    const below = lineBelow(line, lines);
    if (below && !owners.has(below)) {
      const block = spec.type === 'string' && !spec.pattern ? paragraphFrom(below, lines).filter((l) => !owners.has(l)) : [below];
      add(candidate(spec, 'below', block, block.map((l) => l.text).join(' '), line));
    }
  }
  if (found.length) return found;
  // No label led to a value: look for the value's shape anywhere.
  const pattern = spec.pattern !== undefined ? safeRegex(spec.pattern, 'gu') : undefined;
  for (const line of lines) {
    if (pattern) for (const m of line.text.matchAll(pattern)) add(candidate(spec, 'pattern', [line], m[0]));
    else if (spec.type === 'money' || spec.type === 'date' || spec.type === 'enum') add(candidate(spec, 'shape', [line], line.text));
  }
  return found;
}

const key = (value: unknown): string => JSON.stringify(value);

function choose(spec: FieldSpec, candidates: Candidate[]): ExtractedField {
  if (!candidates.length) return { name: spec.name, value: null, confidence: 0 };
  const byValue = new Map<string, Candidate[]>();
  for (const c of candidates) byValue.set(key(c.value), [...(byValue.get(key(c.value)) ?? []), c]);
  const ranked = [...byValue.values()].map((group) => group.sort((a, b) => b.score - a.score)).sort((a, b) => b[0]!.score - a[0]!.score);
  const best = ranked[0]![0]!;
  let confidence = best.score;
  if (ranked[0]!.length > 1) confidence += 0.04;
  // Another value with comparable support: the document is ambiguous about this field.
  if (ranked.slice(1).some((group) => group[0]!.score >= 0.5 * best.score)) confidence *= 0.6;
  return {
    name: spec.name,
    value: best.value,
    confidence: round(Math.min(0.99, confidence)),
    source: { page: best.lines[0]!.page, box: union(best.lines.map((l) => l.box)), text: best.text },
  };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Rules that hold raise the confidence of their fields; rules that fail cap it below any threshold worth using. */
function applyRules(fields: FieldSpec[], rules: FieldRule[], results: Map<string, ExtractedField>): void {
  const values = Object.fromEntries([...results].map(([name, field]) => [name, field.value]));
  const typesOnly = fields.map((f) => ({ name: f.name, type: f.type }));
  for (const rule of rules) {
    const names = 'sum' in rule ? [rule.sum, ...rule.of] : 'after' in rule ? [rule.after, rule.than] : rule.equal;
    const involved = names.map((n) => results.get(n));
    if (involved.some((f) => f === undefined || f.value === null)) continue;
    const holds = validateFields(typesOnly, [rule], values).length === 0;
    const boost = 'after' in rule ? 0.03 : 0.1;
    for (const field of involved as ExtractedField[]) field.confidence = round(holds ? Math.min(0.99, field.confidence + boost) : Math.min(field.confidence, 0.5));
  }
}

/** Extracts every requested field from a read document. */
export function extractFields(fields: FieldSpec[], rules: FieldRule[] | undefined, document: DocumentText): ExtractedField[] {
  const lines: PlacedLine[] = document.pages.flatMap((page) => page.lines.map((line, index) => ({ ...line, page: page.number, index })));
  const owners = labelOwners(fields, lines);
  const results = new Map(fields.map((spec) => [spec.name, choose(spec, candidatesFor(spec, lines, owners))]));
  applyRules(fields, rules ?? [], results);
  return fields.map((spec) => results.get(spec.name)!);
}

export class LocalProvider implements ExtractionProvider {
  readonly name = 'local';

  extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return Promise.resolve({ fields: extractFields(request.fields, request.rules, request.document) });
  }
}
