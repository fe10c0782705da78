import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { keychainOrFileKeySource, type Runner } from './keychain.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-vault-keychain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('keychainOrFileKeySource', { skip: process.platform !== 'linux' && 'the Secret Service is Linux', timeout: 30_000 }, () => {
  it('asks nothing of D-Bus until the key is needed: opening the vault spawns no dbus-send', () => {
    const home = path.join(dir, 'lazy');
    const calls: string[] = [];
    const runner: Runner = (command) => {
      calls.push(command);
      return { status: 1, stdout: '', stderr: 'Error org.freedesktop.DBus.Error.ServiceUnknown: no such name\n' };
    };
    const source = keychainOrFileKeySource(home, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }, runner);
    assert.deepEqual(calls, [], 'nothing was spawned when the source was made');
    const key = source.load(true);
    assert.equal(key?.length, 32);
    assert.deepEqual(calls, ['dbus-send'], 'the Secret Service was probed once, at first use');
    assert.ok(existsSync(path.join(home, 'vault.key')));
    assert.match(source.note ?? '', /not in an OS keychain: the Secret Service has no default keyring \(Error org\.freedesktop\.DBus\.Error\.ServiceUnknown/);
    assert.deepEqual(source.load(false), key);
    assert.deepEqual(calls, ['dbus-send'], 'the choice is made once');
  });
});
