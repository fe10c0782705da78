// Two answers to one review arriving together — the reviewer's `rpa review ID` (or the tray) and
// the host's review resumer (which leaves a run its own caller is resuming), or an explicit `rpa review --resume` while an `rpa run --wait-review`
// waits for the same review — resume the paused run once: its last actions (here: an item put on a
// queue, which is not idempotent) are done once, the audit trail holds one run.resumed, and the
// caller that lost is told plainly who resumed it instead of an error or a wait that never ends.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { until } from '../../test/helpers/until.js';
import type { RunEvent } from '../events.js';
import { EngineHost } from './host.js';

/** A review, then an action that must not happen twice. */
const PAY_ONCE = {
  format: 1,
  id: 'test.pay-once',
  name: 'Pay once',
  version: '1.0.0',
  steps: [
    { kind: 'human.review', title: 'Check the amount', values: { amount: '10' }, into: 'checked' },
    { kind: 'queue.add', queue: 'payments', data: { amount: '{{vars.checked.values.amount}}' } },
  ],
};

async function startHost(): Promise<{ host: EngineHost; file: string; cwd: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-review-race-'));
  const file = path.join(dir, 'pay-once.json');
  writeFileSync(file, JSON.stringify(PAY_ONCE));
  const env = { ...process.env, RPA_HOME: path.join(dir, 'home') };
  const host = await EngineHost.start({ env, workspace: path.join(dir, 'ws'), listen: false, log: () => undefined });
  return { host, file, cwd: dir };
}

function payments(host: EngineHost): number {
  return host.engine.database.prepare<[], number>("SELECT count(*) FROM queue_items WHERE queue = 'payments'").pluck().get()!;
}

function resumes(host: EngineHost, runId: string): RunEvent[] {
  return host.engine.events(runId).filter((e) => e.type === 'run.resumed');
}

/** Starts the bot and returns once it paused for its review (or, waiting, once the review exists). */
async function pausedRun(host: EngineHost, file: string, cwd: string, waitReview: boolean): Promise<{ runId: string; reviewId: string; waiting: Promise<unknown> }> {
  const events: RunEvent[] = [];
  const waiting = host.commands.call('cli.runs.start', { file, inputs: {}, cwd, waitReview }, { onEvent: (event) => events.push(event) });
  const created = await until('the review to be created', () => events.find((e) => e.type === 'run.paused'), 30_000);
  const task = host.engine.listReviews()[0]!;
  assert.equal(task.runId, created.runId);
  return { runId: created.runId, reviewId: task.id, waiting };
}

describe('two answers to one review', () => {
  it("resume the run once when the reviewer's resume and the host's resumer meet: the resumer leaves a run its caller is resuming", { timeout: 90_000 }, async () => {
    const { host, file, cwd } = await startHost();
    try {
      const { runId, reviewId, waiting } = await pausedRun(host, file, cwd, false);
      assert.equal(((await waiting) as { status: string }).status, 'paused');
      // The reviewer's call records the decision at once, then goes on (learning, resuming); the
      // resumer's poll lands in between and finds a resolved review on a paused run.
      const reviewer = host.commands.call('cli.reviews.resolve', { review: reviewId, answer: { approve: true }, by: 'clerk', resume: true });
      // No await before the resumer: the reviewer's call is between its decision and its resume.
      assert.equal(host.engine.getReview(reviewId)?.status, 'approved');
      // The run is the reviewer's to resume (with its display and secrets): this process's resumer leaves it alone.
      const byResumer = await host.engine.resumeResolvedRuns();
      const answer = (await reviewer) as { note?: string; result?: { status: string } };
      assert.equal(byResumer.length, 0, `the resumer took the run: ${JSON.stringify(byResumer)}`);
      assert.equal(answer.result?.status, 'passed', JSON.stringify(answer));
      await until('the resumed run to end', () => host.engine.getRun(runId)?.status === 'passed', 30_000);
      assert.equal(payments(host), 1, 'the payment was queued once');
      assert.equal(resumes(host, runId).length, 1, 'one run.resumed in the audit trail');
      // Once the reviewer's call is over, a later poll finds nothing left to resume.
      assert.equal((await host.engine.resumeResolvedRuns()).length, 0);
    } finally {
      await host.close();
    }
  });

  it('resume the run once when `rpa review --resume` meets an `rpa run --wait-review` waiting for it; the loser is told, the waiter ends', { timeout: 90_000 }, async () => {
    const { host, file, cwd } = await startHost();
    try {
      const { runId, reviewId, waiting } = await pausedRun(host, file, cwd, true);
      await host.commands.call('cli.reviews.resolve', { review: reviewId, answer: { approve: true }, by: 'clerk', resume: false });
      const explicit = host.commands.call('cli.runs.resume', { run: runId }).then(
        (result) => ({ result }),
        (error: Error) => ({ error: error.message }),
      );
      const outcomes = await Promise.all([explicit, waiting.then((result) => ({ result }), (error: Error) => ({ error: error.message }))]);
      const [byExplicit, byWaiter] = outcomes as Array<{ result?: { status: string }; error?: string }>;
      assert.equal([byExplicit, byWaiter].filter((o) => o?.result?.status === 'passed').length, 1, JSON.stringify(outcomes));
      const lost = [byExplicit, byWaiter].find((o) => o?.result?.status !== 'passed')!;
      assert.match(lost.error ?? '', /already resumed by process \d+|process \d+ is waiting for its review/, JSON.stringify(outcomes));
      assert.equal(host.engine.getRun(runId)?.status, 'passed');
      assert.equal(payments(host), 1, 'the payment was queued once');
      assert.equal(resumes(host, runId).length, 1, 'one run.resumed in the audit trail');
    } finally {
      await host.close();
    }
  });
});
