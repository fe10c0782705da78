import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BrowserNotFoundError } from '../errors.js';
import { browserCandidates, findBrowser } from './browser-finder.js';

const only =
  (...present: string[]) =>
  (file: string): boolean =>
    present.includes(file);

function browserNotFound(message: string, details: Record<string, unknown>): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof BrowserNotFoundError, `expected BrowserNotFoundError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.deepEqual(error.details, details);
    return true;
  };
}

describe('findBrowser', () => {
  it('prefers RPA_BROWSER over the configured path and the usual places', () => {
    const found = findBrowser({ env: { RPA_BROWSER: '/opt/chrome/chrome' }, configured: '/opt/edge/msedge', platform: 'linux', exists: only('/opt/chrome/chrome', '/opt/edge/msedge', '/usr/bin/chromium') });
    assert.equal(found, '/opt/chrome/chrome');
  });

  it('uses the configured path when RPA_BROWSER is not set or empty', () => {
    const exists = only('/opt/edge/msedge', '/usr/bin/chromium');
    assert.equal(findBrowser({ env: {}, configured: '/opt/edge/msedge', platform: 'linux', exists }), '/opt/edge/msedge');
    assert.equal(findBrowser({ env: { RPA_BROWSER: '' }, configured: '/opt/edge/msedge', platform: 'linux', exists }), '/opt/edge/msedge');
  });

  it('fails on a missing RPA_BROWSER instead of falling back', () => {
    assert.throws(
      () => findBrowser({ env: { RPA_BROWSER: '/nope/chrome' }, configured: '/opt/edge/msedge', platform: 'linux', exists: only('/opt/edge/msedge', '/usr/bin/chromium') }),
      browserNotFound('browser /nope/chrome (from RPA_BROWSER) does not exist or is not executable', { path: '/nope/chrome' }),
    );
  });

  it('fails on a missing configured path, naming it and where it came from', () => {
    assert.throws(
      () => findBrowser({ env: {}, configured: '/opt/gone/chrome', platform: 'linux', exists: only('/usr/bin/chromium') }),
      browserNotFound('browser /opt/gone/chrome (from settings.json browser.executablePath) does not exist or is not executable', { path: '/opt/gone/chrome' }),
    );
  });

  it('takes the first usual install location that exists', () => {
    assert.equal(findBrowser({ env: {}, platform: 'linux', exists: only('/snap/bin/chromium', '/usr/bin/google-chrome') }), '/usr/bin/google-chrome');
    assert.equal(
      findBrowser({ env: {}, platform: 'darwin', exists: only('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge') }),
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    );
  });

  it('says where it looked and how to fix it when nothing is found', () => {
    const looked = browserCandidates('linux', {});
    assert.throws(
      () => findBrowser({ env: {}, platform: 'linux', exists: () => false }),
      browserNotFound(
        `no Chrome, Edge or Chromium found (looked in: ${looked.join(', ')}). Install one (Debian: apt-get install chromium) or set RPA_BROWSER to its path.`,
        { looked },
      ),
    );
    assert.ok(looked.includes('/usr/bin/chromium') && looked.includes('/usr/bin/google-chrome'));
  });

  // Real file checks: an executable file counts, a plain file does not.
  describe('without an injected exists', { skip: process.platform === 'win32' }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-browser-finder-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('accepts an executable file and refuses one that is not executable', () => {
      const executable = path.join(dir, 'chrome');
      writeFileSync(executable, '#!/bin/sh\n');
      chmodSync(executable, 0o755);
      assert.equal(findBrowser({ env: { RPA_BROWSER: executable } }), executable);
      const plain = path.join(dir, 'not-executable');
      writeFileSync(plain, '');
      chmodSync(plain, 0o644);
      assert.throws(() => findBrowser({ env: { RPA_BROWSER: plain } }), BrowserNotFoundError);
    });
  });
});

describe('browserCandidates', () => {
  it('looks under Program Files and LocalAppData on Windows', () => {
    const candidates = browserCandidates('win32', { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\dana\\AppData\\Local' });
    assert.deepEqual(candidates, [
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Program Files\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\dana\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\dana\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\dana\\AppData\\Local\\Chromium\\Application\\chrome.exe',
    ]);
  });

  it('knows the macOS application bundles', () => {
    assert.deepEqual(browserCandidates('darwin', {}), [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
    ]);
  });
});
