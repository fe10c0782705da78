import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Step } from '../format/schema.js';
import { describeStep } from './describe-step.js';

const label = (step: unknown): string => describeStep(Step.parse(step));
const target = (candidates: unknown[], description?: string) => ({ candidates, ...(description ? { description } : {}) });

describe('describeStep', () => {
  it('prefers the name of the step', () => {
    assert.equal(label({ kind: 'browser.click', name: 'Save the claim', target: target([{ css: 'button' }]) }), 'Save the claim');
  });

  it('describes a target by its description, else by its first candidate', () => {
    assert.equal(label({ kind: 'browser.click', target: target([{ css: 'button' }], 'Save button') }), 'click Save button');
    assert.equal(label({ kind: 'browser.fill', target: target([{ role: 'textbox', name: 'Claim' }, { css: 'input' }]), value: 'x' }), 'fill role=textbox[name="Claim"]');
    assert.equal(label({ kind: 'browser.extract', target: target([{ label: 'Status:' }]), what: 'text', into: 's' }), 'extract label="Status:"');
    assert.equal(label({ kind: 'browser.waitFor', target: target([{ text: 'Done' }]) }), 'wait for text="Done"');
  });

  it('shortens long text to 60 characters and flattens whitespace', () => {
    const url = `http://example.test/${'a'.repeat(80)}`;
    const text = label({ kind: 'browser.goto', url });
    assert.equal(text, `go to ${url.slice(0, 59)}…`);
    assert.equal(label({ kind: 'log', message: 'two\n  lines' }), 'log: two lines');
  });

  it('labels the other kinds', () => {
    const cases: Array<[unknown, string]> = [
      [{ kind: 'browser.open' }, 'open browser'],
      [{ kind: 'browser.open', url: 'http://x' }, 'open http://x'],
      [{ kind: 'browser.press', key: 'Enter' }, 'press Enter'],
      [{ kind: 'browser.waitFor', urlContains: '/done' }, 'wait for /done'],
      [{ kind: 'browser.assert', assert: 'textEquals', expected: 'OPEN' }, 'assert textEquals "OPEN"'],
      [{ kind: 'browser.assert', assert: 'urlContains' }, 'assert urlContains'],
      [{ kind: 'browser.dialog', action: 'dismiss' }, 'dismiss next dialog'],
      [{ kind: 'browser.switchTab', urlContains: '/print' }, 'switch tab to /print'],
      [{ kind: 'browser.switchTab', index: 0 }, 'switch tab'],
      [{ kind: 'flow.set', var: 'total', value: 1 }, 'set total'],
      [{ kind: 'flow.if', condition: { left: 1, op: 'isEmpty' }, then: [] }, 'if'],
      [{ kind: 'flow.forEach', items: [], as: 'row', steps: [] }, 'for each row'],
      [{ kind: 'flow.try', steps: [] }, 'try'],
      [{ kind: 'flow.call', automation: 'login.json' }, 'call login.json'],
      [{ kind: 'flow.fail', message: 'bad claim' }, 'fail: bad claim'],
      [{ kind: 'file.writeCsv', file: 'out.csv', rows: [] }, 'write out.csv'],
    ];
    for (const [step, expected] of cases) assert.equal(label(step), expected);
  });
});
