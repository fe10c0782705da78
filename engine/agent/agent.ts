// The long-running agent: fires schedules, watches folders, works queues — unattended.
// `rpa agent` hosts it; the desktop app will host the same class. One per RPA_HOME.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Engine, RunResult } from '../api.js';
import { FolderTrigger, type FolderRunOutcome, type FolderTriggerConfig } from '../triggers/folder-trigger.js';
import type { Database } from '../store/database.js';
import type { AgentConfig } from './config.js';
import { acquireAgentLock, type AgentLock } from './lock.js';
import { PolicyWatch, WorkGate } from './policy-watch.js';
import type { PolicyState } from '../policy/policy.js';
import { ReviewResumer } from '../review/resumer.js';

export interface RunningBot {
  key: number;
  runId?: string;
  automation: string;
  trigger: string;
  startedAt: string;
}

/** Something the agent starts and stops: the scheduler, a queue worker. */
export interface AgentService {
  /** `skipDue`: the scheduler resuming after "pause schedules" skips what fell due meanwhile. */
  start(options?: { skipDue?: boolean }): void;
  /** Stop taking new work; resolve when work already started has ended. */
  stop(): Promise<void>;
  status(): unknown;
}

export interface RunRequest {
  file: string;
  inputs?: Record<string, unknown>;
  trigger: string;
  maxRunMs?: number | undefined;
}

export type AgentLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface AgentOptions {
  engine: Engine;
  db: Database;
  config: AgentConfig;
  log: AgentLog;
  /** Builds the services (scheduler, queue workers) with a way to start runs and the gate they wait on. */
  services?: (runBot: (request: RunRequest) => Promise<RunResult>, gate: WorkGate) => Record<string, AgentService>;
  /**
   * The machine policy, re-read every `intervalMs`: the agent refuses to start while it is
   * invalid, and pauses all work (no lease, no fire, no scan) while it turns invalid later.
   */
  policy?: { read: () => PolicyState; intervalMs?: number };
  /** The lock on agent.lock is already held by the caller (the engine host): don't take it here. */
  lockHeld?: boolean;
  /** Start with the scheduler paused (the user paused schedules; kept across restarts by the host). */
  schedulesPaused?: boolean;
}

/** Refusals that say the machine policy, not the bot, stopped the run. */
export const POLICY_REFUSALS = new Set(['PolicyInvalidError', 'PolicyViolationError']);

export class Agent {
  private lock: AgentLock | undefined;
  private readonly running = new Map<number, { bot: RunningBot; controller: AbortController; done: Promise<unknown> }>();
  private nextKey = 1;
  private folders: FolderTrigger[] = [];
  private services: Record<string, AgentService> = {};
  private stopping = false;
  private readonly startedAt = new Date().toISOString();
  private statusTimer: NodeJS.Timeout | undefined;
  /** Shut while the machine policy is invalid: queue workers wait on it before leasing. */
  readonly gate = new WorkGate();
  private policyWatch: PolicyWatch | undefined;
  /** Folder triggers and the scheduler stopped for an invalid policy, settling their runs. */
  private pausing: Promise<unknown> = Promise.resolve();
  readonly statusFile: string;
  /** Paused by the user ("Pause schedules"): the scheduler is stopped; other work goes on. */
  private schedulesPaused: boolean;

  constructor(private readonly options: AgentOptions) {
    this.statusFile = path.join(options.engine.home.dir, 'agent-status.json');
    this.schedulesPaused = options.schedulesPaused ?? false;
  }

  /**
   * Pauses or resumes the real scheduler: paused, nothing fires (runs under way go on);
   * resumed, what fell due meanwhile is skipped and the next slots fire as usual.
   */
  setSchedulesPaused(paused: boolean): void {
    if (paused === this.schedulesPaused) return;
    this.schedulesPaused = paused;
    const schedules = this.services['schedules'];
    if (schedules && this.lock !== undefined && !this.stopping) {
      if (paused) void schedules.stop();
      else if (this.gate.open) schedules.start({ skipDue: true });
    }
    this.options.log('info', paused ? 'schedules paused: nothing fires until they are resumed' : 'schedules resumed');
    this.writeStatus();
  }

  get paused(): { schedules: boolean; policy?: string } {
    return { schedules: this.schedulesPaused, ...(this.gate.open ? {} : { policy: 'the machine policy is invalid' }) };
  }

  /** The scheduler, when it exists (schedules allowed by the policy). */
  get schedulesService(): AgentService | undefined {
    return this.services['schedules'];
  }

  start(): void {
    // An invalid policy refuses every run: an agent started under it would only fail its work.
    const policy = this.options.policy;
    const initial = policy?.read();
    if (initial?.status === 'invalid') throw initial.error;
    this.lock = this.options.lockHeld ? { release: () => undefined } : acquireAgentLock(path.join(this.options.engine.home.dir, 'agent.lock'));
    if (policy && initial) {
      this.policyWatch = new PolicyWatch({ read: policy.read, gate: this.gate, log: this.options.log, onValidChange: (valid) => this.onPolicyValidity(valid), ...(policy.intervalMs ? { intervalMs: policy.intervalMs } : {}) }, initial);
      this.policyWatch.start();
    }
    const runBot = (request: RunRequest): Promise<RunResult> => this.runBot(request);
    this.services = this.options.services?.(runBot, this.gate) ?? {};
    // Runs paused for a human review go on here once the review is resolved (not while the policy is invalid).
    this.services['reviews'] ??= new ReviewResumer(() => (this.gate.open ? this.options.engine.resumeResolvedRuns() : Promise.resolve([])), this.options.log);
    for (const [name, service] of Object.entries(this.services)) if (name !== 'schedules' || !this.schedulesPaused) service.start();
    this.folders = this.options.config.folders.map(
      (folder) =>
        new FolderTrigger(folder, this.options.db, {
          run: (config, file) => this.runForFile(config, file),
          log: (level, message) => this.options.log(level, message),
        }),
    );
    for (const folder of this.folders) folder.start();
    this.writeStatus();
    this.statusTimer = setInterval(() => this.writeStatus(), 2_000);
    this.options.log('info', `agent started (pid ${process.pid}): ${Object.keys(this.services).join(', ') || 'no services'}, ${this.folders.length} folder trigger(s)`);
  }

  /**
   * The policy turned invalid: stop firing schedules and scanning folders (runs under way go on:
   * they started under a valid policy). Valid again: start them, once the stopped ones settled
   * (a folder trigger re-runs what it finds in processing/, so its own runs must have ended).
   */
  private onPolicyValidity(valid: boolean): void {
    if (this.stopping) return;
    const schedules = this.services['schedules'];
    if (!valid) {
      this.pausing = Promise.allSettled([...this.folders.map((folder) => folder.stop()), ...(schedules ? [schedules.stop()] : [])]);
    } else {
      void this.pausing.then(() => {
        if (this.stopping || !this.gate.open) return;
        if (!this.schedulesPaused) schedules?.start();
        for (const folder of this.folders) folder.start();
      });
    }
    this.writeStatus();
  }

  private async runForFile(config: FolderTriggerConfig, file: string): Promise<FolderRunOutcome> {
    try {
      const result = await this.runBot({ file: config.automation, inputs: { ...config.inputs, [config.input]: file }, trigger: `folder:${config.id}:${path.basename(file)}` });
      return { runId: result.runId, status: result.status };
    } catch (error) {
      // Refused because the policy just turned invalid: the trigger is stopped by now, and a
      // cancelled run of a stopped trigger leaves its file in processing/ to run when work resumes
      // (instead of failed/, where its content would count as processed).
      if ((error as Error).name === 'PolicyInvalidError' && !this.gate.open) return { status: 'cancelled' };
      throw error;
    }
  }

  /** Starts one run and tracks it until it ends. */
  async runBot(request: RunRequest): Promise<RunResult> {
    if (this.stopping) throw new Error('the agent is shutting down');
    const key = this.nextKey++;
    const controller = new AbortController();
    const bot: RunningBot = { key, automation: request.file, trigger: request.trigger, startedAt: new Date().toISOString() };
    const done = this.options.engine.run(
      { file: request.file, inputs: request.inputs ?? {}, signal: controller.signal, trigger: request.trigger, ...(request.maxRunMs ? { maxRunMs: request.maxRunMs } : {}) },
      (event) => {
        if (event.type === 'run.started') {
          bot.runId = event.runId;
          this.options.log('info', `run ${event.runId} started: ${event.automation.id} (${request.trigger})`);
        }
      },
    );
    this.running.set(key, { bot, controller, done: done.catch(() => undefined) });
    this.writeStatus();
    try {
      const result = await done;
      this.options.log(result.status === 'passed' ? 'info' : 'warn', `run ${result.runId} ${result.status} in ${result.durationMs} ms (${request.trigger})${result.error ? `: ${result.error.message.split('\n')[0]}` : ''}`);
      return result;
    } catch (error) {
      this.options.log('error', `could not start ${request.file} (${request.trigger}): ${(error as Error).message}`);
      // Refused by the policy: look at it now rather than at the next tick, to pause at once.
      if (POLICY_REFUSALS.has((error as Error).name)) this.policyWatch?.check();
      throw error;
    } finally {
      this.running.delete(key);
      this.writeStatus();
    }
  }

  status(): { pid: number; startedAt: string; paused?: string; schedulesPaused: boolean; running: RunningBot[]; services: Record<string, unknown>; folders: Array<{ id: string; folder: string; running: number }>; updatedAt: string } {
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      ...(this.gate.open ? {} : { paused: 'the machine policy is invalid' }),
      schedulesPaused: this.schedulesPaused,
      running: [...this.running.values()].map((r) => r.bot),
      services: Object.fromEntries(Object.entries(this.services).map(([name, service]) => [name, service.status()])),
      folders: this.folders.map((f, i) => ({ id: this.options.config.folders[i]!.id, folder: this.options.config.folders[i]!.folder, running: f.running })),
      updatedAt: new Date().toISOString(),
    };
  }

  /** The status API for other processes (`rpa agent status`): a file replaced atomically. */
  private writeStatus(): void {
    try {
      const temporary = `${this.statusFile}.tmp`;
      writeFileSync(temporary, JSON.stringify(this.status(), null, 2));
      renameSync(temporary, this.statusFile);
    } catch (error) {
      this.options.log('warn', `could not write ${this.statusFile}: ${(error as Error).message}`);
    }
  }

  /**
   * Graceful shutdown: take no new work, give running bots `graceMs` to finish, then
   * cancel them (their queue items go back for a retry, their files stay in processing/).
   */
  async stop(graceMs = this.options.config.shutdownGraceMs): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.statusTimer);
    this.policyWatch?.stop();
    this.options.log('info', `agent stopping: ${this.running.size} run(s) in progress, waiting up to ${graceMs} ms`);
    const stopped = Promise.allSettled([...this.folders.map((f) => f.stop()), ...Object.values(this.services).map((s) => s.stop())]);
    const all = Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    if ((await Promise.race([all.then(() => 'done' as const), graceOver])) === 'timeout') {
      this.options.log('warn', `cancelling ${this.running.size} run(s) still going after ${graceMs} ms`);
      for (const { controller } of this.running.values()) controller.abort();
    }
    clearTimeout(timer);
    await all;
    await stopped;
    this.writeStatus();
    await this.options.engine.flush();
    this.lock?.release();
    this.options.log('info', 'agent stopped');
  }
}
