// scripts/check.mjs, npm run check: the build and the checks side by side where nothing orders
// them. Its scheduling is checked with steps of our own (RPA_CHECK_STEPS): a step starts only after
// the steps it waits for have ended well; at most RPA_CHECK_JOBS run at once; a failing step makes
// the check exit 1 with its output, stops the steps still running and starts no other.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

const CHECK = path.join(REPO_ROOT, 'scripts', 'check.mjs');

interface Step {
  name: string;
  command: string[];
  after: string[];
}

function runCheck(steps: Step[], jobs: number): Promise<{ code: number | null; output: string }> {
  const dir = tempDir('check-script');
  const file = path.join(dir, 'steps.json');
  writeFileSync(file, JSON.stringify(steps));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHECK], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RPA_CHECK_STEPS: file, RPA_CHECK_JOBS: String(jobs) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * A step that appends "start NAME" to the log, waits until the file `release` exists (a step that
 * must end only after another has started), appends "end NAME" and exits with `code`.
 */
function step(name: string, log: string, options: { after?: string[]; waitFor?: string; code?: number; print?: string } = {}): Step {
  const script = `
    const fs = require('node:fs');
    fs.appendFileSync(${JSON.stringify(log)}, 'start ${name}\\n');
    ${options.print ? `console.log(${JSON.stringify(options.print)});` : ''}
    const finish = () => { fs.appendFileSync(${JSON.stringify(log)}, 'end ${name}\\n'); process.exit(${options.code ?? 0}); };
    const release = ${JSON.stringify(options.waitFor ?? '')};
    if (!release) finish();
    else { const poll = setInterval(() => { if (fs.existsSync(release)) { clearInterval(poll); finish(); } }, 20); }
  `;
  return { name, command: [process.execPath, '-e', script], after: options.after ?? [] };
}

const lines = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('scripts/check.mjs', () => {
  it('runs independent steps at the same time and a step only after the ones it waits for', { timeout: 60_000 }, async () => {
    const dir = tempDir('check-order');
    const log = path.join(dir, 'log');
    // "long" ends only once "short" has started: one after the other, this check would never end.
    const started = path.join(dir, 'short-started');
    const steps = [
      step('long', log, { waitFor: started }),
      { ...step('short', log), command: [process.execPath, '-e', `require('node:fs').appendFileSync(${JSON.stringify(log)}, 'start short\\nend short\\n'); require('node:fs').writeFileSync(${JSON.stringify(started)}, '')`] },
      step('after-both', log, { after: ['long', 'short'], print: 'output of after-both' }),
    ];
    const result = await runCheck(steps, 2);
    assert.equal(result.code, 0, result.output);
    const order = lines(log);
    assert.deepEqual(order.slice(-2), ['start after-both', 'end after-both'], order.join(', '));
    assert.ok(order.indexOf('start short') < order.indexOf('end long'), `short did not run beside long: ${order.join(', ')}`);
    assert.match(result.output, /── after-both: ok, [\d.]+ s\noutput of after-both/);
    assert.match(result.output, /check passed: 3 steps/);
  });

  it('with RPA_CHECK_JOBS=1 runs them one at a time', { timeout: 60_000 }, async () => {
    const dir = tempDir('check-one');
    const log = path.join(dir, 'log');
    const result = await runCheck([step('a', log), step('b', log), step('c', log, { after: ['a'] })], 1);
    assert.equal(result.code, 0, result.output);
    assert.deepEqual(lines(log), ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('a failing step fails the check with its output, stops the running steps and starts no other', { timeout: 60_000 }, async () => {
    const dir = tempDir('check-fail');
    const log = path.join(dir, 'log');
    const never = path.join(dir, 'never'); // never created: "slow" runs until it is stopped
    const result = await runCheck(
      [step('slow', log, { waitFor: never }), step('broken', log, { code: 3, print: 'what went wrong in broken' }), step('later', log, { after: ['broken'] }), step('queued', log)],
      2,
    );
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /── broken: FAILED \(exit 3\)[^\n]*\nwhat went wrong in broken/);
    assert.match(result.output, /── slow: stopped \(another step failed\)/);
    assert.match(result.output, /check failed \([\d.]+ s\): broken/);
    const order = lines(log);
    assert.ok(!order.includes('start later') && !order.includes('start queued'), `a step started after the failure: ${order.join(', ')}`);
    assert.ok(!order.includes('end slow'), 'the running step was not stopped');
  });

  it('refuses a step that waits for no step', { timeout: 60_000 }, async () => {
    const dir = tempDir('check-unknown');
    const result = await runCheck([step('a', path.join(dir, 'log'), { after: ['no-such-step'] })], 2);
    assert.notEqual(result.code, 0);
    assert.match(result.output, /step "a" waits for no-such-step, which is no step/);
  });
});
