import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { Bitmap } from '../../engine/desktop/bitmap.js';
import { PreClickScreen } from './pre-click-screen.js';

const TIMING = { settleMs: 200, guardMs: 300, refreshMs: 1_000 };

/** Captures that finish when the test says so (all started ones), each a 1×1 picture tagged with its number. */
function controlledCapture(): { capture: () => Promise<Bitmap>; finish(): void; taken(): number } {
  const pending: Array<() => void> = [];
  let count = 0;
  return {
    capture: () => {
      const tag = ++count;
      return new Promise<Bitmap>((resolve) => pending.push(() => resolve({ width: 1, height: 1, data: Buffer.from([tag, 0, 0, 255]) })));
    },
    finish: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
    taken: () => count,
  };
}

const tagOf = (picture: Bitmap | undefined): number | undefined => picture?.data[0];
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PreClickScreen', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('offers a picture only after it was taken and the guard time passed without input', async () => {
    const camera = controlledCapture();
    const screen = new PreClickScreen(camera.capture, TIMING);
    screen.start();
    mock.timers.tick(0);
    assert.equal(camera.taken(), 1);
    camera.finish();
    await settle();
    mock.timers.tick(299);
    assert.equal(screen.beforeClick(), undefined, 'not trusted yet: a click during the capture may not be reported yet');
    screen.stop();

    const second = new PreClickScreen(camera.capture, TIMING);
    second.start();
    mock.timers.tick(0);
    camera.finish();
    await settle();
    mock.timers.tick(300);
    assert.equal(tagOf(second.beforeClick()), 2);
    second.stop();
  });

  it('ready() waits for a picture taken after it was called, and trusted', async () => {
    const camera = controlledCapture();
    const screen = new PreClickScreen(camera.capture, TIMING);
    screen.start();
    mock.timers.tick(0);
    camera.finish();
    await settle();
    mock.timers.tick(300); // picture 1 is trusted
    let ready = false;
    void screen.ready().then(() => (ready = true));
    mock.timers.tick(0);
    assert.equal(camera.taken(), 2, 'ready() starts a new picture at once (no input to settle)');
    camera.finish();
    await settle();
    mock.timers.tick(299);
    await settle();
    assert.equal(ready, false, 'not before the new picture is trusted');
    mock.timers.tick(1);
    await settle();
    assert.equal(ready, true);
    assert.equal(tagOf(screen.beforeClick()), 2);
    screen.stop();
  });

  it('drops pictures taken before input, and a picture that was being taken when a click came', async () => {
    const camera = controlledCapture();
    const screen = new PreClickScreen(camera.capture, TIMING);
    screen.start();
    mock.timers.tick(0);
    camera.finish();
    await settle();
    mock.timers.tick(300);
    screen.input(); // a key: the screen may have changed
    assert.equal(screen.beforeClick(), undefined);

    // After the settle time a new picture is taken; a click arrives while it is being taken.
    mock.timers.tick(200);
    assert.equal(camera.taken(), 2);
    assert.equal(screen.beforeClick(), undefined);
    camera.finish();
    await settle();
    mock.timers.tick(300);
    assert.equal(screen.beforeClick(), undefined, 'the picture that was in flight during the click is never offered');

    // Quiet again (that check was a click too): the next picture is offered.
    mock.timers.tick(200);
    camera.finish();
    await settle();
    mock.timers.tick(300);
    assert.equal(tagOf(screen.beforeClick()), camera.taken());
    screen.stop();
  });

  it('renews the picture while nothing happens, keeping the last trusted one meanwhile', async () => {
    const camera = controlledCapture();
    const screen = new PreClickScreen(camera.capture, TIMING);
    screen.start();
    mock.timers.tick(0);
    camera.finish();
    await settle();
    mock.timers.tick(300);
    mock.timers.tick(1_000);
    assert.equal(camera.taken(), 2, 'a new picture is being taken');
    camera.finish();
    await settle();
    mock.timers.tick(100);
    assert.equal(tagOf(screen.beforeClick()), 1, 'the older trusted picture until the new one is trusted');
    screen.stop();
  });

  it('offers, as earlier pictures, only those taken before the latest input (never one that may show a click still being reported)', async () => {
    const camera = controlledCapture();
    const screen = new PreClickScreen(camera.capture, TIMING);
    screen.start();
    mock.timers.tick(0);
    camera.finish();
    await settle();
    assert.deepEqual(screen.earlier().map(tagOf), [], 'no input yet: the picture may show anything up to now');
    screen.input();
    assert.deepEqual(screen.earlier().map(tagOf), [1]);
    mock.timers.tick(200);
    assert.equal(camera.taken(), 2, 'a picture after the input settled');
    camera.finish();
    await settle();
    assert.deepEqual(screen.earlier().map(tagOf), [1], 'the picture taken after the latest input is not an earlier one');
    assert.deepEqual(screen.recent().map(tagOf), [2, 1]);
    screen.input();
    assert.deepEqual(screen.earlier().map(tagOf), [2, 1]);
    screen.stop();
  });
});
