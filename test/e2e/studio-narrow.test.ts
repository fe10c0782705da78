// The studio in a 400 px window, in real Chromium: the automation list no longer takes 280 px
// beside the editor (which had ~120 px left); the editor, its step list and inspector get the
// window's full width, and nothing scrolls sideways.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('the studio at 400 px', { timeout: 120_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  before(async () => {
    home = tempDir('narrow-home');
    workspace = tempDir('narrow-ws');
    writeAutomation(workspace, 'three.json', { format: 1, id: 'test.three', name: 'Three steps', version: '1.0.0', steps: ['a', 'b', 'c'].map((m) => ({ kind: 'log', message: m })) });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 400, height: 760 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the editor the full width', { timeout: 60_000 }, async () => {
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /Three steps/ }).click();
    const editor = page.getByRole('region', { name: 'Editing Three steps' });
    await editor.waitFor();
    const width = (await editor.boundingBox())!.width;
    assert.ok(width >= 360, `the editor is ${Math.round(width)} px wide`);
    const steps = (await page.getByTestId('step-list').boundingBox())!;
    assert.ok(steps.width >= 320, `the step list is ${Math.round(steps.width)} px wide`);
    assert.equal(await page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1'), false, 'nothing scrolls sideways');
    await page.evaluate("document.querySelector('.studio')?.scrollTo(0, 0)");
    await page.screenshot({ path: screenshotPath('studio-narrow.png') });
  });
});
