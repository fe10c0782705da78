// The app's windows: the tray panel (small, near the tray) and the studio. Every window is
// locked down: context isolation, sandbox, no Node integration; navigation and new windows are
// guarded for every web contents in security.ts. Windows are kept by id, one per kind: the page's
// <title> replaces a window's title, so a title cannot say which window is which. Bounds are
// remembered in electron-store.
import { BrowserWindow } from 'electron';
import type Store from 'electron-store';
import { fileURLToPath } from 'node:url';
import { rendererUrl } from './protocol.js';

const PRELOAD = fileURLToPath(new URL('./preload.cjs', import.meta.url));

export type WindowKind = 'tray' | 'studio';

export interface Preferences {
  bounds: Partial<Record<WindowKind, { x: number; y: number; width: number; height: number }>>;
  openAtLogin: boolean;
}

/** The id of the open window of each kind. */
const windowIds = new Map<WindowKind, number>();

/** The open window of this kind, if any. */
export function findWindow(kind: WindowKind): BrowserWindow | undefined {
  const id = windowIds.get(kind);
  const window = id === undefined ? null : BrowserWindow.fromId(id);
  if (window && !window.isDestroyed()) return window;
  windowIds.delete(kind);
  return undefined;
}

/** Shows the window of this kind, opening it when there is none. */
export function openWindow(kind: WindowKind, store: Store<Preferences>): BrowserWindow {
  const existing = findWindow(kind);
  if (existing) {
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
    return existing;
  }
  const saved = store.get('bounds')[kind];
  const window = new BrowserWindow({
    title: 'RPA Studio',
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
      // A middle click would open a link in a new window; the window-open handler denies it anyway.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const id = window.id;
  windowIds.set(kind, id);
  window.once('ready-to-show', () => window.show());
  window.on('close', () => store.set('bounds', { ...store.get('bounds'), [kind]: window.getBounds() }));
  window.on('closed', () => {
    if (windowIds.get(kind) === id) windowIds.delete(kind);
  });
  void window.loadURL(rendererUrl(kind));
  return window;
}
