// A paused run takes the builder's edited automation only where that is honest: from a
// top-level step on, with the steps already run, the inputs and the secrets unchanged. An
// revision is its own run event (run.revised) and audit record, chained like every other one,
// naming whether it was saved and its hash; the run's step total follows it. Anything else is
// refused with the reason and the run stays paused. Real engine, real SQLite store, the studio API.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyChain } from '../../audit/verify.js';
import { Engine } from '../api.js';
import { tempDir, writeAutomation } from '../../test/helpers/env.js';
import { until } from '../../test/helpers/until.js';
import type { Pushed, RunDetail } from './messages.js';
import { StudioService } from './studio-service.js';
import { Workspace } from './workspace.js';

const log = (message: string): Record<string, unknown> => ({ kind: 'log', message });
const DOC = {
  format: 1,
  id: 'test.revise',
  name: 'Revise',
  version: '1.0.0',
  inputs: [{ name: 'who', type: 'string', default: 'clerk' }],
  outputs: ['said'],
  steps: [log('one'), { kind: 'flow.if', condition: { left: 'a', op: 'equals', right: 'a' }, then: [log('inside')] }, log('three'), { kind: 'flow.set', var: 'said', value: 'saved' }],
};

describe('a paused run and the builder\'s edits', { timeout: 120_000 }, () => {
  let dir: string;
  let engine: Engine;
  let service: StudioService;
  const pushed: Pushed[] = [];

  before(() => {
    dir = tempDir('paused-revision');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home') } });
    const workspace = new Workspace([{ name: 'ws', dir: path.join(dir, 'ws') }]);
    writeAutomation(path.join(dir, 'ws'), 'revise.json', DOC);
    service = new StudioService({ engine, workspace });
    service.onPush((m) => pushed.push(m));
  });
  after(async () => {
    await service?.close();
    engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pausedAt = (runId: string, at: string): Promise<boolean> => until(`run ${runId} paused at ${at}`, async () => ((await service.call('runs.debug', { runId })) as { pausedAt?: string }).pausedAt === at, 30_000);
  const finished = (runId: string): Promise<RunDetail> => until(`run ${runId} finished`, async () => {
    const run = (await service.call('runs.get', { runId })) as RunDetail;
    return run.status !== 'running' ? run : undefined;
  }, 30_000);

  it('refuses a revision that changes inputs, needs a new secret, or comes while paused inside a step; the run stays paused', async () => {
    const { runId } = (await service.call('runs.start', { id: 'ws/revise.json', breakpoints: ['2.then.1', '3'] })) as { runId: string };
    await pausedAt(runId, '2.then.1');
    await assert.rejects(service.call('runs.debug', { runId, action: 'step', doc: DOC }), /paused at step 2\.then\.1, inside step 2: edits can only be handed to it before a top-level step/);
    await service.call('runs.debug', { runId, action: 'continue' });
    await pausedAt(runId, '3');
    await assert.rejects(service.call('runs.debug', { runId, action: 'step', doc: { ...DOC, inputs: [] } }), /alter the inputs, which are settled when a run starts/);
    await assert.rejects(service.call('runs.debug', { runId, action: 'step', doc: { ...DOC, secrets: ['apiToken'] } }), /need the secret\(s\) apiToken, which this run did not load/);
    await assert.rejects(service.call('runs.debug', { runId, action: 'step', doc: { ...DOC, steps: [log('ONE'), ...DOC.steps.slice(1)] } }), /alter steps 1–2, which this run has already done/);
    await assert.rejects(service.call('runs.debug', { runId, action: 'step', doc: { ...DOC, steps: 'no' } }), /steps/);
    assert.equal(((await service.call('runs.debug', { runId })) as { pausedAt?: string }).pausedAt, '3', 'still paused where it was');
    await service.call('runs.debug', { runId, action: 'continue' });
    const run = await finished(runId);
    assert.equal(run.status, 'passed');
    assert.deepEqual(run.outputs, { said: 'saved' });
  });

  it('takes an unsaved revision from the paused step on: its own run.revised event and audit record, with its hash; the step total follows it', async () => {
    const { runId } = (await service.call('runs.start', { id: 'ws/revise.json', breakpoints: ['3', '5'] })) as { runId: string };
    await pausedAt(runId, '3');
    const started = engine.events(runId).find((e) => e.type === 'run.started');
    assert.ok(started?.type === 'run.started');
    assert.equal(started.totalSteps, 4);
    const edited = { ...DOC, steps: [...DOC.steps.slice(0, 2), log('three, edited'), { kind: 'flow.set', var: 'said', value: 'edited' }, log('four, added')] };
    const state = (await service.call('runs.debug', { runId, action: 'continue', doc: edited })) as { revision?: { describe: string; sha256: string } };
    const sha = createHash('sha256').update(`${JSON.stringify(edited, null, 2)}\n`).digest('hex');
    assert.deepEqual(state.revision, { describe: 'an unsaved revision', sha256: sha });

    // Paused again at step 5 (added by the revision): what the tray reads already counts 5 steps.
    await pausedAt(runId, '5');
    const active = ((await service.call('runs.active', {})) as Array<{ runId: string; totalSteps: number }>).find((r) => r.runId === runId);
    assert.equal(active?.totalSteps, 5, 'the live step total is the revision\'s, not the 4 the run started with');
    const pushedRevision = pushed.find((m) => m.type === 'run.event' && m.event.runId === runId && m.event.type === 'run.revised');
    assert.ok(pushedRevision, 'the revision reaches the live view as a run event');
    await service.call('runs.debug', { runId, action: 'continue' });

    const run = await finished(runId);
    assert.equal(run.status, 'passed');
    assert.deepEqual(run.outputs, { said: 'edited' }, 'the edited steps ran');
    assert.deepEqual(run.steps.filter((s) => !s.path.includes('.')).map((s) => s.path), ['1', '2', '3', '4', '5']);
    assert.ok(run.logs.some((l) => l.message === 'four, added'));
    assert.equal(run.totalSteps, 5, 'the run\'s step total after the revision');
    assert.equal(run.revisions.length, 1);
    const revision = run.revisions[0]!;
    assert.equal(revision.path, '3');
    assert.equal(revision.sha256, sha);
    assert.equal(revision.saved, false);
    assert.equal(revision.savedVersion, undefined);
    assert.equal(revision.totalSteps, 5);
    const original = createHash('sha256').update(JSON.stringify(DOC, null, 2)).digest('hex'); // as writeAutomation wrote it
    assert.equal(revision.previousSha256, original);

    // In the audit chain: a record of its own type, linked and hashed like every other one.
    const records = engine.outbox.pending(0, 10_000);
    assert.deepEqual(verifyChain(records), { ok: true, checked: records.length });
    const mine = records.filter((r) => r.runId === runId);
    const revised = mine.find((r) => r.type === 'run.revised');
    assert.ok(revised, 'a run.revised audit record');
    assert.equal((revised.payload as { automation: { sha256: string } }).automation.sha256, sha);
    assert.equal((revised.payload as { saved: boolean }).saved, false);
    const after = mine.filter((r) => r.seq > revised.seq);
    assert.ok(after.length > 0 && after.every((r) => r.automation?.sha256 === sha), 'records after the revision name the document they ran from');
    assert.ok(mine.filter((r) => r.seq < revised.seq).every((r) => r.automation?.sha256 === original), 'records before it name the one the run started with');
    // Immutable: the record edited after the fact breaks the chain at that record.
    const tampered = records.map((r) => (r === revised ? { ...r, payload: { ...r.payload, saved: true, savedVersion: 1 } } : r));
    const verdict = verifyChain(tampered);
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok && verdict.firstBroken.seq === revised.seq, 'the chain breaks at the edited revision record');
    assert.ok(!run.logs.some((l) => l.level === 'warn'), 'no longer a mere log line');
  });

  it('a saved revision names its version', async () => {
    const { runId } = (await service.call('runs.start', { id: 'ws/revise.json', breakpoints: ['3'] })) as { runId: string };
    await pausedAt(runId, '3');
    const edited = { ...DOC, steps: [...DOC.steps.slice(0, 2), log('three, saved'), DOC.steps[3]] };
    await service.call('automations.save', { id: 'ws/revise.json', doc: edited });
    const state = (await service.call('runs.debug', { runId, action: 'continue', doc: edited })) as { revision?: { describe: string } };
    assert.match(state.revision?.describe ?? '', /^version \d+ \(saved in the studio\)$/);
    const run = await finished(runId);
    assert.equal(run.revisions.length, 1);
    assert.equal(run.revisions[0]!.saved, true);
    assert.equal(`version ${run.revisions[0]!.savedVersion} (saved in the studio)`, state.revision?.describe);
    assert.equal(run.totalSteps, 4);
  });
});
