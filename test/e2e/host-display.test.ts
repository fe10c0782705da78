// `rpa run --headed` typed in a terminal on one display while the engine host runs on another
// (two Xvfb displays): the bot runs in the host, and its browser window opens on the terminal's
// display — seen with xwininfo -root -tree on each. A terminal display the host cannot reach,
// and a desktop bot asked from another display, fail before the run starts, naming the display,
// instead of acting on the host's screen. A headed run that paused for a review and is resumed —
// by `rpa review ID --approve` in a terminal, or by a studio attached to the host from its own
// display — reopens its browser on the display of whoever resumed it.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { missingDesktopTools, startVirtualDisplay, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';
import { HostClient } from '../../engine/host/socket.js';
import { resolveHome } from '../../engine/home.js';
import { cliEnv, jsonLines, RPA_JS, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { until } from '../helpers/until.js';

const TITLE = 'on-the-callers-screen';

/** A visible page with a known title, then a wait that lasts until the run is cancelled. */
const HEADED = {
  format: 1,
  id: 'test.headed',
  name: 'Headed',
  version: '1.0.0',
  steps: [
    { kind: 'browser.open', url: `data:text/html,<title>${TITLE}</title><p>hello</p>` },
    { kind: 'browser.waitFor', urlContains: 'never-there', timeoutMs: 600_000 },
  ],
};

const RESUMED_TITLE = 'reopened-after-its-review';

/** Stops for a review first (no browser yet); once resumed, a visible page, then a wait until cancelled. */
const REVIEW_THEN_HEADED = {
  format: 1,
  id: 'test.review-headed',
  name: 'Review then headed',
  version: '1.0.0',
  steps: [
    { kind: 'human.review', title: 'Go on?', values: { amount: '1' }, into: 'answer' },
    { kind: 'browser.open', url: `data:text/html,<title>${RESUMED_TITLE}</title><p>resumed</p>` },
    { kind: 'browser.waitFor', urlContains: 'never-there', timeoutMs: 90_000 },
  ],
};

const RECORD_TITLE = 'recorded-on-the-studios-screen';

const DESKTOP = { format: 1, id: 'test.desktop', name: 'Desktop', version: '1.0.0', steps: [{ kind: 'desktop.press', keys: 'Escape' }] };

function start(args: string[], env: NodeJS.ProcessEnv, cwd: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [RPA_JS, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** The names of every window on a display. */
function windowsOn(display: string): string {
  // A window that goes away while the tree is read (Chromium opens and closes helper windows)
  // fails the query ("Bad Window"): read it again.
  let tree = spawnSync('xwininfo', ['-root', '-tree'], { env: { ...process.env, DISPLAY: display } });
  for (let tries = 0; tree.status !== 0 && tries < 50; tries++) tree = spawnSync('xwininfo', ['-root', '-tree'], { env: { ...process.env, DISPLAY: display } });
  assert.equal(tree.status, 0, tree.stderr.toString());
  return tree.stdout.toString();
}

const skip = process.platform !== 'linux' ? 'X11 displays' : missingDesktopTools();

describe('a run asked of the engine host from a terminal on another display', { skip: skip ?? false, concurrency: false }, () => {
  let hostScreen: VirtualDisplay;
  let callerScreen: VirtualDisplay;
  let agent: { child: ChildProcess; output: () => string };
  const home = tempDir('host-display');
  const work = tempDir('host-display-cwd');
  const env = cliEnv(home);
  const children: ChildProcess[] = [];

  before(async () => {
    hostScreen = await startVirtualDisplay();
    callerScreen = await startVirtualDisplay();
    writeAutomation(work, 'headed.json', HEADED);
    writeAutomation(work, 'desktop.json', DESKTOP);
    writeAutomation(work, 'review-headed.json', REVIEW_THEN_HEADED);
    agent = start(['agent'], { ...env, DISPLAY: hostScreen.display }, work);
    children.push(agent.child);
    await until('the host listening', () => agent.output().includes('engine host listening'), { detail: agent.output, timeoutMs: 60_000 });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hostScreen?.stop();
    await callerScreen?.stop();
  });

  it("opens a headed run's browser on the terminal's display, not the host's", { timeout: 180_000 }, async () => {
    const run = start(['run', 'headed.json', '--headed', '--json'], { ...env, DISPLAY: callerScreen.display }, work);
    children.push(run.child);
    await until(`the window "${TITLE}" on the terminal's display ${callerScreen.display}`, () => {
      if (run.child.exitCode !== null) throw new Error(`rpa run ended:\n${run.output()}`);
      return windowsOn(callerScreen.display).includes(TITLE);
    }, { detail: () => `host's display:\n${windowsOn(hostScreen.display)}\n${run.output()}`, timeoutMs: 120_000 });
    assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(TITLE), "nothing of the run on the host's display");
    const started = jsonLines(run.output().split('\n').filter((line) => line.includes('"type":"run.started"')).join('\n'))[0]!;
    assert.equal(started['pid'], agent.child.pid, 'the run ran in the host');
    run.child.kill('SIGINT');
    assert.equal(await exited(run.child), 130, run.output());
  });

  /** Starts REVIEW_THEN_HEADED headed from the caller's display; answers the review's id once it paused. */
  async function pausedHeadedRun(): Promise<{ runId: string; reviewId: string }> {
    const result = await runCli(['run', 'review-headed.json', '--headed', '--json'], { ...env, DISPLAY: callerScreen.display }, work);
    const events = jsonLines(result.stdout);
    const created = events.find((event) => event['type'] === 'review.created');
    assert.ok(created, `the run paused for its review:\n${result.stdout}\n${result.stderr}`);
    return { runId: created['runId'] as string, reviewId: created['reviewId'] as string };
  }

  it("reopens a resumed headed run's browser on the display of the terminal that answered the review", { timeout: 180_000 }, async () => {
    const { reviewId } = await pausedHeadedRun();
    const review = start(['review', reviewId, '--approve', '--json'], { ...env, DISPLAY: callerScreen.display }, work);
    children.push(review.child);
    await until(`the window "${RESUMED_TITLE}" on the terminal's display ${callerScreen.display}`, () => {
      if (review.child.exitCode !== null) throw new Error(`rpa review ended:\n${review.output()}`);
      if (windowsOn(hostScreen.display).includes(RESUMED_TITLE)) throw new Error(`the resumed run opened on the host's display ${hostScreen.display}`);
      return windowsOn(callerScreen.display).includes(RESUMED_TITLE);
    }, { detail: () => `host's display:\n${windowsOn(hostScreen.display)}\n${review.output()}`, timeoutMs: 120_000 });
    assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(RESUMED_TITLE), "nothing of the resumed run on the host's display");
    review.child.kill('SIGINT');
    assert.equal(await exited(review.child), 130, review.output());
  });

  it('refuses, before recording the decision, a resume asked from a display the host cannot reach', { timeout: 180_000 }, async () => {
    const { reviewId } = await pausedHeadedRun();
    const result = await runCli(['review', reviewId, '--approve'], { ...env, DISPLAY: ':7392' }, work);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /DISPLAY=:7392, which the engine host \(pid \d+\) cannot use: no X server answers on :7392/, result.stderr);
    const reviews = jsonLines((await runCli(['reviews', '--json'], env, work)).stdout);
    assert.ok(reviews.some((task) => task['id'] === reviewId && task['status'] === 'open'), 'the review is still open: nothing was lost');
    // Answered from the right display, it goes on there.
    const review = start(['review', reviewId, '--reject', 'done', '--json'], { ...env, DISPLAY: callerScreen.display }, work);
    children.push(review.child);
    assert.equal(await exited(review.child), 1, review.output());
  });

  it("reopens it on the display of a studio attached to the host, when the studio's reviewer approves", { timeout: 180_000 }, async () => {
    const { runId, reviewId } = await pausedHeadedRun();
    const studio = await HostClient.attach(resolveHome(env), { display: { DISPLAY: callerScreen.display } });
    assert.ok(studio, 'attached to the host');
    try {
      await studio.call('reviews.resolve', { reviewId, decision: 'approved' });
      await until(`the window "${RESUMED_TITLE}" on the studio's display ${callerScreen.display}`, () => {
        if (windowsOn(hostScreen.display).includes(RESUMED_TITLE)) throw new Error(`the resumed run opened on the host's display ${hostScreen.display}`);
        return windowsOn(callerScreen.display).includes(RESUMED_TITLE);
      }, { detail: () => `host's display:\n${windowsOn(hostScreen.display)}\n${agent.output()}`, timeoutMs: 120_000 });
      await studio.call('runs.cancel', { runId }).catch(() => undefined);
    } finally {
      studio.close();
    }
  });

  it("opens the recorder's browser on the display of a studio attached to the host, not the host's", { timeout: 180_000 }, async () => {
    const studio = await HostClient.attach(resolveHome(env), { display: { DISPLAY: callerScreen.display } });
    assert.ok(studio, 'attached to the host');
    try {
      await studio.call('recording.start', { url: `data:text/html,<title>${RECORD_TITLE}</title><p>record me</p>`, name: 'On my screen' });
      try {
        await until(`the recorder's window "${RECORD_TITLE}" on the studio's display ${callerScreen.display}`, () => {
          if (windowsOn(hostScreen.display).includes(RECORD_TITLE)) throw new Error(`the recorder opened on the host's display ${hostScreen.display}`);
          return windowsOn(callerScreen.display).includes(RECORD_TITLE);
        }, { detail: () => `host's display:\n${windowsOn(hostScreen.display)}\n${agent.output()}`, timeoutMs: 120_000 });
        assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(RECORD_TITLE), "nothing of the recording on the host's display");
      } finally {
        await studio.call('recording.stop', {});
      }
    } finally {
      studio.close();
    }
  });

  it('refuses, before starting a browser, a recording asked by a studio on a display the host cannot reach', { timeout: 180_000 }, async () => {
    const studio = await HostClient.attach(resolveHome(env), { display: { DISPLAY: ':7393' } });
    assert.ok(studio, 'attached to the host');
    try {
      await assert.rejects(studio.call('recording.start', { url: `data:text/html,<title>${RECORD_TITLE}</title>` }), (error: Error) => {
        assert.match(error.message, /Cannot record here: .*DISPLAY=:7393.*the engine host \(pid \d+\) cannot use: no X server answers on :7393/s);
        return true;
      });
      assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(RECORD_TITLE), "no recorder on the host's display instead");
      // Nothing was left recording: a hidden recording starts at once.
      await studio.call('recording.start', { headless: true });
      await studio.call('recording.stop', {});
    } finally {
      studio.close();
    }
  });

  it('fails clearly, running nothing, when the terminal is on a display the host cannot reach', { timeout: 120_000 }, async () => {
    // A display number with no X server behind it.
    const result = await runCli(['run', 'headed.json', '--headed'], { ...env, DISPLAY: ':7391' }, work);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /asked from a terminal on DISPLAY=:7391, which the engine host \(pid \d+\) cannot use: no X server answers on :7391\. It was not run on another display/, result.stderr);
    assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(TITLE));
  });

  it("refuses a desktop bot asked from another display than the host's, naming both", { timeout: 120_000 }, async () => {
    const result = await runCli(['run', 'desktop.json'], { ...env, DISPLAY: callerScreen.display }, work);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, new RegExp(`desktop steps and was asked from a terminal on DISPLAY=${callerScreen.display}, but the engine host \\(pid \\d+\\) acts on DISPLAY=${hostScreen.display}: it was not run`), result.stderr);
    const runs = jsonLines((await runCli(['runs', '--json'], env, work)).stdout);
    assert.equal(runs.filter((run) => run['automationId'] === 'test.desktop').length, 0, 'nothing was recorded of it');
  });
});
