import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findText } from './find-text.js';
import type { OcrWord } from './ocr.js';

const word = (text: string, x: number, line: number, confidence = 0.9): OcrWord => ({ text, confidence, line, box: { x, y: line * 30, width: text.length * 10, height: 20 } });
const words = [word('Claimant', 0, 0), word('name', 90, 0), word('Saved', 0, 1), word('record', 60, 1), word('1', 130, 1), word('Save', 200, 2, 0.95), word('Urgent', 0, 3, 0.3)];

describe('findText', () => {
  it('finds a phrase of consecutive words on one line and returns its box', () => {
    const { match } = findText(words, { text: 'claimant NAME' });
    assert.deepEqual(match?.rect, { x: 0, y: 0, width: 130, height: 20 });
  });
  it('exact matches whole words only, case-sensitively', () => {
    assert.equal(findText(words, { text: 'Save', exact: true }).match?.rect.x, 200);
    assert.equal(findText(words, { text: 'save', exact: true }).match, undefined);
  });
  it('ignores words below the confidence floor and reports the closest text', () => {
    const search = findText(words, { text: 'Urgent' });
    assert.equal(search.match, undefined);
    assert.deepEqual(search.closest, { text: 'Urgent', similarity: 1, confidence: 0.3 });
    assert.equal(findText(words, { text: 'Urgent', confidence: 0.2 }).match?.text, 'Urgent');
    assert.equal(findText(words, { text: 'Sumbit' }).closest?.text.length !== undefined, true);
  });
});
