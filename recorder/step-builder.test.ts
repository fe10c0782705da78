import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WireTarget } from './common/wire.js';
import { StepBuilder, type TabRef } from './step-builder.js';
import { tabUrlCriteria, urlParts } from './tab-url.js';

const main: TabRef = { key: 1, url: 'http://127.0.0.1:4780/claims/CLM-2004-000036' };
const popup: TabRef = { key: 2, url: 'http://127.0.0.1:4780/claims/CLM-2004-000036/print' };

function target(elementId: number, description = `element ${elementId}`): WireTarget {
  return { candidates: [{ css: `#e${elementId}` }], description, fingerprint: { tag: 'input' }, elementId };
}

function builder(): StepBuilder {
  return new StepBuilder({ id: 'rec.test', name: 'Test', firstTab: main, startUrl: 'http://127.0.0.1:4780/login' });
}

describe('StepBuilder', () => {
  it('starts with browser.open and coalesces typing into one fill per field', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'fill', target: target(1), value: 'PO' });
    b.addAction(main, [main], [], { type: 'fill', target: target(1), value: 'POL-10007' });
    b.addAction(main, [main], [], { type: 'fill', target: target(2), value: 'Dana' });
    b.addAction(main, [main], [], { type: 'fill', target: target(1), value: 'POL-10008' });
    const steps = b.steps();
    assert.deepEqual(steps.map((s) => s.kind), ['browser.open', 'browser.fill', 'browser.fill', 'browser.fill']);
    assert.deepEqual(steps.map((s) => ('value' in s ? s.value : s.kind)), ['browser.open', 'POL-10007', 'Dana', 'POL-10008']);
  });

  it('turns a password into a declared secret reference', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'fill', target: target(1), secret: 'password' });
    const doc = b.toAutomation();
    assert.deepEqual(doc.secrets, ['password']);
    assert.equal((doc.steps[1] as { value: string }).value, '{{secrets.password}}');
  });

  it('merges a double click into one click with clickCount 2', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'click', target: target(3), button: 'left', clickCount: 1, modifiers: [] });
    b.addAction(main, [main], [], { type: 'click', target: target(3), button: 'left', clickCount: 2, modifiers: [] });
    const steps = b.steps();
    assert.equal(steps.length, 2);
    assert.equal((steps[1] as { clickCount?: number }).clickCount, 2);
  });

  it('puts the dialog answer before the step of that tab that opened it', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'click', target: target(4, 'Submit claim'), button: 'left', clickCount: 1, modifiers: [], actionId: 'g1' });
    b.addDialog(main, { type: 'confirm', message: 'Submit this claim to the mainframe?', action: 'accept' }, { actionId: 'g1' });
    const steps = b.steps();
    assert.deepEqual(steps.map((s) => s.kind), ['browser.open', 'browser.dialog', 'browser.click']);
    assert.equal((steps[1] as { expectMessage?: string }).expectMessage, 'Submit this claim to the mainframe?');
  });

  it('arms each dialog before the action whose gesture opened it, whatever the clocks say and in whatever order the messages came', () => {
    const b = builder();
    const t0 = 1_000_000;
    const click = (id: number, description: string, actionId: string, at: number, clickCount = 1) =>
      b.addAction(main, [main], [], { type: 'click', target: target(id, description), button: 'left', clickCount, modifiers: [], actionId }, at);
    click(7, 'Rename', 'g1', t0);
    // A prompt and its follow-ups, the last one long after the click (the page worked 3 s).
    b.addDialog(main, { type: 'prompt', message: 'New name?', action: 'accept', promptText: 'Beta' }, { actionId: 'g1', at: t0 + 5 });
    b.addDialog(main, { type: 'alert', message: 'Renamed to Beta', action: 'accept' }, { actionId: 'g1', at: t0 + 900 });
    // The press flushed a typed value (same gesture), then the click was sent; its dialog came 2 s later.
    b.addAction(main, [main], [], { type: 'fill', target: target(10, 'Note'), value: 'x', actionId: 'g2' }, t0 + 4_000);
    click(8, 'Delete', 'g2', t0 + 4_001);
    click(9, 'Help', 'g3', t0 + 4_500); // recorded before Delete's dialog reached the builder
    b.addDialog(main, { type: 'confirm', message: 'Delete?', action: 'accept' }, { actionId: 'g2', at: t0 + 6_000 });
    b.addDialog(main, { type: 'alert', message: 'Renamed to Beta, notify?', action: 'accept' }, { actionId: 'g1', at: t0 + 7_000 });
    // A dialog whose gesture's step is not in yet: it goes last and the step follows it.
    b.addDialog(main, { type: 'alert', message: 'Pressed', action: 'accept' }, { actionId: 'g4', at: t0 + 8_000 });
    click(11, 'Save', 'g4', t0 + 8_100);
    // The second click of a double click is a gesture of its own, merged into the first click's step.
    click(12, 'Row', 'g5', t0 + 9_000);
    click(12, 'Row', 'g6', t0 + 9_200, 2);
    b.addDialog(main, { type: 'alert', message: 'Opened row', action: 'accept' }, { actionId: 'g6', at: t0 + 9_300 });
    const steps = b.steps().map((s) => (s.kind === 'browser.dialog' ? `dialog ${s.expectMessage ?? ''}${s.wait ? ' (wait)' : ''}` : s.kind === 'browser.click' ? `click ${s.target.description ?? ''}` : s.kind));
    assert.deepEqual(steps, [
      'browser.open', 'dialog New name?', 'dialog Renamed to Beta', 'dialog Renamed to Beta, notify?', 'click Rename',
      'browser.fill', 'dialog Delete?', 'click Delete', 'click Help', 'dialog Pressed', 'click Save', 'dialog Opened row', 'click Row',
    ]);
  });

  it('a dialog no action opened is the page\'s own: never armed before an unrelated click; answered whenever it opens (one standing answer per answer, after the first step) and waited for where it opened', () => {
    const b = builder();
    const t0 = 1_000_000;
    b.addAction(main, [main], [], { type: 'click', target: target(7, 'Delete'), button: 'left', clickCount: 1, modifiers: [], actionId: 'g1' }, t0);
    // 100 ms after the click: the code before armed it before the click ("armed before click Delete").
    const soon = b.addDialog(main, { type: 'alert', message: 'Queued', action: 'accept' }, { at: t0 + 100 });
    const late = b.addDialog(main, { type: 'alert', message: 'Record deleted', action: 'accept' }, { at: t0 + 1_010 });
    b.addAction(main, [main], [], { type: 'click', target: target(9, 'Done'), button: 'left', clickCount: 1, modifiers: [], actionId: 'g2' }, t0 + 3_000);
    // The same dialog again (a poll of the page's own): one more wait, the same standing answer.
    const again = b.addDialog(main, { type: 'alert', message: 'Queued', action: 'accept' }, { at: t0 + 3_500 });
    assert.equal(soon.unprompted, 'after click Delete');
    assert.equal(late.unprompted, 'after click Delete');
    assert.equal(again.unprompted, 'after click Done');
    const steps = b.steps().map((s) => (s.kind === 'browser.dialog' ? `dialog ${s.expectMessage ?? ''}${s.whenever ? ' (whenever)' : ''}${s.wait ? ' (wait)' : ''}` : s.kind === 'browser.click' ? `click ${s.target.description ?? ''}` : s.kind));
    assert.deepEqual(steps, [
      'browser.open', 'dialog Queued (whenever)', 'dialog Record deleted (whenever)',
      'click Delete', 'dialog Queued (whenever) (wait)', 'dialog Record deleted (whenever) (wait)',
      'click Done', 'dialog Queued (whenever) (wait)',
    ]);
    b.addCheckNote('the alert "Record deleted" opened while no action of yours was running');
    assert.match(b.toAutomation().description ?? '', /Check: the alert "Record deleted" opened while no action/);
  });

  it('switches tabs by a URL part unique among the open tabs, skipping record numbers', () => {
    const b = builder();
    b.addAction(popup, [main, popup], [], { type: 'click', target: target(5), button: 'left', clickCount: 1, modifiers: [] });
    b.addAction(main, [main], [], { type: 'click', target: target(6), button: 'left', clickCount: 1, modifiers: [] });
    const steps = b.steps();
    assert.deepEqual(steps[1], { kind: 'browser.switchTab', urlContains: '/print' });
    assert.deepEqual(steps[3], { kind: 'browser.switchTab', urlContains: '/claims' });
  });

  it('declares each uploaded file as a file input', () => {
    const b = builder();
    b.addAction(main, [main], ['iframe[name="legacy"]'], { type: 'upload', target: target(7), fileNames: ['a.txt', 'b.txt'], field: 'document' });
    const doc = b.toAutomation();
    assert.deepEqual(doc.inputs?.map((i) => [i.name, i.type, i.default]), [['document1', 'file', 'a.txt'], ['document2', 'file', 'b.txt']]);
    assert.deepEqual((doc.steps[1] as { files: string[] }).files, ['{{inputs.document1}}', '{{inputs.document2}}']);
    assert.deepEqual((doc.steps[1] as { target: { frame?: string[] } }).target.frame, ['iframe[name="legacy"]']);
  });

  it('keeps typed "{{…}}" literal through an input default', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'fill', target: target(8), value: 'see {{inputs.x}}' });
    const doc = b.toAutomation();
    assert.equal((doc.steps[1] as { value: string }).value, '{{inputs.typedText}}');
    assert.equal(doc.inputs?.[0]?.default, 'see {{inputs.x}}');
  });

  it('folds the first typed URL into browser.open when recording started without one', () => {
    const b = new StepBuilder({ id: 'rec.test', name: 'Test', firstTab: main });
    b.addGoto(main, [main], 'http://127.0.0.1:4780/login');
    b.addAction(main, [main], [], { type: 'press', key: 'Escape' });
    b.addGoto(main, [main], 'http://127.0.0.1:4780/claims');
    assert.deepEqual(b.steps(), [
      { kind: 'browser.open', url: 'http://127.0.0.1:4780/login' },
      { kind: 'browser.press', key: 'Escape' },
      { kind: 'browser.goto', url: 'http://127.0.0.1:4780/claims' },
    ]);
  });
});

describe('tab URL criteria', () => {
  it('prefers stable path runs over record numbers', () => {
    assert.deepEqual(urlParts('http://h/claims/CLM-2004-000036/print'), ['/claims', '/print', '/claims/CLM-2004-000036/print']);
  });
  it('falls back to the tab index when every part is shared', () => {
    const a = { key: 1, url: 'http://h/menu' };
    const b = { key: 2, url: 'http://h/menu' };
    assert.deepEqual(tabUrlCriteria(b, [a, b]), { index: 1 });
  });

  it('joins keys typed into an editor into one browser.type step; Backspace takes back the last key, chords stay presses', () => {
    const b = builder();
    const frame = ['iframe[title="Editor"]'];
    b.addAction(main, [main], frame, { type: 'press', target: target(5), key: 'Control+a' });
    for (const key of ['H', 'i', 'x']) b.addAction(main, [main], frame, { type: 'type', target: target(5), text: key });
    b.addAction(main, [main], frame, { type: 'press', target: target(5), key: 'Backspace' });
    b.addAction(main, [main], frame, { type: 'type', target: target(5), text: '\n' });
    b.addAction(main, [main], frame, { type: 'type', target: target(5), text: '🙂' });
    b.addAction(main, [main], frame, { type: 'press', target: target(5), key: 'Control+b' });
    b.addAction(main, [main], frame, { type: 'type', target: target(5), text: 'a' });
    b.addAction(main, [main], frame, { type: 'press', target: target(5), key: 'Backspace' });
    // typed elsewhere: a new step
    b.addAction(main, [main], [], { type: 'type', target: target(6), text: 'b' });
    const doc = b.toAutomation();
    assert.deepEqual(
      doc.steps.map((s) => [s.kind, 'text' in s ? s.text : 'key' in s ? s.key : undefined]),
      [['browser.open', undefined], ['browser.press', 'Control+a'], ['browser.type', 'Hi\n🙂'], ['browser.press', 'Control+b'], ['browser.type', 'b']],
    );
    assert.deepEqual((doc.steps[2] as { target: { frame: string[] } }).target.frame, frame);
    // a Backspace with nothing typed before it is a key press
    b.addAction(main, [main], [], { type: 'press', target: target(7), key: 'Backspace' });
    assert.equal(b.steps().at(-1)!.kind, 'browser.press');
  });

  it('keeps typed text with "{{" in one input that follows the typing, and drops it when the braces are taken back', () => {
    const b = builder();
    for (const key of ['{', '{', 'x', '}', '}']) b.addAction(main, [main], [], { type: 'type', target: target(5), text: key });
    let doc = b.toAutomation();
    assert.equal((doc.steps[1] as { text: string }).text, '{{inputs.typedText}}');
    assert.deepEqual(doc.inputs?.map((i) => [i.name, i.default]), [['typedText', '{{x}}']]);
    b.addAction(main, [main], [], { type: 'press', target: target(5), key: 'Backspace' });
    doc = b.toAutomation();
    assert.equal((doc.steps[1] as { text: string }).text, '{{x}');
    assert.equal(doc.inputs, undefined);
  });

  it('keeps what could not be recorded as a warning step and in the description', () => {
    const b = builder();
    b.addAction(main, [main], [], { type: 'click', target: target(3), button: 'left', clickCount: 1, modifiers: [] });
    b.addWarning(main, 'the frame iframe[name="x"] cannot be recorded');
    const doc = b.toAutomation();
    assert.deepEqual(doc.steps.at(-1), { kind: 'log', level: 'warn', message: 'Not recorded: the frame iframe[name="x"] cannot be recorded' });
    assert.match(doc.description ?? '', /Not recorded: the frame iframe\[name="x"\] cannot be recorded/);
  });
});
