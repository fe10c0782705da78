// A dialog recorded as opening a while after a click (its browser.dialog step waits for it) can, on a
// busy machine, open before the click has returned: the click then waits for the page, and the page
// waits for the dialog to be answered. Seen at the end of the ninth session: the runner dismissed it as
// unexpected and the dialog step failed with "no dialog appeared". Here the page opens the dialog in the
// click handler itself, so it always comes before the click returns. Real Chromium, the whole runner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserRuns, warnings } from '../helpers/browser-runs.js';

const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;
const automation = (steps: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ format: 1, id: 'dialog-during-action', name: 'dialog during action', version: '1.0.0', ...extra, steps });
const button = (name: string): Record<string, unknown> => ({ candidates: [{ role: 'button', name }] });
const result = { candidates: [{ css: '#r' }] };
/** The page answers the click at once with a dialog; a slower page (or a busier machine) would do the same a moment later. */
const PAGE = page(`<button onclick="document.getElementById('r').textContent = confirm('Send the invoice?') ? 'sent' : 'kept'">Send</button>
<button onclick="document.getElementById('r').textContent = 'Reference: ' + prompt('Your reference?')">Ask</button>
<label>Amount <input id=amount oninput="if (this.value === '100') alert('That is a round amount')"></label><p id=r></p>`);

describe('a dialog that opens before the action that opened it returns', { concurrency: false, timeout: 180_000 }, () => {
  const { run } = browserRuns('dialog-during-action');

  it('holds it for the waiting browser.dialog step after the click, which answers it', async () => {
    const { result: outcome, events } = await run(
      automation([
        { kind: 'browser.open', url: PAGE },
        { kind: 'browser.click', target: button('Send') },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Send the invoice?', wait: true, timeoutMs: 5_000 },
        { kind: 'browser.assert', target: result, assert: 'textEquals', expected: 'sent', timeoutMs: 5_000 },
      ]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
    assert.deepEqual(warnings(events), []);
    const order = events.flatMap((e) => (e.type === 'step.succeeded' ? [e.path] : []));
    assert.deepEqual(order, ['1', '2', '3', '4']);
    const click = events.find((e) => e.type === 'step.succeeded' && e.path === '2');
    assert.ok(click?.type === 'step.succeeded' && click.locator?.index === 0, 'the click still says which candidate found the button');
    assert.ok(events.some((e) => e.type === 'log' && e.path === '2' && e.message.includes('held for the browser.dialog step after it')));
  });

  it('gives the held dialog the waiting step’s own answer: prompt text, saved message, after a fill and a click', async () => {
    const { result: outcome, events } = await run(
      automation(
        [
          { kind: 'browser.open', url: PAGE },
          { kind: 'browser.fill', target: { candidates: [{ label: 'Amount' }] }, value: '100' },
          { kind: 'browser.dialog', action: 'accept', expectMessage: 'round amount', wait: true, timeoutMs: 5_000 },
          { kind: 'browser.click', target: button('Ask') },
          { kind: 'browser.dialog', action: 'accept', promptText: 'INV-{{inputs.number}}', saveMessageAs: 'asked', wait: true, timeoutMs: 5_000 },
          { kind: 'browser.assert', target: result, assert: 'textEquals', expected: 'Reference: INV-7', timeoutMs: 5_000 },
        ],
        { inputs: [{ name: 'number', type: 'string', default: '7' }], outputs: ['asked'] },
      ),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
    assert.deepEqual(outcome.outputs, { asked: 'Your reference?' });
    assert.deepEqual(warnings(events), []);
  });

  it('still fails clearly when the held dialog says something else than the step expects', async () => {
    const { result: outcome } = await run(
      automation([
        { kind: 'browser.open', url: PAGE },
        { kind: 'browser.click', target: button('Send') },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Delete the invoice?', wait: true, timeoutMs: 5_000 },
      ]),
    );
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error?.message ?? '', /said "Send the invoice\?", expected it to contain "Delete the invoice\?"/);
  });

  // Before the unexpected-dialogs policy this run passed with the page told Cancel ('kept'), a warning its only trace.
  it('dismisses it and fails the click when no dialog step follows it', async () => {
    const { result: outcome, events } = await run(
      automation([
        { kind: 'browser.open', url: PAGE },
        { kind: 'browser.click', target: button('Send') },
        { kind: 'browser.assert', target: result, assert: 'textEquals', expected: 'kept', timeoutMs: 5_000 },
      ]),
    );
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error?.message ?? '', /confirm "Send the invoice\?" \(during a browser\.click step\) that no step answers/);
    assert.ok(warnings(events).some((m) => m.includes('unexpected confirm "Send the invoice?" was dismissed')), warnings(events).join('\n'));
  });
});
