import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desktopPreflight, usesDesktop } from './preflight.js';

describe('desktop preflight', { skip: process.platform !== 'linux' && 'checks the X11 display (Linux)' }, () => {
  it('says what to do when there is no display, or it cannot be reached', async () => {
    await assert.rejects(desktopPreflight({}), /DISPLAY is not set.*xvfb-run -a rpa run FILE/s);
    await assert.rejects(desktopPreflight({ DISPLAY: ':4987' }), /cannot connect to the X11 display ":4987"/);
    await assert.rejects(desktopPreflight({ DISPLAY: 'nonsense' }), /not an X11 display name/);
  });
});

describe('usesDesktop', () => {
  it('finds desktop steps at any depth', () => {
    assert.equal(usesDesktop({ steps: [{ kind: 'log', message: 'x' }] }), false);
    assert.equal(usesDesktop({ steps: [{ kind: 'flow.try', steps: [{ kind: 'clipboard.set', text: 'x' }] }] }), true);
  });
});
