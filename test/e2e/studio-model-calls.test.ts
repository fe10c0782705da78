// The studio's run detail lists the run's model calls: a document read by a remote model
// (its first answer is not JSON, so two paid attempts) with a shadow provider beside it. The
// models are two local OpenAI-compatible test servers; the studio runs in Chromium.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { answer, extraction, OpenAiTestServer } from '../support/openai-test-server.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function request(port: number, method: string, url: string, token: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('studio: model calls in the run detail', { timeout: 180_000 }, () => {
  let primary: OpenAiTestServer;
  let shadow: OpenAiTestServer;
  let studio: RunningStudio;
  let browser: Browser;

  before(async () => {
    const fields = ['invoiceNumber', 'amount'];
    primary = await OpenAiTestServer.start({ apiKey: 'sk-studio-primary-77', model: 'gpt-primary', fields });
    shadow = await OpenAiTestServer.start({ model: 'llama3.1:8b', fields });
    const workspace = tempDir('studio-models-ws');
    writeAutomation(workspace, 'read-invoice.json', {
      format: 1, id: 'test.read-invoice', name: 'Read an invoice', version: '1.0.0', outputs: ['invoice'],
      steps: [
        {
          kind: 'ai.extract', provider: 'primary', shadow: { provider: 'ollama' }, document: 'Invoice INV-9 total 310.00 EUR',
          fields: [{ name: 'invoiceNumber', type: 'string', required: true }, { name: 'amount', type: 'money', required: true }],
          prompt: { id: 'invoice', version: '5' }, into: 'invoice',
        },
      ],
    });
    const home = tempDir('studio-models-home');
    writeFileSync(
      path.join(home, 'settings.json'),
      JSON.stringify({
        models: {
          providers: [
            { name: 'primary', kind: 'openai', baseUrl: primary.url, model: 'gpt-primary', apiKeySecret: 'PRIMARYKEY', prices: { 'gpt-primary': { inputPer1M: 2, outputPer1M: 8 } } },
            { name: 'ollama', kind: 'openai', baseUrl: shadow.url, model: 'llama3.1:8b' },
          ],
        },
      }),
    );
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_SECRET_PRIMARYKEY: 'sk-studio-primary-77' } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await studio?.close();
    await Promise.all([primary?.close(), shadow?.close()]);
  });

  it('shows each call with provider, model, prompt, attempts, tokens, cost, latency and status; the shadow marked', { timeout: 120_000 }, async () => {
    const good = extraction({ invoiceNumber: { value: 'INV-9', confidence: 0.97 }, amount: { value: 310, confidence: 0.95 } });
    primary.enqueue(answer('not json', { prompt_tokens: 700, completion_tokens: 20 }), good);
    shadow.enqueue(extraction({ invoiceNumber: { value: 'INV-9', confidence: 0.9 }, amount: { value: 301, confidence: 0.9 } }));
    const { port, token } = studio.server;
    const started = await request(port, 'POST', '/api/runs', token, JSON.stringify({ id: 'workspace/read-invoice.json' }));
    assert.equal(started.status, 200, started.body);
    const { runId } = JSON.parse(started.body) as { runId: string };
    let run: { status: string; modelCalls: Array<{ provider: string; shadow: boolean; attempts: number }>; modelCostUsd?: number } = { status: 'running', modelCalls: [] };
    for (let i = 0; i < 200 && (run.status === 'running' || run.status === 'queued'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const got = await request(port, 'GET', `/api/runs/${runId}`, token);
      if (got.status === 200) run = JSON.parse(got.body) as typeof run;
    }
    assert.equal(run.status, 'passed');
    assert.deepEqual(run.modelCalls.map((c) => [c.provider, c.shadow, c.attempts]).sort(), [['ollama', true, 1], ['primary', false, 2]]);
    assert.equal(run.modelCostUsd, (1900 * 2 + 100 * 8) / 1e6);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).waitFor();
    await page.goto(`${studio.server.url.split('#')[0]}#/studio`);
    await page.getByRole('button', { name: /Read an invoice/ }).click();
    const runRegion = page.getByRole('region', { name: 'Run' });
    await runRegion.getByRole('list', { name: 'Recent runs' }).getByText('passed').first().click();
    const calls = runRegion.getByRole('region', { name: 'Model calls' });
    await calls.waitFor();
    await calls.getByText('$0.0046 in all').waitFor();
    const primaryCall = calls.getByRole('listitem', { name: 'Call to primary' });
    const text = await primaryCall.innerText();
    assert.match(text, /primary\s+gpt-primary\s+passed/);
    assert.match(text, /step 1 · invoice@5 · extract@2 · 2 attempts · 1900 in \/ 100 out · \$0\.0046 · \d+(\.\d)? (ms|s)\n/);
    assert.match(text, /attempt 1: invalid-answer · 700 in \/ 20 out · \$0\.00156 · \d+(\.\d)? (ms|s) — the model's answer is not JSON/);
    assert.match(text, /attempt 2: ok · 1200 in \/ 80 out · \$0\.00304/);
    const shadowCall = calls.getByRole('listitem', { name: 'Shadow call to ollama' });
    assert.match(await shadowCall.innerText(), /ollama\s+llama3\.1:8b\s+shadow\s+passed\s+step 1 · invoice@5 · extract@2 · 1 attempt · 1200 in \/ 80 out · no price/);
    await calls.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('studio-model-calls.png') });
    await page.close();
  });
});
