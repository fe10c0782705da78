import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldRule, FieldSpec } from '../format/schema.js';
import { normaliseValue, parseAmount, parseDate, validateFields } from './validate.js';

const field = (name: string, type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, type, ...extra });

describe('parseAmount', () => {
  it('reads amounts written with either decimal mark, currency and grouping', () => {
    assert.equal(parseAmount('1.234,50'), 1234.5);
    assert.equal(parseAmount('$1,234.50'), 1234.5);
    assert.equal(parseAmount('EUR 1 234.50'), 1234.5);
    assert.equal(parseAmount('1.234.567,8 €'), 1234567.8);
    assert.equal(parseAmount('12'), 12);
    assert.equal(parseAmount('0.5'), 0.5);
    assert.equal(parseAmount('1,234'), 1234);
    assert.equal(parseAmount('(12.00)'), -12);
    assert.equal(parseAmount('-$5.00'), -5);
  });

  it('refuses text that is not an amount', () => {
    for (const text of ['abc', '12a', '1,23,4.00', '', '$', 'INV-1234']) assert.equal(parseAmount(text), undefined, text);
  });
});

describe('parseDate', () => {
  it('reads common formats as YYYY-MM-DD', () => {
    assert.equal(parseDate('2024-03-05'), '2024-03-05');
    assert.equal(parseDate('2024/3/5'), '2024-03-05');
    assert.equal(parseDate('5 March 2024'), '2024-03-05');
    assert.equal(parseDate('March 5, 2024'), '2024-03-05');
    assert.equal(parseDate('Mar 5 2024'), '2024-03-05');
    assert.equal(parseDate('5-Mar-2024'), '2024-03-05');
    assert.equal(parseDate('05.03.2024'), '2024-03-05');
    assert.equal(parseDate('05-03-24'), '2024-03-05');
    assert.equal(parseDate('03/05/2024'), '2024-03-05', 'slashes: month first');
    assert.equal(parseDate('25/03/2024'), '2024-03-25', 'slashes, first number > 12: day first');
  });

  it('reads a written month in any order, apart by spaces, dashes, slashes or dots, with a two-digit year too', () => {
    assert.equal(parseDate('Oct-24-2024'), '2024-10-24');
    assert.equal(parseDate('24-Oct-24'), '2024-10-24');
    assert.equal(parseDate('2024-Oct-24'), '2024-10-24');
    assert.equal(parseDate('24/Okt./2024'), '2024-10-24');
    assert.equal(parseDate('Oct. 24, 24'), '2024-10-24');
    assert.equal(parseDate('24. Oktober 2024'), '2024-10-24');
    assert.equal(parseDate('Okt-99-2024'), undefined);
  });

  it('refuses impossible dates and non-dates', () => {
    for (const text of ['2024-02-30', '31.04.2024', 'Smarch 5, 2024', '2024', 'soon']) assert.equal(parseDate(text), undefined, text);
  });
});

describe('normaliseValue', () => {
  it('brings each type to its canonical form', () => {
    assert.deepEqual(normaliseValue(field('a', 'money'), '1.234,50'), { value: 1234.5, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'money'), 12.345), { value: 12.35, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'number'), '42'), { value: 42, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'date'), 'March 5, 2024'), { value: '2024-03-05', ok: true });
    assert.deepEqual(normaliseValue(field('a', 'boolean'), 'Yes'), { value: true, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'boolean'), 'no'), { value: false, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'enum', { values: ['Auto', 'Home'] }), ' home '), { value: 'Home', ok: true });
    assert.deepEqual(normaliseValue(field('a', 'list'), ['1,200.00', '30', 'x']), { value: [1200, 30, 'x'], ok: true });
    assert.deepEqual(normaliseValue(field('a', 'string'), '  two   words '), { value: 'two words', ok: true });
  });

  it('treats empty as null, and says when a value is not of the type', () => {
    assert.deepEqual(normaliseValue(field('a', 'money'), ''), { value: null, ok: true });
    assert.deepEqual(normaliseValue(field('a', 'money'), null), { value: null, ok: true });
    assert.equal(normaliseValue(field('a', 'money'), 'twelve').ok, false);
    assert.equal(normaliseValue(field('a', 'date'), '2024-13-01').ok, false);
    assert.equal(normaliseValue(field('a', 'boolean'), 'maybe').ok, false);
    assert.equal(normaliseValue(field('a', 'enum', { values: ['Auto'] }), 'Boat').ok, false);
  });
});

describe('validateFields', () => {
  const invoice: FieldSpec[] = [
    field('invoiceNumber', 'string', { required: true, pattern: 'INV-\\d{5}' }),
    field('invoiceDate', 'date', { required: true, notBefore: '2000-01-01' }),
    field('dueDate', 'date'),
    field('items', 'list'),
    field('subtotal', 'money'),
    field('tax', 'money', { min: 0 }),
    field('total', 'money', { required: true, max: 100000 }),
  ];
  const rules: FieldRule[] = [
    { sum: 'subtotal', of: ['items'] },
    { sum: 'total', of: ['subtotal', 'tax'] },
    { after: 'dueDate', than: 'invoiceDate' },
  ];
  const good = { invoiceNumber: 'INV-00042', invoiceDate: '2024-03-05', dueDate: '04/04/2024', items: ['100.00', '23.45'], subtotal: '123.45', tax: '12.35', total: '$135.80' };

  it('passes a consistent invoice', () => {
    assert.deepEqual(validateFields(invoice, rules, good), []);
  });

  it('catches a wrong total, naming both sides', () => {
    const problems = validateFields(invoice, rules, { ...good, total: '153.80' });
    assert.deepEqual(problems, [{ field: 'total', message: 'total (153.80) does not equal subtotal + tax (135.80)' }]);
  });

  it('sums list items and honours the tolerance', () => {
    assert.deepEqual(validateFields(invoice, rules, { ...good, subtotal: '123.46' }), []);
    assert.equal(validateFields(invoice, rules, { ...good, subtotal: '123.47', total: '135.82' })[0]?.field, 'subtotal');
    assert.deepEqual(validateFields(invoice, [{ sum: 'subtotal', of: ['items'], tolerance: 1 }], { ...good, subtotal: '124.00' }), []);
  });

  it('catches a due date before the invoice date, and honours orEqual', () => {
    assert.deepEqual(validateFields(invoice, rules, { ...good, dueDate: '2024-03-01' }), [
      { field: 'dueDate', message: 'dueDate (2024-03-01) must be after invoiceDate (2024-03-05)' },
    ]);
    assert.equal(validateFields(invoice, rules, { ...good, dueDate: '2024-03-05' }).length, 1);
    assert.deepEqual(validateFields(invoice, [{ after: 'dueDate', than: 'invoiceDate', orEqual: true }], { ...good, dueDate: '2024-03-05' }), []);
  });

  it('reports required, type, pattern, range and date bounds per field', () => {
    const problems = validateFields(invoice, [], { invoiceNumber: 'INV-42', invoiceDate: '1999-12-31', tax: '-1.00', total: 'lots', dueDate: 'someday' });
    assert.deepEqual(problems, [
      { field: 'invoiceNumber', message: '"INV-42" does not match the pattern /INV-\\d{5}/' },
      { field: 'invoiceDate', message: '1999-12-31 is before 2000-01-01' },
      { field: 'dueDate', message: 'expected a date, got "someday"' },
      { field: 'tax', message: '-1 is below the minimum 0' },
      { field: 'total', message: 'expected a money, got "lots"' },
    ]);
    assert.deepEqual(validateFields(invoice, [], {}).map((p) => p.field), ['invoiceNumber', 'invoiceDate', 'total']);
    assert.match(validateFields(invoice, [], {})[0]!.message, /required/);
  });

  it('checks enum values, allowed values of strings, notAfter and equal rules', () => {
    const fields = [field('kind', 'enum', { values: ['Auto', 'Home'] }), field('code', 'string', { values: ['A', 'B'] }), field('when', 'date', { notAfter: '2024-12-31' }), field('copy', 'string')];
    const problems = validateFields(fields, [{ equal: ['code', 'copy'] }], { kind: 'Boat', code: 'C', when: '2025-01-01', copy: 'D' });
    assert.deepEqual(problems.map((p) => p.field), ['kind', 'code', 'when', 'copy']);
    assert.match(problems[0]!.message, /one of Auto, Home/);
    assert.match(problems[3]!.message, /differs from code/);
  });

  it('uses the rule message when given, and names a rule field that is not declared', () => {
    assert.deepEqual(validateFields(invoice, [{ sum: 'total', of: ['subtotal', 'tax'], message: 'Totals do not add up' }], { ...good, total: '1.00' }), [{ field: 'total', message: 'Totals do not add up' }]);
    assert.deepEqual(validateFields(invoice, [{ sum: 'total', of: ['shipping'] }], good), [{ field: 'shipping', message: 'a rule names shipping, which is not a declared field' }]);
  });

  it('reports an invalid pattern instead of throwing', () => {
    assert.deepEqual(validateFields([field('a', 'string', { pattern: '(' })], [], { a: 'x' }), [{ field: 'a', message: 'has an invalid pattern /(/' }]);
  });
});
