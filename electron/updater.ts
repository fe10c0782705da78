// Auto-update for the packaged app: electron-updater's autoUpdater, connected to the UpdateGate
// (engine/update/) so only a policy-allowed, rolled-out, newer version downloads and it installs
// only when no bot runs. Checks at start and every few hours; errors are logged, never thrown.
import { app } from 'electron';
// electron-updater is CommonJS and defines autoUpdater through a getter a named ESM import cannot see.
import electronUpdater from 'electron-updater';
import { connectUpdater, type UpdateFeed } from '../engine/update/auto-update.js';
import { UpdateGate } from '../engine/update/gate.js';

const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export interface UpdatesOptions {
  feed?: UpdateFeed;
  machineId: string;
  /** The number of bots running now; call `runFinished` on the result whenever one ends. */
  activeRuns: () => number;
  log: (message: string) => void;
  /** The device token of the audit server hosting the feed. */
  authToken?: string;
}

export interface Updates {
  gate: UpdateGate;
  /** Tell the gate a run ended (after activeRuns() has dropped): a waiting install may go ahead. */
  runFinished(runId: string): void;
  checkNow(): Promise<void>;
  stop(): void;
}

export function setupUpdates(options: UpdatesOptions): Updates {
  const gate = new UpdateGate({ activeRuns: options.activeRuns });
  const updates: Updates = { gate, runFinished: (runId) => gate.runFinished(runId), checkNow: () => Promise.resolve(), stop: () => undefined };
  if (!app.isPackaged) {
    options.log('updates: not a packaged app, no update checks');
    return updates;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const connected = connectUpdater(electronUpdater.autoUpdater, {
      ...(options.feed ? { feed: options.feed } : {}),
      ...(options.authToken ? { authToken: options.authToken } : {}),
      machineId: options.machineId,
      currentVersion: app.getVersion(),
      gate,
      log: options.log,
    });
    if (!connected.enabled) return updates;
    updates.checkNow = () => connected.check();
    void connected.check();
    timer = setInterval(() => void connected.check(), CHECK_EVERY_MS);
    timer.unref();
  } catch (error) {
    options.log(`updates: could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  updates.stop = () => clearInterval(timer);
  return updates;
}
