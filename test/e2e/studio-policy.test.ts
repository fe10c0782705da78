// The machine policy as staff and builders see it, in Chromium: the settings screen lists every
// setting in effect with its source; with signatures required the tray runs a signed package and
// refuses a plain file, saying why; an invalid policy puts a banner on the tray and disables Run.
// Screenshots go to a temporary folder (docs/screenshots with npm run docs:screenshots).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { generateKeyPair, packDirectory, signPackage } from '../../engine/package/index.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const bot = (id: string, name: string) => ({
  format: 1,
  id,
  name,
  version: '2.0.1',
  description: 'Posts the day’s approved invoices',
  steps: [
    { kind: 'log', message: 'posting approved invoices' },
    { kind: 'flow.set', var: 'posted', value: 3 },
  ],
  outputs: ['posted'],
});

describe('policy in the studio and tray', { timeout: 300_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let policyFile: string;
  let publicKey: string;

  const writePolicy = (policy: unknown): void => writeFileSync(policyFile, typeof policy === 'string' ? policy : JSON.stringify(policy));

  before(async () => {
    const dir = tempDir('studio-policy');
    const workspace = path.join(dir, 'workspace');
    const source = path.join(dir, 'source');
    mkdirSync(workspace);
    mkdirSync(source);
    writeAutomation(source, 'automation.json', bot('finance.post-invoices', 'Post approved invoices'));
    const keys = generateKeyPair(path.join(dir, 'coe'));
    publicKey = readFileSync(keys.publicKeyFile, 'utf8');
    const packed = packDirectory(source, { out: path.join(workspace, 'post-invoices-2.0.1.rpapkg') });
    signPackage(packed.file, readFileSync(keys.privateKeyFile, 'utf8'), { signer: 'Automation CoE' });
    writeAutomation(workspace, 'draft.json', bot('finance.draft', 'Unsigned draft bot'));
    policyFile = path.join(dir, 'policy.json');
    writePolicy({
      version: 1,
      owner: 'Finance IT, change 4711',
      auditServer: { url: 'https://audit.example.com', enrollmentToken: 'enroll-token-never-shown-0001' },
      automations: { requireSigned: true, trustedPublishers: [{ name: 'Automation CoE', publicKey }] },
      models: { allowedEndpoints: ['https://llm.internal.example.com/v1'] },
      recorder: { enabled: false },
      schedules: { allowed: false },
      updates: { feedUrl: 'https://audit.example.com/updates/', rolloutPercent: 20 },
    });
    const home = tempDir('studio-policy-home');
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_POLICY_FILE: policyFile } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows the policy and each effective setting with its source; the enrollment token stays hidden', async () => {
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'Settings' }).click();
    const panel = page.getByRole('region', { name: 'Policy and effective settings' });
    await panel.getByText('Finance IT, change 4711', { exact: false }).waitFor();
    const row = (key: string) => panel.locator(`tr[data-key="${key}"]`);
    assert.match(await row('models.allowedEndpoints').innerText(), /https:\/\/llm\.internal\.example\.com\/v1\s+policy/);
    assert.match(await row('recorder.enabled').innerText(), /no\s+policy/);
    assert.match(await row('automations.trustedPublishers').innerText(), /Automation CoE \([0-9a-f]{16}\)/);
    assert.match(await row('browser.headless').innerText(), /yes\s+default/);
    assert.equal(await page.evaluate<boolean>("document.body.innerText.includes('enroll-token-never-shown')"), false);
    await page.screenshot({ path: screenshotPath('settings-policy.png') });
  });

  it('the studio says the recorder is off and offers no Start', async () => {
    await page.getByRole('link', { name: 'Studio' }).click();
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByTestId('recorder-off').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start recording' }).isDisabled(), true);
    const refused = await fetch(`http://127.0.0.1:${studio.server.port}/api/recording`, { method: 'POST', headers: { authorization: `Bearer ${studio.server.token}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /recorder is turned off on this machine by its policy/);
  });

  it('the tray runs the signed package and refuses the plain file with the reason', async () => {
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByText('signed', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Run Post approved invoices' }).click();
    await page.getByRole('dialog', { name: 'Run Post approved invoices' }).getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('live-progress').getByText('passed').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Run Unsigned draft bot' }).click();
    await page.getByRole('dialog', { name: 'Run Unsigned draft bot' }).getByRole('button', { name: 'Run', exact: true }).click();
    // The refusal stands under the Run button the person clicked, in plain words: no file path
    // (the workspace is a temporary folder here), no CLI commands.
    const refusal = page.getByRole('dialog', { name: 'Run Unsigned draft bot' }).getByRole('alert');
    await refusal.getByText('was not run', { exact: false }).waitFor();
    const said = (await refusal.textContent()) ?? '';
    assert.match(said, /^“Unsigned draft bot” was not run: this computer only runs bots that your automation team has signed/);
    assert.doesNotMatch(said, /[/\\]|draft\.json|rpapkg|rpa sign/, 'no path, file name or command in what staff read');
    assert.equal(await page.getByRole('alert').count(), 1, 'one alert, and not above the bot list');
    const button = (await page.getByRole('button', { name: 'Run Unsigned draft bot' }).boundingBox())!;
    const shown = (await refusal.boundingBox())!;
    assert.ok(shown.y > button.y && shown.y - (button.y + button.height) < 200, `the refusal is just under the bot's row (${Math.round(shown.y - button.y - button.height)} px below its Run button)`);
    await page.screenshot({ path: screenshotPath('tray-policy-refused.png') });
    const runs = await fetch(`http://127.0.0.1:${studio.server.port}/api/runs`, { headers: { authorization: `Bearer ${studio.server.token}` } }).then((r) => r.json() as Promise<Array<{ automationName: string; status: string }>>);
    assert.deepEqual(runs.map((r) => [r.automationName, r.status]), [['Post approved invoices', 'passed']]);
  });

  it('an invalid policy disables Run on the tray and says why', async () => {
    writePolicy('{"version": 1, "schedules": {"allowed": "weekdays"}}');
    await page.reload();
    await page.getByRole('link', { name: 'My bots' }).click();
    const banner = page.getByTestId('policy-error');
    await banner.getByText('schedules.allowed', { exact: false }).waitFor();
    assert.doesNotMatch((await banner.textContent()) ?? '', /rpa-studio-policy-|[/\\]policy\.json/, 'the banner names the wrong setting, not the policy file\'s temporary path');
    assert.equal(await page.getByRole('button', { name: 'Run Post approved invoices' }).isDisabled(), true);
    await page.screenshot({ path: screenshotPath('tray-policy-invalid.png') });
  });
});
