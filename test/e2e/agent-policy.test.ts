// `rpa agent` and the machine policy: an invalid policy refuses the start (exit 4), and a policy
// that turns invalid while the agent runs pauses all its work — queue workers, schedules, folder
// triggers — without using up a single queue attempt, until the policy is valid again.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteWorkQueue } from '../../engine/queue/index.js';
import { cliEnv, RPA_JS, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { until } from '../helpers/until.js';

const VALID = { version: 1, owner: 'Finance IT' };
const INVALID = { version: 1, recorder: { enabled: 'maybe' } };

function startAgent(home: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [RPA_JS, 'agent'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Start times of the runs by trigger prefix (schedule:, folder:, queue:). */
function runStarts(home: string, prefix: string): number[] {
  const file = path.join(home, 'runs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT ts FROM run_events WHERE type = 'run.started' AND json_extract(json, '$.trigger') LIKE ? ORDER BY ts").pluck().all(`${prefix}%`) as string[]).map((ts) => Date.parse(ts));
  } finally {
    db.close();
  }
}

function setup(policyCheckMs: number): { home: string; env: NodeJS.ProcessEnv; policy: string; inbox: string } {
  const home = tempDir('agent-policy');
  const policy = path.join(home, 'policy.json');
  writeFileSync(policy, JSON.stringify(VALID));
  const bot = writeAutomation(home, 'bot.json', {
    format: 1,
    id: 'policy.agent-bot',
    name: 'Agent bot',
    version: '1.0.0',
    inputs: [{ name: 'file', type: 'string', required: false, default: '' }],
    steps: [{ kind: 'log', message: 'working on {{inputs.file}}' }],
  });
  const inbox = path.join(home, 'inbox');
  writeFileSync(
    path.join(home, 'agent.json'),
    JSON.stringify({
      queues: [{ queue: 'work', automation: bot, concurrency: 2, pollMs: 50, leaseMs: 60_000 }],
      folders: [{ id: 'inbox', folder: inbox, automation: bot, input: 'file', stableMs: 100, pollMs: 100 }],
      policyCheckMs,
      shutdownGraceMs: 10_000,
    }),
  );
  return { home, env: cliEnv(home, { RPA_POLICY_FILE: policy }), policy, inbox };
}

describe('rpa agent under the machine policy', () => {
  it('refuses to start under an invalid policy (exit 4, the problem printed); no item is touched', { timeout: 60_000 }, async () => {
    const { home, env, policy } = setup(200);
    writeFileSync(policy, JSON.stringify(INVALID));
    const queue = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    try {
      const item = await queue.add('work', { file: 'a' });
      const agent = startAgent(home, env);
      // An agent that starts anyway would run for ever: give it 20 s, then end it.
      const timer = setTimeout(() => agent.child.kill('SIGKILL'), 20_000);
      const code = await exited(agent.child);
      clearTimeout(timer);
      assert.equal(code, 4, agent.output());
      assert.match(agent.output(), /rpa agent: machine policy .*policy\.json is invalid, so no bot may run until IT fixes it: recorder\.enabled/);
      assert.doesNotMatch(agent.output(), /agent started/);
      const after = (await queue.get(item.id))!;
      assert.deepEqual([after.state, after.attempts], ['new', 0]);
      assert.equal(existsSync(path.join(home, 'agent.lock')), false, 'no lock left behind');
    } finally {
      await queue.close();
    }
  });

  it('pauses queues, schedules and folder triggers while the policy is invalid, uses no attempt, resumes when it is valid again', { timeout: 120_000 }, async () => {
    const { home, env, policy, inbox } = setup(200);
    const queue = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    const schedule = await runCli(['schedule', 'add', path.join(home, 'bot.json'), '--cron', '* * * * * *', '--missed', 'run-once'], env);
    assert.equal(schedule.code, 0, schedule.stderr);
    const agent = startAgent(home, env);
    try {
      await until('agent up', () => agent.output().includes('agent started'), { timeoutMs: 30_000, detail: agent.output });
      const first = await queue.addMany('work', [1, 2, 3].map((n) => ({ payload: { file: `before-${n}` } })));
      await until('the first items done', async () => (await queue.stats('work')).done === 3, { timeoutMs: 30_000, detail: agent.output });
      await until('a schedule run', () => runStarts(home, 'schedule:').length > 0, { timeoutMs: 30_000, detail: agent.output });

      writeFileSync(policy, JSON.stringify(INVALID));
      await until('the pause', () => agent.output().includes('all work is paused'), { timeoutMs: 30_000, detail: agent.output });
      assert.match(agent.output(), /recorder\.enabled/);
      const pausedAt = Date.now();
      const during = await queue.addMany('work', [1, 2, 3, 4, 5].map((n) => ({ payload: { file: `during-${n}` }, maxRetries: 1 })));
      mkdirSync(inbox, { recursive: true });
      writeFileSync(path.join(inbox, 'paused.txt'), 'dropped while paused');
      const status = await until('status says paused', async () => {
        const shown = await runCli(['agent', 'status', '--json'], env);
        const state = JSON.parse(shown.stdout) as { paused?: string; alive: boolean };
        return state.alive && state.paused ? state : undefined;
      }, { timeoutMs: 30_000, detail: agent.output });
      assert.match(status.paused!, /policy is invalid/);
      assert.match((await runCli(['agent', 'status'], env)).stdout, /paused: the machine policy is invalid; nothing new starts until it is valid again/);
      // Before the fix every item went dead within about 7 s; wait longer than that.
      await sleep(8_000);
      assert.equal(agent.child.exitCode, null, 'the agent keeps running');
      for (const item of during) {
        const now = (await queue.get(item.id))!;
        assert.deepEqual([now.state, now.attempts], ['new', 0], `item ${item.id} untouched while paused`);
      }
      // Nothing started while paused (a run begun just before the pause was seen may still log).
      assert.deepEqual(runStarts(home, '').filter((ts) => ts > pausedAt + 500), [], 'no run started while paused');
      assert.deepEqual(readdirSync(inbox).sort(), ['paused.txt'], 'the dropped file waits in the inbox');

      writeFileSync(policy, JSON.stringify(VALID));
      await until('work resumes', () => agent.output().includes('is valid again'), { timeoutMs: 30_000, detail: agent.output });
      await until('the paused items done', async () => (await queue.stats('work')).done === 8, { timeoutMs: 30_000, detail: agent.output });
      for (const item of [...first, ...during]) assert.equal((await queue.get(item.id))?.attempts, 1, `item ${item.id}: one attempt, the one that ran`);
      await until('the dropped file processed', () => existsSync(path.join(inbox, 'done', 'paused.txt')) || existsSync(path.join(inbox, 'done')) && readdirSync(path.join(inbox, 'done')).length > 0, { timeoutMs: 30_000, detail: agent.output });
      const resumedAt = Date.now();
      await until('schedules fire again', () => runStarts(home, 'schedule:').some((ts) => ts > resumedAt - 1_000), { timeoutMs: 30_000, detail: agent.output });

      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());
    } finally {
      if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      await queue.close();
    }
  });

  it('an item leased just as the policy turned invalid is handed back untried, and the agent pauses at once', { timeout: 90_000 }, async () => {
    // The watch looks only every 10 minutes here: the refused run itself must trigger the pause.
    const { home, env, policy } = setup(600_000);
    const queue = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    const agent = startAgent(home, env);
    try {
      await until('agent up', () => agent.output().includes('agent started'), { timeoutMs: 30_000, detail: agent.output });
      writeFileSync(policy, JSON.stringify(INVALID));
      const items = await queue.addMany('work', [1, 2, 3].map((n) => ({ payload: { file: `raced-${n}` }, maxRetries: 0 })));
      await until('the refusal hands an item back', () => agent.output().includes('handed back untried'), { timeoutMs: 30_000, detail: agent.output });
      await until('the pause', () => agent.output().includes('all work is paused'), { timeoutMs: 30_000, detail: agent.output });
      await sleep(3_000);
      for (const item of items) {
        const now = (await queue.get(item.id))!;
        // maxRetries 0: one counted attempt would have made it dead.
        assert.deepEqual([now.state, now.attempts], ['new', 0], `item ${item.id}`);
      }
      const histories = await Promise.all(items.map((item) => queue.history(item.id)));
      const released = histories.flat().filter((h) => h.error?.message.startsWith('released untried'));
      assert.ok(released.length >= 1 && released.length <= 2, `one refused lease per worker at most, got ${released.length}`);
      assert.equal(released[0]!.error?.name, 'PolicyInvalidError');
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());
    } finally {
      if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      await queue.close();
    }
  });

  it('a run the valid policy forbids hands its item back untried and holds the queue until the policy changes', { timeout: 90_000 }, async () => {
    const { home, env, policy } = setup(200);
    const keygen = await runCli(['keygen', '--out', path.join(home, 'coe')], env);
    assert.equal(keygen.code, 0, keygen.stderr);
    // Only signed packages may run: the queue's plain automation file is refused.
    writeFileSync(policy, JSON.stringify({ version: 1, automations: { requireSigned: true, trustedPublishers: [{ name: 'CoE', publicKey: readFileSync(path.join(home, 'coe.pub'), 'utf8') }] } }));
    const queue = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    const agent = startAgent(home, env);
    try {
      await until('agent up', () => agent.output().includes('agent started'), { timeoutMs: 30_000, detail: agent.output });
      const items = await queue.addMany('work', [1, 2].map((n) => ({ payload: { file: `signed-only-${n}` }, maxRetries: 0 })));
      await until('the hold', () => agent.output().includes('waiting for the machine policy to change'), { timeoutMs: 30_000, detail: agent.output });
      await sleep(2_000);
      for (const item of items) assert.deepEqual([(await queue.get(item.id))!.state, (await queue.get(item.id))!.attempts], ['new', 0], `item ${item.id}`);
      assert.ok(agent.output().split('handed back untried').length - 1 <= 2, 'no lease-and-hand-back loop');

      writeFileSync(policy, JSON.stringify(VALID));
      await until('the items done', async () => (await queue.stats('work')).done === 2, { timeoutMs: 30_000, detail: agent.output });
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());
    } finally {
      if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
      await queue.close();
    }
  });

  it('a folder file claimed just as the policy turned invalid stays in processing/ (not failed/) and runs when the agent starts again', { timeout: 90_000 }, async () => {
    const { home, env, policy, inbox } = setup(600_000);
    let agent = startAgent(home, env);
    try {
      await until('agent up', () => agent.output().includes('agent started'), { timeoutMs: 30_000, detail: agent.output });
      writeFileSync(policy, JSON.stringify(INVALID));
      mkdirSync(inbox, { recursive: true });
      writeFileSync(path.join(inbox, 'raced.txt'), 'claimed while the policy was turning invalid');
      await until('the pause', () => agent.output().includes('all work is paused'), { timeoutMs: 30_000, detail: agent.output });
      await sleep(1_000);
      assert.deepEqual(readdirSync(path.join(inbox, 'processing')), ['raced.txt'], agent.output());
      assert.equal(existsSync(path.join(inbox, 'failed')) && readdirSync(path.join(inbox, 'failed')).length, false, 'nothing in failed/');
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());

      writeFileSync(policy, JSON.stringify(VALID));
      agent = startAgent(home, env);
      await until('the file run after all', () => existsSync(path.join(inbox, 'done', 'raced.txt')), { timeoutMs: 30_000, detail: agent.output });
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());
    } finally {
      if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    }
  });
});
