// Where the browser recorder places dialogs that a person's click causes only later, through
// work the page started (issue #18): the callback of a fetch (`.then` and `await`, the body
// read too), an XMLHttpRequest's onload, and a dialog in a frame the browser may refuse dialogs
// to (sandboxed with allow-modals, an opaque origin: the browser's own dialog is kept there).
// Each is placed by the click that started it, whatever the delays, a message from a frame of
// another origin included; a dialog no action opened (a poll the page started as it loaded) is
// the page's own: answered whenever it opens, waited for where it opened, and said so.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { Engine } from '../../engine/api.js';
import type { Step } from '../../engine/format/schema.js';
import { startRecording } from '../../recorder/api.js';
import { saveRecording } from '../../recorder/save.js';
import { tempDir } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const BUSY = `function busy(ms) { var end = Date.now() + ms; while (Date.now() < end) {} }`;

const PAGES: Record<string, (port: number) => string> = {
  // Each dialog comes after the server answered (0.7 s or more), in a later task than the click.
  '/requests': () => `<!doctype html><html><head><meta charset="utf-8"><title>Requests</title></head><body>
<button type="button" id="save">Save</button>
<button type="button" id="check">Check</button>
<button type="button" id="load">Load</button>
<button type="button" id="star">Star</button>
<button type="button" id="done">Done</button>
<p id="status">-</p>
<script>
var state = { opened: false, checked: 0, loaded: false, starred: false };
var statusLine = document.getElementById('status');
document.getElementById('save').addEventListener('click', function () {
  fetch('/slow?ms=700').then(function (r) { return r.json(); }).then(function (d) {
    state.opened = confirm('Saved as ' + d.id + '. Open it?');
    statusLine.textContent = 'Saved';
  });
});
document.getElementById('check').addEventListener('click', async function () {
  var response = await fetch('/slow?ms=700');
  var body = await response.json();
  alert('Checked ' + body.items + ' items');
  state.checked = body.items;
  statusLine.textContent = 'Checked';
});
document.getElementById('load').addEventListener('click', function () {
  var xhr = new XMLHttpRequest();
  xhr.onload = function () { alert('Loaded'); state.loaded = true; statusLine.textContent = 'Loaded'; };
  xhr.open('GET', '/slow?ms=1500');
  xhr.send();
});
document.getElementById('star').addEventListener('click', function () { state.starred = true; });
document.getElementById('done').addEventListener('click', function () {
  fetch('/result', { method: 'POST', body: JSON.stringify(state) });
});
</script></body></html>`,
  // A frame sandboxed with allow-modals but without allow-same-origin: an opaque origin, whose
  // dialogs the browser shows (the recorder keeps the browser's own there).
  '/modal-sandbox': () => `<!doctype html><html><head><meta charset="utf-8"><title>Sandboxed</title></head><body>
<iframe title="Widget" src="/widget" sandbox="allow-scripts allow-modals"></iframe>
</body></html>`,
  '/widget': () => `<!doctype html><html><head><meta charset="utf-8"><title>Widget</title></head><body>
<button type="button" id="ask">Ask</button>
<script>
${BUSY}
document.getElementById('ask').addEventListener('click', function () {
  busy(700);
  var answered = confirm('Allowed?');
  fetch('/result', { method: 'POST', body: JSON.stringify({ answered: answered }) });
});
</script></body></html>`,
  // A frame of another origin (localhost vs 127.0.0.1) posts to its parent, which alert()s.
  '/parent': (port) => `<!doctype html><html><head><meta charset="utf-8"><title>Parent</title></head><body>
<iframe title="Child" src="http://localhost:${port}/child"></iframe>
<script>
window.addEventListener('message', function (event) { if (event.data === 'saved') alert('Child saved'); });
</script></body></html>`,
  '/child': () => `<!doctype html><html><head><meta charset="utf-8"><title>Child</title></head><body>
<button type="button" id="save">Save child</button>
<script>
document.getElementById('save').addEventListener('click', function () { parent.postMessage('saved', '*'); });
</script></body></html>`,
  // A poll the page starts as it loads (no click started it) alerts once a click has set a flag:
  // the click is a cause only the page's own state knows.
  '/poll-at-load': () => `<!doctype html><html><head><meta charset="utf-8"><title>Poll</title></head><body>
<button type="button" id="start">Start job</button>
<script>
var started = false;
document.getElementById('start').addEventListener('click', function () { started = true; });
var poll = setInterval(function () { if (!started) return; clearInterval(poll); alert('Job finished'); }, 250);
</script></body></html>`,
};

interface FixtureServer {
  url: string;
  port: number;
  results: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startServer(): Promise<FixtureServer> {
  const results: Array<Record<string, unknown>> = [];
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        results.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      });
      return;
    }
    if (url.pathname === '/slow') {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ id: 7, items: 2 })), Number(url.searchParams.get('ms')));
      return;
    }
    const page = PAGES[url.pathname];
    if (!page) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(port));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    results,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function line(step: Step): string {
  if (step.kind === 'browser.dialog') return `dialog ${step.action} ${JSON.stringify(step.expectMessage ?? '')}${step.whenever ? ' (whenever)' : ''}${step.wait ? ' (wait)' : ''}`;
  if ('target' in step && step.target) return `${step.kind.replace('browser.', '')} ${step.target.description ?? ''}`;
  return step.kind.replace('browser.', '');
}

describe('browser recorder: dialogs that come later, through work a click started', { timeout: 900_000, concurrency: false }, () => {
  let server: FixtureServer;
  let dir: string;
  let engine: Engine;
  // One browser for the file's recordings and replays, a context of their own each (startRecording's
  // `browser`, the engine's StartRunRequest.browser), as the challenge files do: a launch per recording
  // and per replay was most of the file's CPU. recorder.test keeps the recorder's own launch.
  let browser: Browser;

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000 });
    server = await startServer();
    dir = tempDir('recorder-dialogs-async');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(async () => {
    engine.close();
    await browser?.close();
    await server.close();
  });
  afterEach(() => {
    // Every recording and replay closed its context: the next test starts clean.
    assert.equal(browser.contexts().length, 0, 'a context of this test was left open in the shared browser');
  });

  it('a dialog from a fetch callback (.then, await and its body read) or an XHR onload belongs to the click that sent the request: after it, waiting; no warning; replays', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/requests`, headless: true, browser, id: 'recorded.requests' });
    const page = session.page;
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Checked', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Load' }).click();
    await page.getByRole('button', { name: 'Star' }).click(); // while the request is on its way
    await page.getByText('Loaded', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await waitFor(() => server.results.length > 0);
    const doc = await session.stop();
    const recordedState = server.results.at(-1);
    assert.deepEqual(recordedState, { opened: true, checked: 2, loaded: true, starred: true });
    const steps = doc.steps.map(line);
    assert.deepEqual(steps.slice(0, 6), [
      'open',
      'click button "Save"',
      'dialog accept "Saved as 7. Open it?" (wait)',
      'click button "Check"',
      'dialog accept "Checked 2 items" (wait)',
      'click button "Load"',
    ]);
    // Star is clicked while the request is on its way (on a very slow machine it could come after the alert).
    assert.deepEqual(steps.slice(6).filter((s) => s !== 'click button "Star"'), ['dialog accept "Loaded" (wait)', 'click button "Done"']);
    assert.ok(steps.includes('click button "Star"'));
    assert.deepEqual(session.warnings(), [], 'every dialog is tied to the click that started its request');

    const loaded = saveRecording(doc, path.join(dir, 'requests.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
      assert.deepEqual(server.results.at(-1), recordedState, `replay ${i + 1} reached the recorded end state`);
    }
  });

  it('a dialog in a sandboxed frame that keeps the browser\'s own dialogs (allow-modals, opaque origin) is placed by the click that asked, however long the page worked first; replays', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/modal-sandbox`, headless: true, browser, id: 'recorded.modal-sandbox' });
    await session.page.frameLocator('iframe[title="Widget"]').getByRole('button', { name: 'Ask' }).click();
    await waitFor(() => server.results.length > 0);
    const doc = await session.stop();
    assert.deepEqual(server.results.at(-1), { answered: true });
    assert.deepEqual(doc.steps.map(line), ['open', 'dialog accept "Allowed?"', 'click button "Ask"']);
    assert.deepEqual(session.warnings(), []);

    const loaded = saveRecording(doc, path.join(dir, 'modal-sandbox.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
      await waitFor(() => server.results.length > 0);
      assert.deepEqual(server.results.at(-1), { answered: true }, `replay ${i + 1} reached the recorded end state`);
    }
  });

  it('a dialog a message from a frame of another origin opens is tied to the click in that frame that posted it (the frame\'s recorder marks its gestures to the parent): no warning; replays', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/parent`, headless: true, browser, id: 'recorded.cross-origin' });
    await session.page.frameLocator('iframe[title="Child"]').getByRole('button', { name: 'Save child' }).click();
    await waitFor(() => session.steps().some((s) => s.kind === 'browser.dialog'));
    const doc = await session.stop();
    // The code before placed it by time: 'the alert "Child saved" opened while no action of yours was running … placed by time'.
    assert.deepEqual(session.warnings(), []);
    // Armed before the click, or (its message came more than 400 ms after the click: a loaded machine) after it, waited for.
    const steps = doc.steps.map(line);
    assert.ok(
      [['open', 'dialog accept "Child saved"', 'click button "Save child"'], ['open', 'click button "Save child"', 'dialog accept "Child saved" (wait)']].some((expected) => JSON.stringify(expected) === JSON.stringify(steps)),
      steps.join('\n'),
    );
    const loaded = saveRecording(doc, path.join(dir, 'cross-origin.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
    }
  });

  it('a dialog of a poll the page started as it loaded, which a click only set a flag for, is the page\'s own: not armed before the click; answered whenever it opens, waited for after the click; the person is told; replays', { timeout: 240_000 }, async () => {
    const session = await startRecording({ url: `${server.url}/poll-at-load`, headless: true, browser, id: 'recorded.poll-at-load' });
    await session.page.getByRole('button', { name: 'Start job' }).click();
    await waitFor(() => session.steps().some((s) => s.kind === 'browser.dialog'));
    const doc = await session.stop();
    assert.deepEqual(doc.steps.map(line), ['open', 'dialog accept "Job finished" (whenever)', 'click button "Start job"', 'dialog accept "Job finished" (whenever) (wait)']);
    assert.equal(session.warnings().length, 1, session.warnings().join('\n'));
    assert.match(session.warnings()[0]!, /"Job finished".*no action of yours.*answers it whenever it opens and waits for it after click/);
    const loaded = saveRecording(doc, path.join(dir, 'poll-at-load.json'));
    for (let i = 0; i < 2; i++) {
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
    }
  });
});

/** Polls `condition` until it holds (each test has its own timeout). */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 25));
}
