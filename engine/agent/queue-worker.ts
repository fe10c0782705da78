// Works one queue: leases an item, runs the automation once with the item's fields as
// inputs, and settles the item by how the run ended. A business error (bad data) sets
// the item aside; anything else is an application error and comes back after a backoff.
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunResult } from '../api.js';
import { loadAutomationOrPackage } from '../package/index.js';
import type { WorkQueue } from '../queue/index.js';
import { abortableSleep } from '../runner/timing.js';
import { POLICY_REFUSALS, type AgentLog, type AgentService, type RunRequest } from './agent.js';
import type { AgentConfig } from './config.js';
import type { WorkGate } from './policy-watch.js';

type QueueConfig = AgentConfig['queues'][number];

/**
 * Errors that retrying the item cannot help or must not try: the data is wrong, or keys already
 * went out (partly, or into another window) and a new run would type them again.
 */
const BUSINESS_ERRORS = new Set(['BusinessError', 'MissingInputError', 'UsageError', 'AutomationInvalidError', 'InputDeliveredError']);

export class QueueWorker implements AgentService {
  private readonly controller = new AbortController();
  private loops: Array<Promise<void>> = [];
  private processed = { done: 0, failed: 0, retried: 0 };
  private busy = 0;

  constructor(
    private readonly queue: WorkQueue,
    private readonly config: QueueConfig,
    private readonly runBot: (request: RunRequest) => Promise<RunResult>,
    private readonly log: AgentLog,
    /** Earlier runs for a trigger, from the run store. */
    private readonly runsByTrigger: (trigger: string) => Array<{ id: string; status: string }> = () => [],
    /** Shut while the machine policy is invalid: nothing is leased then. */
    private readonly gate?: WorkGate,
  ) {}

  start(): void {
    for (let slot = 1; slot <= this.config.concurrency; slot++) this.loops.push(this.loop(`${os.hostname()}:${process.pid}:${this.config.queue}#${slot}`));
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.allSettled(this.loops);
  }

  status(): unknown {
    return { queue: this.config.queue, busy: this.busy, ...this.processed };
  }

  private async loop(workerId: string): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      // Leasing while the policy refuses every run would only use up the items' attempts.
      if (this.gate && !this.gate.open) {
        await this.gate.whenOpen(signal).catch(() => undefined);
        continue;
      }
      let item;
      try {
        item = await this.queue.lease(this.config.queue, workerId, this.config.leaseMs);
      } catch (error) {
        this.log('error', `queue ${this.config.queue}: could not lease: ${(error as Error).message}`);
      }
      if (!item) {
        await abortableSleep(this.config.pollMs, signal).catch(() => undefined);
        continue;
      }
      this.busy++;
      try {
        await this.work(item);
      } finally {
        this.busy--;
      }
    }
  }

  private declared: { mtimeMs: number; names: Set<string> } | undefined;

  /** The automation's declared input names, re-read only when its file changes (not per item). */
  private declaredInputs(): Set<string> {
    const mtimeMs = statSync(this.config.automation).mtimeMs;
    if (this.declared?.mtimeMs !== mtimeMs) {
      // A package is checked and unpacked (only to read its inputs; the run verifies it again).
      const { automation } = loadAutomationOrPackage(this.config.automation, path.join(os.tmpdir(), `rpa-package-inputs-${process.getuid?.() ?? 'user'}`));
      this.declared = { mtimeMs, names: new Set((automation.doc.inputs ?? []).map((input) => input.name)) };
    }
    return this.declared.names;
  }

  private inputsFor(payload: unknown, attempt: number, id: number): Record<string, unknown> {
    const fields = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : { item: payload };
    // Only pass the queue's own facts to automations that declare them.
    const declared = this.declaredInputs();
    return { ...fields, ...(declared.has('attempt') ? { attempt } : {}), ...(declared.has('queueItemId') ? { queueItemId: id } : {}) };
  }

  /**
   * The machine policy refused the run: nothing is wrong with the item, so it goes back untried
   * (its attempt not counted). An invalid policy shuts the gate for every worker; a refusal by a
   * valid policy (e.g. only signed packages may run) holds this worker until the policy changes.
   */
  private async holdBack(item: { id: number; leaseToken: string }, label: string, error: { name: string; message: string }, policySeen: number): Promise<void> {
    try {
      await this.queue.release(item.id, item.leaseToken, error);
      this.log('warn', `${label}: refused by the machine policy (${error.message.split('\n')[0]}); item handed back untried, its attempt not counted`);
    } catch (releaseError) {
      this.log('error', `${label}: could not hand back: ${(releaseError as Error).message}`);
    }
    if (error.name === 'PolicyViolationError' && this.gate) {
      this.log('warn', `queue ${this.config.queue}: waiting for the machine policy to change before leasing again`);
      await this.gate.changedSince(policySeen, this.controller.signal);
    } else if (this.gate?.open !== false) {
      // Not (yet) seen as invalid by the watch: never spin on lease and hand back.
      await abortableSleep(this.config.pollMs, this.controller.signal).catch(() => undefined);
    }
  }

  /**
   * Renews the lease every third of its length while the run goes, where the queue can
   * (central queues): a robot that dies stops renewing, and its item comes back within one lease.
   */
  private heartbeat(item: { id: number; leaseToken: string }, label: string): { stop(): void } | undefined {
    const extend = this.queue.extendLease?.bind(this.queue);
    if (!extend) return undefined;
    const timer = setInterval(() => {
      extend(item.id, item.leaseToken, this.config.leaseMs).catch((error: unknown) => this.log('error', `${label}: could not renew the lease: ${(error as Error).message}`));
    }, Math.max(500, Math.floor(this.config.leaseMs / 3)));
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async work(item: Awaited<ReturnType<WorkQueue['lease']>> & object): Promise<void> {
    const label = `queue ${this.config.queue} item ${item.id} (attempt ${item.attempts})`;
    // A central queue's ids are the server's: the trigger names the server so they never meet a local item's.
    const trigger = this.config.server === undefined ? `queue:${this.config.queue}:${item.id}` : `queue:${this.config.queue}@${this.config.server}:${item.id}`;
    // A robot killed after its run passed but before it settled the item: the work is
    // done, so settle it from the store instead of doing it a second time.
    const earlier = item.attempts > 1 ? this.runsByTrigger(trigger).find((run) => run.status === 'passed') : undefined;
    if (earlier) {
      try {
        await this.queue.complete(item.id, item.leaseToken, { runId: earlier.id, recovered: true });
        this.processed.done++;
        this.log('info', `${label}: run ${earlier.id} had already passed before the agent stopped; item settled without running it again`);
      } catch (error) {
        this.log('error', `${label}: could not settle: ${(error as Error).message}`);
      }
      return;
    }
    let result: RunResult | undefined;
    let startError: { name: string; message: string } | undefined;
    const policySeen = this.gate?.changes ?? 0;
    const heartbeat = this.heartbeat(item, label);
    try {
      result = await this.runBot({
        file: this.config.automation,
        inputs: this.inputsFor(item.payload, item.attempts, item.id),
        trigger,
        // A run must never outlive its lease, or another worker could take the same item
        // while it is still being worked: without a heartbeat (the local queue), cap it just
        // inside the lease; with one (central queues), the lease is renewed while the run goes.
        ...(heartbeat ? (this.config.maxRunMs !== undefined ? { maxRunMs: this.config.maxRunMs } : {}) : { maxRunMs: Math.min(this.config.maxRunMs ?? Infinity, Math.floor(this.config.leaseMs * 0.9)) }),
      });
    } catch (error) {
      startError = { name: (error as Error).name, message: (error as Error).message };
    } finally {
      heartbeat?.stop();
    }
    if (startError && POLICY_REFUSALS.has(startError.name)) {
      await this.holdBack(item, label, startError, policySeen);
      return;
    }
    try {
      if (result?.status === 'passed') {
        await this.queue.complete(item.id, item.leaseToken, { runId: result.runId, outputs: result.outputs });
        this.processed.done++;
        return;
      }
      if (result?.status === 'paused') {
        // The run is durably paused for a person; the agent resumes it once the review is
        // resolved. Holding the item would only expire its lease and run it a second time.
        await this.queue.complete(item.id, item.leaseToken, { runId: result.runId, pausedForReview: result.review?.id });
        this.processed.done++;
        this.log('info', `${label}: run ${result.runId} paused for review ${result.review?.id ?? '?'}; item handed over to the review`);
        return;
      }
      const error = startError ?? result?.error ?? { name: 'RunError', message: `run ${result?.status ?? 'did not start'}` };
      const kind = BUSINESS_ERRORS.has(error.name) ? 'business' : 'application';
      const settled = await this.queue.fail(item.id, item.leaseToken, { kind, error: { name: error.name, message: `${result ? `run ${result.runId}: ` : ''}${error.message}` } });
      if (kind === 'business') this.processed.failed++;
      else this.processed.retried++;
      this.log('warn', `${label}: ${kind} exception (${error.name}: ${error.message.split('\n')[0]}) → ${settled.state}`);
    } catch (error) {
      this.log('error', `${label}: could not settle: ${(error as Error).message}`);
    }
  }
}
