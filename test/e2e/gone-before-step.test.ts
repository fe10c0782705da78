// An element the page removed between two steps (a notice that closed itself, a row another step's save
// took away) was looked for by the next step for its whole budget (30 s by default), then reported as "not
// found": the step had no way to know the element had been there. The runner now looks for the next step's
// element when a step begins; when the next step finds no candidate matching anything although one did
// then, and the page stays quiet (no request of its own going), it fails after a settled moment, saying what
// it looked for, when the element was last seen, and that the page has been quiet. A page still working (a
// request going, which brings the element back) or an element never seen (a page revealing it late) is
// waited for as before. The same holds for press, type and upload steps, and for a page that keeps a long
// poll open for good: a request held open that long is the page waiting for news, not rendering.
// Real Chromium, a real HTTP server, the whole runner.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../engine/events.js';
import { browserRuns } from '../helpers/browser-runs.js';
import { tempDir } from '../helpers/env.js';

const automation = (steps: unknown[]): Record<string, unknown> => ({ format: 1, id: 'gone-before-step', name: 'gone before the step', version: '1.0.0', steps });
const css = (selector: string, ...texts: string[]): Record<string, unknown> => ({ candidates: [{ css: selector }, ...texts.map((text) => ({ text }))] });
const waitFor = (selector: string): Record<string, unknown> => ({ kind: 'browser.waitFor', target: css(selector), state: 'visible', timeoutMs: 10_000 });
const done = { kind: 'browser.assert', target: css('#result'), assert: 'textEquals', expected: 'clicked', timeoutMs: 10_000 };

/** A page whose element `inner` (in #box) the page takes away at 3 s (steps on a busy machine can be slow to start), showing #later then; `extra` runs at load. */
const removing = (inner: string, extra = ''): string =>
  `<div id=box>${inner}</div><p id=later hidden>later</p><script>${extra}
    setTimeout(() => { document.getElementById('box').remove(); document.getElementById('later').hidden = false; }, 3000);
  </script>`;

/** A long poll the page keeps open for good (the server never answers it). */
const LONG_POLL = `fetch('/hold').catch(() => {});`;

const pages: Record<string, string> = {
  '/gone': removing(`<button id=go>Approve</button>`),
  '/gone-field': removing(`<input id=name>`),
  '/gone-file': removing(`<input id=file type=file>`),
  '/gone-long-poll': removing(`<button id=go>Approve</button>`, LONG_POLL),
  // Disabled, then its row is deleted at 3 s while the click waits; the page keeps a long poll open all along.
  '/removed-long-poll': `<div id=row><button id=go disabled>Approve</button></div><script>${LONG_POLL}
    setTimeout(() => document.getElementById('row').remove(), 3000)</script>`,
  // Taken away at 3 s while the page fetches its new copy, which takes 4.5 s: the page is busy, not settled.
  '/refetch': `<div id=app><button id=go>Approve</button></div><p id=later hidden>later</p><p id=result></p><script>
    setTimeout(async () => {
      document.getElementById('go').remove();
      document.getElementById('later').hidden = false;
      await (await fetch('/slow')).text();
      const button = document.createElement('button');
      button.id = 'go'; button.textContent = 'Approve';
      button.onclick = () => { document.getElementById('result').textContent = 'clicked'; };
      document.getElementById('app').append(button);
    }, 3000);
  </script>`,
  // Taken away at 3 s and put back at 8 s by the page's own timer, the page quiet all along.
  '/comes-back': `<div id=app><button id=go>Approve</button></div><p id=later hidden>later</p><script>
    setTimeout(() => { document.getElementById('go').remove(); document.getElementById('later').hidden = false; }, 3000);
    setTimeout(() => { const button = document.createElement('button'); button.id = 'go'; button.textContent = 'Approve'; document.getElementById('app').append(button); }, 8000);
  </script>`,
  // Never there before: shown 5 s after load by a timer, the page quiet all along.
  '/late': `<div id=app></div><p id=result></p><script>
    setTimeout(() => {
      const button = document.createElement('button');
      button.id = 'go'; button.textContent = 'Approve';
      button.onclick = () => { document.getElementById('result').textContent = 'clicked'; };
      document.getElementById('app').append(button);
    }, 5000);
  </script>`,
};

const failedStep = (events: RunEvent[]): Extract<RunEvent, { type: 'step.failed' }> | undefined => events.find((e): e is Extract<RunEvent, { type: 'step.failed' }> => e.type === 'step.failed');

describe('a step whose element the page removed before the step began', { concurrency: false, timeout: 400_000 }, () => {
  const { run } = browserRuns('gone-before-step');
  let server: Server;
  let base = '';
  const held: { end: () => void }[] = [];
  before(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '/';
      if (url === '/slow') return void setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 4_500);
      if (url === '/hold') return void held.push({ end: () => response.destroy() });
      response.writeHead(200, { 'content-type': 'text/html' }).end(pages[url] ?? '<p>none</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    for (const request of held) request.end();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Opens `page`, waits for #later (the page has taken its element away by then), then runs `step`. */
  const goneBefore = (page: string, step: Record<string, unknown>) => run(automation([{ kind: 'browser.open', url: `${base}${page}` }, waitFor('#later'), { timeoutMs: 30_000, ...step }]));

  const assertFailsFast = (events: RunEvent[], message: string, what: RegExp, limitMs: number, label: string): void => {
    assert.match(message, what, message);
    assert.match(message, /was removed from the page before this step began/, message);
    assert.match(message, /last seen at \d\d:\d\d:\d\d\.\d+ UTC/, message);
    assert.match(message, /the page has been quiet for 3000 ms/, message);
    assert.match(message, /no candidate matches now/, message);
    const step = failedStep(events);
    console.log(`${label}: failed after ${step?.durationMs} ms: ${message}`);
    assert.ok(step && step.durationMs < limitMs, `failed after ${step?.durationMs} ms`);
  };

  it('fails a click at once it is clear its element went before the step began (before: the step\'s whole 30 s, "not found")', { timeout: 60_000 }, async () => {
    const { result, events } = await goneBefore('/gone', { kind: 'browser.click', target: css('#go', 'Approve') });
    assert.equal(result.status, 'failed');
    assertFailsFast(events, result.error?.message ?? '', /#go/, 8_000, 'click, gone before the step');
  });

  it('fails a press the same way', { timeout: 60_000 }, async () => {
    const { result, events } = await goneBefore('/gone-field', { kind: 'browser.press', target: css('#name'), key: 'Enter' });
    assert.equal(result.status, 'failed');
    assertFailsFast(events, result.error?.message ?? '', /#name/, 8_000, 'press, gone before the step');
  });

  it('fails a type the same way', { timeout: 60_000 }, async () => {
    const { result, events } = await goneBefore('/gone-field', { kind: 'browser.type', target: css('#name'), text: 'Ada' });
    assert.equal(result.status, 'failed');
    assertFailsFast(events, result.error?.message ?? '', /#name/, 8_000, 'type, gone before the step');
  });

  it('fails an upload the same way', { timeout: 60_000 }, async () => {
    const file = path.join(tempDir('gone-before-step-upload'), 'invoice.txt');
    writeFileSync(file, 'invoice');
    const { result, events } = await goneBefore('/gone-file', { kind: 'browser.upload', target: css('#file'), files: [file] });
    assert.equal(result.status, 'failed');
    assertFailsFast(events, result.error?.message ?? '', /#file/, 8_000, 'upload, gone before the step');
  });

  it('fails as fast on a page that keeps a long poll open for good (it is not rendering)', { timeout: 60_000 }, async () => {
    const { result, events } = await goneBefore('/gone-long-poll', { kind: 'browser.click', target: css('#go', 'Approve') });
    assert.equal(result.status, 'failed');
    // The poll opened at load: it stops counting once it has been held open 10 s, then 3 s of quiet.
    assertFailsFast(events, result.error?.message ?? '', /#go/, 20_000, 'click, gone before the step, a long poll open');
  });

  it('fails an element removed during the step on a page that keeps a long poll open (before: the whole 30 s)', { timeout: 60_000 }, async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: `${base}/removed-long-poll` }, { kind: 'browser.click', target: css('#go', 'Approve'), timeoutMs: 30_000 }]));
    assert.equal(result.status, 'failed');
    const message = result.error?.message ?? '';
    assert.match(message, /was removed from the page at .*no candidate matches now/s, message);
    const step = failedStep(events);
    console.log(`click, removed during the step, a long poll open: failed after ${step?.durationMs} ms`);
    assert.ok(step && step.durationMs < 20_000, `failed after ${step?.durationMs} ms`);
  });

  it('still finds an element taken away between the steps while the page fetches its new copy (the page is busy)', { timeout: 60_000 }, async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/refetch` }, waitFor('#later'), { kind: 'browser.click', target: css('#go', 'Approve'), timeoutMs: 30_000 }, done]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });

  it('lets a browser.waitFor step wait for an element the page took away before it began and brings back by its own timer (a wait says it comes in its time)', { timeout: 60_000 }, async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/comes-back` }, waitFor('#later'), { ...waitFor('#go'), timeoutMs: 30_000 }]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });

  it('still finds an element never seen before that a quiet page shows late (5 s after load)', { timeout: 60_000 }, async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: `${base}/late` }, { kind: 'browser.click', target: css('#go', 'Approve'), timeoutMs: 30_000 }, done]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });
});
