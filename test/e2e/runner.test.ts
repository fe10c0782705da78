// Runner behaviour in real Chromium: retries, timeouts, fallback and ambiguous locators,
// cancellation, dialogs, frames, and secrets kept out of events.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { Engine } from '../../engine/api.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import type { RunEvent } from '../../engine/events.js';
import { startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;

function automation(steps: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { format: 1, id: 'runner.test', name: 'runner test', version: '1.0.0', ...extra, steps };
}

describe('runner', { concurrency: false }, () => {
  let dir: string;
  let engine: Engine;
  let demo: DemoSystem;
  // One browser for the file: runs without a signal open a fresh context in it (StartRunRequest.browser).
  // Cancelled and timed-out runs launch their own, as every real run does, so that stopping a run
  // while its browser starts or works is still tested on the browser the run owns.
  let browser: Browser;

  before(async () => {
    dir = tempDir('runner');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir, RPA_SECRET_TOKEN: 's3cr3t-t0ken-value' } });
    demo = await startDemoSystem({ port: 0, slowMs: 1500 });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, timeout: 120_000 });
  });
  after(async () => {
    engine.close();
    await browser?.close();
    await demo.close();
  });

  async function runWith(doc: Record<string, unknown>, extra: { maxRunMs?: number }): Promise<Awaited<ReturnType<Engine['run']>>> {
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, doc);
    return engine.run({ file, ...extra });
  }

  async function run(doc: Record<string, unknown>, signal?: AbortSignal): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> {
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, doc);
    const events: RunEvent[] = [];
    const result = await engine.run({ file, ...(signal ? { signal } : { browser }) }, (event) => events.push(event));
    return { result, events };
  }

  it('retries a step with backoff until the element appears', async () => {
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page('<body><script>setTimeout(() => { document.body.innerHTML = "<button>Ready</button>"; }, 1200)</script></body>') },
        { kind: 'browser.click', timeoutMs: 300, retry: { attempts: 6, delayMs: 100, backoff: 1.5 }, target: { candidates: [{ role: 'button', name: 'Ready' }] } },
      ]),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const attempts = events.filter((e) => e.type === 'step.failed' && e.path === '2');
    assert.ok(attempts.length >= 1, 'at least one failed attempt before success');
    assert.ok(attempts.every((e) => e.type === 'step.failed' && e.willRetry));
    const success = events.find((e) => e.type === 'step.succeeded' && e.path === '2');
    assert.ok(success && success.type === 'step.succeeded' && success.attempt === attempts.length + 1);
  });

  it('a step that runs out of time fails with a screenshot and the page HTML', async () => {
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page('<h1>Nothing to click</h1>') },
        { kind: 'browser.click', timeoutMs: 500, target: { description: 'missing button', candidates: [{ role: 'button', name: 'Go' }, { css: '#go' }] } },
        { kind: 'log', message: 'never reached' },
      ]),
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'LocatorNotFoundError');
    assert.equal(result.error?.details?.['step'], '2');
    assert.match(result.error?.message ?? '', /missing button: not found after \d+ ms \(role=button\[name="Go"\] → 0 matches; css=#go → 0 matches\)/);
    const artifacts = events.filter((e) => e.type === 'artifact');
    assert.deepEqual(artifacts.map((e) => e.type === 'artifact' && e.artifactKind), ['screenshot', 'html']);
    for (const artifact of artifacts) if (artifact.type === 'artifact') assert.ok(existsSync(artifact.file));
    const html = artifacts[1]!.type === 'artifact' ? readFileSync(artifacts[1]!.file, 'utf8') : '';
    assert.match(html, /Nothing to click/);
    assert.ok(!events.some((e) => e.type === 'step.started' && e.path === '3'));
  });

  it('falls back to a lower-ranked locator, records it, and skips ambiguous candidates', async () => {
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page('<button>Save</button><button>Save</button><button id="save-2">Save draft</button><p id="out"></p><script>document.getElementById("save-2").onclick=()=>{document.getElementById("out").textContent="draft saved"}</script>') },
        { kind: 'browser.click', target: { candidates: [{ css: '#renamed-by-upgrade' }, { text: 'Save', exact: true }, { css: '#save-2' }] } },
        { kind: 'browser.assert', target: { candidates: [{ css: '#out' }] }, assert: 'textEquals', expected: 'draft saved' },
      ]),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const click = events.find((e) => e.type === 'step.succeeded' && e.path === '2');
    assert.deepEqual(click?.type === 'step.succeeded' && click.locator, { index: 2, description: 'css=#save-2', fallback: true });
  });

  it('cancellation stops the run between or during steps and records it as cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page('<p>waiting</p>') },
        { kind: 'browser.waitFor', timeoutMs: 60_000, target: { candidates: [{ text: 'never appears' }] } },
      ]),
      controller.signal,
    );
    assert.equal(result.status, 'cancelled');
    assert.ok(Date.now() - started < 15_000, 'cancelled promptly');
    assert.equal(result.error?.name, 'CancelledError');
    const stored = engine.getRun(result.runId);
    assert.equal(stored?.status, 'cancelled');
    assert.ok(!events.some((e) => e.type === 'artifact'), 'no failure capture for a cancelled run');
  });

  it('a run past its maximum run time is stopped and marked timed_out', async () => {
    const started = Date.now();
    const result = await runWith(
      automation([
        { kind: 'browser.open', url: page('<p>slow system</p>') },
        { kind: 'browser.waitFor', timeoutMs: 60_000, target: { candidates: [{ text: 'never appears' }] } },
      ]),
      { maxRunMs: 2_000 },
    );
    assert.equal(result.status, 'timed_out');
    assert.ok(Date.now() - started < 20_000);
    assert.match(result.error?.message ?? '', /took longer than its maximum of 2000 ms/);
    assert.equal(engine.getRun(result.runId)?.status, 'timed_out');
  });

  it('answers a dialog that comes right after another, before its own browser.dialog step has armed (seen: the frame-messages challenge under load)', async () => {
    // The confirm comes a while after the click (its step waits for it); the alert opens the moment the confirm is
    // accepted, before the next dialog step has armed. Before, the alert was dismissed as unexpected and that step
    // waited in vain.
    const html = '<button onclick="setTimeout(() => { document.getElementById(\'r\').textContent = confirm(\'Pay?\') ? (alert(\'Payment done\'), \'paid\') : \'no\'; }, 200)">Pay</button><p id="r"></p>';
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page(html) },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Pay' }] } },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Pay?', wait: true },
        { kind: 'flow.set', var: 'between', value: 'x' },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Payment done', wait: true },
        { kind: 'browser.assert', target: { candidates: [{ css: '#r' }] }, assert: 'textEquals', expected: 'paid' },
      ]),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(!events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('was dismissed')), 'no dialog dismissed');
  });

  it('answers armed dialogs, dismisses unexpected ones with a warning, and fails on an unexpected message', async () => {
    const html = '<button onclick="document.getElementById(\'r\').textContent = prompt(\'Your name?\')">Ask</button><button onclick="alert(\'surprise\')">Alert</button><p id="r"></p>';
    const { result, events } = await run(
      automation([
        { kind: 'browser.open', url: page(html) },
        { kind: 'browser.dialog', action: 'accept', promptText: 'Ada', saveMessageAs: 'question' },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Ask' }] } },
        { kind: 'browser.assert', target: { candidates: [{ css: '#r' }] }, assert: 'textEquals', expected: 'Ada' },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Alert' }] } },
        { kind: 'flow.set', var: 'asked', value: '{{vars.question}}' },
      ], { outputs: ['asked'] }),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(result.outputs, { asked: 'Your name?' });
    assert.ok(events.some((e) => e.type === 'log' && e.level === 'warn' && e.message.includes('unexpected alert "surprise" was dismissed')));

    const wrong = await run(
      automation([
        { kind: 'browser.open', url: page('<button onclick="confirm(\'Delete everything?\')">Go</button>') },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Submit this claim' },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Go' }] } },
      ]),
    );
    assert.equal(wrong.result.status, 'failed');
    assert.match(wrong.result.error?.message ?? '', /said "Delete everything\?", expected it to contain "Submit this claim"/);
  });

  it('fills inside an iframe by frame path and reads a table', async () => {
    const inner = '<label for=n>Note:</label><textarea id=n></textarea>';
    const { result } = await run(
      automation(
        [
          { kind: 'browser.open', url: page(`<iframe name="legacy" srcdoc="${inner.replace(/"/g, '&quot;')}"></iframe><table><tr><th>Claim</th><th>Status</th></tr><tr><td>A-1</td><td>Open</td></tr><tr><td>A-2</td><td>Closed</td></tr></table>`) },
          { kind: 'browser.fill', target: { frame: ['iframe[name=legacy]'], candidates: [{ label: 'Note:' }] }, value: 'hello frame' },
          { kind: 'browser.extract', target: { frame: ['iframe[name=legacy]'], candidates: [{ css: 'textarea' }] }, what: 'value', into: 'note' },
          { kind: 'browser.extract', target: { candidates: [{ css: 'table' }] }, what: 'table', into: 'rows' },
        ],
        { outputs: ['note', 'rows'] },
      ),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(result.outputs, {
      note: 'hello frame',
      rows: [
        { Claim: 'A-1', Status: 'Open' },
        { Claim: 'A-2', Status: 'Closed' },
      ],
    });
  });

  it('keeps secret values out of events, outputs, the store and artifacts', async () => {
    const { result, events } = await run(
      automation(
        [
          { kind: 'browser.open', url: page('<input aria-label="token">') },
          { kind: 'browser.fill', target: { candidates: [{ role: 'textbox', name: 'token' }] }, value: '{{secrets.token}}' },
          { kind: 'browser.extract', target: { candidates: [{ role: 'textbox', name: 'token' }] }, what: 'value', into: 'echoed' },
          { kind: 'log', message: 'the token is {{secrets.token}}' },
          { kind: 'flow.fail', message: 'failing with {{vars.echoed}} in the message' },
        ],
        { secrets: ['token'], outputs: ['echoed'] },
      ),
    );
    assert.equal(result.status, 'failed');
    const everything = JSON.stringify(events) + JSON.stringify(result) + JSON.stringify(engine.getRun(result.runId)) + JSON.stringify(engine.events(result.runId));
    assert.ok(!everything.includes('s3cr3t-t0ken-value'), 'secret leaked');
    assert.match(everything, /the token is ••••••/);
    assert.equal(result.error?.name, 'BusinessError');
  });

  it('continueOnError goes on; flow.try runs catch and finally; a business error is not retried', async () => {
    const { result, events } = await run(
      automation(
        [
          { kind: 'flow.fail', message: 'ignored', continueOnError: true },
          {
            kind: 'flow.try',
            steps: [{ kind: 'flow.fail', message: 'row 3 has no policy number', retry: { attempts: 3, delayMs: 10 } }],
            catch: [{ kind: 'flow.set', var: 'caught', value: '{{vars.error.message}}' }],
            finally: [{ kind: 'flow.set', var: 'cleaned', value: true }],
          },
          { kind: 'flow.forEach', items: ['a', 'b'], as: 'item', indexAs: 'i', steps: [{ kind: 'flow.set', var: 'seen', append: true, value: '{{vars.i}}:{{vars.item}}' }] },
        ],
        { outputs: ['caught', 'cleaned', 'seen'] },
      ),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.deepEqual(result.outputs, { caught: 'row 3 has no policy number', cleaned: true, seen: ['0:a', '1:b'] });
    assert.equal(events.filter((e) => e.type === 'step.started' && e.path === '2.try.1').length, 1, 'business errors are not retried');
    assert.ok(events.some((e) => e.type === 'step.succeeded' && e.path === '3[2].1'));
  });

  it('switches to a popup and back, and waits out a slow page', async () => {
    const { result } = await run(
      automation(
        [
          { kind: 'browser.open', url: `${demo.url}/login` },
          { kind: 'browser.fill', target: { candidates: [{ label: 'User name:' }] }, value: 'clerk' },
          { kind: 'browser.fill', target: { candidates: [{ label: 'Password:' }] }, value: 'Winter2004!' },
          { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Sign in' }] } },
          { kind: 'browser.goto', url: `${demo.url}/reports` },
          { kind: 'browser.assert', target: { candidates: [{ text: 'Claims by status' }] }, assert: 'visible' },
          { kind: 'browser.goto', url: `${demo.url}/claims/CLM-2004-000002` },
          { kind: 'browser.click', target: { candidates: [{ role: 'link', name: 'Printable view' }] } },
          { kind: 'browser.switchTab', urlContains: '/print' },
          { kind: 'browser.assert', assert: 'titleContains', expected: 'Printable view' },
          { kind: 'browser.switchTab', closeCurrent: true, index: 0 },
          { kind: 'browser.assert', assert: 'urlContains', expected: '/claims/CLM-2004-000002' },
        ],
      ),
    );
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });
});
