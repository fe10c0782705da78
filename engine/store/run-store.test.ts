import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { RunEvent } from '../events.js';
import { demoAutomation, FakeRun } from './fake-run.js';
import { RunEventRejectedError } from './run-event-rejected-error.js';
import { isProcessAlive as isProcessAliveForTest } from './is-process-alive.js';
import { RunStore, type RunDetail, type RunSummary } from './run-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-store-runs-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(dir, `store-${++n}`, 'runs.db');

/** Runs `fn` against a store on a fresh file; the file path is passed for raw checks. */
function withStore(fn: (store: RunStore, file: string) => void): void {
  const file = freshFile();
  const store = RunStore.open(file);
  try {
    fn(store, file);
  } finally {
    store.close();
  }
}

/** A second, read-only connection: proves what was committed, not what one handle caches. */
function count(file: string, table: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? -1;
  } finally {
    db.close();
  }
}

const recordAll = (store: RunStore, events: RunEvent[]) => events.forEach((e) => store.record(e));

describe('RunStore.record + getRun/listRuns', () => {
  it('projects a full run: steps, retries, locator, logs, artifacts, outputs', () =>
    withStore((store) => {
      const r = new FakeRun('run-0001-full');
      const events: RunEvent[] = [
        r.started({ inputs: { customer: 'ACME' }, headless: false, pid: 4242, totalSteps: 3 }),
        r.stepStarted('1', 1, 'click', 'Click "New invoice"'),
        r.next({
          type: 'step.succeeded',
          path: '1',
          kind: 'click',
          attempt: 1,
          durationMs: 40,
          locator: { index: 1, description: 'text=New invoice', fallback: true },
        }),
        r.stepStarted('2', 1, 'fill', 'Fill amount'),
        r.next({
          type: 'step.failed',
          path: '2',
          kind: 'fill',
          attempt: 1,
          durationMs: 5,
          error: { name: 'TargetNotFound', message: 'no match', details: { tried: 2 } },
          willRetry: true,
        }),
        r.next({ type: 'log', level: 'warn', message: 'retrying fill', path: '2' }),
        r.stepStarted('2', 2, 'fill', 'Fill amount'),
        r.stepSucceeded('2', 2, 'fill'),
        r.stepStarted('3', 1, 'if', 'If total > 0'),
        r.stepStarted('3.then.1', 1, 'screenshot', 'Capture'),
        r.next({ type: 'artifact', path: '3.then.1', artifactKind: 'screenshot', file: '/tmp/a.png', bytes: 1234 }),
        r.stepSucceeded('3.then.1', 1, 'screenshot'),
        r.stepSucceeded('3', 1, 'if'),
        r.next({ type: 'log', level: 'info', message: 'done' }),
        r.next({ type: 'artifact', artifactKind: 'html', file: '/tmp/page.html', bytes: 99 }),
        r.next({
          type: 'run.finished',
          status: 'passed',
          durationMs: 15000,
          outputs: { invoiceNo: 'INV-7', total: 12.5 },
          vars: { n: 3 },
        }),
      ];
      recordAll(store, events);

      const summary: RunSummary = {
        id: 'run-0001-full',
        automationId: demoAutomation.id,
        automationName: demoAutomation.name,
        automationVersion: demoAutomation.version,
        automationFile: '/automations/invoice-entry.rpa.json',
        status: 'passed',
        startedAt: r.tsOf(1),
        endedAt: r.tsOf(16),
        durationMs: 15000,
        stepsPassed: 4,
        stepsFailed: 0, // the failed first attempt of step 2 was retried
      };
      assert.deepEqual(store.listRuns(), [summary]);

      const detail: RunDetail = {
        ...summary,
        automationSha256: demoAutomation.sha256,
        inputs: { customer: 'ACME' },
        outputs: { invoiceNo: 'INV-7', total: 12.5 },
        vars: { n: 3 },
        headless: false,
        pid: 4242,
        host: os.hostname(),
        totalSteps: 3,
        steps: [
          {
            path: '1', kind: 'click', label: 'Click "New invoice"', attempt: 1, topIndex: 1, status: 'passed',
            startedAt: r.tsOf(2), endedAt: r.tsOf(3), durationMs: 40,
            locator: { index: 1, description: 'text=New invoice', fallback: true },
          },
          {
            path: '2', kind: 'fill', label: 'Fill amount', attempt: 1, topIndex: 2, status: 'failed',
            startedAt: r.tsOf(4), endedAt: r.tsOf(5), durationMs: 5,
            error: { name: 'TargetNotFound', message: 'no match', details: { tried: 2 } },
          },
          {
            path: '2', kind: 'fill', label: 'Fill amount', attempt: 2, topIndex: 2, status: 'passed',
            startedAt: r.tsOf(7), endedAt: r.tsOf(8), durationMs: 12,
          },
          {
            path: '3', kind: 'if', label: 'If total > 0', attempt: 1, topIndex: 3, status: 'passed',
            startedAt: r.tsOf(9), endedAt: r.tsOf(13), durationMs: 12,
          },
          {
            path: '3.then.1', kind: 'screenshot', label: 'Capture', attempt: 1, topIndex: 3, status: 'passed',
            startedAt: r.tsOf(10), endedAt: r.tsOf(12), durationMs: 12,
          },
        ],
        logs: [
          { seq: 6, ts: r.tsOf(6), level: 'warn', message: 'retrying fill', path: '2' },
          { seq: 14, ts: r.tsOf(14), level: 'info', message: 'done' },
        ],
        revisions: [],
        artifacts: [
          { seq: 11, ts: r.tsOf(11), path: '3.then.1', kind: 'screenshot', file: '/tmp/a.png', bytes: 1234 },
          { seq: 15, ts: r.tsOf(15), kind: 'html', file: '/tmp/page.html', bytes: 99 },
        ],
        modelCalls: [],
      };
      assert.deepEqual(store.getRun('run-0001-full'), detail);
      assert.deepEqual(store.events('run-0001-full'), events);
      assert.equal(store.getRun('nope'), undefined);
      assert.deepEqual(store.events('nope'), []);
    }));

  it('reads a running run as running, with unset optional fields omitted', () =>
    withStore((store) => {
      const r = new FakeRun('run-running');
      recordAll(store, [r.started({ automation: { ...demoAutomation, file: undefined } }), r.stepStarted('1')]);
      const run = store.getRun('run-running');
      assert.ok(run);
      assert.equal(run.status, 'running');
      for (const key of ['endedAt', 'durationMs', 'error', 'automationFile'] as const) assert.ok(!(key in run), key);
      assert.deepEqual(run.outputs, {});
      assert.deepEqual(run.steps.map((s) => [s.status, 'endedAt' in s, 'locator' in s]), [['running', false, false]]);
    }));

  it('records a failed run with its error and counts the final failed step', () =>
    withStore((store) => {
      const r = new FakeRun('run-failed');
      const error = { name: 'StepFailed', message: 'step 1 failed' };
      recordAll(store, [
        r.started(),
        r.stepStarted('1'),
        r.next({ type: 'step.failed', path: '1', kind: 'click', attempt: 1, durationMs: 3, error, willRetry: false }),
        r.next({ type: 'run.finished', status: 'failed', durationMs: 3, outputs: {}, vars: {}, error }),
      ]);
      const [run] = store.listRuns();
      assert.equal(run?.status, 'failed');
      assert.deepEqual(run?.error, error);
      assert.equal(run?.stepsFailed, 1);
      assert.equal(run?.stepsPassed, 0);
    }));

  it('marks a step still open at run.finished (a cancellation) as interrupted', () =>
    withStore((store) => {
      const r = new FakeRun('run-cancelled');
      recordAll(store, [r.started(), r.stepStarted('1'), r.finished('cancelled')]);
      const run = store.getRun('run-cancelled');
      assert.equal(run?.status, 'cancelled');
      assert.deepEqual(run?.steps.map((s) => [s.status, s.endedAt]), [['interrupted', r.tsOf(3)]]);
    }));

  it('lists newest first, honours last, automationId and status', () =>
    withStore((store) => {
      const base = Date.parse('2025-01-01T00:00:00Z');
      for (let i = 0; i < 25; i++) {
        const r = new FakeRun(`run-${String(i).padStart(2, '0')}`, base + i * 60_000);
        const automation = { ...demoAutomation, id: i % 2 === 0 ? 'even' : 'odd' };
        store.record(r.started({ automation }));
        if (i % 3 === 0) store.record(r.finished('failed'));
      }
      const ids = (runs: RunSummary[]) => runs.map((s) => s.id);
      assert.equal(store.listRuns().length, 20);
      assert.equal(store.listRuns().at(0)?.id, 'run-24');
      assert.deepEqual(ids(store.listRuns({ last: 3 })), ['run-24', 'run-23', 'run-22']);
      assert.deepEqual(ids(store.listRuns({ last: 3, automationId: 'odd' })), ['run-23', 'run-21', 'run-19']);
      assert.deepEqual(ids(store.listRuns({ last: 3, status: 'failed' })), ['run-24', 'run-21', 'run-18']);
      assert.deepEqual(ids(store.listRuns({ automationId: 'even', status: 'failed' })), [
        'run-24', 'run-18', 'run-12', 'run-06', 'run-00',
      ]);
      assert.deepEqual(store.listRuns({ automationId: 'none' }), []);
      assert.throws(() => store.listRuns({ last: 0 }), RangeError);
    }));
});

describe('RunStore.record rejects', () => {
  it('an event for an unknown run, writing nothing', () =>
    withStore((store, file) => {
      const r = new FakeRun('ghost');
      r.seq = 1;
      assert.throws(() => store.record(r.stepStarted('1')), RunEventRejectedError);
      assert.throws(() => store.record(r.next({ type: 'log', level: 'info', message: 'x' })), /unknown/);
      assert.equal(count(file, 'run_events'), 0);
      assert.equal(count(file, 'steps'), 0);
      assert.equal(count(file, 'logs'), 0);
    }));

  it('a duplicate seq, keeping the first event', () =>
    withStore((store, file) => {
      const r = new FakeRun('dup');
      recordAll(store, [r.started(), r.next({ type: 'log', level: 'info', message: 'first' })]);
      r.seq = 1;
      const dup = r.next({ type: 'log', level: 'info', message: 'second' });
      assert.throws(() => store.record(dup), /seq 2 was already recorded/);
      assert.equal(count(file, 'run_events'), 2);
      assert.deepEqual(store.getRun('dup')?.logs.map((l) => l.message), ['first']);
    }));

  it('a second run.started, an event after run.finished, and an end for a step never started', () =>
    withStore((store, file) => {
      const r = new FakeRun('closed');
      recordAll(store, [r.started(), r.stepStarted('1')]);
      assert.throws(() => store.record(r.stepSucceeded('9')), /not running/);
      assert.throws(() => store.record(r.stepStarted('1')), /already started/);
      const again = new FakeRun('closed');
      again.seq = 10;
      assert.throws(() => store.record(again.started()), /already started/);
      r.seq = 2;
      recordAll(store, [r.stepSucceeded('1'), r.finished()]);
      assert.throws(() => store.record(r.next({ type: 'log', level: 'info', message: 'late' })), /already ended \(passed\)/);
      assert.equal(count(file, 'run_events'), 4);
      assert.equal(store.getRun('closed')?.status, 'passed');
    }));

  it('a second run.resumed of one pause, from another process: one claim wins, the other is told who resumed it', () =>
    withStore((first, file) => {
      const r = new FakeRun('paused-run');
      recordAll(first, [
        r.started(),
        r.stepStarted('1', 1, 'human.review'),
        r.next({ type: 'review.created', reviewId: 'rev-1', path: '1', title: 'Check', values: { amount: '10' }, details: {} }),
        r.next({ type: 'run.paused', path: '1', attempt: 1, reviewId: 'rev-1', vars: {}, loops: [] }),
        r.next({ type: 'review.resolved', reviewId: 'rev-1', decision: 'approved', values: { amount: '10' }, reviewer: 'clerk' }),
      ]);
      const second = RunStore.open(file);
      try {
        // Both read the pause (same last seq) and resume from it; each claims the run with its run.resumed.
        const loser = new FakeRun('paused-run');
        loser.seq = r.seq;
        first.record(r.next({ type: 'run.resumed', path: '1', reviewId: 'rev-1', pid: 4242 }));
        assert.throws(
          () => second.record(loser.next({ type: 'run.resumed', path: '1', reviewId: 'rev-1', pid: 5353 })),
          (error: Error) => error.name === 'AlreadyResumedError' && new RegExp(`run paused-run was already resumed by process 4242 on ${os.hostname()} at `).test(error.message),
        );
        // Later (the run went on and ended), a late resume is told the same, and that the run ended.
        first.record(r.finished());
        loser.seq = 5;
        assert.throws(() => second.record(loser.next({ type: 'run.resumed', path: '1', reviewId: 'rev-1', pid: 5353 })), /already resumed by process 4242 .*; it has ended since \(passed\)/);
        assert.equal(second.events('paused-run').filter((e) => e.type === 'run.resumed').length, 1);
        assert.equal(second.outbox.pending(0, 100).filter((rec) => rec.type === 'run.resumed').length, 1, 'one resume in the audit trail');
        assert.equal(second.getRun('paused-run')?.status, 'passed');
      } finally {
        second.close();
      }
    }));

  it('a malformed event', () =>
    withStore((store, file) => {
      const bad = { type: 'run.started', runId: 'x', seq: 0, ts: 'now' } as unknown as RunEvent;
      assert.throws(() => store.record(bad));
      assert.equal(count(file, 'runs'), 0);
    }));
});

describe('RunStore.markInterrupted', () => {
  it('marks a run whose process is gone, and its running step; leaves a live one alone', () =>
    withStore((store) => {
      const child = spawnSync(process.execPath, ['-e', '']);
      assert.equal(child.status, 0);
      const dead = new FakeRun('dead-run');
      const live = new FakeRun('live-run');
      recordAll(store, [
        dead.started({ pid: child.pid }),
        dead.stepStarted('1'),
        dead.stepSucceeded('1'),
        dead.stepStarted('2'),
        live.started({ pid: process.pid }),
        live.stepStarted('1'),
      ]);

      assert.deepEqual(store.markInterrupted(), ['dead-run']);

      const d = store.getRun('dead-run');
      assert.equal(d?.status, 'interrupted');
      assert.equal(d?.endedAt, dead.tsOf(4)); // its last sign of life
      assert.deepEqual(d?.steps.map((s) => s.status), ['passed', 'interrupted']);
      assert.equal(d?.steps[1]?.endedAt, dead.tsOf(4));
      assert.equal(store.getRun('live-run')?.status, 'running');
      assert.deepEqual(store.getRun('live-run')?.steps.map((s) => s.status), ['running']);

      // Once interrupted, the run takes no more events and is not marked twice.
      assert.throws(() => store.record(dead.stepSucceeded('2')), /already ended \(interrupted\)/);
      assert.deepEqual(store.markInterrupted(), []);
    }));

  it('ends the run with a run.finished (interrupted) event whose audit record is in the outbox, in the same commit', () =>
    withStore((store) => {
      const child = spawnSync(process.execPath, ['-e', '']);
      const dead = new FakeRun('dead-run');
      recordAll(store, [dead.started({ pid: child.pid }), dead.stepStarted('1'), dead.stepSucceeded('1'), dead.stepStarted('2')]);
      const before = store.outbox.counts().total;
      assert.deepEqual(store.markInterrupted(), ['dead-run']);

      const last = store.events('dead-run').at(-1)!;
      assert.equal(last.type, 'run.finished');
      assert.equal(last.seq, 5);
      assert.equal(last.ts, dead.tsOf(4), 'ends at its last sign of life');
      assert.equal(last.type === 'run.finished' && last.status, 'interrupted');
      assert.equal(last.type === 'run.finished' && last.error?.name, 'RunInterruptedError');
      assert.match(last.type === 'run.finished' ? (last.error?.message ?? '') : '', new RegExp(`pid ${child.pid} on ${os.hostname()}`));

      assert.equal(store.outbox.counts().total, before + 1);
      const record = store.outbox.pending(0, 100).at(-1)!;
      assert.equal(record.type, 'run.finished');
      assert.equal(record.runId, 'dead-run');
      assert.equal((record.payload as { status: string }).status, 'interrupted');
      assert.deepEqual(record.automation, { id: demoAutomation.id, version: demoAutomation.version, sha256: demoAutomation.sha256 });
      assert.deepEqual(store.markInterrupted(), [], 'not marked twice');
      assert.equal(store.outbox.counts().total, before + 1, 'no second record');
    }));

  it('two processes finding the same dead run at once end it once', () =>
    withStore((first, file) => {
      const child = spawnSync(process.execPath, ['-e', '']);
      const dead = new FakeRun('dead-run');
      recordAll(first, [dead.started({ pid: child.pid }), dead.stepStarted('1')]);
      const second = RunStore.open(file);
      try {
        // The second process lists the dead run, then the first ends it before the second's commit.
        const marked = second.markInterrupted((pid, host) => {
          assert.deepEqual(first.markInterrupted(), ['dead-run']);
          return isProcessAliveForTest(pid, host);
        });
        assert.deepEqual(marked, []);
        assert.deepEqual(
          second.events('dead-run').map((e) => e.type),
          ['run.started', 'step.started', 'run.finished'],
        );
        assert.equal(second.outbox.pending(0, 100).filter((r) => r.type === 'run.finished').length, 1);
      } finally {
        second.close();
      }
    }));

  it('gives a run an older rpa marked interrupted (no run-ended event) its event and audit record', () =>
    withStore((store, file) => {
      const old = new FakeRun('old-run');
      recordAll(store, [old.started({ pid: process.pid }), old.stepStarted('1')]);
      // What an older rpa did: the projection only.
      const raw = new BetterSqlite3(file);
      raw.prepare("UPDATE runs SET status = 'interrupted', ended_at = ? WHERE id = 'old-run'").run(old.tsOf(2));
      raw.close();
      const before = store.outbox.counts().total;
      assert.deepEqual(store.markInterrupted(), [], 'not newly interrupted');
      const last = store.events('old-run').at(-1)!;
      assert.deepEqual([last.type, last.type === 'run.finished' && last.status, last.ts], ['run.finished', 'interrupted', old.tsOf(2)]);
      assert.equal(store.outbox.counts().total, before + 1);
      assert.equal(store.getRun('old-run')?.status, 'interrupted');
      store.markInterrupted();
      assert.equal(store.outbox.counts().total, before + 1, 'once only');
    }));

  it('uses the given liveness check, and treats runs from another host as alive by default', () =>
    withStore((store, file) => {
      const child = spawnSync(process.execPath, ['-e', '']);
      const r = new FakeRun('elsewhere');
      store.record(r.started({ pid: child.pid }));
      const raw = new BetterSqlite3(file);
      raw.prepare("UPDATE runs SET host = 'another-host' WHERE id = 'elsewhere'").run();
      raw.close();
      assert.deepEqual(store.markInterrupted(), []);
      const seen: [number, string][] = [];
      assert.deepEqual(
        store.markInterrupted((pid, host) => (seen.push([pid, host]), false)),
        ['elsewhere'],
      );
      assert.deepEqual(seen, [[child.pid, 'another-host']]);
    }));

  it('marks a run whose `rpa run` process was SIGKILLed mid-step', async () => {
    const file = freshFile();
    const storeUrl = new URL('./run-store.js', import.meta.url).href;
    const script = `
      import { RunStore } from ${JSON.stringify(storeUrl)};
      const store = RunStore.open(${JSON.stringify(file)});
      const base = { runId: 'crashed-run', ts: new Date().toISOString() };
      store.record({ ...base, seq: 1, type: 'run.started', pid: process.pid, headless: true, totalSteps: 2,
        inputs: {}, automation: { id: 'a', name: 'A', version: '1', sha256: 'x' } });
      store.record({ ...base, seq: 2, type: 'step.started', path: '1', kind: 'wait', label: 'Wait', attempt: 1, topIndex: 1 });
      process.stdout.write('ready\\n');
      setInterval(() => {}, 60_000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const data: unknown[] = await once(child.stdout, 'data');
    assert.equal(String(data[0]), 'ready\n');
    child.kill('SIGKILL');
    const exit: unknown[] = await exited;
    assert.equal(exit[1], 'SIGKILL');

    const store = RunStore.open(file);
    try {
      assert.equal(store.getRun('crashed-run')?.status, 'running');
      assert.deepEqual(store.markInterrupted(), ['crashed-run']);
      const run = store.getRun('crashed-run');
      assert.equal(run?.status, 'interrupted');
      assert.equal(run?.pid, child.pid);
      assert.deepEqual(run?.steps.map((s) => s.status), ['interrupted']);
    } finally {
      store.close();
    }
  });
});

describe('RunStore.resolveRunId', () => {
  it('resolves unique prefixes, rejects ambiguous and short ones', () =>
    withStore((store) => {
      for (const id of ['3f2a9c10-aaaa', '3f2a9c77-bbbb', '8e01d4d2-cccc', 'abcd']) {
        store.record(new FakeRun(id).started());
      }
      assert.equal(store.resolveRunId('8e01'), '8e01d4d2-cccc');
      assert.equal(store.resolveRunId('3f2a9c1'), '3f2a9c10-aaaa');
      assert.equal(store.resolveRunId('3f2a9c77-bbbb'), '3f2a9c77-bbbb');
      assert.equal(store.resolveRunId('abcd'), 'abcd');
      assert.equal(store.resolveRunId('ffff'), undefined);
      assert.equal(store.resolveRunId('3f2a9c10-aaaa-more'), undefined);
      assert.throws(
        () => store.resolveRunId('3f2a'),
        /run id prefix "3f2a" is ambiguous: it matches 3f2a9c10-aaaa, 3f2a9c77-bbbb/,
      );
      assert.throws(() => store.resolveRunId('3f2'), /at least 4 characters/);
      assert.throws(() => store.resolveRunId(''), /at least 4 characters/);
    }));
});
