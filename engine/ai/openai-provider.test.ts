import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answer, extraction, OpenAiTestServer } from '../../test/support/openai-test-server.js';
import type { ExtractionRequest } from '../extract/types.js';
import type { FieldSpec } from '../format/schema.js';
import { sha256 } from './call-record.js';
import { callRecordOf, EXTRACT_PROMPT_VERSION, OpenAiProvider } from './openai-provider.js';
import { PiiGuard } from './pii.js';
import { ModelProviders } from './registry.js';
import type { ProviderSettings } from './settings.js';

const KEY = 'sk-test-7f3a9c1e5b2d';
const fields: FieldSpec[] = [
  { name: 'invoiceNumber', type: 'string', required: true },
  { name: 'amount', type: 'money', required: true },
];
const doc = (text: string): ExtractionRequest['document'] => ({ method: 'pdf-text', text, pages: [{ number: 1, width: 0, height: 0, text, lines: [], method: 'pdf-text' }] });
const good = extraction({ invoiceNumber: { value: 'INV-1', confidence: 0.97 }, amount: { value: 120.5, confidence: 0.91 } });
const noSignal = new AbortController().signal;

describe('OpenAiProvider against the test server', () => {
  let server: OpenAiTestServer;
  const settings = (over: Partial<ProviderSettings> = {}): ProviderSettings => ({
    name: 'test',
    kind: 'openai',
    baseUrl: server.url,
    model: 'gpt-test',
    apiKeySecret: 'MODELKEY',
    maxRetries: 2,
    timeoutMs: 2_000,
    prices: { 'gpt-test': { inputPer1M: 2.5, outputPer1M: 10 } },
    ...over,
  });
  const provider = (over: Partial<ProviderSettings> = {}, guard = new PiiGuard()): OpenAiProvider => new OpenAiProvider(settings(over), KEY, guard, () => 0);

  before(async () => {
    server = await OpenAiTestServer.start({ apiKey: KEY, model: 'gpt-test', fields: ['invoiceNumber', 'amount'] });
  });
  after(() => server.close());
  const fresh = (): void => {
    server.requests.length = 0;
  };

  it('extracts with a strict schema, records usage, cost and the hash of exactly what was sent', async () => {
    fresh();
    server.enqueue(good);
    const result = await provider().extract({ fields, document: doc('Invoice INV-1 total 120.50'), prompt: { id: 'invoice', version: '3' } }, noSignal);
    assert.deepEqual(server.problems, []);
    assert.deepEqual(result.fields.map((f) => [f.name, f.value, f.confidence]), [['invoiceNumber', 'INV-1', 0.97], ['amount', 120.5, 0.91]]);
    const call = result.call!;
    assert.equal(call.attempts, 1);
    assert.deepEqual(call.usage, { inputTokens: 1200, outputTokens: 80 });
    assert.equal(call.costUsd, (1200 * 2.5 + 80 * 10) / 1e6);
    assert.equal(call.requestSha256, server.requests[0]!.sha256);
    assert.deepEqual(call.prompt, { id: 'invoice', version: '3' });
  });

  it('retries 429 (honouring retry-after) and 500, and counts the attempts', async () => {
    fresh();
    server.enqueue({ kind: 'status', status: 429, retryAfter: 0 }, { kind: 'status', status: 500 }, good);
    const result = await provider().extract({ fields, document: doc('Invoice INV-1') }, noSignal);
    assert.equal(result.call!.attempts, 3);
    assert.equal(server.requests.length, 3);
  });

  it('fails clearly when every attempt fails', async () => {
    fresh();
    server.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 500 });
    await assert.rejects(provider().extract({ fields, document: doc('x') }, noSignal), (error: Error) => error.name === 'ModelCallError' && /HTTP 500.*after 3 attempts/.test(error.message));
    assert.equal(server.requests.length, 3);
  });

  it('times out a hanging endpoint, retries, then succeeds', async () => {
    fresh();
    server.enqueue({ kind: 'hang' }, good);
    const result = await provider({ timeoutMs: 300 }).extract({ fields, document: doc('x') }, noSignal);
    assert.equal(result.call!.attempts, 2);
    fresh();
    server.enqueue({ kind: 'hang' }, { kind: 'hang' });
    await assert.rejects(provider({ timeoutMs: 300, maxRetries: 1 }).extract({ fields, document: doc('x') }, noSignal), /no answer within 300 ms \(after 2 attempts\)/);
  });

  it('treats malformed and schema-violating output as retryable, then reports it clearly', async () => {
    fresh();
    server.enqueue(answer('{"invoiceNumber": {"value": "INV-1", '), good);
    assert.equal((await provider().extract({ fields, document: doc('x') }, noSignal)).call!.attempts, 2);
    fresh();
    server.enqueue(answer('not json at all'), answer({ invoiceNumber: { value: 'INV-1', confidence: 3, source: null } }), answer({ invoiceNumber: { value: 'INV-1', confidence: 0.9, source: null } }));
    await assert.rejects(provider().extract({ fields, document: doc('x') }, noSignal), (error: Error) => error.name === 'ModelOutputError' && /does not follow the schema: amount/.test(error.message) && /after 3 attempts/.test(error.message));
  });

  it('masks PII before sending, records the masked request, and refuses in refuse mode before any request', async () => {
    fresh();
    const pii = ['jane.doe@example.com', 'GB82 WEST 1234 5698 7654 32', '4111 1111 1111 1111', '123-45-6789'];
    server.expectations.forbidden = pii;
    try {
      server.enqueue(good);
      const result = await provider().extract({ fields, document: doc(`Invoice INV-1 from jane.doe@example.com\nIBAN GB82 WEST 1234 5698 7654 32\ncard 4111 1111 1111 1111 SSN 123-45-6789`) }, noSignal);
      assert.deepEqual(server.problems, []);
      assert.ok(JSON.stringify(result.call!.redactedRequest).includes('[EMAIL-1]'));
      assert.deepEqual(Object.keys(result.call!.masked ?? {}).sort(), ['card', 'email', 'iban', 'national-id']);
      fresh();
      await assert.rejects(provider({}, new PiiGuard('refuse')).extract({ fields, document: doc('mail jane.doe@example.com') }, noSignal), { name: 'PiiRefusedError' });
      assert.equal(server.requests.length, 0);
    } finally {
      delete server.expectations.forbidden;
    }
  });

  it('restores PII placeholders in the answer locally, and never accepts a placeholder it cannot restore', async () => {
    fresh();
    const iban = 'GB82 WEST 1234 5698 7654 32';
    const piiFields: FieldSpec[] = [
      { name: 'invoiceNumber', type: 'string', required: true },
      { name: 'payoutIban', type: 'string' },
    ];
    server.expectations.forbidden = [iban];
    server.expectations.fields = ['invoiceNumber', 'payoutIban'];
    try {
      // The model only ever saw "[IBAN-1]" and answers with it, sure of itself.
      server.enqueue(extraction({ invoiceNumber: { value: 'INV-1', confidence: 0.97 }, payoutIban: { value: '[IBAN-1]', confidence: 0.97 } }));
      const restored = await provider().extract({ fields: piiFields, document: doc(`Invoice INV-1\nPay to IBAN ${iban}`) }, noSignal);
      assert.deepEqual(server.problems, []);
      const field = restored.fields.find((f) => f.name === 'payoutIban')!;
      assert.equal(field.value, iban);
      assert.equal(field.confidence, 0.97);
      assert.equal(field.source?.text, iban);
      // The recorded answer stays masked: the run's audit record never holds the IBAN.
      assert.ok(!JSON.stringify(restored.call!.response).includes('GB82'));
      // A placeholder the guard never issued (or mangled by the model) is no value at all.
      fresh();
      server.enqueue(extraction({ invoiceNumber: { value: '[EMAIL-3]', confidence: 0.97 }, payoutIban: { value: 'IBAN [IBAN-2]', confidence: 0.96 } }));
      const unknown = await provider().extract({ fields: piiFields, document: doc(`Invoice INV-1\nPay to IBAN ${iban}`) }, noSignal);
      for (const f of unknown.fields) assert.ok(f.confidence < 0.5, `${f.name} = ${JSON.stringify(f.value)} kept confidence ${f.confidence}`);
      // … and says why, plainly, for the person who reviews it.
      const byName = Object.fromEntries(unknown.fields.map((f) => [f.name, f]));
      assert.match(byName['invoiceNumber']!.problems!.join(), /"\[EMAIL-3\]".*placeholder.*cannot be put back/);
      assert.match(byName['payoutIban']!.problems!.join(), /"IBAN \[IBAN-2\]".*placeholder/);
    } finally {
      delete server.expectations.forbidden;
      server.expectations.fields = ['invoiceNumber', 'amount'];
    }
  });

  it('sends page images as data URLs and records them only by hash', async () => {
    fresh();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    server.enqueue(good);
    const result = await provider().extract({ fields, document: doc('Invoice INV-1'), images: [{ mime: 'image/png', data: png }] }, noSignal);
    assert.deepEqual(server.problems, []);
    const sent = JSON.stringify(server.requests[0]!.body);
    assert.ok(sent.includes(`data:image/png;base64,${png.toString('base64')}`));
    const recorded = JSON.stringify(result.call!.redactedRequest);
    assert.ok(!recorded.includes('base64'), recorded);
    assert.ok(recorded.includes(`image/png sha256:${sha256(png)}`));
  });

  it('never puts the API key in an error, even when the server echoes it', async () => {
    fresh();
    server.enqueue({ kind: 'status', status: 401, echoKey: true });
    await assert.rejects(provider().extract({ fields, document: doc('x') }, noSignal), (error: Error) => {
      assert.match(error.message, /HTTP 401.*check the API key/);
      assert.ok(!error.message.includes(KEY));
      return true;
    });
    assert.equal(server.requests.length, 1, '401 is not retried');
  });

  it('classifies into the declared labels and answers free text', async () => {
    fresh();
    server.expectations.fields = undefined;
    try {
      server.enqueue(answer({ label: 'claim', confidence: 0.88 }), answer({ label: 'spam', confidence: 0.9 }), answer({ label: 'spam', confidence: 0.9 }), answer({ label: 'spam', confidence: 0.9 }));
      const p = provider();
      const labels = [{ name: 'claim' }, { name: 'invoice' }];
      const result = await p.classify({ text: 'I crashed my car', labels }, noSignal);
      assert.deepEqual([result.label, result.confidence], ['claim', 0.88]);
      const schema = (server.requests[0]!.body['response_format'] as { json_schema: { schema: { properties: { label: { enum: string[] } } } } }).json_schema.schema;
      assert.deepEqual(schema.properties.label.enum, ['claim', 'invoice']);
      await assert.rejects(p.classify({ text: 'x', labels }, noSignal), /classification does not follow the schema/);
      server.enqueue(answer('Your claim is being processed.'));
      assert.equal((await p.ask({ question: 'Draft a status message' }, noSignal)).text, 'Your claim is being processed.');
    } finally {
      server.expectations.fields = ['invoiceNumber', 'amount'];
    }
  });

  it('records every attempt (invalid answer, HTTP error, success) with its tokens, cost, latency and outcome', async () => {
    fresh();
    server.enqueue(answer('not json', { prompt_tokens: 900, completion_tokens: 33 }), { kind: 'status', status: 500 }, good);
    const call = (await provider().extract({ fields, document: doc('Invoice INV-1') }, noSignal)).call!;
    assert.equal(call.status, 'succeeded');
    assert.equal(call.attempts, 3);
    const log = call.attemptLog!;
    assert.deepEqual(log.map((a) => [a.attempt, a.outcome]), [[1, 'invalid-answer'], [2, 'http-error'], [3, 'ok']]);
    assert.deepEqual(log[0]!.usage, { inputTokens: 900, outputTokens: 33 });
    assert.equal(log[0]!.costUsd, (900 * 2.5 + 33 * 10) / 1e6);
    assert.match(log[0]!.error!, /not JSON/);
    assert.equal(log[1]!.httpStatus, 500);
    assert.equal(log[1]!.usage, undefined, 'a 500 reports no tokens');
    for (const a of log) assert.ok(a.latencyMs >= 0);
    // The call's total counts the paid failed attempt.
    assert.deepEqual(call.usage, { inputTokens: 2100, outputTokens: 113 });
    assert.equal(call.costUsd, Math.round((2100 * 2.5 + 113 * 10)) / 1e6);
  });

  it('a call that fails after paid attempts still carries its record: status, error, every attempt, tokens and cost', async () => {
    fresh();
    const bad = answer('{"invoiceNumber": "INV-1"', { prompt_tokens: 900, completion_tokens: 33 });
    server.enqueue(bad, bad, bad);
    const error = await provider().extract({ fields, document: doc('Invoice INV-1') }, noSignal).then(
      () => assert.fail('expected a failure'),
      (e: Error) => e,
    );
    assert.equal(error.name, 'ModelOutputError');
    const call = callRecordOf(error);
    assert.ok(call, 'the failed call has a record');
    assert.equal(call.status, 'failed');
    assert.equal(call.attempts, 3);
    assert.match(call.error!, /not JSON.*after 3 attempts/);
    assert.deepEqual(call.usage, { inputTokens: 2700, outputTokens: 99 });
    assert.equal(call.costUsd, (2700 * 2.5 + 99 * 10) / 1e6);
    assert.deepEqual(call.attemptLog!.map((a) => a.outcome), ['invalid-answer', 'invalid-answer', 'invalid-answer']);
    assert.equal(call.requestSha256, server.requests[0]!.sha256);
    // A timeout is recorded as such; its tokens are unknown (not zero).
    fresh();
    server.enqueue({ kind: 'hang' });
    const timedOut = await provider({ timeoutMs: 300, maxRetries: 0 }).extract({ fields, document: doc('x') }, noSignal).then(
      () => assert.fail('expected a timeout'),
      (e: Error) => e,
    );
    const record = callRecordOf(timedOut)!;
    assert.deepEqual(record.attemptLog!.map((a) => a.outcome), ['timeout']);
    assert.equal(record.usage, undefined);
    assert.equal(record.status, 'failed');
  });

  it('derives the value formats of its system prompt from the field types, agreeing with the schema', async () => {
    fresh();
    server.expectations.fields = ['invoiceNumber', 'invoiceDate', 'amount', 'paid', 'currency', 'lines'];
    try {
      const typed: FieldSpec[] = [
        { name: 'invoiceNumber', type: 'string', required: true },
        { name: 'invoiceDate', type: 'date', required: true },
        { name: 'amount', type: 'money', required: true },
        { name: 'paid', type: 'boolean' },
        { name: 'currency', type: 'enum', values: ['EUR', 'USD'] },
        { name: 'lines', type: 'list' },
      ];
      server.enqueue(answer(Object.fromEntries(typed.map((f) => [f.name, { value: null, confidence: 0.5, source: null }]))));
      const result = await provider().extract({ fields: typed, document: doc('Invoice INV-1 of 5. März 2024, total 1.234,56 €') }, noSignal);
      assert.deepEqual(server.problems, []);
      const messages = server.requests[0]!.body['messages'] as Array<{ role: string; content: unknown }>;
      const system = String(messages.find((m) => m.role === 'system')!.content);
      // The old prompt asked for every value "exactly as the document states it" while the
      // schema asked for ISO dates and plain numbers.
      assert.doesNotMatch(system, /value exactly as the document states it/);
      assert.match(system, /invoiceDate.*YYYY-MM-DD/s);
      assert.match(system, /amount.*plain (JSON )?number/s);
      assert.match(system, /1\.234,56.*1234\.56/s);
      assert.match(system, /paid.*true or false/s);
      assert.match(system, /currency.*EUR, USD/s);
      assert.match(system, /invoiceNumber.*as the document (prints|states) it/s);
      const schema = JSON.stringify((server.requests[0]!.body['response_format'] as { json_schema: unknown }).json_schema);
      assert.match(schema, /YYYY-MM-DD/);
      assert.equal(result.call!.systemPrompt, `extract@${EXTRACT_PROMPT_VERSION}`);
      assert.ok(Number(EXTRACT_PROMPT_VERSION) >= 2, 'the prompt changed: its version moved on');
      // Only the types present are explained: a text-only schema says nothing about dates.
      fresh();
      server.expectations.fields = ['invoiceNumber'];
      server.enqueue(answer({ invoiceNumber: { value: 'INV-1', confidence: 0.9, source: null } }));
      await provider().extract({ fields: [typed[0]!], document: doc('Invoice INV-1') }, noSignal);
      const plain = String((server.requests[0]!.body['messages'] as Array<{ role: string; content: unknown }>)[0]!.content);
      assert.doesNotMatch(plain, /YYYY-MM-DD/);
    } finally {
      server.expectations.fields = ['invoiceNumber', 'amount'];
    }
  });

  it('refuses an endpoint outside allowedEndpoints before any request', () => {
    fresh();
    const providers = new ModelProviders({ providers: [settings()], allowedEndpoints: ['https://api.openai.com/'] }, new Map([['MODELKEY', KEY]]), () => {
      throw new Error('unused');
    });
    assert.throws(() => providers.get('test'), (error: Error) => error.name === 'EndpointNotAllowedError' && /not in models.allowedEndpoints.*nothing was sent/.test(error.message));
    assert.throws(() => providers.get('nope'), /model provider "nope" is not configured; known: local, test/);
    assert.equal(server.requests.length, 0);
  });
});

