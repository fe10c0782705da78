// The app's windows: the tray panel (small, near the tray) and the studio. Every window is
// locked down: context isolation, sandbox, no Node integration, no navigation away, no new
// windows; window bounds are remembered in electron-store.
import { BrowserWindow, shell } from 'electron';
import type Store from 'electron-store';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const RENDERER_INDEX = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));

export interface Preferences {
  bounds: Partial<Record<'tray' | 'studio', { x: number; y: number; width: number; height: number }>>;
  openAtLogin: boolean;
}

/** True when an IPC message comes from our own renderer page in one of our windows. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  const url = new URL(frameUrl);
  return url.protocol === 'file:' && url.pathname === pathToFileURL(RENDERER_INDEX).pathname;
}

export function openWindow(kind: 'tray' | 'studio', store: Store<Preferences>): BrowserWindow {
  const existing = BrowserWindow.getAllWindows().find((w) => w.title === kind);
  if (existing) {
    existing.show();
    existing.focus();
    return existing;
  }
  const saved = store.get('bounds')[kind];
  const window = new BrowserWindow({
    title: kind,
    width: saved?.width ?? (kind === 'tray' ? 420 : 1280),
    height: saved?.height ?? (kind === 'tray' ? 640 : 820),
    ...(saved ? { x: saved.x, y: saved.y } : {}),
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('close', () => store.set('bounds', { ...store.get('bounds'), [kind]: window.getBounds() }));
  // The UI never navigates: links to elsewhere open in the system browser, nothing opens inside.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedSender(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadFile(RENDERER_INDEX, { hash: kind === 'tray' ? '/tray' : '/studio' });
  return window;
}
