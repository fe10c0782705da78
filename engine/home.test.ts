import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RpaError } from './errors.js';
import { defaultHomeDir, readSettings, resolveHome } from './home.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-home-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshHome = () => resolveHome({ RPA_HOME: path.join(dir, `home-${++counter}`) });

describe('defaultHomeDir', () => {
  it('uses XDG_DATA_HOME on Linux, else ~/.local/share', () => {
    assert.equal(defaultHomeDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux'), path.join('/data/xdg', 'rpa-studio'));
    assert.equal(defaultHomeDir({}, 'linux'), path.join(os.homedir(), '.local', 'share', 'rpa-studio'));
    assert.equal(defaultHomeDir({ XDG_DATA_HOME: '' }, 'linux'), path.join(os.homedir(), '.local', 'share', 'rpa-studio'));
  });

  it('uses APPDATA on Windows, else the roaming folder of the user', () => {
    assert.equal(defaultHomeDir({ APPDATA: 'C:/Users/dana/AppData/Roaming' }, 'win32'), path.join('C:/Users/dana/AppData/Roaming', 'RPA Studio'));
    assert.equal(defaultHomeDir({}, 'win32'), path.join(os.homedir(), 'AppData', 'Roaming', 'RPA Studio'));
  });

  it('uses Application Support on macOS', () => {
    assert.equal(defaultHomeDir({ XDG_DATA_HOME: '/ignored' }, 'darwin'), path.join(os.homedir(), 'Library', 'Application Support', 'RPA Studio'));
  });
});

describe('resolveHome', () => {
  it('uses RPA_HOME, creates it and names the files inside', () => {
    const wanted = path.join(dir, 'custom', 'nested');
    const home = resolveHome({ RPA_HOME: wanted, XDG_DATA_HOME: path.join(dir, 'not-this') });
    assert.deepEqual(home, {
      dir: wanted,
      storeFile: path.join(wanted, 'runs.db'),
      artifactsDir: path.join(wanted, 'artifacts'),
      settingsFile: path.join(wanted, 'settings.json'),
    });
    assert.ok(existsSync(wanted));
    assert.ok(!existsSync(path.join(dir, 'not-this')));
  });

  it('resolves a relative RPA_HOME against the current folder', () => {
    const wanted = path.join(dir, 'relative-home');
    const home = resolveHome({ RPA_HOME: path.relative(process.cwd(), wanted) });
    assert.equal(home.dir, wanted);
    assert.ok(existsSync(wanted));
  });

  // Only on Linux: elsewhere the default is in the real user folder.
  it('falls back to the platform default when RPA_HOME is empty', { skip: process.platform !== 'linux' }, () => {
    const xdg = path.join(dir, 'xdg');
    const home = resolveHome({ RPA_HOME: '', XDG_DATA_HOME: xdg });
    assert.equal(home.dir, path.join(xdg, 'rpa-studio'));
    assert.ok(existsSync(home.dir));
  });
});

describe('readSettings', () => {
  it('returns no settings when the file does not exist', () => {
    assert.deepEqual(readSettings(freshHome()), {});
  });

  it('reads valid settings', () => {
    const home = freshHome();
    writeFileSync(home.settingsFile, JSON.stringify({ browser: { executablePath: '/usr/bin/chromium', headless: false } }));
    assert.deepEqual(readSettings(home), { browser: { executablePath: '/usr/bin/chromium', headless: false } });
  });

  it('says the JSON is invalid and how to fix it', () => {
    const home = freshHome();
    writeFileSync(home.settingsFile, '{ "browser": ');
    assert.throws(
      () => readSettings(home),
      (error: unknown) => {
        assert.ok(error instanceof RpaError);
        assert.ok(error.message.startsWith(`${home.settingsFile}: invalid JSON (`), error.message);
        assert.ok(error.message.endsWith('); fix or delete the file'), error.message);
        return true;
      },
    );
  });

  it('names the field with the wrong type', () => {
    const home = freshHome();
    writeFileSync(home.settingsFile, JSON.stringify({ browser: { headless: 'yes' } }));
    assert.throws(
      () => readSettings(home),
      (error: unknown) => {
        assert.ok(error instanceof RpaError);
        assert.ok(error.message.startsWith(`${home.settingsFile}: browser.headless: `), error.message);
        assert.match(error.message, /boolean/);
        return true;
      },
    );
  });

  it('refuses a browser start-up limit below one second', () => {
    const home = freshHome();
    writeFileSync(home.settingsFile, JSON.stringify({ browser: { launchTimeoutMs: 500 } }));
    assert.throws(() => readSettings(home), (error: unknown) => error instanceof RpaError && error.message.startsWith(`${home.settingsFile}: browser.launchTimeoutMs: `));
    writeFileSync(home.settingsFile, JSON.stringify({ browser: { launchTimeoutMs: 90_000 } }));
    assert.equal(readSettings(home).browser?.launchTimeoutMs, 90_000);
  });

  it('refuses unknown settings at the root', () => {
    const home = freshHome();
    writeFileSync(home.settingsFile, JSON.stringify({ colour: 'blue' }));
    assert.throws(
      () => readSettings(home),
      (error: unknown) => {
        assert.ok(error instanceof RpaError);
        assert.ok(error.message.startsWith(`${home.settingsFile}: (root): `), error.message);
        assert.match(error.message, /"colour"/);
        return true;
      },
    );
  });
});
