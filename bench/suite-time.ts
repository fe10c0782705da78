// bench/suite-time: where the time of `npm test` goes. Runs every test file that
// `npm test` runs (every *.test.js, as scripts/test.mjs lists them), each in its own `node --test`
// process (as the suite runs it),
// and records each file's wall time, its pass/fail/skip/todo counts and the machine's load
// average before and after it. The table is written to bench/results/suite-time.json after every
// file, so a run cut short still leaves what it measured.
//
//   npm run build && node dist/bench/suite-time.js [--jobs 1] [--only challenges,desktop-challenge]
//                                                   [--dist other/dist] [--out file.json] [--label text]
//                                                   [--logs DIR] [--node-default] [--against before/dist]
//                                                   [--durations scripts/test-durations.json]
//
// --jobs 1 (the default) times each file alone: the figure to compare before and after a change
// to one file. --jobs 2 runs two at a time, as `npm test` does (--test-concurrency=2), and also
// records the wall time of the whole run. --logs DIR keeps each file's test output there (what
// a file that ran out of time had got to). --dist times another build of the project (for example
// an export of an earlier commit, to measure before and after in one sitting). --node-default
// times what a bare `node --test dist/` picked instead (helpers under test/ folders included).
// --against OTHER/dist times each file side by side in both builds, one after the other, the order
// swapped from one file to the next (before/after, after/before…), one at a time: the figures to
// compare a change to a file at the same load; each pair is in "pairs" with the ratio after/before.
// --durations FILE puts each measured file's seconds into the table npm test orders its files by
// (scripts/test-durations.json: longest first), keeping the other files' figures.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { round1 } from './stats.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string' },
    only: { type: 'string' },
    dist: { type: 'string' },
    out: { type: 'string' },
    label: { type: 'string' },
    timeout: { type: 'string' },
    logs: { type: 'string' },
    'node-default': { type: 'boolean' },
    against: { type: 'string' },
    durations: { type: 'string' },
  },
});
const DIST = path.resolve(values.dist ?? fileURLToPath(new URL('../', import.meta.url)));
const OUT = path.resolve(values.out ?? fileURLToPath(new URL('../../bench/results/suite-time.json', import.meta.url)));
const jobs = Number(values.jobs ?? 1);
if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a whole number ≥ 1, got ${values.jobs}`);
const perFileTimeout = Number(values.timeout ?? 600_000);
const LOGS = values.logs ? path.resolve(values.logs) : undefined;
if (LOGS) mkdirSync(LOGS, { recursive: true });
const only = (values.only ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The files `npm test` runs: every *.test.js under `dir` (scripts/test.mjs lists them the same way).
 * With --node-default, what a bare `node --test <dir>` ran on Node 20 instead: its default name
 * patterns and anything under a `test` folder, helpers included (the suite before scripts/test.mjs).
 */
export function testFilesUnder(dir: string, nodeDefault = false): string[] {
  const found: string[] = [];
  const walk = (current: string, underTest: boolean): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full, underTest || entry.name === 'test');
      else if (/\.(c|m)?js$/.test(entry.name)) {
        const base = entry.name.replace(/\.(c|m)?js$/, '');
        if (nodeDefault ? underTest || base === 'test' || base.startsWith('test-') || /[._-]test$/.test(base) : base.endsWith('.test')) found.push(full);
      }
    }
  };
  walk(dir, false);
  return found.sort();
}

interface FileTime {
  file: string;
  seconds: number;
  code: number | null;
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  todo: number;
  cancelled: number;
  failed: string[];
  loadBefore: number;
  loadAfter: number;
}

function count(output: string, name: string): number {
  const match = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output);
  return match ? Number(match[1]) : 0;
}

function timeFile(file: string, dist: string = DIST): Promise<FileTime> {
  const loadBefore = round1(os.loadavg()[0]!);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--test', '--test-force-exit', `--test-timeout=${perFileTimeout}`, file], {
      cwd: path.dirname(dist),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (LOGS) writeFileSync(path.join(LOGS, `${dist === DIST ? '' : 'against__'}${path.relative(dist, file).replaceAll(path.sep, '__')}.log`), output);
      const failed = [...output.matchAll(/^\s*not ok \d+ - (.*?)(?: # (?:TODO|SKIP).*)?$/gm)]
        .filter((m) => !/# (TODO|SKIP)/.test(m[0]))
        .map((m) => m[1]!.slice(0, 200));
      resolve({
        file: path.relative(path.dirname(dist), file),
        seconds: round1((performance.now() - started) / 1000),
        code,
        tests: count(output, 'tests'),
        pass: count(output, 'pass'),
        fail: count(output, 'fail'),
        skipped: count(output, 'skipped'),
        todo: count(output, 'todo'),
        cancelled: count(output, 'cancelled'),
        failed,
        loadBefore,
        loadAfter: round1(os.loadavg()[0]!),
      });
    });
  });
}

const files = testFilesUnder(DIST, values['node-default'] === true).filter((f) => only.length === 0 || only.some((o) => path.relative(DIST, f).includes(o)));
if (files.length === 0) throw new Error(`no test file under ${DIST}${only.length ? ` matching ${only.join(', ')}` : ''}`);

const startedAt = new Date().toISOString();
const loadStart = os.loadavg().map(round1);
const wallStart = performance.now();
const results: FileTime[] = [];
const AGAINST = values.against ? path.resolve(values.against) : undefined;
interface Pair {
  file: string;
  order: string;
  before: FileTime;
  after: FileTime;
  ratio: number;
}
const pairs: Pair[] = [];

function write(done: boolean): void {
  const byTime = [...results].sort((a, b) => b.seconds - a.seconds);
  const sum = round1(results.reduce((s, r) => s + r.seconds, 0));
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        bench: 'suite-time',
        label: values.label ?? null,
        startedAt,
        done,
        node: process.version,
        cpus: os.cpus().length,
        jobs,
        dist: path.relative(process.cwd(), DIST) || '.',
        files: files.length,
        measured: results.length,
        loadStart,
        loadEnd: os.loadavg().map(round1),
        wallSeconds: round1((performance.now() - wallStart) / 1000),
        sumSeconds: sum,
        results: byTime,
        ...(AGAINST ? { against: path.relative(process.cwd(), AGAINST), pairs } : {}),
      },
      null,
      1,
    ) + '\n',
  );
}

/** --against: each file in the other build and in this one, alternately. */
async function timePairs(): Promise<void> {
  for (const [index, file] of files.entries()) {
    const other = path.join(AGAINST!, path.relative(DIST, file));
    const beforeFirst = index % 2 === 0;
    const first = beforeFirst ? await timeFile(other, AGAINST) : await timeFile(file);
    const second = beforeFirst ? await timeFile(file) : await timeFile(other, AGAINST);
    const [before, after] = beforeFirst ? [first, second] : [second, first];
    results.push(after);
    pairs.push({ file: after.file, order: beforeFirst ? 'before, after' : 'after, before', before, after, ratio: Math.round((after.seconds / before.seconds) * 1000) / 1000 });
    const status = (r: FileTime): string => (r.code === 0 ? `${r.pass} ok` : `exit ${r.code}, ${r.fail} failed`);
    console.log(`${after.file}: before ${before.seconds} s (${status(before)}; load ${before.loadBefore} → ${before.loadAfter}), after ${after.seconds} s (${status(after)}; load ${after.loadBefore} → ${after.loadAfter})`);
    write(false);
  }
}

let next = 0;
async function worker(): Promise<void> {
  while (next < files.length) {
    const file = files[next++]!;
    const result = await timeFile(file);
    results.push(result);
    const status = result.code === 0 ? 'ok' : `exit ${result.code}, ${result.fail} failed`;
    console.log(`${String(result.seconds).padStart(7)} s  ${result.file}  (${status}; load ${result.loadBefore} → ${result.loadAfter})`);
    write(false);
  }
}
if (AGAINST) await timePairs();
else await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, () => worker()));
write(true);

const total = results.reduce((s, r) => s + r.seconds, 0);
console.log(`\n${results.length} files, sum ${round1(total)} s, wall ${round1((performance.now() - wallStart) / 1000)} s with ${jobs} at a time; load ${loadStart.join(' ')} → ${os.loadavg().map(round1).join(' ')}`);
console.log('Slowest:');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 15)) console.log(`${String(r.seconds).padStart(7)} s  ${r.file}`);
console.log(`Written to ${path.relative(process.cwd(), OUT)}`);

if (values.durations) {
  const file = path.resolve(values.durations);
  let table: { note?: string; seconds: Record<string, number> } = { seconds: {} };
  try {
    table = JSON.parse(readFileSync(file, 'utf8')) as typeof table;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const r of results) table.seconds[path.relative(DIST, path.resolve(path.dirname(DIST), r.file)).split(path.sep).join('/')] = r.seconds;
  table.seconds = Object.fromEntries(Object.entries(table.seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  writeFileSync(file, JSON.stringify(table, null, 1) + '\n');
  console.log(`${results.length} figures put into ${path.relative(process.cwd(), file)}`);
}
