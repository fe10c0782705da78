// A dialog no step expects. The runner dismisses it (the page must not stay blocked) and used to go on with a
// warning, so a confirm or prompt the recording never answered — whose answer decides what the page does with the
// data — ended in a green run with the page told Cancel. Now such a dialog fails the step during which it opened,
// saying which dialog and what to add. An alert has one answer (dismissing it is accepting it): still a warning.
// Real Chromium, the whole runner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../../engine/events.js';
import { browserRuns, warnings } from '../helpers/browser-runs.js';

const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;
const automation = (steps: unknown[]): Record<string, unknown> => ({ format: 1, id: 'unexpected-dialogs', name: 'unexpected dialogs', version: '1.0.0', steps });
const button = (name: string): Record<string, unknown> => ({ candidates: [{ role: 'button', name }] });
const PAGE = page(`<button onclick="r.textContent = confirm('Delete the invoice?') ? 'deleted' : 'kept'">Delete</button>
<button onclick="r.textContent = 'Reference: ' + prompt('Your reference?')">Ask</button>
<button onclick="alert('Saved'); r.textContent = 'saved'">Save</button><p id=r></p>`);
const shows = (expected: string): Record<string, unknown> => ({ kind: 'browser.assert', target: { candidates: [{ css: '#r' }] }, assert: 'textEquals', expected, timeoutMs: 3_000 });
const failedSteps = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === 'step.failed' ? [e.path] : []));

describe('a dialog no step answers', { concurrency: false, timeout: 240_000 }, () => {
  const { run } = browserRuns('unexpected-dialogs');

  it('fails the step that opened a confirm no step answers (before: dismissed, and the run passed)', async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: PAGE }, { kind: 'browser.click', target: button('Delete') }, shows('kept')]));
    assert.equal(result.status, 'failed');
    assert.deepEqual(failedSteps(events), ['2']);
    assert.match(result.error?.message ?? '', /opened a confirm "Delete the invoice\?" \(during a browser\.click step\) that no step answers; it was dismissed.*Add a browser\.dialog step/);
  });

  it('fails a last step whose prompt no step answers (before: the run passed)', async () => {
    const { result } = await run(automation([{ kind: 'browser.open', url: PAGE }, { kind: 'browser.click', target: button('Ask') }]));
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /opened a prompt "Your reference\?"/);
  });

  it('only warns about an alert no step answers (it has one answer)', async () => {
    const { result, events } = await run(automation([{ kind: 'browser.open', url: PAGE }, { kind: 'browser.click', target: button('Save') }, shows('saved')]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.ok(warnings(events).some((m) => m.includes('unexpected alert "Saved" was dismissed')), warnings(events).join('\n'));
  });

  it('lets a confirm be that opened before its standing answer, when that answer is to dismiss it', async () => {
    const url = page(`<p id=r>-</p><script>r.textContent = confirm('Reload later?') ? 'later' : 'now';</script>`);
    const { result } = await run(automation([{ kind: 'browser.open', url }, { kind: 'browser.dialog', action: 'dismiss', expectMessage: 'Reload later?', whenever: true }, shows('now')]));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
  });
});
