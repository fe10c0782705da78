// Breakpoints belong to steps, not to positions, in real Chromium against `rpa studio`:
// deleting a step above a breakpoint keeps it on its step (now one higher), deleting the step
// itself removes it (the step that moves up does not inherit it), moving and editing a step
// keep it, and a run of the saved automation pauses before that very step.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('breakpoints stick to their step', { timeout: 240_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  before(async () => {
    home = tempDir('breakpoints-home');
    workspace = tempDir('breakpoints-ws');
    writeAutomation(workspace, 'six.json', {
      format: 1,
      id: 'test.six',
      name: 'Six steps',
      version: '1.0.0',
      steps: ['one', 'two', 'three', 'four', 'five', 'six'].map((word) => ({ kind: 'log', name: `say ${word}`, message: word })),
    });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /Six steps/ }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pressed = async (): Promise<number[]> => {
    const all = page.getByRole('button', { name: /breakpoint at step \d+$/ });
    const found: number[] = [];
    for (let i = 0; i < (await all.count()); i++) {
      if ((await all.nth(i).getAttribute('aria-pressed')) === 'true') found.push(Number((await all.nth(i).textContent())?.trim()));
    }
    return found;
  };
  const removeStep = async (label: RegExp): Promise<void> => {
    await page.getByRole('gridcell', { name: label }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('gridcell', { name: label }).waitFor({ state: 'detached' });
  };

  it('follows its step through deletes, moves and edits', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Set breakpoint at step 5' }).click();
    assert.deepEqual(await pressed(), [5]);
    await removeStep(/say three/);
    assert.deepEqual(await pressed(), [4], 'the breakpoint moved up with "say five"');
    assert.match((await page.locator('.step-row[data-index="3"]').textContent()) ?? '', /say five/);

    // Moving the step with the breakpoint takes the breakpoint along.
    await page.getByRole('gridcell', { name: /say five/ }).press('Alt+ArrowUp');
    assert.deepEqual(await pressed(), [3]);
    // Editing it keeps it too.
    await page.getByRole('gridcell', { name: /say five/ }).click();
    await page.getByRole('region', { name: 'Step 3' }).getByLabel('name', { exact: true }).fill('say five, edited');
    assert.deepEqual(await pressed(), [3]);

    // Deleting the step removes its breakpoint: the step that moves into its place has none.
    await removeStep(/say five, edited/);
    assert.deepEqual(await pressed(), []);
  });

  it('pauses a run of the saved automation before the step that has the breakpoint', { timeout: 90_000 }, async () => {
    // Steps now: one, two, four, six. Break at "six" (step 4), delete "two": it is step 3.
    await page.getByRole('button', { name: 'Set breakpoint at step 4' }).click();
    await removeStep(/say two/);
    assert.deepEqual(await pressed(), [3]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Saved as version 2/).waitFor();
    assert.deepEqual(await pressed(), [3], 'saving keeps the breakpoint on its step');
    const runForm = page.getByRole('region', { name: 'Run' });
    await runForm.getByRole('button', { name: 'Run', exact: true }).click();
    await runForm.getByText('paused at a breakpoint').waitFor({ timeout: 60_000 });
    const paused = page.locator('.step-row.paused');
    assert.match((await paused.textContent()) ?? '', /say six/);
    await page.screenshot({ path: screenshotPath('studio-breakpoint-follows-step.png') });
    await runForm.getByRole('button', { name: 'Continue' }).click();
    await runForm.getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });
  });
});
