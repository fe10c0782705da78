// A builder edits the automation while a run waits at a breakpoint, in real Chromium against
// `rpa studio` and the demo system. Step and Continue never run something other than what the
// builder sees without saying so: they ask, "Save and step" hands the edited steps to the run
// (its audit trail names the version and its hash), "… with my changes, unsaved" hands them
// over without saving (the file keeps its version, the editor keeps the changes unsaved, and
// the tray's step count follows the revision), "… with the run's version" goes on without
// them, and an edit to a step already run is refused with the run still paused. The locator test
// says when the candidates it tried are not the ones the run has.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import type { RunDetail, RunSummary } from '../../engine/transport/messages.js';
import { EXAMPLES, tempDir } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('editing while a run is paused', { timeout: 400_000 }, () => {
  let demo: DemoSystem;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  const runForm = (): ReturnType<Page['getByRole']> => page.getByRole('region', { name: 'Run' });
  const step5 = (): ReturnType<Page['getByRole']> => page.getByRole('region', { name: 'Step 5' });

  /** Starts a run of the login example and waits until it pauses at the breakpoint on step 5. */
  async function runToStep5(): Promise<void> {
    await runForm().getByLabel('baseUrl').fill(demo.url);
    await runForm().getByRole('button', { name: 'Run', exact: true }).click();
    await runForm().getByTestId('paused-step').getByText(/step 5 · /).waitFor({ timeout: 120_000 });
  }

  /** The newest run of the login example, as the studio API tells it. */
  async function lastRun(): Promise<RunDetail> {
    const runs = (await studio.service.call('runs.list', { limit: 5 })) as RunSummary[];
    return (await studio.service.call('runs.get', { runId: runs[0]!.id })) as RunDetail;
  }

  before(async () => {
    // No window here: the debug run's browser runs hidden (and says so); pausing works the same.
    delete process.env['DISPLAY'];
    demo = await startDemoSystem({ port: 0 });
    workspace = tempDir('paused-edit-ws');
    home = tempDir('paused-edit-home');
    cpSync(EXAMPLES, workspace, { recursive: true });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /Sign in to Acme Mutual/ }).click();
    await page.getByRole('gridcell', { name: /fill User name field/ }).waitFor();
    await page.getByRole('button', { name: 'Set breakpoint at step 5' }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await demo?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('asks before Step runs a version other than the one shown; "Save and step" hands the edit to the run, logged with its hash', { timeout: 200_000 }, async () => {
    await runToStep5();
    await step5().getByLabel('name', { exact: true }).fill('signed in as the clerk');
    // The locator test tries the shown candidates, and says the run does not have them yet.
    await step5().getByTestId('locator-stale').waitFor();

    await runForm().getByRole('button', { name: 'Step', exact: true }).click();
    const question = page.getByRole('alertdialog');
    await question.getByText('Your changes are not saved.').waitFor({ timeout: 10_000 });
    await runForm().screenshot({ path: screenshotPath('studio-paused-edit.png') });
    await question.getByRole('button', { name: 'Save and step' }).click();
    await page.getByRole('status').getByText(/Saved; the run goes on with version 2 \(saved in the studio\) \(sha256 [0-9a-f]{12}…\)/).waitFor({ timeout: 30_000 });
    await runForm().getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });

    const run = await lastRun();
    assert.equal(run.status, 'passed');
    assert.equal(run.steps.find((s) => s.path === '5')?.label, 'signed in as the clerk', 'step 5 ran as edited');
    const saved = createHash('sha256').update(readFileSync(`${workspace}/login.json`)).digest('hex');
    assert.deepEqual(
      run.revisions.map(({ path, saved: wasSaved, savedVersion, sha256 }) => ({ path, wasSaved, savedVersion, sha256 })),
      [{ path: '5', wasSaved: true, savedVersion: 2, sha256: saved }],
      'the run records that it took version 2, with the saved file\'s hash',
    );
    // The studio's run history says so too.
    await runForm().getByRole('list', { name: 'Recent runs' }).getByRole('button').first().click();
    await runForm().getByRole('list', { name: 'Revisions' }).getByText(/From step 5 on, the run followed version 2 \(saved in the studio\)/).waitFor({ timeout: 10_000 });
  });

  it('"Step with my changes, unsaved" hands the edit to the run without saving it; the tray counts the added step', { timeout: 200_000 }, async () => {
    const before = readFileSync(`${workspace}/login.json`, 'utf8');
    // The tray beside the studio, at its 400 px width.
    const tray = await browser.newPage({ viewport: { width: 400, height: 900 } });
    try {
      await runToStep5();
      await tray.goto(studio.server.url);
      await tray.getByRole('navigation', { name: 'Screens' }).waitFor();
      await tray.goto(`${studio.server.url.split('#')[0]}#/tray`);
      const live = tray.getByTestId('live-progress').first();
      await live.getByText(/\/5 · /).waitFor({ timeout: 30_000 });

      // Add a step after step 5: the edit has 6 steps, the run 5.
      await page.getByRole('combobox', { name: 'Add step' }).selectOption('log');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText(/6 steps · .*unsaved changes/).waitFor();
      await runForm().getByRole('button', { name: 'Step', exact: true }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Step with my changes, unsaved' }).click();
      await page.getByRole('status').getByText(/The run goes on with an unsaved revision \(sha256 [0-9a-f]{12}…\), recorded in its audit trail\. Your changes are still not saved here\./).waitFor({ timeout: 30_000 });
      await runForm().getByTestId('paused-step').getByText(/step 6 · /).waitFor({ timeout: 60_000 });
      await live.getByText(/\/6 · /).waitFor({ timeout: 30_000 });
      await tray.screenshot({ path: screenshotPath('tray-revised-run.png') });
      // The editor still holds the change, unsaved; the file on disk is as it was.
      await page.getByText(/6 steps · .*unsaved changes/).waitFor();
      assert.equal(readFileSync(`${workspace}/login.json`, 'utf8'), before, 'the file was not saved');

      await runForm().getByRole('button', { name: 'Continue' }).click();
      await runForm().getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });
      const run = await lastRun();
      assert.equal(run.status, 'passed');
      assert.equal(run.totalSteps, 6, 'the run\'s step total is the revision\'s');
      assert.deepEqual(run.steps.filter((s) => !s.path.includes('.')).map((s) => s.path), ['1', '2', '3', '4', '5', '6']);
      assert.equal(run.revisions.length, 1);
      assert.equal(run.revisions[0]!.saved, false);
      assert.equal(run.revisions[0]!.totalSteps, 6);
    } finally {
      await tray.close();
    }
    // Drop the added step again (unsaved): the next cases start from the saved version 2.
    await page.getByRole('gridcell', { name: /message/ }).first().click();
    await page.getByRole('region', { name: 'Step 6' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByText(/5 steps · /).waitFor();
  });

  it('"Continue with the run\'s version" goes on without the edit and says so', { timeout: 200_000 }, async () => {
    await runToStep5();
    await step5().getByLabel('name', { exact: true }).fill('a name the run never sees');
    await runForm().getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: "Continue with the run's version" }).click();
    await page.getByRole('status').getByText(/goes on with its own version: your changes are not part of it/).waitFor({ timeout: 30_000 });
    await runForm().getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });
    const run = await lastRun();
    assert.equal(run.steps.find((s) => s.path === '5')?.label, 'signed in as the clerk', 'the saved version 2 ran, not the edit');
    assert.equal(run.logs.filter((l) => l.level === 'warn').length, 0);
  });

  it('refuses an edit to a step the run has already done, and the run stays paused', { timeout: 200_000 }, async () => {
    // Put the name back so only step 1 differs from the saved file.
    await step5().getByLabel('name', { exact: true }).fill('signed in as the clerk');
    await runToStep5();
    await page.getByRole('gridcell', { name: /open/ }).first().click();
    const url = page.getByRole('region', { name: 'Step 1' }).getByLabel('url', { exact: true });
    await url.fill(`${await url.inputValue()}?again=1`);
    await runForm().getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Save and step' }).click();
    await page.getByRole('alert').getByText(/your changes alter steps 1–4, which this run has already done/).waitFor({ timeout: 30_000 });
    await runForm().getByTestId('paused-step').getByText(/step 5 · /).waitFor();
    await runForm().getByRole('button', { name: 'Stop' }).click();
    await runForm().getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });
    assert.equal((await lastRun()).status, 'cancelled');
  });
});
