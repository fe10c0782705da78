// connectUpdater against a fake of electron-updater's autoUpdater: feed and headers from policy,
// no automatic download or install, downloads only what the gate accepts, installs only when idle,
// and failures are logged rather than thrown.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { connectUpdater, type AutoUpdateOptions, type UpdateInfoLike, type UpdaterPort } from './auto-update.js';
import { UpdateGate } from './gate.js';
import { rolloutBucket } from './rollout.js';

class FakeUpdater extends EventEmitter implements UpdaterPort {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  requestHeaders: OutgoingHttpHeaders | null = null;
  feeds: Array<{ provider: 'generic'; url: string; channel?: string }> = [];
  checks = 0;
  downloads = 0;
  installs = 0;
  failCheck = false;
  failDownload = false;
  isUserWithinRollout(_info: UpdateInfoLike): boolean | Promise<boolean> {
    return false;
  }
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void {
    this.feeds.push(options);
  }
  checkForUpdates(): Promise<unknown> {
    this.checks++;
    return this.failCheck ? Promise.reject(new Error('getaddrinfo ENOTFOUND feed.example')) : Promise.resolve(null);
  }
  downloadUpdate(): Promise<unknown> {
    this.downloads++;
    return this.failDownload ? Promise.reject(new Error('sha512 checksum mismatch')) : Promise.resolve([]);
  }
  quitAndInstall(): void {
    this.installs++;
  }
}

function setup(over: Partial<AutoUpdateOptions> = {}) {
  const updater = new FakeUpdater();
  const logs: string[] = [];
  const gate = over.gate ?? new UpdateGate();
  const options: AutoUpdateOptions = {
    feed: { url: 'https://audit.example/updates', rolloutPercent: 100, enabled: true },
    machineId: 'HOST-7',
    currentVersion: '1.0.0',
    log: (line) => logs.push(line),
    ...over,
    gate,
  };
  return { updater, logs, gate, auto: connectUpdater(updater, options) };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('connectUpdater', () => {
  it('takes the feed and channel from policy, turns off auto download/install and sends the device token', async () => {
    const { updater } = setup({ feed: { url: 'https://audit.example/updates', channel: 'beta', rolloutPercent: 50, enabled: true }, authToken: 'dev_abc' });
    assert.deepEqual(updater.feeds, [{ provider: 'generic', url: 'https://audit.example/updates', channel: 'beta' }]);
    assert.equal(updater.autoDownload, false);
    assert.equal(updater.autoInstallOnAppQuit, false);
    assert.deepEqual(updater.requestHeaders, { Authorization: 'Bearer dev_abc' });
    // Rollout is the gate's decision (by machine id), not electron-updater's random staging id.
    assert.equal(await updater.isUserWithinRollout({ version: '2.0.0', stagingPercentage: 1 }), true);
  });

  it('without a policy feed keeps the installer-built feed and sends no header', () => {
    const { updater } = setup({ feed: undefined });
    assert.deepEqual(updater.feeds, []);
    assert.equal(updater.requestHeaders, null);
    assert.equal(updater.autoDownload, false);
  });

  it('does nothing at all when the policy turns updates off', async () => {
    const { updater, auto, logs } = setup({ feed: { url: 'https://audit.example/updates', rolloutPercent: 100, enabled: false } });
    assert.equal(auto.enabled, false);
    await auto.check();
    assert.equal(updater.checks, 0);
    assert.deepEqual(updater.feeds, []);
    assert.equal(updater.listenerCount('update-available'), 0);
    assert.deepEqual(logs, ['updates: turned off by policy']);
  });

  it('downloads an offered newer version, and not an older one or one outside the rollout', async () => {
    const { updater, logs } = setup({ machineId: 'HOST-9', feed: { url: 'https://f.example', rolloutPercent: rolloutBucket('HOST-9') + 1, enabled: true } });
    updater.emit('update-available', { version: '0.9.0' });
    assert.equal(updater.downloads, 0);
    updater.emit('update-available', { version: '1.1.0', stagingPercentage: rolloutBucket('HOST-9') });
    assert.equal(updater.downloads, 0);
    updater.emit('update-available', { version: '1.1.0' });
    assert.equal(updater.downloads, 1);
    await settle();
    assert.match(logs.join('\n'), /0\.9\.0 available: ignore \(0\.9\.0 is not newer/);
    assert.match(logs.join('\n'), /1\.1\.0 available: download/);
  });

  it('installs a downloaded update at once when idle, else after the last bot finishes', () => {
    const { updater, gate, logs } = setup();
    gate.runStarted('run-1');
    updater.emit('update-downloaded', { version: '1.1.0' });
    assert.equal(updater.installs, 0);
    assert.equal(gate.pendingInstall, true);
    assert.match(logs.at(-1) ?? '', /1\.1\.0 downloaded; installs when the 1 running bot\(s\) finish/);
    gate.runFinished('run-1');
    assert.equal(updater.installs, 1);
    assert.match(logs.at(-1) ?? '', /installing 1\.1\.0/);

    const idle = setup();
    idle.updater.emit('update-downloaded', { version: '1.2.0' });
    assert.equal(idle.updater.installs, 1);
  });

  it('stops checking once an update waits to install', async () => {
    const { updater, gate, auto } = setup();
    await auto.check();
    gate.runStarted('r');
    updater.emit('update-downloaded', { version: '1.1.0' });
    await auto.check();
    assert.equal(updater.checks, 1);
  });

  it('logs failed checks, downloads and updater errors without throwing', async () => {
    const { updater, auto, logs } = setup();
    updater.failCheck = true;
    await auto.check();
    updater.failDownload = true;
    updater.emit('update-available', { version: '2.0.0' });
    await settle();
    updater.emit('error', new Error('feed answered 401'));
    const text = logs.join('\n');
    assert.match(text, /check failed: getaddrinfo ENOTFOUND/);
    assert.match(text, /download of 2\.0\.0 failed: sha512 checksum mismatch/);
    assert.match(text, /updates: feed answered 401/);
  });
});
