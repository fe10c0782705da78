// Connects an updater (electron-updater's autoUpdater in the app; a fake in tests) to the
// UpdateGate: the feed comes from policy, nothing downloads or installs on its own, the gate
// decides what to download and installs only when no bot runs. Failures are logged, never thrown:
// a broken feed must not take the tray down.
//
// The updater is described structurally so this file needs no electron import.
import type { OutgoingHttpHeaders } from 'node:http';
import type { UpdateGate } from './gate.js';

export interface UpdateInfoLike {
  version: string;
  stagingPercentage?: number;
}

/** The part of electron-updater's AppUpdater we use. */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  requestHeaders: OutgoingHttpHeaders | null;
  isUserWithinRollout(info: UpdateInfoLike): boolean | Promise<boolean>;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-available', listener: (info: UpdateInfoLike) => void): unknown;
  on(event: 'update-downloaded', listener: (info: UpdateInfoLike) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateFeed {
  url: string;
  channel?: string;
  rolloutPercent: number;
  enabled: boolean;
}

export interface AutoUpdateOptions {
  /** From the machine policy; without one the feed built into the installer (app-update.yml) is used, fully rolled out. */
  feed?: UpdateFeed;
  machineId: string;
  currentVersion: string;
  gate: UpdateGate;
  log: (message: string) => void;
  /** Sent as `Authorization: Bearer …` (the audit server's update feed requires a device token). */
  authToken?: string;
}

export interface AutoUpdate {
  /** Asks the feed for a newer version; resolves when the check (not the download) is done. */
  check(): Promise<void>;
  readonly enabled: boolean;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function connectUpdater(updater: UpdaterPort, options: AutoUpdateOptions): AutoUpdate {
  const { feed, gate, log } = options;
  if (feed && !feed.enabled) {
    log('updates: turned off by policy');
    return { enabled: false, check: () => Promise.resolve() };
  }
  updater.autoDownload = false; // the gate decides what to download
  updater.autoInstallOnAppQuit = false; // and when to install: never mid-run
  // electron-updater would apply the feed's stagingPercentage with its own random id; the gate
  // applies it (and the policy's rollout) with the machine id instead, so it is stable and auditable.
  updater.isUserWithinRollout = () => true;
  if (feed) updater.setFeedURL({ provider: 'generic', url: feed.url, ...(feed.channel ? { channel: feed.channel } : {}) });
  if (options.authToken) updater.requestHeaders = { ...updater.requestHeaders, Authorization: `Bearer ${options.authToken}` };

  const policy = { enabled: true, rolloutPercent: feed?.rolloutPercent ?? 100, machineId: options.machineId, currentVersion: options.currentVersion };

  updater.on('update-available', (info) => {
    const decision = gate.offer({ version: info.version, ...(info.stagingPercentage === undefined ? {} : { stagingPercentage: info.stagingPercentage }) }, policy);
    log(`updates: ${info.version} available: ${decision.action} (${decision.reason})`);
    if (decision.action !== 'download') return;
    updater.downloadUpdate().catch((error: unknown) => log(`updates: download of ${info.version} failed: ${message(error)}`));
  });
  updater.on('update-downloaded', (info) => {
    const now = gate.installWhenIdle(() => {
      log(`updates: installing ${info.version}`);
      try {
        updater.quitAndInstall();
      } catch (error) {
        log(`updates: install of ${info.version} failed: ${message(error)}`);
      }
    });
    if (!now) log(`updates: ${info.version} downloaded; installs when the ${gate.activeRuns} running bot(s) finish`);
  });
  updater.on('error', (error) => log(`updates: ${message(error)}`));

  return {
    enabled: true,
    check: async () => {
      if (gate.state !== 'idle') return; // one is downloaded already; do not fetch another mid-wait
      try {
        await updater.checkForUpdates();
      } catch (error) {
        log(`updates: check failed: ${message(error)}`);
      }
    },
  };
}
