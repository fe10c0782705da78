// An old tab after the studio restarted (same address, new session token), in real Chromium:
// it shows one clear "this page is out of date — reopen from the tray" state, not "No runs
// yet" / "Nothing is running" (both false) and not a stream of refused requests; a reload of
// the old tab says the same; what was on the page can still be shown to copy unsaved work.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('an old tab after a studio restart', { timeout: 240_000 }, () => {
  let studio: RunningStudio | undefined;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;
  const refused: string[] = [];

  before(async () => {
    home = tempDir('stale-tab-home');
    workspace = tempDir('stale-tab-ws');
    writeAutomation(workspace, 'hello.json', { format: 1, id: 'test.hello', name: 'Say hello', version: '1.0.0', steps: [{ kind: 'log', message: 'hello' }] });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 400, height: 760 } });
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(response.url());
    });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says once that the page is out of date and stops asking', { timeout: 180_000 }, async () => {
    const url = studio!.server.url;
    const port = Number(new URL(url).port);
    await page.goto(url);
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByText('Nothing is running.').waitFor();
    // What is shown later as "what was on this page" must have been on it: the list of bots
    // loads by its own request, which could still be on its way (seen in CI under load).
    await page.getByRole('region', { name: 'Bots' }).getByText('Say hello').waitFor({ timeout: 60_000 });
    // The studio restarts on the same address: the old tab's token is no longer valid.
    await studio!.close();
    studio = undefined;
    studio = await serveStudio({ workspace, port, env: { ...process.env, RPA_HOME: home } });
    assert.notEqual(new URL(studio.server.url).hash, new URL(url).hash, 'a new session token');

    await page.getByRole('heading', { name: 'This page is out of date' }).waitFor({ timeout: 90_000 });
    assert.equal(await page.getByText('Nothing is running.').isVisible(), false);
    assert.equal(await page.getByText(/No runs yet/).isVisible(), false);
    assert.equal(await page.getByRole('alert').count(), 0, 'no error messages beside it');
    assert.match((await page.getByTestId('out-of-date').textContent()) ?? '', /Reopen it from the tray/);
    await page.screenshot({ path: screenshotPath('tray-out-of-date.png') });

    // It stops asking: no refused request is made once the page knows (the push channel's
    // reconnect loop would otherwise go on for ever). Absence needs a wait; nothing is timed.
    const seen = refused.length;
    assert.ok(seen >= 1 && seen <= 4, `a few refused requests told the page: ${refused.join(', ')}`);
    await page.waitForTimeout(8000);
    assert.equal(refused.length, seen, `no more refused requests after the page knew: ${refused.slice(seen).join(', ')}`);

    // What was on the page can still be shown, under a banner that says it is stale.
    await page.getByRole('button', { name: 'Show what was on this page' }).click();
    await page.getByRole('alert').filter({ hasText: 'This page is out of date' }).waitFor();
    await page.getByRole('region', { name: 'Bots' }).getByText('Say hello').waitFor();
  });

  it('says the same after a reload of the old tab, and the new address works', { timeout: 120_000 }, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await page.getByRole('heading', { name: 'This page is out of date' }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('studio-out-of-date.png') });
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await fresh.goto(studio!.server.url);
      await fresh.getByRole('link', { name: 'My bots' }).click();
      await fresh.getByRole('region', { name: 'Bots' }).getByText('Say hello').waitFor();
      assert.equal(await fresh.getByTestId('out-of-date').count(), 0);
    } finally {
      await fresh.close();
    }
  });
});
