import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AmbiguousLocatorError,
  AssertionFailedError,
  AutomationInvalidError,
  BrowserNotFoundError,
  BusinessError,
  CancelledError,
  deserializeError,
  formatIssue,
  LocatorNotFoundError,
  MissingInputError,
  MissingSecretError,
  RpaError,
  serializeError,
  StepError,
  TimeoutError,
  UsageError,
  type ValidationIssue,
} from './errors.js';

describe('formatIssue and AutomationInvalidError', () => {
  it('writes file: path: message, or file: message without a path', () => {
    assert.equal(formatIssue({ file: 'a.json', path: 'steps[3].target.candidates', message: 'expected at least one locator' }), 'a.json: steps[3].target.candidates: expected at least one locator');
    assert.equal(formatIssue({ file: 'a.json', path: '', message: 'file not found' }), 'a.json: file not found');
  });

  it('puts one issue per line in the message and keeps the issues', () => {
    const issues: ValidationIssue[] = [
      { file: 'a.json', path: 'format', message: 'expected 1, got 2' },
      { file: 'b.json', path: '', message: 'file not found' },
    ];
    const error = new AutomationInvalidError(issues);
    assert.equal(error.name, 'AutomationInvalidError');
    assert.equal(error.message, 'a.json: format: expected 1, got 2\nb.json: file not found');
    assert.deepEqual(error.issues, issues);
    assert.deepEqual(error.details, { issues });
  });
});

describe('serializeError', () => {
  it('keeps name, message and details of our errors', () => {
    assert.deepEqual(serializeError(new TimeoutError('click timed out after 5 ms', { timeoutMs: 5 })), {
      name: 'TimeoutError',
      message: 'click timed out after 5 ms',
      details: { timeoutMs: 5 },
    });
    const plain = serializeError(new UsageError('bad flag'));
    assert.deepEqual(plain, { name: 'UsageError', message: 'bad flag' });
    assert.ok(!('details' in plain));
  });

  it('turns a plain Error into a StepError, keeps other error names, and stringifies non-errors', () => {
    assert.deepEqual(serializeError(new Error('line one\ncall log')), { name: 'StepError', message: 'line one\ncall log' });
    assert.deepEqual(serializeError(new TypeError('x is not a function')), { name: 'TypeError', message: 'x is not a function' });
    assert.deepEqual(serializeError('just a string'), { name: 'StepError', message: 'just a string' });
    assert.deepEqual(serializeError(42), { name: 'StepError', message: '42' });
  });
});

describe('deserializeError', () => {
  const classes = [
    RpaError,
    UsageError,
    TimeoutError,
    CancelledError,
    LocatorNotFoundError,
    AmbiguousLocatorError,
    AssertionFailedError,
    MissingSecretError,
    MissingInputError,
    BrowserNotFoundError,
    BusinessError,
    StepError,
  ];

  for (const Ctor of classes) {
    it(`rebuilds ${Ctor.name} with its class, message and details`, () => {
      const original = new Ctor(`a ${Ctor.name}`, { n: 1 });
      const rebuilt = deserializeError(serializeError(original));
      assert.ok(rebuilt instanceof Ctor, `${rebuilt.constructor.name} is not a ${Ctor.name}`);
      assert.equal(rebuilt.name, Ctor.name);
      assert.equal(rebuilt.message, original.message);
      assert.deepEqual(rebuilt.details, { n: 1 });
      assert.deepEqual(serializeError(rebuilt), serializeError(original));
    });
  }

  it('rebuilds AutomationInvalidError with its issues', () => {
    const issues: ValidationIssue[] = [{ file: 'x.json', path: 'steps[0].kind', message: 'unknown step kind "browser.clik" (did you mean "browser.click"?)' }];
    const rebuilt = deserializeError(serializeError(new AutomationInvalidError(issues)));
    assert.ok(rebuilt instanceof AutomationInvalidError);
    assert.deepEqual(rebuilt.issues, issues);
    assert.equal(rebuilt.message, 'x.json: steps[0].kind: unknown step kind "browser.clik" (did you mean "browser.click"?)');
  });

  it('rebuilds an AutomationInvalidError without details as one without issues', () => {
    const rebuilt = deserializeError({ name: 'AutomationInvalidError', message: 'whatever' });
    assert.ok(rebuilt instanceof AutomationInvalidError);
    assert.deepEqual(rebuilt.issues, []);
  });

  it('keeps an unknown name on an RpaError', () => {
    const rebuilt = deserializeError({ name: 'TypeError', message: 'x is not a function' });
    assert.ok(rebuilt instanceof RpaError);
    assert.equal(rebuilt.name, 'TypeError');
    assert.equal(rebuilt.message, 'x is not a function');
    assert.deepEqual(serializeError(rebuilt), { name: 'TypeError', message: 'x is not a function' });
  });

  it(
    'keeps an unknown name that is also an Object.prototype member on an RpaError',
    () => {
      for (const name of ['constructor', 'toString']) {
        const rebuilt = deserializeError({ name, message: 'm' });
        assert.ok(rebuilt instanceof RpaError, name);
        assert.equal(rebuilt.name, name);
        assert.equal(rebuilt.message, 'm');
      }
    },
  );
});
