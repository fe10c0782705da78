// bench/image-search: locating an image target on a 1920×1080 screen, the search of issue #22's
// first round (bench/baseline/match-image-6c868d0.ts: grey pyramid per capture, cached templates,
// one coarse search at half resolution for an 80×28 button, every coarse place confirmed; the
// capture converted by two OpenCV passes) against today's (engine/desktop/match-image.ts and
// control.ts: a quarter-resolution pass for wide short templates, confirmation best first with a
// rising floor, the recorded place looked at first, the capture converted in one pass), run
// alternately in one process, under a private Xvfb with openbox and three Tk windows on screen.
//
//   npx tsc -p tsconfig.json && nice node dist/bench/image-search.js [--rounds 60] [--out NAME (bench/results/NAME.json)]
//
// Timed, per round, in alternating order (old first on even rounds, new first on odd ones):
//   full screen   the form's Save button (80×28), no window named: capture + search + uniqueness
//                 check, as bench/desktop's locate figure (old: lookIn's image branch at 6c868d0;
//                 new: locateDesktopTarget itself)
//   recorded      the same button as the recorder writes it: its window, its place ("at") and the
//                 window's size: capture of the window + search + uniqueness + recorded place
//   large         a 200×120 piece of the form (quarter-resolution pass), full screen
//   capture       the full-screen capture alone (the floor under the first figure), old and new
// Wall-clock and this process's CPU time (process.cpuUsage) per locate: on the shared 2 cores the
// CPU time is the steadier figure.
// Then, with no timing, agreement: 300 crops of the reference screen (sizes 12–220 px, where the
// picture is not flat) and 40 templates that are not on screen, searched by old and new: same
// verdict (found / not found), same uniqueness verdict (one place / several), same place when
// both call it unique, and how often the crop's own place is the match or among its rivals.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { crop, encodePng, type Bitmap } from '../engine/desktop/bitmap.js';
import { captureScreen } from '../engine/desktop/control.js';
import { findText } from '../engine/desktop/find-text.js';
import { closeOcr, recognize } from '../engine/desktop/ocr.js';
import { AMBIGUITY_MARGIN, DEFAULT_IMAGE_CONFIDENCE, locateDesktopTarget } from '../engine/desktop/locate.js';
import { DEFAULT_SCALES, findImage } from '../engine/desktop/match-image.js';
import { findWindows } from '../engine/desktop/windows.js';
import type { DesktopTarget } from '../engine/format/schema.js';
import { tempDir } from '../test/helpers/env.js';
import { missingDesktopTools, startContactDialog, startLegacyForm, startListDialog, startVirtualDisplay } from '../test/fixtures/desktop/virtual-display.js';
import * as before from './baseline/match-image-6c868d0.js';
import { round1, round3, summarize, table, median } from './stats.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, out: { type: 'string' } } });
const RESULTS = fileURLToPath(new URL(`../../bench/results/${values.out ?? 'image-search'}.json`, import.meta.url));
const rounds = Number(values.rounds ?? 60);
const missing = missingDesktopTools();
if (missing) throw new Error(`bench/image-search ${missing}`);

const loadBefore = os.loadavg().map(round1);
const display = await startVirtualDisplay();
process.env['DISPLAY'] = display.display;
const dir = tempDir('bench-image-search');
const programs = [
  await startLegacyForm(display.env, path.join(dir, 'form.jsonl')),
  await startContactDialog(display.env, path.join(dir, 'contact.jsonl'), '600x340+900+150'),
  await startListDialog(display.env, path.join(dir, 'list.jsonl'), '420x420+1000+580'),
];
const form = (await findWindows('Legacy Claims Form'))[0]!;
const reference = await captureScreen();

// The Save button, found by OCR as bench/desktop does: both variants look for exactly the same pixels.
const { words } = await recognize(crop(reference, form.rect), 'sparse');
const save = findText(words, { text: 'Save', exact: true }).match;
assert.ok(save, 'OCR found the Save button');
await closeOcr();
const saveCentre = { x: Math.round(form.rect.x + save.rect.x + save.rect.width / 2), y: Math.round(form.rect.y + save.rect.y + save.rect.height / 2) };
const savePlace = { x: saveCentre.x - 40, y: saveCentre.y - 14, width: 80, height: 28 };
const files: Record<string, Bitmap> = {
  'save.png': crop(reference, savePlace),
  'large.png': crop(reference, { x: form.rect.x + 40, y: form.rect.y + 60, width: 200, height: 120 }),
};
for (const [name, bitmap] of Object.entries(files)) writeFileSync(path.join(dir, name), encodePng(bitmap));
const saveAt = { x: savePlace.x - form.rect.x + savePlace.width / 2, y: savePlace.y - form.rect.y + savePlace.height / 2 };
const targets: Record<string, DesktopTarget> = {
  'full screen': { candidates: [{ image: 'save.png' }] },
  recorded: { window: 'Legacy Claims Form', windowSize: { width: form.rect.width, height: form.rect.height }, candidates: [{ image: 'save.png', at: saveAt }] },
  large: { candidates: [{ image: 'large.png' }] },
};
const controller = new AbortController();
const options = { resolvePath: (file: string) => path.join(dir, file), timeoutMs: 10_000, signal: controller.signal };

/** lookIn's image branch at 6c868d0, for one image candidate (the window looked up as it did). */
async function locateBefore(target: DesktopTarget): Promise<{ x: number; y: number }> {
  const candidate = target.candidates[0]!;
  assert.ok('image' in candidate);
  const window = target.window ? (await findWindows(target.window))[0] : undefined;
  const pixels = window ? await before.captureScreen(window.rect) : await before.captureScreen();
  const template = files[candidate.image]!;
  const needed = candidate.confidence ?? DEFAULT_IMAGE_CONFIDENCE;
  const { best: found, places } = await before.findImage(pixels, template, { scales: candidate.scales ?? before.DEFAULT_SCALES, goodEnough: needed, margin: AMBIGUITY_MARGIN });
  assert.ok(found && found.score >= needed, 'old search found the target');
  let chosen = places.length === 1 ? places[0]! : undefined;
  if (candidate.at) {
    const there = await before.matchNear(pixels, template, candidate.at, found.scale, 12);
    chosen = there && there.score >= needed && there.score >= found.score - AMBIGUITY_MARGIN ? there : undefined;
  }
  assert.ok(chosen, 'old search: unique or at its recorded place');
  const origin = window?.rect ?? { x: 0, y: 0 };
  return { x: origin.x + chosen.rect.x + chosen.rect.width / 2, y: origin.y + chosen.rect.y + chosen.rect.height / 2 };
}

async function locateAfter(target: DesktopTarget): Promise<{ x: number; y: number }> {
  return (await locateDesktopTarget(target, options)).point;
}

const expectedCentre = (name: string): { x: number; y: number } =>
  name === 'large' ? { x: form.rect.x + 140, y: form.rect.y + 120 } : { x: savePlace.x + 40, y: savePlace.y + 14 };

// Warm both (OpenCV load, JIT, template caches).
for (const [name, target] of Object.entries(targets)) {
  for (const locate of [locateBefore, locateAfter]) {
    const point = await locate(target);
    assert.ok(Math.abs(point.x - expectedCentre(name).x) <= 2 && Math.abs(point.y - expectedCentre(name).y) <= 2, `${name}: found at ${point.x}, ${point.y}`);
  }
}

const samples: Record<string, { old: number[]; new: number[] }> = {};
// CPU time of this process per locate (OpenCV runs on this thread): less bent by other work on the cores than wall-clock.
const cpu: Record<string, { old: number[]; new: number[] }> = {};
const captureMs = { old: [] as number[], new: [] as number[] };
const captureCpu = { old: [] as number[], new: [] as number[] };
for (let round = 0; round < rounds; round++) {
  for (const [name, target] of Object.entries(targets)) {
    const pair = (samples[name] ??= { old: [], new: [] });
    const cpuPair = (cpu[name] ??= { old: [], new: [] });
    const order = round % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const);
    for (const variant of order) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      await (variant === 'old' ? locateBefore(target) : locateAfter(target));
      pair[variant].push(performance.now() - started);
      const used = process.cpuUsage(cpuStarted);
      cpuPair[variant].push((used.user + used.system) / 1000);
    }
  }
  for (const variant of round % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await (variant === 'old' ? before.captureScreen() : captureScreen());
    captureMs[variant].push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    captureCpu[variant].push((used.user + used.system) / 1000);
  }
}

// Agreement on crops of the reference screen.
let seed = 22;
const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const spread = (bitmap: Bitmap): number => {
  let sum = 0;
  let squares = 0;
  const n = bitmap.width * bitmap.height;
  for (let i = 0; i < bitmap.data.length; i += 4) {
    const grey = (bitmap.data[i]! + bitmap.data[i + 1]! + bitmap.data[i + 2]!) / 3;
    sum += grey;
    squares += grey * grey;
  }
  return Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
};
const windows = [form.rect, ...(await findWindows('Contact Dialog')).map((w) => w.rect), ...(await findWindows('Choose Country')).map((w) => w.rect)];
const agreement = { crops: 0, notOnScreen: 0, sameFound: 0, sameUnique: 0, bothUnique: 0, samePlace: 0, truthOld: 0, truthNew: 0, differences: [] as string[] };
const noise = (width: number, height: number): Bitmap => {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = data[i + 1] = data[i + 2] = Math.floor(random() * 256);
    data[i + 3] = 255;
  }
  return { width, height, data };
};
const cases: Array<{ template: Bitmap; where?: { x: number; y: number } }> = [];
while (cases.length < 300) {
  const area = windows[Math.floor(random() * windows.length)]!;
  const width = 12 + Math.floor(random() * 209);
  const height = 12 + Math.floor(random() * Math.min(209, area.height - 12));
  if (width > area.width || height > area.height) continue;
  const where = { x: area.x + Math.floor(random() * (area.width - width)), y: area.y + Math.floor(random() * (area.height - height)) };
  const template = crop(reference, { ...where, width, height });
  if (spread(template) < 12) continue; // flat: nothing to match on
  cases.push({ template, where });
}
for (let i = 0; i < 40; i++) cases.push({ template: noise(20 + Math.floor(random() * 100), 20 + Math.floor(random() * 60)) });
for (const [index, { template, where }] of cases.entries()) {
  if (where) agreement.crops++;
  else agreement.notOnScreen++;
  const needed = DEFAULT_IMAGE_CONFIDENCE;
  const oldSearch = await before.findImage(reference, template, { scales: before.DEFAULT_SCALES, goodEnough: needed, margin: AMBIGUITY_MARGIN });
  const oldBest = oldSearch.best;
  const oldFound = !!oldBest && oldBest.score >= needed;
  const oldPlaces = oldSearch.places;
  const now = await findImage(reference, template, { scales: DEFAULT_SCALES, goodEnough: needed, margin: AMBIGUITY_MARGIN });
  const newFound = !!now.best && now.best.score >= needed;
  const label = `case ${index} ${template.width}×${template.height}${where ? ` from ${where.x},${where.y}` : ' (not on screen)'}`;
  if (oldFound === newFound) agreement.sameFound++;
  else agreement.differences.push(`${label}: found old ${oldFound} (${oldBest?.score.toFixed(3)}) new ${newFound} (${now.best?.score.toFixed(3)})`);
  const oldUnique = oldPlaces.length <= 1;
  const newUnique = now.places.length <= 1;
  // Where the crop came from must be the match, or among the rival places.
  const holds = (places: ReadonlyArray<{ rect: { x: number; y: number } }>): boolean => !!where && places.some((place) => Math.abs(place.rect.x - where.x) <= 1 && Math.abs(place.rect.y - where.y) <= 1);
  if (where && holds(oldPlaces)) agreement.truthOld++;
  if (where && holds(now.places)) agreement.truthNew++;
  if (oldUnique && newUnique && oldFound && newFound) {
    agreement.bothUnique++;
    if (Math.abs(oldBest.rect.x - now.best!.rect.x) <= 1 && Math.abs(oldBest.rect.y - now.best!.rect.y) <= 1) agreement.samePlace++;
    else agreement.differences.push(`${label}: old at ${oldBest.rect.x},${oldBest.rect.y} ${oldBest.score.toFixed(3)}, new at ${now.best!.rect.x},${now.best!.rect.y} ${now.best!.score.toFixed(3)}`);
  }
  if (oldUnique === newUnique) agreement.sameUnique++;
  else agreement.differences.push(`${label}: rival places old ${oldPlaces.map((p) => `${p.rect.x},${p.rect.y} ${p.score.toFixed(3)}`).join('; ')} / new ${now.places.map((p) => `${p.rect.x},${p.rect.y} ${p.score.toFixed(3)}`).join('; ')}`);
}

for (const program of programs) await program.stop();
await display.stop();
const loadAfter = os.loadavg().map(round1);

const rows: Array<Array<string | number>> = [['locate (ms)', 'old p50', 'old p95', 'new p50', 'new p95', 'p95 new/old', 'paired median new/old', 'CPU ms p50 old / new']];
const figures: Record<string, unknown> = {};
for (const [name, pair] of Object.entries(samples)) {
  const old = summarize(pair.old);
  const now = summarize(pair.new);
  const paired = median(pair.new.map((value, i) => value / pair.old[i]!));
  const cpuOld = summarize(cpu[name]!.old);
  const cpuNew = summarize(cpu[name]!.new);
  figures[name] = { old, new: now, p95Ratio: round3(now.p95 / old.p95), pairedMedianRatio: round3(paired), cpuMs: { old: cpuOld, new: cpuNew } };
  rows.push([name, old.median, old.p95, now.median, now.p95, (now.p95 / old.p95).toFixed(3), paired.toFixed(3), `${cpuOld.median} / ${cpuNew.median}`]);
}
const capture = { old: summarize(captureMs.old), new: summarize(captureMs.new), cpuMs: { old: summarize(captureCpu.old), new: summarize(captureCpu.new) } };
rows.push(['capture alone (full screen)', capture.old.median, capture.old.p95, capture.new.median, capture.new.p95, (capture.new.p95 / capture.old.p95).toFixed(3), '', `${capture.cpuMs.old.median} / ${capture.cpuMs.new.median}`]);
const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: `Debian, ${os.cpus().length} shared cores, Node ${process.versions.node}, Xvfb 1920×1080×24 + openbox`,
  loadAverage: { before: loadBefore, after: loadAfter },
  rounds,
  method: 'old = the search and capture at 6c868d0 (bench/baseline/match-image-6c868d0.ts) in lookIn\'s image branch as it was; new = locateDesktopTarget; alternated per round in one process; CPU = process.cpuUsage per locate',
  figures,
  captureMs: capture,
  targetP95Ms: 50,
  agreement,
};
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
console.log(`image search, ${rounds} rounds alternating; load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`);
console.log(table(rows));
console.log(`agreement over ${agreement.crops} crops + ${agreement.notOnScreen} templates not on screen: same found/not found ${agreement.sameFound}, same unique/ambiguous ${agreement.sameUnique}, same place ${agreement.samePlace} of ${agreement.bothUnique} unique in both; the crop's own place among the places: old ${agreement.truthOld}, new ${agreement.truthNew}`);
for (const difference of agreement.differences) console.log(`  ${difference}`);
