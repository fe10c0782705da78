// The agent runs for weeks; IT may change the machine policy at any time. An invalid policy
// refuses every run, so an agent that went on leasing queue items and firing schedules would
// only burn their attempts on refusals. The watch re-reads the policy on a timer (and at once
// when a run was refused) and holds the gate shut while the policy is invalid: queue workers
// wait before leasing, the agent stops its schedules and folder triggers until it is valid again.
import type { PolicyState } from '../policy/policy.js';
import type { AgentLog } from './agent.js';

export const POLICY_CHECK_MS = 2_000;

/** Whether work may start now; opened and shut by the policy watch. */
export class WorkGate {
  private shut = false;
  private generation = 0;
  private waiters = new Set<() => void>();

  get open(): boolean {
    return !this.shut;
  }

  /** Counts policy changes: a worker refused by the policy waits for the next one. */
  get changes(): number {
    return this.generation;
  }

  /** Called by the watch on every change of the policy (open: whether work may run). */
  set(open: boolean): void {
    this.shut = !open;
    this.generation++;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves when the gate is open (at once if it is); rejects when `signal` aborts. */
  async whenOpen(signal: AbortSignal): Promise<void> {
    while (this.shut) await this.nextChange(signal);
  }

  /** Resolves at the next policy change after `seen` (a value of `changes`), or when `signal` aborts. */
  async changedSince(seen: number, signal: AbortSignal): Promise<void> {
    while (this.generation === seen && !signal.aborted) await this.nextChange(signal).catch(() => undefined);
  }

  private nextChange(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.delete(wake);
        reject(signal.reason as Error);
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export interface PolicyWatchOptions {
  read: () => PolicyState;
  gate: WorkGate;
  log: AgentLog;
  /** Told when the policy turns invalid (false) or valid again (true). */
  onValidChange: (valid: boolean, state: PolicyState) => void;
  intervalMs?: number;
}

/** What identifies one version of the policy: its status and its file time or its problem. */
function fingerprint(state: PolicyState): string {
  if (state.status === 'ok') return `ok:${state.modifiedAt}:${JSON.stringify(state.policy)}`;
  if (state.status === 'invalid') return `invalid:${state.error.message}`;
  return 'none';
}

export class PolicyWatch {
  private timer: NodeJS.Timeout | undefined;
  private last: string;
  private valid: boolean;

  constructor(
    private readonly options: PolicyWatchOptions,
    initial: PolicyState,
  ) {
    this.last = fingerprint(initial);
    this.valid = initial.status !== 'invalid';
    options.gate.set(this.valid);
  }

  get isValid(): boolean {
    return this.valid;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? POLICY_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the policy now; acts only when it changed. */
  check(): void {
    let state: PolicyState;
    try {
      state = this.options.read();
    } catch (error) {
      this.options.log('error', `could not read the machine policy: ${(error as Error).message}`);
      return;
    }
    const print = fingerprint(state);
    if (print === this.last) return;
    this.last = print;
    const valid = state.status !== 'invalid';
    const changed = valid !== this.valid;
    this.valid = valid;
    if (state.status === 'invalid') this.options.log('error', `${state.error.message}; all work is paused (nothing leased, no attempt used) until the policy is valid again`);
    else if (changed) this.options.log('info', `machine policy ${state.status === 'ok' ? `${state.file} is valid again` : 'removed'}: work resumes`);
    else this.options.log('info', `machine policy ${state.file} changed`);
    this.options.gate.set(valid);
    if (changed) this.options.onValidChange(valid, state);
  }
}
