// Remote models through the engine, in process, against local OpenAI-compatible test servers
// (they check every request): PII placeholders restored or sent to a person with a plain
// reason; every attempt of a call recorded, failed paid ones included, and visible in the run
// detail; shadow mode (a second provider reads the same document, its agreement is recorded
// and nothing acts on it); a local keyless server (Ollama, llama.cpp, vLLM) as a provider.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answer, extraction, OpenAiTestServer } from '../../../test/support/openai-test-server.js';
import { tempDir } from '../../../test/helpers/env.js';
import { Engine } from '../../api.js';
import type { RunEvent, RunEventOf } from '../../events.js';
import type { FieldSpec } from '../../format/schema.js';

const PRIMARY_KEY = 'sk-primary-0a1b2c3d4e';
const SHADOW_KEY = 'sk-shadow-9f8e7d6c5b';
const IBAN = 'GB82 WEST 1234 5698 7654 32';
const FIELDS: FieldSpec[] = [
  { name: 'invoiceNumber', type: 'string', required: true },
  { name: 'amount', type: 'money', required: true },
  { name: 'payoutIban', type: 'string' },
];
const DOCUMENT = `Invoice INV-7\nTotal 120.50 EUR\nPay to IBAN ${IBAN}`;
const FIELD_NAMES = FIELDS.map((f) => f.name);

const sure = (over: Record<string, { value: unknown; confidence: number }> = {}) =>
  extraction({ invoiceNumber: { value: 'INV-7', confidence: 0.97 }, amount: { value: 120.5, confidence: 0.95 }, payoutIban: { value: '[IBAN-1]', confidence: 0.96 }, ...over });

describe('remote models through the engine', { timeout: 120_000 }, () => {
  let primary: OpenAiTestServer;
  let shadow: OpenAiTestServer;
  let local: OpenAiTestServer;
  let dir: string;
  let engine: Engine;

  const bot = (name: string, step: Record<string, unknown> = {}): string => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 1, id: `remote.${name}`, name, version: '1.0.0', outputs: ['invoice'],
        steps: [{ kind: 'ai.extract', provider: 'primary', document: DOCUMENT, fields: FIELDS, prompt: { id: 'invoice', version: '4' }, into: 'invoice', ...step }],
      }),
    );
    return file;
  };
  const settings = (models: Record<string, unknown> = {}): void => {
    writeFileSync(
      path.join(dir, 'home', 'settings.json'),
      JSON.stringify({
        models: {
          providers: [
            { name: 'primary', kind: 'openai', baseUrl: primary.url, model: 'gpt-primary', apiKeySecret: 'PRIMARYKEY', maxRetries: 2, timeoutMs: 3000, prices: { 'gpt-primary': { inputPer1M: 2, outputPer1M: 8 } } },
            { name: 'shadow', kind: 'openai', baseUrl: shadow.url, model: 'open-shadow', apiKeySecret: 'SHADOWKEY', maxRetries: 1, timeoutMs: 3000, prices: { 'open-shadow': { inputPer1M: 0.5, outputPer1M: 1 } } },
            { name: 'ollama', kind: 'openai', baseUrl: local.url, model: 'qwen2.5:7b-instruct' },
            { name: 'nokey', kind: 'openai', baseUrl: shadow.url, model: 'open-shadow', apiKeySecret: 'NOKEYSET' },
          ],
          ...models,
        },
      }),
    );
  };
  const run = async (file: string): Promise<{ result: Awaited<ReturnType<Engine['run']>>; events: RunEvent[] }> => {
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (e) => events.push(e));
    return { result, events };
  };
  const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T): RunEventOf<T>[] => events.filter((e): e is RunEventOf<T> => e.type === type);
  const fresh = (): void => {
    for (const s of [primary, shadow, local]) s.requests.length = 0;
  };

  before(async () => {
    primary = await OpenAiTestServer.start({ apiKey: PRIMARY_KEY, model: 'gpt-primary', fields: FIELD_NAMES, forbidden: [IBAN] });
    shadow = await OpenAiTestServer.start({ apiKey: SHADOW_KEY, model: 'open-shadow', fields: FIELD_NAMES, forbidden: [IBAN] });
    local = await OpenAiTestServer.start({ model: 'qwen2.5:7b-instruct', fields: FIELD_NAMES, forbidden: [IBAN] });
    dir = tempDir('remote-models');
    const home = path.join(dir, 'home');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: home, RPA_VAULT_KEY: 'b'.repeat(64), RPA_SECRET_PRIMARYKEY: PRIMARY_KEY, RPA_SECRET_SHADOWKEY: SHADOW_KEY } });
    settings();
  });
  after(async () => {
    engine?.close();
    await Promise.all([primary?.close(), shadow?.close(), local?.close()]);
  });

  it('restores a placeholder answer locally and accepts it; a placeholder it cannot restore goes to a person with a plain reason', async () => {
    settings();
    fresh();
    primary.enqueue(sure());
    const ok = await run(bot('placeholder-ok'));
    assert.deepEqual(primary.problems, []);
    assert.equal(ok.result.status, 'passed', JSON.stringify(ok.result.error));
    assert.equal((ok.result.outputs['invoice'] as Record<string, unknown>)['payoutIban'], IBAN);

    fresh();
    primary.enqueue(sure({ payoutIban: { value: '[IBAN-2]', confidence: 0.97 } }));
    const paused = await run(bot('placeholder-unknown'));
    assert.equal(paused.result.status, 'paused', 'an unrestorable placeholder is never auto-accepted');
    const task = engine.getReview(paused.result.review!.id)!;
    assert.match(task.instructions ?? '', /payoutIban: .*"\[IBAN-2\]".*placeholder.*cannot be put back/);
    assert.equal(task.values['payoutIban'], null, 'the placeholder is not proposed as the value');
    const extraction = ofType(paused.events, 'extraction')[0]!;
    assert.match(extraction.fields.find((f) => f.name === 'payoutIban')!.problems.join(), /placeholder/);
  });

  it('never auto-accepts a value holding placeholder text that is not on the document, whichever provider produced it', async () => {
    settings();
    fresh();
    // A placeholder the provider restored wrongly would look like this: text the document never showed.
    primary.enqueue(sure({ invoiceNumber: { value: 'INV-7 [EMAIL-1]', confidence: 0.97 } }));
    const paused = await run(bot('placeholder-left'));
    assert.equal(paused.result.status, 'paused');
    assert.match(engine.getReview(paused.result.review!.id)!.instructions ?? '', /invoiceNumber: .*placeholder/);
  });

  it('records every attempt of a failed call with its paid tokens, and the run detail shows the calls and the total cost', async () => {
    settings();
    fresh();
    const broken = answer('{"invoiceNumber": {"value": "INV-7"', { prompt_tokens: 900, completion_tokens: 33 });
    primary.enqueue(broken, broken, broken);
    const failed = await run(bot('paid-failure'));
    assert.equal(failed.result.status, 'failed');
    assert.equal(failed.result.error?.name, 'ModelOutputError');
    const [called] = ofType(failed.events, 'model.called');
    assert.ok(called, 'the failed call is on the record');
    assert.equal(called.call.status, 'failed');
    assert.equal(called.call.attempts, 3);
    assert.deepEqual(called.call.usage, { inputTokens: 2700, outputTokens: 99 });
    const cost = (2700 * 2 + 99 * 8) / 1e6;
    assert.equal(called.cost, cost, 'the paid failed attempts count in the run cost');
    assert.equal(called.call.attemptLog?.length, 3);

    const detail = engine.getRun(failed.result.runId)!;
    assert.equal(detail.modelCalls.length, 1);
    const shown = detail.modelCalls[0]!;
    assert.deepEqual(
      { provider: shown.provider, model: shown.model, prompt: shown.prompt, attempts: shown.attempts, status: shown.status, shadow: shown.shadow, costUsd: shown.costUsd },
      { provider: 'primary', model: 'gpt-primary', prompt: { id: 'invoice', version: '4' }, attempts: 3, status: 'failed', shadow: false, costUsd: cost },
    );
    assert.equal(detail.modelCalls[0]!.attemptLog.length, 3);
    assert.equal(detail.modelCostUsd, cost);
  });

  it('shadow mode: a second provider reads the same document, its agreement is recorded, and nothing acts on it', async () => {
    settings();
    fresh();
    primary.enqueue(sure());
    // The shadow disagrees on the amount and is unsure of everything: nothing may change.
    shadow.enqueue(extraction({ invoiceNumber: { value: 'INV-7', confidence: 0.5 }, amount: { value: 125.5, confidence: 0.2 }, payoutIban: { value: '[IBAN-1]', confidence: 0.4 } }));
    const { result, events } = await run(bot('shadow', { shadow: { provider: 'shadow' } }));
    assert.deepEqual([...primary.problems, ...shadow.problems], []);
    assert.equal(shadow.requests.length, 1, 'the shadow read the document');
    assert.equal(result.status, 'passed', 'a low-confidence, disagreeing shadow sends nothing to review');
    assert.deepEqual(result.outputs['invoice'], { invoiceNumber: 'INV-7', amount: 120.5, payoutIban: IBAN });
    const calls = ofType(events, 'model.called');
    assert.deepEqual(calls.map((c) => [c.call.provider, c.call.shadow ?? false]).sort(), [['primary', false], ['shadow', true]]);
    const [compared] = ofType(events, 'model.shadow');
    assert.ok(compared, 'the comparison is on the record');
    assert.deepEqual(compared.primary, { provider: 'primary', model: 'gpt-primary' });
    assert.deepEqual(compared.shadow, { provider: 'shadow', model: 'open-shadow' });
    assert.equal(compared.status, 'compared');
    assert.deepEqual(compared.fields!.map((f) => [f.name, f.agree]), [['invoiceNumber', true], ['amount', false], ['payoutIban', true]]);
    assert.equal(compared.agreement, 2 / 3);
    // No value in the comparison record: the IBAN stays out of the audit trail.
    assert.ok(!JSON.stringify(events.filter((e) => e.type === 'model.shadow' || e.type === 'model.called')).includes('GB82'));
    const detail = engine.getRun(result.runId)!;
    assert.deepEqual(detail.modelCalls.map((c) => c.shadow).sort(), [false, true]);
    assert.ok(Math.abs(detail.modelCostUsd! - ((1200 * 2 + 80 * 8) / 1e6 + (1200 * 0.5 + 80 * 1) / 1e6)) < 1e-9, `total ${detail.modelCostUsd}`);
  });

  it('a failing shadow (configured in settings) never fails or delays the verdict of the run', async () => {
    settings({ shadow: { provider: 'shadow', model: 'open-shadow' } });
    fresh();
    primary.enqueue(sure());
    shadow.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const { result, events } = await run(bot('shadow-fails'));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.equal(shadow.requests.length, 2, 'the settings shadow applies to steps without their own');
    const [compared] = ofType(events, 'model.shadow');
    assert.equal(compared?.status, 'failed');
    assert.match(compared?.error ?? '', /HTTP 503/);
    const shadowCall = ofType(events, 'model.called').find((c) => c.call.shadow)!;
    assert.equal(shadowCall.call.status, 'failed');
    assert.ok(ofType(events, 'log').some((l) => l.level === 'warn' && /shadow .*shadow.* failed/i.test(l.message)));

    // A shadow that is not configured at all is a warning too, not a failed run.
    settings({ shadow: { provider: 'nope' } });
    fresh();
    primary.enqueue(sure());
    const misconfigured = await run(bot('shadow-missing'));
    assert.equal(misconfigured.result.status, 'passed');
    assert.match(ofType(misconfigured.events, 'model.shadow')[0]?.error ?? '', /"nope" is not configured/);

    // Nor is a shadow whose API key secret is not set: the run starts and passes.
    settings({ shadow: { provider: 'nokey' } });
    fresh();
    primary.enqueue(sure());
    const keyless = await run(bot('shadow-no-key'));
    assert.equal(keyless.result.status, 'passed', JSON.stringify(keyless.result.error));
    assert.match(ofType(keyless.events, 'model.shadow')[0]?.error ?? '', /API key secret "NOKEYSET", which is not set/);
    assert.equal(shadow.requests.length, 0, 'nothing was sent without the key');
  });

  it('uses a local keyless OpenAI-compatible server (Ollama, llama.cpp, vLLM) as a provider', async () => {
    settings({ allowedEndpoints: ['http://127.0.0.1:'] });
    fresh();
    local.enqueue(sure());
    const { result, events } = await run(bot('local-server', { provider: 'ollama' }));
    assert.deepEqual(local.problems, []);
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    assert.equal((result.outputs['invoice'] as Record<string, unknown>)['payoutIban'], IBAN);
    const [called] = ofType(events, 'model.called');
    assert.equal(called!.call.model, 'qwen2.5:7b-instruct');
    assert.deepEqual(called!.call.usage, { inputTokens: 1200, outputTokens: 80 });
    assert.equal(called!.cost, undefined, 'no prices: no cost is made up');
    assert.equal(primary.requests.length, 0);
  });
});
