// With OTEL_EXPORTER_OTLP_ENDPOINT set, `rpa run` exports one trace per run (trace id =
// run id) with a span per step, to a local OTLP/HTTP receiver that checks what it gets.
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ulidToTraceId } from '../../engine/telemetry/run-tracer.js';
import { cliEnv, EXAMPLES, jsonLines, runCli, tempDir } from '../helpers/env.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number };
}

describe('OpenTelemetry export', () => {
  it('sends the run and its steps as spans of one trace whose id is the run id', async () => {
    const spans: OtlpSpan[] = [];
    const problems: string[] = [];
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') problems.push(`${request.method} ${request.url}`);
        if (!String(request.headers['content-type']).includes('application/json')) problems.push(`content-type ${request.headers['content-type']}`);
        const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const resource of parsed.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    try {
      const env = cliEnv(tempDir('otel'), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
      const result = await runCli(['run', path.join(EXAMPLES, 'review-claim-item.json'), '--json', '--input', 'claimNumber=CLM-2004-000001', '--input', 'amount=50'], env);
      assert.equal(result.code, 0, result.stderr);
      const runId = String(jsonLines(result.stdout)[0]?.['runId']);
      assert.deepEqual(problems, []);
      const runSpan = spans.find((span) => span.name === 'run acme.review-claim-item');
      assert.ok(runSpan, `no run span among ${spans.map((s) => s.name).join(', ')}`);
      assert.equal(runSpan.traceId, ulidToTraceId(runId));
      const steps = spans.filter((span) => span.parentSpanId === runSpan.spanId);
      assert.equal(steps.length, 6, 'one span per top-level step');
      assert.ok(steps.every((span) => span.traceId === runSpan.traceId));
      const attribute = (span: OtlpSpan, key: string): unknown => Object.values(span.attributes.find((a) => a.key === key)?.value ?? {})[0];
      assert.equal(attribute(runSpan, 'rpa.run_id'), runId);
      assert.equal(attribute(runSpan, 'rpa.run.status'), 'passed');
    } finally {
      receiver.close();
    }
  });

  it('a collector that is down never fails the run', async () => {
    const env = cliEnv(tempDir('otel'), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    const result = await runCli(['run', path.join(EXAMPLES, 'review-claim-item.json'), '--input', 'claimNumber=CLM-2004-000001', '--input', 'amount=50'], env);
    assert.equal(result.code, 0, result.stderr);
  });
});
