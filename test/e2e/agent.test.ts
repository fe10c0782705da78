// `rpa agent` unattended: a queue of 100 items (some retried, some set aside), a folder
// trigger, a SIGKILL in the middle and a restart that loses nothing, then a graceful stop.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the agents, and the second agent refused while the first lives, are real `rpa` processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { SqliteWorkQueue } from '../../engine/queue/index.js';
import { cliEnv, cliWorker, EXAMPLES, jsonLines, RPA_JS, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;
import { until } from '../helpers/until.js';

/** The agent's work is slow under load: each wait may take this long. */
const WAIT = { timeoutMs: 90_000, everyMs: 200 };

function startAgent(home: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [RPA_JS, 'agent'], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('rpa agent', () => {
  let demo: DemoSystem;
  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 0 });
  });
  after(async () => {
    await demo.close();
  });

  it('works a queue of 100 items and a folder trigger, survives SIGKILL, stops gracefully on SIGTERM', async () => {
    const home = tempDir('agent');
    const inbox = path.join(home, 'inbox');
    // 100 claims: every 10th malformed, every 20th above the authority limit, every 7th busy once.
    const rows = ['claimNumber,amount,busyAttempts'];
    for (let i = 1; i <= 100; i++) {
      const number = i % 10 === 0 ? `CLM-2004-0${i}X` : `CLM-2004-${String(500 + i).padStart(6, '0')}`;
      rows.push(`${number},${i % 20 === 5 ? 25000 : 100 + i},${i % 7 === 0 ? 1 : 0}`);
    }
    const csv = path.join(home, 'incoming.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const enqueue = await rpa(['run', path.join(EXAMPLES, 'enqueue-claims.json'), '--input', `csv=${csv}`, '--json'], cliEnv(home));
    assert.equal(enqueue.code, 0, enqueue.stderr);
    const again = await rpa(['run', path.join(EXAMPLES, 'enqueue-claims.json'), '--input', `csv=${csv}`, '--json'], cliEnv(home));
    const end = jsonLines(again.stdout).find((e) => e['type'] === 'run.finished');
    assert.deepEqual((end?.['outputs'] as Record<string, unknown>)['added'], [], 'idempotency keys: nothing added twice');

    writeFileSync(
      path.join(home, 'agent.json'),
      JSON.stringify({
        queues: [{ queue: 'claims-triage', automation: path.join(EXAMPLES, 'review-claim-item.json'), concurrency: 2, pollMs: 100, leaseMs: 3000 }],
        folders: [{ id: 'status-requests', folder: inbox, automation: path.join(EXAMPLES, 'claim-statuses.json'), input: 'claimsCsv', inputs: { baseUrl: demo.url }, stableMs: 300, pollMs: 100 }],
        shutdownGraceMs: 20_000,
      }),
    );
    const queue = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    const agents: ChildProcess[] = [];
    try {
      const first = startAgent(home);
      agents.push(first.child);
      // A second agent on the same home is refused while the first lives.
      await until('first agent up', () => first.output().includes('agent started'), WAIT);
      const second = await runCli(['agent'], cliEnv(home));
      assert.equal(second.code, 1);
      assert.match(second.stderr, /another agent is already running for this RPA_HOME \(pid \d+/);

      await until('some items done', async () => (await queue.stats('claims-triage')).done >= 20, WAIT);
      first.child.kill('SIGKILL');
      await exited(first.child);

      // A status request file arrives while no agent runs: written under a temporary name, then renamed.
      mkdirSync(inbox, { recursive: true });
      writeFileSync(path.join(inbox, 'requests.csv.part'), 'claimNumber,requestedBy\nCLM-2004-000004,Eve\n');
      renameSync(path.join(inbox, 'requests.csv.part'), path.join(inbox, 'requests.csv'));

      // A schedule added while no agent runs: every 4 seconds, overlapping fires skipped.
      const added = await rpa(['schedule', 'add', path.join(EXAMPLES, 'claims-report.json'), '--cron', '*/4 * * * * *', '--input', `baseUrl=${demo.url}`, '--overlap', 'skip', '--name', 'report'], cliEnv(home));
      assert.equal(added.code, 0, added.stderr);
      const listed = await rpa(['schedule', 'list'], cliEnv(home));
      assert.match(listed.stdout, /report/);

      const second2 = startAgent(home); // takes over the stale lock
      agents.push(second2.child);
      // Asked through the agent (the engine host): once a second, not five times, so that listing a
      // thousand runs does not take the agent's time from the runs it is waiting for.
      const scheduledRun = await until('a scheduled report run passed', async () => {
        const all = jsonLines((await rpa(['runs', '--json', '--last', '1000'], cliEnv(home))).stdout);
        return all.find((r) => r['automation'] === 'acme.claims-report' && r['status'] === 'passed');
      }, { ...WAIT, everyMs: 1_000 });
      assert.equal((await rpa(['schedule', 'remove', 'report'], cliEnv(home))).code, 0);
      const shownReport = await rpa(['show', String(scheduledRun['id'])], cliEnv(home));
      assert.match(shownReport.stdout, /claims-by-status\.csv/);
      await until('queue drained', async () => {
        const stats = await queue.stats('claims-triage');
        return stats.new + stats.in_progress + stats.retrying === 0 && stats;
      }, WAIT);
      await until('folder file processed', () => existsSync(path.join(inbox, 'done', 'requests.csv')), WAIT);

      const items = await queue.list({ queue: 'claims-triage', limit: 1000 });
      assert.equal(items.length, 100);
      const byNumber = new Map(items.map((item) => [(item.payload as { claimNumber: string }).claimNumber, item]));
      for (let i = 1; i <= 100; i++) {
        const number = i % 10 === 0 ? `CLM-2004-0${i}X` : `CLM-2004-${String(500 + i).padStart(6, '0')}`;
        const item = byNumber.get(number)!;
        const business = i % 10 === 0 || i % 20 === 5;
        assert.equal(item.state, business ? 'failed' : 'done', `${number}: ${item.state} ${JSON.stringify(item.lastError)}`);
        if (business) assert.equal(item.lastError?.kind, 'business');
        if (!business && i % 7 === 0) assert.ok(item.attempts >= 2, `${number} was busy once, so retried`);
      }
      // Each done item was completed by exactly one passed run, even across the kill: a run
      // that passed just before the kill settles its item on restart without running again.
      const runs = jsonLines((await rpa(['runs', '--json', '--last', '1000'], cliEnv(home))).stdout).filter((r) => r['automation'] === 'acme.review-claim-item');
      const passed = runs.filter((r) => r['status'] === 'passed').length;
      assert.equal(passed, items.filter((item) => item.state === 'done').length);
      assert.ok(runs.every((r) => r['status'] !== 'running'), 'no run left running');

      second2.child.kill('SIGTERM');
      assert.equal(await exited(second2.child), 0);
      assert.match(second2.output(), /agent stopped/);
      assert.ok(!existsSync(path.join(home, 'agent.lock')), 'lock released');
      assert.deepEqual(readdirSync(path.join(inbox, 'processing')), []);
    } finally {
      // Never leave an agent behind, whatever failed above.
      for (const child of agents) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await queue.close();
    }
  });
});
