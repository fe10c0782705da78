// rpa agent [--config FILE]      run the engine host headless in the foreground (Ctrl+C / SIGTERM stops it gracefully)
// rpa agent status [--json]      what the running agent is doing and what comes next
// rpa agent install-service [--kind systemd|autostart|launchagent|runkey] [--dir DIR]   start it at login
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { resolveHome } from '../../engine/home.js';
import { defaultServiceDir, defaultServiceKind, installService, LAUNCH_AGENT_LABEL, SERVICE_KINDS, type ServiceKind } from '../../engine/host/service-unit.js';
import { parseOrUsage } from '../args.js';
import { startEngineHost } from '../host.js';
import { formatTime } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('agent');

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
  const state = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; startedAt: string; updatedAt: string; paused?: string; schedulesPaused?: boolean; running: Array<{ runId?: string; automation: string; trigger: string; startedAt: string }>; services: Record<string, unknown> };
  const up = alive(state.pid);
  if (json) {
    console.log(JSON.stringify({ ...state, alive: up }));
    return up ? 0 : 1;
  }
  console.log(up ? `agent pid ${state.pid} running since ${formatTime(state.startedAt)}` : `agent pid ${state.pid} is not running (last status ${formatTime(state.updatedAt)})`);
  if (up && state.schedulesPaused) console.log('schedules paused (the tray\'s "Pause schedules"): nothing fires until they are resumed');
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

function installServiceCommand(values: { dir?: string | undefined; kind?: string | undefined }): number {
  const kind = (values.kind ?? defaultServiceKind()) as ServiceKind;
  if (!(SERVICE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind ${kind}: expected ${SERVICE_KINDS.slice(0, -1).join(', ')} or ${SERVICE_KINDS.at(-1)}\nusage: ${USAGE}`);
  const dir = path.resolve(values.dir ?? defaultServiceDir(kind));
  const file = installService(kind, dir, { node: process.execPath, script: path.resolve(process.argv[1]!), home: path.resolve(resolveHome().dir) });
  console.log(`wrote ${file}`);
  if (kind === 'systemd') {
    console.log('start it now and at every login with: systemctl --user daemon-reload && systemctl --user enable --now rpa-agent.service');
    console.log('to keep it running while nobody is logged in (a server): loginctl enable-linger $USER');
  } else if (kind === 'autostart') {
    console.log('it starts at your next desktop login; to start it now: rpa agent');
  } else if (kind === 'launchagent') {
    console.log(`it starts at your next login; to start it now: launchctl bootstrap gui/$(id -u) ${JSON.stringify(file)}  (stop: launchctl bootout gui/$(id -u)/${LAUNCH_AGENT_LABEL})`);
  } else if (process.platform === 'win32' && values.dir === undefined) {
    // The per-user Run key: no administrator needed.
    execFileSync('reg.exe', ['import', file], { stdio: 'inherit' });
    console.log('registered in HKEY_CURRENT_USER\\...\\Run: it starts at your next sign-in; to start it now: rpa agent');
  } else {
    console.log(`import it on the Windows machine to start at sign-in: reg import "${file}" (or deploy it by group policy)`);
  }
  return 0;
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { config: { type: 'string' }, json: { type: 'boolean' }, dir: { type: 'string' }, kind: { type: 'string' }, home: { type: 'string' } } }),
    USAGE,
  );
  // --home: the RPA_HOME to serve (the Windows Run key sets no environment variables).
  if (values.home !== undefined) process.env['RPA_HOME'] = path.resolve(values.home);
  if (positionals[0] === 'status') return status(values.json ?? false);
  if (positionals[0] === 'install-service') return installServiceCommand(values);
  if (positionals.length) throw new UsageError(`unknown argument ${positionals[0]}\nusage: ${USAGE}`);
  const syncBackoff = syncBackoffFromEnv(process.env);
  const log = (level: string, message: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
  // The engine host, headless: an invalid machine policy refuses to start (exit 4, the problem
  // printed) rather than lease queue items only to fail them; `rpa studio` and the desktop app
  // attach to it over its socket.
  const host = await startEngineHost({ requireValidPolicy: true, log, sync: syncBackoff, ...(values.config !== undefined ? { configFile: values.config } : {}) });
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: string): void => {
      signals++;
      if (signals > 1) {
        log('warn', `${signal} again: leaving now`);
        process.exit(130);
      }
      log('info', `${signal} received`);
      void host.close().then(resolve);
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
  return 0;
}
