// Recording from the studio where no window can open, in real Chromium: the Record screen
// gives the same clear message `rpa record` gives (what is missing, what to run instead),
// not Playwright's raw launch log, both when DISPLAY is unset and when it names a display
// that does not exist. The hidden (headless) recorder still starts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('recording from the studio without a display', { timeout: 180_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  const saved = { DISPLAY: process.env['DISPLAY'], WAYLAND_DISPLAY: process.env['WAYLAND_DISPLAY'] };

  before(async () => {
    home = tempDir('record-display-home');
    // The studio's host runs in this process: its environment is the one the recorder sees.
    delete process.env['DISPLAY'];
    delete process.env['WAYLAND_DISPLAY'];
    studio = await serveStudio({ env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
  });

  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await browser?.close();
    await studio?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function startRecording(headless: boolean): Promise<void> {
    const panel = page.getByRole('region', { name: 'Record' });
    if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Record' }).click();
    await panel.getByLabel('Start at URL').fill(`${studio.server.url.split('#')[0]}`);
    await panel.getByLabel('Name').fill('Sign in');
    await panel.getByLabel(/Hidden browser/).setChecked(headless);
    await panel.getByRole('button', { name: 'Start recording' }).click();
  }

  it('says there is no display and what to run, when DISPLAY is not set', { timeout: 60_000 }, async () => {
    await startRecording(false);
    const alert = page.getByRole('region', { name: 'Record' }).getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /no display \(DISPLAY is not set\), and recording needs a visible browser window/);
    assert.match(text, /xvfb-run -a rpa studio/);
    assert.doesNotMatch(text, /browserType|launch|=====/);
    await page.screenshot({ path: screenshotPath('studio-record-no-display.png') });
  });

  it('says the display cannot be opened instead of the browser launch log, when DISPLAY names none', { timeout: 90_000 }, async () => {
    process.env['DISPLAY'] = ':987';
    try {
      await startRecording(false);
      const alert = page.getByRole('region', { name: 'Record' }).getByRole('alert');
      await alert.getByText(/the display cannot be opened, and recording needs a visible browser window/).waitFor({ timeout: 60_000 });
      assert.doesNotMatch((await alert.textContent()) ?? '', /browserType|=====|Call log/);
    } finally {
      delete process.env['DISPLAY'];
    }
  });

  it('still starts the hidden recorder', { timeout: 90_000 }, async () => {
    await startRecording(true);
    const panel = page.getByRole('region', { name: 'Record' });
    await panel.getByText('recording', { exact: true }).waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Stop and edit' }).click();
  });
});
