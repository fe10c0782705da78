import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.js';
import { launchTimeoutFrom } from './launch-timeout.js';

const settingsFile = '/home/robot/.local/share/rpa-studio/settings.json';

describe('launchTimeoutFrom', () => {
  it('is 60 s unless set, and says where it can be set', () => {
    assert.deepEqual(launchTimeoutFrom({ settingsFile, env: {} }), { ms: 60_000, source: 'settings.json browser.launchTimeoutMs or RPA_BROWSER_LAUNCH_TIMEOUT_MS' });
  });

  it('takes settings.json browser.launchTimeoutMs, and the environment over it', () => {
    assert.deepEqual(launchTimeoutFrom({ configured: 90_000, settingsFile, env: {} }), { ms: 90_000, source: `${settingsFile} browser.launchTimeoutMs` });
    assert.deepEqual(launchTimeoutFrom({ configured: 90_000, settingsFile, env: { RPA_BROWSER_LAUNCH_TIMEOUT_MS: ' 120000 ' } }), { ms: 120_000, source: 'RPA_BROWSER_LAUNCH_TIMEOUT_MS' });
    assert.equal(launchTimeoutFrom({ configured: 90_000, settingsFile, env: { RPA_BROWSER_LAUNCH_TIMEOUT_MS: '' } }).ms, 90_000, 'an empty variable is unset');
  });

  it('refuses a value that is not a whole number of milliseconds from 1 s to 1 h, naming the variable', () => {
    for (const bad of ['60s', '-5', '1.5', '999', '3600001', 'abc']) {
      assert.throws(
        () => launchTimeoutFrom({ settingsFile, env: { RPA_BROWSER_LAUNCH_TIMEOUT_MS: bad } }),
        (error: unknown) => error instanceof UsageError && error.message.startsWith(`RPA_BROWSER_LAUNCH_TIMEOUT_MS is "${bad}": give the browser's start-up limit in milliseconds, a whole number from 1000 to 3600000`),
        bad,
      );
    }
  });
});
