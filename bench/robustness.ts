// bench/robustness: do recorded automations survive a new release of the legacy system?
//
//   npx tsc -p tsconfig.json && node scripts/build-page.mjs && node dist/bench/robustness.js [--reps N] [--quick]
//
// 1. Record: each flow of bench/robustness-flows.ts is performed with real Playwright input
//    in the recorder's browser (recorder/api.ts startRecording, headless) on the unmutated
//    demo system; the recorder's automation is what is measured. While driving, the bench
//    notes each acted element's absolute nth-child CSS path (what naive recorders store).
// 2. Replay each recording against the demo system unmutated and under each markup mutation
//    (assets/demo-system/mutations.ts: ids, classes, wrappers, order, text, layout, label),
//    with three strategies:
//      a  ranked candidates + self-healing (the recording as it is),
//      b  first candidate only (no fallback, no fingerprint),
//      c  CSS path only (the nth-child path noted while recording; no fingerprint),
//      d  (extra, to exercise healing) the recording's role/label/text/… candidates only — its
//         CSS and XPath candidates dropped — with the fingerprint: what healing adds when the
//         markup-bound candidates are not there.
//    Runs go through the engine's Run (real Chromium, headless), defaults.timeoutMs 5 s. Each
//    replay ends with a wait for the flow's last page (the wait a builder adds with the
//    recorder's toolbar), the same for every strategy.
// 3. Judge by the data that reached the server (the demo system's claims against the seed):
//      pass   the run passed and exactly the intended change landed;
//      fail   the run failed and nothing wrong landed;
//      wrong  a wrong change landed (claims, or a sign-in attempt under another user name:
//             text typed into the wrong field), a "passed" run left the data unchanged or
//             wrong, or a healed step acted on an element whose form-field name is none of the
//             recorded ones. Wrong-element actions are worse than failures: reported apart.
// Results: bench/results/robustness.json and a table on stdout (~N: steps healed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, DEMO_USER, MUTATION_KINDS, startDemoSystem, type Claim, type DemoSystem, type MutationKind } from '../assets/demo-system/server.js';
import type { RunEvent } from '../engine/events.js';
import { loadAutomation } from '../engine/format/load.js';
import type { Automation, Fingerprint, Step, Target } from '../engine/format/schema.js';
import { scoreFingerprint } from '../engine/runner/heal-score.js';
import { Run } from '../engine/runner/runner.js';
import { startRecording } from '../recorder/api.js';
import { Driver, FLOWS, UPLOAD_FILE, type Flow, type Tracked } from './robustness-flows.js';
import { table } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'robustness.json');
const STRATEGIES = { a: 'candidates + healing', b: 'first candidate only', c: 'CSS path only', d: 'semantic candidates + healing' } as const;
type Strategy = keyof typeof STRATEGIES;
type Variant = 'none' | MutationKind;
type Outcome = 'pass' | 'fail' | 'wrong';

interface Recording {
  flow: Flow;
  automation: Automation;
  origin: string;
  tracked: Tracked[];
}

async function record(flow: Flow, demo: DemoSystem, seed: Claim[]): Promise<Recording> {
  demo.reset();
  const session = await startRecording({ url: `${demo.url}/login`, headless: true, executablePath: CHROMIUM, id: `bench.${flow.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, name: flow.name });
  const driver = new Driver(session.page);
  try {
    await flow.drive(driver);
  } catch (error) {
    await session.stop().catch(() => undefined);
    throw error;
  }
  const automation = await session.stop();
  if (flow.judge(seed, demo.state) !== 'ok') throw new Error(`recording "${flow.name}" did not do on the demo system what it should`);
  return { flow, automation, origin: demo.url, tracked: driver.tracked };
}

/** Applies `change` to every target in a document (steps, nested steps, conditions). */
function mapTargets(value: unknown, change: (target: Target) => Target): unknown {
  if (Array.isArray(value)) return value.map((item) => mapTargets(item, change));
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (Array.isArray(object['candidates'])) return change(object as unknown as Target);
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, mapTargets(item, change)]));
}

function cssPathFor(fingerprint: Fingerprint | undefined, tracked: Tracked[]): string | undefined {
  if (!fingerprint) return undefined;
  const scored = tracked.map((t) => ({ t, score: scoreFingerprint(fingerprint, t.fingerprint) })).sort((x, y) => y.score - x.score);
  return scored[0] && scored[0].score >= 0.9 ? scored[0].t.cssPath : undefined;
}

function forStrategy(recording: Recording, strategy: Strategy): { doc: Automation; unmatched: number } {
  let unmatched = 0;
  const doc = mapTargets(recording.automation, (target) => {
    if (strategy === 'a') return target;
    const { fingerprint: _dropped, ...rest } = target;
    if (strategy === 'b') return { ...rest, candidates: [target.candidates[0]!] };
    if (strategy === 'd') {
      const semantic = target.candidates.filter((candidate) => !('css' in candidate) && !('xpath' in candidate));
      return { ...target, candidates: semantic.length ? semantic : [target.candidates[0]!] };
    }
    const css = cssPathFor(target.fingerprint, recording.tracked);
    if (!css) unmatched++;
    return { ...rest, candidates: css ? [{ css }] : [target.candidates[0]!] };
  }) as Automation;
  // Every strategy ends with the same wait for the flow's last page, as a builder adds it with the
  // toolbar; without it the run could end (and close the browser) before the last post arrives.
  const { text, frame } = recording.flow.done;
  const wait: Step = { kind: 'browser.waitFor', name: 'flow done', target: { candidates: [{ text }], ...(frame ? { frame } : {}) }, state: 'visible' };
  return { doc: { ...doc, defaults: { ...doc.defaults, timeoutMs: 5_000 }, steps: [...doc.steps, wait] }, unmatched };
}

interface RunOutcome {
  outcome: Outcome;
  status: string;
  verdict: string;
  healed: number;
  wrongHeal: boolean;
  error?: string;
}

async function replay(doc: Automation, recording: Recording, demo: DemoSystem, seed: Claim[], dir: string): Promise<RunOutcome> {
  demo.reset();
  const file = path.join(dir, `${doc.id}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2).split(recording.origin).join(demo.url));
  const automation = loadAutomation(file);
  const events: RunEvent[] = [];
  const inputs = Object.fromEntries((doc.inputs ?? []).filter((i) => i.type === 'file').map((i) => [i.name, UPLOAD_FILE]));
  const run = new Run(automation, {
    inputs,
    headless: true,
    browserPath: () => CHROMIUM,
    artifactsDir: path.join(dir, 'artifacts'),
    secrets: new Map((doc.secrets ?? []).map((name) => [name, DEMO_PASSWORD])),
    onEvent: (event) => events.push(event),
  });
  const result = await run.execute();
  // A sign-in attempt under another user name means a field was typed into the wrong box (the
  // password into the user name field, say): wrong data reached the server even if nothing was filed.
  const strayLogin = demo.state.logins.some((login) => login.user !== DEMO_USER);
  const verdict = strayLogin ? 'wrong' : recording.flow.judge(seed, demo.state);
  const healedSteps = events.flatMap((e) => (e.type === 'step.succeeded' && e.locator?.healed ? [e.locator.healed] : []));
  const recordedNames = new Set<string>();
  mapTargets(doc, (t) => {
    const name = t.fingerprint?.attributes?.['name'];
    if (name) recordedNames.add(name);
    return t;
  });
  // A healed element that is a form field of another name than any recorded target: a wrong element.
  const wrongHeal = healedSteps.some((h) => h.fingerprint?.attributes?.['name'] !== undefined && !recordedNames.has(h.fingerprint.attributes['name']));
  const outcome: Outcome = verdict === 'wrong' || wrongHeal || (result.status === 'passed' && verdict !== 'ok') ? 'wrong' : result.status === 'passed' ? 'pass' : 'fail';
  return { outcome, status: result.status, verdict, healed: healedSteps.length, wrongHeal, ...(result.error ? { error: result.error.message.split('\n')[0]!.slice(0, 300) } : {}) };
}

interface Cell {
  flow: string;
  variant: Variant;
  strategy: Strategy;
  runs: RunOutcome[];
}

function rate(cells: Cell[], outcome: Outcome): { count: number; of: number } {
  const runs = cells.flatMap((c) => c.runs);
  return { count: runs.filter((r) => r.outcome === outcome).length, of: runs.length };
}

async function main(): Promise<void> {
  const repsArg = process.argv.indexOf('--reps');
  const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 2;
  const quick = process.argv.includes('--quick');
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '').split(',') : undefined;
  const variants: Variant[] = only ? (only as Variant[]) : quick ? ['none', 'label', 'order'] : ['none', ...MUTATION_KINDS];
  const flows = quick ? FLOWS.slice(0, 2) : FLOWS;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-robustness-'));
  const started = Date.now();
  const plain = await startDemoSystem({ port: 0, slowMs: 100 });
  const seed = JSON.parse(JSON.stringify(plain.state.claims)) as Claim[];
  const recordings: Recording[] = [];
  try {
    for (const flow of flows) {
      const recording = await record(flow, plain, seed);
      recordings.push(recording);
      writeFileSync(path.join(dir, `recorded-${recordings.length}.json`), JSON.stringify(recording.automation, null, 2));
      console.error(`recorded "${flow.name}": ${recording.automation.steps.length} steps`);
    }
  } finally {
    await plain.close();
  }

  const cells: Cell[] = [];
  const unmatchedCss: Record<string, number> = {};
  for (const variant of variants) {
    const demo = await startDemoSystem({ port: 0, slowMs: 100, ...(variant === 'none' ? {} : { mutation: variant }) });
    try {
      for (const recording of recordings) {
        for (const strategy of Object.keys(STRATEGIES) as Strategy[]) {
          const { doc, unmatched } = forStrategy(recording, strategy);
          if (strategy === 'c') unmatchedCss[recording.flow.name] = unmatched;
          const cell: Cell = { flow: recording.flow.name, variant, strategy, runs: [] };
          for (let rep = 0; rep < reps; rep++) cell.runs.push(await replay(doc, recording, demo, seed, dir));
          cells.push(cell);
          const last = cell.runs.at(-1)!;
          console.error(`${variant.padEnd(9)} ${strategy} ${recording.flow.name.padEnd(42)} ${cell.runs.map((r) => (r.outcome === 'wrong' ? `wrong[${r.status}, data ${r.verdict}${r.wrongHeal ? ', healed onto another field' : ''}]` : r.outcome)).join(' ')}${last.error ? `  (${last.error.slice(0, 120)})` : ''}`);
        }
      }
    } finally {
      await demo.close();
    }
  }

  const byVariant = variants.map((variant) => {
    const row: Record<string, unknown> = { variant };
    for (const strategy of Object.keys(STRATEGIES) as Strategy[]) {
      const these = cells.filter((c) => c.variant === variant && c.strategy === strategy);
      const pass = rate(these, 'pass');
      row[strategy] = { passRate: pass.count / pass.of, passed: pass.count, runs: pass.of, wrong: rate(these, 'wrong').count, healedSteps: these.flatMap((c) => c.runs).reduce((s, r) => s + r.healed, 0) };
    }
    return row;
  });
  const overall = Object.fromEntries(
    (Object.keys(STRATEGIES) as Strategy[]).map((strategy) => {
      const these = cells.filter((c) => c.strategy === strategy);
      const pass = rate(these, 'pass');
      const healedSteps = these.flatMap((c) => c.runs).reduce((sum, r) => sum + r.healed, 0);
      return [strategy, { strategy: STRATEGIES[strategy], passRate: pass.count / pass.of, passed: pass.count, runs: pass.of, wrong: rate(these, 'wrong').count, healedSteps }];
    }),
  );
  const results = {
    benchmark: 'robustness',
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown cpu'} ×${os.cpus().length}, ${os.platform()} ${os.release()}, node ${process.version}`,
    method: 'flows recorded with the recorder on the unmutated demo system; replayed per mutation kind and strategy; judged by the demo system data',
    reps,
    flows: recordings.map((r) => ({ name: r.flow.name, steps: r.automation.steps.length, cssPathTargetsUnmatched: unmatchedCss[r.flow.name] ?? 0 })),
    strategies: STRATEGIES,
    overall,
    byVariant,
    cells: cells.map((c) => ({ ...c, runs: c.runs.map((r) => ({ outcome: r.outcome, status: r.status, verdict: r.verdict, healed: r.healed, ...(r.error ? { error: r.error } : {}) })) })),
    durationS: Math.round((Date.now() - started) / 1000),
  };
  if (!quick) writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  console.log(
    table([
      ['mutation', ...(Object.keys(STRATEGIES) as Strategy[]).map((s) => `${s}: ${STRATEGIES[s]}`), `wrong ${Object.keys(STRATEGIES).join('/')}`],
      ...byVariant.map((row) => {
        const cell = (s: Strategy): { passRate: number; passed: number; runs: number; wrong: number; healedSteps: number } => row[s] as { passRate: number; passed: number; runs: number; wrong: number; healedSteps: number };
        return [String(row['variant']), ...(Object.keys(STRATEGIES) as Strategy[]).map((s) => `${pct(cell(s).passRate)} (${cell(s).passed}/${cell(s).runs})${cell(s).healedSteps ? ` ~${cell(s).healedSteps}` : ''}`), (Object.keys(STRATEGIES) as Strategy[]).map((s) => cell(s).wrong).join('/')];
      }),
    ]),
  );
  console.log(`overall: ${(Object.keys(STRATEGIES) as Strategy[]).map((s) => `${s} ${pct(overall[s]!.passRate)} pass, ${overall[s]!.wrong} wrong`).join(' · ')}`);
  if (!quick) console.log(`written ${path.relative(process.cwd(), RESULTS_FILE)}`);
  if (quick) console.log(`recordings and artifacts kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
