// The Electron shell's security, by behaviour: the compiled main process (dist/electron/main.js)
// runs in this process under the fake `electron` module (test/helpers/fake-electron, which
// reproduces Electron's defaults where they matter: a page's <title> renames its window,
// file:// loads get no headers, no handler means every permission and window.open is granted).
// The engine host it starts is real. What a page can reach, load, open or ask for is tried here
// the way a hostile page or a careless link would.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/env.js';

const FAKE = path.join(REPO_ROOT, 'test', 'helpers', 'fake-electron');
const DIST_ELECTRON = path.join(REPO_ROOT, 'dist', 'electron');
const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer');

interface FakeContents {
  navigate(url: string): boolean;
  navigateFrame(url: string): boolean;
  redirect(url: string): boolean;
  open(url: string): string;
  attachWebview(src: string): boolean;
}
interface FakeWindow {
  id: number;
  title: string;
  options: { webPreferences?: Record<string, unknown> };
  loaded?: { url: string; status?: number; headers: Record<string, string> };
  webContents: FakeContents;
  destroyed?: boolean;
  close(): void;
  pageLoaded(html: string): void;
}
interface FakeChild {
  pid: number;
  exited?: boolean;
  once(event: 'exit', listener: () => void): void;
}
interface FakeElectron {
  ready: boolean;
  windows: FakeWindow[];
  tray: { emit(event: string): void };
  handlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  privilegedSchemes: Array<{ schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>; beforeReady: boolean }>;
  protocols: Map<string, (request: Request) => Promise<Response>>;
  openedExternally: string[];
  children: FakeChild[];
}
interface FakeModule {
  app: { quit(): void };
  session: {
    defaultSession: {
      requestPermission(contents: unknown, permission: string): Promise<boolean>;
      checkPermission(contents: unknown, permission: string, origin: string): boolean;
      checkDevicePermission(details: unknown): boolean;
    };
  };
  protocol: { fetch(url: string, init?: RequestInit): Promise<Response> };
}

const home = mkdtempSync(path.join(os.tmpdir(), 'rpa-electron-security-'));
let fake: FakeElectron;
let electron: FakeModule;

const until = async <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

const openWindows = (): FakeWindow[] => fake.windows.filter((w) => !w.destroyed);

/** The CSP directives of a header value, name → sources. */
function directives(csp: string | null | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

/** A CSP under which no injected script runs and the page reaches nothing outside its origin. */
function assertStrictCsp(csp: string | null | undefined, where: string): void {
  const d = directives(csp);
  assert.ok(d.size > 0, `${where}: a Content-Security-Policy header`);
  assert.deepEqual(d.get('default-src'), ["'none'"], `${where}: default-src 'none'`);
  assert.deepEqual(d.get('script-src'), ["'self'"], `${where}: scripts from our own origin only (no inline, no eval)`);
  assert.deepEqual(d.get('object-src'), ["'none'"], `${where}: object-src`);
  assert.deepEqual(d.get('base-uri'), ["'none'"], `${where}: base-uri`);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${where}: frame-ancestors`);
  assert.deepEqual(d.get('form-action'), ["'none'"], `${where}: form-action`);
  assert.deepEqual(d.get('connect-src'), ["'self'"], `${where}: connect-src`);
  for (const [name, sources] of d) {
    for (const source of sources) assert.doesNotMatch(source, /^(\*|https?:|wss?:|file:|'unsafe-eval'|'wasm-unsafe-eval')$/, `${where}: ${name} ${source}`);
  }
}

describe('the Electron shell (fake electron module, real main process and engine host)', { timeout: 300_000 }, () => {
  before(async () => {
    process.env['RPA_HOME'] = home;
    process.env['FAKE_ELECTRON_USER_DATA'] = path.join(home, 'electron-user-data');
    register(pathToFileURL(path.join(FAKE, 'hooks.mjs')).href);
    await import(pathToFileURL(path.join(DIST_ELECTRON, 'main.js')).href);
    fake = (globalThis as unknown as { __fakeElectron: FakeElectron }).__fakeElectron;
    // The fake the main process got, through the same hooks.
    const specifier: string = 'electron';
    electron = (await import(specifier)) as FakeModule;
  });

  after(async () => {
    if (fake) {
      const exits = fake.children.map((child) => new Promise<void>((resolve) => (child.exited ? resolve() : child.once('exit', () => resolve()))));
      electron.app.quit();
      // The host stops gracefully on SIGTERM; a hung one is killed.
      await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
      for (const child of fake.children) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('registers app:// as a standard, secure scheme before the app is ready, and serves it after', () => {
    const app = fake.privilegedSchemes.flatMap((call) => call.schemes.map((scheme) => ({ ...scheme, beforeReady: call.beforeReady }))).find((s) => s.scheme === 'app');
    assert.ok(app, 'app:// is registered as privileged');
    assert.equal(app.beforeReady, true);
    assert.equal(app.privileges['standard'], true);
    assert.equal(app.privileges['secure'], true);
    assert.ok(!app.privileges['bypassCSP'], 'the scheme does not bypass CSP');
    assert.ok(fake.protocols.has('app'), 'protocol.handle("app", …) after ready');
  });

  it('opens windows on app://renderer, never file://, and every answer there carries the strict CSP', async () => {
    fake.tray.emit('click');
    const window = await until('the tray window loaded', () => openWindows()[0]?.loaded && openWindows()[0]);
    assert.match(window.loaded!.url, /^app:\/\/renderer\/index\.html#\/tray$/);
    assert.equal(window.loaded!.status, 200);
    assertStrictCsp(window.loaded!.headers['content-security-policy'], 'the window’s page');

    const html = await (await electron.protocol.fetch('app://renderer/index.html')).text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), `the page names its script and style: ${assets.join(', ')}`);
    for (const url of ['app://renderer/', 'app://renderer/index.html', ...assets.map((a) => `app://renderer/${a}`)]) {
      const response = await electron.protocol.fetch(url);
      assert.equal(response.status, 200, url);
      assertStrictCsp(response.headers.get('content-security-policy'), url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
    }
    const script = await electron.protocol.fetch(`app://renderer/${assets.find((a) => a.endsWith('.js'))!}`);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    // Errors carry it too.
    for (const url of ['app://renderer/missing.js', 'app://other-host/index.html', 'app://renderer/%2e%2e/package.json']) {
      const response = await electron.protocol.fetch(url);
      assert.ok(response.status >= 400, url);
      assertStrictCsp(response.headers.get('content-security-policy'), url);
    }
    assert.equal((await electron.protocol.fetch('app://renderer/index.html', { method: 'POST', body: 'x' })).status, 405);
  });

  it('refuses every path that leaves the renderer folder', async () => {
    const secret = readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
    const spellings = [
      '../package.json',
      '../../package.json',
      '%2e%2e/%2e%2e/package.json',
      '%2E%2E/%2E%2E/package.json',
      '..%2f..%2fpackage.json',
      '..%2F..%2Fpackage.json',
      '..%5c..%5cpackage.json',
      '..\\..\\package.json',
      '.%2e/.%2e/package.json',
      '%252e%252e/%252e%252e/package.json',
      'assets/../../../package.json',
      'assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      `${encodeURIComponent(path.join(REPO_ROOT, 'package.json'))}`,
      `/${path.join(REPO_ROOT, 'package.json')}`,
      'index.html%00.js',
      '%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
    ];
    for (const spelling of spellings) {
      const response = await electron.protocol.fetch(`app://renderer/${spelling}`);
      const body = await response.text();
      assert.ok(!body.includes('"name": "open-rpa-studio"') && body !== secret, `${spelling}: leaked a file outside the renderer`);
      assert.ok(response.status === 200 ? body.startsWith('<!doctype html>') : response.status >= 400, `${spelling}: ${response.status}`);
    }
    // A symbolic link inside the served folder that points outside it.
    const { rendererResponse } = (await import(pathToFileURL(path.join(DIST_ELECTRON, 'protocol.js')).href)) as { rendererResponse: (request: Request, root: string) => Promise<Response> };
    const root = path.join(home, 'renderer-root');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(home, 'outside.txt'), 'outside the root');
    symlinkSync(path.join(home, 'outside.txt'), path.join(root, 'assets', 'link.txt'));
    symlinkSync(home, path.join(root, 'up'));
    for (const url of ['app://renderer/assets/link.txt', 'app://renderer/up/outside.txt']) {
      const response = await rendererResponse(new Request(url), root);
      assert.equal(response.status, 403, url);
      assert.doesNotMatch(await response.text(), /outside the root/);
    }
    assert.equal((await rendererResponse(new Request('app://renderer/index.html'), root)).status, 200);
    assert.equal((await rendererResponse(new Request('app://renderer/assets'), root)).status, 404, 'a folder is not a file');
  });

  it('keeps one window per kind by id: tray clicks reuse it though the page renamed it; a closed one is opened anew', async () => {
    for (const window of openWindows()) window.close();
    fake.tray.emit('click');
    const first = await until('the tray window', () => openWindows()[0]?.loaded && openWindows()[0]);
    assert.equal(first.title, 'RPA Studio', 'the page’s <title> renamed the window, as in Electron');
    first.pageLoaded('<title>Runs · RPA Studio</title>'); // the page changes its title later
    fake.tray.emit('click');
    fake.tray.emit('click');
    assert.equal(openWindows().length, 1, 'tray clicks show the existing window');
    first.close();
    fake.tray.emit('click');
    await until('a new tray window', () => openWindows().length === 1 && openWindows()[0]!.id !== first.id);
    first.close();
  });

  it('locks down every window’s webPreferences', () => {
    assert.ok(fake.windows.length > 0);
    for (const window of fake.windows) {
      const prefs = window.options.webPreferences ?? {};
      assert.equal(prefs['contextIsolation'], true);
      assert.equal(prefs['sandbox'], true);
      assert.equal(prefs['nodeIntegration'], false);
      assert.notEqual(prefs['webSecurity'], false);
      for (const risky of ['allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames']) assert.ok(!prefs[risky], risky);
      assert.ok(!('enableBlinkFeatures' in prefs));
      assert.equal(prefs['disableBlinkFeatures'], 'Auxclick', 'middle clicks open no windows');
      assert.match(String(prefs['preload']), /preload\.cjs$/);
    }
  });

  it('refuses navigation, redirects, subframes, webviews and new windows away from our pages; https links open in the system browser', () => {
    fake.tray.emit('click');
    const contents = openWindows()[0]!.webContents;
    for (const url of ['https://attacker.example/', 'http://127.0.0.1:4780/', 'file:///etc/passwd', `file://${RENDERER_DIR}/index.html`, 'app://other/index.html', 'app://renderer.attacker.example/', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'not a url']) {
      assert.equal(contents.navigate(url), false, `navigate to ${url}`);
      assert.equal(contents.redirect(url), false, `redirect to ${url}`);
      assert.equal(contents.navigateFrame(url), false, `a frame to ${url}`);
    }
    assert.equal(contents.navigate('app://renderer/index.html#/studio'), true, 'our own page');
    assert.equal(contents.attachWebview('https://attacker.example/'), false, 'no <webview>');

    fake.openedExternally.length = 0;
    for (const url of ['https://docs.example.org/help', 'http://insecure.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://renderer/index.html', 'smb://share/x', 'https://user:pass@example.org/']) {
      assert.equal(contents.open(url), 'deny', `window.open(${url}) opens nothing inside the app`);
    }
    assert.deepEqual(fake.openedExternally, ['https://docs.example.org/help'], 'only the plain https link went to the system browser');
  });

  it('denies every permission request and check', async () => {
    const contents = openWindows()[0]?.webContents;
    const ses = electron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'pointerLock', 'hid', 'serial', 'usb', 'midiSysex', 'display-capture', 'fileSystem', 'unknown']) {
      assert.equal(await ses.requestPermission(contents, permission), false, `request ${permission}`);
      assert.equal(ses.checkPermission(contents, permission, 'app://renderer'), false, `check ${permission}`);
    }
    assert.equal(ses.checkDevicePermission({ deviceType: 'usb', origin: 'app://renderer' }), false, 'devices');
  });

  it('answers IPC only from the top frame of our app:// page', { timeout: 120_000 }, async () => {
    const call = fake.handlers.get('rpa:call')!;
    const artifact = fake.handlers.get('rpa:artifact')!;
    const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
    const refused = [
      frame('https://attacker.example/'),
      frame(`file://${RENDERER_DIR}/index.html#/tray`), // the old trusted page: any file on disk shares its origin
      frame('app://renderer/index.html', { url: 'app://renderer/index.html' }), // a subframe
      frame('app://other/index.html'),
      frame('app://renderer:8080/index.html'),
      frame('app://user@renderer/index.html'),
      frame('not a url'),
      { senderFrame: null },
      {},
    ];
    for (const event of refused) {
      const answer = (await call(event, 'host.status', {})) as { ok: boolean; error?: { name: string } };
      assert.deepEqual([answer.ok, answer.error?.name], [false, 'ForbiddenError'], JSON.stringify(event));
      await assert.rejects(artifact(event, 'run', 'x.png'), /refused/, JSON.stringify(event));
    }
    const ours = frame('app://renderer/index.html#/tray');
    const unknown = (await call(ours, 'constructor', {})) as { ok: boolean; error?: { name: string } };
    assert.deepEqual([unknown.ok, unknown.error?.name], [false, 'RequestInvalidError']);
    const status = await until('the engine host answering our page', async () => {
      const answer = (await call(ours, 'host.status', {})) as { ok: boolean; value?: { pid: number } };
      return answer.ok && answer.value;
    });
    assert.equal(status.pid, fake.children[0]?.pid, 'our page reaches the engine host');
  });

  it('the preload bridge exposes only window.rpa, built on invoke, and never hands the page an IPC event', () => {
    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: unknown[][] = [];
    const listeners = new Map<string, (event: unknown, message: unknown) => void>();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve(undefined);
        },
        on: (channel: string, listener: (event: unknown, message: unknown) => void) => listeners.set(channel, listener),
        removeListener: (channel: string) => listeners.delete(channel),
        send: () => assert.fail('send is not used'),
        sendSync: () => assert.fail('sendSync is not used'),
      },
    };
    // A sandboxed preload: only `require('electron')`.
    const module = { exports: {} };
    const context = vm.createContext({ module, exports: module.exports, require: (name: string) => (name === 'electron' ? fakeElectron : assert.fail(`preload requires ${name}`)) });
    vm.runInContext(readFileSync(path.join(DIST_ELECTRON, 'preload.cjs'), 'utf8'), context);
    assert.deepEqual([...exposed.keys()], ['rpa']);
    const api = exposed.get('rpa')!;
    assert.deepEqual(Object.keys(api).sort(), ['artifact', 'call', 'onPushed']);
    void (api['call'] as (m: string, r: unknown) => Promise<unknown>)('host.status', {});
    void (api['artifact'] as (r: string, n: string) => Promise<unknown>)('run', 'x.png');
    assert.deepEqual(invoked, [['rpa:call', 'host.status', {}], ['rpa:artifact', 'run', 'x.png']]);
    const received: unknown[][] = [];
    const stop = (api['onPushed'] as (l: (...args: unknown[]) => void) => () => void)((...args) => received.push(args));
    listeners.get('rpa:pushed')!({ sender: 'the IPC event' }, { type: 'hello' });
    assert.deepEqual(received, [[{ type: 'hello' }]], 'the listener gets the message only');
    stop();
    assert.ok(!listeners.has('rpa:pushed'), 'unsubscribed');
  });
});
