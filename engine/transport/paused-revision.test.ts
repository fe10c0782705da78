// A paused run takes the builder's edited automation only where that is honest: from a
// top-level step on, with the steps already run, the inputs and the secrets unchanged. An
// unsaved revision is named as such in the run's log with its hash; anything else is refused
// with the reason and the run stays paused. Real engine, real SQLite store, the studio API.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
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

  it('takes an unsaved revision from the paused step on, naming it and its hash in the log', async () => {
    const { runId } = (await service.call('runs.start', { id: 'ws/revise.json', breakpoints: ['3'] })) as { runId: string };
    await pausedAt(runId, '3');
    const edited = { ...DOC, steps: [...DOC.steps.slice(0, 2), log('three, edited'), { kind: 'flow.set', var: 'said', value: 'edited' }, log('four, added')] };
    const state = (await service.call('runs.debug', { runId, action: 'continue', doc: edited })) as { revision?: { describe: string; sha256: string } };
    const sha = createHash('sha256').update(`${JSON.stringify(edited, null, 2)}\n`).digest('hex');
    assert.deepEqual(state.revision, { describe: 'an unsaved revision', sha256: sha });
    const run = await finished(runId);
    assert.equal(run.status, 'passed');
    assert.deepEqual(run.outputs, { said: 'edited' }, 'the edited steps ran');
    assert.deepEqual(run.steps.filter((s) => !s.path.includes('.')).map((s) => s.path), ['1', '2', '3', '4', '5']);
    assert.ok(run.logs.some((l) => l.message === 'four, added'));
    const note = run.logs.find((l) => l.level === 'warn');
    assert.ok(note, 'a warning names the revision');
    assert.equal(note.path, '3');
    assert.match(note.message, new RegExp(`^step 3 and the steps after it run from an unsaved revision of ws/revise\\.json \\(sha256 ${sha}\\)`));
  });
});
