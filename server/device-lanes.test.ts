// DeviceLanes on its own: order, waiting for a batch still on its way, and letting go of one that gave up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceLanes } from './device-lanes.js';
import { HttpError } from './http.js';

describe('DeviceLanes', () => {
  /** A device whose ack moves as batches are placed; a batch that does not start right after it is a gap. */
  function fakeDevice() {
    let ack = 0;
    return (first: number, last: number) => (): Promise<number> => {
      if (first !== ack + 1) return Promise.reject(new HttpError(409, { error: 'gap', message: `expected seq ${ack + 1}`, expectedSeq: ack + 1 }));
      ack = last;
      return Promise.resolve(last);
    };
  }

  it('keeps a batch that overtook an earlier one still being authorised waiting for it, instead of answering gap', async () => {
    const lanes = new DeviceLanes();
    const place = fakeDevice();
    const earlier = lanes.arrive('device-token'); // arrived, its token still being looked up
    const later = lanes.arrive('device-token').ingest(() => Promise.resolve(place(11, 20)));
    await new Promise(setImmediate); // the later batch has met its gap by now
    const first = earlier.ingest(() => Promise.resolve(place(1, 10)));
    assert.deepEqual(await Promise.all([first, later]), [10, 20]);
  });

  it('answers gap at once when no other batch of the device is on its way, and after a batch that gave up', async () => {
    const lanes = new DeviceLanes();
    const place = fakeDevice();
    await assert.rejects(lanes.ingest('device-token', () => Promise.resolve(place(5, 6))), (error: unknown) => error instanceof HttpError && error.body.expectedSeq === 1);
    const abandoned = lanes.arrive('device-token');
    abandoned.leave(); // e.g. its token was refused
    abandoned.leave();
    await assert.rejects(lanes.ingest('device-token', () => Promise.resolve(place(5, 6))), (error: unknown) => error instanceof HttpError && error.body.error === 'gap');
  });

  it('starts the next batch once the one before admits it, and not before', { timeout: 10_000 }, async () => {
    const lanes = new DeviceLanes();
    const log: string[] = [];
    let finishFirst = (): void => undefined;
    const first = lanes.ingest('device-token', () =>
      Promise.resolve(async (admitNext: () => void) => {
        log.push('first writes');
        await new Promise<void>((resolve) => setImmediate(resolve));
        log.push('first admits the next');
        admitNext();
        await new Promise<void>((resolve) => (finishFirst = resolve));
        log.push('first done');
        return 1;
      }),
    );
    const second = lanes.ingest('device-token', () =>
      Promise.resolve(() => {
        log.push('second writes');
        finishFirst();
        return Promise.resolve(2);
      }),
    );
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(log, ['first writes', 'first admits the next', 'second writes', 'first done']);
  });
});
