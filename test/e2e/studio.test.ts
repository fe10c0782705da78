// `rpa studio` end to end: the server refuses requests without the session token and bad
// bodies; in Chromium the studio runs an example against the demo system with live progress,
// saves an edit as a new version with its diff, stops at a breakpoint, shows the failed
// step's screenshot, records a flow and edits it, and resolves a review. Screenshots of each
// screen go to a temporary folder (docs/screenshots with npm run docs:screenshots).
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { EXAMPLES, tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function request(port: number, method: string, url: string, options: { token?: string; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A WebSocket handshake: resolves with 101 when upgraded, else the refusal's status. */
function wsHandshake(port: number, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent: false, path: `/api/ws${query}`, headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rpa studio', { timeout: 300_000 }, () => {
  let demo: DemoSystem;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0 });
    workspace = tempDir('studio-ws');
    cpSync(EXAMPLES, workspace, { recursive: true });
    // A bot that asks a person to confirm an amount, then logs it.
    writeAutomation(workspace, 'confirm-amount.json', {
      format: 1,
      id: 'test.confirm-amount',
      name: 'Confirm an amount',
      version: '1.0.0',
      outputs: ['answer'],
      steps: [
        { kind: 'human.review', title: 'Check the claim amount', values: { amount: '120.00' }, into: 'answer' },
        { kind: 'log', message: 'amount is {{vars.answer.values.amount}}' },
      ],
    });
    const home = tempDir('studio-home');
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await demo?.close();
  });

  it('refuses API requests and WebSocket handshakes without the session token', { timeout: 90_000 }, async () => {
    const { port, token } = studio.server;
    assert.equal((await request(port, 'GET', '/api/automations')).status, 401);
    assert.equal((await request(port, 'GET', '/api/automations', { token: 'wrong' })).status, 401);
    assert.equal((await request(port, 'GET', '/api/automations', { token })).status, 200);
    assert.equal(await wsHandshake(port, ''), 401);
    assert.equal(await wsHandshake(port, '?token=wrong'), 401);
    assert.equal(await wsHandshake(port, `?token=${token}`), 101);
    assert.ok(studio.server.url.endsWith(`#token=${token}`), 'the token rides in the URL fragment');
  });

  it('answers bad requests with 400 and a message naming the field', { timeout: 90_000 }, async () => {
    const { port, token } = studio.server;
    const wrongType = await request(port, 'POST', '/api/runs', { token, body: JSON.stringify({ id: 5 }) });
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.body, /runs\.start: id: /);
    const notJson = await request(port, 'POST', '/api/runs', { token, body: '{oops' });
    assert.equal(notJson.status, 400);
    const badSecret = await request(port, 'PUT', '/api/secrets/portal%20password', { token, body: JSON.stringify({ value: 'xx' }) });
    assert.equal(badSecret.status, 400);
    assert.match(badSecret.body, /name/);
    const traversal = await request(port, 'GET', `/api/automations/${encodeURIComponent('workspace/../../etc/passwd.json')}`, { token });
    assert.equal(traversal.status, 400);
    const invalidSave = await request(port, 'PUT', `/api/automations/${encodeURIComponent('workspace/login.json')}`, { token, body: JSON.stringify({ doc: { format: 1, id: 'x', name: 'x', version: '1.0.0', steps: [{ kind: 'browser.clik' }] } }) });
    assert.equal(invalidSave.status, 422);
    assert.match(invalidSave.body, /did you mean \\"browser.click\\"/);
    assert.equal(readFileSync(path.join(workspace, 'login.json'), 'utf8'), readFileSync(path.join(EXAMPLES, 'login.json'), 'utf8'), 'an invalid save leaves the file alone');
    const artifact = await request(port, 'GET', '/api/runs/nope/artifacts/..%2F..%2Fruns.db', { token });
    assert.equal(artifact.status, 404);
  });

  it('runs a bot from the tray panel and shows live progress until it passed', { timeout: 90_000 }, async () => {
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByRole('button', { name: 'Run Sign in to Acme Mutual claims intake' }).click();
    const form = page.getByRole('form', { name: 'Run Sign in to Acme Mutual claims intake' });
    await form.getByLabel('baseUrl').fill(demo.url);
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    const live = page.getByTestId('live-progress');
    await live.getByText('running').waitFor();
    await live.getByText('passed').waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate<boolean>('location.hash.includes("token")'), false, 'the token left the address bar');
    await page.screenshot({ path: screenshotPath('tray-live.png') });
  });

  it('edits a step, saves a new version and shows the diff', { timeout: 90_000 }, async () => {
    await page.goto(`${studio.server.url.split('#')[0]}#/studio`);
    await page.getByRole('button', { name: /Sign in to Acme Mutual/ }).click();
    await page.getByRole('gridcell', { name: /signed in/ }).click();
    await page.getByRole('region', { name: 'Step 5' }).getByLabel('name', { exact: true }).fill('signed in as the clerk');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.getByRole('list', { name: 'Changed steps' }).getByText(/name: signed in → signed in as the clerk/).waitFor();
    await page.getByLabel('Show the JSON lines').check();
    const diff = page.getByTestId('diff');
    await diff.getByText('+      "name": "signed in as the clerk",').waitFor();
    await diff.getByText('-      "name": "signed in",').waitFor();
    assert.match(readFileSync(path.join(workspace, 'login.json'), 'utf8'), /"signed in as the clerk"/);
    await page.screenshot({ path: screenshotPath('studio-editor-diff.png') });
  });

  it('pauses at a breakpoint before its step and finishes on continue', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Set breakpoint at step 3' }).click();
    const runForm = page.getByRole('region', { name: 'Run' });
    await runForm.getByLabel('baseUrl').fill(demo.url);
    await runForm.getByRole('button', { name: 'Run', exact: true }).click();
    await runForm.getByText('paused at a breakpoint').waitFor({ timeout: 60_000 });
    const row = (n: number) => page.locator(`.step-row[data-index="${n - 1}"]`);
    assert.equal(await row(2).getAttribute('data-status'), 'passed');
    assert.equal(await row(3).getAttribute('data-status'), null, 'step 3 has not started');
    assert.match((await row(3).getAttribute('class')) ?? '', /paused/);
    await page.screenshot({ path: screenshotPath('studio-breakpoint.png') });
    await runForm.getByRole('button', { name: 'Continue' }).click();
    await row(5).and(page.locator('[data-status="passed"]')).waitFor({ timeout: 60_000 });
    await runForm.getByRole('button', { name: 'Run', exact: true }).waitFor();
  });

  it('shows the failed step and its screenshot in the run history', { timeout: 90_000 }, async () => {
    const runForm = page.getByRole('region', { name: 'Run' });
    await page.getByRole('button', { name: 'Remove breakpoint at step 3' }).click();
    await runForm.getByLabel('baseUrl').fill(demo.url);
    await runForm.getByLabel('username').fill('nobody');
    await runForm.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.step-row[data-index="4"][data-status="failed"]').waitFor({ timeout: 90_000 });
    await runForm.getByRole('list', { name: 'Recent runs' }).getByText('failed').first().click();
    await page.screenshot({ path: screenshotPath('studio-run-history.png') });
    await runForm.getByText(/Step 5 \(signed in as the clerk\) failed/).waitFor();
    const shot = runForm.getByRole('img', { name: /failed/ });
    await shot.waitFor();
    assert.ok((await shot.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 100, 'the failure screenshot loaded');
    await page.screenshot({ path: screenshotPath('studio-run-history.png') });
  });

  it('records a flow on the demo system, opens it in the editor and saves an edit', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: 'Record' }).click();
    const panel = page.getByRole('region', { name: 'Record' });
    await panel.getByLabel('Start at URL').fill(`${demo.url}/login`);
    await panel.getByLabel('Name').fill('Sign in recorded');
    await panel.getByLabel(/Hidden browser/).check();
    await panel.getByRole('button', { name: 'Start recording' }).click();
    await panel.getByText('recording', { exact: true }).waitFor();
    const recorded = studio.host!.service.activeRecording!.page;
    await recorded.getByLabel('User name:').fill('clerk');
    await recorded.getByLabel('Password:').fill(DEMO_PASSWORD);
    await recorded.getByRole('button', { name: 'Sign in' }).click();
    await recorded.getByText('Welcome, clerk').waitFor();
    const steps = panel.getByRole('list', { name: 'Recorded steps' });
    await steps.getByText('browser.click').waitFor();
    assert.ok((await steps.getByText('browser.fill').count()) >= 2, 'both fills arrived live');
    await page.screenshot({ path: screenshotPath('studio-record.png') });
    await panel.getByRole('button', { name: 'Stop and edit' }).click();
    // The typed password: stored now as a new secret (test/e2e/studio-record-secret.test.ts covers the choice).
    const question = page.getByRole('region', { name: 'Secrets of this recording' });
    await question.getByLabel('Value').fill(DEMO_PASSWORD);
    await question.getByRole('button', { name: 'Save the recording' }).click();
    const editor = page.getByRole('region', { name: 'Editing Sign in recorded' });
    await editor.waitFor();
    await page.getByRole('gridcell', { name: /fill/ }).first().click();
    await page.getByRole('region', { name: /^Step \d+$/ }).getByLabel('value').fill('{{inputs.user}}');
    await page.getByRole('region', { name: 'Inputs' }).getByRole('button', { name: 'Add input' }).click();
    await page.getByLabel('Input 1 name').fill('user');
    await editor.getByText('valid', { exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
  });

  it('resolves a review from the inbox and the run goes on', { timeout: 90_000 }, async () => {
    const { port, token } = studio.server;
    const started = await request(port, 'POST', '/api/runs', { token, body: JSON.stringify({ id: 'workspace/confirm-amount.json' }) });
    assert.equal(started.status, 200, started.body);
    const { runId } = JSON.parse(started.body) as { runId: string };
    await page.getByRole('link', { name: 'My bots' }).click();
    const card = page.getByRole('listitem', { name: 'Review: Check the claim amount' });
    await card.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('tray-review-inbox.png') });
    await card.getByLabel('amount').fill('125.50');
    await card.getByRole('button', { name: 'Save corrections' }).click();
    await page.getByText('No reviews are waiting.').waitFor();
    for (let i = 0; i < 100; i++) {
      const run = JSON.parse((await request(port, 'GET', `/api/runs/${runId}`, { token })).body) as { status: string; outputs: Record<string, { values?: Record<string, unknown> }> };
      if (run.status === 'passed') {
        assert.equal(run.outputs['answer']?.values?.['amount'], '125.50');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the resumed run did not pass');
  });

  it('keeps secrets write-only and shows settings', { timeout: 90_000 }, async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const secrets = page.getByRole('region', { name: 'Secrets' });
    await secrets.getByLabel('Name').fill('crmPassword');
    await secrets.getByLabel('Value').fill('s3cret-value-42');
    await secrets.getByRole('button', { name: 'Save secret' }).click();
    await secrets.getByText('Secret crmPassword saved.').waitFor();
    const listed = await request(studio.server.port, 'GET', '/api/secrets', { token: studio.server.token });
    assert.match(listed.body, /crmPassword/);
    assert.doesNotMatch(listed.body, /s3cret-value-42/);
    assert.equal(await page.evaluate<boolean>("document.body.innerText.includes('s3cret-value-42')"), false);
    await page.getByRole('region', { name: 'Audit server' }).getByText('Not enrolled').waitFor();
    await page.screenshot({ path: screenshotPath('settings.png') });
  });
});
