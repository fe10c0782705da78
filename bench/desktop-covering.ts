// bench/desktop-covering: what the covering check costs per click (issue #23). Before a click
// acts, replay reads the X11 stacking order (refuseCovered in engine/steps/desktop/common.ts:
// `xwininfo -root -tree` and `xdotool search`, plus an `xprop` per window not seen before) to
// refuse a point another window covers. Under a private Xvfb with openbox and four windows open:
//   1. the check alone (stackedWindows + windowAtPoint), N samples;
//   2. replay of N coordinate clicks on the contact dialog (each a desktop.click step), per-step
//      duration from the run's events — the check is part of each;
//   3. the check's share of a click: median of 1 over median of 2.
//
//   npx tsc -p tsconfig.json && node dist/bench/desktop-covering.js [--runs N]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Engine } from '../engine/api.js';
import { findWindows, stackedWindows, windowAtPoint } from '../engine/desktop/windows.js';
import { tempDir } from '../test/helpers/env.js';
import { missingDesktopTools, startContactDialog, startListDialog, startTkCalculator, startTkTerminal, startVirtualDisplay } from '../test/fixtures/desktop/virtual-display.js';
import { round1, summarize } from './stats.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, out: { type: 'string' } } });
const runs = Number(values.runs ?? 30);
const missing = missingDesktopTools();
if (missing) throw new Error(`bench/desktop-covering ${missing}`);
const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();
const loadBefore = uptime();

const display = await startVirtualDisplay();
process.env['DISPLAY'] = display.display;
const dir = tempDir('bench-desktop-covering');
const programs = [
  await startListDialog(display.env, path.join(dir, 'list.jsonl'), '320x300+1200+100'),
  await startTkCalculator(display.env, path.join(dir, 'calc.jsonl'), '+1000+500'),
  await startTkTerminal(display.env, path.join(dir, 'terminal.jsonl'), '+100+600'),
  await startContactDialog(display.env, path.join(dir, 'contact.jsonl')),
];
const dialog = (await findWindows('Contact Dialog'))[0]!;
const point = { x: dialog.rect.x + 240, y: dialog.rect.y + 40 };

// 1. The check alone.
const check: number[] = [];
let windows = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const stack = await stackedWindows();
  const top = stack && windowAtPoint(stack, point);
  check.push(performance.now() - started);
  windows = stack?.length ?? 0;
  if (top?.title !== 'Contact Dialog') throw new Error(`the dialog is not on top at its entry: ${JSON.stringify(top)}`);
}

// 2. Clicks replayed, each with the check.
const target = { window: 'Contact Dialog', candidates: [{ offset: { x: 240, y: 40 } }], windowSize: { width: dialog.rect.width, height: dialog.rect.height } };
const file = path.join(dir, 'clicks.json');
writeFileSync(file, JSON.stringify({ format: 1, id: 'covering-clicks', name: 'Clicks', version: '1.0.0', steps: Array.from({ length: runs }, () => ({ kind: 'desktop.click', target })) }));
const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
const clicks: number[] = [];
try {
  const result = await engine.run({ file }, (event) => {
    if (event.type === 'step.succeeded' && event.kind === 'desktop.click') clicks.push(event.durationMs);
  });
  if (result.status !== 'passed') throw new Error(`the click run ${result.status}: ${result.error?.message}`);
} finally {
  engine.close();
}
for (const program of programs) await program.stop();
await display.stop();

const checkSummary = summarize(check);
const clickSummary = summarize(clicks);
const results = {
  date: new Date().toISOString(),
  machine: `${process.platform} ${process.arch}, Node ${process.version}`,
  loadBefore,
  loadAfter: uptime(),
  windowsOnScreen: windows,
  coveringCheckMs: checkSummary,
  clickStepMs: clickSummary,
  checkShareOfMedianClick: round1((100 * checkSummary.median) / clickSummary.median),
};
console.log(JSON.stringify(results, null, 2));
const out = values.out ?? fileURLToPath(new URL(`../../bench/results/desktop-covering-${results.date.slice(0, 10)}.json`, import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
