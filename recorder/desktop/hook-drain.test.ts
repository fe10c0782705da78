import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { catchUpWithHook, type MarkPlaces } from './hook-drain.js';

const places: MarkPlaces = { at: { x: 300, y: 200 }, aside: { x: 301, y: 200 } };
const move = (hook: EventEmitter, point: { x: number; y: number }): boolean => hook.emit('mousemove', { ...point, type: 9, time: 0 });

describe('desktop recorder: catching up with the input hook at stop()', { timeout: 10_000 }, () => {
  it('makes the mark before it returns, so that input sent right after the call comes after it', () => {
    const hook = new EventEmitter();
    const order: string[] = [];
    void catchUpWithHook(hook, () => (order.push('mark'), places), () => order.push('stopped'), 1_000);
    order.push('returned');
    assert.deepEqual(order, ['mark', 'returned']);
    // Let the limit's timer go: the mark arrives.
    move(hook, places.aside);
    move(hook, places.at);
  });

  it('takes every event until the mark (aside, then back) arrives and stops the hook right then, whatever came before it', async () => {
    const hook = new EventEmitter();
    const seen: string[] = [];
    let stopped = false;
    hook.on('keydown', (key: string) => void (stopped || seen.push(key)));
    const caughtUp = catchUpWithHook(hook, () => places, () => void (stopped = true), 1_000);
    // Late events from before stop(): a motion at the place the pointer is (the user's last one) is not the mark.
    hook.emit('keydown', 'a');
    move(hook, places.at);
    hook.emit('keydown', 'b');
    move(hook, places.aside);
    hook.emit('keydown', 'c');
    assert.equal(stopped, false);
    move(hook, places.aside);
    move(hook, places.at);
    assert.equal(stopped, true, 'stopped as the mark arrived, before any later event');
    hook.emit('keydown', 'z');
    assert.equal(await caughtUp, true);
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(hook.listenerCount('mousemove'), 0);
  });

  it('stops after the limit when the mark never comes, and at once when it cannot be made', async () => {
    const hook = new EventEmitter();
    let stops = 0;
    const started = Date.now();
    assert.equal(await catchUpWithHook(hook, () => places, () => void stops++, 50), false);
    assert.ok(Date.now() - started >= 45);
    assert.equal(
      await catchUpWithHook(
        hook,
        () => {
          throw new Error('no display');
        },
        () => void stops++,
        5_000,
      ),
      false,
    );
    assert.equal(stops, 2);
  });
});
