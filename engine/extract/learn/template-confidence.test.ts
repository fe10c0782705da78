// How sure a value read from a learned template is (issue #17): the learning run on validation
// documents showed template values accepted at 0.97 that were wrong — a date read in the wrong
// order, a name whose accents the scan dropped, a number taken with its label's "n°" or its
// leaders. Each is a class here, on small documents of our own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldSpec } from '../../format/schema.js';
import type { DocumentText, TextLine } from '../types.js';
import { learnTemplate, readWithTemplate } from './layout-template.js';

const line = (text: string, x: number, y: number, height = 10, confidence = 0.95): TextLine => ({ text, box: { x, y, width: text.length * 6, height }, confidence });
const doc = (lines: TextLine[], method: 'pdf-text' | 'ocr' = 'pdf-text'): DocumentText => ({ method, text: lines.map((l) => l.text).join('\n'), pages: [{ number: 1, width: 600, height: 800, text: '', lines, method }] });
const ACCEPT = 0.8;

const fields: FieldSpec[] = [
  { name: 'incidentDate', type: 'date', required: true },
  { name: 'claimant', type: 'string', required: true },
  { name: 'poNumber', type: 'string' },
];
const page = (date: string, name: string, po: string, method: 'pdf-text' | 'ocr' = 'pdf-text'): DocumentText =>
  doc([line('Loss report', 10, 10, 16), line('Date of loss', 10, 60), line(date, 200, 60), line('Insured', 10, 80), line(name, 200, 80), line(`Commande n° ........ ${po}`, 10, 100)], method);

describe('template confidence', { timeout: 20_000 }, () => {
  it('learns the order of days and months from a date only one order can read, and doubts a date nothing orders', () => {
    const template = learnTemplate(page('18/08/24', 'Katrin Vogt', 'PUR-8199-27'), fields, { incidentDate: '2024-08-18', claimant: 'Katrin Vogt', poNumber: 'PUR-8199-27' })!;
    const next = readWithTemplate(template, page('03/01/24', 'Nadia Haddad', 'PUR-0550-37'), fields, { generic: { incidentDate: '2024-03-01' } });
    assert.equal(next.find((f) => f.name === 'incidentDate')!.value, '2024-01-03');
    // Learned from an ISO date: the next slash date's order is unknown, whatever the generic reader guessed.
    const iso = learnTemplate(page('2024-08-18', 'Katrin Vogt', 'PUR-8199-27'), fields, { incidentDate: '2024-08-18', claimant: 'Katrin Vogt', poNumber: 'PUR-8199-27' })!;
    const unsure = readWithTemplate(iso, page('03/01/24', 'Nadia Haddad', 'PUR-0550-37'), fields, { generic: { incidentDate: '2024-03-01' } }).find((f) => f.name === 'incidentDate');
    assert.ok(!unsure || unsure.confidence < ACCEPT, `accepted ${JSON.stringify(unsure?.value)} at ${unsure?.confidence}`);
  });

  it('takes the number, not its label word or leaders, and no number without a digit', () => {
    const template = learnTemplate(page('18/08/24', 'Katrin Vogt', 'PUR-8199-27'), fields, { incidentDate: '2024-08-18', claimant: 'Katrin Vogt', poNumber: 'PUR-8199-27' })!;
    const next = readWithTemplate(template, page('03/01/24', 'Nadia Haddad', 'PUR-0550-37'), fields).find((f) => f.name === 'poNumber');
    assert.ok(!next || next.value === 'PUR-0550-37', `read ${JSON.stringify(next?.value)}`);
    const none = readWithTemplate(template, page('03/01/24', 'Nadia Haddad', 'n/a'), fields).find((f) => f.name === 'poNumber');
    assert.ok(!none || none.confidence < ACCEPT, `accepted ${JSON.stringify(none?.value)}`);
  });

  it('sends a name read from a scan to a person, as the generic reader does', () => {
    const template = learnTemplate(page('18/08/24', 'Katrin Vogt', 'PUR-8199-27', 'ocr'), fields, { incidentDate: '2024-08-18', claimant: 'Katrin Vogt', poNumber: 'PUR-8199-27' })!;
    const next = readWithTemplate(template, page('03/01/24', 'Ingrid Backer', 'PUR-0550-37', 'ocr'), fields).find((f) => f.name === 'claimant')!;
    assert.equal(next.value, 'Ingrid Backer');
    assert.ok(next.confidence < ACCEPT, `accepted at ${next.confidence}`);
  });
});
