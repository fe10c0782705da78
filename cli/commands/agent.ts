// rpa agent [--config FILE]      run the agent in the foreground (Ctrl+C / SIGTERM stops it gracefully)
// rpa agent status [--json]      what the running agent is doing and what comes next
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../../engine/agent/agent.js';
import { readAgentConfig } from '../../engine/agent/config.js';
import { agentServices } from '../../engine/agent/services.js';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { resolveHome } from '../../engine/home.js';
import { requirePolicy } from '../../engine/policy/policy.js';
import { openDatabase } from '../../engine/store/database.js';
import { enrollFromPolicy, SyncClient } from '../../engine/sync/sync-client.js';
import { parseOrUsage } from '../args.js';
import { formatTime } from '../format.js';

const USAGE = 'rpa agent [--config FILE] | rpa agent status [--json]';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function status(json: boolean): number {
  // Only the status file: reading it must not open (or migrate) the store.
  const file = path.join(resolveHome().dir, 'agent-status.json');
  if (!existsSync(file)) {
    console.log('no agent has run in this RPA_HOME');
    return 1;
  }
  const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; startedAt: string; updatedAt: string; paused?: string; running: Array<{ runId?: string; automation: string; trigger: string; startedAt: string }>; services: Record<string, unknown> };
  const up = alive(state.pid);
  if (json) {
    console.log(JSON.stringify({ ...state, alive: up }));
    return up ? 0 : 1;
  }
  console.log(up ? `agent pid ${state.pid} running since ${formatTime(state.startedAt)}` : `agent pid ${state.pid} is not running (last status ${formatTime(state.updatedAt)})`);
  if (up && state.paused) console.log(`paused: ${state.paused}; nothing new starts until it is valid again (rpa policy shows why)`);
  console.log(`running now: ${state.running.length ? '' : 'nothing'}`);
  for (const bot of state.running) console.log(`  ${bot.runId ?? '(starting)'}  ${path.basename(bot.automation)}  ${bot.trigger}  since ${formatTime(bot.startedAt)}`);
  for (const [name, service] of Object.entries(state.services)) {
    if (name === 'schedules' && Array.isArray(service)) {
      const upcoming = (service as Array<{ id: string; name?: string; nextFireAt?: string; running: number }>)
        .filter((s) => s.nextFireAt)
        .sort((a, b) => String(a.nextFireAt).localeCompare(String(b.nextFireAt)));
      const busy = service.filter((s: { running: number }) => s.running > 0).length;
      console.log(`schedules: ${service.length} (${busy} running); next:`);
      for (const s of upcoming.slice(0, 5)) console.log(`  ${formatTime(s.nextFireAt)}  ${s.id}${s.name ? ` (${s.name})` : ''}`);
    } else {
      console.log(`${name}: ${JSON.stringify(service)}`);
    }
  }
  return up ? 0 : 1;
}

/** RPA_SYNC_MAX_BACKOFF_MS: the longest wait between failed audit uploads (default 5 minutes). */
function syncBackoffFromEnv(env: NodeJS.ProcessEnv): { maxBackoffMs?: number } {
  const raw = env['RPA_SYNC_MAX_BACKOFF_MS']?.trim();
  if (!raw) return {};
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100) throw new UsageError(`RPA_SYNC_MAX_BACKOFF_MS must be a whole number of milliseconds, at least 100; got ${raw}`);
  return { maxBackoffMs: ms };
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { config: { type: 'string' }, json: { type: 'boolean' } } }), USAGE);
  if (positionals[0] === 'status') return status(values.json ?? false);
  if (positionals.length) throw new UsageError(`unknown argument ${positionals[0]}\nusage: ${USAGE}`);
  const syncBackoff = syncBackoffFromEnv(process.env);
  const engine = Engine.open();
  // An invalid machine policy refuses every run: refuse to start (exit 4, the problem printed)
  // rather than lease queue items only to fail them.
  try {
    requirePolicy(engine.policyState());
  } catch (error) {
    engine.close();
    throw error;
  }
  const configFile = values.config ?? path.join(engine.home.dir, 'agent.json');
  const config = readAgentConfig(configFile, values.config !== undefined);
  const db = openDatabase(engine.home.storeFile);
  const log = (level: string, message: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
  // The engine's own queue connection: queue.add steps and the workers share it.
  const queue = engine.queue;
  // The machine policy may name the audit server to enroll with and forbid schedules; the agent
  // re-reads it while it runs and pauses all work while it is invalid.
  const policyState = engine.policyState();
  const policy = policyState.status === 'ok' ? policyState.policy : undefined;
  let syncConfig;
  try {
    syncConfig = await enrollFromPolicy(engine.home, engine.outbox, policy);
  } catch (error) {
    log('error', `audit server enrollment from policy failed: ${(error as Error).message}; run logs stay in the outbox`);
  }
  const sync = syncConfig ? new SyncClient(engine.home, engine.outbox, syncConfig, { log, ...syncBackoff }) : undefined;
  const schedulesAllowed = policy?.schedules?.allowed !== false;
  const agent = new Agent({
    engine,
    db,
    config,
    log,
    policy: { read: () => engine.policyState(), intervalMs: config.policyCheckMs },
    services: (runBot, gate) => agentServices({ db, config, queue, runBot, log, sync, schedulesAllowed, gate, runsByTrigger: (trigger) => engine.runsByTrigger(trigger) }),
  });
  try {
    agent.start();
  } catch (error) {
    db.close();
    engine.close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: string): void => {
      signals++;
      if (signals > 1) {
        log('warn', `${signal} again: leaving now`);
        process.exit(130);
      }
      log('info', `${signal} received`);
      void agent.stop().then(resolve);
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
  db.close();
  engine.close();
  return 0;
}
