// The CLI's state commands (runs, show, schedule, queue, sync) with real processes: without an
// engine host they open the store themselves; with one (`rpa agent`) they go through its 0600
// socket and open no store; the same commands give the same results either way, also when
// several run at once; a host killed between doing a command and answering it gives the CLI a
// clear error, and nothing is lost or doubled (the change is in the store once, a repeat adds
// nothing, a new host starts on the same RPA_HOME); a secret set while a host runs is sealed with
// the host's vault key, not the key of the shell that typed the command. Hosts, the commands run
// several at once and the one the host is killed under are real `rpa` processes; the other command
// lines run one after another in one CLI worker process (test/helpers/cli-worker.ts), start-up paid once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
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

function start(args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [RPA_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

const BOT = {
  format: 1,
  id: 'test.with-file',
  name: 'With a file',
  version: '1.0.0',
  inputs: [{ name: 'doc', type: 'file', required: false }],
  steps: [{ kind: 'log', message: 'ran' }],
};

/** The same sequence of state commands; returns what a person would compare. */
async function stateCommands(home: string, cwd: string, label: string): Promise<{ scheduleId: string; schedules: Array<Record<string, unknown>>; items: Array<Record<string, unknown>>; sync: Record<string, unknown>; runs: Array<Record<string, unknown>>; shown: string }> {
  const env = cliEnv(home);
  const added = ok(await rpa(['schedule', 'add', 'bot.json', '--cron', '0 9 * * 1-5', '--tz', 'Europe/Berlin', '--input', 'doc=note.txt', '--name', label, '--max-run', '30m'], env, cwd), 'schedule add');
  const scheduleId = /added schedule (\S+) \(/.exec(added.stdout)![1]!;
  ok(await rpa(['schedule', 'pause', scheduleId], env, cwd), 'schedule pause');
  assert.match(ok(await rpa(['schedule', 'resume', scheduleId], env, cwd), 'schedule resume').stdout, new RegExp(`resumed schedule ${scheduleId} \\(${label}\\)`));
  const schedules = jsonLines(ok(await rpa(['schedule', 'list', '--json'], env, cwd), 'schedule list').stdout);
  ok(await rpa(['queue', 'add', `q-${label}`, '--data', '{"invoice":"A-1"}', '--key', 'A-1'], env, cwd), 'queue add');
  assert.match(ok(await rpa(['queue', 'add', `q-${label}`, '--data', '{"invoice":"A-1"}', '--key', 'A-1'], env, cwd), 'queue add again').stdout, /already in .* not added again/);
  const items = jsonLines(ok(await rpa(['queue', 'list', `q-${label}`, '--json'], env, cwd), 'queue list').stdout);
  assert.match(ok(await rpa(['queue', 'show', String(items[0]!['id'])], env, cwd), 'queue show').stdout, /history\n.*→ new/);
  const missing = await rpa(['queue', 'retry', '99999'], env, cwd);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /no item 99999/);
  const sync = JSON.parse(ok(await rpa(['sync', 'status', '--json'], env, cwd), 'sync status').stdout) as Record<string, unknown>;
  const runs = jsonLines(ok(await rpa(['runs', '--json'], env, cwd), 'runs').stdout);
  const shown = ok(await rpa(['show', String(runs[0]!['id']).slice(0, 12)], env, cwd), 'show').stdout;
  return { scheduleId, schedules, items, sync, runs, shown };
}

describe('CLI state commands with and without an engine host', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
  it('work the same through a running host (opening no store) as on the store itself, also several at once', { timeout: 240_000 }, async () => {
    const home = tempDir('cli-host');
    const work = tempDir('cli-host-cwd');
    writeAutomation(work, 'bot.json', BOT);
    writeFileSync(path.join(work, 'note.txt'), 'a note');
    const env = cliEnv(home);
    ok(await rpa(['run', path.join(work, 'bot.json')], env, work), 'a run to list');

    const direct = await stateCommands(home, work, 'direct');
    const agent = start(['agent'], env);
    try {
      await until('the host listening', () => agent.output().includes('engine host listening'));
      const hosted = await stateCommands(home, work, 'hosted');

      // The same answers either way: the host prepared the file input from the command's folder.
      for (const [label, result] of [['direct', direct], ['hosted', hosted]] as const) {
        const mine = result.schedules.find((s) => s['id'] === result.scheduleId)!;
        assert.deepEqual(mine['inputs'], { doc: path.join(work, 'note.txt') }, `${label}: the file input is absolute, from where the command ran`);
        assert.deepEqual([mine['name'], mine['timeZone'], mine['paused'], mine['maxRunMs']], [label, 'Europe/Berlin', false, 1_800_000]);
        assert.equal((mine['nextFireTimes'] as string[]).length, 3);
        assert.equal(result.items.length, 1, `${label}: one item, the repeat with its key added nothing`);
        assert.deepEqual(result.items[0]!['payload'], { invoice: 'A-1' });
        assert.equal(result.runs.length, 1);
        assert.match(result.shown, /Run \S+\s+passed/);
        assert.equal(result.sync['enrolled'], false);
      }
      assert.equal(hosted.schedules.length, 2, 'the host sees the schedule added without it');
      assert.equal(hosted.sync['records'], direct.sync['records'], 'one outbox');

      // Through the host: the CLI opens no store (seen while the host holds a command's answer, below) —
      // here, several at once, each item once.
      const keys = ['k1', 'k2', 'k3', 'k1'];
      const parallel = await Promise.all(keys.map((key) => runCli(['queue', 'add', 'together', '--data', JSON.stringify({ key }), '--key', key], env, work)));
      for (const result of parallel) ok(result, 'a queue add among several');
      const together = jsonLines(ok(await rpa(['queue', 'list', 'together', '--json'], env, work), 'list').stdout);
      assert.deepEqual(together.map((item) => item['idempotencyKey']).sort(), ['k1', 'k2', 'k3']);

      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0);
      // And without the host, several at once on the store itself.
      const direct2 = await Promise.all(['k3', 'k4', 'k5', 'k4'].map((key) => runCli(['queue', 'add', 'together', '--data', JSON.stringify({ key }), '--key', key], env, work)));
      for (const result of direct2) ok(result, 'a direct queue add among several');
      const after = jsonLines(ok(await rpa(['queue', 'list', 'together', '--json'], env, work), 'list').stdout);
      assert.deepEqual(after.map((item) => item['idempotencyKey']).sort(), ['k1', 'k2', 'k3', 'k4', 'k5']);
    } finally {
      if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGKILL');
    }
  });

  it('a host killed before it answers gives a clear error; the change is in the store once, a repeat adds nothing, a new host starts', { timeout: 240_000 }, async () => {
    const home = tempDir('cli-host-kill');
    const work = tempDir('cli-host-kill-cwd');
    mkdirSync(work, { recursive: true });
    const rows = ['id,amount', ...Array.from({ length: 200 }, (_, i) => `INV-${i},${i * 10}`)].join('\n');
    writeFileSync(path.join(work, 'rows.csv'), `${rows}\n`);
    const env = cliEnv(home);
    const agent = start(['agent'], { ...env, RPA_TEST_HOST_HOLD: 'cli.queue.addMany' });
    const processes: ChildProcess[] = [agent.child];
    try {
      await until('the host listening', () => agent.output().includes('engine host listening'));
      // The CSV is given relative to the folder the command runs in.
      const adding = (() => {
        const child = spawn(process.execPath, [RPA_JS, 'queue', 'add', 'invoices', '--csv', 'rows.csv', '--key', 'id'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        processes.push(child);
        return { child, output: () => out };
      })();
      // A CLI that opened the store itself would finish on its own, without the host.
      await until('the host doing the add and holding its answer', () => agent.output().includes('done cli.queue.addMany; holding its answer back') || adding.child.exitCode !== null);
      assert.equal(adding.child.exitCode, null, `the command ended without the host answering it:\n${adding.output()}`);
      assert.equal(storeConnections(adding.child.pid!, path.join(home, 'runs.db')), 0, 'the CLI opened no store: the host did the work');
      agent.child.kill('SIGKILL');
      assert.equal(await exited(adding.child), 1, adding.output());
      assert.match(adding.output(), /rpa queue: the engine host \(pid \d+\) stopped before it answered rpa queue add: the change may or may not have been made — check with rpa queue list/);

      // No host now: the store opens, the host's committed add is there once.
      const listed = jsonLines(ok(await rpa(['queue', 'list', 'invoices', '--json', '--limit', '1000'], env, work), 'list after the kill').stdout);
      assert.equal(listed.length, 200, 'every row, once');
      assert.equal(new Set(listed.map((item) => item['idempotencyKey'])).size, 200);
      const again = ok(await rpa(['queue', 'add', 'invoices', '--csv', 'rows.csv', '--key', 'id'], env, work), 'the same add again');
      assert.match(again.stdout, /added 0 items to invoices \(200 already there by key: not added again\)/);

      // A new host starts on the same RPA_HOME (the dead one's socket and host.json are no obstacle) and answers.
      const next = start(['agent'], env);
      processes.push(next.child);
      await until('a new host listening', () => next.output().includes('engine host listening'));
      const through = jsonLines(ok(await rpa(['queue', 'list', 'invoices', '--json', '--limit', '1000'], env, work), 'list through the new host').stdout);
      assert.equal(through.length, 200);
      next.child.kill('SIGTERM');
      assert.equal(await exited(next.child), 0);
    } finally {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('rpa secret set through a running host seals the value with the host\'s vault key', { timeout: 240_000 }, async () => {
    const home = tempDir('cli-host-secret');
    const hostKey = randomBytes(32).toString('base64');
    const shellKey = randomBytes(32).toString('base64');
    const bot = writeAutomation(home, 'uses-secret.json', { format: 1, id: 'test.uses-secret', name: 'Uses a secret', version: '1.0.0', secrets: ['portalToken'], steps: [{ kind: 'log', message: 'token {{secrets.portalToken}}' }] });
    const agent = start(['agent'], cliEnv(home, { RPA_VAULT_KEY: hostKey }));
    try {
      await until('the host listening', () => agent.output().includes('engine host listening'));
      // Typed in a shell whose key is another (the desktop app's host keeps its key in the OS keychain).
      const set = await rpa(['secret', 'set', 'portalToken'], cliEnv(home, { RPA_VAULT_KEY: shellKey }), home, 'the-token-value\n');
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /stored secret "portalToken" in the vault/);
      const listed = jsonLines(ok(await rpa(['secret', 'list', '--json'], cliEnv(home, { RPA_VAULT_KEY: shellKey }), home), 'secret list').stdout);
      assert.deepEqual(listed.map((entry) => entry['name']), ['portalToken']);
      assert.doesNotMatch(agent.output(), /the-token-value/, 'the value is in no log');
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0);
      // The host's key opens it: a bot run with that key gets the value.
      const run = await rpa(['run', bot], cliEnv(home, { RPA_VAULT_KEY: hostKey }), home);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const removed = ok(await rpa(['secret', 'remove', 'portalToken'], cliEnv(home, { RPA_VAULT_KEY: hostKey }), home), 'secret remove');
      assert.match(removed.stdout, /removed secret "portalToken"/);
    } finally {
      if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill('SIGKILL');
    }
  });
});
