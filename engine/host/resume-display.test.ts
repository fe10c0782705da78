// A review answered by a caller on another display than the host's — `rpa review ID` typed in a
// terminal there, or a studio attached to the host from there — checks that display once, before
// the decision is recorded, and the run resumes on it without probing it again; one the host cannot
// reach leaves the review open, from the studio as from the terminal. The "display" is a TCP
// listener on 127.0.0.1:6000+N (DISPLAY=127.0.0.1:N) that counts the connections made to it: the
// reachability probe is a connection that is opened and closed. The resumed part of the bot opens
// no browser, so every connection counted is a probe. (host-display.test shows, on two real Xvfb
// displays, that the resumed run's window opens on the caller's.)
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { until } from '../../test/helpers/until.js';
import type { RunEvent } from '../events.js';
import { EngineHost } from './host.js';

/** A headed bot that stops for a review, then logs: nothing after the review opens a window. */
const REVIEW_THEN_LOG = {
  format: 1,
  id: 'test.review-then-log',
  name: 'Review then log',
  version: '1.0.0',
  steps: [
    { kind: 'human.review', title: 'Go on?', values: { amount: '1' }, into: 'answer' },
    { kind: 'log', message: 'resumed' },
  ],
};

interface CountingDisplay {
  display: string;
  probes(): number;
  close(): Promise<void>;
}

/** A port 6000+N on 127.0.0.1 for a display 127.0.0.1:N, listening (counting connections) or left free. */
async function displayPort(listen: boolean): Promise<CountingDisplay> {
  for (let tries = 0; ; tries++) {
    const number = 300 + Math.floor(Math.random() * 3000);
    let probes = 0;
    const server = net.createServer((socket) => {
      probes++;
      socket.on('error', () => undefined);
      socket.end();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(6000 + number, '127.0.0.1', () => resolve());
      });
    } catch (error) {
      if (tries < 20 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw error;
    }
    const close = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
    // Left free: nothing answers there (it was free a moment ago, and no test here listens on it).
    if (!listen) await close();
    return { display: `127.0.0.1:${number}`, probes: () => probes, close: listen ? close : () => Promise.resolve() };
  }
}

describe('a review answered from another display than the host’s', { concurrency: false }, () => {
  let host: EngineHost;
  let file: string;
  let cwd: string;

  before(async () => {
    cwd = mkdtempSync(path.join(os.tmpdir(), 'rpa-resume-display-'));
    file = path.join(cwd, 'review-then-log.json');
    writeFileSync(file, JSON.stringify(REVIEW_THEN_LOG));
    const env = { ...process.env, RPA_HOME: path.join(cwd, 'home') };
    host = await EngineHost.start({ env, workspace: path.join(cwd, 'ws'), listen: false, log: () => undefined });
  });

  after(async () => {
    await host?.close();
  });

  /** Starts the bot headed and returns once it paused for its review. */
  async function pausedRun(bot = file): Promise<{ runId: string; reviewId: string }> {
    const events: RunEvent[] = [];
    const outcome = (await host.commands.call('cli.runs.start', { file: bot, inputs: {}, cwd, headed: true }, { onEvent: (event) => events.push(event) })) as { status: string };
    assert.equal(outcome.status, 'paused');
    const paused = events.find((event) => event.type === 'run.paused');
    assert.ok(paused, 'the run paused');
    assert.equal(host.engine.getRun(paused.runId)?.headless, false, 'the run is headed: its resume opens windows on a display');
    const task = host.engine.listReviews().find((review) => review.runId === paused.runId)!;
    return { runId: paused.runId, reviewId: task.id };
  }

  it("probes the terminal's display once when `rpa review ID` resolves and resumes the run", { timeout: 90_000 }, async () => {
    const screen = await displayPort(true);
    try {
      const { runId, reviewId } = await pausedRun();
      const outcome = (await host.commands.call('cli.reviews.resolve', { review: reviewId, answer: { approve: true }, by: 'clerk', resume: true, display: { DISPLAY: screen.display } })) as { result?: { status: string } };
      assert.equal(outcome.result?.status, 'passed', JSON.stringify(outcome));
      assert.equal(host.engine.getRun(runId)?.status, 'passed');
      assert.equal(screen.probes(), 1, 'the display was probed once: before the decision, not again at the resume');
    } finally {
      await screen.close();
    }
  });

  it("probes a studio's display once when its reviewer approves, and the run resumes", { timeout: 90_000 }, async () => {
    const screen = await displayPort(true);
    try {
      const { runId, reviewId } = await pausedRun();
      await host.service.call('reviews.resolve', { reviewId, decision: 'approved' }, { display: { DISPLAY: screen.display } });
      await until('the resumed run to pass', () => host.engine.getRun(runId)?.status === 'passed', 60_000);
      assert.equal(screen.probes(), 1, 'the display was probed once');
    } finally {
      await screen.close();
    }
  });

  it('leaves the review open when a studio on a display the host cannot reach approves it', { timeout: 90_000 }, async () => {
    const nowhere = await displayPort(false);
    const { runId, reviewId } = await pausedRun();
    await assert.rejects(host.service.call('reviews.resolve', { reviewId, decision: 'approved' }, { display: { DISPLAY: nowhere.display } }), (error: Error) => {
      assert.match(error.message, new RegExp(`DISPLAY=${nowhere.display.replace(/\./g, '\\.')}, which the engine host \\(pid \\d+\\) cannot use: no X server answers on`));
      return true;
    });
    assert.equal(host.engine.getReview(reviewId)?.status, 'open', 'no decision was recorded');
    assert.equal(host.engine.getRun(runId)?.status, 'paused', 'the run still waits for its review');
    // The host's own resumer finds nothing to take on the host's display.
    assert.equal((await host.engine.resumeResolvedRuns()).length, 0);
  });

  it('records a rejection from a studio on an unreachable display when the bot changed since it paused: the run ends, nothing is probed', { timeout: 90_000 }, async () => {
    const nowhere = await displayPort(false);
    const changing = path.join(cwd, 'changing.json');
    writeFileSync(changing, JSON.stringify(REVIEW_THEN_LOG));
    const { runId, reviewId } = await pausedRun(changing);
    writeFileSync(changing, JSON.stringify({ ...REVIEW_THEN_LOG, version: '1.0.1' }));
    await host.service.call('reviews.resolve', { reviewId, decision: 'rejected', comment: 'the bot changed' }, { display: { DISPLAY: nowhere.display } });
    assert.equal(host.engine.getReview(reviewId)?.status, 'rejected');
    await until('the run to end failed', () => host.engine.getRun(runId)?.status === 'failed', 30_000);
  });
});
