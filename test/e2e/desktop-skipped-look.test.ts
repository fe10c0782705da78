// A look that left all its searches out must not erase what an earlier look found (issue #23).
// When a step's time runs short (a loaded machine lists windows slowly), a later look skips the
// searches it has no time left for. The error used to describe only that last look — "not
// searched" — and so hid what the earlier look had found: here, the image found far from where it
// was recorded (in a resized window), which is why the step must fail. The later look is made to
// skip its search for certain (the image search taken as very slow from its start on), not by
// racing the clock. Real Tk calculator under Xvfb, the engine's own locate.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { crop, encodePng } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { assumeLookCost, forgetLookCosts, locateDesktopTarget } from '../../engine/desktop/locate.js';
import { findWindows } from '../../engine/desktop/windows.js';
import type { DesktopTarget } from '../../engine/format/schema.js';
import { missingDesktopTools, startTkCalculator } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';

const skip = missingDesktopTools();

describe('a skipped later look keeps the earlier finding (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 300_000 }, () => {
  const x = useDesktopDisplay('desktop-skipped-look');
  after(() => forgetLookCosts());

  it('the error names what the first look found (a match far from its recorded place), and that the next look left its search out', { timeout: 180_000 }, async () => {
    const source = await startTkCalculator(x.display.env, path.join(x.dir, 'source.jsonl'));
    x.programs.push(source);
    const [window] = await findWindows('Tk Calculator');
    assert.ok(window);
    // The face of key 7 (top left), but recorded as if it were at the + key (bottom right).
    writeFileSync(path.join(x.dir, 'key-7-face.png'), encodePng(crop(await captureScreen(), { x: window.rect.x + 35, y: window.rect.y + 101, width: 40, height: 28 })));
    await source.stop();
    const resized = await startTkCalculator(x.display.env, path.join(x.dir, 'resized.jsonl'), '420x440+500+200');
    x.programs.push(resized);
    forgetLookCosts();
    // The first look lists the windows and searches; before the second one searches, the image
    // search is taken to cost far more than the step's whole time, so that look leaves it out.
    let listed = 0;
    const listWindows = async (title: string) => {
      if (listed++ === 1) assumeLookCost('image', 1e9);
      return findWindows(title);
    };
    const target: DesktopTarget = { window: 'Tk Calculator', candidates: [{ image: 'key-7-face.png', at: { x: 295, y: 325 } }], windowSize: { width: 360, height: 380 } };
    const located = locateDesktopTarget(target, { resolvePath: (file) => path.join(x.dir, file), timeoutMs: 60_000, signal: new AbortController().signal, listWindows });
    await assert.rejects(located, (error: Error) => {
      assert.equal(error.name, 'LocatorNotFoundError', error.message);
      // What the first look found is still said …
      assert.match(error.message, /was recorded at \(295, 325\) in a window of 360×380, and in this one of 420×440 it can only have gone to/, error.message);
      // … with what became of the next look.
      assert.match(error.message, /that is what the look \d+ ms into the step found; the next one left its searches out: not searched: matching the image in the window takes about \d+ ms/, error.message);
      return true;
    });
    assert.equal(listed, 2, 'two looks: one that searched, one that left its search out');
    assert.deepEqual(resized.records(), [], 'nothing was clicked');
  });
});
