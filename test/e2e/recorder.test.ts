// The browser recorder in real Chromium: scripted sessions drive the recorder's own browser
// with real input (mouse, keyboard, file chooser, drag) on the demo system, then the saved
// recording is validated, replayed by the engine, and the demo system's state compared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, startDemoSystem, type Claim, type DemoSystem } from '../../assets/demo-system/server.js';
import { Engine } from '../../engine/api.js';
import type { Automation, Step } from '../../engine/format/schema.js';
import { startRecording, type RecordingSession } from '../../recorder/api.js';
import { saveRecording } from '../../recorder/save.js';
import { EXAMPLES, tempDir } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const UPLOAD = path.join(EXAMPLES, 'files', 'incident-report.txt');

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the recording holds a step matching `match` (steps arrive asynchronously). */
function recorded(session: RecordingSession, what: string, match: (step: Step) => boolean): Promise<Step> {
  return until(what, () => session.steps().find(match));
}

const kinds = (doc: Automation): string[] => doc.steps.map((s) => s.kind);

async function typeInto(page: Page, label: string, text: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.keyboard.type(text);
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

// Each case ends within 4 minutes (they take well under one): a hung recording (seen once in CI on
// 2026-12-06, cause not found) fails its case instead of holding the suite for ten.
describe('browser recorder', { concurrency: false, timeout: 960_000 }, () => {
  let demo: DemoSystem;
  let dir: string;
  let engine: Engine;

  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 0 });
    dir = tempDir('recorder');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir, RPA_SECRET_PASSWORD: DEMO_PASSWORD } });
  });
  after(async () => {
    engine.close();
    await demo.close();
  });

  async function signIn(page: Page): Promise<void> {
    await typeInto(page, 'User name:', DEMO_USER);
    await typeInto(page, 'Password:', DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/menu$/);
  }

  async function replay(doc: Automation, name: string, inputs: Record<string, unknown> = {}): Promise<void> {
    const loaded = saveRecording(doc, path.join(dir, name));
    assert.equal(loaded.doc.steps.length, doc.steps.length);
    const result = await engine.run({ file: loaded.file, inputs });
    assert.equal(result.status, 'passed', `replay of ${name} failed: ${JSON.stringify(result.error)}`);
  }

  it('records the claim flow (sign-in, typed URL, wizard with upload, confirm, popup, iframe note with alert) and it replays to the same state', { timeout: 240_000 }, async () => {
    demo.reset();
    const session = await startRecording({ url: `${demo.url}/login`, headless: true, executablePath: CHROMIUM, id: 'recorded.claim', name: 'Recorded claim' });
    const page = session.page;
    await signIn(page);
    // The password never reaches the recording, not even while it is in progress.
    await recorded(session, 'Enter press', (s) => s.kind === 'browser.press');
    assert.ok(!JSON.stringify(session.steps()).includes(DEMO_PASSWORD));

    await page.goto(`${demo.url}/claims/new`); // as if typed in the address bar
    await page.waitForURL(/step1/);
    await typeInto(page, 'Policy number:', 'POL-10012');
    await typeInto(page, 'Claimant name:', 'Robin Recorder');
    await page.getByLabel('Incident date:').focus();
    await page.keyboard.type('03142026');
    await page.getByLabel('Claim type:').focus();
    await page.keyboard.type('Liab'); // keyboard selection in a closed <select>: a real change event
    await page.getByRole('button', { name: 'Next >' }).click();
    await page.waitForURL(/step2/);
    await page.getByText('Branch', { exact: true }).click(); // the radio's label
    await page.getByLabel('Injuries involved').check();
    await page.getByLabel('Police report filed').check();
    await page.getByLabel('Police report filed').uncheck();
    await typeInto(page, 'Description:', 'Hail damage to the roof');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel('Supporting document:').click()]);
    await chooser.setFiles(UPLOAD);
    await page.getByRole('button', { name: 'Next >' }).click();
    await page.waitForURL(/step3/);
    await page.getByRole('button', { name: 'Submit claim' }).click(); // confirm(), accepted (toolbar default)
    await page.getByRole('link', { name: 'View claim' }).click();
    await page.waitForURL(/CLM-2004-000036$/);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: 'Printable view' }).click()]);
    await popup.waitForLoadState();
    await popup.getByRole('button', { name: 'Close window' }).click();
    const notes = page.frameLocator('iframe[name="legacy"]');
    await notes.getByLabel('Note:').click();
    await page.keyboard.type('Adjuster visit booked');
    await notes.getByRole('button', { name: 'Save note' }).click(); // the frame reloads and alert()s
    await recorded(session, 'the alert', (s) => s.kind === 'browser.dialog' && s.expectMessage === 'Note saved');
    await page.getByRole('link', { name: 'Back to claims list' }).click();
    await page.waitForURL(/\/claims$/);
    await recorded(session, 'last click', (s) => s.kind === 'browser.click' && s.target.description === 'link "Back to claims list"');
    const doc = await session.stop();
    // Both dialogs were placed by the action that opened them (the alert by the click that
    // navigated its frame), none by time.
    assert.deepEqual(session.warnings(), []);

    const filed = structuredClone(demo.state.claims.at(-1)!);
    assert.equal(filed.claimant, 'Robin Recorder');
    assert.deepEqual(filed.notes, ['Adjuster visit booked']);

    assert.deepEqual(kinds(doc), [
      'browser.open', 'browser.fill', 'browser.fill', 'browser.press', 'browser.waitFor', 'browser.goto',
      'browser.fill', 'browser.fill', 'browser.fill', 'browser.select', 'browser.click',
      'browser.check', 'browser.check', 'browser.check', 'browser.check', 'browser.fill', 'browser.upload', 'browser.click',
      'browser.dialog', 'browser.click', 'browser.click', 'browser.click', 'browser.switchTab', 'browser.click', 'browser.switchTab',
      'browser.fill', 'browser.dialog', 'browser.click', 'browser.click',
    ]);
    const text = JSON.stringify(doc);
    assert.ok(!text.includes(DEMO_PASSWORD), 'the password is not in the recording');
    assert.deepEqual(doc.secrets, ['password']);
    assert.deepEqual(doc.inputs?.map((i) => [i.name, i.type, i.default]), [['document', 'file', 'incident-report.txt']]);
    const at = (i: number): Record<string, unknown> => doc.steps[i] as unknown as Record<string, unknown>;
    // Typed after the Enter that signed in: replay first waits to arrive on the menu.
    assert.deepEqual([at(4), at(5)], [{ kind: 'browser.waitFor', urlContains: '/menu' }, { kind: 'browser.goto', url: `${demo.url}/claims/new` }]);
    assert.equal(at(9)['label'], 'Liability');
    assert.deepEqual([at(11)['checked'], at(13)['checked'], at(14)['checked']], [true, true, false]);
    assert.deepEqual(at(18), { kind: 'browser.dialog', action: 'accept', expectMessage: 'Submit this claim to the mainframe?' });
    assert.deepEqual(at(22), { kind: 'browser.switchTab', urlContains: '/print' });
    assert.deepEqual((at(25)['target'] as { frame: string[] }).frame, ['iframe[name="legacy"]']);
    // Clicks on the submit buttons after Enter in a field are not recorded twice.
    assert.equal(doc.steps.filter((s) => s.kind === 'browser.click' && s.target.description === 'button "Sign in"').length, 0);

    demo.reset();
    await replay(doc, 'claim.json', { document: UPLOAD });
    const replayed = demo.state.claims.at(-1)!;
    const comparable = (c: Claim): Partial<Claim> => ({ ...c, createdAt: '' });
    assert.deepEqual(comparable(replayed), comparable(filed));
  });

  it('records the tools page: shadow DOM, hover menu, drag and drop, a prompt answered from the toolbar, a cross-origin iframe; replays', { timeout: 240_000 }, async () => {
    demo.reset();
    const session = await startRecording({ url: `${demo.url}/login`, headless: true, executablePath: CHROMIUM });
    const page = session.page;
    await signIn(page);
    await page.goto(`${demo.url}/claims/CLM-2004-000005/tools`);
    await page.getByRole('button', { name: 'High' }).click(); // inside <priority-picker>'s open shadow root
    await page.getByText('Actions ▾').hover();
    await page.getByRole('link', { name: 'Flag for audit' }).click();
    await clickToolbar(page, 'prompt');
    await page.keyboard.type('urgent');
    await page.getByRole('button', { name: 'Set tag...' }).click();
    await page.getByText('Repair estimate').dragTo(page.getByText('Police report'));
    const fraud = page.frameLocator('iframe[title="Fraud check"]');
    await fraud.getByLabel('Suspicious activity').check();
    await fraud.getByRole('button', { name: 'Record check' }).click();
    await fraud.getByText('Check recorded.').waitFor();
    await page.getByRole('button', { name: 'Save tools' }).click();
    await page.getByText('Tools saved.').waitFor();
    const doc = await session.stop();
    const notes = [...demo.state.claims[4]!.notes];
    assert.deepEqual(notes.slice(-2), ['Fraud check: suspicious', 'Tools: priority=High; flagged=yes; tag=urgent; documents=Repair estimate, Police report, Photos of the damage']);

    const step = (kind: string): Record<string, unknown> => doc.steps.find((s) => s.kind === kind) as unknown as Record<string, unknown>;
    const shadow = doc.steps.find((s) => s.kind === 'browser.click' && s.target.description === 'button "High"');
    assert.ok(shadow && shadow.kind === 'browser.click');
    assert.ok(!shadow.target.candidates.some((c) => 'xpath' in c), 'no xpath inside a shadow root');
    const hoverIndex = doc.steps.findIndex((s) => s.kind === 'browser.hover');
    assert.ok(hoverIndex > 0);
    assert.equal((doc.steps[hoverIndex + 1] as { target: { description?: string } }).target.description, 'link "Flag for audit"');
    assert.equal(doc.steps.filter((s) => s.kind === 'browser.hover').length, 1, 'hover only where it revealed the next click');
    assert.deepEqual(step('browser.dialog'), { kind: 'browser.dialog', action: 'accept', promptText: 'urgent', expectMessage: 'Tag for this claim:' });
    assert.equal((step('browser.dragTo')['to'] as { description: string }).description, 'listitem "Police report"');
    assert.deepEqual((step('browser.check')['target'] as { frame: string[] }).frame, ['iframe[title="Fraud check"]']);

    demo.reset();
    await replay(doc, 'tools.json');
    assert.deepEqual(demo.state.claims[4]!.notes.slice(-2), notes.slice(-2));
  });

  it('toolbar: pause/resume, assert, extract a value and a table, wait; double and right clicks, Escape, a dismissed confirm', { timeout: 240_000 }, async () => {
    demo.reset();
    const statusBefore = demo.state.claims[2]!.status;
    const session = await startRecording({ url: `${demo.url}/login`, headless: true, executablePath: CHROMIUM });
    const page = session.page;
    await signIn(page);
    await clickToolbar(page, 'pause');
    await page.getByRole('link', { name: 'Search claims' }).click(); // not recorded
    await page.waitForURL(/search/);
    await page.goBack();
    await clickToolbar(page, 'pause'); // resume
    await page.getByRole('link', { name: 'Claims list' }).click();
    await page.waitForURL(/\/claims$/);
    await clickToolbar(page, 'assert');
    await page.getByRole('heading', { name: 'Claims list' }).click();
    await recorded(session, 'assert', (s) => s.kind === 'browser.assert');
    await clickToolbar(page, 'extract');
    await page.getByRole('cell', { name: 'CLM-2004-000002', exact: true }).click(); // a table cell: the whole table
    await recorded(session, 'extract table', (s) => s.kind === 'browser.extract');
    assert.match(page.url(), /\/claims$/, 'the picking click did not follow the link');
    await clickToolbar(page, 'waitFor');
    await page.getByText('Page 1 of 4').click();
    await recorded(session, 'wait', (s) => s.kind === 'browser.waitFor');
    await page.getByRole('link', { name: 'CLM-2004-000003' }).click();
    await page.waitForURL(/CLM-2004-000003$/);
    await clickToolbar(page, 'extract');
    await page.getByRole('cell', { name: 'Status:', exact: true }).click();
    await recorded(session, 'second extract', (s) => s.kind === 'browser.extract' && s.into === 'table2');
    const heading = page.getByRole('heading', { name: 'Claim CLM-2004-000003' });
    await heading.dblclick();
    await page.getByRole('link', { name: 'Back to claims list' }).click({ button: 'right' });
    await page.keyboard.press('Escape');
    // Dismiss the next dialog: the toolbar's select, with the keyboard.
    await clickToolbar(page, 'dialog');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByLabel('New status:').focus();
    await page.keyboard.type('Closed');
    await page.getByRole('button', { name: 'Update status' }).click();
    await recorded(session, 'dismissed confirm', (s) => s.kind === 'browser.dialog');
    await clickToolbar(page, 'stop');
    assert.equal(await session.ended, 'toolbar');
    const doc = await session.stop();
    assert.equal(demo.state.claims[2]!.status, statusBefore, 'the dismissed confirm changed nothing');

    assert.ok(!doc.steps.some((s) => s.kind === 'browser.click' && s.target.description === 'link "Search claims"'), 'nothing recorded while paused');
    const assertStep = doc.steps.find((s) => s.kind === 'browser.assert');
    assert.deepEqual(assertStep && { assert: assertStep.assert, expected: assertStep.expected }, { assert: 'textEquals', expected: 'Claims list' });
    const extracts = doc.steps.filter((s) => s.kind === 'browser.extract');
    assert.deepEqual(extracts.map((s) => s.what), ['table', 'table']);
    assert.deepEqual(doc.outputs, ['table', 'table2']);
    assert.ok(doc.steps.some((s) => s.kind === 'browser.waitFor' && s.state === 'visible'));
    assert.ok(doc.steps.some((s) => s.kind === 'browser.click' && s.clickCount === 2));
    assert.ok(doc.steps.some((s) => s.kind === 'browser.click' && s.button === 'right'));
    assert.ok(doc.steps.some((s) => s.kind === 'browser.press' && s.key === 'Escape'));
    const dialogAt = doc.steps.findIndex((s) => s.kind === 'browser.dialog');
    assert.deepEqual(doc.steps[dialogAt], { kind: 'browser.dialog', action: 'dismiss', expectMessage: 'Change the status of this claim?' });
    assert.equal((doc.steps[dialogAt + 1] as { target: { description: string } }).target.description, 'button "Update status"');

    demo.reset();
    await replay(doc, 'toolbar.json');
    assert.equal(demo.state.claims[2]!.status, statusBefore);
  });

  it('a recording that saves is read back by the loader and never overwrites a file', { timeout: 240_000 }, async () => {
    const session = await startRecording({ url: `${demo.url}/login`, headless: true, executablePath: CHROMIUM, id: 'tiny.one' });
    const doc = await session.stop();
    assert.deepEqual(kinds(doc), ['browser.open']);
    const file = path.join(dir, 'tiny.json');
    const loaded = saveRecording(doc, file);
    assert.equal(loaded.doc.id, 'tiny.one');
    assert.throws(() => saveRecording(doc, file), /exists|EEXIST/);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { id: string }).id, 'tiny.one');
  });
});
