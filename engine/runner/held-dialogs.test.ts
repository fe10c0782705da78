// A dialog that comes while no browser.dialog step is armed yet, right after a dialog step (a dialog that follows
// another through a message): on a busy machine the next step arms it a moment later. Real Chromium, the session's
// own dialog handling; the "busy runner" is a pause between the two steps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { findBrowser } from './browser-finder.js';
import { BrowserSession, type DialogAnswer } from './browser-session.js';

// The confirm opens when the test says so (window.pay), after its browser.dialog step armed: with a timer started by the
// click, a click that returned late (a busy machine, a slower Chromium) let the confirm come during the click step, where
// it is rightly dismissed as unexpected, and the test waited for it for ever. What is tested is the alert after it.
const PAGE = `data:text/html,<script>function pay() { document.title = confirm('Pay?') ? (alert('Payment done'), 'paid') : 'no'; }</script><button onclick="document.title = 'clicked'">Pay</button>`;

function answer(expectMessage: string, armedBy: string): DialogAnswer & { came: Promise<string> } {
  let resolve!: (message: string) => void;
  const came = new Promise<string>((r) => (resolve = r));
  let message = '';
  return { action: 'accept', expectMessage, armedBy, onDialog: (m) => (message = m), answered: () => resolve(message), came };
}

describe('dialogs that come before their step arms', { timeout: 60_000 }, () => {
  let session: BrowserSession;
  const logs: string[] = [];
  before(async () => {
    session = await BrowserSession.launch({ executablePath: findBrowser(), headless: true, launchTimeoutMs: 30_000, signal: new AbortController().signal, log: (_level, message) => logs.push(message) });
  });
  after(async () => session?.close());

  /** Click Pay, answer its confirm in a browser.dialog step, then pause as a busy runner would: the alert has come by then. */
  async function payThenPause(): Promise<void> {
    await session.page.goto(PAGE);
    void session.stepStarted('browser.click');
    await session.page.getByRole('button', { name: 'Pay' }).click();
    void session.stepStarted('browser.dialog');
    const pay = answer('Pay?', '2');
    session.armDialog(pay);
    await session.page.evaluate('setTimeout(pay, 0)');
    assert.equal(await Promise.race([pay.came, sleep(10_000).then(() => 'never came')]), 'Pay?');
    await sleep(400);
  }

  it('holds a dialog that comes right after a dialog step until the next dialog step arms', async () => {
    await payThenPause();
    void session.stepStarted('browser.dialog');
    const done = answer('Payment done', '3');
    session.armDialog(done);
    assert.equal(await Promise.race([done.came, sleep(3_000).then(() => 'never came')]), 'Payment done');
    await session.page.waitForFunction("document.title === 'paid'", undefined, { polling: 100, timeout: 20_000 });
    assert.deepEqual(session.dialogProblems, []);
    assert.ok(!logs.some((m) => m.includes('was dismissed')), logs.join('\n'));
  });

  it('dismisses a held dialog, with a warning, when the next step is not a dialog step', async () => {
    logs.length = 0;
    await payThenPause();
    void session.stepStarted('browser.click');
    await session.page.waitForFunction("document.title === 'paid'", undefined, { polling: 100, timeout: 20_000 });
    assert.ok(logs.some((m) => m.includes('unexpected alert "Payment done" was dismissed')), logs.join('\n'));
  });
});
