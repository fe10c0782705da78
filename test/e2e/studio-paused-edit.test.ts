// A builder edits the automation while a run waits at a breakpoint, in real Chromium against
// `rpa studio` and the demo system. Step and Continue never run something other than what the
// builder sees without saying so: they ask, "Save and step" hands the edited steps to the run
// (its log names the version and its hash), "… with the run's version" goes on without them,
// and an edit to a step already run is refused with the run still paused. The locator test
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
    const logged = run.logs.find((l) => l.level === 'warn' && l.path === '5');
    assert.ok(logged, 'the run log says it took another version');
    assert.match(logged.message, /step 5 and the steps after it run from version 2 \(saved in the studio\)/);
    assert.ok(logged.message.includes(`sha256 ${saved}`), `the log names the saved file's hash: ${logged.message}`);
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
