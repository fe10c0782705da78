// A fake of the `electron` module, enough for the main process (electron/main.ts) and
// electron-store to run under Node: the tray, its menus, IPC handlers and windows are
// recorded on globalThis.__fakeElectron for the test to read and click; utilityProcess.fork
// forks a real Node child with process.parentPort.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';

const state = { handlers: new Map(), listeners: new Map(), windows: [], tray: undefined, menus: 0, loginItem: undefined, children: [] };
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
  whenReady: () => Promise.resolve(),
  quit: () => appEvents.emit('before-quit'),
  setLoginItemSettings(settings) {
    state.loginItem = settings;
  },
};

class WebContents extends EventEmitter {
  send() {}
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return state.windows.filter((w) => !w.destroyed);
  }
  constructor(options = {}) {
    super();
    this.options = options;
    this.title = options.title ?? '';
    this.webContents = new WebContents();
    state.windows.push(this);
  }
  loadFile(file, options) {
    this.loaded = { file, options };
    return Promise.resolve();
  }
  show() {}
  focus() {}
  getBounds() {
    return { x: 0, y: 0, width: this.options.width ?? 800, height: this.options.height ?? 600 };
  }
  close() {
    this.emit('close');
    this.destroyed = true;
  }
}

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

export class Notification {
  static isSupported() {
    return false;
  }
  show() {}
}

export const session = {
  defaultSession: {
    webRequest: { onHeadersReceived() {} },
    setPermissionRequestHandler() {},
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

export const shell = { openExternal: () => Promise.resolve(), openPath: () => Promise.resolve('') };

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

export default { app, BrowserWindow, ipcMain, Menu, Notification, session, Tray, nativeImage, shell, utilityProcess };
