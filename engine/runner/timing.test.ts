import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CancelledError, TimeoutError } from '../errors.js';
import { abortableSleep, StepClock, withDeadline, withStepDeadline } from './timing.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const abortListeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('withDeadline', () => {
  it('resolves with the work and removes its abort listener', async () => {
    const controller = new AbortController();
    assert.equal(await withDeadline(delay(5, 'done'), 1000, controller.signal, 'step'), 'done');
    assert.equal(abortListeners(controller.signal), 0);
  });

  it('rejects with a TimeoutError on the deadline', async () => {
    const controller = new AbortController();
    await assert.rejects(withDeadline(never(), 20, controller.signal, 'click "Save"'), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.message, 'click "Save" timed out after 20 ms');
      assert.deepEqual(error.details, { timeoutMs: 20 });
      return true;
    });
    assert.equal(abortListeners(controller.signal), 0);
  });

  it('rejects with a CancelledError when aborted while waiting', async () => {
    const controller = new AbortController();
    const pending = withDeadline(never(), 5000, controller.signal, 'step');
    setTimeout(() => controller.abort(), 5);
    const started = Date.now();
    await assert.rejects(pending, (error: unknown) => error instanceof CancelledError && error.message === 'run cancelled');
    assert.ok(Date.now() - started < 2000, 'cancellation should not wait for the deadline');
  });

  it('rejects at once when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(withDeadline(Promise.resolve(1), 1000, controller.signal, 'step'), CancelledError);
  });

  it('passes the error of the work on, wrapping non-errors', async () => {
    const signal = new AbortController().signal;
    const failure = new RangeError('boom');
    await assert.rejects(withDeadline(Promise.reject(failure), 1000, signal, 'step'), (error: unknown) => error === failure);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the non-Error case is what is tested
    await assert.rejects(withDeadline(Promise.reject('text'), 1000, signal, 'step'), (error: unknown) => error instanceof Error && error.message === 'text');
    assert.equal(abortListeners(signal), 0);
  });
});

describe('abortableSleep', () => {
  it('resolves after the delay and removes its abort listener', async () => {
    const controller = new AbortController();
    const started = performance.now();
    await abortableSleep(30, controller.signal);
    assert.ok(performance.now() - started >= 25);
    assert.equal(abortListeners(controller.signal), 0);
  });

  it('rejects with a CancelledError when aborted', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(5000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, (error: unknown) => error instanceof CancelledError && error.message === 'run cancelled');
  });

  it('rejects at once when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(abortableSleep(5000, controller.signal), CancelledError);
  });
});

describe('StepClock and withStepDeadline', () => {
  it('keeps the budget while stopped: what was left before is left after', async () => {
    const clock = new StepClock(200);
    await clock.excluding(() => delay(300));
    const left = clock.remainingMs();
    assert.ok(left > 150 && left <= 200, `left ${left} ms`);
  });

  it('does not time out work while the clock stands still, and does once it runs again', async () => {
    const controller = new AbortController();
    const clock = new StepClock(50);
    const started = Date.now();
    // The "launch" takes 300 ms; the step's 50 ms (+ 20 ms grace) count only outside it.
    const work = clock.excluding(() => delay(300, 'launched')).then(() => delay(20, 'done'));
    assert.equal(await withStepDeadline(work, clock, 20, controller.signal, 'step 1'), 'done');
    const stuck = clock.excluding(() => delay(200)).then(() => new Promise(() => undefined));
    await assert.rejects(withStepDeadline(stuck, clock, 20, controller.signal, 'step 1'), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.message, 'step 1 timed out after 70 ms');
      return true;
    });
    assert.ok(Date.now() - started >= 500, 'neither stop counted against the budget');
    assert.equal(abortListeners(controller.signal), 0);
  });

  it('rejects with a CancelledError when aborted while the clock stands still', async () => {
    const controller = new AbortController();
    const clock = new StepClock(50);
    const pending = withStepDeadline(clock.excluding(() => never()), clock, 0, controller.signal, 'step');
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, CancelledError);
    assert.equal(abortListeners(controller.signal), 0);
  });
});
