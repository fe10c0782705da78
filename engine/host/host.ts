// The engine host: ONE long-running process per RPA_HOME that owns the store (one database
// connection), the agent (scheduler, folder triggers, queue workers, review resumption, the
// warm OCR worker), the audit upload loop and the studio API. `rpa agent` runs it headless;
// `rpa studio` and the desktop app run it, or attach to the one already running over its
// local socket (engine/host/socket.ts). The lock on agent.lock makes it one per RPA_HOME.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, type AgentLog, type AgentService } from '../agent/agent.js';
import { readAgentConfig, type AgentConfig } from '../agent/config.js';
import { acquireAgentLock, type AgentLock } from '../agent/lock.js';
import { agentServices } from '../agent/services.js';
import { Engine, type EngineOptions } from '../api.js';
import { resolveHome } from '../home.js';
import { openCentralQueue } from '../queue/central.js';
import { requirePolicy } from '../policy/policy.js';
import { readSyncConfig, SyncClient, enrollFromPolicy } from '../sync/sync-client.js';
import type { HostStatus } from '../transport/messages.js';
import { StudioService, type StartRecording } from '../transport/studio-service.js';
import { Workspace, type WorkspaceRoot } from '../transport/workspace.js';
import { CliService } from './cli-service.js';
import { hostInfoFile, listenHost, type HostListener } from './socket.js';
import { failureScreenshotsUploadAllowed } from '../policy/effective.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../../automations/examples/', import.meta.url));

export interface EngineHostOptions {
  env?: NodeJS.ProcessEnv;
  /** The vault key's source (the desktop app: safeStorage). */
  vaultKey?: EngineOptions['vaultKey'];
  /** The studio's folders of automations; default the examples and <RPA_HOME>/automations. */
  workspace?: string;
  /** agent.json; default <RPA_HOME>/agent.json (may be missing: schedules only). */
  configFile?: string;
  log?: AgentLog;
  startRecording?: StartRecording;
  /**
   * rpa agent: refuse to start while the machine policy is invalid (exit 4 with the problem).
   * Otherwise (the studio, the app) the host starts, serves the studio (which shows the policy
   * problem) and starts the agent once the policy is valid.
   */
  requireValidPolicy?: boolean;
  /** Longest wait between failed audit uploads; how often the upload loop looks (tests). */
  sync?: { maxBackoffMs?: number; intervalMs?: number };
  /** Listen on the per-user socket so other front ends can attach (default true). */
  listen?: boolean;
}

interface HostState {
  schedulesPaused?: boolean;
}

/** Starts an audit upload loop once this machine is enrolled (at start, or later: rpa enroll while the host runs). */
class AuditSync implements AgentService {
  private client: SyncClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly engine: Engine,
    private readonly log: AgentLog,
    private readonly options: { maxBackoffMs?: number; intervalMs?: number },
  ) {}

  start(): void {
    this.stopped = false;
    this.check();
  }

  private check(): void {
    if (this.stopped || this.client) return;
    const config = readSyncConfig(this.engine.home);
    if (config) {
      this.client = new SyncClient(this.engine.home, this.engine.outbox, config, { log: this.log, screenshotsAllowed: () => failureScreenshotsUploadAllowed(this.engine.policyState()), ...this.options });
      this.client.start();
      this.log('info', `audit sync: uploading run logs to ${config.serverUrl}`);
      return;
    }
    this.timer = setTimeout(() => this.check(), 2_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.stop();
  }

  status(): unknown {
    return this.client?.status() ?? { enrolled: false };
  }

  /** The machine was enrolled (again) while the host runs: upload with the new enrollment from now on. */
  async restart(): Promise<void> {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.stop();
    this.check();
  }
}

export class EngineHost {
  private policyTimer: NodeJS.Timeout | undefined;
  private agentStarted = false;
  private listener: HostListener | undefined;
  private closed = false;
  readonly startedAt = new Date().toISOString();
  private readonly stateFile: string;

  private constructor(
    readonly engine: Engine,
    readonly service: StudioService,
    readonly agent: Agent,
    private readonly lock: AgentLock,
    private readonly log: AgentLog,
    /** The CLI's state commands (rpa run, review, runs, show, schedule, queue, sync …), served on the socket. */
    readonly commands: CliService,
  ) {
    this.stateFile = path.join(engine.home.dir, 'host-state.json');
  }

  /** Takes the RPA_HOME's lock (AgentAlreadyRunningError when another host holds it), opens the store, starts everything. */
  static async start(options: EngineHostOptions = {}): Promise<EngineHost> {
    const env = options.env ?? process.env;
    const home = resolveHome(env);
    const log: AgentLog = options.log ?? ((level, message) => process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`));
    const lock = acquireAgentLock(path.join(home.dir, 'agent.lock'));
    let engine: Engine | undefined;
    let service: StudioService | undefined;
    try {
      engine = Engine.open({ env, ...(options.vaultKey ? { vaultKey: options.vaultKey } : {}) });
      const opened = engine;
      if (options.requireValidPolicy) requirePolicy(opened.policyState());
      const configFile = options.configFile ?? path.join(home.dir, 'agent.json');
      const config: AgentConfig = readAgentConfig(configFile, options.configFile !== undefined);
      const roots: WorkspaceRoot[] = [
        options.workspace ? { name: 'workspace', dir: path.resolve(options.workspace) } : { name: 'examples', dir: EXAMPLES_DIR },
        { name: 'mine', dir: path.join(home.dir, 'automations') },
      ];
      // The host is built last; the studio's host control reaches it through this box.
      const box: { host?: EngineHost } = {};
      service = new StudioService({
        engine: opened,
        workspace: new Workspace(roots),
        ...(options.startRecording ? { startRecording: options.startRecording } : {}),
        host: {
          status: () => box.host!.status(),
          setSchedulesPaused: (paused) => box.host!.setSchedulesPaused(paused),
          schedulesChanged: () => box.host?.schedulesChanged(),
        },
      });
      const sync = new AuditSync(opened, log, options.sync ?? {});
      const syncChanged = (): void => void sync.restart().catch((error: unknown) => log('warn', `audit sync did not restart: ${(error as Error).message}`));
      const statePaused = readState(path.join(home.dir, 'host-state.json')).schedulesPaused ?? false;
      const agent = new Agent({
        engine: opened,
        db: opened.database,
        config,
        log,
        lockHeld: true,
        schedulesPaused: statePaused,
        policy: { read: () => opened.policyState(), intervalMs: config.policyCheckMs },
        services: (runBot, gate) => {
          const state = opened.policyState();
          const schedulesAllowed = state.status !== 'ok' || state.policy.schedules?.allowed !== false;
          return agentServices({ db: opened.database, config, queue: opened.queue, queueAt: (server) => openCentralQueue(home, server), runBot, log, sync, schedulesAllowed, gate, runsByTrigger: (trigger) => opened.runsByTrigger(trigger) });
        },
      });
      const commands = new CliService({ engine: opened, schedulesChanged: () => box.host?.schedulesChanged(), syncChanged });
      const host = (box.host = new EngineHost(opened, service, agent, lock, log, commands));
      await host.startAgent(config.policyCheckMs);
      const hold = env['RPA_TEST_HOST_HOLD']?.trim();
      if (options.listen !== false) host.listener = await listenHost(home, service, log, { commands, ...(hold ? { holdAnswerOf: hold } : {}) });
      return host;
    } catch (error) {
      await service?.close().catch(() => undefined);
      engine?.close();
      lock.release();
      throw error;
    }
  }

  /** Enrolls from the policy when it names an audit server, then starts the agent, or waits for a valid policy to do so. */
  private async startAgent(policyCheckMs: number): Promise<void> {
    const state = this.engine.policyState();
    if (state.status === 'invalid') {
      this.log('warn', `the machine policy is invalid: schedules, folders and queues wait until it is valid (${state.error.message.split('\n')[0]})`);
      this.policyTimer = setTimeout(() => void this.startAgent(policyCheckMs), policyCheckMs);
      return;
    }
    try {
      await enrollFromPolicy(this.engine.home, this.engine.outbox, state.status === 'ok' ? state.policy : undefined);
    } catch (error) {
      this.log('error', `audit server enrollment from policy failed: ${(error as Error).message}; run logs stay in the outbox`);
    }
    if (this.closed) return;
    try {
      this.agent.start();
      this.agentStarted = true;
    } catch (error) {
      this.log('warn', `the agent could not start yet: ${(error as Error).message.split('\n')[0]}`);
      this.policyTimer = setTimeout(() => void this.startAgent(policyCheckMs), policyCheckMs);
    }
  }

  /** Where other front ends find this host (socket path, token); undefined when not listening. */
  get address(): { socket: string; infoFile: string } | undefined {
    return this.listener ? { socket: this.listener.socket, infoFile: hostInfoFile(this.engine.home) } : undefined;
  }

  status(): HostStatus {
    const agent = this.agent.status();
    const schedules = this.agent.schedulesService?.status() as Array<{ id: string; name?: string; paused: boolean; nextFireAt?: Date }> | undefined;
    const config = readSyncConfig(this.engine.home);
    const outbox = this.engine.outbox;
    const state = outbox.state();
    const pending = outbox.counts().pending;
    const nextDue = this.agentStarted && schedules && !agent.schedulesPaused && !agent.paused
      ? schedules
          .filter((s) => !s.paused && s.nextFireAt)
          .sort((a, b) => a.nextFireAt!.getTime() - b.nextFireAt!.getTime())
          .slice(0, 5)
          .map((s) => ({ scheduleId: s.id, ...(s.name ? { name: s.name } : {}), at: s.nextFireAt!.toISOString() }))
      : [];
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      schedulesPaused: agent.schedulesPaused,
      ...(agent.paused ? { paused: agent.paused } : this.agentStarted ? {} : { paused: 'waiting for a valid machine policy' }),
      scheduler: this.agentStarted && schedules !== undefined,
      running: agent.running.map((r) => ({ ...(r.runId ? { runId: r.runId } : {}), automation: r.automation, trigger: r.trigger, startedAt: r.startedAt })),
      nextDue,
      sync: {
        enrolled: config !== undefined,
        ...(config ? { server: config.serverUrl } : {}),
        pending,
        ...(state.last_error ? { lastError: state.last_error } : {}),
        ...(state.last_sync_at ? { lastSyncAt: state.last_sync_at } : {}),
      },
    };
  }

  /** "Pause schedules": pauses the real scheduler, and remembers it across restarts. */
  setSchedulesPaused(paused: boolean): HostStatus {
    this.agent.setSchedulesPaused(paused);
    try {
      const temporary = `${this.stateFile}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ ...readState(this.stateFile), schedulesPaused: paused }, null, 2)}\n`, { mode: 0o600 });
      renameSync(temporary, this.stateFile);
    } catch (error) {
      this.log('warn', `could not remember the schedules' pause in ${this.stateFile}: ${(error as Error).message}`);
    }
    return this.status();
  }

  private schedulesChanged(): void {
    const scheduler = this.agent.schedulesService as { reload?: () => void } | undefined;
    scheduler?.reload?.();
  }

  /** Graceful stop: no new work, running bots get the grace period, the socket and the lock go last. */
  async close(graceMs?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.policyTimer);
    // Closing the connections cancels the runs of `rpa run` they carry: they end before the store closes.
    await this.listener?.close();
    await this.commands.settled();
    if (this.agentStarted) await this.agent.stop(graceMs);
    await this.service.close();
    this.commands.close();
    await this.engine.flush();
    this.engine.close();
    this.lock.release();
  }
}

function readState(file: string): HostState {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HostState;
  } catch {
    return {};
  }
}
