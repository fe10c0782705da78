// npm run check (and the first half of npm test): the build, eslint, the schema check, the
// renderer's type check and the Electron security test — the same commands `npm run build && eslint
// . && …` ran one after the other, now run side by side where nothing orders them. Each of them
// uses one core (tsc, eslint and vite are single-threaded), so one after the other they left the
// second core of a 2-core machine idle for the ~4 minutes of the check.
//
// What orders them: every build step writes into dist/, so dist/ is removed first; the Electron
// tsc emits some of the same files as the main tsc (what electron/ imports), so it runs after it;
// the schema check and the Electron security test read dist/, so they wait for the build. eslint and
// the two type checks that emit nothing (page, renderer) read sources only.
//
// At most RPA_CHECK_JOBS steps (default: the machine's cores) run at once, the longest first. Each
// step's output is printed in one piece when it ends, with its time. When a step fails, no other
// step starts, the running ones are stopped, and the check exits 1 after printing the failed step's
// output (and any other that failed).
//
//   node scripts/check.mjs            (RPA_CHECK_JOBS=1 runs them one at a time, in the order below)
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const node = process.execPath;
/** A tool of node_modules run by this Node (no shell, no .cmd shim). */
const tool = (...script) => [node, path.join(ROOT, 'node_modules', ...script)];
const tsc = (project) => [...tool('typescript', 'bin', 'tsc'), '-p', project];

/** Each step: its command, what must have ended before it starts. Listed longest first (measured). */
const BUILD_AND_CHECKS = [
  { name: 'eslint', command: [...tool('eslint', 'bin', 'eslint.js'), '.'], after: [] },
  { name: 'tsc (Node)', command: tsc('tsconfig.json'), after: [] },
  { name: 'tsc (renderer, no emit)', command: tsc('renderer/tsconfig.json'), after: [] },
  { name: 'vite (renderer)', command: [...tool('vite', 'bin', 'vite.js'), 'build', '-c', 'renderer/vite.config.ts'], after: [] },
  { name: 'tsc (Electron)', command: tsc('electron/tsconfig.json'), after: ['tsc (Node)'] },
  { name: 'tsc (page, no emit)', command: tsc('tsconfig.page.json'), after: [] },
  { name: 'page bundles', command: [node, 'scripts/build-page.mjs'], after: [] },
  { name: 'schema check', command: [node, 'dist/engine/format/gen-schema.js', '--check'], after: ['tsc (Node)'] },
  {
    name: 'Electron security test',
    command: [node, '--test', 'dist/test/e2e/studio-electron-security.test.js'],
    after: ['tsc (Node)', 'tsc (Electron)', 'vite (renderer)', 'page bundles'],
  },
];

// RPA_CHECK_STEPS=<file.json>: other steps ([{ name, command: [program, ...args], after: [names] }], run in
// this folder), with no dist/ removed — scripts/check.test.mjs checks the scheduling with them.
const stepsFile = process.env['RPA_CHECK_STEPS'];
const STEPS = stepsFile ? JSON.parse(readFileSync(stepsFile, 'utf8')) : BUILD_AND_CHECKS;
for (const step of STEPS) {
  const unknown = step.after.filter((name) => !STEPS.some((other) => other.name === name));
  if (unknown.length > 0) throw new Error(`scripts/check.mjs: step "${step.name}" waits for ${unknown.join(', ')}, which is no step`);
}

const jobsText = process.env['RPA_CHECK_JOBS'];
const jobs = jobsText === undefined || jobsText === '' ? Math.max(os.availableParallelism(), 1) : Number(jobsText);
if (!Number.isInteger(jobs) || jobs < 1) {
  console.error(`scripts/check.mjs: RPA_CHECK_JOBS must be a whole number ≥ 1, got "${jobsText}"`);
  process.exit(2);
}

// The build writes into a dist/ of its own making (as npm run build does): nothing of an earlier build is left.
if (!stepsFile) rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });

const began = performance.now();
const done = new Set();
const running = new Map(); // name → child
const failed = [];
let stopping = false;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function start(step) {
  const startedAt = performance.now();
  // A process group of its own, so that stopping it also stops what it started (vite's esbuild, the test's children).
  const child = spawn(step.command[0], step.command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.set(step.name, child);
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  const finish = (code, signal, error) => {
    if (!running.has(step.name)) return;
    running.delete(step.name);
    const text = Buffer.concat(output).toString('utf8').trimEnd();
    const ok = code === 0 && !error;
    const how = error ? `could not start: ${error.message}` : signal ? `stopped by ${signal}` : `exit ${code}`;
    const stoppedByUs = stopping && signal !== null && !failed.includes(step.name);
    process.stdout.write(`\n── ${step.name}: ${ok ? 'ok' : stoppedByUs ? 'stopped (another step failed)' : `FAILED (${how})`}, ${seconds(performance.now() - startedAt)}\n`);
    if (text && !stoppedByUs) process.stdout.write(`${text}\n`);
    if (ok) done.add(step.name);
    else if (!stoppedByUs) {
      failed.push(step.name);
      stop();
    }
    next();
  };
  child.on('error', (error) => finish(null, null, error));
  child.on('close', (code, signal) => finish(code, signal));
}

function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of running.values()) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function next() {
  if (!stopping) {
    for (const step of STEPS) {
      if (running.size >= jobs) break;
      if (done.has(step.name) || running.has(step.name) || failed.includes(step.name) || started.has(step.name)) continue;
      if (!step.after.every((name) => done.has(name))) continue;
      started.add(step.name);
      start(step);
    }
  }
  if (running.size > 0) return;
  const total = seconds(performance.now() - began);
  if (failed.length > 0) {
    console.error(`\ncheck failed (${total}): ${failed.join(', ')}`);
    process.exitCode = 1;
  } else if (done.size === STEPS.length) {
    console.log(`\ncheck passed: ${STEPS.length} steps, ${total}, at most ${jobs} at once`);
  } else if (!stopping) {
    // A step waits for one that can never end: a mistake in STEPS.
    console.error(`\ncheck stuck: ${STEPS.filter((s) => !done.has(s.name)).map((s) => s.name).join(', ')} never started`);
    process.exitCode = 1;
  }
}

const started = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stop();
    process.exitCode = 130;
  });
}
next();
