// bench/extraction: the local extraction provider on a generated corpus of invoices and claim
// forms (half PDFs with text, half scanned-looking PNGs). Field-level accuracy of the required
// fields (target ≥ 95%), per-page reading latency by method (target < 2 s), and calibration:
// of the fields auto-accepted (confidence ≥ 0.8), the share that is right (target ≥ 99%).
//
//   npx tsc -p tsconfig.json && node dist/bench/extraction.js [--invoices 30] [--claims 10] [--seed 7] [--corpus DIR] [--quick]
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus, type GeneratedDocument } from '../assets/documents/generate.js';
import { CLAIM_FIELDS, CLAIM_RULES, INVOICE_FIELDS, INVOICE_RULES } from '../assets/documents/fields.js';
import { closeOcr } from '../engine/documents/ocr.js';
import { readDocument } from '../engine/documents/read-document.js';
import { LocalProvider } from '../engine/extract/local/local-provider.js';
import { percentile } from './stats.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const THRESHOLD = 0.8;

const invoices = Number(flag('--invoices') ?? (quick ? 6 : 30));
const claims = Number(flag('--claims') ?? (quick ? 4 : 10));
const seed = Number(flag('--seed') ?? 7);
const corpus = flag('--corpus') ?? mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-extraction-'));

let docs: GeneratedDocument[];
if (existsSync(corpus) && readdirSync(corpus).some((f) => f.endsWith('.json'))) {
  docs = readdirSync(corpus).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(path.join(corpus, f), 'utf8')) as GeneratedDocument);
  console.log(`using the corpus in ${corpus} (${docs.length} documents)`);
} else {
  console.log(`generating ${invoices} invoices and ${claims} claim forms (seed ${seed}) in ${corpus} …`);
  docs = await generateCorpus({ out: corpus, seed, invoices, claims });
}

function same(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && Math.abs(expected - actual) < 0.005;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => same(e, actual[i]));
  if (typeof expected === 'string') return typeof actual === 'string' && expected.replace(/\s+/g, ' ').trim() === actual.replace(/\s+/g, ' ').trim();
  return expected === actual;
}

interface Outcome {
  file: string;
  format: string;
  layout: string;
  field: string;
  required: boolean;
  correct: boolean;
  confidence: number;
  expected: unknown;
  got: unknown;
}

const load = { before: os.loadavg() };
const provider = new LocalProvider();
const pageMs: Record<'pdf-text' | 'ocr', number[]> = { 'pdf-text': [], ocr: [] };
const extractMs: number[] = [];
const outcomes: Outcome[] = [];
for (const doc of docs) {
  const started = performance.now();
  const text = await readDocument(path.join(corpus, doc.file));
  const readMs = performance.now() - started;
  for (const page of text.pages) pageMs[page.method].push(readMs / text.pages.length);
  const [fields, rules] = doc.kind === 'invoice' ? [INVOICE_FIELDS, INVOICE_RULES] : [CLAIM_FIELDS, CLAIM_RULES];
  const extractStarted = performance.now();
  const result = await provider.extract({ fields, rules, document: text }, AbortSignal.timeout(60_000));
  extractMs.push(performance.now() - extractStarted);
  for (const spec of fields) {
    const got = result.fields.find((f) => f.name === spec.name)!;
    const expected = doc.truth[spec.name];
    outcomes.push({ file: doc.file, format: doc.format, layout: doc.layout, field: spec.name, required: spec.required === true, correct: same(expected, got.value), confidence: got.confidence, expected, got: got.value });
  }
}
await closeOcr();
load.before = load.before.map((n) => Number(n.toFixed(2)));
const loadAfter = os.loadavg().map((n) => Number(n.toFixed(2)));

const share = (list: Outcome[], test: (o: Outcome) => boolean): number => (list.length ? Number((list.filter(test).length / list.length).toFixed(4)) : 0);
const summary = (list: Outcome[]) => {
  const accepted = list.filter((o) => o.confidence >= THRESHOLD);
  return {
    fields: list.length,
    accuracy: share(list, (o) => o.correct),
    autoAccepted: share(list, (o) => o.confidence >= THRESHOLD),
    correctWhenAccepted: share(accepted, (o) => o.correct),
    wrongButAccepted: accepted.filter((o) => !o.correct).length,
  };
};
const required = outcomes.filter((o) => o.required);
const latency = (samples: number[]) => (samples.length ? { pages: samples.length, p50Ms: Math.round(percentile(samples, 50)), p95Ms: Math.round(percentile(samples, 95)) } : { pages: 0 });
const result = {
  benchmark: 'bench/extraction',
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadAverageBefore: load.before, loadAverageAfter: loadAfter },
  corpus: { documents: docs.length, invoices: docs.filter((d) => d.kind === 'invoice').length, claims: docs.filter((d) => d.kind === 'claim').length, pdf: docs.filter((d) => d.format === 'pdf').length, png: docs.filter((d) => d.format === 'png').length, seed },
  threshold: THRESHOLD,
  requiredFields: { ...summary(required), pdf: summary(required.filter((o) => o.format === 'pdf')), png: summary(required.filter((o) => o.format === 'png')) },
  allFields: summary(outcomes),
  byField: Object.fromEntries([...new Set(outcomes.map((o) => o.field))].map((field) => [field, summary(outcomes.filter((o) => o.field === field))])),
  latencyPerPage: { pdfText: latency(pageMs['pdf-text']), ocr: latency(pageMs.ocr), extractP50Ms: Number(percentile(extractMs, 50).toFixed(2)) },
  targets: {
    requiredAccuracy: { target: 0.95, met: summary(required).accuracy >= 0.95 },
    pageLatencyP95Ms: { target: 2000, met: [...pageMs['pdf-text'], ...pageMs.ocr].every((ms) => ms < 2000) || percentile([...pageMs['pdf-text'], ...pageMs.ocr], 95) < 2000 },
    correctWhenAccepted: { target: 0.99, met: summary(outcomes).correctWhenAccepted >= 0.99 },
  },
  mistakes: outcomes.filter((o) => !o.correct).map(({ file, field, expected, got, confidence }) => ({ file, field, expected, got, confidence })),
};

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
console.log(`\nlocal provider on ${docs.length} documents (${result.corpus.pdf} PDF, ${result.corpus.png} PNG), threshold ${THRESHOLD}; load ${load.before.join(' ')} → ${loadAfter.join(' ')}`);
console.log('field            n    correct  auto-accepted  right when accepted');
for (const [field, s] of Object.entries(result.byField)) console.log(`${field.padEnd(15)} ${String(s.fields).padStart(3)}  ${pct(s.accuracy).padStart(7)}  ${pct(s.autoAccepted).padStart(13)}  ${pct(s.correctWhenAccepted).padStart(19)}`);
const r = result.requiredFields;
console.log(`required fields: ${pct(r.accuracy)} correct (PDF ${pct(r.pdf.accuracy)}, PNG ${pct(r.png.accuracy)}; target ≥ 95%: ${result.targets.requiredAccuracy.met ? 'MET' : 'MISSED'})`);
console.log(`all fields: ${pct(result.allFields.autoAccepted)} auto-accepted, of which ${pct(result.allFields.correctWhenAccepted)} right (target ≥ 99%: ${result.targets.correctWhenAccepted.met ? 'MET' : 'MISSED'}; ${result.allFields.wrongButAccepted} wrong but accepted)`);
console.log(`per page: PDF text p50 ${result.latencyPerPage.pdfText.p50Ms ?? '-'} ms p95 ${result.latencyPerPage.pdfText.p95Ms ?? '-'} ms; OCR p50 ${result.latencyPerPage.ocr.p50Ms ?? '-'} ms p95 ${result.latencyPerPage.ocr.p95Ms ?? '-'} ms (target < 2000 ms: ${result.targets.pageLatencyP95Ms.met ? 'MET' : 'MISSED'})`);
if (result.mistakes.length) console.log(`mistakes:\n${result.mistakes.map((m) => `  ${m.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)} (${m.confidence})`).join('\n')}`);
if (!quick && !flag('--corpus')) writeFileSync(path.join(root, 'bench', 'results', 'extraction.json'), `${JSON.stringify(result, null, 2)}\n`);
