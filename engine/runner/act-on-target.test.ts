// actOnTarget acts in one round trip when the page is as recorded, and otherwise exactly as
// counting candidate by candidate would: the first candidate that matches one element, never an
// ambiguous one, a fallback reported as one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser-session.js';
import { actOnTarget } from './locate.js';
import type { Target } from '../format/schema.js';

const PAGE = `
  <button id="a" onclick="clicked.push('a')">Save</button>
  <button id="b" onclick="clicked.push('b')">Store</button>
  <button class="twin" onclick="clicked.push('t1')">Twin</button>
  <button class="twin" onclick="clicked.push('t2')">Twin</button>
  <div id="late"></div>
  <script>
    window.clicked = [];
    setTimeout(() => { document.getElementById('late').innerHTML = '<button onclick="clicked.push(&quot;late&quot;)">Later</button>'; }, 400);
  </script>`;

describe('actOnTarget', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  const click = async (target: Target, timeoutMs = 3_000): Promise<{ clicked: string[]; index: number; fallback: boolean }> => {
    await page.setContent(PAGE);
    const acted = await actOnTarget(page, target, timeoutMs, new AbortController().signal, (locator, timeout) => locator.click({ timeout }), 'unless-performed');
    return { clicked: await page.evaluate('window.clicked') as string[], index: acted.matched.index, fallback: acted.matched.fallback };
  };

  it('acts on the element every matching candidate names, as the first candidate', async () => {
    assert.deepEqual(await click({ candidates: [{ css: '#a' }, { role: 'button', name: 'Save' }] }), { clicked: ['a'], index: 0, fallback: false });
  });
  it('when candidates name different elements, acts on the first candidate’s, once', async () => {
    assert.deepEqual(await click({ candidates: [{ css: '#a' }, { css: '#b' }] }), { clicked: ['a'], index: 0, fallback: false });
  });
  it('skips a candidate that matches nothing, and says a fallback matched', async () => {
    assert.deepEqual(await click({ candidates: [{ css: '#gone' }, { css: '#b' }] }), { clicked: ['b'], index: 1, fallback: true });
  });
  it('skips a candidate that matches several elements, never clicking one of them', async () => {
    assert.deepEqual(await click({ candidates: [{ css: '.twin' }, { css: '#b' }] }), { clicked: ['b'], index: 1, fallback: true });
  });
  it('fails naming the counts when every candidate is ambiguous, and clicks nothing', async () => {
    await page.setContent(PAGE);
    await assert.rejects(
      actOnTarget(page, { candidates: [{ css: '.twin' }, { role: 'button', name: 'Twin' }] }, 1_000, new AbortController().signal, (locator, timeout) => locator.click({ timeout }), 'unless-performed'),
      (error: Error) => error.name === 'AmbiguousLocatorError' && /2 matches/.test(error.message),
    );
    assert.deepEqual(await page.evaluate('window.clicked') as string[], []);
  });
  it('fails as not found, naming each candidate, when nothing matches', async () => {
    await page.setContent(PAGE);
    await assert.rejects(
      actOnTarget(page, { candidates: [{ css: '#none' }, { css: '#neither' }] }, 800, new AbortController().signal, (locator, timeout) => locator.click({ timeout }), 'unless-performed'),
      (error: Error) => error.name === 'LocatorNotFoundError' && /#none → 0 matches; css=#neither → 0 matches/.test(error.message),
    );
  });
  it('waits for an element that appears later', async () => {
    assert.deepEqual(await click({ candidates: [{ role: 'button', name: 'Later' }, { css: '#late button' }] }), { clicked: ['late'], index: 0, fallback: false });
  });
});
