// Starting the browser is not a step's work: a slow start (a busy machine) does not eat the
// step's time budget, a start past its own limit fails clearly, and a browser whose start
// outlives its run (cancelled, ended) is closed — `rpa run` exits and leaves no Chromium behind.
// The slow browser is a wrapper script: it sleeps, then execs Chromium with a marker argument.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { cliEnv, RPA_JS, tempDir, writeAutomation } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;
const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;

function automation(steps: unknown[]): Record<string, unknown> {
  return { format: 1, id: 'launch.test', name: 'launch test', version: '1.0.0', steps };
}

/** A browser that takes `sleepSeconds` to start; its processes carry `marker` in their command line. */
function slowBrowser(dir: string, sleepSeconds: number): { file: string; marker: string } {
  const marker = `rpa-slow-launch-${path.basename(dir)}-${sleepSeconds}`;
  const file = path.join(dir, `${marker}.sh`);
  writeFileSync(file, `#!/bin/sh\nsleep ${sleepSeconds}\nexec ${CHROMIUM} --rpa-test-marker=${marker} "$@"\n`);
  chmodSync(file, 0o755);
  return { file, marker };
}

/** Processes (wrapper shell, sleep, Chromium) whose command line holds the marker. */
function processesWith(marker: string): string[] {
  const found = spawnSync('pgrep', ['-f', '-a', marker], { encoding: 'utf8' });
  return found.stdout.split('\n').filter((line) => line.trim() && !line.includes('pgrep'));
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await delay(200);
  }
  return check();
}

describe('browser launch', { skip, timeout: 240_000, concurrency: false }, () => {
  let dir: string;
  const markers: string[] = [];

  before(() => {
    dir = tempDir('launch');
  });
  after(() => {
    // Whatever a failed assertion left behind: no Chromium outlives the test file (each
    // process is one this file started: its command line holds this file's unique marker).
    for (const marker of markers) {
      for (const line of processesWith(marker)) {
        try {
          process.kill(Number(line.split(' ')[0]), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });

  function engineWith(browser: string, extra: Record<string, string> = {}): Engine {
    return Engine.open({ env: { ...process.env, RPA_HOME: tempDir('launch-home'), RPA_BROWSER: browser, ...extra } });
  }

  it('a slow start (4 s) does not count against a 1 s step budget', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 4);
    markers.push(browser.marker);
    const engine = engineWith(browser.file);
    try {
      const file = writeAutomation(dir, 'slow-start.json', automation([
        { kind: 'browser.open', timeoutMs: 1_000, url: page('<h1>Ready</h1>') },
        // The second step's own budget is not what is tested: on a loaded machine the page's first check can take seconds.
        { kind: 'browser.assert', timeoutMs: 15_000, target: { candidates: [{ css: 'h1' }] }, assert: 'textEquals', expected: 'Ready' },
      ]));
      const started = Date.now();
      const result = await engine.run({ file });
      assert.equal(result.status, 'passed', JSON.stringify(result.error));
      assert.ok(Date.now() - started >= 4_000, 'the wrapper really slept');
      assert.ok(await waitUntil(() => processesWith(browser.marker).length === 0, 10_000), `browser left running: ${processesWith(browser.marker).join('; ')}`);
    } finally {
      engine.close();
    }
  });

  it('a start slower than the launch limit fails the step with a clear message', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 8);
    markers.push(browser.marker);
    const engine = engineWith(browser.file, { RPA_BROWSER_LAUNCH_TIMEOUT_MS: '2000' });
    try {
      const file = writeAutomation(dir, 'too-slow.json', automation([{ kind: 'browser.open', timeoutMs: 60_000, url: page('<h1>Ready</h1>') }]));
      const started = Date.now();
      const result = await engine.run({ file });
      assert.equal(result.status, 'failed');
      assert.ok(Date.now() - started < 7_000, `failed at the launch limit, not after the start (${Date.now() - started} ms)`);
      assert.equal(result.error?.name, 'TimeoutError');
      assert.match(result.error?.message ?? '', /^the browser did not start within 2000 ms \(.*rpa-slow-launch-.*\.sh\).*RPA_BROWSER_LAUNCH_TIMEOUT_MS/);
      assert.equal(result.error?.details?.['step'], '1');
      // The wrapper would exec Chromium after 8 s: nothing of it may be left (on a loaded machine a
      // Chromium that came up late is closed as it comes up, so allow it some seconds). The wrapper
      // shell carries the marker in its command line from its first instant, so "no marked process"
      // holds only once it was killed or its Chromium came up and was closed: no need to sit out
      // its sleep first.
      assert.ok(await waitUntil(() => processesWith(browser.marker).length === 0, 30_000), `browser left running: ${processesWith(browser.marker).join('; ')}`);
    } finally {
      engine.close();
    }
  });

  it('settings.json browser.launchTimeoutMs sets the launch limit', { timeout: 60_000 }, async () => {
    const browser = slowBrowser(dir, 6);
    markers.push(browser.marker);
    const home = tempDir('launch-home');
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ browser: { launchTimeoutMs: 1_500 } }));
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: home, RPA_BROWSER: browser.file } });
    try {
      const file = writeAutomation(dir, 'settings-limit.json', automation([{ kind: 'browser.open', url: page('<h1>Ready</h1>') }]));
      const result = await engine.run({ file });
      assert.equal(result.status, 'failed');
      assert.match(result.error?.message ?? '', /^the browser did not start within 1500 ms .*settings\.json browser\.launchTimeoutMs/);
    } finally {
      engine.close();
    }
  });

  it('a run cancelled while the browser starts ends at once; the browser is closed when it comes up', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 3);
    markers.push(browser.marker);
    const engine = engineWith(browser.file);
    try {
      const file = writeAutomation(dir, 'cancel-in-launch.json', automation([{ kind: 'browser.open', url: page('<h1>Ready</h1>') }]));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 1_000);
      const started = Date.now();
      const events: RunEvent[] = [];
      const result = await engine.run({ file, signal: controller.signal }, (event) => events.push(event));
      assert.equal(result.status, 'cancelled');
      assert.ok(Date.now() - started < 2_500, `cancelled promptly (${Date.now() - started} ms)`);
      // The start goes on in the background (it cannot be stopped half-way): once Chromium is
      // up, it is closed, not left to the next run or to the end of the process. Until then the
      // wrapper (marked) is there, so waiting for no marked process waits for that close.
      assert.ok(await waitUntil(() => processesWith(browser.marker).length === 0, 23_000), `browser left running: ${processesWith(browser.marker).join('; ')}`);
    } finally {
      engine.close();
    }
  });

  it('a run that reaches its maximum time while the browser starts is timed out at once; the browser is closed when it comes up', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 3);
    markers.push(browser.marker);
    const engine = engineWith(browser.file);
    try {
      const file = writeAutomation(dir, 'max-run-in-launch.json', automation([{ kind: 'browser.open', url: page('<h1>Ready</h1>') }]));
      const started = Date.now();
      const result = await engine.run({ file, maxRunMs: 1_000 });
      assert.equal(result.status, 'timed_out');
      assert.ok(Date.now() - started < 2_500, `stopped promptly (${Date.now() - started} ms)`);
      assert.ok(await waitUntil(() => processesWith(browser.marker).length === 0, 23_000), `browser left running: ${processesWith(browser.marker).join('; ')}`);
    } finally {
      engine.close();
    }
  });

  it('rpa run stopped while the browser starts exits promptly and leaves no browser process', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 6);
    markers.push(browser.marker);
    const home = tempDir('launch-cli');
    writeAutomation(home, 'cli-launch.json', automation([{ kind: 'browser.open', url: page('<h1>Ready</h1>') }]));
    const child = spawn(process.execPath, [RPA_JS, 'run', 'cli-launch.json', '--json'], { cwd: home, env: cliEnv(home, { RPA_BROWSER: browser.file }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      assert.ok(await waitUntil(() => stdout.includes('"step.started"'), 20_000), 'the run reached browser.open');
      assert.ok(await waitUntil(() => processesWith(browser.marker).length > 0, 40_000), 'the wrapper is starting');
      const stopped = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, delay(8_000, 'still running' as const)]);
      assert.equal(code, 130, `rpa run should exit 130 promptly after SIGTERM (${Date.now() - stopped} ms)`);
      assert.match(stdout, /"type":"run\.finished","status":"cancelled"/);
      // Nothing of the start may outlive rpa run: a surviving wrapper is marked while it sleeps and
      // would exec Chromium (marked too) after it, so "no marked process" cannot come true while
      // anything survived — no need to sit out the wrapper's sleep first.
      assert.ok(await waitUntil(() => processesWith(browser.marker).length === 0, 15_000), `browser left running after rpa run exited: ${processesWith(browser.marker).join('; ')}`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rpa run whose browser starts slower than the first step\'s budget passes and exits with its browser closed', { timeout: 90_000 }, async () => {
    const browser = slowBrowser(dir, 4);
    markers.push(browser.marker);
    const home = tempDir('launch-cli');
    writeAutomation(home, 'cli-slow.json', automation([{ kind: 'browser.open', timeoutMs: 1_000, url: page('<h1>Ready</h1>') }]));
    const child = spawn(process.execPath, [RPA_JS, 'run', 'cli-slow.json', '--json'], { cwd: home, env: cliEnv(home, { RPA_BROWSER: browser.file }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      assert.ok(await waitUntil(() => stdout.includes('"run.finished"'), 60_000), 'the run finished');
      const finished = Date.now();
      const code = await Promise.race([exited, delay(10_000, 'still running' as const)]);
      assert.equal(code, 0, `rpa run should exit 0 soon after the run finished (${Date.now() - finished} ms): ${stdout.split('\n').filter((l) => l.includes('run.finished')).join('')}`);
      assert.deepEqual(processesWith(browser.marker), []);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
