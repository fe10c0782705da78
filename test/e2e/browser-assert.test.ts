// browser.assert reports what it expected and what the page showed ("expected X, got Y"), with
// whitespace compared the way a reader sees it, and says so when the element is not there —
// never a Playwright timeout of its own last read.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { Engine } from '../../engine/api.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;
const page = (html: string): string => `data:text/html,${encodeURIComponent(html)}`;

describe('browser.assert', { skip, timeout: 180_000, concurrency: false }, () => {
  let dir: string;
  let engine: Engine;
  // One browser for the file, a fresh context per run (StartRunRequest.browser): these cases are
  // about what browser.assert reports, not about starting a browser (test/e2e/browser-launch is).
  let browser: Browser;

  before(async () => {
    dir = tempDir('assert');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000 });
  });
  after(async () => {
    engine.close();
    await browser?.close();
  });

  async function runAssert(html: string, check: Record<string, unknown>): Promise<Awaited<ReturnType<Engine['run']>>> {
    const file = writeAutomation(dir, `${Math.random().toString(36).slice(2)}.json`, {
      format: 1,
      id: 'assert.test',
      name: 'assert test',
      version: '1.0.0',
      steps: [{ kind: 'browser.open', url: page(html) }, { kind: 'browser.assert', timeoutMs: 600, ...check }],
    });
    return engine.run({ file, browser });
  }

  it('a wrong text says what was expected and what the element showed', async () => {
    const result = await runAssert('<p id="out">Claim   rejected</p>', { target: { candidates: [{ css: '#out' }] }, assert: 'textEquals', expected: 'Claim filed' });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'AssertionFailedError');
    assert.equal(result.error?.message, 'css=#out: expected textEquals "Claim filed", got "Claim rejected"');
    assert.deepEqual({ expected: result.error?.details?.['expected'], actual: result.error?.details?.['actual'] }, { expected: 'Claim filed', actual: 'Claim rejected' });
  });

  it('a wrong input value says what was expected and what the field held', async () => {
    const result = await runAssert('<input id="amount" value="1250.00">', { target: { candidates: [{ css: '#amount' }] }, assert: 'valueEquals', expected: '1520.00' });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.message, 'css=#amount: expected valueEquals "1520.00", got "1250.00"');
  });

  it('a text that is not there says what was expected and what the element showed', async () => {
    const result = await runAssert('<div id="status">Status: open</div>', { target: { candidates: [{ css: '#status' }] }, assert: 'textContains', expected: 'closed' });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.message, 'css=#status: expected textContains "closed", got "Status: open"');
  });

  it('compares text with runs of whitespace collapsed and ends trimmed, on both sides', async () => {
    const equals = await runAssert('<p id="out">  Claim<br>filed\n\n  today </p>', { target: { candidates: [{ css: '#out' }] }, assert: 'textEquals', expected: ' Claim filed   today' });
    assert.equal(equals.status, 'passed', JSON.stringify(equals.error));
    const contains = await runAssert('<p id="out">Claim<br>filed today</p>', { target: { candidates: [{ css: '#out' }] }, assert: 'textContains', expected: 'Claim  filed' });
    assert.equal(contains.status, 'passed', JSON.stringify(contains.error));
  });

  it('an element that never appears is reported as absent', async () => {
    const result = await runAssert('<p>nothing here</p>', { target: { description: 'status line', candidates: [{ css: '#status' }] }, assert: 'textEquals', expected: 'Done' });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'AssertionFailedError');
    assert.match(result.error?.message ?? '', /^status line: expected textEquals "Done", but no element matched \(status line: not found after \d+ ms \(css=#status → 0 matches\)\)$/);
  });

  it('an element that goes away while the assertion waits is reported as gone, with its last text', async () => {
    // It goes away 2.5 s after load: late enough that the step has read it once even on a loaded machine.
    const html = '<p id="out">Saving...</p><script>addEventListener("load", () => setTimeout(() => document.getElementById("out").remove(), 2500))</script>';
    const result = await runAssert(html, { target: { candidates: [{ css: '#out' }] }, assert: 'textEquals', expected: 'Saved', timeoutMs: 6_000 });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'AssertionFailedError');
    assert.equal(result.error?.message, 'css=#out: expected textEquals "Saved", but the element is no longer on the page (last seen: "Saving...")');
  });
});
