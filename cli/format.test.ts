import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelCallSummary } from '../engine/store/run-records.js';
import { formatModelCalls, formatUsd } from './format.js';

const call = (over: Partial<ModelCallSummary>): ModelCallSummary => ({
  seq: 5, ts: '2026-12-06T10:00:00.000Z', path: '2', provider: 'azure-eu', model: 'gpt-4.1-mini', prompt: { id: 'invoice', version: '3' }, systemPrompt: 'extract@2',
  status: 'succeeded', shadow: false, attempts: 1, usage: { inputTokens: 1200, outputTokens: 80 }, costUsd: 0.00152, latencyMs: 870,
  attemptLog: [{ attempt: 1, outcome: 'ok', usage: { inputTokens: 1200, outputTokens: 80 }, costUsd: 0.00152, latencyMs: 870 }], ...over,
});

describe('rpa show: model calls', { timeout: 10_000 }, () => {
  it('prints each call (shadow marked), the attempts of a failed one with their paid tokens, and the total', () => {
    const failed = call({
      seq: 9, path: '3', status: 'failed', attempts: 3, usage: { inputTokens: 2700, outputTokens: 99 }, costUsd: 0.006392, latencyMs: 2400, error: 'azure-eu (gpt-4.1-mini): the model\'s answer is not JSON (after 3 attempts)',
      attemptLog: [1, 2, 3].map((attempt) => ({ attempt, outcome: 'invalid-answer' as const, error: 'the model\'s answer is not JSON', usage: { inputTokens: 900, outputTokens: 33 }, costUsd: 0.002131, latencyMs: 800 })),
    });
    const shadow = call({ seq: 6, provider: 'ollama', model: 'qwen2.5:7b', shadow: true, costUsd: undefined, prompt: undefined });
    const text = formatModelCalls({ modelCalls: [call({}), shadow, failed], modelCostUsd: 0.007912 }).join('\n');
    assert.match(text, /^Model calls {2}3 calls, \$0\.007912 in all \(shadow calls included\)/);
    assert.match(text, /\n {2}2 {5}azure-eu {2}gpt-4\.1-mini {2}invoice@3 · extract@2 {2}1 attempt {2}1200 in \/ 80 out {2}\$0\.00152 {2}870 ms {2}succeeded\n/);
    assert.match(text, /ollama {2}qwen2\.5:7b {2}extract@2 .*no price .*succeeded {2}shadow \(recorded only\)/);
    assert.match(text, /3 attempts {2}2700 in \/ 99 out {2}\$0\.006392 {2}2\.4 s {2}failed\n {6}azure-eu .*after 3 attempts/);
    assert.equal(text.match(/attempt \d {2}invalid-answer {2}900 in \/ 33 out {2}\$0\.002131 {2}800 ms {2}the model's answer is not JSON/g)?.length, 3);
    assert.deepEqual(formatModelCalls({ modelCalls: [] }), []);
    assert.equal(formatUsd(0.00304), '$0.00304');
    assert.equal(formatUsd(0), '$0');
  });
});
