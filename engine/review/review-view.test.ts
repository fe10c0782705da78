import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanLabel, plainProblem, reviewDetailView } from './review-view.js';

describe('the reviewer view of a task', () => {
  it('names fields in words', () => {
    assert.equal(humanLabel('invoiceNumber'), 'Invoice number');
    assert.equal(humanLabel('dueDate'), 'Due date');
    assert.equal(humanLabel('total_due'), 'Total due');
    assert.equal(humanLabel('IBAN'), 'IBAN');
    assert.equal(humanLabel('vendorIBAN'), 'Vendor IBAN');
    assert.equal(humanLabel('amount'), 'Amount');
  });

  it('says problems in plain words with field labels, the longest name first', () => {
    const labels = new Map([
      ['invoiceDate', 'Invoice date'],
      ['invoice', 'Invoice'],
      ['dueDate', 'Due date'],
    ]);
    assert.equal(plainProblem('dueDate (2023-02-07) must be after invoiceDate (2024-01-08)', labels), 'Due date (2023-02-07) must be after Invoice date (2024-01-08).');
    assert.equal(plainProblem('confidence 0.50 is below 0.8', labels), 'The reader is only 50% sure of this value; it needs to be 80% sure.');
    assert.equal(plainProblem('confidence 0.00 is below 0.8', labels), 'The reader could not find this value on the document (it needs to be 80% sure).');
    assert.equal(plainProblem('is required but has no value', labels), 'No value was found, and this field is required.');
    assert.equal(plainProblem('"INV-12" does not match the pattern /INV-\\d{6}/', labels), '"INV-12" does not have the expected form (INV-\\d{6}).');
  });

  it('turns boxes into fractions of their page, and keeps the file name only', () => {
    const view = reviewDetailView({
      values: { total: 12.5, note: 'x' },
      details: {
        kind: 'ai.extract',
        specs: [{ name: 'total', label: 'Amount due' }],
        fields: { total: { value: 12.5, confidence: 0.4, problems: ['confidence 0.40 is below 0.8'], source: { page: 2, box: { x: 100, y: 200, width: 50, height: 10 }, text: '$12.50' } } },
        problems: ['total: total (12.5) does not equal items (13)'],
        document: { file: '/home/someone/in/invoice.pdf', pages: 2, pageSizes: [{ width: 600, height: 800 }, { width: 500, height: 1000 }] },
      },
    });
    assert.deepEqual(view.document, { name: 'invoice.pdf', pages: 2 });
    assert.deepEqual(view.fields[0], { name: 'total', label: 'Amount due', value: 12.5, confidence: 0.4, problems: ['The reader is only 40% sure of this value; it needs to be 80% sure.'], source: { page: 2, box: { x: 0.2, y: 0.2, width: 0.1, height: 0.01 }, text: '$12.50' } });
    assert.deepEqual(view.fields[1], { name: 'note', label: 'Note', value: 'x', problems: [] });
    assert.deepEqual(view.problems, ['Amount due: Amount due (12.5) does not equal items (13).']);
  });

  it('shows a plain human.review task (no document) with labels and no problems', () => {
    const view = reviewDetailView({ values: { claimAmount: '120.00' }, details: {} });
    assert.deepEqual(view, { fields: [{ name: 'claimAmount', label: 'Claim amount', value: '120.00', problems: [] }], problems: [] });
  });
});
