import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { locateStep, planHealUpdates } from './heal-plan.js';

const target = (label: string): unknown => ({ candidates: [{ label }], fingerprint: { tag: 'input' } });
const healed = (from: string, label: string) => ({ from, to: { role: 'textbox', name: label, exact: true }, score: 0.9, fingerprint: { tag: 'input', label } });

const main = {
  steps: [
    { kind: 'browser.open' },
    { kind: 'flow.if', condition: { left: 1, op: 'equals', right: 1 }, then: [{ kind: 'log' }, { kind: 'browser.fill', target: target('A'), value: 'x' }], else: [{ kind: 'browser.fill', target: target('B'), value: 'y' }] },
    { kind: 'flow.forEach', items: [1, 2], as: 'i', steps: [{ kind: 'flow.try', steps: [{ kind: 'browser.fill', target: target('C'), value: 'z' }], catch: [{ kind: 'log' }] }] },
    { kind: 'flow.call', automation: 'sub/child.json' },
    { kind: 'browser.fill', target: { candidates: [{ label: '{{inputs.x}}' }] }, value: 'v' },
  ],
};
const pick = (value: unknown, ...keys: Array<string | number>): unknown => keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
const child = { steps: [{ kind: 'browser.click', target: target('D') }] };

describe('locateStep', () => {
  const read = (file: string): Record<string, unknown> => (file.endsWith('child.json') ? child : main);
  it('maps run step paths to the file and JSON path of the step', () => {
    assert.deepEqual(locateStep('/a/main.json', '2.then.2', read), { file: '/a/main.json', at: ['steps', 1, 'then', 1] });
    assert.deepEqual(locateStep('/a/main.json', '2.else.1', read), { file: '/a/main.json', at: ['steps', 1, 'else', 0] });
    assert.deepEqual(locateStep('/a/main.json', '3[2].1.try.1', read), { file: '/a/main.json', at: ['steps', 2, 'steps', 0, 'steps', 0] });
    assert.deepEqual(locateStep('/a/main.json', '4>1', read), { file: '/a/sub/child.json', at: ['steps', 0] });
  });
  it('rejects what is not a step path or not a call', () => {
    assert.throws(() => locateStep('/a/main.json', 'x', read), /not a step path/);
    assert.throws(() => locateStep('/a/main.json', '1>1', read), /expected a flow\.call/);
  });
});

describe('planHealUpdates', () => {
  it('puts the healed locator first in each file, keeps the old ones, refreshes the fingerprint, skips templated targets', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-heal-plan-'));
    const text = `${JSON.stringify(main, null, 2)}\n`;
    writeFileSync(path.join(dir, 'main.json'), text);
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'child.json'), JSON.stringify(child, null, 2));
    const { updates, skipped } = planHealUpdates(path.join(dir, 'main.json'), [
      { path: '2.then.2', healed: healed('label="A"', 'A2') },
      { path: '3[1].1.try.1', healed: healed('label="C"', 'C2') },
      { path: '3[2].1.try.1', healed: healed('label="C"', 'C3') },
      { path: '4>1', healed: healed('label="D"', 'D2') },
      { path: '5', healed: healed('label="x"', 'X') },
      { path: '2.else.1', healed: healed('label="not B"', 'B2') },
    ]);
    assert.deepEqual(updates.map((u) => [path.basename(u.file), u.changes.map((c) => c.stepPath)]), [['main.json', ['2.then.2', '3[1].1.try.1']], ['child.json', ['4>1']]]);
    const doc = JSON.parse(updates[0]!.text) as unknown;
    assert.deepEqual(pick(doc, 'steps', 1, 'then', 1, 'target'), { candidates: [{ role: 'textbox', name: 'A2', exact: true }, { label: 'A' }], fingerprint: { tag: 'input', label: 'A2' } });
    assert.equal(pick(doc, 'steps', 2, 'steps', 0, 'steps', 0, 'target', 'candidates', 0, 'name'), 'C2', 'a step healed in two iterations is updated once');
    assert.deepEqual(pick(doc, 'steps', 1, 'else'), main.steps[1]!.else, 'a step whose locators differ from the healed ones is left alone');
    assert.deepEqual(skipped.map((s) => s.stepPath), ['5', '2.else.1']);
    assert.match(skipped[0]!.reason, /templated/);
    assert.equal(updates[0]!.text.split('\n').slice(0, 3).join('\n'), text.split('\n').slice(0, 3).join('\n'), 'text outside the edited targets is unchanged');
  });
});
