// A freshly recorded sign-in, in real Chromium: before the recording is saved, the studio asks
// which secret the typed password is — a stored one, or a new one it stores now under a
// sensible name (not the field's bare "password") — and the saved bot refers to that secret,
// so its first run passes instead of failing for a secret nobody stored.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface SavedDoc {
  secrets?: string[];
  steps: Array<{ kind: string; value?: string }>;
}

describe('the secret of a freshly recorded password', { timeout: 300_000 }, () => {
  let demo: DemoSystem;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0 });
    home = tempDir('record-secret-home');
    const env: NodeJS.ProcessEnv = { ...process.env, RPA_HOME: home };
    for (const key of Object.keys(env)) if (key.startsWith('RPA_SECRET_')) delete env[key];
    studio = await serveStudio({ env });
    await studio.service.call('secrets.set', { name: 'claimsPortalPassword', value: DEMO_PASSWORD });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'Studio' }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await demo?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Records signing in to the demo system under `name` and presses Stop; the secrets question comes next. */
  async function recordSignIn(name: string): Promise<void> {
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Record' });
    await panel.getByLabel('Start at URL').fill(`${demo.url}/login`);
    await panel.getByLabel('Name').fill(name);
    await panel.getByLabel(/Hidden browser/).check();
    await panel.getByRole('button', { name: 'Start recording' }).click();
    await panel.getByText('recording', { exact: true }).waitFor({ timeout: 60_000 });
    const recorded = studio.host!.service.activeRecording!.page;
    await recorded.getByLabel('User name:').fill('clerk');
    await recorded.getByLabel('Password:').fill(DEMO_PASSWORD);
    await recorded.getByRole('button', { name: 'Sign in' }).click();
    await recorded.getByText('Welcome, clerk').waitFor();
    await panel.getByRole('list', { name: 'Recorded steps' }).getByText('browser.click').waitFor();
    await panel.getByRole('button', { name: 'Stop and edit' }).click();
  }

  async function savedDoc(title: string): Promise<SavedDoc> {
    const list = (await studio.service.call('automations.list', {})) as Array<{ id: string; name: string }>;
    const id = list.find((a) => a.name === title)!.id;
    return ((await studio.service.call('automations.get', { id })) as { doc: SavedDoc }).doc;
  }

  async function runFromEditor(): Promise<void> {
    const run = page.getByRole('region', { name: 'Run' });
    await run.getByRole('button', { name: 'Run', exact: true }).click();
    await run.getByText('passed').first().waitFor({ timeout: 90_000 });
    assert.equal(await page.getByTestId('missing-secret').count(), 0);
  }

  it('uses a secret already stored when the builder chooses it, and the first run passes', { timeout: 150_000 }, async () => {
    await recordSignIn('Sign in with a stored secret');
    const question = page.getByRole('region', { name: 'Secrets of this recording' });
    await question.waitFor();
    await question.getByRole('radio', { name: /a stored secret/ }).check();
    await question.getByLabel('Which stored secret').selectOption('claimsPortalPassword');
    await page.screenshot({ path: screenshotPath('studio-record-secret-choose.png') });
    await question.getByRole('button', { name: 'Save the recording' }).click();
    await page.getByRole('region', { name: 'Editing Sign in with a stored secret' }).waitFor();

    const doc = await savedDoc('Sign in with a stored secret');
    assert.deepEqual(doc.secrets, ['claimsPortalPassword']);
    assert.ok(doc.steps.some((s) => s.value === '{{secrets.claimsPortalPassword}}'), JSON.stringify(doc.steps));
    assert.ok(!JSON.stringify(doc).includes('secrets.password'), 'no reference to the bare recorded name is left');
    await runFromEditor();
  });

  it('creates a new secret under a sensible name, refusing a bad name without losing the recording', { timeout: 150_000 }, async () => {
    await recordSignIn('Claims desk');
    const question = page.getByRole('region', { name: 'Secrets of this recording' });
    await question.waitFor();
    await question.getByRole('radio', { name: /a new secret/ }).check();
    const nameBox = question.getByLabel('New secret name');
    const suggested = await nameBox.inputValue();
    assert.match(suggested, /^[A-Za-z_][A-Za-z0-9_]*$/, 'a valid secret name');
    assert.notEqual(suggested.toLowerCase(), 'password', 'named after what it signs in to, not the bare field');
    assert.match(suggested, /^claimsDesk/);

    // A bad name: a clear error, and the recording is still there to save.
    await nameBox.fill('my password');
    await question.getByLabel('Value').fill(DEMO_PASSWORD);
    await question.getByRole('button', { name: 'Save the recording' }).click();
    const problem = question.getByRole('alert');
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /letters, digits and _/);
    assert.match((await problem.getAttribute('class')) ?? '', /\berror\b/);
    await page.screenshot({ path: screenshotPath('studio-record-secret-new.png') });

    await nameBox.fill(suggested);
    await question.getByRole('button', { name: 'Save the recording' }).click();
    await page.getByRole('region', { name: 'Editing Claims desk' }).waitFor();

    const stored = (await studio.service.call('secrets.list', {})) as Array<{ name: string }>;
    assert.ok(stored.some((s) => s.name === suggested), `stored ${suggested}`);
    const doc = await savedDoc('Claims desk');
    assert.deepEqual(doc.secrets, [suggested]);
    assert.ok(doc.steps.some((s) => s.value === `{{secrets.${suggested}}}`), JSON.stringify(doc.steps));
    await runFromEditor();
  });
});
