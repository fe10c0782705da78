// The wait an error page announces before it loads again (BrowserSession gives it until then: error-page.test).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metaRefreshMs, reloadDelayMs } from './browser-session.js';

describe('reloadDelayMs and metaRefreshMs', { timeout: 10_000 }, () => {
  it('reads seconds, with or without an address, and an HTTP date', () => {
    assert.equal(reloadDelayMs('5'), 5_000);
    assert.equal(reloadDelayMs(' 2.5; url=/home'), 2_500);
    assert.equal(reloadDelayMs('0'), 0);
    const inTen = reloadDelayMs(new Date(Date.now() + 10_000).toUTCString())!;
    assert.ok(inTen > 8_000 && inTen <= 10_000, String(inTen));
    assert.equal(reloadDelayMs(new Date(Date.now() - 10_000).toUTCString()), 0);
  });

  it('reads nothing from nothing or from what is no delay', () => {
    assert.equal(reloadDelayMs(undefined), undefined);
    assert.equal(reloadDelayMs(''), undefined);
    assert.equal(reloadDelayMs('soon'), undefined);
    assert.equal(reloadDelayMs('-3'), undefined);
  });

  it('finds a meta refresh whatever the order, case and quotes of its attributes', () => {
    assert.equal(metaRefreshMs('<head><meta http-equiv="refresh" content="4"></head>'), 4_000);
    assert.equal(metaRefreshMs(`<META CONTENT='3;URL=/x' HTTP-EQUIV=Refresh>`), 3_000);
    assert.equal(metaRefreshMs('<meta charset=utf-8><meta http-equiv=refresh content=7>'), 7_000);
    assert.equal(metaRefreshMs('<meta name="refresh" content="4"><p>no refresh here</p>'), undefined);
    assert.equal(metaRefreshMs('<h1>Service Unavailable</h1>'), undefined);
  });
});
