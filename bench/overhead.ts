// bench/overhead: what the runner costs on top of plain Playwright, and how long `rpa run`
// takes to reach its first step.
//
//   npx tsc -p tsconfig.json && node dist/bench/overhead.js [--quick]
//
// 1. Runner overhead. The same 173-step flow (bench/overhead-flow.ts) on the demo system
//    (slowMs 0), run by
//      A  the runner: Engine.run in-process, SQLite run store recording every event,
//         headless, RPA_HOME in a temp dir;
//      B  a hand-written playwright-core script (bench/overhead-plain.ts) with the same
//         locators (each target's first candidate), same Chromium build, same launch
//         args (CHROMIUM_ARGS) and same context options.
//    Alternated A B A B … after one warm-up of each; every run launches its own browser.
//    Timed window, both sides: from "browser launched, tab open" to "last step done" —
//    the launch and the close are excluded (they are reported separately, for
//    information). A: from the step.succeeded event of step 1 (browser.open, no URL) to
//    the step.succeeded event of the last step, as the event listener sees them (so after
//    the store recorded them). B: from after chromium.launch/newContext/newPage to after
//    the last action.
//    Both must file the same claims and read back the same values (asserted).
// 2. Start-up: `node dist/cli/rpa.js run tiny.json --json`, spawn → the step.started line
//    of step 1 on stdout, and spawn → exit; compared with `node -e ""`.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemoSystem, DEMO_PASSWORD, DEMO_USER, type Claim, type DemoSystem } from '../assets/demo-system/server.js';
import { Engine } from '../engine/api.js';
import type { RunEvent } from '../engine/events.js';
import { CHROMIUM_ARGS } from '../engine/runner/browser-session.js';
import { buildFlow, ROUNDS } from './overhead-flow.js';
import { runPlain, type PlainResult } from './overhead-plain.js';
import { median, round1, round3, summarize, table, type Summary } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', process.argv.includes('--compare-look-ahead') ? 'overhead-look-ahead.json' : 'overhead.json');
const RPA_CLI = path.join(ROOT, 'dist', 'cli', 'rpa.js');
const SEED_CLAIMS = 35;
const TARGET_RATIO = 1.15;
const TARGET_STARTUP_MS = 1000;

const quick = process.argv.includes('--quick');
// --compare-look-ahead: also A0, the runner without its look-ahead for the next step's element
// (engine/runner/runner.ts lookAhead; RPA_BENCH_NO_LOOK_AHEAD), run A A0 B A A0 B …, to show its cost.
const compareLookAhead = process.argv.includes('--compare-look-ahead');
const RUNS = quick ? 2 : 6;
const STARTUP_RUNS = quick ? 3 : 10;

interface Sample {
  /** First step to last step, browser launch excluded. */
  windowMs: number;
  /** Everything, launch and close included (A: Engine.run call to its result). */
  totalMs: number;
  /** CPU time of this Node process (runner or script, plus the in-process demo server) inside the window. */
  cpuMs: number;
  claims: unknown[];
  results: unknown;
  pages: unknown;
  steps: number;
}

interface RunnerSample extends Sample {
  events: number;
  /** Sum of the steps' own durations (step.started → step.succeeded) inside the window. */
  inStepMs: number;
  /** Per step kind: summed step durations in the window. */
  byKind: Record<string, number>;
}

/** What a run left in the demo system, without the wall-clock fields. */
function filedClaims(demo: DemoSystem): unknown[] {
  return demo.state.claims.slice(SEED_CLAIMS).map((claim: Claim) => {
    const { createdAt: _createdAt, ...rest } = claim;
    return rest;
  });
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ---- A: the runner --------------------------------------------------------------

async function runRunner(engine: Engine, demo: DemoSystem, file: string, totalSteps: number): Promise<RunnerSample> {
  demo.reset();
  const lastPath = String(totalSteps);
  let start: number | undefined;
  let end: number | undefined;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  let events = 0;
  let inStepMs = 0;
  const byKind: Record<string, number> = {};
  const fallbacks: string[] = [];
  const began = performance.now();
  const result = await engine.run({ file, inputs: { baseUrl: demo.url } }, (event: RunEvent) => {
    events++;
    if (event.type !== 'step.succeeded') return;
    if (event.path === '1') {
      start = performance.now();
      cpuStart = process.cpuUsage();
    } else {
      inStepMs += event.durationMs;
      byKind[event.kind] = (byKind[event.kind] ?? 0) + event.durationMs;
    }
    if (event.path === lastPath) {
      end = performance.now();
      cpu = process.cpuUsage(cpuStart);
    }
    if (event.locator?.fallback) fallbacks.push(`${event.path}: ${event.locator.description}`);
  });
  const totalMs = performance.now() - began;
  assert.equal(result.status, 'passed', `runner run failed: ${JSON.stringify(result.error)}`);
  assert.ok(start !== undefined && end !== undefined && cpu !== undefined, 'missed the first or last step event');
  assert.deepEqual(fallbacks, [], 'every target must match on its first candidate (the plain script uses only that one)');
  // The store has every event the listener saw.
  assert.equal(engine.events(result.runId).length, events, 'the run store must hold every event');
  const steps = engine.getRun(result.runId)?.steps.filter((s) => s.status === 'passed').length ?? 0;
  return {
    windowMs: end - start,
    totalMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    claims: filedClaims(demo),
    results: result.outputs['results'],
    pages: result.outputs['pages'],
    steps,
    events,
    inStepMs,
    byKind,
  };
}

/** What the look-ahead costs: the runner with it (A) against without it (A0), run back to back. */
function lookAheadCost(a: RunnerSample[], a0: RunnerSample[]): { withMedianMs: number; withoutMedianMs: number; withCpuMedianMs: number; withoutCpuMedianMs: number; pairedRatios: { samples: number[]; median: number; min: number; max: number } } {
  const paired = a0.map((s, i) => a[i]!.windowMs / s.windowMs);
  return {
    withMedianMs: round1(median(a.map((s) => s.windowMs))),
    withoutMedianMs: round1(median(a0.map((s) => s.windowMs))),
    withCpuMedianMs: round1(median(a.map((s) => s.cpuMs))),
    withoutCpuMedianMs: round1(median(a0.map((s) => s.cpuMs))),
    pairedRatios: { samples: paired.map(round3), median: round3(median(paired)), min: round3(Math.min(...paired)), max: round3(Math.max(...paired)) },
  };
}

// ---- B: plain Playwright ------------------------------------------------------------

async function runPlainOnce(demo: DemoSystem): Promise<Sample> {
  demo.reset();
  const began = performance.now();
  // Same launch and context options as engine/runner/browser-session.ts.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  let plain: PlainResult;
  let windowMs: number;
  let cpu: NodeJS.CpuUsage;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    plain = await runPlain(page, demo.url, DEMO_USER, DEMO_PASSWORD);
    windowMs = performance.now() - start;
    cpu = process.cpuUsage(cpuStart);
    await context.close();
  } finally {
    await browser.close();
  }
  return { windowMs, totalMs: performance.now() - began, cpuMs: (cpu.user + cpu.system) / 1000, claims: filedClaims(demo), results: plain.results, pages: plain.pages, steps: plain.steps };
}

// ---- start-up of `rpa run` ------------------------------------------------------------

interface Spawned {
  firstStepMs: number | undefined;
  exitMs: number;
  code: number | null;
}

function timeSpawn(args: string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    let firstStepMs: number | undefined;
    let buffered = '';
    let stderr = '';
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (firstStepMs === undefined && line.includes('"step.started"')) {
          const event = JSON.parse(line) as { type?: string; path?: string };
          if (event.type === 'step.started' && event.path === '1') firstStepMs = performance.now() - began;
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ firstStepMs, exitMs: performance.now() - began, code });
    });
  });
}

async function measureStartup(dir: string): Promise<Record<string, unknown>> {
  const tiny = path.join(dir, 'tiny.json');
  writeFileSync(
    tiny,
    JSON.stringify({
      format: 1,
      id: 'bench.tiny',
      name: 'Tiny',
      version: '1.0.0',
      steps: [
        { kind: 'log', message: 'first step' },
        { kind: 'log', message: 'second step' },
      ],
    }),
  );
  const env = { ...process.env, RPA_HOME: path.join(dir, 'cli-home'), RPA_BROWSER: CHROMIUM };
  const rpaArgs = [RPA_CLI, 'run', tiny, '--json'];
  // The first run creates and migrates the store: reported on its own, not in the samples.
  const cold = await timeSpawn(rpaArgs, env);
  await timeSpawn(['-e', ''], env);
  // What the biggest dependency alone costs to import (the runner imports it before step 1).
  const importPlaywright = ['--input-type=module', '-e', "import 'playwright-core';"];
  await timeSpawn(importPlaywright, env);
  const firstStep: number[] = [];
  const exit: number[] = [];
  const nodeBare: number[] = [];
  const nodePlaywright: number[] = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const run = await timeSpawn(rpaArgs, env);
    assert.ok(run.firstStepMs !== undefined, 'no step.started line for step 1 on stdout');
    firstStep.push(run.firstStepMs);
    exit.push(run.exitMs);
    nodeBare.push((await timeSpawn(['-e', ''], env)).exitMs);
    nodePlaywright.push((await timeSpawn(importPlaywright, env)).exitMs);
  }
  return {
    command: `node dist/cli/rpa.js run <tiny: 2 log steps> --json`,
    runs: STARTUP_RUNS,
    coldFirstRun: { firstStepMs: round1(cold.firstStepMs ?? Number.NaN), exitMs: round1(cold.exitMs), note: 'creates and migrates runs.db; not in the samples' },
    toFirstStepMs: { samples: firstStep.map(round1), ...summarize(firstStep) },
    processTotalMs: { samples: exit.map(round1), ...summarize(exit) },
    nodeEmptyMs: { command: 'node -e ""', samples: nodeBare.map(round1), ...summarize(nodeBare) },
    nodeImportPlaywrightMs: { command: `node --input-type=module -e "import 'playwright-core';"`, samples: nodePlaywright.map(round1), ...summarize(nodePlaywright) },
    targetMs: TARGET_STARTUP_MS,
  };
}

// ---- machine ------------------------------------------------------------------------

function machine(): Record<string, unknown> {
  let chromiumVersion = 'unknown';
  try {
    chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // keep "unknown"
  }
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'playwright-core', 'package.json'), 'utf8')) as { version: string };
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: round1(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromiumVersion,
    playwrightCore: pkg.version,
  };
}

// ---- main ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map(round1);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-bench-overhead-'));
  const demo = await startDemoSystem({ port: 0, slowMs: 0 });
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const engine = Engine.open({
    env: { ...process.env, RPA_HOME: home, RPA_BROWSER: CHROMIUM },
    secrets: { get: (name) => (name === 'portalPassword' ? DEMO_PASSWORD : undefined), hint: () => 'built into the benchmark' },
  });
  try {
    const flowFile = path.join(dir, 'overhead-flow.json');
    writeFileSync(flowFile, `${JSON.stringify(buildFlow(), null, 2)}\n`);
    const totalSteps = engine.validate(flowFile).doc.steps.length;
    log(`bench/overhead${quick ? ' (quick)' : ''}: ${totalSteps} steps, ${ROUNDS.length} claims a run; ${RUNS} runs each after 1 warm-up; demo system ${demo.url} (slowMs 0)`);

    const a: RunnerSample[] = [];
    const a0: RunnerSample[] = [];
    const b: Sample[] = [];
    let reference: Sample | undefined;
    const check = (label: string, sample: Sample): void => {
      assert.equal(sample.steps, totalSteps, `${label}: performed ${sample.steps} steps, expected ${totalSteps}`);
      assert.equal(sample.claims.length, ROUNDS.length, `${label}: filed ${sample.claims.length} claims, expected ${ROUNDS.length}`);
      reference ??= sample;
      assert.deepEqual(sample.claims, reference.claims, `${label}: left a different state in the demo system`);
      assert.deepEqual(sample.results, reference.results, `${label}: read back different claim numbers / statuses`);
      assert.deepEqual(sample.pages, reference.pages, `${label}: read back different page numbers`);
    };
    for (let i = 0; i <= RUNS; i++) {
      const tag = i === 0 ? 'warm-up' : `run ${i}/${RUNS}`;
      const runner = await runRunner(engine, demo, flowFile, totalSteps);
      check(`A ${tag}`, runner);
      let withoutLookAhead: RunnerSample | undefined;
      if (compareLookAhead) {
        process.env['RPA_BENCH_NO_LOOK_AHEAD'] = '1';
        try {
          withoutLookAhead = await runRunner(engine, demo, flowFile, totalSteps);
        } finally {
          delete process.env['RPA_BENCH_NO_LOOK_AHEAD'];
        }
        check(`A0 ${tag}`, withoutLookAhead);
      }
      const plain = await runPlainOnce(demo);
      check(`B ${tag}`, plain);
      log(`  ${tag.padEnd(9)}  A runner ${runner.windowMs.toFixed(0).padStart(6)} ms${withoutLookAhead ? `   A0 no look-ahead ${withoutLookAhead.windowMs.toFixed(0).padStart(6)} ms` : ''}   B plain ${plain.windowMs.toFixed(0).padStart(6)} ms`);
      if (i > 0) {
        a.push(runner);
        if (withoutLookAhead) a0.push(withoutLookAhead);
        b.push(plain);
      }
    }

    const aWindow = summarize(a.map((s) => s.windowMs));
    const bWindow = summarize(b.map((s) => s.windowMs));
    const aTotal = summarize(a.map((s) => s.totalMs));
    const aCpu = summarize(a.map((s) => s.cpuMs));
    const bCpu = summarize(b.map((s) => s.cpuMs));
    const bTotal = summarize(b.map((s) => s.totalMs));
    const ratio = round3(aWindow.median / bWindow.median);
    // Each A is paired with the B right after it: less sensitive to load drifting during the benchmark.
    const pairedRatios = a.map((s, i) => s.windowMs / b[i]!.windowMs);
    const pairedMin = Math.min(...pairedRatios);
    const pairedMax = Math.max(...pairedRatios);
    const perStep = (s: Summary): number => round3(s.median / (totalSteps - 1));
    const gap = summarize(a.map((s) => s.windowMs - s.inStepMs));
    const kinds = Object.keys(a[0]!.byKind).sort();
    const byKind = Object.fromEntries(kinds.map((kind) => [kind, round1(summarize(a.map((s) => s.byKind[kind] ?? 0)).median)]));

    log('measuring rpa run start-up…');
    const startup = await measureStartup(dir);
    const first = startup['toFirstStepMs'] as Summary;
    const exitSummary = startup['processTotalMs'] as Summary;
    const bare = startup['nodeEmptyMs'] as Summary;
    const pwImport = startup['nodeImportPlaywrightMs'] as Summary;

    const report = {
      benchmark: 'bench/overhead',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      // Other work on the machine skews every figure; a 1-minute load above the core count means contention.
      loadAverage: { before: loadBefore, after: os.loadavg().map(round1) },
      flow: {
        steps: totalSteps,
        claimsPerRun: ROUNDS.length,
        runnerEventsPerRun: a[0]!.events,
        generator: 'bench/overhead-flow.ts',
        plainTwin: 'bench/overhead-plain.ts',
        demoSlowMs: 0,
      },
      method: {
        order: 'A B A B … (A = runner, B = plain playwright-core); 1 warm-up of each, not counted',
        window: 'first step to last step, browser launch and close excluded: A from the step.succeeded event of step 1 (browser.open, launch only) to the step.succeeded event of the last step; B from after chromium.launch + newContext + newPage to after the last action',
        browser: `${CHROMIUM}, headless, args = CHROMIUM_ARGS from engine/runner/browser-session.ts, viewport 1280x800, one browser per run`,
        store: 'A records every event in SQLite (RPA_HOME in a temp dir, one Engine for all runs)',
        p95: 'nearest rank; with fewer than 20 samples it equals the max',
      },
      overhead: {
        runsEach: RUNS,
        runner: {
          windowMs: { samples: a.map((s) => round1(s.windowMs)), ...aWindow },
          totalMs: { samples: a.map((s) => round1(s.totalMs)), ...aTotal },
          nodeCpuMsInWindow: { samples: a.map((s) => round1(s.cpuMs)), ...aCpu },
        },
        plain: {
          windowMs: { samples: b.map((s) => round1(s.windowMs)), ...bWindow },
          totalMs: { samples: b.map((s) => round1(s.totalMs)), ...bTotal },
          nodeCpuMsInWindow: { samples: b.map((s) => round1(s.cpuMs)), ...bCpu },
        },
        ratioOfMedians: ratio,
        pairedRatios: { note: 'A run i / B run i (run back to back)', samples: pairedRatios.map(round3), median: round3(median(pairedRatios)), min: round3(pairedMin), max: round3(pairedMax) },
        ...(a0.length ? { lookAhead: lookAheadCost(a, a0) } : {}),
        target: TARGET_RATIO,
        meetsTarget: ratio <= TARGET_RATIO,
        perStepMs: { runner: perStep(aWindow), plain: perStep(bWindow), extra: round3((aWindow.median - bWindow.median) / (totalSteps - 1)) },
        runnerBreakdown: {
          note: 'medians over the counted runner runs, inside the window; "between steps" = window minus the steps\' own durations (event emission, store writes, template/label rendering)',
          betweenStepsMs: gap.median,
          stepDurationsByKindMs: byKind,
        },
      },
      startup: { ...startup, meetsTarget: first.median < TARGET_STARTUP_MS },
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);

    const m = report.machine;
    console.log('');
    console.log(`bench/overhead — ${report.date}${quick ? '  (QUICK: too few runs to quote)' : ''}`);
    console.log(`${String(m['os'])}, ${String(m['cpu'])} × ${String(m['cores'])}, node ${String(m['node'])}, ${String(m['chromium'])}, playwright-core ${String(m['playwrightCore'])}`);
    console.log(`load average before ${loadBefore.join(' ')}, after ${os.loadavg().map(round1).join(' ')} (${String(m['cores'])} cores)`);
    console.log(`flow: ${totalSteps} steps, ${ROUNDS.length} claims filed a run, demo slowMs 0; ${RUNS} runs each, alternated, after 1 warm-up each`);
    console.log('');
    console.log(
      table([
        ['first step → last step (launch excluded)', 'median ms', 'p95 ms', 'min ms', 'max ms', 'ms/step'],
        ['A runner (Engine.run + SQLite store)', aWindow.median, aWindow.p95, aWindow.min, aWindow.max, perStep(aWindow)],
        ['B plain playwright-core script', bWindow.median, bWindow.p95, bWindow.min, bWindow.max, perStep(bWindow)],
        ['A incl. launch + close (info)', aTotal.median, aTotal.p95, aTotal.min, aTotal.max, ''],
        ['B incl. launch + close (info)', bTotal.median, bTotal.p95, bTotal.min, bTotal.max, ''],
        ['A Node CPU in window (info)', aCpu.median, aCpu.p95, aCpu.min, aCpu.max, ''],
        ['B Node CPU in window (info)', bCpu.median, bCpu.p95, bCpu.min, bCpu.max, ''],
      ]),
    );
    console.log('');
    console.log(`ratio runner/plain of medians: ${ratio.toFixed(3)}×  (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'MET' : 'NOT MET'})`);
    console.log(`paired ratios A_i/B_i: median ${median(pairedRatios).toFixed(3)}×, range ${pairedMin.toFixed(3)}–${pairedMax.toFixed(3)}`);
    console.log(`runner time between steps (median): ${gap.median.toFixed(1)} ms for ${totalSteps - 1} steps`);
    if (a0.length) {
      const cost = lookAheadCost(a, a0);
      console.log(`look-ahead: A ${cost.withMedianMs} ms vs A0 (without) ${cost.withoutMedianMs} ms (Node CPU ${cost.withCpuMedianMs} vs ${cost.withoutCpuMedianMs} ms); paired A_i/A0_i median ${cost.pairedRatios.median}×, range ${cost.pairedRatios.min}–${cost.pairedRatios.max}`);
    }
    console.log('');
    console.log(
      table([
        ['start-up', 'median ms', 'p95 ms', 'min ms', 'max ms', ''],
        ['rpa run --json: spawn → step 1 started', first.median, first.p95, first.min, first.max, ''],
        ['rpa run --json: spawn → exit', exitSummary.median, exitSummary.p95, exitSummary.min, exitSummary.max, ''],
        ['node -e "": spawn → exit', bare.median, bare.p95, bare.min, bare.max, ''],
        ['node -e "import \'playwright-core\'": spawn → exit', pwImport.median, pwImport.p95, pwImport.min, pwImport.max, ''],
      ]),
    );
    console.log(`start-up to first step: ${first.median.toFixed(0)} ms (target < ${TARGET_STARTUP_MS} ms: ${first.median < TARGET_STARTUP_MS ? 'MET' : 'NOT MET'})`);
    console.log('');
    console.log(`written: ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    engine.close();
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
