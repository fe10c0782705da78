import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MissingInputError, UsageError } from '../errors.js';
import type { LoadedAutomation } from '../format/load.js';
import { Automation, type InputDecl } from '../format/schema.js';
import { prepareInputs } from './inputs.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-inputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FILE = 'automations/claims.json';

function automation(inputs: InputDecl[] | undefined): LoadedAutomation {
  const doc = Automation.parse({ format: 1, id: 'unit.inputs', name: 'Inputs', version: '1.0.0', ...(inputs ? { inputs } : {}), steps: [{ kind: 'log', message: 'x' }] });
  return { doc, file: path.resolve(FILE), displayFile: FILE, dir: path.resolve('automations'), sha256: '', called: new Map() };
}

const one = (type: InputDecl['type'], raw: unknown): unknown => prepareInputs(automation([{ name: 'v', type }]), { v: raw })['v'];

function usageError(message: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof UsageError, `expected UsageError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  };
}

describe('prepareInputs: coercion', () => {
  it('turns text into numbers and refuses what is not one', () => {
    assert.equal(one('number', '42'), 42);
    assert.equal(one('number', ' 2.5 '), 2.5);
    assert.equal(one('number', 7), 7);
    assert.throws(() => one('number', 'abc'), usageError(`${FILE}: input "v" expects a number, got "abc"`));
    assert.throws(() => one('number', '   '), usageError(`${FILE}: input "v" expects a number, got "   "`));
    assert.throws(() => one('number', 'Infinity'), usageError(`${FILE}: input "v" expects a number, got "Infinity"`));
  });

  it(
    'refuses null for a number',
    () => {
      assert.throws(() => one('number', null), usageError(`${FILE}: input "v" expects a number, got null`));
    },
  );

  it('accepts true/yes/1 and false/no/0 for booleans', () => {
    for (const raw of [true, 'true', 'yes', '1']) assert.equal(one('boolean', raw), true, String(raw));
    for (const raw of [false, 'false', 'no', '0']) assert.equal(one('boolean', raw), false, String(raw));
    assert.throws(() => one('boolean', 'maybe'), usageError(`${FILE}: input "v" expects true or false, got "maybe"`));
    assert.throws(() => one('boolean', 1), usageError(`${FILE}: input "v" expects true or false, got 1`));
  });

  it('accepts a list, a JSON list or comma-separated values', () => {
    assert.deepEqual(one('list', ['a', 1]), ['a', 1]);
    assert.deepEqual(one('list', '["a", 1]'), ['a', 1]);
    assert.deepEqual(one('list', 'C-1, C-2 ,C-3'), ['C-1', 'C-2', 'C-3']);
    assert.deepEqual(one('list', ''), []);
    assert.throws(() => one('list', '[1, 2'), usageError(`${FILE}: input "v" expects a JSON list or comma-separated values, got "[1, 2"`));
    assert.throws(() => one('list', 5), usageError(`${FILE}: input "v" expects a list, got 5`));
  });

  it('turns a number into text for a string input', () => {
    assert.equal(one('string', 'as is'), 'as is');
    assert.equal(one('string', 12), '12');
  });

  it('resolves a file input to an absolute path that exists', () => {
    const file = path.join(dir, 'claims.csv');
    writeFileSync(file, 'claimNumber\n');
    assert.equal(one('file', path.relative(process.cwd(), file)), file);
    const missing = path.join(dir, 'missing.csv');
    assert.throws(() => one('file', missing), usageError(`${FILE}: input "v": file ${missing} does not exist`));
  });
});

describe('prepareInputs: names', () => {
  const decls: InputDecl[] = [
    { name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:4780' },
    { name: 'claimNumber', type: 'string', required: true },
    { name: 'count', type: 'number', required: true },
    { name: 'note', type: 'string' },
  ];

  it('applies defaults, coerces given values and leaves optional inputs unset', () => {
    const inputs = prepareInputs(automation(decls), { claimNumber: 'C-1', count: '3' });
    assert.deepEqual(inputs, { baseUrl: 'http://127.0.0.1:4780', claimNumber: 'C-1', count: 3 });
    assert.equal(prepareInputs(automation(decls), { baseUrl: 'http://other', claimNumber: 'C-1', count: 1 })['baseUrl'], 'http://other');
  });

  it('refuses an unknown input and lists the declared ones', () => {
    assert.throws(() => prepareInputs(automation(decls), { claimNo: 'C-1' }), usageError(`${FILE}: unknown input "claimNo"; it declares: baseUrl, claimNumber, count, note`));
    assert.throws(() => prepareInputs(automation(decls), { a: 1, b: 2 }), usageError(`${FILE}: unknown inputs "a", "b"; it declares: baseUrl, claimNumber, count, note`));
    assert.throws(() => prepareInputs(automation(undefined), { a: 1 }), usageError(`${FILE}: unknown input "a"; it declares: no inputs`));
  });

  it('names every missing required input and how to pass it', () => {
    assert.throws(
      () => prepareInputs(automation(decls), {}),
      (error: unknown) => {
        assert.ok(error instanceof MissingInputError);
        assert.equal(error.message, `${FILE}: missing required inputs "claimNumber", "count"; pass --input claimNumber=… --input count=…`);
        assert.deepEqual(error.details, { missing: ['claimNumber', 'count'] });
        return true;
      },
    );
    assert.throws(() => prepareInputs(automation(decls), { count: 1 }), {
      name: 'MissingInputError',
      message: `${FILE}: missing required input "claimNumber"; pass --input claimNumber=…`,
    });
  });

  it('accepts no inputs for an automation that declares none', () => {
    assert.deepEqual(prepareInputs(automation(undefined), {}), {});
  });
});
