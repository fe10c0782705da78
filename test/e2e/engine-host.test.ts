// One engine host per RPA_HOME, with real processes: `rpa agent` hosts; `rpa studio` attaches
// over the 0600 socket (opens no store, starts no scheduler); a schedule added through the
// attached studio fires in the host; a run started from the studio and the scheduled run
// reach a real PostgreSQL-backed audit server; killing the studio leaves the host running; a
// second host on the same RPA_HOME is refused; a caller without the session token is refused.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, RPA_JS, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { storeConnections } from '../helpers/store-connections.js';
import { until } from '../helpers/until.js';

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function start(args: string[], home: string): Proc {
  const child = spawn(process.execPath, [RPA_JS, ...args], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const QUICK = { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', steps: [{ kind: 'log', message: 'quick bot ran' }] };

describe('the engine host: rpa agent hosts, rpa studio attaches', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let audit: { app: FastifyInstance; url: string };
  before(async () => {
    database = await freshPostgres();
    const app = await testServer(database.db);
    audit = { app, url: await app.listen({ host: '127.0.0.1', port: 0 }) };
  });
  after(async () => {
    await audit.app.close();
    await database.drop();
  });

  const admin = async (route: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${audit.url}${route}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('shares one host: schedules fire and runs upload from the attached studio; the host outlives the studio; a second host is refused', { timeout: 240_000 }, async () => {
    const home = tempDir('host');
    mkdirSync(path.join(home, 'automations'));
    writeAutomation(path.join(home, 'automations'), 'quick.json', QUICK);
    const processes: ChildProcess[] = [];
    try {
      const agent = start(['agent'], home);
      processes.push(agent.child);
      await until('the host listening', () => agent.output().includes('engine host listening'));
      const agentPid = agent.child.pid!;
      // The whole host (run store, vault, queue, schedules, versions, folder triggers, sync) on one connection.
      assert.equal(storeConnections(agentPid, path.join(home, 'runs.db')), 1, 'one database connection in the host');
      const socket = path.join(home, 'host.sock');
      assert.equal(statSync(socket).mode & 0o777, 0o600, 'the socket is the user\'s alone');
      assert.equal(statSync(path.join(home, 'host.json')).mode & 0o777, 0o600, 'the session token file is the user\'s alone');

      // A caller without the token is refused and disconnected.
      const refused = await new Promise<string>((resolve) => {
        const client = net.createConnection(socket, () => client.write(`${JSON.stringify({ hello: 'not-the-token' })}\n${JSON.stringify({ id: 1, method: 'schedules.list', request: {} })}\n`));
        let text = '';
        client.on('data', (chunk) => (text += chunk.toString()));
        client.on('close', () => resolve(text));
      });
      assert.match(refused, /"refused":"missing or wrong session token/);
      assert.doesNotMatch(refused, /"ok":true/);

      // Enrolled after the host started: the host notices and starts uploading.
      const token = await admin('/v1/enrollment-tokens', { method: 'POST', body: {} });
      const enrolled = await runCli(['enroll', audit.url, String(token.body['enrollmentToken'])], cliEnv(home));
      assert.equal(enrolled.code, 0, enrolled.stderr);

      const studio = start(['studio', '--no-open'], home);
      processes.push(studio.child);
      const url = await until('the studio URL', () => /RPA Studio: (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/.exec(studio.output()) ?? undefined);
      assert.match(studio.output(), /Attached to the engine host \(pid \d+\)/);
      assert.equal(storeConnections(studio.child.pid!, path.join(home, 'runs.db')), 0, 'the attached studio opens no store');
      assert.doesNotMatch(studio.output(), /agent started/, 'the attached studio starts no scheduler');
      const api = async (verb: string, route: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
        const response = await fetch(`${url[1]}${route}`, { method: verb, headers: { authorization: `Bearer ${url[2]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return { status: response.status, body: await response.json() };
      };
      const hostState = (await api('GET', '/api/host')).body as { pid: number; scheduler: boolean; schedulesPaused: boolean };
      assert.deepEqual([hostState.pid, hostState.scheduler, hostState.schedulesPaused], [agentPid, true, false], 'the studio shows the host\'s real state');

      // A schedule added through the attached studio fires in the host.
      const added = await api('POST', '/api/schedules', { id: 'mine/quick.json', cron: '* * * * * *', name: 'every second' });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const scheduleId = (added.body as { id: string }).id;
      const fired = await until('the schedule firing in the host', () => new RegExp(`run (\\S+) passed in \\d+ ms \\(schedule:${scheduleId}\\)`).exec(agent.output()) ?? undefined, 30_000);
      assert.equal((await api('DELETE', `/api/schedules/${scheduleId}`)).status, 200);

      // A run started from the studio runs in the host and is uploaded with the scheduled one.
      const started = await api('POST', '/api/runs', { id: 'mine/quick.json', inputs: {} });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const studioRun = (started.body as { runId: string }).runId;
      for (const runId of [fired[1]!, studioRun]) {
        const records = await until(`run ${runId} on the audit server`, async () => {
          const answer = await admin(`/v1/runs/${runId}/records`);
          const list = answer.body['records'] as Array<{ type: string }> | undefined;
          return answer.status === 200 && list?.some((r) => r.type === 'run.finished') ? list : undefined;
        });
        assert.ok(records.length >= 3, `run ${runId}: ${records.length} records`);
      }
      const synced = (await api('GET', '/api/host')).body as { sync: { enrolled: boolean; pending: number; lastSyncAt?: string } };
      assert.equal(synced.sync.enrolled, true);
      assert.ok(synced.sync.lastSyncAt, 'the studio shows when the host last uploaded');

      // Killing the UI leaves the host running: it still answers and still schedules.
      studio.child.kill('SIGKILL');
      await exited(studio.child);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(alive(agentPid), 'the host outlives the studio');
      const again = start(['studio', '--no-open'], home);
      processes.push(again.child);
      await until('a new studio attached', () => again.output().includes('Attached to the engine host'));

      // Only one host per RPA_HOME.
      const second = await runCli(['agent'], cliEnv(home));
      assert.equal(second.code, 1);
      assert.match(second.stderr, /another agent is already running for this RPA_HOME \(pid \d+.*only one engine host runs per RPA_HOME/);

      again.child.kill('SIGTERM');
      assert.equal(await exited(again.child), 0);
      assert.ok(alive(agentPid), 'closing an attached studio does not stop the host');
      agent.child.kill('SIGTERM');
      assert.equal(await exited(agent.child), 0);
      assert.throws(() => readFileSync(path.join(home, 'host.json')), /ENOENT/, 'a stopped host leaves no host.json');
    } finally {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('rpa studio alone runs the host: a schedule added with rpa schedule add fires and is uploaded; a second studio attaches to it', { timeout: 180_000 }, async () => {
    const home = tempDir('host-studio');
    mkdirSync(path.join(home, 'automations'));
    const quick = writeAutomation(path.join(home, 'automations'), 'quick.json', QUICK);
    const token = await admin('/v1/enrollment-tokens', { method: 'POST', body: {} });
    assert.equal((await runCli(['enroll', audit.url, String(token.body['enrollmentToken'])], cliEnv(home))).code, 0);
    const processes: ChildProcess[] = [];
    try {
      const first = start(['studio', '--no-open'], home);
      processes.push(first.child);
      await until('the first studio', () => first.output().includes('RPA Studio:'));
      assert.match(first.output(), /Engine host started in this process/);
      assert.equal(storeConnections(first.child.pid!, path.join(home, 'runs.db')), 1);
      // No rpa agent: the studio's host fires a schedule another process added, and uploads its run.
      const added = await runCli(['schedule', 'add', quick, '--cron', '* * * * * *'], cliEnv(home));
      assert.equal(added.code, 0, added.stderr);
      const fired = await until('the schedule firing in the studio\'s host', () => /run (\S+) passed in \d+ ms \(schedule:/.exec(first.output()) ?? undefined, 30_000);
      await until(`run ${fired[1]} on the audit server`, async () => (await admin(`/v1/runs/${fired[1]}/records`)).status === 200, 60_000);
      const second = start(['studio', '--no-open'], home);
      processes.push(second.child);
      await until('the second studio', () => second.output().includes('RPA Studio:'));
      assert.match(second.output(), new RegExp(`Attached to the engine host \\(pid ${first.child.pid}\\)`));
      // The host goes away: the attached studio says so and ends (it holds no store of its own).
      first.child.kill('SIGTERM');
      assert.equal(await exited(first.child), 0);
      assert.equal(await exited(second.child), 1);
      assert.match(second.output(), /the engine host stopped/);
    } finally {
      for (const child of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
