// Where the browser recorder places JavaScript dialogs (issue #18), on pages built to make any
// rule based on timing fail: a click handler that works for 0.7 s before its confirm(), a
// frame whose next page works for 0.7 s before its alert(), and an alert a timer opens 1.2 s
// after a click. The dialog a person's action opened must be armed before that action in the
// recording, whatever the delays; the timer's alert belongs to the click that started the
// timer. The recording is then replayed and the page's end state compared.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Engine } from '../../engine/api.js';
import type { Step } from '../../engine/format/schema.js';
import { startRecording } from '../../recorder/api.js';
import { saveRecording } from '../../recorder/save.js';
import { tempDir } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';

// Synchronous work, as legacy pages do before asking (validation, a big table redrawn).
const BUSY = `function busy(ms) { var end = Date.now() + ms; while (Date.now() < end) {} }`;

const PAGES: Record<string, string> = {
  '/desk': `<!doctype html><html><head><meta charset="utf-8"><title>Desk</title></head><body>
<h1>Record 7</h1>
<button type="button" id="archive">Archive</button>
<button type="button" id="rename">Rename</button>
<iframe name="notes" title="Notes" src="/notes" style="width:420px;height:110px"></iframe>
<button type="button" id="later">Remind me later</button>
<button type="button" id="done">Done</button>
<p id="status">Record: Alpha</p>
<script>
${BUSY}
var state = { archived: false, name: 'Alpha', note: '', reminder: false };
var statusLine = document.getElementById('status');
window.noteSaved = function (text) { state.note = text; };
document.getElementById('archive').addEventListener('click', function () {
  busy(700);
  state.archived = confirm('Archive record 7?');
  statusLine.textContent = state.archived ? 'Archived' : 'Kept';
});
document.getElementById('rename').addEventListener('click', function () {
  var name = prompt('New name?', 'Beta');
  if (name !== null) { state.name = name; statusLine.textContent = 'Record: ' + name; }
});
document.getElementById('later').addEventListener('click', function () {
  setTimeout(function () { alert('Reminder set'); state.reminder = true; statusLine.textContent = 'Reminder set'; }, 1200);
});
document.getElementById('done').addEventListener('click', function () {
  fetch('/result', { method: 'POST', body: JSON.stringify(state) });
});
</script></body></html>`,
  // Dialogs asked from other events of a gesture: a mousedown, a <select>'s change (chosen
  // with the keyboard), and a form's submit handler run by Enter in a field.
  '/order': `<!doctype html><html><head><meta charset="utf-8"><title>Order</title></head><body>
<div id="hold" role="button" tabindex="0" style="display:inline-block;padding:4px;border:1px solid #888">Hold</div>
<form id="order">
<label>Colour <select name="colour"><option>Red</option><option>Blue</option></select></label>
<label>Quantity <input name="qty"></label>
<button>Send</button>
</form>
<script>
${BUSY}
var state = { held: false, colour: 'Red', qty: '', sent: false };
var form = document.getElementById('order');
document.getElementById('hold').addEventListener('mousedown', function () { busy(700); state.held = confirm('Hold the order?'); });
form.colour.addEventListener('change', function () { busy(700); state.colour = form.colour.value; alert('Colour ' + form.colour.value + ' ships in a week'); });
form.addEventListener('submit', function (e) {
  e.preventDefault();
  busy(700);
  if (!confirm('Send the order?')) return;
  state.qty = form.qty.value;
  state.sent = true;
  fetch('/result', { method: 'POST', body: JSON.stringify(state) });
});
</script></body></html>`,
  // A frame sandboxed without allow-modals: the browser refuses its dialogs (confirm() is false).
  '/sandboxed': `<!doctype html><html><head><meta charset="utf-8"><title>Sandboxed</title></head><body>
<iframe title="Widget" src="/widget" sandbox="allow-scripts allow-same-origin"></iframe>
</body></html>`,
  '/widget': `<!doctype html><html><head><meta charset="utf-8"><title>Widget</title></head><body>
<button type="button" id="ask">Ask</button>
<script>
document.getElementById('ask').addEventListener('click', function () {
  var answered = confirm('Allowed?');
  fetch('/result', { method: 'POST', body: JSON.stringify({ answered: answered }) });
});
</script></body></html>`,
  // Dialogs opened by timers that clicks started: one at once (0 ms), one 1.2 s later while the
  // person has already clicked something else.
  '/timers': `<!doctype html><html><head><meta charset="utf-8"><title>Timers</title></head><body>
<button type="button" id="check">Check</button>
<button type="button" id="later">Later</button>
<button type="button" id="star">Star</button>
<button type="button" id="done">Done</button>
<p id="status">-</p>
<script>
var state = { checked: false, later: false, starred: false };
document.getElementById('check').addEventListener('click', function () {
  setTimeout(function () { state.checked = confirm('Checked?'); }, 0);
});
document.getElementById('later').addEventListener('click', function () {
  requestAnimationFrame(function () {
    setTimeout(function () { alert('Later done'); state.later = true; document.getElementById('status').textContent = 'Later done'; }, 1200);
  });
});
document.getElementById('star').addEventListener('click', function () { state.starred = true; });
document.getElementById('done').addEventListener('click', function () {
  fetch('/result', { method: 'POST', body: JSON.stringify(state) });
});
</script></body></html>`,
  // What a page can learn of the dialog and timer functions (scripts that check they are not automated do this).
  '/probe': `<!doctype html><html><head><meta charset="utf-8"><title>Probe</title><script>
var own = function (f) { return [String(f), f.name, f.length, Function.prototype.toString.call(f), 'prototype' in f, Object.getOwnPropertyNames(f).join()]; };
var described = function (owner, n) {
  var d = Object.getOwnPropertyDescriptor(owner, n);
  return own(owner[n]).concat([n in owner, d.writable, d.enumerable, d.configurable]);
};
window.facts = ['alert', 'confirm', 'prompt', 'setTimeout', 'requestAnimationFrame', 'fetch'].map(function (n) { return described(window, n); })
  .concat(['json', 'text', 'arrayBuffer', 'blob', 'formData'].map(function (n) { return described(Response.prototype, n); }))
  .concat([described(XMLHttpRequest.prototype, 'send')])
  .concat([own(Function.prototype.toString), own(Function.prototype.toString.toString)]);
</script></head><body><p>probe</p></body></html>`,
  '/notes': `<!doctype html><html><head><meta charset="utf-8"><title>Notes</title></head><body>
<form method="get" action="/notes"><label>Note <input name="saved"></label> <button>Save note</button></form>
<script>
${BUSY}
var saved = new URLSearchParams(location.search).get('saved');
if (saved) { busy(700); alert('Note saved'); parent.noteSaved(saved); }
</script></body></html>`,
};

interface FixtureServer {
  url: string;
  results: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startServer(): Promise<FixtureServer> {
  const results: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture.invalid');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        results.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
      return;
    }
    const page = PAGES[url.pathname];
    if (!page) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    results,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Clicks a control of the recorder's toolbar (closed shadow root) with the real mouse. */
async function clickToolbar(page: Page, action: string): Promise<void> {
  const box = await page.evaluate(
    (a) => (globalThis as unknown as { __rpaRecorder: { toolbarBox(a: string): { x: number; y: number; width: number; height: number } | undefined } }).__rpaRecorder.toolbarBox(a),
    action,
  );
  assert.ok(box, `toolbar control ${action}`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

function line(step: Step): string {
  if (step.kind === 'browser.dialog') return `dialog ${step.action} ${JSON.stringify(step.expectMessage ?? '')}${step.promptText !== undefined ? ` answer ${JSON.stringify(step.promptText)}` : ''}${step.wait ? ' (wait)' : ''}`;
  if ('target' in step && step.target) return `${step.kind.replace('browser.', '')} ${step.target.description ?? ''}`;
  return step.kind.replace('browser.', '');
}

describe('browser recorder: dialog placement', { timeout: 600_000, concurrency: false }, () => {
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
    dir = tempDir('recorder-dialogs');
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

  it('arms each dialog before the action that opened it, however long the page worked first; a timer\'s dialog belongs to the click that started the timer; replays', { timeout: 240_000 }, async () => {
    const session = await startRecording({ url: `${server.url}/desk`, headless: true, browser, id: 'recorded.dialogs' });
    const page = session.page;
    await page.getByRole('button', { name: 'Archive' }).click(); // 0.7 s of work, then confirm()
    await page.getByText('Archived').waitFor();
    await clickToolbar(page, 'prompt');
    await page.keyboard.type('Gamma');
    await page.getByRole('button', { name: 'Rename' }).click(); // prompt() answered from the toolbar at once
    await page.getByText('Record: Gamma').waitFor();
    const notes = page.frameLocator('iframe[name="notes"]');
    await notes.getByLabel('Note').click();
    await page.keyboard.type('Call back Monday');
    await notes.getByRole('button', { name: 'Save note' }).click(); // the frame's next page works 0.7 s, then alert()s
    await page.getByRole('button', { name: 'Remind me later' }).click(); // a timer alert()s 1.2 s later
    await page.getByText('Reminder set').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForTimeout(300);
    const doc = await session.stop();
    const recordedState = server.results.at(-1);
    assert.deepEqual(recordedState, { archived: true, name: 'Gamma', note: 'Call back Monday', reminder: true });

    assert.deepEqual(doc.steps.map(line), [
      'open',
      'dialog accept "Archive record 7?"',
      'click button "Archive"',
      'dialog accept "New name?" answer "Gamma"',
      'click button "Rename"',
      'fill textbox "Note"',
      'dialog accept "Note saved"',
      'click button "Save note"',
      'click button "Remind me later"',
      'dialog accept "Reminder set" (wait)',
      'click button "Done"',
    ]);
    // The timer's alert carries the click that started the timer: nothing is placed by time.
    assert.deepEqual(session.warnings(), []);

    const loaded = saveRecording(doc, path.join(dir, 'dialogs.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
      assert.deepEqual(server.results.at(-1), recordedState, `replay ${i + 1} reached the recorded end state`);
    }
  });

  it('a dialog opened by a timer a click started belongs to that click: at once, armed before it; later, after what was done meanwhile, waiting; no warning; replays', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/timers`, headless: true, browser, id: 'recorded.timers' });
    const page = session.page;
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByRole('button', { name: 'Later' }).click();
    await page.getByRole('button', { name: 'Star' }).click(); // before the 1.2 s timer's alert
    await page.getByText('Later done').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForTimeout(300);
    const doc = await session.stop();
    const recordedState = server.results.at(-1);
    assert.deepEqual(recordedState, { checked: true, later: true, starred: true });
    const steps = doc.steps.map(line);
    assert.deepEqual(steps.slice(0, 3), ['open', 'dialog accept "Checked?"', 'click button "Check"']);
    // The Star click may come before or (on a slow machine) after the alert; the alert waits after the clicks before it.
    assert.deepEqual(steps.slice(-2), ['dialog accept "Later done" (wait)', 'click button "Done"']);
    assert.deepEqual(steps.slice(3, -2).sort(), ['click button "Later"', 'click button "Star"']);
    assert.deepEqual(session.warnings(), []);

    const loaded = saveRecording(doc, path.join(dir, 'timers.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
      assert.deepEqual(server.results.at(-1), recordedState, `replay ${i + 1} reached the recorded end state`);
    }
  });

  it('the dialog, timer and request functions the recorder replaces look to the page as the browser\'s own', { timeout: 240_000 }, async () => {
    const session = await startRecording({ url: `${server.url}/probe`, headless: true, browser, id: 'recorded.probe' });
    try {
      const seen = await session.page.evaluate(() => (globalThis as unknown as { facts: unknown }).facts);
      // The same page in the same browser, in a context without the recorder.
      const plain = await session.page.context().browser()!.newContext();
      try {
        const page = await plain.newPage();
        await page.goto(`${server.url}/probe`);
        const native = await page.evaluate(() => (globalThis as unknown as { facts: unknown }).facts);
        assert.match(JSON.stringify(native), /function alert\(\) \{ \[native code\] \}/);
        assert.deepEqual(seen, native);
      } finally {
        await plain.close();
      }
    } finally {
      await session.stop();
    }
  });

  it('leaves the dialogs of a frame sandboxed without allow-modals to the browser, which refuses them: none is recorded or answered', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/sandboxed`, headless: true, browser, id: 'recorded.sandboxed' });
    await session.page.frameLocator('iframe[title="Widget"]').getByRole('button', { name: 'Ask' }).click();
    await session.page.waitForTimeout(500);
    const doc = await session.stop();
    assert.deepEqual(server.results.at(-1), { answered: false }, 'the browser refused the confirm, as it does without the recorder');
    assert.deepEqual(doc.steps.map(line), ['open', 'click button "Ask"']);
  });

  it('arms a dialog asked on mousedown, on a <select>\'s change and in a submit handler run by Enter before the step of that gesture; replays', { timeout: 240_000 }, async () => {
    server.results.splice(0);
    const session = await startRecording({ url: `${server.url}/order`, headless: true, browser, id: 'recorded.order' });
    const page = session.page;
    await page.getByText('Hold', { exact: true }).click(); // confirm() on mousedown, after 0.7 s
    await page.getByLabel('Colour').focus();
    await page.keyboard.press('ArrowDown'); // a closed <select> changes at once: alert() after 0.7 s
    await page.getByLabel('Quantity').click();
    await page.keyboard.type('3');
    await page.keyboard.press('Enter'); // the form's submit handler confirm()s after 0.7 s
    await page.waitForTimeout(300);
    const doc = await session.stop();
    const recordedState = server.results.at(-1);
    assert.deepEqual(recordedState, { held: true, colour: 'Blue', qty: '3', sent: true });
    assert.deepEqual(doc.steps.map(line), [
      'open',
      'dialog accept "Hold the order?"',
      'click button "Hold"',
      'dialog accept "Colour Blue ships in a week"',
      'select combobox "Colour"',
      'fill textbox "Quantity"',
      'dialog accept "Send the order?"',
      'press textbox "Quantity"',
    ]);
    assert.deepEqual(session.warnings(), []);

    const loaded = saveRecording(doc, path.join(dir, 'order.json'));
    for (let i = 0; i < 2; i++) {
      server.results.splice(0);
      const result = await engine.run({ file: loaded.file, browser });
      assert.equal(result.status, 'passed', `replay ${i + 1}: ${JSON.stringify(result.error)}`);
      assert.deepEqual(server.results.at(-1), recordedState, `replay ${i + 1} reached the recorded end state`);
    }
  });
});
