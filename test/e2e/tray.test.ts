// The tray at 400 px tells staff what happened, in real Chromium against `rpa studio` running
// real bots on a local page: the live run and the review inbox stay on top while the bot list
// scrolls; a recent run opens into its result (outputs, files, why it failed with the screen,
// run again); saving a correction confirms it and the resumed run shows live (no longer
// "paused"); a reload shows a run waiting for its review. Screenshots go to a temporary folder (docs/screenshots with npm run docs:screenshots).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 400, height: 760 };

/** A page whose "Report ready" line appears after `?ms=` milliseconds: a bot that waits for it runs that long. */
function startPages(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Claims report</title><h1>Claim CLM-2024-0042</h1><script>setTimeout(() => { const p = document.createElement('p'); p.id = 'ready'; p.textContent = 'Report ready'; document.body.append(p); }, ${ms});</script>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  if (!box) return false;
  return box.y >= 0 && box.y + box.height <= VIEWPORT.height && (await page.evaluate<boolean>(`document.elementFromPoint(${box.x + 5}, ${box.y + 5}) !== null`));
}

/** Top of the element in the tray's own order (what a person scrolls through). */
async function top(locator: Locator): Promise<number> {
  type Box = { getBoundingClientRect(): { top: number }; closest(selector: string): { scrollTop: number } | null };
  return await locator.evaluate((el: Box) => el.getBoundingClientRect().top + (el.closest('.tray')?.scrollTop ?? 0));
}

describe('the tray at 400 px tells staff what happened', { timeout: 300_000 }, () => {
  let pages: http.Server;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;

  before(async () => {
    pages = await startPages();
    const base = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const workspace = tempDir('tray-ws');
    mkdirSync(workspace, { recursive: true });
    // Enough bots that the last one sits below the fold at 400 px.
    for (let i = 1; i <= 7; i++) writeAutomation(workspace, `a${i}-filler.json`, { format: 1, id: `test.filler${i}`, name: `Filler ${i}`, version: '1.0.0', description: 'a bot that only logs a line', steps: [{ kind: 'log', message: 'hello' }] });
    writeAutomation(workspace, 'b-confirm.json', {
      format: 1,
      id: 'test.confirm',
      name: 'Confirm an amount',
      version: '1.0.0',
      outputs: ['answer'],
      steps: [
        { kind: 'human.review', title: 'Check the claim amount', values: { amount: '120.00' }, into: 'answer' },
        { kind: 'browser.open', url: `${base}/?ms=4000` },
        { kind: 'browser.waitFor', name: 'wait for the report', target: { candidates: [{ text: 'Report ready' }] }, timeoutMs: 20_000 },
        { kind: 'log', message: 'amount is {{vars.answer.values.amount}}' },
      ],
    });
    writeAutomation(workspace, 'c-broken.json', {
      format: 1,
      id: 'test.broken',
      name: 'Broken lookup',
      version: '1.0.0',
      inputs: [{ name: 'claim', type: 'string', required: true }],
      steps: [
        { kind: 'browser.open', url: `${base}/?ms=0` },
        { kind: 'browser.assert', name: 'the claim is shown', target: { candidates: [{ text: 'Claim {{inputs.claim}}' }] }, assert: 'visible', timeoutMs: 1500, message: 'the claim did not open' },
      ],
    });
    writeAutomation(workspace, 'z-report.json', {
      format: 1,
      id: 'test.report',
      name: 'Slow report',
      version: '1.0.0',
      outputs: ['claimNumber'],
      steps: [
        { kind: 'browser.open', url: `${base}/?ms=3000` },
        { kind: 'browser.waitFor', name: 'wait for the report', target: { candidates: [{ text: 'Report ready' }] }, timeoutMs: 20_000 },
        { kind: 'browser.screenshot', name: 'keep the report', fileName: 'report.png' },
        // A step inside a step: the result's count is of the bot's 4 steps, not of every step row.
        { kind: 'flow.if', condition: { left: 'a', op: 'equals', right: 'a' }, then: [{ kind: 'flow.set', var: 'claimNumber', value: 'CLM-2024-0042' }] },
      ],
    });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: tempDir('tray-home') } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  it('keeps the live run and the review inbox on top while the bot list scrolls', { timeout: 90_000 }, async () => {
    const botsTop = await top(page.getByRole('region', { name: 'Bots' }));
    assert.ok((await top(page.getByRole('region', { name: 'Now running' }))) < botsTop, 'Now running comes before the bots');
    assert.ok((await top(page.getByRole('region', { name: 'Review inbox' }))) < botsTop, 'the review inbox comes before the bots');
    await page.getByRole('button', { name: 'Run Slow report' }).click();
    const form = page.getByRole('form', { name: 'Run Slow report' });
    assert.ok(await inViewport(page, form.getByRole('button', { name: 'Run', exact: true })), 'the run form opens where the person clicked');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    const live = page.getByTestId('live-progress').filter({ hasText: 'Slow report' });
    await live.getByText('running').waitFor();
    assert.ok(await inViewport(page, live), 'the live run is in sight after clicking Run low in the list');
    await page.screenshot({ path: screenshotPath('tray-pinned.png') });
    await live.getByText('passed').waitFor({ timeout: 60_000 });
  });

  it('opens a recent run into its result: outputs, files, and run again', { timeout: 90_000 }, async () => {
    const recent = page.getByRole('list', { name: 'Recent runs' });
    await recent.getByRole('button', { name: /Slow report/ }).first().click();
    const result = page.getByRole('dialog', { name: 'Result: Slow report' });
    await result.getByRole('list', { name: 'Files' }).getByRole('link', { name: 'report.png' }).waitFor();
    const outputs = result.getByRole('definition');
    assert.equal(await outputs.first().textContent(), 'CLM-2024-0042');
    await result.getByText(/· 4 of 4 steps passed/).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: screenshotPath('tray-result.png'), fullPage: true });
    await result.getByRole('button', { name: 'Close the result' }).click();
  });

  it('says why a run failed, with the screen, and runs it again with the same inputs', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Run Broken lookup' }).click();
    const form = page.getByRole('form', { name: 'Run Broken lookup' });
    await form.getByLabel('claim').fill('CLM-9');
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('live-progress').filter({ hasText: 'Broken lookup' }).getByText('failed').waitFor({ timeout: 60_000 });
    await page.getByTestId('live-progress').filter({ hasText: 'Broken lookup' }).getByRole('button', { name: 'See the result' }).click();
    const result = page.getByRole('dialog', { name: 'Result: Broken lookup' });
    const why = result.getByTestId('run-failure');
    await why.getByText('the claim did not open', { exact: false }).waitFor();
    // The result opens with its title and Close in sight, not under the pinned live card (which a long failure reason makes tall).
    const close = result.getByRole('button', { name: 'Close the result' });
    type Node = { getBoundingClientRect(): { x: number; y: number; width: number; height: number }; contains(other: unknown): boolean; ownerDocument: { elementFromPoint(x: number, y: number): unknown } };
    const inSight = await close.evaluate((element) => {
      const button = element as unknown as Node;
      const box = button.getBoundingClientRect();
      const seen = button.ownerDocument.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return box.y >= 0 && seen !== null && button.contains(seen);
    });
    assert.ok(inSight, 'the Close button of the result is not covered by the pinned card');
    assert.match((await why.textContent()) ?? '', /^Why it failed: step 2 \(the claim is shown\): the claim did not open \(/);
    const shot = result.getByRole('img', { name: /failed/ });
    await shot.waitFor();
    assert.ok((await shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 100, 'the failure screenshot loaded');
    // Where the tray put the result, as a person sees it (a scroll by the test would hide its top under the pinned card).
    await page.screenshot({ path: screenshotPath('tray-failure.png') });
    await result.getByRole('button', { name: 'Run again' }).click();
    const again = page.getByRole('form', { name: 'Run Broken lookup' });
    assert.equal(await again.getByLabel('claim').inputValue(), 'CLM-9', 'run again starts from the inputs of the run');
    await again.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('live-progress').filter({ hasText: 'Broken lookup' }).getByText('running').waitFor();
    await page.getByTestId('live-progress').filter({ hasText: 'Broken lookup' }).getByText('failed').waitFor({ timeout: 60_000 });
  });

  it('confirms saved corrections and shows the resumed run live, no longer paused', { timeout: 90_000 }, async () => {
    const { runId } = (await studio.host!.service.call('runs.start', { id: 'workspace/b-confirm.json' })) as { runId: string };
    const card = page.getByRole('listitem', { name: 'Review: Check the claim amount' });
    await card.waitFor({ timeout: 30_000 });
    const live = page.getByTestId('live-progress').filter({ hasText: 'Confirm an amount' });
    await live.getByText('paused').waitFor();
    await card.getByLabel('amount').fill('125.50');
    await card.getByRole('button', { name: 'Save corrections' }).click();
    await page.getByRole('status').getByText('Corrections saved (amount: 125.50)', { exact: false }).waitFor();
    // The resumed run waits ~4 s for its report: long enough to be seen running.
    await live.getByText('running').waitFor({ timeout: 10_000 });
    const row = page.getByRole('list', { name: 'Recent runs' }).getByRole('button', { name: /Confirm an amount/ }).first();
    await row.getByText('running').waitFor({ timeout: 10_000 });
    assert.equal(await row.getByText('paused').count(), 0, 'the recent run no longer says paused');
    await page.evaluate("document.querySelector('.tray')?.scrollTo(0, 0)");
    await page.screenshot({ path: screenshotPath('tray-resumed.png') });
    await live.getByText('passed').waitFor({ timeout: 60_000 });
    const run = (await studio.host!.service.call('runs.get', { runId })) as { status: string };
    assert.equal(run.status, 'passed');
  });

  it('after a reload still shows the run waiting for its review', { timeout: 90_000 }, async () => {
    await studio.host!.service.call('runs.start', { id: 'workspace/b-confirm.json' });
    await page.getByRole('listitem', { name: 'Review: Check the claim amount' }).waitFor({ timeout: 30_000 });
    await page.reload();
    const live = page.getByTestId('live-progress').filter({ hasText: 'Confirm an amount' });
    await live.getByText('paused').waitFor({ timeout: 15_000 });
    await live.getByText('waiting for a review: Check the claim amount').waitFor();
    assert.equal(await page.getByText('Nothing is running.').count(), 0);
    await page.screenshot({ path: screenshotPath('tray-reload-paused.png') });
    // A paused run has no duration yet: its recent-runs row ends with its start time, not a stray "·".
    const pausedRow = page.getByRole('list', { name: 'Recent runs' }).getByRole('button', { name: /Confirm an amount/ }).first();
    await pausedRow.getByText('paused').waitFor();
    assert.doesNotMatch((await pausedRow.innerText()).trim(), /·$/, 'no separator without a duration');
    const card = page.getByRole('listitem', { name: 'Review: Check the claim amount' });
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').getByText('Approved for "Check the claim amount"', { exact: false }).waitFor();
    await live.getByText('passed').waitFor({ timeout: 60_000 });
  });
});
