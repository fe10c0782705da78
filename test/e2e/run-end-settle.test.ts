// A run that ends does not cut off what its last step started. The page's work after a click
// (a save request, a message to the window that opened a popup, which then sends its own
// request) goes on after the click returns; closing the browser at once dropped it, and the
// run still passed (the challenge suite's popup flow, seen under load as a silent pass). The
// runner now lets the pages finish the requests the last step started, up to a limit, and
// says so when one is still going.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

const PAGES: Record<string, string> = {
  // The save answers slowly; only after its answer does the page say it is saved.
  save: `<button id="save">Save</button><script>
document.getElementById('save').addEventListener('click', async () => {
  const answer = await fetch('/slow?what=save', { method: 'POST' });
  await fetch('/done', { method: 'POST', body: 'saved ' + (await answer.text()) });
});
</script>`,
  // A popup whose button posts to its opener and closes itself; the opener then saves.
  opener: `<button id="open" onclick="window.open('/picker', 'picker', 'width=300,height=200')">Find customer</button><script>
addEventListener('message', async (e) => {
  await fetch('/slow?what=pick', { method: 'POST' });
  await fetch('/done', { method: 'POST', body: 'picked ' + e.data });
});
</script>`,
  picker: `<button id="use" onclick="opener.postMessage('C-1009', '*'); window.close();">Use this customer</button>`,
  // A request that never gets its answer; the page also keeps an event stream open.
  hanging: `<button id="go">Send</button><button id="post">Post</button><script>
new EventSource('/events');
document.getElementById('go').addEventListener('click', () => fetch('/hang?token=s3cr3t-query'));
document.getElementById('post').addEventListener('click', () => fetch('/hang', { method: 'POST', body: 'x' }));
</script>`,
  // The last click starts reading a feed by fetch (newline-delimited JSON that never ends) and saves.
  follow: `<button id="go">Follow</button><script>
document.getElementById('go').addEventListener('click', async () => {
  const answer = await fetch('/feed');
  fetch('/done', { method: 'POST', body: 'following' });
  const reader = answer.body.getReader();
  for (;;) { const { done } = await reader.read(); if (done) break; }
});
</script>`,
  // A chat-like page: a long poll open from the start, which the server answers when there is
  // news (here: once a message is saved), and which the page then sends again at once.
  chat: `<button id="send">Send</button><script>
async function poll(cursor) { const answer = await fetch('/poll?cursor=' + cursor); poll(Number(await answer.text())); }
poll(0);
document.getElementById('send').addEventListener('click', () => fetch('/post', { method: 'POST', body: 'hello' }));
</script>`,
  // An event stream open from the start, and a quick save: the run does not wait for the stream.
  stream: `<button id="go">Save</button><script>
new EventSource('/events');
document.getElementById('go').addEventListener('click', () => fetch('/done', { method: 'POST', body: 'quick' }));
</script>`,
};

describe('the end of a run lets the page finish what the last step started', { skip, timeout: 240_000, concurrency: false }, () => {
  let dir: string;
  let engine: Engine;
  let server: http.Server;
  let base: string;
  const done: string[] = [];
  const polls: Array<() => void> = [];

  before(async () => {
    dir = tempDir('run-end');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x.invalid');
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (url.pathname === '/slow') {
          setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 1_500);
        } else if (url.pathname === '/done') {
          done.push(body);
          res.writeHead(204).end();
        } else if (url.pathname === '/hang') {
          // never answered
        } else if (url.pathname === '/poll') {
          // held until news; a poll with no news is answered empty after 25 s, as long-poll servers do
          const cursor = Number(url.searchParams.get('cursor'));
          const answer = (): void => void (res.writableEnded || res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(String(cursor + 1)));
          polls.push(answer);
          setTimeout(answer, 25_000).unref();
        } else if (url.pathname === '/post') {
          // saved after a moment, then the held polls hear of it
          setTimeout(() => {
            done.push(body);
            res.writeHead(204).end();
            for (const answer of polls.splice(0)) answer();
          }, 2_500);
        } else if (url.pathname === '/feed') {
          res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
          res.write('{"n":1}\n');
        } else if (url.pathname === '/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
          res.write('data: hello\n\n');
        } else {
          const page = PAGES[url.pathname.slice(1)];
          if (page) res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${url.pathname}</title>${page}`);
          else res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    engine.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function run(steps: unknown[]): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> {
    done.splice(0);
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, { format: 1, id: 'run.end', name: 'run end', version: '1.0.0', steps });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    return { result, events };
  }
  const warnings = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));

  it('a save the last click started is finished before the browser closes', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/save` },
      { kind: 'browser.click', target: { candidates: [{ css: '#save' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(done, ['saved ok']);
    assert.deepEqual(warnings(events), []);
  });

  it('a popup that tells its opener, which then saves: the opener finishes', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/opener` },
      { kind: 'browser.click', target: { candidates: [{ css: '#open' }] } },
      { kind: 'browser.switchTab', urlContains: '/picker' },
      { kind: 'browser.click', target: { candidates: [{ css: '#use' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(done, ['picked C-1009']);
    assert.deepEqual(warnings(events), []);
  });

  it('a request that never gets an answer is given up on after a limit, with a warning that names it (without its query)', async () => {
    const began = performance.now();
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/hanging` },
      { kind: 'browser.click', target: { candidates: [{ css: '#go' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const warned = warnings(events);
    assert.equal(warned.length, 1, JSON.stringify(warned));
    // (a GET with no answer at all is held as a long poll is: not waited for past HELD_MS, and said so)
    assert.match(warned[0]!, new RegExp(`without waiting for ${base.replaceAll('.', '\\.')}/hang \\(fetch\\).*no answer \\(or no end of one\\) came for 2 s`));
    assert.doesNotMatch(JSON.stringify(events), /s3cr3t-query/);
    // (the limit, not the step timeout: well under the 30 s default)
    assert.ok(performance.now() - began < 60_000);
  });

  it('a POST that never gets an answer is waited for up to the limit, and named', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/hanging` },
      { kind: 'browser.click', target: { candidates: [{ css: '#post' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const warned = warnings(events);
    assert.equal(warned.length, 1, JSON.stringify(warned));
    assert.match(warned[0]!, new RegExp(`still waiting for ${base.replaceAll('.', '\\.')}/hang \\(fetch\\)`));
  });

  it('a long poll the page keeps sending again is not waited for, nor warned about; the save the last click started is', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/chat` },
      { kind: 'browser.click', target: { candidates: [{ css: '#send' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    // The save (2.5 s) made the server answer the held poll; the page polled again, during the last step.
    assert.deepEqual(done, ['hello']);
    assert.deepEqual(warnings(events), []);
  });

  it('an event stream the page keeps open is not waited for', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/stream` },
      { kind: 'browser.click', target: { candidates: [{ css: '#go' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(done, ['quick']);
    assert.deepEqual(warnings(events), []);
  });

  it('a feed the last click reads by fetch (a stream that never ends) is not waited for, nor warned about', async () => {
    const { result, events } = await run([
      { kind: 'browser.open', url: `${base}/follow` },
      { kind: 'browser.click', target: { candidates: [{ css: '#go' }] } },
    ]);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(done, ['following']);
    assert.deepEqual(warnings(events), []);
  });
});
