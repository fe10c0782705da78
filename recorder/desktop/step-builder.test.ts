import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DesktopStepBuilder, type RecordedKey } from './step-builder.js';

// uiohook key codes (US layout) for the letters and digits these tests type.
const CODES: Record<string, number> = { a: 30, b: 48, c: 46, d: 32, e: 18, h: 35, l: 38, m: 50, n: 49, o: 24, p: 25, r: 19, s: 31, t: 20, w: 17, '1': 2, '2': 3, '3': 4, '4': 5 };
const key = (character: string): RecordedKey => ({ keycode: CODES[character]!, shift: false, ctrl: false, alt: false, meta: false });
const type = (builder: DesktopStepBuilder, text: string): void => {
  for (const character of text) builder.key(key(character));
};
const ENTER: RecordedKey = { keycode: 28, shift: false, ctrl: false, alt: false, meta: false };

describe('desktop step builder: typed secrets', () => {
  it('records typing that holds a known secret value as its reference, and nothing else', () => {
    const builder = new DesktopStepBuilder(undefined, { pin: 'pass1234' });
    type(builder, 'bob');
    builder.key(ENTER);
    type(builder, 'pass1234');
    assert.equal(builder.pendingSecret, true);
    builder.key(ENTER);
    assert.deepEqual(builder.steps, [
      { kind: 'desktop.type', text: 'bob' },
      { kind: 'desktop.press', keys: 'Enter' },
      { kind: 'desktop.type', text: '{{secrets.pin}}' },
      { kind: 'desktop.press', keys: 'Enter' },
    ]);
    assert.deepEqual([...builder.secretNames], ['pin']);
    assert.ok(!JSON.stringify(builder.steps).includes('pass1234'));
  });

  it('records the typing after markSecret as that secret, whatever it was, and recognises it on screen afterwards', () => {
    const builder = new DesktopStepBuilder();
    builder.markSecret('portal');
    type(builder, 'sesame42');
    builder.key(ENTER);
    type(builder, 'done');
    builder.flushTyping();
    assert.deepEqual(builder.steps.map((step) => (step.kind === 'desktop.type' ? step.text : step.kind)), ['{{secrets.portal}}', 'desktop.press', 'done']);
    assert.ok(!JSON.stringify(builder.steps).includes('sesame'));
    // OCR of the field: the value, a part of it, other case or spacing.
    assert.equal(builder.showsSecret('sesame42'), true);
    assert.equal(builder.showsSecret('SESAME 42'), true);
    assert.equal(builder.showsSecret('same'), true);
    assert.equal(builder.showsSecret('OK'), false);
    assert.equal(builder.showsSecret('done'), false);
  });
});

describe('desktop step builder: the window to focus', () => {
  it('a click in another window first focuses the window that shows what was clicked (its pictures and text, not its coordinates); pictures are named after the click', () => {
    const builder = new DesktopStepBuilder();
    const named: number[] = [];
    const click = (title: string, x: number): void =>
      builder.click({
        button: 'left',
        clicks: 1,
        windowTitle: title,
        offset: { x, y: 40 },
        windowSize: { width: 300, height: 200 },
        image: (number) => (named.push(number), `step-${number}.png`),
        text: 'OK',
      });
    click('Contact Dialog', 120);
    click('Contact Dialog', 60);
    click('Other', 10);
    assert.deepEqual(
      builder.steps.map((step) => step.kind),
      ['desktop.focusWindow', 'desktop.click', 'desktop.click', 'desktop.focusWindow', 'desktop.click'],
    );
    assert.deepEqual(named, [2, 3, 5]);
    assert.deepEqual(builder.steps[0], {
      kind: 'desktop.focusWindow',
      title: 'Contact Dialog',
      holds: { window: 'Contact Dialog', candidates: [{ image: 'step-2.png', at: { x: 120, y: 40 } }, { text: 'OK', exact: true }], description: '"OK"', windowSize: { width: 300, height: 200 } },
    });
    const first = builder.steps[1];
    assert.ok(first?.kind === 'desktop.click');
    assert.deepEqual(first.target.candidates.at(-1), { offset: { x: 120, y: 40 } });
  });
});

describe('desktop step builder: the window keys went to', () => {
  it('keeps the window a run of typing went to, and for a key that may close it the window it had before', () => {
    const builder = new DesktopStepBuilder();
    // The first character of a run tells where it went (a dialog that opened after the click).
    builder.key(key('b'), { before: 'Main', after: 'Question' });
    builder.key(key('o'), { before: 'Question', after: 'Question' });
    builder.key(key('b'), { before: 'Question', after: 'Question' });
    // Enter closed the dialog before the hook reported it: it went to the window before it.
    builder.key(ENTER, { before: 'Question', after: 'Main' });
    builder.key(key('a'));
    builder.flushTyping();
    assert.deepEqual(builder.steps, [
      { kind: 'desktop.type', text: 'bob', window: 'Question' },
      { kind: 'desktop.press', keys: 'Enter', window: 'Question' },
      { kind: 'desktop.type', text: 'a' },
    ]);
  });

  it('typing that moves to another window part-way (the focus taken without a click) becomes typing of its own there', () => {
    const builder = new DesktopStepBuilder();
    for (const character of 'rent') builder.key(key(character), { before: 'Ledger Entry', after: 'Ledger Entry' });
    for (const character of 'paws') builder.key(key(character), { before: 'Chat Popup', after: 'Chat Popup' });
    // A key whose window could not be read stays with the typing it follows.
    builder.key(key('1'));
    for (const character of '42') builder.key(key(character), { before: 'Ledger Entry', after: 'Ledger Entry' });
    builder.flushTyping();
    assert.deepEqual(builder.steps, [
      { kind: 'desktop.type', text: 'rent', window: 'Ledger Entry' },
      { kind: 'desktop.type', text: 'paws1', window: 'Chat Popup' },
      { kind: 'desktop.type', text: '42', window: 'Ledger Entry' },
    ]);
  });
});
