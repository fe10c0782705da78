import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffSteps } from './step-diff.js';

const describeStep = (step: Record<string, unknown>): string => [step['kind'], step['url'] ?? step['value'] ?? step['message']].filter((part) => typeof part === 'string').join(' ');
const open = { kind: 'browser.open', url: 'http://x/' };
const fill = { kind: 'browser.fill', target: { description: 'name', candidates: [{ css: '#name' }] }, value: 'Ann' };
const click = { kind: 'browser.click', target: { description: 'save', candidates: [{ role: 'button', name: 'Save' }] } };
const log = { kind: 'log', message: 'done' };

describe('diffSteps', { timeout: 10_000 }, () => {
  it('reports nothing for the same steps, whatever the key order', () => {
    const diff = diffSteps({ steps: [open, fill] }, { steps: [{ url: 'http://x/', kind: 'browser.open' }, fill] }, describeStep);
    assert.deepEqual(diff, { changes: [], unchanged: 2, document: [] });
  });

  it('names added and removed steps with their places', () => {
    const diff = diffSteps({ steps: [open, fill, click] }, { steps: [open, click, log] }, describeStep);
    assert.deepEqual(
      diff.changes.map((c) => [c.change, c.from, c.to, c.kind]),
      [
        ['removed', 2, undefined, 'browser.fill'],
        ['added', undefined, 3, 'log'],
      ],
    );
    assert.equal(diff.unchanged, 2);
  });

  it('an edited step is one change, with the fields that differ (a target field by field)', () => {
    const edited = { ...fill, value: 'Bob', target: { ...fill.target, candidates: [{ css: '#full-name' }] } };
    const diff = diffSteps({ steps: [open, fill, click] }, { steps: [open, edited, click] }, describeStep);
    assert.equal(diff.changes.length, 1);
    const change = diff.changes[0]!;
    assert.equal(change.change, 'changed');
    assert.equal(change.from, 2);
    assert.equal(change.to, 2);
    assert.deepEqual(
      change.fields?.map((f) => f.field),
      ['target.candidates', 'value'],
    );
    assert.deepEqual(change.fields?.find((f) => f.field === 'value'), { field: 'value', before: 'Ann', after: 'Bob' });
  });

  it('a step that changed place is moved, not removed and added', () => {
    const diff = diffSteps({ steps: [open, fill, click, log] }, { steps: [open, click, fill, log] }, describeStep);
    assert.equal(diff.changes.length, 1);
    assert.equal(diff.changes[0]!.change, 'moved');
    assert.equal(diff.unchanged, 3);
  });

  it('reports document fields outside the steps (name, inputs) and survives invalid documents', () => {
    const diff = diffSteps({ name: 'A', steps: [open] }, { name: 'B', inputs: [{ name: 'q' }], steps: 'oops' }, describeStep);
    assert.deepEqual(
      diff.document.map((f) => f.field),
      ['name', 'inputs'],
    );
    assert.deepEqual(
      diff.changes.map((c) => c.change),
      ['removed'],
    );
  });
});
