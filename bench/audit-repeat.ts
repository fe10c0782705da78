// bench/audit-repeat: bench/audit run N times in a row (each a process of its own, with the flags
// npm run server uses), summarized into bench/results/audit-runs.json; the last run's full report
// is bench/results/audit.json. One run on a shared 2-core machine swings by a quarter, so README
// quotes the range over runs, with the load average each saw.
//
//   node dist/bench/audit-repeat.js [--runs 4] [--db URL]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string' }, db: { type: 'string' } } });
const RUNS = Number(values.runs ?? 4);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 20) throw new Error(`--runs must be a whole number from 1 to 20, not ${values.runs}`);
const RESULTS = path.join(ROOT, 'bench', 'results');
const PHASES = ['single', 'singlePipelined', 'concurrent4', 'drain100k'] as const;
type PhaseName = (typeof PHASES)[number];

interface PhaseFigures {
  recordsPerS: number;
  latencyMs: { p99: number };
}
type Figures = Record<PhaseName, PhaseFigures> & { physicalLimit: { recordsPerS: number }; drainVsPhysical: number };
interface Report {
  date: string;
  machine: unknown;
  loadAverage: { before: number[]; after: number[] };
  figures: Figures;
  figuresInThread: Figures;
  poolVsInThread: Record<PhaseName, number>;
}

const pick = (figures: Figures) => Object.fromEntries(PHASES.map((name) => [name, { recordsPerS: figures[name].recordsPerS, p99Ms: figures[name].latencyMs.p99 }])) as Record<PhaseName, { recordsPerS: number; p99Ms: number }>;

interface RunSummary {
  loadAverage: Report['loadAverage'];
  workers: ReturnType<typeof pick>;
  serverThread: ReturnType<typeof pick>;
  physicalLimit: number;
  drainVsPhysical: number;
  workersVsServerThread: Record<PhaseName, number>;
}
const runs: RunSummary[] = [];
let last: Report | undefined;
for (let run = 1; run <= RUNS; run++) {
  const out = path.join(RESULTS, 'audit.json');
  const args = ['--max-semi-space-size=64', path.join(ROOT, 'dist', 'bench', 'audit.js'), '--out', out, '--label', `run ${run} of ${RUNS}`, ...(values.db ? ['--db', values.db] : [])];
  console.log(`run ${run} of ${RUNS}`);
  execFileSync(process.execPath, args, { stdio: 'inherit' });
  last = JSON.parse(readFileSync(out, 'utf8')) as Report;
  runs.push({
    loadAverage: last.loadAverage,
    workers: pick(last.figures),
    serverThread: pick(last.figuresInThread),
    physicalLimit: last.figures.physicalLimit.recordsPerS,
    drainVsPhysical: last.figures.drainVsPhysical,
    workersVsServerThread: last.poolVsInThread,
  });
}

const range = (numbers: number[]) => ({ min: Math.min(...numbers), max: Math.max(...numbers) });
const phaseRanges = (server: 'workers' | 'serverThread') =>
  Object.fromEntries(PHASES.map((name) => [name, { recordsPerS: range(runs.map((r) => r[server][name].recordsPerS)), p99Ms: range(runs.map((r) => r[server][name].p99Ms)) }]));
const summary = {
  workers: phaseRanges('workers'),
  serverThread: phaseRanges('serverThread'),
  physicalLimit: range(runs.map((r) => r.physicalLimit)),
  drainVsPhysical: range(runs.map((r) => r.drainVsPhysical)),
  runsAtOrAboveTarget: Object.fromEntries(PHASES.map((name) => [name, runs.filter((r) => r.workers[name].recordsPerS >= 20_000).length])),
};
const report = {
  benchmark: 'bench/audit',
  note: `${RUNS} consecutive runs of node --max-semi-space-size=64 dist/bench/audit.js (bench/audit-repeat.ts); bench/results/audit.json is the full report of the last`,
  date: last!.date,
  machine: last!.machine,
  summary,
  runs,
};
writeFileSync(path.join(RESULTS, 'audit-runs.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('\nrecords/s over runs (checks on a verification worker, as npm run server runs):');
for (const name of PHASES) {
  const r = summary.workers[name]!;
  console.log(`  ${name.padEnd(16)} ${r.recordsPerS.min}–${r.recordsPerS.max}  p99 ${r.p99Ms.min}–${r.p99Ms.max} ms  ≥ 20k in ${summary.runsAtOrAboveTarget[name]} of ${RUNS}`);
}
console.log(`  physical limit   ${summary.physicalLimit.min}–${summary.physicalLimit.max}; drain / limit ${summary.drainVsPhysical.min}–${summary.drainVsPhysical.max}`);
console.log(`wrote ${path.join(RESULTS, 'audit-runs.json')}`);
