// A run that needs a secret nobody stored, started from the studio in real Chromium: the
// failure is an alert styled as an error (not the green status line of "Saved"), it names the
// secret and links to the Settings form with the name filled in (not `rpa secret set`); once
// stored there, the run passes.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('a run that needs a secret not stored yet', { timeout: 180_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  before(async () => {
    home = tempDir('missing-secret-home');
    workspace = tempDir('missing-secret-ws');
    writeAutomation(workspace, 'signin.json', { format: 1, id: 'test.signin', name: 'Sign in somewhere', version: '1.0.0', secrets: ['portalPassword'], steps: [{ kind: 'log', message: 'signing in' }] });
    const env: NodeJS.ProcessEnv = { ...process.env, RPA_HOME: home };
    for (const key of Object.keys(env)) if (key.startsWith('RPA_SECRET_')) delete env[key];
    studio = await serveStudio({ workspace, env });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /Sign in somewhere/ }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says so as an error with a link to the secrets form, and runs once the secret is stored', { timeout: 120_000 }, async () => {
    const runForm = page.getByRole('region', { name: 'Run' });
    await runForm.getByRole('button', { name: 'Run', exact: true }).click();
    const alert = page.getByTestId('missing-secret');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.match((await alert.getAttribute('class')) ?? '', /\berror\b/);
    assert.equal(await page.getByRole('status').filter({ hasText: 'portalPassword' }).count(), 0, 'not a status line');
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /needs the secret portalPassword/);
    assert.doesNotMatch(text, /rpa secret set/);
    await page.screenshot({ path: screenshotPath('studio-missing-secret.png') });

    await alert.getByRole('link', { name: 'Store it in Settings → Secrets' }).click();
    const secrets = page.getByRole('region', { name: 'Secrets' });
    assert.equal(await secrets.getByLabel('Name').inputValue(), 'portalPassword');
    await secrets.getByLabel('Value').fill('Winter2004!');
    await secrets.getByRole('button', { name: 'Save secret' }).click();
    await secrets.getByText('Secret portalPassword saved.').waitFor();

    await page.getByRole('link', { name: 'Studio' }).click();
    await page.getByRole('button', { name: /Sign in somewhere/ }).click();
    await page.getByRole('region', { name: 'Run' }).getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('region', { name: 'Run' }).getByText('passed').first().waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('missing-secret').count(), 0);
  });
});
