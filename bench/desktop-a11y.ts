// bench/desktop-a11y: accessibility selectors (AT-SPI) against image targets on a GTK 3 form,
// under a private Xvfb (1920×1080) with openbox and a private D-Bus session and AT-SPI bus.
// A case of the desktop benchmark kept in its own file (bench/desktop.ts covers the Tk programs,
// which have no accessibility).
//
//   npx tsc -p tsconfig.json && node dist/bench/desktop-a11y.js [--runs N]
//
// 1. Locate the OK button within its window: by its accessible role and name (one AT-SPI
//    windows + elements listing), and by an image of it (a capture of the window + template
//    match + the uniqueness check), side by side on the same screen; 30 samples each.
// 2. The form recorded once with the desktop recorder (xdotool input), then replayed N times
//    (default 5) in each of three conditions: as recorded, window moved, theme and font changed
//    (GTK_THEME=HighContrast, DejaVu Serif 15) — once as recorded (accessibility selector first)
//    and once with the a11y candidates taken out (what replay had before: image, text,
//    coordinates). Each replay is judged by what the form itself saved: right, wrong-control
//    actions (a value in another field than recorded; must be 0) and silent passes (the run
//    passed but the form saved something else or stayed open; must be 0).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/api.js';
import { a11yProvider, closeA11y } from '../engine/desktop/a11y/index.js';
import type { A11yElement } from '../engine/desktop/a11y/types.js';
import { crop, encodePng } from '../engine/desktop/bitmap.js';
import { captureScreen } from '../engine/desktop/control.js';
import { locateDesktopTarget } from '../engine/desktop/locate.js';
import { closeOcr } from '../engine/desktop/ocr.js';
import type { Automation, DesktopTarget, Step } from '../engine/format/schema.js';
import { DesktopRecorder } from '../recorder/desktop/recorder.js';
import { tempDir } from '../test/helpers/env.js';
import { missingA11yTools, missingDesktopTools, startAccessibilityBus, startGtkForm, startVirtualDisplay } from '../test/fixtures/desktop/virtual-display.js';
import { round1, summarize, table } from './stats.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/desktop-a11y.json', import.meta.url));
const WINDOW = 'GTK Contact Form';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const runs = Number(values.runs ?? 5);
const missing = missingDesktopTools() ?? missingA11yTools();
if (missing) throw new Error(`bench/desktop-a11y ${missing}`);

const display = await startVirtualDisplay();
const bus = await startAccessibilityBus(display.env);
process.env['DISPLAY'] = display.display;
process.env['DBUS_SESSION_BUS_ADDRESS'] = bus.address;
const dir = tempDir('bench-desktop-a11y');
const xdotool = (...args: string[]): void => void execFileSync('xdotool', args, { env: bus.env });
let formCount = 0;
const openForm = (options: Parameters<typeof startGtkForm>[2] = {}): ReturnType<typeof startGtkForm> => startGtkForm(bus.env, path.join(dir, `form-${formCount++}.jsonl`), options);

async function controls(): Promise<A11yElement[]> {
  const window = (await a11yProvider().windows()).find((candidate) => candidate.title === WINDOW);
  assert.ok(window, 'AT-SPI lists the form');
  return a11yProvider().elements(window);
}
const centre = (element: A11yElement): { x: number; y: number } => ({ x: Math.round(element.rect.x + element.rect.width / 2), y: Math.round(element.rect.y + element.rect.height / 2) });

// 1: locate the OK button both ways.
const reference = await openForm({ at: { x: 300, y: 200 } });
const ok = (await controls()).find((element) => element.name === 'OK')!;
writeFileSync(path.join(dir, 'ok.png'), encodePng(crop(await captureScreen(), { x: ok.rect.x - 4, y: ok.rect.y - 2, width: ok.rect.width + 8, height: ok.rect.height + 4 })));
const controller = new AbortController();
const options = { resolvePath: (file: string) => path.join(dir, file), timeoutMs: 5_000, signal: controller.signal };
const timings: Record<'a11y' | 'image', number[]> = { a11y: [], image: [] };
const targets: Record<'a11y' | 'image', DesktopTarget> = {
  a11y: { window: WINDOW, candidates: [{ a11y: { role: 'push button', name: 'OK' } }] },
  image: { window: WINDOW, candidates: [{ image: 'ok.png' }] },
};
for (let i = 0; i < 31; i++) {
  for (const kind of ['a11y', 'image'] as const) {
    const started = performance.now();
    const match = await locateDesktopTarget(targets[kind], options);
    if (i > 0) timings[kind].push(performance.now() - started); // the first starts the helper / loads OpenCV
    assert.ok(Math.abs(match.point.x - centre(ok).x) <= 2 && Math.abs(match.point.y - centre(ok).y) <= 2, `${kind} found the OK button`);
  }
}
await reference.stop();

// 2: record once.
const out = path.join(dir, 'gtk-flow.json');
const problems: string[] = [];
let steps = 0;
const recorder = await DesktopRecorder.start({ out, id: 'gtk-flow', onStep: () => void steps++, onProblem: (message) => problems.push(message) });
const recorded = await openForm({ at: { x: 300, y: 200 } });
const until = async (check: () => boolean, what: string): Promise<void> => {
  for (const deadline = Date.now() + 60_000; !check(); await pause(50)) if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
};
const expected = { first: 'Ada', last: 'Lovelace', email: 'ada@example.org', billing: '1 Main St', shipping: '2 Side Rd', code1: '', code2: '' };
const elements = await controls();
const entry = (label: string): A11yElement => elements.find((element) => element.role === 'text' && (element.labels.includes(label) || element.path.some((step) => step.name === label)))!;
await recorder.ready();
for (const [label, text] of [['First name', expected.first], ['Last name', expected.last], ['Email', expected.email], ['Billing', expected.billing], ['Shipping', expected.shipping]] as const) {
  const seen = steps;
  const at = centre(entry(label));
  xdotool('mousemove', String(at.x), String(at.y), 'click', '1');
  await until(() => steps > seen, 'a click to be recorded');
  await recorder.ready();
  xdotool('type', '--delay', '40', text);
  await until(() => recorder.pendingText === text, `"${text}" to be heard`);
  await recorder.ready();
}
const beforeOk = steps;
const okAt = centre(elements.find((element) => element.name === 'OK')!);
xdotool('mousemove', String(okAt.x), String(okAt.y), 'click', '1');
await until(() => steps > beforeOk, 'the OK click to be recorded');
const { file } = await recorder.stop();
assert.ok(await recorded.waitClosed(), 'the recorded OK closed the form');
assert.deepEqual(recorded.records(), [expected], 'the recorded session saved the entries');

// The same recording without its a11y candidates: image, text and coordinates only. Both get a
// 5 s step timeout, so that a missing target fails in reasonable time.
const automation = JSON.parse(readFileSync(file, 'utf8')) as Automation;
const strip = (step: Step): Step =>
  step.kind === 'desktop.click' ? { ...step, target: { ...step.target, candidates: step.target.candidates.filter((candidate) => !('a11y' in candidate)) } } : step;
const withTimeout = (doc: Automation): Automation => ({ ...doc, defaults: { ...doc.defaults, timeoutMs: 5_000 } });
const files = {
  a11y: path.join(dir, 'gtk-flow-a11y.json'),
  image: path.join(dir, 'gtk-flow-image.json'),
};
writeFileSync(files.a11y, JSON.stringify(withTimeout(automation)));
writeFileSync(files.image, JSON.stringify(withTimeout({ ...automation, id: 'gtk-flow-image', steps: automation.steps.map(strip) })));

const conditions = {
  'as recorded': { at: { x: 300, y: 200 } },
  moved: { at: { x: 980, y: 520 } },
  'theme + font': { at: { x: 300, y: 200 }, theme: 'HighContrast', font: 'DejaVu Serif 15' },
} as const;
interface Tally {
  runs: number;
  right: number;
  wrongControl: number;
  silentPasses: number;
  failedClearly: number;
  medianMs: number;
  failures: string[];
}
const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
const replays: Record<string, Record<'a11y' | 'image', Tally>> = {};
for (const [condition, formOptions] of Object.entries(conditions)) {
  replays[condition] = {} as Record<'a11y' | 'image', Tally>;
  for (const variant of ['a11y', 'image'] as const) {
    const tally: Tally = { runs, right: 0, wrongControl: 0, silentPasses: 0, failedClearly: 0, medianMs: 0, failures: [] };
    const durations: number[] = [];
    for (let i = 0; i < runs; i++) {
      const form = await openForm(formOptions);
      const result = await engine.run({ file: files[variant] });
      durations.push(result.durationMs);
      const closed = await form.waitClosed(3_000);
      const saved = form.records()[0] as Record<string, string> | undefined;
      const right = closed && JSON.stringify(saved) === JSON.stringify(expected);
      const wrong = !!saved && Object.entries(saved).some(([field, value]) => value !== '' && value !== expected[field as keyof typeof expected]);
      if (right && result.status === 'passed') tally.right++;
      else {
        if (result.status === 'passed') tally.silentPasses++;
        else tally.failedClearly++;
        tally.failures.push(`${condition}, ${variant}, run ${i + 1}: ${result.status} ${result.error?.message.split('\n')[0] ?? ''} saved ${JSON.stringify(saved)} closed ${closed}`);
      }
      if (wrong) tally.wrongControl++;
      await form.stop();
    }
    tally.medianMs = round1(summarize(durations).median);
    replays[condition][variant] = tally;
  }
}
engine.close();
await closeOcr();
await closeA11y();
await bus.stop();
await display.stop();

const a11y = summarize(timings.a11y);
const image = summarize(timings.image);
const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: 'Debian, 2 shared cores, Xvfb 1920×1080×24 + openbox, GTK 3.24, at-spi2-core 2.46',
  loadAverage1m: round1(os.loadavg()[0]!),
  locateOkButtonMs: {
    a11y: { median: round1(a11y.median), p95: round1(a11y.p95), samples: timings.a11y.length },
    image: { median: round1(image.median), p95: round1(image.p95), samples: timings.image.length },
    ratioMedian: round1(a11y.median / image.median),
  },
  recordingProblems: problems,
  replays,
  target: 'right ≥ 95 %, wrongControl 0, silentPasses 0 (with a11y)',
};
mkdirSync(path.dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
const rows: Array<Array<string | number>> = [
  ['measure', 'median', 'p95', 'samples / runs', 'target'],
  ['locate OK in its window by a11y role+name (ms)', a11y.median.toFixed(1), a11y.p95.toFixed(1), timings.a11y.length, ''],
  ['locate OK in its window by image (ms)', image.median.toFixed(1), image.p95.toFixed(1), timings.image.length, ''],
];
for (const [condition, variants] of Object.entries(replays)) {
  for (const [variant, tally] of Object.entries(variants)) {
    rows.push([`GTK form, ${condition}, ${variant === 'a11y' ? 'a11y first' : 'without a11y'}: right / wrong-control / silent passes`, `${tally.medianMs} ms`, '', `${tally.right}/${tally.runs} / ${tally.wrongControl} / ${tally.silentPasses}`, variant === 'a11y' ? '≥ 95 % / 0 / 0' : '— / 0 / 0']);
  }
}
console.log(table(rows));
for (const variants of Object.values(replays)) for (const tally of Object.values(variants)) for (const failure of tally.failures) console.log(failure);
process.exit(0);
