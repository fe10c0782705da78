// The Settings screen as a builder uses it, in Chromium at 1280×800 under a machine policy that
// allows one model endpoint and forbids schedules: model providers are a form (the built-in local
// provider shown, the API key chosen from the vault by name and never shown), "Test connection"
// asks the engine and says what happened (a local OpenAI-compatible test server answers), a
// provider outside the allowed endpoints is flagged and the engine sends it nothing, "Add
// schedule" is disabled with the policy's reason, and no source badge breaks mid-word.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { answer, OpenAiTestServer } from '../support/openai-test-server.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const KEY = 'sk-settings-form-key-4242';
// The same value, under a name the vault does not have: only the environment can give it.
const ENV_KEY = KEY;

describe('studio settings: providers form, policy flags, schedules', { timeout: 300_000 }, () => {
  let server: OpenAiTestServer;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;

  before(async () => {
    server = await OpenAiTestServer.start({ apiKey: KEY, model: 'gpt-form' });
    const dir = tempDir('studio-settings');
    home = path.join(dir, 'home');
    const workspace = path.join(dir, 'workspace');
    mkdirSync(home);
    mkdirSync(workspace);
    writeAutomation(workspace, 'post.json', { format: 1, id: 'test.post', name: 'Post invoices', version: '1.0.0', steps: [{ kind: 'log', message: 'posting' }] });
    writeAutomation(home, 'settings.json', { models: { providers: [{ name: 'company-llm', kind: 'openai', baseUrl: server.url, model: 'gpt-form', apiKeySecret: 'LLM_KEY', timeoutMs: 30_000 }] } });
    const policyFile = path.join(dir, 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        version: 1,
        owner: 'Finance IT, change 4712',
        automations: { requireSigned: false },
        models: { allowedEndpoints: [server.url] },
        schedules: { allowed: false },
      }),
    );
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_POLICY_FILE: policyFile, RPA_SECRET_ENV_LLM_KEY: ENV_KEY } });
    const saved = await fetch(`http://127.0.0.1:${studio.server.port}/api/secrets/LLM_KEY`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${studio.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: KEY }),
    });
    assert.equal(saved.status, 200, await saved.text());
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'Settings' }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await server?.close();
  });

  const providers = () => page.getByRole('region', { name: 'Model providers' });
  const provider = (name: string) => providers().getByRole('group', { name: `Provider ${name}` });

  it('shows providers as a form with the built-in local provider; the key is chosen by name and never shown', async () => {
    await provider('company-llm').waitFor({ timeout: 30_000 });
    await providers().getByText('local', { exact: true }).waitFor();
    assert.match(await providers().getByTestId('local-provider').innerText(), /built in/i);
    const form = provider('company-llm');
    assert.equal(await form.getByLabel('Endpoint', { exact: true }).inputValue(), server.url);
    assert.equal(await form.getByLabel('Model', { exact: true }).inputValue(), 'gpt-form');
    assert.equal(await form.getByLabel('Kind', { exact: true }).inputValue(), 'openai');
    const key = form.getByLabel('API key (vault secret)');
    assert.equal(await key.inputValue(), 'LLM_KEY');
    assert.deepEqual(await key.locator('option').allInnerTexts(), ['none (no key needed)', 'LLM_KEY', 'Create a new secret…', 'Read from an environment variable…']);
    assert.equal(await page.locator('textarea').count(), 0, 'no raw JSON text boxes');
    assert.equal(await page.evaluate<boolean>(`document.documentElement.outerHTML.includes(${JSON.stringify(KEY)})`), false);
  });

  it('"Test connection" asks the engine, which calls the endpoint with the key, and says what happened', async () => {
    server.enqueue(answer('OK'));
    const form = provider('company-llm');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByRole('status');
    await result.getByText('Connected', { exact: false }).waitFor({ timeout: 60_000 });
    assert.match(await result.innerText(), /gpt-form/);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.authorization, `Bearer ${KEY}`);
    assert.deepEqual(server.problems, []);

    // A server that refuses the key (and echoes it): the failure is plain, and the key stays hidden.
    server.enqueue({ kind: 'status', status: 401, echoKey: true });
    await form.getByRole('button', { name: 'Test connection' }).click();
    await result.getByText('failed', { exact: false }).waitFor({ timeout: 60_000 });
    assert.match(await result.innerText(), /HTTP 401.*check the API key secret/);
    assert.equal(await page.evaluate<boolean>(`document.body.innerText.includes(${JSON.stringify(KEY)})`), false);
  });

  it('a new key secret is created from the dropdown: stored in the vault, chosen, its value never shown again; or read from an environment variable', async () => {
    const form = provider('company-llm');
    const key = form.getByLabel('API key (vault secret)');
    await key.selectOption({ label: 'Create a new secret…' });
    const created = form.getByRole('group', { name: 'New secret' });
    await created.getByLabel('Secret name').fill('COMPANY_LLM_KEY');
    await created.getByLabel('Value').fill(KEY);
    await page.screenshot({ path: screenshotPath('studio-settings-new-secret.png') });
    await created.getByRole('button', { name: 'Store in the vault' }).click();
    await form.getByRole('status').getByText('Stored COMPANY_LLM_KEY in the vault and chose it; its value is not shown again.').waitFor();
    assert.equal(await key.inputValue(), 'COMPANY_LLM_KEY');
    assert.equal(await created.count(), 0, 'the value field is gone');
    await page.getByRole('region', { name: 'Secrets' }).getByText('COMPANY_LLM_KEY').waitFor();
    assert.equal(await page.evaluate<boolean>(`document.documentElement.outerHTML.includes(${JSON.stringify(KEY)})`), false);
    // The engine reads it from the vault: the test server gets it.
    server.enqueue(answer('OK'));
    const before = server.requests.length;
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').getByText('Connected', { exact: false }).waitFor({ timeout: 60_000 });
    assert.equal(server.requests[before]!.authorization, `Bearer ${KEY}`);

    // An environment variable of the engine host instead: the name says which variable.
    await key.selectOption({ label: 'Read from an environment variable…' });
    const env = form.getByRole('group', { name: 'Environment variable' });
    await env.getByLabel('Secret name').fill('ENV_LLM_KEY');
    await env.getByText('Runs read the key from RPA_SECRET_ENV_LLM_KEY in the environment of the engine host').waitFor();
    await env.getByRole('button', { name: 'Use it' }).click();
    assert.equal(await key.inputValue(), 'ENV_LLM_KEY');
    assert.equal(await key.locator('option:checked').innerText(), 'ENV_LLM_KEY (not in the vault: read from RPA_SECRET_ENV_LLM_KEY)');
    server.enqueue(answer('OK'));
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').getByText('Connected', { exact: false }).waitFor({ timeout: 60_000 });
    assert.equal(server.requests.at(-1)!.authorization, `Bearer ${ENV_KEY}`);
    // Back to the key the other cases use.
    await key.selectOption('LLM_KEY');
  });

  it('flags a provider outside the policy\'s allowed endpoints; its test sends nothing; saving keeps every field', async () => {
    await providers().getByRole('button', { name: 'Add provider' }).click();
    const added = providers().getByRole('group', { name: 'Provider (new)' });
    await added.getByLabel('Name', { exact: true }).fill('public-cloud');
    const form = provider('public-cloud');
    await form.getByLabel('Endpoint', { exact: true }).fill('https://api.public-llm.example.com/v1');
    await form.getByLabel('Model', { exact: true }).fill('big-model');
    const flag = form.getByTestId('endpoint-not-allowed');
    await flag.waitFor();
    assert.match(await flag.innerText(), /not allowed by this machine's policy/);
    assert.match(await flag.innerText(), new RegExp(server.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    assert.equal(await form.getByLabel('Endpoint', { exact: true }).getAttribute('aria-invalid'), 'true');
    // The allowed provider is not flagged.
    assert.equal(await provider('company-llm').getByTestId('endpoint-not-allowed').count(), 0);

    const before = server.requests.length;
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByRole('status').getByText('Not allowed on this machine', { exact: false }).waitFor({ timeout: 60_000 });
    assert.match(await form.getByRole('status').innerText(), /nothing was sent/);
    assert.equal(server.requests.length, before, 'no request left for an endpoint the policy does not allow');

    // Taller for the picture only, so the whole section shows below the sticky header.
    await page.setViewportSize({ width: 1280, height: 1400 });
    await providers().screenshot({ path: screenshotPath('settings-providers.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await providers().getByRole('button', { name: 'Save providers' }).click();
    await providers().getByText('Settings saved.').waitFor();
    const saved = JSON.parse(readFileSync(path.join(home, 'settings.json'), 'utf8')) as { models: { providers: Array<Record<string, unknown>> } };
    assert.deepEqual(saved.models.providers, [
      { name: 'company-llm', kind: 'openai', baseUrl: server.url, model: 'gpt-form', apiKeySecret: 'LLM_KEY', timeoutMs: 30_000 },
      { name: 'public-cloud', kind: 'openai', baseUrl: 'https://api.public-llm.example.com/v1', model: 'big-model' },
    ]);
  });

  it('"Add schedule" is disabled while the policy forbids schedules, with the reason beside it', async () => {
    const schedules = page.getByRole('region', { name: 'Schedules' });
    const add = schedules.getByRole('button', { name: 'Add schedule' });
    await add.waitFor();
    assert.equal(await add.isDisabled(), true);
    const reason = schedules.getByTestId('schedules-refused');
    assert.match(await reason.innerText(), /schedules are not allowed on this machine by its policy/i);
    assert.equal(await add.getAttribute('aria-describedby'), await reason.getAttribute('id'));
  });

  it('no source badge breaks mid-word', async () => {
    // One line box per line a badge's text takes: a badge on two lines broke mid-word.
    const broken = await page.evaluate<string[]>(`[...document.querySelectorAll('.effective .badge')].flatMap((badge) => {
      const range = document.createRange();
      range.selectNodeContents(badge);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return lines.size > 1 ? [badge.textContent] : [];
    })`);
    assert.ok((await page.locator('.effective .badge').count()) >= 8);
    assert.deepEqual(broken, []);
    await page.getByRole('region', { name: 'Policy and effective settings' }).screenshot({ path: screenshotPath('settings-effective.png') });
  });
});
