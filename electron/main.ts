// The Electron main process, kept thin: each setup function wires one feature. The engine
// host runs in a utility process, or is the one already running for this RPA_HOME
// (engine-process.ts); windows show the React renderer from app:// (protocol.ts); the renderer
// reaches the engine only through the validated IPC entry point (ipc.ts). Closing a window leaves the host running.
import { app, BrowserWindow, Menu, Tray, nativeImage } from 'electron';
import Store from 'electron-store';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolveHome } from '../engine/home.js';
import { loadPolicy } from '../engine/policy/policy.js';
import { readSyncConfig } from '../engine/sync/sync-client.js';
import { Pushed, type HostStatus } from '../engine/transport/messages.js';
import { Channel } from './channels.js';
import { EngineProcess } from './engine-process.js';
import { setupIpc } from './ipc.js';
import { setupNotifications } from './notifications.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { setupSecurity } from './security.js';
import { setupUpdates, type Updates } from './updater.js';
import { openWindow, type Preferences } from './windows.js';

const ICON = fileURLToPath(new URL('../../electron/tray.png', import.meta.url));

const store = new Store<Preferences>({ name: 'ui', defaults: { bounds: {}, openAtLogin: false } });
const running = new Map<string, string>();
let updates: Updates | undefined;

function broadcast(message: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(Channel.pushed, message);
}

const engine = new EngineProcess((raw) => {
  const parsed = Pushed.safeParse(raw);
  if (!parsed.success) return;
  broadcast(parsed.data);
  notify(parsed.data);
});

function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => openWindow('studio', store));
  return true;
}

const showNotification = setupNotifications({
  nameOf: async (runId) => {
    const answer = await engine.request({ method: 'runs.get', request: { runId } });
    return answer.ok ? (answer.value as { automationName: string }).automationName : 'A bot';
  },
  openTray: () => openWindow('tray', store),
});

function notify(message: Pushed): void {
  if (message.type !== 'run.event') return;
  const event = message.event;
  if (event.type === 'run.started') running.set(event.runId, event.automation.name);
  showNotification(event, running.get(event.runId));
  if (event.type === 'run.finished') {
    running.delete(event.runId);
    updates?.runFinished(event.runId);
  }
  // The menu says what runs: rebuilt when that changes, not at every step.
  if (['run.started', 'run.finished', 'run.paused', 'run.resumed'].includes(event.type)) rebuildTrayMenu();
}

let tray: Tray | undefined;

/** The engine host's real state: paused or not, what is due next, the audit sync. */
async function hostMenu(): Promise<{ paused: boolean; items: Electron.MenuItemConstructorOptions[] }> {
  const answer = await engine.request({ method: 'host.status', request: {} });
  if (!answer.ok) return { paused: false, items: [{ label: `Engine: ${answer.error.message}`, enabled: false }] };
  const host = answer.value as HostStatus;
  const items: Electron.MenuItemConstructorOptions[] = [];
  if (host.paused) items.push({ label: `Paused: ${host.paused}`, enabled: false });
  else if (host.schedulesPaused) items.push({ label: 'Schedules paused', enabled: false });
  else if (host.nextDue[0]) items.push({ label: `Next: ${host.nextDue[0].name ?? host.nextDue[0].scheduleId} at ${new Date(host.nextDue[0].at).toLocaleString()}`, enabled: false });
  else items.push({ label: host.scheduler ? 'No schedule due' : 'Scheduler not running', enabled: false });
  const sync = host.sync;
  items.push({ label: !sync.enrolled ? 'Audit sync: not enrolled' : sync.lastError ? `Audit sync: ${sync.pending} pending; last error: ${sync.lastError.split('\n')[0]}` : `Audit sync: ${sync.pending} pending`, enabled: false });
  return { paused: host.schedulesPaused, items };
}

async function botsMenu(): Promise<Electron.MenuItemConstructorOptions[]> {
  const answer = await engine.request({ method: 'automations.list', request: {} });
  if (!answer.ok) return [{ label: answer.error.message, enabled: false }];
  const bots = answer.value as Array<{ id: string; name: string; inputs: Array<{ required?: boolean; default?: unknown }> }>;
  return bots.map((bot) => ({
    label: bot.name,
    // Bots that need inputs without defaults open the panel's Run form instead.
    click: () => {
      if (bot.inputs.some((i) => i.required && i.default === undefined)) openWindow('tray', store);
      else void engine.request({ method: 'runs.start', request: { id: bot.id, inputs: {} } });
    },
  }));
}

function rebuildTrayMenu(): void {
  if (!tray) return;
  void Promise.all([botsMenu(), hostMenu()]).then(([bots, host]) => {
    tray?.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'My bots', click: () => openWindow('tray', store) },
        { label: 'Run now', submenu: bots },
        { label: running.size ? `Running: ${[...running.values()].join(', ')}` : 'Nothing running', enabled: false },
        ...host.items,
        ...(updates?.gate.pendingInstall ? [{ label: 'Update ready: installs when bots finish', enabled: false }] : []),
        {
          label: 'Pause schedules',
          type: 'checkbox',
          checked: host.paused,
          // Pauses the host's real scheduler (remembered across restarts), not each schedule.
          click: (item) => void engine.request({ method: 'host.pause', request: { paused: item.checked } }).then(() => rebuildTrayMenu()),
        },
        { label: 'Open studio', click: () => openWindow('studio', store) },
        {
          label: 'Start at login',
          type: 'checkbox',
          checked: store.get('openAtLogin'),
          click: (item) => {
            store.set('openAtLogin', item.checked);
            app.setLoginItemSettings({ openAtLogin: item.checked });
          },
        },
        { type: 'separator' },
        { label: 'Quit', role: 'quit' },
      ]),
    );
  });
}

/** Updates from the feed the machine policy names; never while a bot runs (the gate waits). */
function setupAutoUpdate(): void {
  const policy = loadPolicy();
  // A broken policy must not fall back to some other feed: no updates until IT fixes it.
  if (policy.status === 'invalid') return;
  const feed = policy.status === 'ok' ? policy.policy.updates : undefined;
  const sync = readSyncConfig(resolveHome());
  updates = setupUpdates({
    ...(feed ? { feed: { url: feed.feedUrl, channel: feed.channel, rolloutPercent: feed.rolloutPercent, enabled: feed.enabled } } : {}),
    machineId: sync?.deviceId ?? os.hostname(),
    activeRuns: () => running.size,
    log: (line) => console.log(line),
    ...(sync ? { authToken: sync.deviceToken } : {}),
  });
  updates.gate.onChange(() => rebuildTrayMenu());
}

function setupTray(): void {
  tray = new Tray(nativeImage.createFromPath(ICON));
  tray.setToolTip('RPA Studio');
  tray.on('click', () => openWindow('tray', store));
  rebuildTrayMenu();
  // The host's state changes without a push (next due, sync): refreshed now and then.
  setInterval(() => rebuildTrayMenu(), 30_000).unref();
}

// Custom schemes are registered before the app is ready, or not at all.
registerAppScheme();
if (setupSingleInstance()) {
  app.on('window-all-closed', () => undefined); // the tray keeps the app alive
  app.on('before-quit', () => engine.stop());
  await app.whenReady();
  setupSecurity();
  serveRenderer();
  void engine.start();
  setupIpc(engine);
  setupTray();
  setupAutoUpdate();
  app.setLoginItemSettings({ openAtLogin: store.get('openAtLogin') });
}
