// A step whose element the page removed while the step waited for it (a disabled button whose row was
// deleted, a field a form took away) waited out its whole budget (30 s by default) and then said only
// "locator.click: Timeout 30000ms exceeded": the element was never coming back. The step now fails once
// no candidate has matched anything for a settled moment (the page quiet, no request of its own going),
// naming the element and when it went. A page that only re-renders (the element replaced by an equal one,
// as React does, a list re-sorting its rows, an element taken away while the page fetches its new copy)
// is still acted on. Real Chromium, a real HTTP server, the whole runner.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../engine/events.js';
import { browserRuns } from '../helpers/browser-runs.js';

const automation = (steps: unknown[]): Record<string, unknown> => ({ format: 1, id: 'removed-target', name: 'removed target', version: '1.0.0', steps });
const target = (css: string, ...more: string[]): Record<string, unknown> => ({ candidates: [{ css }, ...more.map((text) => ({ text }))] });
const done = { kind: 'browser.assert', target: { candidates: [{ css: '#result' }] }, assert: 'textEquals', expected: 'clicked', timeoutMs: 10_000 };

const pages: Record<string, string> = {
  // Disabled, then its row is deleted at 2 s (while the click waits for it to be enabled): the click can never happen.
  '/removed': `<div id=row><button id=go disabled>Approve</button></div><script>setTimeout(() => document.getElementById('row').remove(), 2000)</script>`,
  // A field the form takes away at 2 s while it is still read-only.
  '/removed-field': `<form><input id=name readonly></form><script>setTimeout(() => document.getElementById('name').remove(), 2000)</script>`,
  // Disabled for good, and there.
  '/disabled': `<button id=go disabled>Approve</button>`,
  // Re-rendered every 150 ms (a new, equal button each time, the old one removed a task before the new one is
  // added, as a framework commit may), enabled after 1.5 s.
  '/rerender': `<div id=app></div><p id=result></p><script>
    const started = Date.now();
    const render = () => {
      const old = document.getElementById('go');
      if (old) old.remove();
      setTimeout(() => {
        const button = document.createElement('button');
        button.id = 'go'; button.textContent = 'Approve'; button.disabled = Date.now() - started < 1500;
        button.onclick = () => { document.getElementById('result').textContent = 'clicked'; clearInterval(timer); };
        document.getElementById('app').append(button);
      }, 0);
    };
    render();
    const timer = setInterval(render, 150);
  </script>`,
  // Rows re-sorted every 200 ms (moved, not copied); the wanted row's button is enabled after 1.5 s.
  '/resort': `<ul id=list><li><button id=pay-a>Pay A</button></li><li><button id=pay-b disabled>Pay B</button></li><li><button id=pay-c>Pay C</button></li></ul><p id=result></p><script>
    const list = document.getElementById('list');
    const timer = setInterval(() => { for (const row of [...list.children].reverse()) list.append(row); }, 200);
    setTimeout(() => { document.getElementById('pay-b').disabled = false; }, 1500);
    document.getElementById('pay-b').onclick = () => { document.getElementById('result').textContent = 'clicked'; clearInterval(timer); };
  </script>`,
  // Taken away at 0.3 s while the page fetches its new copy, which takes 4.5 s: the page is busy, not settled.
  '/refetch': `<div id=app><button id=go disabled>Approve</button></div><p id=result></p><script>
    setTimeout(async () => {
      document.getElementById('go').remove();
      await (await fetch('/slow')).text();
      const button = document.createElement('button');
      button.id = 'go'; button.textContent = 'Approve';
      button.onclick = () => { document.getElementById('result').textContent = 'clicked'; };
      document.getElementById('app').append(button);
    }, 300);
  </script>`,
};

const failedStep = (events: RunEvent[]): Extract<RunEvent, { type: 'step.failed' }> | undefined => events.find((e): e is Extract<RunEvent, { type: 'step.failed' }> => e.type === 'step.failed');

describe('a step whose element the page removed', { concurrency: false, timeout: 240_000 }, () => {
  const { run } = browserRuns('removed-target');
  let server: Server;
  let base = '';
  before(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '/';
      if (url === '/slow') return void setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 4_500);
      response.writeHead(200, { 'content-type': 'text/html' }).end(pages[url] ?? '<p>none</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails the click at once it is clear the element is gone, naming it and when it went (before: 30 s, "Timeout 30000ms exceeded")', async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: `${base}/removed` }, { kind: 'browser.click', target: target('#go', 'Approve'), timeoutMs: 30_000 }]));
    assert.equal(result.status, 'failed');
    const message = result.error?.message ?? '';
    assert.match(message, /#go/, message);
    assert.match(message, /was removed from the page at \d\d:\d\d:\d\d\.\d+ UTC \(\d+ ms into the step\)/, message);
    assert.match(message, /no candidate matches now/, message);
    const step = failedStep(events);
    console.log(`removed button: the click failed after ${step?.durationMs} ms: ${message}`);
    assert.ok(step && step.durationMs < 8_000, `failed after ${step?.durationMs} ms`);
  });

  it('fails a fill the same way when its field is taken away', async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: `${base}/removed-field` }, { kind: 'browser.fill', target: target('#name'), value: 'Ada', timeoutMs: 30_000 }]));
    assert.equal(result.status, 'failed');
    const message = result.error?.message ?? '';
    assert.match(message, /was removed from the page at .*no candidate matches now/s, message);
    const step = failedStep(events);
    console.log(`removed field: the fill failed after ${step?.durationMs} ms`);
    assert.ok(step && step.durationMs < 8_000, `failed after ${step?.durationMs} ms`);
  });

  it('still waits out the step for an element that stays on the page but never becomes ready, and says what it waited for', async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: `${base}/disabled` }, { kind: 'browser.click', target: target('#go'), timeoutMs: 4_000 }]));
    assert.equal(result.status, 'failed');
    const message = result.error?.message ?? '';
    assert.doesNotMatch(message, /removed from the page/, message);
    assert.match(message, /not enabled/, message);
    assert.doesNotMatch(message, /Timeout [1-9]\d?ms exceeded/, message);
    const step = failedStep(events);
    assert.ok(step && step.durationMs >= 3_900, `failed after ${step?.durationMs} ms`);
  });

  it('still clicks an element the page keeps replacing with an equal one (a re-render)', async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/rerender` }, { kind: 'browser.click', target: target('#go', 'Approve'), timeoutMs: 30_000 }, done]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });

  it('still clicks a button in a list that keeps re-sorting its rows', async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/resort` }, { kind: 'browser.click', target: target('#pay-b', 'Pay B'), timeoutMs: 30_000 }, done]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });

  it('waits for an element taken away while the page fetches its new copy (the page is busy, not settled)', async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/refetch` }, { kind: 'browser.click', target: target('#go', 'Approve'), timeoutMs: 30_000 }, done]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });
});
