// A fake of the `electron` module, enough for the main process (electron/main.ts) and
// electron-store to run under Node: the tray, its menus, IPC handlers, windows, protocol
// handlers and session handlers are recorded on globalThis.__fakeElectron for the test to read
// and drive; utilityProcess.fork forks a real Node child with process.parentPort.
//
// Where Electron's behaviour matters to security it is reproduced, including its defaults:
// custom schemes can be made privileged only before `ready` and handled only after it; a page's
// <title> replaces its window's title; a file:// load never passes through webRequest (so no
// header added there reaches it); without a permission handler every permission is granted;
// without a window-open handler every window.open is allowed; a navigation nobody prevents happens.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const state = {
  handlers: new Map(),
  listeners: new Map(),
  windows: [],
  tray: undefined,
  menus: 0,
  loginItem: undefined,
  children: [],
  ready: false,
  /** protocol.registerSchemesAsPrivileged calls: { schemes, beforeReady } */
  privilegedSchemes: [],
  /** scheme → protocol.handle handler */
  protocols: new Map(),
  openedExternally: [],
  session: { permissionRequest: undefined, permissionCheck: undefined, devicePermission: undefined, headersReceived: undefined },
};
globalThis.__fakeElectron = state;
const appEvents = new EventEmitter();

export const app = {
  isPackaged: false,
  getPath: (name) => path.join(process.env.FAKE_ELECTRON_USER_DATA ?? path.join(process.cwd(), '.fake-electron'), name),
  getVersion: () => '0.0.0-test',
  getName: () => 'open-rpa-studio',
  requestSingleInstanceLock: () => true,
  on(event, listener) {
    appEvents.on(event, listener);
    return app;
  },
  once(event, listener) {
    appEvents.once(event, listener);
    return app;
  },
  emit: (event, ...args) => appEvents.emit(event, ...args),
  whenReady() {
    state.ready = true;
    return Promise.resolve();
  },
  isReady: () => state.ready,
  quit: () => appEvents.emit('before-quit'),
  setLoginItemSettings(settings) {
    state.loginItem = settings;
  },
};

/** An Electron-style event: listeners get it first, and may prevent the default action. */
function preventable(fields) {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

class WebContents extends EventEmitter {
  send() {}
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  /** The page tries to navigate the main frame: true when it would happen. */
  navigate(url) {
    const event = preventable({ url, isSameDocument: false, isMainFrame: true, frame: null });
    this.emit('will-navigate', event, url);
    return !event.defaultPrevented;
  }
  /** A subframe tries to navigate: true when it would happen. */
  navigateFrame(url) {
    const event = preventable({ url, isSameDocument: false, isMainFrame: false, frame: null });
    this.emit('will-frame-navigate', event);
    return !event.defaultPrevented;
  }
  /** A navigation is redirected by the server: true when it would go on. */
  redirect(url) {
    const event = preventable({ url, isSameDocument: false, isMainFrame: true, frame: null });
    this.emit('will-redirect', event, url);
    return !event.defaultPrevented;
  }
  /** window.open or a target=_blank link: the action Electron takes ('allow' without a handler). */
  open(url) {
    return this.windowOpenHandler ? this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } }).action : 'allow';
  }
  /** A <webview> is about to attach: true when it would. */
  attachWebview(src) {
    const event = preventable({});
    this.emit('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }
}

let nextWindowId = 1;

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return state.windows.filter((w) => !w.destroyed);
  }
  static fromId(id) {
    return state.windows.find((w) => w.id === id && !w.destroyed) ?? null;
  }
  static fromWebContents(contents) {
    return state.windows.find((w) => w.webContents === contents && !w.destroyed) ?? null;
  }
  constructor(options = {}) {
    super();
    this.id = nextWindowId++;
    this.options = options;
    this.title = options.title ?? '';
    this.webContents = new WebContents();
    state.windows.push(this);
    appEvents.emit('web-contents-created', {}, this.webContents);
  }
  /** A page loaded: its <title> becomes the window's title, as in Electron. */
  pageLoaded(html) {
    const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1];
    if (title !== undefined) this.title = title;
  }
  loadFile(file, options) {
    // file:// never passes through webRequest: no response headers at all.
    this.loaded = { url: `file://${path.resolve(file)}`, file, options, headers: {} };
    this.pageLoaded(readFileSync(file, 'utf8'));
    return Promise.resolve();
  }
  async loadURL(url) {
    this.requestedUrl = url;
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = state.protocols.get(scheme);
    if (scheme === 'file') return this.loadFile(fileURLToPath(url));
    if (!handler) throw new Error(`ERR_UNKNOWN_URL_SCHEME: ${url}`);
    const response = await handler(new Request(url));
    this.loaded = { url, status: response.status, headers: Object.fromEntries(response.headers) };
    if (response.ok) this.pageLoaded(await response.text());
  }
  isDestroyed() {
    return Boolean(this.destroyed);
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  focus() {}
  getBounds() {
    return { x: 0, y: 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }
  close() {
    this.emit('close');
    this.destroyed = true;
    this.emit('closed');
  }
}

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    if (state.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    state.privilegedSchemes.push({ schemes, beforeReady: !state.ready });
  },
  handle(scheme, handler) {
    if (!state.ready) throw new Error('protocol.handle can only be used after the app is ready');
    if (state.protocols.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    state.protocols.set(scheme, handler);
  },
  /** The answer the page gets for a URL of a handled scheme. */
  async fetch(url, init) {
    const handler = state.protocols.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`ERR_UNKNOWN_URL_SCHEME: ${url}`);
    return handler(new Request(url, init));
  },
};

export const ipcMain = {
  handle(channel, handler) {
    state.handlers.set(channel, handler);
  },
  on(channel, listener) {
    state.listeners.set(channel, listener);
  },
};

export const Menu = {
  buildFromTemplate: (template) => ({ items: template }),
};

/** Notifications shown are kept on state.notifications; `click()` on one is the person clicking it. */
export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options = {}) {
    super();
    this.options = options;
  }
  show() {
    (state.notifications ??= []).push(this);
  }
  click() {
    this.emit('click');
  }
}

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(listener) {
        state.session.headersReceived = listener;
      },
    },
    setPermissionRequestHandler(handler) {
      state.session.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      state.session.permissionCheck = handler;
    },
    setDevicePermissionHandler(handler) {
      state.session.devicePermission = handler;
    },
    /** A page asks for a permission: Electron grants it when no handler decides. */
    requestPermission(contents, permission) {
      const handler = state.session.permissionRequest;
      if (!handler) return Promise.resolve(true);
      return new Promise((resolve) => handler(contents, permission, resolve, { requestingUrl: contents?.getURL?.() ?? '' }));
    },
    checkPermission(contents, permission, origin) {
      const handler = state.session.permissionCheck;
      return handler ? handler(contents, permission, origin, {}) : true;
    },
    checkDevicePermission(details) {
      const handler = state.session.devicePermission;
      return handler ? handler(details) : true;
    },
  },
};

export class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    state.tray = this;
  }
  setToolTip(text) {
    this.toolTip = text;
  }
  setContextMenu(menu) {
    this.menu = menu;
    state.menus++;
  }
}

export const nativeImage = { createFromPath: (file) => ({ file }) };

export const shell = {
  openExternal(url) {
    state.openedExternally.push(url);
    return Promise.resolve();
  },
  openPath: () => Promise.resolve(''),
};

const PARENT_PORT = new URL('./parent-port.mjs', import.meta.url).href;

export const utilityProcess = {
  fork(modulePath, args = []) {
    const child = fork(modulePath, args, { execArgv: ['--import', PARENT_PORT], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const wrapper = new EventEmitter();
    child.on('message', (message) => wrapper.emit('message', message));
    child.on('exit', (code) => wrapper.emit('exit', code ?? 1));
    wrapper.pid = child.pid;
    wrapper.postMessage = (message) => child.send(message);
    wrapper.kill = () => child.kill('SIGTERM');
    state.children.push(wrapper);
    return wrapper;
  },
};

export default { app, BrowserWindow, ipcMain, Menu, Notification, protocol, session, Tray, nativeImage, shell, utilityProcess };
