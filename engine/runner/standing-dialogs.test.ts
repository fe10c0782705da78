// Dialogs the page opens on its own (a timer it started as it loaded): a standing answer (browser.dialog with
// whenever) answers each of them whenever it opens, and leaves the answers steps armed for their own dialogs alone.
// Real Chromium, the session's own dialog handling.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findBrowser } from './browser-finder.js';
import { BrowserSession, type DialogAnswer } from './browser-session.js';

const PAGE = `data:text/html,<title>-</title><button onclick="document.title = confirm('Delete the record?') ? 'deleted' : 'kept'">Delete</button>
<script>let warnings = 0; const own = setInterval(() => { alert('Your session expires soon'); document.title = 'warned ' + ++warnings; if (warnings === 2) clearInterval(own); }, 150);</script>`;

function answer(expectMessage: string, armedBy: string): DialogAnswer & { came: Promise<string> } {
  let resolve!: (message: string) => void;
  const came = new Promise<string>((r) => (resolve = r));
  let message = '';
  return { action: 'accept', expectMessage, armedBy, onDialog: (m) => (message = m), answered: () => resolve(message), came };
}

describe('dialogs the page opens on its own', { timeout: 60_000 }, () => {
  let session: BrowserSession;
  const logs: string[] = [];
  before(async () => {
    session = await BrowserSession.launch({ executablePath: findBrowser(), headless: true, launchTimeoutMs: 30_000, signal: new AbortController().signal, log: (_level, message) => logs.push(message) });
  });
  after(async () => session?.close());

  it('answers each of them with the standing answer, not with the answer a step armed for the click that comes later', async () => {
    void session.stepStarted('browser.dialog');
    const own = session.standDialog(answer('Your session expires soon', '2'));
    assert.equal(session.standDialog(answer('Your session expires soon', '5')), own, 'the same answer armed again is the one standing');
    void session.stepStarted('browser.dialog');
    const remove = answer('Delete the record?', '3');
    session.armDialog(remove);
    void session.stepStarted('browser.goto');
    await session.page.goto(PAGE);
    await session.page.waitForFunction("document.title === 'warned 2'");
    assert.equal(own.seen, 2);
    void session.stepStarted('browser.click');
    await session.page.getByRole('button', { name: 'Delete' }).click();
    assert.equal(await remove.came, 'Delete the record?');
    await session.page.waitForFunction("document.title === 'deleted'");
    assert.deepEqual(session.dialogProblems, []);
    assert.deepEqual(session.unusedDialogAnswers(), []);
    assert.ok(!logs.some((m) => m.includes('was dismissed')), logs.join('\n'));
  });
});
