// A run given a browser that is already running (StartRunRequest.browser) opens a context of its
// own in it instead of launching one: the run's cookies, storage and pages are its own, closed
// when it ends, and the browser is left running for the next run. Real Chromium, a real page
// that keeps state the ways sites do (a cookie from the server, one from script, local storage).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { Engine } from '../api.js';
import { findBrowser } from './browser-finder.js';
import { tempDir, writeAutomation } from '../../test/helpers/env.js';

const automation = (id: string, steps: unknown[], outputs: string[] = []) => ({ format: 1, id, name: id, version: '1.0.0', outputs, steps });
const seen = { kind: 'browser.extract', target: { candidates: [{ css: '#seen' }] }, what: 'text', into: 'seen' };

describe('a run in a browser given to it', { timeout: 120_000, concurrency: false }, () => {
  let server: http.Server;
  let url: string;
  /** The Cookie header of each request for /check, in order. */
  const cookieHeaders: string[] = [];
  let browser: Browser;
  let engine: Engine;
  let dir: string;

  before(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x.invalid');
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store', ...(u.pathname === '/set' ? { 'set-cookie': `server=${u.searchParams.get('who')}; Path=/` } : {}) }).end(`<!doctype html><title>t</title>${body}`);
      if (u.pathname === '/set') {
        const who = JSON.stringify(u.searchParams.get('who') ?? '');
        html(`<script>document.cookie = 'script=' + ${who} + '; path=/'; localStorage.setItem('who', ${who}); sessionStorage.setItem('who', ${who});</script><p id="seen">set</p>`);
      } else if (u.pathname === '/check') {
        cookieHeaders.push(req.headers.cookie ?? '');
        html(`<p id="seen"></p><script>document.getElementById('seen').textContent = 'cookies=[' + document.cookie + '] storage=[' + localStorage.getItem('who') + ']';</script>`);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, timeout: 60_000 });
    dir = tempDir('shared-browser');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(async () => {
    engine?.close();
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Sets state as `who`, then reads it back in the same run: what the run sees of its own state. */
  const setThenCheck = (who: string) =>
    writeAutomation(dir, `set-${who}.json`, automation(`set.${who}`, [{ kind: 'browser.open', url: `${url}/set?who=${who}` }, { kind: 'browser.goto', url: `${url}/check` }, seen], ['seen']));

  it('opens a context of its own in that browser and closes it at the end; the browser goes on', async () => {
    const contextsDuringRun: number[] = [];
    const result = await engine.run({ file: setThenCheck('one'), browser }, (event) => {
      if (event.type === 'step.succeeded') contextsDuringRun.push(browser.contexts().length);
    });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(contextsDuringRun, [1, 1, 1], 'the run worked in one context of the given browser');
    assert.equal(browser.contexts().length, 0, 'the run closed its context');
    assert.ok(browser.isConnected(), 'the given browser is left running');
    // The run saw its own state: the check below would see state that leaked.
    assert.equal(result.outputs['seen'], 'cookies=[server=one; script=one] storage=[one]');
  });

  it('leaves nothing of its state to the next run in the same browser (cookies, storage)', async () => {
    const first = await engine.run({ file: setThenCheck('first'), browser });
    assert.equal(first.outputs['seen'], 'cookies=[server=first; script=first] storage=[first]');
    cookieHeaders.splice(0);
    const check = writeAutomation(dir, 'check.json', automation('check', [{ kind: 'browser.open', url: `${url}/check` }, seen], ['seen']));
    const second = await engine.run({ file: check, browser });
    assert.equal(second.status, 'passed', JSON.stringify(second.error));
    assert.equal(second.outputs['seen'], 'cookies=[] storage=[null]');
    assert.deepEqual(cookieHeaders, [''], 'the server got no cookie from the second run');
  });

  it('keeps two runs at once in the same browser apart', async () => {
    const [a, b] = await Promise.all([engine.run({ file: setThenCheck('a'), browser }), engine.run({ file: setThenCheck('b'), browser })]);
    assert.equal(a.outputs['seen'], 'cookies=[server=a; script=a] storage=[a]');
    assert.equal(b.outputs['seen'], 'cookies=[server=b; script=b] storage=[b]');
    assert.equal(browser.contexts().length, 0);
  });

  it('fails clearly, launching nothing, when the browser it was given is closed', async () => {
    const closed = await chromium.launch({ executablePath: findBrowser(), headless: true, timeout: 60_000 });
    await closed.close();
    const result = await engine.run({ file: setThenCheck('closed'), browser: closed });
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /the browser this run was given to open its context in is closed/);
  });
});
