// `rpa run`, `review`, `reviews`, `templates` and `enroll` with an engine host running: the bot
// runs in the host (its one store connection; the CLI opens no store) with the CLI's folder for
// file inputs and the CLI's RPA_SECRET_* after the vault, its events printed by the CLI; several
// runs at once beside the host's own scheduled runs lose nothing and leave the store whole;
// Ctrl+C on the CLI cancels the run in the host; a host killed under a run gives the CLI a clear error, the run is marked interrupted, and the
// next host starts on the same store. Hosts, the runs, the import held by the host and the runs at
// once are real `rpa` processes; the other command lines run one after another in one CLI worker
// process (test/helpers/cli-worker.ts), start-up paid once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, cliWorker, jsonLines, RPA_JS, runCli, tempDir, writeAutomation, type CliResult } from '../helpers/env.js';
import { storeConnections } from '../helpers/store-connections.js';
import { until } from '../helpers/until.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Proc {
  const child = spawn(process.execPath, [RPA_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

function ok(result: CliResult, what: string): CliResult {
  assert.equal(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const SECRET_VALUE = 'hello-from-the-shell';

/** A file input, a secret, and a review the run waits for. */
const REVIEWED = {
  format: 1,
  id: 'test.reviewed',
  name: 'Reviewed',
  version: '1.0.0',
  inputs: [{ name: 'doc', type: 'file', required: true }],
  secrets: ['greeting'],
  steps: [
    { kind: 'log', message: 'doc {{inputs.doc}} greets {{secrets.greeting}}' },
    { kind: 'human.review', title: 'Check the amount', values: { amount: '10' }, into: 'checked' },
    { kind: 'log', message: 'checked amount {{vars.checked.values.amount}}' },
  ],
};

const QUICK = { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', steps: [{ kind: 'log', message: 'quick' }, { kind: 'log', message: 'done' }] };

/** Waits in a browser for a page that never comes: a run that lasts until it is cut. */
const LONG = {
  format: 1,
  id: 'test.long',
  name: 'Long',
  version: '1.0.0',
  steps: [
    { kind: 'log', message: 'starting the long wait' },
    { kind: 'browser.open', url: 'data:text/html,<p>waiting</p>' },
    { kind: 'browser.waitFor', urlContains: 'never-there', timeoutMs: 600_000 },
  ],
};

const TEMPLATE = {
  id: 'tpl-acme-invoice',
  version: 1,
  schemaKey: 'abcdef0123456789',
  fingerprint: ['invoice', 'acme', 'total'],
  fields: { total: { relation: 'inline', anchor: ['total', 'due'], page: 1, anchorAt: { x: 0.7, y: 0.6 }, offset: { dx: 0.1, dy: 0 } } },
  learnedFrom: [{ documentSha256: 'f'.repeat(64), reviewId: 'R1', version: 1 }],
  createdAt: '2026-12-05T10:00:00.000Z',
  updatedAt: '2026-12-05T11:00:00.000Z',
};

describe('rpa run, review, reviews, templates and enroll through a running engine host', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let server: { app: FastifyInstance; url: string };
  before(async () => {
    database = await freshPostgres();
    const app = await testServer(database.db);
    server = { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
  });
  after(async () => {
    await server.app.close();
    await database.drop();
  });

  it('run in the host, which the CLI only talks to: file inputs from the CLI\'s folder, its secrets, its review; templates and enroll too', { timeout: 240_000 }, async () => {
    const home = tempDir('cli-host-run');
    const work = tempDir('cli-host-run-cwd');
    writeAutomation(work, 'reviewed.json', REVIEWED);
    writeFileSync(path.join(work, 'note.txt'), 'a note');
    writeFileSync(path.join(work, 'template.json'), JSON.stringify(TEMPLATE));
    const env = cliEnv(home);
    // The host's environment has no such secret: the CLI's shell has.
    const agent = start(['agent'], { ...env, RPA_TEST_HOST_HOLD: 'cli.templates.import' });
    const processes: ChildProcess[] = [agent.child];
    try {
      await until('the host listening', () => agent.output().includes('engine host listening'), { detail: agent.output });
      const agentPid = agent.child.pid!;

      // rpa run, typed in another folder, with the file input relative to it and the secret in its environment.
      const run = start(['run', 'reviewed.json', '--input', 'doc=note.txt', '--wait-review'], { ...env, RPA_SECRET_GREETING: SECRET_VALUE }, work);
      processes.push(run.child);
      const task = await until('the run asking for its review', async () => {
        if (run.child.exitCode !== null) throw new Error(`rpa run ended before its review:\n${run.output()}`);
        return jsonLines(ok(await rpa(['reviews', '--json'], env, work), 'reviews').stdout)[0];
      });
      assert.equal(storeConnections(run.child.pid!, path.join(home, 'runs.db')), 0, 'rpa run opened no store: the host runs the bot');
      assert.equal(task['title'], 'Check the amount');

      const reviewed = ok(await rpa(['review', String(task['id']), '--set', 'amount=12', '--by', 'dana'], env, work), 'review');
      assert.match(reviewed.stdout, /corrected by dana/);
      assert.equal(await exited(run.child), 0, run.output());
      assert.match(run.output(), /Run \S+\s+passed/, 'the CLI printed the report');
      assert.doesNotMatch(run.output() + agent.output(), new RegExp(SECRET_VALUE), 'the secret is in no output');

      const runs = jsonLines(ok(await rpa(['runs', '--json'], env, work), 'runs').stdout);
      const shown = JSON.parse(ok(await rpa(['show', String(runs[0]!['id']), '--json'], env, work), 'show').stdout) as { pid: number; status: string; logs: Array<{ message: string }> };
      assert.equal(shown.status, 'passed');
      assert.equal(shown.pid, agentPid, 'the run ran in the host');
      const messages = shown.logs.map((entry) => entry.message).join('\n');
      assert.match(messages, new RegExp(`doc ${path.join(work, 'note.txt').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} greets ••••••`), messages);
      assert.match(messages, /checked amount 12/);
      assert.equal(jsonLines(ok(await rpa(['reviews', '--json', '--all'], env, work), 'reviews --all').stdout)[0]!['resolvedBy'], 'dana');

      // templates import: the host does it and holds its answer; the CLI meanwhile has no store open.
      const importing = start(['templates', 'import', 'template.json'], env, work);
      processes.push(importing.child);
      await until('the host importing the template', () => agent.output().includes('done cli.templates.import; holding its answer back') || importing.child.exitCode !== null);
      assert.equal(importing.child.exitCode, null, `the import ended without the host answering it:\n${importing.output()}`);
      assert.equal(storeConnections(importing.child.pid!, path.join(home, 'runs.db')), 0, 'rpa templates import opened no store');
      importing.child.kill('SIGKILL');
      const listed = jsonLines(ok(await rpa(['templates', '--json'], env, work), 'templates').stdout);
      assert.deepEqual(listed.map((t) => [t['id'], t['version']]), [['tpl-acme-invoice', 1]]);
      ok(await rpa(['templates', 'remove', 'tpl-acme-invoice'], env, work), 'templates remove');

      // enroll through the host: its upload loop takes the new enrollment and uploads the runs.
      const token = (await (await fetch(`${server.url}/v1/enrollment-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { enrollmentToken: string };
      const enrolled = ok(await rpa(['enroll', server.url, token.enrollmentToken], env, work), 'enroll');
      assert.match(enrolled.stdout, new RegExp(`the engine host \\(pid ${agentPid}\\) uploads them now`));
      await until('the host uploading every record', async () => {
        const status = JSON.parse(ok(await rpa(['sync', 'status', '--json'], env, work), 'sync status').stdout) as { pending: number; records: number; uploaded: number };
        return status.records > 0 && status.pending === 0 && status;
      }, 60_000);

      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0, agent.output());
    } finally {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('several rpa run at once beside scheduled runs lose nothing; Ctrl+C cancels a run in the host; a host killed under a run gives a clear error and the run is marked interrupted', { timeout: 360_000 }, async () => {
    const home = tempDir('cli-host-run-kill');
    const work = tempDir('cli-host-run-kill-cwd');
    const quick = writeAutomation(work, 'quick.json', QUICK);
    writeAutomation(work, 'long.json', LONG);
    const env = cliEnv(home);
    ok(await rpa(['schedule', 'add', quick, '--cron', '* * * * * *'], env, work), 'a schedule firing every second');
    const agent = start(['agent'], env);
    const processes: ChildProcess[] = [agent.child];
    try {
      await until('the host listening', () => agent.output().includes('engine host listening'), { detail: agent.output });
      const together = await Promise.all(Array.from({ length: 4 }, () => runCli(['run', 'quick.json', '--json'], env, work)));
      const ids = together.map((result) => {
        ok(result, 'a run among several');
        const events = jsonLines(result.stdout);
        assert.equal(events.at(-1)!['type'], 'run.finished', 'the CLI got every event, the last one too');
        return String(events[0]!['runId']);
      });
      assert.equal(new Set(ids).size, 4);

      // Ctrl+C on rpa run cancels the run in the host.
      const cancelled = start(['run', 'long.json', '--json'], env, work);
      processes.push(cancelled.child);
      await until('the run to cancel waiting in its browser', () => cancelled.output().split('\n').some((line) => line.includes('"type":"step.started"') && line.includes('"path":"3"')) || cancelled.child.exitCode !== null, { detail: cancelled.output });
      cancelled.child.kill('SIGINT');
      assert.equal(await exited(cancelled.child), 130, cancelled.output());
      const cancelledId = String(jsonLines(cancelled.output().split('\n').filter((line) => line.startsWith('{') && line.includes('"type":"run.started"')).join('\n'))[0]!['runId']);
      assert.equal((JSON.parse(ok(await rpa(['show', cancelledId, '--json'], env, work), 'show the cancelled run').stdout) as { status: string }).status, 'cancelled');

      // A long run; the host is killed under it.
      const long = start(['run', 'long.json', '--json'], env, work);
      processes.push(long.child);
      await until('the long run waiting in its browser', () => long.output().split('\n').some((line) => line.includes('"type":"step.started"') && line.includes('"path":"3"')) || long.child.exitCode !== null, { detail: long.output });
      assert.equal(long.child.exitCode, null, long.output());
      agent.child.kill('SIGKILL');
      assert.equal(await exited(long.child), 1, long.output());
      assert.match(long.output(), /rpa run: the engine host \(pid \d+\) stopped while it ran rpa run's run (\S+): the run did not finish/);
      const cut = /stopped while it ran rpa run's run (\S+):/.exec(long.output())![1]!;

      // No host now: the store opens, the run is marked interrupted, the four runs are whole.
      const shown = JSON.parse(ok(await rpa(['show', cut, '--json'], env, work), 'show the cut run').stdout) as { status: string };
      assert.equal(shown.status, 'interrupted');
      for (const id of ids) {
        const run = JSON.parse(ok(await rpa(['show', id, '--json'], env, work), 'show').stdout) as { status: string; steps: unknown[] };
        assert.deepEqual([run.status, run.steps.length], ['passed', 2]);
      }
      const db = new Database(path.join(home, 'runs.db'), { readonly: true });
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        db.close();
      }

      // A new host starts on the same store and runs bots.
      const next = start(['agent'], env);
      processes.push(next.child);
      await until('a new host listening', () => next.output().includes('engine host listening'), { detail: next.output });
      ok(await rpa(['run', 'quick.json'], env, work), 'a run through the new host');
      next.child.kill('SIGTERM');
      assert.equal(await exited(next.child), 0);
    } finally {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
