// bench/desktop-locate: what identity-before-place costs a desktop replay. A match that a
// control's place or look decided (an image at its recorded place, an area, coordinates) is
// taken only when the target's candidates that tell the control itself (its accessible name,
// the label beside it, its place among look-alikes) do not contradict it; this measures those
// checks beside the same locate without them, side by side in one run.
//
//   npx tsc -p tsconfig.json && nice node dist/bench/desktop-locate.js [--runs N] [--only contact,list,calculator,terminal]
//
// Under a private Xvfb (1920×1080) with openbox, each flow of the desktop challenge suite
// (test/fixtures/desktop/challenge.ts: the contact dialog, the list dialog, the Tk calculator,
// the Tk terminal) is recorded once at a human pace with real input, then replayed N times
// (default 4) by the engine against a fresh program. Before each click step (the runner's
// debugger hook, whose time the run does not count) its target is located twice on the same
// screen, with the identity checks and without (`checkIdentity: false`), in alternating order
// from step to step; the runner then runs the step as usual (checks on). Timed per locate:
// wall-clock and this process's CPU time (OpenCV and the OCR worker run in it). The settling
// wait the runner adds before a click (the same with or without the checks) is left out:
// settle is off in both. Each replay is judged by what the program saved, as bench/desktop does,
// and the two locates must agree on the point (a disagreement is what the checks exist for).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/api.js';
import { closeOcr } from '../engine/desktop/ocr.js';
import { locateDesktopTarget, tellsIdentity, type LocateOptions } from '../engine/desktop/locate.js';
import type { Automation, DesktopTarget, Step } from '../engine/format/schema.js';
import { DesktopRecorder } from '../recorder/desktop/recorder.js';
import { tempDir } from '../test/helpers/env.js';
import { missingDesktopTools, startContactDialog, startListDialog, startTkCalculator, startTkTerminal, startVirtualDisplay, type ContactDialog } from '../test/fixtures/desktop/virtual-display.js';
import { CALCULATOR_RESULT, CONTACT_VALUES, LIST_CHOICE, TERMINAL_SESSION, driveCalculator, driveContactDialog, driveListDialog, driveTerminal, driver, judge } from '../test/fixtures/desktop/challenge.js';
import { median, round1, round3, summarize, table } from './stats.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/desktop-locate.json', import.meta.url));
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const { values } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs ?? 4);
const missing = missingDesktopTools();
if (missing) throw new Error(`bench/desktop-locate ${missing}`);

interface Flow {
  name: string;
  start: (env: NodeJS.ProcessEnv, out: string) => Promise<ContactDialog>;
  drive: typeof driveContactDialog | typeof driveListDialog;
  expected: Record<string, unknown>;
  clicks: number;
}
const FLOWS: Flow[] = [
  { name: 'contact', start: startContactDialog, drive: driveContactDialog, expected: CONTACT_VALUES, clicks: 4 },
  { name: 'list', start: startListDialog, drive: driveListDialog, expected: LIST_CHOICE, clicks: 2 },
  { name: 'calculator', start: startTkCalculator, drive: driveCalculator, expected: CALCULATOR_RESULT, clicks: 6 },
  { name: 'terminal', start: startTkTerminal, drive: driveTerminal, expected: TERMINAL_SESSION, clicks: 1 },
];
const wanted = values.only?.split(',') ?? FLOWS.map((flow) => flow.name);
const unknown = wanted.filter((name) => !FLOWS.some((flow) => flow.name === name));
if (unknown.length) throw new Error(`--only: unknown flow ${unknown.join(', ')}; known: ${FLOWS.map((flow) => flow.name).join(', ')}`);

const loadBefore = os.loadavg().map(round1);
const startedAt = new Date().toISOString();
const display = await startVirtualDisplay();
process.env['DISPLAY'] = display.display;
const dir = tempDir('bench-desktop-locate');
const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });

/** Records `flow` once at a human pace on a program started after the recorder. */
async function record(flow: Flow): Promise<{ file: string; automation: Automation }> {
  let seen = 0;
  const problems: string[] = [];
  const recorder = await DesktopRecorder.start({ out: path.join(dir, `${flow.name}.json`), id: flow.name, onStep: (step) => void (step.kind === 'desktop.click' && seen++), onProblem: (message) => problems.push(message) });
  const program = await flow.start(display.env, path.join(dir, `${flow.name}-recorded.jsonl`));
  await recorder.ready();
  await flow.drive(driver(display.env, 'human'));
  // On a loaded machine the hook reports input late: wait for it, then go on with what was
  // recorded (a missing click shows in the replays' verdicts and in recordingProblems).
  for (const deadline = Date.now() + 60_000; seen < flow.clicks && Date.now() < deadline; ) await pause(50);
  if (seen < flow.clicks) problems.push(`the recorder recorded ${seen} of ${flow.clicks} clicks`);
  await program.waitClosed();
  const recorded = await recorder.stop();
  await program.stop();
  recordingProblems[flow.name] = problems;
  return recorded;
}
const recordingProblems: Record<string, string[]> = {};

type Variant = 'with' | 'without';
interface Sample {
  flow: string;
  step: string;
  /** The target has a candidate that tells the control itself: the checks have work to do. */
  identity: boolean;
  ms: Record<Variant, number>;
  cpuMs: Record<Variant, number>;
  agree: boolean;
}
const samples: Sample[] = [];
const verdicts: Record<string, { runs: number; right: number; wrongControl: number; silentPasses: number; failures: string[] }> = {};
let order = 0;

async function timedLocate(target: DesktopTarget, options: LocateOptions): Promise<{ ms: number; cpuMs: number; point: { x: number; y: number } }> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  const { point } = await locateDesktopTarget(target, options);
  const ms = performance.now() - began;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, point };
}

for (const flow of FLOWS.filter((candidate) => wanted.includes(candidate.name))) {
  const { file } = await record(flow);
  const tally = (verdicts[flow.name] = { runs, right: 0, wrongControl: 0, silentPasses: 0, failures: [] as string[] });
  for (let run = 0; run < runs; run++) {
    const program = await flow.start(display.env, path.join(dir, `${flow.name}-replay-${run}.jsonl`));
    const beforeStep = async (stepPath: string, step: Step): Promise<void> => {
      if (step.kind !== 'desktop.click' && step.kind !== 'desktop.doubleClick' && step.kind !== 'desktop.rightClick') return;
      const options: LocateOptions = { resolvePath: (image) => path.resolve(path.dirname(file), image), timeoutMs: 30_000, signal: new AbortController().signal };
      const variants: Variant[] = order++ % 2 ? ['without', 'with'] : ['with', 'without'];
      const found = {} as Record<Variant, Awaited<ReturnType<typeof timedLocate>>>;
      for (const variant of variants) found[variant] = await timedLocate(step.target, { ...options, checkIdentity: variant === 'with' });
      samples.push({
        flow: flow.name,
        step: stepPath,
        identity: step.target.candidates.some(tellsIdentity),
        ms: { with: found.with.ms, without: found.without.ms },
        cpuMs: { with: found.with.cpuMs, without: found.without.cpuMs },
        agree: found.with.point.x === found.without.point.x && found.with.point.y === found.without.point.y,
      });
    };
    const result = await engine.run({ file, debug: { beforeStep } });
    await program.waitClosed(3_000);
    const verdict = judge(result.status, flow.expected, program.records()[0]);
    if (verdict.right) tally.right++;
    else tally.failures.push(`${flow.name} run ${run + 1}: ${result.status} ${result.error?.message.split('\n').map((line) => line.trim()).join(' | ') ?? ''} saved ${JSON.stringify(program.records())}`);
    if (verdict.wrongControl) tally.wrongControl++;
    if (verdict.silentPass) tally.silentPasses++;
    await program.stop();
  }
  // After each flow, so that a run cut short (a loaded machine) still leaves what it measured.
  writeResults(false);
}
engine.close();
await closeOcr();
await display.stop();

/** p50 / p95 of both variants over `of`, and with ÷ without of each (medians of the paired ratios too). */
function compare(of: readonly Sample[]): Record<string, unknown> | undefined {
  if (!of.length) return undefined;
  const pick = (variant: Variant, cpu = false): number[] => of.map((sample) => (cpu ? sample.cpuMs : sample.ms)[variant]);
  const w = summarize(pick('with'));
  const wo = summarize(pick('without'));
  const cw = summarize(pick('with', true));
  const cwo = summarize(pick('without', true));
  return {
    steps: of.length,
    withMs: { p50: w.median, p95: w.p95 },
    withoutMs: { p50: wo.median, p95: wo.p95 },
    ratioP50: round3(w.median / wo.median),
    ratioP95: round3(w.p95 / wo.p95),
    pairedRatioMedian: round3(median(of.map((sample) => sample.ms.with / sample.ms.without))),
    cpuWithMs: { p50: cw.median, p95: cw.p95 },
    cpuWithoutMs: { p50: cwo.median, p95: cwo.p95 },
    cpuRatioP50: round3(cw.median / Math.max(0.1, cwo.median)),
    disagreements: of.filter((sample) => !sample.agree).length,
  };
}

/** Writes bench/results/desktop-locate.json from what was measured so far. */
function writeResults(complete: boolean) {
  const loadAfter = os.loadavg().map(round1);
  const flows = Object.fromEntries(Object.keys(verdicts).map((name) => [name, compare(samples.filter((sample) => sample.flow === name))]));
  const results = {
    complete,
    date: startedAt.slice(0, 10),
    startedAt,
    endedAt: new Date().toISOString(),
    machine: 'Debian, 2 shared cores, Xvfb 1920×1080×24 + openbox',
    loadBefore,
    loadAfter,
    method:
      'each challenge flow recorded once at a human pace, replayed N times by the engine; before each click step its target located twice on the same screen, identity checks on and off (checkIdentity: false), order alternating per step; settle off in both; wall-clock and process CPU per locate',
    runs,
    all: compare(samples),
    withIdentityCandidates: compare(samples.filter((sample) => sample.identity)),
    withoutIdentityCandidates: compare(samples.filter((sample) => !sample.identity)),
    flows,
    replays: verdicts,
    recordingProblems,
    samples: samples.map((sample) => ({ ...sample, ms: { with: round1(sample.ms.with), without: round1(sample.ms.without) }, cpuMs: { with: round1(sample.cpuMs.with), without: round1(sample.cpuMs.without) } })),
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

const results = writeResults(true);
const { flows, loadAfter } = results;
const row = (name: string, figures: Record<string, unknown> | undefined): Array<string | number> => {
  if (!figures) return [name, '', '', '', '', ''];
  const f = figures as { steps: number; withMs: { p50: number; p95: number }; withoutMs: { p50: number; p95: number }; ratioP50: number; ratioP95: number; cpuRatioP50: number };
  return [name, f.steps, `${f.withMs.p50} / ${f.withMs.p95}`, `${f.withoutMs.p50} / ${f.withoutMs.p95}`, `${f.ratioP50}× / ${f.ratioP95}×`, `${f.cpuRatioP50}×`];
};
console.log(`load before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')}`);
console.log(
  table([
    ['click steps located', 'steps', 'with checks p50 / p95 ms', 'without p50 / p95 ms', 'ratio p50 / p95', 'CPU ratio p50'],
    row('all', results.all),
    row('targets with an identity candidate', results.withIdentityCandidates),
    row('targets without one', results.withoutIdentityCandidates),
    ...Object.entries(flows).map(([name, figures]) => row(`  ${name}`, figures)),
  ]),
);
for (const [name, tally] of Object.entries(verdicts)) console.log(`${name}: ${tally.right}/${tally.runs} right, ${tally.wrongControl} wrong-control, ${tally.silentPasses} silent passes${tally.failures.length ? `\n  ${tally.failures.join('\n  ')}` : ''}`);
assert.ok(samples.length > 0, 'no click step was located');
process.exit(0);
