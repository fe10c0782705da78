// Generates a corpus of invoices and claim forms, deterministic from a seed: each document as
// a PDF with a text layer or as a scanned-looking PNG (grey background, slight rotation, blur
// and noise), next to a JSON file with its ground truth. Rendered by headless Chromium.
//
//   node dist/assets/documents/generate.js OUT_DIR [--seed N] [--invoices N] [--claims N] [--set design|held-out|held-out-2|…] (the sets of split.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../engine/runner/browser-session.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { groundTruth, randomClaim, randomInvoice, seeded, type Random } from './data.js';
import { CLAIM_LAYOUTS, INVOICE_LAYOUTS, renderHtml, type Layout } from './layouts.js';
import { CORPUS_SETS, type CorpusSet, type VarietyLayout } from './split.js';
import { renderVariety, varietyClaim, varietyInvoice, varietyTruth } from './variety.js';

export interface GeneratedDocument {
  file: string;
  kind: 'invoice' | 'claim';
  layout: Layout | VarietyLayout;
  /** Variety corpus only: design or held-out (split.ts), and the label wording printed. */
  set?: CorpusSet;
  vocabulary?: string;
  format: 'pdf' | 'png';
  /** Field values an extraction must find. */
  truth: Record<string, unknown>;
}

export interface CorpusOptions {
  out: string;
  seed?: number;
  invoices?: number;
  claims?: number;
}

const PAGE = { width: 794, height: 1123 };
/** Scans at 1.5 × CSS pixels: about 144 dpi, a common office scanner setting. */
const SCAN_SCALE = 1.5;

// Turbulence thresholded to sparse dark specks: dust and toner grain without making the
// PNG incompressible.
const SPECKLE = '0.2 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 0.3';

// What a cheap office scan does to a page: grey paper, a slight skew, soft focus, grain.
function scanStyle(random: Random): string {
  const angle = ((random() * 2 - 1) * 2).toFixed(2);
  const seed = Math.floor(random() * 1000);
  const shift = Math.floor(random() * 12);
  return `<style>
body { background: #8f8f8c; width: ${PAGE.width}px; height: ${PAGE.height}px; overflow: hidden; }
.sheet { transform: translate(${shift}px, ${shift}px) rotate(${angle}deg) scale(0.97); filter: blur(0.45px) contrast(0.88) brightness(0.97); background: #f4f3ee !important; }
.grain { position: fixed; inset: 0; pointer-events: none; opacity: 0.5; mix-blend-mode: multiply; }
</style><svg class="grain" width="${PAGE.width}" height="${PAGE.height}"><filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="${seed}"/><feColorMatrix type="saturate" values="0"/><feComponentTransfer><feFuncR type="discrete" tableValues="${SPECKLE}"/><feFuncG type="discrete" tableValues="${SPECKLE}"/><feFuncB type="discrete" tableValues="${SPECKLE}"/></feComponentTransfer></filter><rect width="100%" height="100%" filter="url(#n)"/></svg>`;
}

async function render(browser: Browser, html: string, format: 'pdf' | 'png', random: Random): Promise<Buffer> {
  const context = await browser.newContext({ viewport: PAGE, deviceScaleFactor: format === 'png' ? SCAN_SCALE : 1 });
  try {
    const page = await context.newPage();
    await page.setContent(format === 'png' ? html.replace('</body>', `${scanStyle(random)}</body>`) : html);
    if (format === 'pdf') return await page.pdf({ format: 'A4', printBackground: true });
    return await page.screenshot({ type: 'png' });
  } finally {
    await context.close();
  }
}

// Layouts rotate and formats alternate so that every layout appears as PDF and as PNG.
const formatOf = (i: number, layouts: number): 'pdf' | 'png' => ((i % layouts) + Math.floor(i / layouts)) % 2 ? 'png' : 'pdf';

/** Writes the corpus into `out` and returns what it wrote, in order. */
export async function generateCorpus(options: CorpusOptions): Promise<GeneratedDocument[]> {
  const random = seeded(options.seed ?? 1);
  const plan: Planned[] = [];
  for (let i = 0; i < (options.invoices ?? 6); i++) {
    const layout = INVOICE_LAYOUTS[i % INVOICE_LAYOUTS.length]!;
    const doc = randomInvoice(random);
    plan.push({ html: renderHtml(doc, layout), document: doc, entry: { kind: 'invoice', layout, format: formatOf(i, INVOICE_LAYOUTS.length), truth: groundTruth(doc) }, name: `invoice-${String(i + 1).padStart(3, '0')}-${layout}` });
  }
  for (let i = 0; i < (options.claims ?? 2); i++) {
    const layout = CLAIM_LAYOUTS[i % CLAIM_LAYOUTS.length]!;
    const doc = randomClaim(random);
    plan.push({ html: renderHtml(doc, layout), document: doc, entry: { kind: 'claim', layout, format: formatOf(i, CLAIM_LAYOUTS.length), truth: groundTruth(doc) }, name: `claim-${String(i + 1).padStart(3, '0')}-${layout}` });
  }
  return write(options.out, plan, random);
}

interface Planned {
  html: string;
  document: unknown;
  entry: Omit<GeneratedDocument, 'file'>;
  name: string;
}

const BUNDLED_CURRENCY: Partial<Record<string, string>> = { classic: 'USD', modern: 'EUR', compact: 'USD' };

/**
 * The variety corpus of one set (split.ts): its layouts (the design set includes the bundled
 * ones), label wordings, ID formats, currencies and date styles; formats alternate PDF / PNG.
 */
export async function generateVarietyCorpus(options: CorpusOptions & { set: CorpusSet }): Promise<GeneratedDocument[]> {
  // Each set has its own stream, so growing one set never changes the other.
  // (design 1, held-out 2, held-out-N N + 1: the order of SPLIT's keys, which only grows at its end)
  const random = seeded((options.seed ?? 1) * 7919 + CORPUS_SETS.indexOf(options.set) + 1);
  const plan: Planned[] = [];
  const add = (kind: 'invoice' | 'claim', i: number): void => {
    const doc = kind === 'invoice' ? varietyInvoice(random, options.set) : varietyClaim(random, options.set);
    const format = i % 2 ? 'png' : 'pdf';
    const bundled = (kind === 'invoice' ? (INVOICE_LAYOUTS as readonly string[]) : (CLAIM_LAYOUTS as readonly string[])).includes(doc.style.layout);
    const layout = doc.style.layout;
    // A bundled layout prints its own English labels, formats and an order number always.
    const html = bundled ? renderHtml(doc.kind === 'invoice' ? { ...doc, poNumber: doc.po ?? doc.poNumber } : doc, layout as Layout) : renderVariety(doc);
    const truth = bundled
      ? doc.kind === 'invoice'
        ? { ...groundTruth({ ...doc, poNumber: doc.po ?? doc.poNumber }), currency: BUNDLED_CURRENCY[layout] }
        : groundTruth(doc)
      : varietyTruth(doc);
    const vocabulary = bundled ? 'en-bundled' : doc.style.vocabulary;
    plan.push({ html, document: doc, entry: { kind, layout, set: options.set, vocabulary, format, truth }, name: `${options.set}-${kind}-${String(i + 1).padStart(3, '0')}-${layout}-${vocabulary}` });
  };
  for (let i = 0; i < (options.invoices ?? 6); i++) add('invoice', i);
  for (let i = 0; i < (options.claims ?? 2); i++) add('claim', i);
  return write(options.out, plan, random);
}

async function write(out: string, plan: Planned[], random: Random): Promise<GeneratedDocument[]> {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
  const written: GeneratedDocument[] = [];
  try {
    for (const item of plan) {
      const file = `${item.name}.${item.entry.format}`;
      writeFileSync(path.join(out, file), await render(browser, item.html, item.entry.format, random));
      const entry: GeneratedDocument = { file, ...item.entry };
      writeFileSync(path.join(out, `${item.name}.json`), `${JSON.stringify({ ...entry, document: item.document }, null, 2)}\n`);
      written.push(entry);
    }
  } finally {
    await browser.close();
  }
  return written;
}

function numberFlag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got "${args[at + 1] ?? ''}"`);
  return value;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args[0];
  if (!out || out.startsWith('--')) {
    console.error(`usage: generate OUT_DIR [--seed N] [--invoices N] [--claims N] [--set ${CORPUS_SETS.join('|')}]`);
    process.exit(2);
  }
  const set = args.includes('--set') ? (args[args.indexOf('--set') + 1] as CorpusSet) : undefined;
  if (set !== undefined && !CORPUS_SETS.includes(set)) {
    console.error(`--set must be ${CORPUS_SETS.slice(0, -1).join(', ')} or ${CORPUS_SETS.at(-1)}, got "${set}"`);
    process.exit(2);
  }
  const options = { out, seed: numberFlag(args, '--seed'), invoices: numberFlag(args, '--invoices'), claims: numberFlag(args, '--claims') };
  const docs = set ? await generateVarietyCorpus({ ...options, set }) : await generateCorpus(options);
  console.log(`wrote ${docs.length} documents to ${out}`);
}
