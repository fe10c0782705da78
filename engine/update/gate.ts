// Decides whether this machine takes an offered update, and when a downloaded one may install:
// never while a bot runs. An install requested during runs waits, and happens exactly once,
// right after the last running bot finishes.
//
// Runs that start while an install is pending are NOT refused: a schedule or queue keeps
// working, the install simply waits for the next moment nothing runs. Meanwhile `pendingInstall`
// is true so the tray can say "update ready, installs when bots finish".
import { inRollout } from './rollout.js';
import { compareVersions } from './version.js';

export interface OfferedUpdate {
  version: string;
  /** The feed's own staged-rollout percentage (electron-builder's `stagingPercentage`). */
  stagingPercentage?: number;
}

export interface UpdatePolicy {
  enabled: boolean;
  /** 0–100: the share of machines that take updates from this feed. */
  rolloutPercent: number;
  machineId: string;
  currentVersion: string;
}

export interface OfferDecision {
  action: 'ignore' | 'download';
  reason: string;
}

export type GateState = 'idle' | 'pending' | 'installed';

export interface UpdateGateOptions {
  /**
   * Counts the bots running right now, when the caller already tracks them. Without it the gate
   * counts runStarted/runFinished itself. Either way, call runFinished when a run ends: that is
   * the moment a pending install may go ahead.
   */
  activeRuns?: () => number;
}

export class UpdateGate {
  private readonly counted = new Set<string>();
  private readonly external: (() => number) | undefined;
  private install: (() => void) | undefined;
  private installed = false;
  private readonly listeners = new Set<(state: GateState) => void>();

  constructor(options: UpdateGateOptions = {}) {
    this.external = options.activeRuns;
  }

  get activeRuns(): number {
    return this.external ? this.external() : this.counted.size;
  }

  /** An install was requested and waits for running bots to finish. */
  get pendingInstall(): boolean {
    return this.install !== undefined;
  }

  get state(): GateState {
    return this.installed ? 'installed' : this.pendingInstall ? 'pending' : 'idle';
  }

  /** Called with the new state whenever an install becomes pending or happens; returns an unsubscribe. */
  onChange(listener: (state: GateState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  runStarted(runId: string): void {
    this.counted.add(runId);
  }

  runFinished(runId: string): void {
    this.counted.delete(runId);
    this.installIfIdle();
  }

  offer(update: OfferedUpdate, policy: UpdatePolicy): OfferDecision {
    if (!policy.enabled) return { action: 'ignore', reason: 'updates are turned off by policy' };
    if (this.installed || this.pendingInstall) return { action: 'ignore', reason: 'an update is already downloaded and installs when no bot is running' };
    let order: number;
    try {
      order = compareVersions(update.version, policy.currentVersion);
    } catch (error) {
      return { action: 'ignore', reason: error instanceof Error ? error.message : String(error) };
    }
    if (order <= 0) return { action: 'ignore', reason: `${update.version} is not newer than the installed ${policy.currentVersion}` };
    // The feed's staging and the policy's rollout both select by the same bucket, so the
    // smaller of the two decides and a machine inside it stays inside as either grows.
    const percent = Math.min(policy.rolloutPercent, update.stagingPercentage ?? 100);
    if (!inRollout(policy.machineId, percent)) return { action: 'ignore', reason: `this machine is outside the ${percent}% rollout of ${update.version}` };
    return { action: 'download', reason: `${update.version} is newer than ${policy.currentVersion}` };
  }

  /**
   * Installs now when no bot runs, else once right after the last one finishes. A later call
   * while one is pending replaces the install to run (the newest download wins), still once.
   * Returns whether the install ran now.
   */
  installWhenIdle(install: () => void): boolean {
    if (this.installed) return false;
    this.install = install;
    if (this.installIfIdle()) return true;
    this.emit();
    return false;
  }

  private installIfIdle(): boolean {
    const install = this.install;
    if (!install || this.installed || this.activeRuns > 0) return false;
    this.install = undefined;
    this.installed = true;
    this.emit();
    install();
    return true;
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.state);
  }
}
