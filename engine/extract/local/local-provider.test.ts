import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { CLAIM_FIELDS, CLAIM_RULES, INVOICE_FIELDS, INVOICE_RULES } from '../../../assets/documents/fields.js';
import { closeOcr } from '../../documents/ocr.js';
import { readDocument } from '../../documents/read-document.js';
import type { FieldSpec } from '../../format/schema.js';
import type { DocumentText, TextLine } from '../types.js';
import { validateFields } from '../validate.js';
import { extractFields, LocalProvider } from './local-provider.js';

const line = (text: string, x: number, y: number, confidence = 1, height = 10): TextLine => ({ text, box: { x, y, width: text.length * 6, height }, confidence });
const doc = (lines: TextLine[]): DocumentText => ({ method: 'pdf-text', text: lines.map((l) => l.text).join('\n'), pages: [{ number: 1, width: 600, height: 800, text: '', lines, method: 'pdf-text' }] });
const byName = (fields: ReturnType<typeof extractFields>) => Object.fromEntries(fields.map((f) => [f.name, f]));

describe('local provider rules', () => {
  const fields: FieldSpec[] = [
    { name: 'number', type: 'string', labels: ['Invoice No.'], pattern: 'INV-\\d+' },
    { name: 'date', type: 'date', labels: ['Date'] },
    { name: 'total', type: 'money', labels: ['Total'] },
    { name: 'kind', type: 'enum', values: ['Auto', 'Home'], labels: ['Type'] },
  ];

  it('takes the value right of a label, under it, or on its own line, with the source', () => {
    const result = byName(extractFields(fields, [], doc([line('Invoice No.:', 10, 10), line('INV-42', 100, 10), line('Date', 10, 40), line('5 March 2024', 10, 55), line('Total: $1,234.50', 10, 90), line('Type', 300, 10), line('Home', 300, 25)])));
    assert.equal(result['number']!.value, 'INV-42');
    assert.deepEqual(result['number']!.source, { page: 1, box: { x: 100, y: 10, width: 36, height: 10 }, text: 'INV-42' });
    assert.equal(result['date']!.value, '2024-03-05');
    assert.equal(result['total']!.value, 1234.5);
    assert.equal(result['total']!.source?.text, '$1,234.50');
    assert.equal(result['kind']!.value, 'Home');
    for (const f of Object.values(result)) assert.ok(f.confidence >= 0.8, `${f.name}: ${f.confidence}`);
  });

  it('is less sure of a value found only by its pattern, and unsure when values conflict', () => {
    const patternOnly = byName(extractFields(fields, [], doc([line('Ref INV-42', 10, 10)])));
    assert.equal(patternOnly['number']!.value, 'INV-42');
    assert.ok(patternOnly['number']!.confidence < 0.8 && patternOnly['number']!.confidence > 0.3);
    const conflicting = byName(extractFields(fields, [], doc([line('Total: $10.00', 10, 10), line('Total: $12.00', 10, 300)])));
    assert.ok(conflicting['total']!.confidence < 0.6, String(conflicting['total']!.confidence));
    assert.equal(byName(extractFields(fields, [], doc([line('nothing here', 10, 10)])))['total']!.value, null);
  });

  it('lowers confidence with poor OCR, and for values that fail their validators', () => {
    const clean = byName(extractFields(fields, [], doc([line('Total: $5.00', 10, 10)])))['total']!.confidence;
    const blurry = byName(extractFields(fields, [], doc([line('Total: $5.00', 10, 10, 0.6)])))['total']!.confidence;
    assert.ok(blurry < 0.8 && blurry < clean);
    const strict = byName(extractFields([{ name: 'total', type: 'money', labels: ['Total'], max: 1 }], [], doc([line('Total: $5.00', 10, 10)])));
    assert.ok(strict['total']!.confidence < 0.5);
  });

  it('raises fields that agree with the rules and caps those that do not', () => {
    const money: FieldSpec[] = [{ name: 'subtotal', type: 'money', labels: ['Subtotal'] }, { name: 'tax', type: 'money', labels: ['Tax'] }, { name: 'total', type: 'money', labels: ['Total'] }];
    const rules = [{ sum: 'total', of: ['subtotal', 'tax'] }];
    const agree = extractFields(money, rules, doc([line('Subtotal: 10.00', 10, 10, 0.85), line('Tax: 1.00', 10, 30, 0.85), line('Total: 11.00', 10, 50, 0.85)]));
    const disagree = extractFields(money, rules, doc([line('Subtotal: 10.00', 10, 10, 0.85), line('Tax: 1.00', 10, 30, 0.85), line('Total: 17.00', 10, 50, 0.85)]));
    for (const [i, field] of agree.entries()) assert.ok(field.confidence > disagree[i]!.confidence);
    for (const field of disagree) assert.ok(field.confidence <= 0.5);
  });

  it('reads a column of amounts under its header, stopping at the next label', () => {
    const list = byName(extractFields(INVOICE_FIELDS, INVOICE_RULES, doc([line('Amount', 300, 10), line('$1.00', 300, 30), line('$2.50', 300, 50), line('Subtotal', 200, 70), line('$3.50', 300, 70)])));
    assert.deepEqual(list['items']!.value, [1, 2.5]);
    assert.equal(list['subtotal']!.value, 3.5);
  });

  it('honours the abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(new LocalProvider().extract({ fields, document: doc([]) }, controller.signal));
  });
});

const SAMPLES = fileURLToPath(new URL('../../../../assets/documents/samples/', import.meta.url));

describe('local provider on the sample corpus', { concurrency: false }, () => {
  after(closeOcr);
  const samples = ['invoice-001-classic.pdf', 'invoice-002-modern.png', 'invoice-003-compact.pdf', 'invoice-004-classic.png', 'invoice-005-modern.pdf', 'invoice-006-compact.png', 'claim-001-boxed.pdf', 'claim-002-stacked.png'];

  for (const file of samples) {
    it(`extracts the required fields of ${file}`, async () => {
      const { truth } = JSON.parse(readFileSync(path.join(SAMPLES, file.replace(/\.\w+$/, '.json')), 'utf8')) as { truth: Record<string, unknown> };
      const [fields, rules] = file.startsWith('invoice') ? [INVOICE_FIELDS, INVOICE_RULES] : [CLAIM_FIELDS, CLAIM_RULES];
      const document = await readDocument(path.join(SAMPLES, file));
      const { fields: found } = await new LocalProvider().extract({ fields, rules, document }, AbortSignal.timeout(30_000));
      const values = Object.fromEntries(found.map((f) => [f.name, f.value]));
      for (const spec of fields.filter((f) => f.required)) assert.deepEqual(values[spec.name], truth[spec.name], `${spec.name} in ${file}`);
      // Auto-accepted fields (confidence ≥ 0.8) must be right, required or not.
      for (const field of found.filter((f) => f.confidence >= 0.8)) assert.deepEqual(field.value, truth[field.name], `${field.name} accepted at ${field.confidence}`);
      assert.deepEqual(validateFields(fields, rules, values).filter((p) => fields.find((f) => f.name === p.field)?.required), []);
    });
  }
});
