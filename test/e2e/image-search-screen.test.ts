// The fast image search (issue #22: quarter-level pass for buttons, best-first confirmation, the
// recorded place first) against an exhaustive full-resolution search on real screenshots: Xvfb at
// 1920×1080 with the Tk form, the contact dialog and the list dialog. Same verdict, same place,
// same uniqueness verdict for every crop; identical empty entries are still refused.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { crop, encodePng, type Bitmap, type Rect } from '../../engine/desktop/bitmap.js';
import { bgraToOpaqueRgba, captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { AMBIGUITY_MARGIN, DEFAULT_IMAGE_CONFIDENCE, forgetLookCosts, locateDesktopTarget } from '../../engine/desktop/locate.js';
import { findImage } from '../../engine/desktop/match-image.js';
import { closeOcr, recognize } from '../../engine/desktop/ocr.js';
import { loadOpenCv } from '../../engine/desktop/opencv.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { AmbiguousLocatorError } from '../../engine/errors.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { missingDesktopTools, startContactDialog, startLegacyForm, startListDialog, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();

interface Place {
  x: number;
  y: number;
  score: number;
}

/** Exhaustive: TM_CCOEFF_NORMED of the grey template over the whole grey screen at full resolution; the best place and every place within `margin` of it (half a template apart). */
async function fullSearch(screen: Bitmap, template: Bitmap, margin: number): Promise<Place[]> {
  const cv = await loadOpenCv();
  const grey = (bitmap: Bitmap) => {
    const rgba = cv.matFromImageData({ width: bitmap.width, height: bitmap.height, data: bitmap.data });
    const out = new cv.Mat();
    cv.cvtColor(rgba, out, cv.COLOR_RGBA2GRAY);
    rgba.delete();
    return out;
  };
  const image = grey(screen);
  const part = grey(template);
  const result = new cv.Mat();
  try {
    cv.matchTemplate(image, part, result, cv.TM_CCOEFF_NORMED);
    const scores = result.data32F;
    for (let at = 0; at < scores.length; at++) if (!Number.isFinite(scores[at]!)) scores[at] = -1;
    const places: Place[] = [];
    for (;;) {
      const { maxVal, maxLoc } = cv.minMaxLoc(result);
      if (places.length && maxVal < places[0]!.score - margin) break;
      if (places.length >= 6) break;
      places.push({ x: maxLoc.x, y: maxLoc.y, score: Math.min(1, maxVal) });
      // Blank out this place and its neighbours (half the template either way).
      const left = Math.max(0, maxLoc.x - Math.floor(template.width / 2));
      const top = Math.max(0, maxLoc.y - Math.floor(template.height / 2));
      const around = result.roi(new cv.Rect(left, top, Math.min(result.cols - left, template.width + 1), Math.min(result.rows - top, template.height + 1)));
      around.setTo(new cv.Scalar(-1, 0, 0, 0));
      around.delete();
    }
    return places;
  } finally {
    image.delete();
    part.delete();
    result.delete();
  }
}

/** Standard deviation of a picture's grey levels: a flat crop has nothing to match on. */
function spread(bitmap: Bitmap): number {
  let sum = 0;
  let squares = 0;
  const n = bitmap.width * bitmap.height;
  for (let i = 0; i < bitmap.data.length; i += 4) {
    const grey = (bitmap.data[i]! + bitmap.data[i + 1]! + bitmap.data[i + 2]!) / 3;
    sum += grey;
    squares += grey * grey;
  }
  return Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
}

describe('image search on real screenshots (issue #22)', { concurrency: false, skip: skip ?? false, timeout: 240_000 }, () => {
  let display: VirtualDisplay;
  const shared = useDesktopDisplay('image-search-screen');
  let screen: Bitmap;
  let dir: string;
  let windows: Rect[];
  /** The form's Save button, 80×28 around its text (the figure README quotes). */
  let save: Rect;

  before(async () => {
    ({ display, dir } = shared);
    shared.programs.push(
      await startLegacyForm(display.env, path.join(dir, 'form.jsonl')),
      await startContactDialog(display.env, path.join(dir, 'contact.jsonl'), '600x340+900+150'),
      await startListDialog(display.env, path.join(dir, 'list.jsonl'), '420x420+1000+580'),
    );
    windows = [];
    for (const title of ['Legacy Claims Form', 'Contact Dialog', 'Choose Country']) windows.push((await findWindows(title))[0]!.rect);
    screen = await captureScreen();
    const form = windows[0]!;
    const { words } = await recognize(crop(screen, form), 'sparse');
    await closeOcr();
    const text = findText(words, { text: 'Save', exact: true }).match;
    assert.ok(text, `"Save" found by OCR in ${JSON.stringify(words.map((word) => word.text))}`);
    const centre = { x: Math.round(form.x + text.rect.x + text.rect.width / 2), y: Math.round(form.y + text.rect.y + text.rect.height / 2) };
    save = { x: centre.x - 40, y: centre.y - 14, width: 80, height: 28 };
  });

  it('the capture turns X11 BGRA into opaque RGBA as OpenCV does', async () => {
    const cv = await loadOpenCv();
    const bgra = Buffer.from([10, 20, 30, 0, 200, 100, 50, 7, 1, 2, 3, 255]);
    const source = cv.matFromImageData({ width: 3, height: 1, data: bgra });
    const rgb = new cv.Mat();
    const rgba = new cv.Mat();
    cv.cvtColor(source, rgb, cv.COLOR_BGRA2RGB);
    cv.cvtColor(rgb, rgba, cv.COLOR_RGB2RGBA);
    assert.deepEqual([...bgraToOpaqueRgba(bgra)], [...rgba.data]);
    assert.deepEqual([...bgraToOpaqueRgba(bgra.subarray(1, 9))], [0, 30, 20, 255, 7, 50, 100, 255], 'an unaligned slice too');
    for (const mat of [source, rgb, rgba]) mat.delete();
  });

  it('finds an 80×28 button with a quarter-resolution pass, at the place the full search finds', async () => {
    const template = crop(screen, save);
    const fast = await findImage(screen, template, { scales: [1], goodEnough: DEFAULT_IMAGE_CONFIDENCE, margin: AMBIGUITY_MARGIN });
    const full = await fullSearch(screen, template, AMBIGUITY_MARGIN);
    assert.equal(fast.level, 2, 'searched at the quarter level');
    assert.deepEqual({ x: fast.best?.rect.x, y: fast.best?.rect.y }, { x: full[0]!.x, y: full[0]!.y });
    assert.equal(fast.places.length, 1);
    assert.equal(full.length, 1);
  });

  it('agrees with the full-resolution search on 40 crops of the screen: found or not, the place, one place or several', async () => {
    let seed = 22;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const differences: string[] = [];
    let checked = 0;
    let ambiguous = 0;
    while (checked < 40) {
      const area = windows[Math.floor(random() * windows.length)]!;
      // Mostly buttons' and entries' shapes (the quarter pass for short sides of 24–47), some larger.
      const width = 24 + Math.floor(random() * 120);
      const height = 24 + Math.floor(random() * (checked % 4 ? 24 : 80));
      if (width > area.width || height > area.height) continue;
      const where = { x: area.x + Math.floor(random() * (area.width - width)), y: area.y + Math.floor(random() * (area.height - height)), width, height };
      const template = crop(screen, where);
      if (spread(template) < 12) continue;
      checked++;
      const fast = await findImage(screen, template, { scales: [1], goodEnough: DEFAULT_IMAGE_CONFIDENCE, margin: AMBIGUITY_MARGIN });
      const full = await fullSearch(screen, template, AMBIGUITY_MARGIN);
      const label = `${width}×${height} from ${where.x},${where.y} (level ${fast.level})`;
      const fullFound = full[0]!.score >= DEFAULT_IMAGE_CONFIDENCE;
      if (full.length > 1) ambiguous++;
      if (!!fast.places.length !== fullFound) differences.push(`${label}: found ${!!fast.places.length}, full search ${fullFound} (${full[0]!.score.toFixed(3)})`);
      else if (fullFound && fast.places.length > 1 !== full.length > 1) differences.push(`${label}: ${fast.places.length} places, full search ${full.length}`);
      else if (fullFound && full.length === 1 && (Math.abs(fast.best!.rect.x - full[0]!.x) > 1 || Math.abs(fast.best!.rect.y - full[0]!.y) > 1)) {
        differences.push(`${label}: at ${fast.best!.rect.x},${fast.best!.rect.y}, full search at ${full[0]!.x},${full[0]!.y}`);
      }
    }
    assert.deepEqual(differences, []);
    assert.ok(ambiguous > 0, 'some crops match several places (the uniqueness rule is exercised)');
  });

  it('refuses an image that matches three identical entries, and takes the recorded one when the target says where', async () => {
    forgetLookCosts();
    const contact = (await findWindows('Contact Dialog'))[0]!;
    // The left end of an empty entry of the contact dialog (three of them, the same width, their
    // left edges at x ≈ 138 in the window), its border included: the same picture at three places.
    const entryTemplate = (y: number): Bitmap => crop(screen, { x: contact.rect.x + 128, y: contact.rect.y + y - 18, width: 120, height: 36 });
    let entry: { template: Bitmap; places: Place[] } | undefined;
    for (let y = 40; y < contact.rect.height - 40 && !entry; y += 2) {
      const template = entryTemplate(y);
      if (spread(template) < 12) continue;
      const places = await fullSearch(screen, template, AMBIGUITY_MARGIN);
      if (places.length === 3 && places[0]!.score > 0.99) entry = { template, places };
    }
    assert.ok(entry, 'a crop of an empty entry that the full search finds at three places');
    writeFileSync(path.join(dir, 'entry.png'), encodePng(entry.template));
    const options = { resolvePath: (file: string) => path.join(dir, file), timeoutMs: 20_000, signal: new AbortController().signal };
    await assert.rejects(locateDesktopTarget({ candidates: [{ image: 'entry.png' }] }, options), (error: Error) => {
      assert.ok(error instanceof AmbiguousLocatorError, error.message);
      assert.match(error.message, /matches 3 places/);
      return true;
    });
    // The recorded place (window-relative centre) of the lowest of them in the dialog picks it.
    const inDialog = entry.places.filter((place) => place.x >= contact.rect.x && place.y >= contact.rect.y && place.x < contact.rect.x + contact.rect.width && place.y < contact.rect.y + contact.rect.height);
    assert.ok(inDialog.length >= 2, `several of the places are in the dialog: ${JSON.stringify(entry.places)}`);
    const chosen = inDialog.sort((a, b) => b.y - a.y)[0]!;
    const at = { x: chosen.x - contact.rect.x + 60, y: chosen.y - contact.rect.y + 18 };
    const found = await locateDesktopTarget({ window: 'Contact Dialog', windowSize: { width: contact.rect.width, height: contact.rect.height }, candidates: [{ image: 'entry.png', at }] }, options);
    assert.deepEqual(found.point, { x: chosen.x + 60, y: chosen.y + 18 });
  });
});
