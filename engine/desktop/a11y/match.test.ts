// Accessibility selectors over element lists shaped as AT-SPI lists a GTK dialog, and the
// providers of platforms whose accessibility API is not implemented yet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locateDesktopTarget, waitUntilGone } from '../locate.js';
import { findAccessible } from './find.js';
import { providerFor } from './index.js';
import { describeSelector, elementAt, matchesSelector, selectorFor } from './match.js';
import type { A11yElement, A11yProvider, A11yWindow } from './types.js';

const element = (role: string, name: string, rect: [number, number, number, number], extra: Partial<A11yElement> = {}): A11yElement => ({
  ref: `${role}-${name}-${rect.join(',')}`,
  role,
  name,
  labels: [],
  path: [{ role: 'panel', name: '' }],
  rect: { x: rect[0], y: rect[1], width: rect[2], height: rect[3] },
  states: ['showing', 'visible'],
  ...extra,
});

const grid = element('panel', '', [0, 0, 400, 300], { path: [] });
const first = element('text', '', [100, 10, 200, 30], { labels: ['First name'] });
const last = element('text', '', [100, 50, 200, 30], { labels: ['Last name'] });
const billing = element('text', '', [10, 100, 300, 30], { path: [{ role: 'panel', name: '' }, { role: 'panel', name: 'Billing' }] });
const shipping = element('text', '', [10, 140, 300, 30], { path: [{ role: 'panel', name: '' }, { role: 'panel', name: 'Shipping' }] });
const codeA = element('text', '', [100, 180, 80, 30], { path: [{ role: 'panel', name: '' }, { role: 'filler', name: '' }] });
const codeB = element('text', '', [190, 180, 80, 30], { path: [{ role: 'panel', name: '' }, { role: 'filler', name: '' }] });
const ok = element('push button', 'OK', [300, 250, 60, 30]);
const cancel = element('push button', 'Cancel', [220, 250, 70, 30]);
const all = [grid, first, last, billing, shipping, codeA, codeB, ok, cancel];

describe('accessibility selectors', { timeout: 10_000 }, () => {
  it('picks the innermost control under a point', () => {
    assert.equal(elementAt(all, { x: 310, y: 260 }), ok);
    assert.equal(elementAt(all, { x: 150, y: 60 }), last);
    assert.equal(elementAt(all, { x: 5, y: 5 }), grid, 'empty space is the layout box');
    assert.equal(elementAt(all, { x: 500, y: 500 }), undefined);
  });

  it('writes the shortest selector that names one control, and none for identical neighbours or layout', () => {
    assert.deepEqual(selectorFor(ok, all), { role: 'push button', name: 'OK' });
    assert.deepEqual(selectorFor(last, all), { role: 'text', label: 'Last name' });
    assert.deepEqual(selectorFor(shipping, all), { role: 'text', path: [{ role: 'panel', name: 'Shipping' }] });
    assert.equal(selectorFor(grid, all), undefined);
  });

  it('names identical unlabelled controls by their order in the tree, with their number', () => {
    assert.deepEqual(selectorFor(codeA, all), { role: 'text', path: [], nth: { index: 0, of: 2 } });
    assert.deepEqual(selectorFor(codeB, all), { role: 'text', path: [], nth: { index: 1, of: 2 } });
    assert.equal(describeSelector(selectorFor(codeB, all)!), 'the 2nd of 2 text');
  });

  it('finds the nth of the look-alikes in tree order, and refuses a window that holds another number of them', async () => {
    const window: A11yWindow = { ref: '0/0', title: 'Codes', role: 'dialog', app: 'codes', rect: { x: 0, y: 0, width: 400, height: 300 }, active: true };
    const provider = (elements: A11yElement[]): A11yProvider => ({
      api: 'test',
      unavailable: () => Promise.resolve(undefined),
      windows: () => Promise.resolve([window]),
      elements: () => Promise.resolve(elements),
      close: () => Promise.resolve(),
    });
    const selector = selectorFor(codeB, all)!;
    const found = await findAccessible(selector, 'Codes', provider(all));
    assert.equal(found.kind, 'found');
    assert.equal(found.kind === 'found' && found.hit.element, codeB);
    const codeC = element('text', '', [280, 180, 80, 30], { path: [{ role: 'panel', name: '' }, { role: 'filler', name: '' }] });
    const changed = await findAccessible(selector, 'Codes', provider([...all, codeC]));
    assert.equal(changed.kind, 'changed');
    assert.match(changed.kind === 'changed' ? changed.why : '', /holds 3 such controls, recorded 2: its structure changed/);
    const fewer = await findAccessible(selector, 'Codes', provider(all.filter((one) => one !== codeA)));
    assert.equal(fewer.kind, 'changed', 'the one left is not taken for the 2nd');
  });

  it('matches role, name, label and the named path exactly', () => {
    assert.ok(matchesSelector({ role: 'push button', name: 'OK' }, ok));
    assert.ok(!matchesSelector({ role: 'push button', name: 'ok' }, ok), 'names are case-sensitive');
    assert.ok(!matchesSelector({ role: 'text', label: 'First name' }, last));
    assert.ok(matchesSelector({ role: 'text', path: [] }, codeA), 'unnamed ancestors do not count');
    assert.ok(!matchesSelector({ role: 'text', path: [] }, billing));
  });

  it('on Windows and macOS says the API is not available yet, and a search is skipped, not failed', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const provider = providerFor(platform);
      assert.match((await provider.unavailable()) ?? '', /not available in this version yet/);
      const search = await findAccessible({ role: 'push button', name: 'OK' }, 'Dialog', provider);
      assert.equal(search.kind, 'unavailable');
      assert.throws(() => provider.windows(), /not available/);
    }
  });

  it('without a session bus, a selector-only target is not found (naming why) and never called gone', async () => {
    const saved = { bus: process.env['DBUS_SESSION_BUS_ADDRESS'], runtime: process.env['XDG_RUNTIME_DIR'] };
    delete process.env['DBUS_SESSION_BUS_ADDRESS'];
    delete process.env['XDG_RUNTIME_DIR'];
    const options = { resolvePath: (file: string) => file, timeoutMs: 300, signal: new AbortController().signal };
    const target = { candidates: [{ a11y: { role: 'push button', name: 'OK' } }] };
    try {
      await assert.rejects(locateDesktopTarget(target, options), /accessible push button "OK": not used, no D-Bus session bus/);
      await assert.rejects(waitUntilGone(target, options), /cannot tell whether .* disappeared/);
    } finally {
      for (const [name, value] of [['DBUS_SESSION_BUS_ADDRESS', saved.bus], ['XDG_RUNTIME_DIR', saved.runtime]] as const) if (value !== undefined) process.env[name] = value;
    }
  });
});
