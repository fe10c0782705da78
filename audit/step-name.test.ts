import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepName, topIndexOfPath, withStepNames } from './step-name.js';

describe('stepName', { timeout: 10_000 }, () => {
  it('names a top-level step by its number and label, as the studio lists it', () => {
    assert.equal(stepName({ path: '2', label: 'Read the invoice total', topIndex: 2 }), 'step 2 (Read the invoice total)');
    assert.equal(stepName({ path: '2' }), 'step 2');
  });

  it('names a nested step by the top-level step it is in and its loop passes, never by its path', () => {
    assert.equal(stepName({ path: '5[3].2.try.1', label: 'click Save', topIndex: 5 }), 'step 5, pass 3 (click Save)');
    assert.equal(stepName({ path: '5[3].2[1].then.1', label: 'log: hi' }), 'step 5, pass 3.1 (log: hi)');
    assert.equal(stepName({ path: '3>2', label: 'open https://x/' }), 'step 3 (open https://x/)');
    assert.equal(stepName({ path: '5[3].2.try.1' }), 'a step inside step 5, pass 3');
    assert.equal(stepName({ path: '4.then.1' }), 'a step inside step 4');
  });

  it('says "a step" when nothing tells which, and never echoes a path it cannot read', () => {
    assert.equal(stepName({ path: 'steps[1]' }), 'a step');
    assert.equal(stepName({}), 'a step');
    assert.equal(stepName({ path: 'weird', label: 'Click Save' }), 'the step “Click Save”');
    assert.equal(topIndexOfPath('0'), undefined);
    assert.equal(topIndexOfPath('12[1].3'), 12);
  });

  it('renames the paths in an engine message, keeping the message', () => {
    assert.equal(withStepNames('step 5[3].2.try.1 (click Save) did not finish within 5 s'), 'step 5, pass 3 (click Save) did not finish within 5 s');
    assert.equal(withStepNames('run paused at step 4.then.2: waiting for review rev_1', (path) => (path === '4.then.2' ? { label: 'review: Check invoice' } : undefined)), 'run paused at step 4 (review: Check invoice): waiting for review rev_1');
    assert.equal(withStepNames('step 2 (read total): locator not visible'), 'step 2 (read total): locator not visible');
    assert.equal(withStepNames('Saved 3 invoices in step 2 of 4'), 'Saved 3 invoices in step 2 of 4');
  });
});
