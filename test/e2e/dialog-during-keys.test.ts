// Keys and drags a dialog swallowed. While a dialog is open the browser drops input, and Playwright's press,
// type and dragTo return all the same. A page's own dialog (a timer it started: "your session expires") that
// opens between two input events of one action takes the events after it: a key's keyup (a search box that
// searches on keyup never searches), some letters of a typed text, the drop of a drag. The run went on as if
// the action had been made. Here the page starts its timer on the action's first event, so the dialog always
// opens in the middle of the action (which events it takes depends on the machine's load). Real Chromium, the
// whole runner.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserRuns, warnings } from '../helpers/browser-runs.js';

const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;
const automation = (steps: unknown[]): Record<string, unknown> => ({ format: 1, id: 'dialog-during-keys', name: 'dialog during keys', version: '1.0.0', steps });
const standing = { kind: 'browser.dialog', action: 'accept', expectMessage: 'Your session expires', whenever: true };
const field = { candidates: [{ css: '#f' }] };
const result = { candidates: [{ css: '#r' }] };
const text = (expected: string): Record<string, unknown> => ({ kind: 'browser.assert', target: result, assert: 'textEquals', expected, timeoutMs: 3_000 });
/** The page warns once, from a timer started by the first `event` it gets (or in that event's handler itself with `now`). */
const warnOn = (event: string, now = false): string =>
  `<script>let warned = false; addEventListener('${event}', () => { if (warned) return; warned = true; ${now ? '' : 'setTimeout(() => '}alert('Your session expires in 5 minutes')${now ? '' : ')'}; }, true);</script>`;
/** Counts every key event the field gets, and shows the field's value. */
const KEYS = (warn: string): string =>
  page(`<input id=f><p id=r></p><p id=n>0 0</p>${warn}<script>
let downs = 0, ups = 0;
f.addEventListener('keydown', () => { downs++; n.textContent = downs + ' ' + ups; });
f.addEventListener('keyup', (e) => { ups++; n.textContent = downs + ' ' + ups; if (e.key === 'Enter') r.textContent = 'searched ' + f.value; });
f.addEventListener('input', () => { r.textContent = f.value; });
</script>`);
const counts = (expected: string): Record<string, unknown> => ({ kind: 'browser.assert', target: { candidates: [{ css: '#n' }] }, assert: 'textEquals', expected, timeoutMs: 3_000 });

describe('keys and drags a dialog the page opened took', { concurrency: false, timeout: 240_000 }, () => {
  const { run } = browserRuns('dialog-during-keys');

  it('completes a key press whose keyup the dialog took (before: the page never saw the key go up)', async () => {
    const { result: outcome, events } = await run(
      automation([
        { kind: 'browser.open', url: KEYS(warnOn('keydown')) },
        standing,
        { kind: 'browser.fill', target: field, value: 'tea' },
        { kind: 'browser.press', target: field, key: 'Enter' },
        text('searched tea'),
        counts('1 1'),
      ]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
    assert.ok(warnings(events).every((m) => !m.includes('pressed again')), warnings(events).join('\n'));
  });

  it('does not press twice when the whole key reached the page (the dialog opened in its handler)', async () => {
    const { result: outcome } = await run(
      automation([{ kind: 'browser.open', url: KEYS(warnOn('keydown', true)) }, standing, { kind: 'browser.press', target: field, key: 'x' }, text('x'), counts('1 1')]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
  });

  it('fails the typing step, not typing again, when the dialog took some of its keys (before: the run went on with part of the text)', async () => {
    const typed = 'abcdefghijkl';
    const { result: outcome, events } = await run(
      automation([{ kind: 'browser.open', url: KEYS(warnOn('keydown')) }, standing, { kind: 'browser.type', target: field, text: typed }, text(typed)]),
    );
    const failed = events.flatMap((e) => (e.type === 'step.failed' ? [e.path] : []));
    if (outcome.status === 'passed') return; // the dialog came and went between two keys: every key reached the field
    assert.deepEqual(failed, ['3'], `the typing step fails, not the check after it: ${JSON.stringify(outcome.error)}`);
    assert.match(outcome.error?.message ?? '', /only \d+ of the 12 characters reached the page.*"Your session expires in 5 minutes".*Not typed again/);
  });

  it('types once when the dialog opened in a key handler and every key reached the field', async () => {
    const { result: outcome } = await run(
      automation([{ kind: 'browser.open', url: KEYS(warnOn('keydown', true)) }, standing, { kind: 'browser.type', target: field, text: 'abc' }, text('abc'), counts('3 3')]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
  });

  // Playwright types only the characters of its US keyboard as keys (printable ASCII, Enter); the rest — a
  // tab, é, ß, あ, an emoji — it inserts as text, as an IME does: no key event, one textInput each.
  const TEXT = (warn: string): string =>
    page(`<textarea id=f></textarea><p id=r></p>${warn}<script>
f.addEventListener('input', () => { r.textContent = f.value.replace(/\\t/g, '<tab>'); });
</script>`);

  it('counts each character as it was sent, typed key or inserted text, when every one reached the field (before: a tab was counted as a key and the step failed)', async () => {
    const typed = 'a\tGrüße aus Köln, 東京 😀';
    const { result: outcome } = await run(
      automation([{ kind: 'browser.open', url: TEXT(warnOn('keydown', true)) }, standing, { kind: 'browser.type', target: field, text: typed }, text(typed.replace('\t', '<tab>'))]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
  });

  it('counts the characters of any script when the dialog took some of them (before: only the ASCII ones were counted, named keys)', async () => {
    const typed = 'Grüße, 東京 abcdefghijkl';
    const { result: outcome, events } = await run(
      automation([{ kind: 'browser.open', url: TEXT(warnOn('keydown')) }, standing, { kind: 'browser.type', target: field, text: typed }, text(typed)]),
    );
    if (outcome.status === 'passed') return; // the dialog came and went between two characters: every one reached the field
    const failed = events.flatMap((e) => (e.type === 'step.failed' ? [e.path] : []));
    assert.deepEqual(failed, ['3'], `the typing step fails, not the check after it: ${JSON.stringify(outcome.error)}`);
    assert.match(outcome.error?.message ?? '', /only \d+ of the 22 characters reached the page.*"Your session expires in 5 minutes".*Not typed again/);
  });

  it('counts every key of a long text (before: the page kept the last 400 input events, and a text of 300 keys was called cut short)', async () => {
    const typed = 'The quick brown fox jumps over the lazy dog. '.repeat(7).slice(0, 300);
    const { result: outcome } = await run(
      automation([{ kind: 'browser.open', url: TEXT(warnOn('keyup', true)) }, standing, { kind: 'browser.type', target: field, text: typed, timeoutMs: 120_000 }, text(typed.trim())]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
  });

  it('inserted text waits for a dialog that opened while it was typed: none of it is lost, and it is not counted lost', async () => {
    const typed = 'éüßあ😀'.repeat(4);
    const { result: outcome } = await run(
      automation([{ kind: 'browser.open', url: TEXT(warnOn('textInput')) }, standing, { kind: 'browser.type', target: field, text: typed }, text(typed)]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error));
  });

  it('makes a drag again when the dialog took its drop (before: nothing was dropped and the run went on)', async () => {
    const url = page(`<div id=card draggable=true style="width:60px;height:40px;background:#fc0">Card</div>
<div id=done style="width:200px;height:120px;margin-top:60px;background:#9cf">Done</div><p id=r>0 drops</p>${warnOn('dragstart')}<script>
let drops = 0;
done.addEventListener('dragover', (e) => e.preventDefault());
done.addEventListener('drop', (e) => { e.preventDefault(); r.textContent = ++drops + ' drops'; });
</script>`);
    const { result: outcome, events } = await run(
      automation([{ kind: 'browser.open', url }, standing, { kind: 'browser.dragTo', target: { candidates: [{ css: '#card' }] }, to: { candidates: [{ css: '#done' }] } }, text('1 drops')]),
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome.error) + warnings(events).join('\n'));
    const redone = warnings(events).filter((m) => m.includes('the drag did not reach the page'));
    assert.ok(redone.every((m) => m.includes('Your session expires')), redone.join('\n'));
  });
});
