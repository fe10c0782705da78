// The Electron main process (dist/electron/main.js) under a fake `electron` module (the binary
// cannot run here; test/helpers/fake-electron), with everything else real: the app starts the
// engine host in a utility process (a real Node child) that runs the scheduler and the audit
// sync; the tray shows the host's state; its "Pause schedules" pauses the real scheduler; a run
// started from the tray reaches a real audit server; an app started while `rpa agent` runs
// attaches to that host instead of starting one, and quitting it leaves the host running; one
// started while a host of another version runs refuses it and says why, starting none beside it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, RPA_JS, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { App, until, type MenuItem } from '../helpers/electron-app.js';
import { storeConnections } from '../helpers/store-connections.js';
import { resolveHome } from '../../engine/home.js';
import { listenHost } from '../../engine/host/socket.js';
import type { StudioApi } from '../../engine/transport/studio-service.js';

/** A host of another version: the handshake refuses before its API is reached. */
const unreachable: StudioApi = {
  call: () => Promise.reject(new Error('not reached')),
  onPush: () => () => undefined,
  artifactFile: () => {
    throw new Error('not reached');
  },
};

const QUICK = { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', steps: [{ kind: 'log', message: 'quick bot ran' }] };

interface HostStatus {
  pid: number;
  scheduler: boolean;
  schedulesPaused: boolean;
  sync: { enrolled: boolean; pending: number; lastSyncAt?: string };
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

const labels = (items: MenuItem[]): string[] => items.flatMap((item) => [item.label, ...labels(item.submenu ?? [])]);

describe('the Electron app hosts the engine (fake electron module, real everything else)', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, () => {
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

  const records = async (runId: string): Promise<Array<{ type: string }> | undefined> => {
    const response = await fetch(`${audit.url}/v1/runs/${runId}/records`, { headers: { authorization: `Bearer ${ADMIN}` } });
    if (response.status !== 200) return undefined;
    const list = ((await response.json()) as { records: Array<{ type: string }> }).records;
    return list.some((r) => r.type === 'run.finished') ? list : undefined;
  };

  it('starts the host with the scheduler and sync; the tray pauses the real scheduler; a tray run is uploaded', { timeout: 240_000 }, async () => {
    const home = tempDir('electron-host');
    mkdirSync(path.join(home, 'automations'));
    writeAutomation(path.join(home, 'automations'), 'quick.json', QUICK);
    const token = await fetch(`${audit.url}/v1/enrollment-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{}' });
    const enrolled = await runCli(['enroll', audit.url, ((await token.json()) as { enrollmentToken: string }).enrollmentToken], cliEnv(home));
    assert.equal(enrolled.code, 0, enrolled.stderr);

    const app = new App(home);
    try {
      const status = await until('the engine host answering', async () => {
        const answer = await app.call('host.status');
        return answer.ok ? (answer.value as HostStatus) : undefined;
      });
      const children = (await app.send({ cmd: 'engine' }))['children'] as number[];
      assert.equal(children.length, 1, 'the app started one engine host');
      assert.equal(status.pid, children[0], 'in its utility process, not in the main process');
      assert.deepEqual([status.scheduler, status.schedulesPaused, status.sync.enrolled], [true, false, true], 'the host runs the scheduler and the audit sync');
      assert.equal(storeConnections(children[0]!, path.join(home, 'runs.db')), 1, 'the host: one store connection');
      assert.equal(storeConnections(app.child.pid!, path.join(home, 'runs.db')), 0, 'the main process opens no store');

      // An IPC call from a page that is not ours is refused.
      const forbidden = await app.call('host.status', {}, 'https://attacker.example/');
      assert.deepEqual([forbidden.ok, forbidden.error?.name], [false, 'ForbiddenError']);

      // The tray's "Pause schedules" pauses the real scheduler: a due schedule does not fire.
      await until('the tray menu with the host state', async () => labels(await app.menu()).some((l) => l.startsWith('Audit sync:')));
      assert.equal((await app.send({ cmd: 'click', label: 'Pause schedules', checked: true }))['clicked'], 'Pause schedules');
      await until('the pause', async () => ((await app.call('host.status')).value as HostStatus).schedulesPaused);
      const added = await app.call('schedules.add', { id: 'mine/quick.json', cron: '* * * * * *', name: 'every second' });
      assert.ok(added.ok, JSON.stringify(added));
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.deepEqual((await app.call('runs.list')).value, [], 'nothing fired while paused');
      await until('the tray showing the pause', async () => {
        const menu = await app.menu();
        return labels(menu).includes('Schedules paused') && menu.find((item) => item.label === 'Pause schedules')?.checked === true;
      });

      // Resumed from the tray: it fires.
      await app.send({ cmd: 'click', label: 'Pause schedules', checked: false });
      const scheduled = await until('a fire after resuming', async () => ((await app.call('runs.list')).value as Array<{ id: string }>)[0]?.id);
      assert.ok((await app.call('schedules.remove', { scheduleId: (added.value as { id: string }).id })).ok);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // a fire already started ends

      // "Run now" from the tray: the run happens in the host and reaches the audit server.
      const before = new Set(((await app.call('runs.list')).value as Array<{ id: string }>).map((r) => r.id));
      await until('the bots in the tray', async () => labels(await app.menu()).includes('Quick'));
      await app.send({ cmd: 'click', label: 'Quick' });
      const trayRun = await until('the tray run', async () => ((await app.call('runs.list')).value as Array<{ id: string }>).find((r) => !before.has(r.id))?.id);
      for (const runId of [scheduled, trayRun]) await until(`run ${runId} on the audit server`, () => records(runId));

      assert.equal((await app.send({ cmd: 'quit' }))['quit'], true);
      assert.equal(await exited(app.child), 0);
      assert.ok(!alive(children[0]!), 'quitting the app stops the host it started');
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  });

  it('attaches to the host rpa agent runs, and quitting leaves that host running', { timeout: 120_000 }, async () => {
    const home = tempDir('electron-attach');
    const agent = spawn(process.execPath, [RPA_JS, 'agent'], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let agentOutput = '';
    agent.stdout.on('data', (chunk: Buffer) => (agentOutput += chunk.toString()));
    let app: App | undefined;
    try {
      await until('the agent listening', () => agentOutput.includes('engine host listening'));
      app = new App(home);
      const status = await until('the attached host answering', async () => {
        const answer = await app!.call('host.status');
        return answer.ok ? (answer.value as HostStatus) : undefined;
      });
      assert.equal(status.pid, agent.pid, 'the app uses the running host');
      assert.deepEqual((await app.send({ cmd: 'engine' }))['children'], [], 'and starts none of its own');
      assert.equal((await app.send({ cmd: 'quit' }))['quit'], true);
      assert.equal(await exited(app.child), 0);
      assert.ok(alive(agent.pid!), 'the host outlives the app');
    } finally {
      if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
      agent.kill('SIGTERM');
      await exited(agent);
    }
  });
});

describe('the Electron app and a host of another version', () => {
  it('does not attach to it, starts no host of its own beside it, and says why on every call', { timeout: 120_000 }, async () => {
    const home = tempDir('electron-version');
    // A host of another version on this RPA_HOME (after an upgrade, the old login service still runs).
    const listener = await listenHost(resolveHome({ RPA_HOME: home }), unreachable, () => undefined, { version: '0.0.0-old' });
    const app = new App(home);
    try {
      const answer = await until('the app answering', async () => {
        const reply = await app.call('host.status');
        return reply.error?.name === 'EngineCrashedError' ? undefined : reply;
      });
      assert.equal(answer.ok, false);
      assert.equal(answer.error?.name, 'HostVersionError');
      assert.match(answer.error?.message ?? '', /is version 0\.0\.0-old and this program is version .*Stop that host and start it again from this version/);
      assert.deepEqual((await app.send({ cmd: 'engine' }))['children'], [], 'no host of its own beside the other version\'s');
      assert.equal((await app.send({ cmd: 'quit' }))['quit'], true);
      assert.equal(await exited(app.child), 0);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await listener.close();
    }
  });
});
