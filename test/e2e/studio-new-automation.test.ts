// "New automation" in the studio, in real Chromium: a builder starts a bot from a name (not only
// by recording), it is saved in their folder and opens in the editor, valid and runnable; a
// name already taken is refused plainly and the other bot is left as it was.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('a new automation from the studio', { timeout: 240_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;

  before(async () => {
    home = tempDir('new-automation-home');
    studio = await serveStudio({ env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'Studio' }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function create(name: string): Promise<void> {
    await page.getByRole('button', { name: 'New automation' }).click();
    const panel = page.getByRole('region', { name: 'New automation' });
    await panel.getByLabel('Name').fill(name);
    await panel.getByLabel(/What it does/).fill('Totals the week’s claims');
    await page.screenshot({ path: screenshotPath('studio-new-automation.png') });
    await panel.getByRole('button', { name: 'Create and edit' }).click();
  }

  it('creates it, opens it in the editor and it runs', { timeout: 120_000 }, async () => {
    await create('Weekly claims report');
    const editor = page.getByRole('region', { name: 'Editing Weekly claims report' });
    await editor.waitFor();
    const list = (await studio.service.call('automations.list', {})) as Array<{ id: string; name: string; file?: string }>;
    const made = list.find((a) => a.name === 'Weekly claims report');
    assert.ok(made, 'listed');
    await page.getByRole('complementary', { name: 'Automations' }).getByRole('button', { name: /Weekly claims report/ }).waitFor();
    const saved = JSON.parse(readFileSync(path.join(home, 'automations', 'weekly-claims-report.json'), 'utf8')) as { id: string; description: string; steps: unknown[] };
    assert.equal(saved.id, 'my.weekly-claims-report');
    assert.equal(saved.description, 'Totals the week’s claims');
    const run = page.getByRole('region', { name: 'Run' });
    await run.getByRole('button', { name: 'Run', exact: true }).click();
    await run.getByText('passed').first().waitFor({ timeout: 60_000 });
  });

  it('refuses a name already taken, leaving the other bot as it was', { timeout: 60_000 }, async () => {
    const file = path.join(home, 'automations', 'weekly-claims-report.json');
    const before = readFileSync(file, 'utf8');
    await create('Weekly claims report');
    const problem = page.getByRole('region', { name: 'New automation' }).getByRole('alert');
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /already exists/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
