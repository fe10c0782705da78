// The run tracer against a local OTLP/HTTP receiver: model calls become children of their
// step with GenAI attributes; a run paused for review ends its span, and the resumed part
// lands in the same trace.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import type { RunEvent } from '../events.js';
import { FakeRun } from '../store/fake-run.js';
import { RunTracer, ulidToTraceId } from './run-tracer.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const attribute = (span: OtlpSpan, key: string): unknown => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];

async function receive(feed: (tracer: RunTracer) => Promise<void>): Promise<OtlpSpan[]> {
  const spans: OtlpSpan[] = [];
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      for (const resource of parsed.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    await feed(new RunTracer(`http://127.0.0.1:${(receiver.address() as { port: number }).port}/v1/traces`));
  } finally {
    receiver.close();
  }
  return spans;
}

describe('RunTracer', () => {
  it('exports a model call as a child span of its step, and a paused-then-resumed run as one trace', async () => {
    const runId = '01JD0000000000000000000042';
    const run = new FakeRun(runId);
    const modelCall: RunEvent = run.next({
      type: 'model.called',
      path: 'steps[0]',
      call: { provider: 'azure-eu', model: 'gpt-4.1-mini', prompt: { id: 'invoice-fields', version: '3' }, requestSha256: 'c'.repeat(64), redactedRequest: {}, response: {}, usage: { inputTokens: 1812, outputTokens: 96 }, costUsd: 0.0031, latencyMs: 870, attempts: 2 },
      cost: 0.0031,
    });
    const firstProcess: RunEvent[] = [
      run.started(),
      run.next({ type: 'step.started', path: 'steps[0]', kind: 'ai.extract', label: 'extract', attempt: 1, topIndex: 1 }),
      modelCall,
      run.next({ type: 'run.paused', path: 'steps[0]', attempt: 1, reviewId: 'rev_1', vars: {}, loops: [] }),
    ];
    const secondProcess: RunEvent[] = [
      run.next({ type: 'run.resumed', path: 'steps[0]', reviewId: 'rev_1', pid: 4242 }),
      run.next({ type: 'step.started', path: 'steps[1]', kind: 'log', label: 'log', attempt: 1, topIndex: 2 }),
      run.next({ type: 'step.succeeded', path: 'steps[1]', kind: 'log', attempt: 1, durationMs: 1 }),
      run.finished(),
    ];
    const spans = await receive(async (tracer) => {
      firstProcess.forEach(tracer.onEvent);
      await tracer.shutdown(); // the first process exits while the run waits for a person
    });
    spans.push(
      ...(await receive(async (tracer) => {
        secondProcess.forEach(tracer.onEvent);
        await tracer.shutdown();
      })),
    );

    const traceId = ulidToTraceId(runId);
    const byName = (name: string) => spans.find((span) => span.name === name);
    const runSpan = byName(`run ${'invoice-entry'}`);
    const model = byName('model azure-eu/gpt-4.1-mini');
    const resumed = byName('run (resumed)');
    assert.ok(runSpan && model && resumed, `spans: ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(attribute(runSpan, 'rpa.run.status'), 'paused');
    assert.ok(spans.every((span) => span.traceId === traceId), 'one trace, whose id is the run id');
    assert.equal(model.parentSpanId, byName('ai.extract steps[0]')?.spanId, 'the model call is a child of its step');
    assert.equal(attribute(model, 'gen_ai.request.model'), 'gpt-4.1-mini');
    assert.equal(Number(attribute(model, 'gen_ai.usage.input_tokens')), 1812);
    assert.equal(Number(attribute(model, 'gen_ai.usage.output_tokens')), 96);
    assert.equal(attribute(model, 'rpa.model.cost_usd'), 0.0031);
    assert.equal(attribute(model, 'rpa.prompt.version'), '3');
    const durationMs = Number((BigInt(model.endTimeUnixNano) - BigInt(model.startTimeUnixNano)) / 1_000_000n);
    assert.equal(durationMs, 870, 'the span covers the call latency');
    assert.equal(byName('log steps[1]')?.parentSpanId, resumed.spanId);
  });
});
