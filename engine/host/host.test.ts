// The engine host in this process: "Pause schedules" through the studio API pauses the real
// scheduler (a due schedule does not fire; resumed, it fires), the pause survives a restart,
// a schedule added through the studio fires at once although it shares the host's connection
// (where SQLite's data_version does not change), and the host's state says what is going on.
// A secret stored through the studio is sealed with the host's vault key: the runner, the CLI's
// calls and a later `rpa run` with that key all read it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../api.js';
import type { HostStatus } from '../transport/messages.js';
import { until } from '../../test/helpers/until.js';
import { EngineHost, type EngineHostOptions } from './host.js';

const QUICK = { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', steps: [{ kind: 'log', message: 'quick bot ran' }] };

function setup(extra: Partial<EngineHostOptions> & { envExtra?: Record<string, string> } = {}): { env: NodeJS.ProcessEnv; workspace: string; logs: string[]; start: () => Promise<EngineHost> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-host-unit-'));
  const workspace = path.join(dir, 'ws');
  const { envExtra, ...options } = extra;
  const env = { ...process.env, RPA_HOME: path.join(dir, 'home'), ...envExtra };
  const logs: string[] = [];
  const start = (): Promise<EngineHost> => EngineHost.start({ env, workspace, listen: false, log: (level, message) => logs.push(`${level} ${message}`), ...options });
  return { env, workspace, logs, start };
}

describe('EngineHost', () => {
  it('pauses the real scheduler through the studio API, keeps the pause across a restart, and resumes it', { timeout: 60_000 }, async () => {
    const { workspace, logs, start } = setup();
    let host = await start();
    try {
      writeFileSync(path.join(workspace, 'quick.json'), JSON.stringify(QUICK));
      const paused = (await host.service.call('host.pause', { paused: true })) as HostStatus;
      assert.equal(paused.schedulesPaused, true);
      const schedule = (await host.service.call('schedules.add', { id: 'workspace/quick.json', cron: '* * * * * *' })) as { id: string };
      const fires = (): number => host.engine.runsByTrigger(`schedule:${schedule.id}`).length;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      assert.equal(fires(), 0, 'a paused scheduler fires nothing, although the schedule fell due twice');
      const status = (await host.service.call('host.status', {})) as HostStatus;
      assert.deepEqual([status.schedulesPaused, status.nextDue], [true, []], 'the studio sees the pause, and nothing due');

      // The pause is the user's: a restarted host keeps it.
      await host.close();
      host = await start();
      assert.equal(((await host.service.call('host.status', {})) as HostStatus).schedulesPaused, true);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(fires(), 0, 'still paused after the restart');

      const resumed = (await host.service.call('host.pause', { paused: false })) as HostStatus;
      assert.equal(resumed.schedulesPaused, false);
      await until('a fire after resuming', () => fires() >= 1, 5_000);
      assert.ok(logs.some((line) => /schedules paused/.test(line)) && logs.some((line) => /schedules resumed/.test(line)), logs.join('\n'));
    } finally {
      await host.close();
    }
  });

  it('fires a schedule added through the studio at once, and shows it as next due', { timeout: 60_000 }, async () => {
    const { workspace, start } = setup();
    const host = await start();
    try {
      writeFileSync(path.join(workspace, 'quick.json'), JSON.stringify(QUICK));
      // Every 5 seconds: due soon, but not before the state is read.
      const schedule = (await host.service.call('schedules.add', { id: 'workspace/quick.json', cron: '*/5 * * * * *', name: 'often' })) as { id: string };
      const status = (await host.service.call('host.status', {})) as HostStatus;
      assert.equal(status.scheduler, true);
      assert.equal(status.nextDue[0]?.scheduleId, schedule.id, JSON.stringify(status));
      assert.ok(Date.parse(status.nextDue[0].at) - Date.now() <= 5_000);
      // The scheduler's heartbeat is 10 s: a fire within 7 s means it was told of the new schedule.
      await until('the new schedule firing', () => host.engine.runsByTrigger(`schedule:${schedule.id}`).length >= 1, 7_000);
    } finally {
      await host.close();
    }
  });

  it('refuses a second host on the same RPA_HOME with a clear message', { timeout: 30_000 }, async () => {
    const { start } = setup();
    const host = await start();
    try {
      await assert.rejects(start(), /another agent is already running for this RPA_HOME \(pid \d+.*only one engine host runs per RPA_HOME/);
    } finally {
      await host.close();
    }
  });

  describe('a secret stored through the studio', () => {
    const USES_SECRET = { format: 1, id: 'test.uses-secret', name: 'Uses a secret', version: '1.0.0', secrets: ['portalToken'], steps: [{ kind: 'log', message: 'token {{secrets.portalToken}}' }] };

    /** Stores portalToken through the studio API, runs a bot that needs it, and reads it back through the CLI's calls. */
    async function storeAndUse(host: EngineHost, workspace: string): Promise<void> {
      writeFileSync(path.join(workspace, 'uses-secret.json'), JSON.stringify(USES_SECRET));
      await host.service.call('secrets.set', { name: 'portalToken', value: 'the-token-value' });
      const events: Array<{ type: string; runId?: string; status?: string; error?: { message: string } }> = [];
      const off = host.service.onPush((push) => {
        if (push.type === 'run.event') events.push(push.event as never);
      });
      try {
        const { runId } = (await host.service.call('runs.start', { id: 'workspace/uses-secret.json' })) as { runId: string };
        const finished = await until('the run to finish', () => events.find((e) => e.type === 'run.finished' && e.runId === runId), 30_000);
        assert.equal(finished.status, 'passed', `the runner could not open the secret the studio stored: ${JSON.stringify(finished.error ?? finished)}`);
      } finally {
        off();
      }
      assert.deepEqual(((await host.commands.call('cli.secrets.list', {})) as Array<{ name: string }>).map((e) => e.name), ['portalToken']);
    }

    it("is sealed with the host's key source (the desktop app's), not the default one", { timeout: 60_000 }, async () => {
      const key = randomBytes(32);
      const { workspace, env, start } = setup({ vaultKey: { description: 'a key of the desktop app', load: () => key } });
      const host = await start();
      try {
        await storeAndUse(host, workspace);
      } finally {
        await host.close();
      }
      // A later engine with the same key (rpa run in a shell with RPA_VAULT_KEY) reads it; no key file was made on the side.
      const engine = Engine.open({ env: { ...env, RPA_VAULT_KEY: key.toString('base64') } });
      try {
        assert.equal(engine.secretValues(['portalToken'], 'test').get('portalToken'), 'the-token-value');
      } finally {
        engine.close();
      }
      assert.equal(existsSync(path.join(env['RPA_HOME']!, 'vault.key')), false, 'no second key was created in RPA_HOME');
    });

    it("is sealed with the key of the host's environment, not the key of the process that started it", { timeout: 60_000 }, async () => {
      const key = randomBytes(32).toString('base64');
      const { workspace, env, start } = setup({ envExtra: { RPA_VAULT_KEY: key } });
      const before = process.env['RPA_VAULT_KEY'];
      delete process.env['RPA_VAULT_KEY'];
      try {
        const host = await start();
        try {
          await storeAndUse(host, workspace);
        } finally {
          await host.close();
        }
      } finally {
        if (before !== undefined) process.env['RPA_VAULT_KEY'] = before;
      }
      const engine = Engine.open({ env });
      try {
        assert.equal(engine.secretValues(['portalToken'], 'test').get('portalToken'), 'the-token-value');
      } finally {
        engine.close();
      }
    });
  });
});
