// What a reviewer is shown of an open review task: each field under a name a person reads
// ("Due date", not "dueDate"), its problems one by one in plain words, and where on the
// document its value was read (page and box, as fractions of the page so any rendering size
// can draw it). Internal step paths stay out: they mean nothing to the person reviewing.
import path from 'node:path';
import type { ReviewTask } from './review-store.js';

export interface ReviewFieldView {
  name: string;
  label: string;
  value: unknown;
  /** 0..1, when a reader produced the value. */
  confidence?: number;
  /** Each problem in plain words, naming fields by their labels. */
  problems: string[];
  /** Where the value was read: page (1-based), and its box as fractions (0..1) of the page when known. */
  source?: { page: number; box?: { x: number; y: number; width: number; height: number }; text?: string };
}

export interface ReviewDocumentView {
  /** The file's name (not its path on this machine). */
  name: string;
  pages: number;
}

export interface ReviewDetailView {
  fields: ReviewFieldView[];
  /** Problems that concern no single field. */
  problems: string[];
  document?: ReviewDocumentView;
}

/** "invoiceNumber" → "Invoice number", "total_due" → "Total due", "IBAN" stays "IBAN". */
export function humanLabel(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word, i) => (/^[A-Z\d]+$/.test(word) && word.length > 1 ? word : i === 0 ? word.charAt(0).toUpperCase() + word.slice(1).toLowerCase() : word.toLowerCase()));
  return words.join(' ') || name;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/**
 * One problem as a person reads it: field names become their labels, the reader's confidence
 * becomes "N% sure", validator shorthand becomes a sentence.
 */
export function plainProblem(problem: string, labels: Map<string, string>): string {
  const confidence = /^confidence ([\d.]+) is below ([\d.]+)$/.exec(problem.trim());
  if (confidence) {
    const sure = Math.round(Number(confidence[1]) * 100);
    const needed = Math.round(Number(confidence[2]) * 100);
    return sure === 0 ? `The reader could not find this value on the document (it needs to be ${needed}% sure).` : `The reader is only ${sure}% sure of this value; it needs to be ${needed}% sure.`;
  }
  if (problem.trim() === 'is required but has no value') return 'No value was found, and this field is required.';
  let text = problem;
  // Longest names first, so "invoiceDate" is not half-replaced by a field named "invoice".
  for (const [name, label] of [...labels].sort((a, b) => b[0].length - a[0].length)) {
    text = text.replace(new RegExp(`(?<![\\w"])${escapeRegExp(name)}(?![\\w"])`, 'g'), label);
  }
  text = text.replace(/ does not match the pattern \/(.*)\/$/, ' does not have the expected form ($1)');
  return sentence(text);
}

interface StoredDetail {
  value?: unknown;
  confidence?: number;
  problems?: string[];
  source?: { page?: number; box?: { x: number; y: number; width: number; height: number }; text?: string; reviewer?: string };
}

interface StoredDocument {
  file?: string;
  pages?: number;
  pageSizes?: Array<{ width: number; height: number }>;
}

function fraction(value: number): number {
  return Math.min(1, Math.max(0, Math.round(value * 10_000) / 10_000));
}

function sourceView(source: StoredDetail['source'], document: StoredDocument | undefined): ReviewFieldView['source'] {
  if (!source || typeof source.page !== 'number') return undefined;
  const size = document?.pageSizes?.[source.page - 1];
  const box = source.box && size && size.width > 0 && size.height > 0 ? { x: fraction(source.box.x / size.width), y: fraction(source.box.y / size.height), width: fraction(source.box.width / size.width), height: fraction(source.box.height / size.height) } : undefined;
  return { page: source.page, ...(box ? { box } : {}), ...(typeof source.text === 'string' ? { text: source.text } : {}) };
}

/** The reviewer's view of a task's details (an ai.extract review, or a plain human.review). */
export function reviewDetailView(task: Pick<ReviewTask, 'values' | 'details'>): ReviewDetailView {
  const details = task.details ?? {};
  const specs = Array.isArray(details['specs']) ? (details['specs'] as Array<{ name: string; label?: string }>) : [];
  const labels = new Map<string, string>(Object.keys(task.values).map((name) => [name, humanLabel(name)]));
  for (const spec of specs) labels.set(spec.name, spec.label ?? humanLabel(spec.name));
  const stored = (details['fields'] ?? {}) as Record<string, StoredDetail>;
  const documentDetails = details['document'] as StoredDocument | undefined;
  const fields = Object.entries(task.values).map(([name, value]): ReviewFieldView => {
    const detail = stored[name];
    const source = sourceView(detail?.source, documentDetails);
    return {
      name,
      label: labels.get(name) ?? humanLabel(name),
      value,
      ...(typeof detail?.confidence === 'number' ? { confidence: detail.confidence } : {}),
      problems: (detail?.problems ?? []).map((p) => plainProblem(p, labels)),
      ...(source ? { source } : {}),
    };
  });
  const general = Array.isArray(details['problems']) ? (details['problems'] as unknown[]).filter((p): p is string => typeof p === 'string') : [];
  // A general problem is written "field: message"; say it with the field's label.
  const problems = general.map((p) => {
    const at = p.indexOf(': ');
    const field = at > 0 ? p.slice(0, at) : '';
    return labels.has(field) ? `${labels.get(field)}: ${plainProblem(p.slice(at + 2), labels)}` : plainProblem(p, labels);
  });
  const document = documentDetails?.file ? { name: path.basename(documentDetails.file), pages: documentDetails.pages ?? documentDetails.pageSizes?.length ?? 1 } : undefined;
  return { fields, problems, ...(document ? { document } : {}) };
}
