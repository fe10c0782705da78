// OpenTelemetry export of runs, steps and model calls, when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: one trace per run, whose trace id IS the
// run id (a ULID is 128 bits), so operators can jump from a trace to `rpa show RUN`.
// Model calls are children of their step, with the OpenTelemetry GenAI attribute names
// (gen_ai.*) for provider, model and token usage. A run paused for review ends its span
// there; the process that resumes it opens another span in the same trace.
import { createRequire } from 'node:module';
import type { Span } from '@opentelemetry/api';
import type * as OtelApi from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtelResources from '@opentelemetry/resources';
import type * as OtelTraceBase from '@opentelemetry/sdk-trace-base';
import type { RunEvent } from '../events.js';

const require = createRequire(import.meta.url);

interface Otel {
  api: typeof OtelApi;
  exporter: typeof OtlpHttp;
  resources: typeof OtelResources;
  traceBase: typeof OtelTraceBase;
}
let loaded: Otel | undefined;

/**
 * OpenTelemetry's SDK and exporter, loaded by the first tracer: about 0.3 s of CPU that every
 * `rpa` command and engine host paid at start, endpoint or not. (The packages' entry points are
 * CommonJS, which is what an import of them loads too.)
 */
function otel(): Otel {
  loaded ??= {
    api: require('@opentelemetry/api') as typeof OtelApi,
    exporter: require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp,
    resources: require('@opentelemetry/resources') as typeof OtelResources,
    traceBase: require('@opentelemetry/sdk-trace-base') as typeof OtelTraceBase,
  };
  return loaded;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID's 128 bits as 32 hex characters: the W3C trace id of the run. */
export function ulidToTraceId(ulid: string): string | undefined {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/i.test(ulid)) return undefined;
  let value = 0n;
  for (const char of ulid.toUpperCase()) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  return value.toString(16).padStart(32, '0').slice(-32);
}

/** Uses the run's id as trace id for the run span; random ids otherwise. */
interface RunIdGenerator extends OtelTraceBase.IdGenerator {
  nextTraceId: string | undefined;
}

function runIdGenerator(): RunIdGenerator {
  const random = new (otel().traceBase.RandomIdGenerator)();
  const generator: RunIdGenerator = {
    nextTraceId: undefined,
    generateTraceId: () => {
      const id = generator.nextTraceId;
      generator.nextTraceId = undefined;
      return id ?? random.generateTraceId();
    },
    generateSpanId: () => random.generateSpanId(),
  };
  return generator;
}

export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT']) return `${env['OTEL_EXPORTER_OTLP_ENDPOINT'].replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

export class RunTracer {
  private readonly provider: OtelTraceBase.BasicTracerProvider;
  private readonly ids = runIdGenerator();
  private readonly api = otel().api;
  private readonly runs = new Map<string, Span>();
  private readonly steps = new Map<string, Span>();
  /** The open span of each step by run and path (whatever its attempt), for model calls. */
  private readonly stepsByPath = new Map<string, Span>();

  constructor(url: string, serviceName = 'rpa') {
    const { exporter, resources, traceBase } = otel();
    this.provider = new traceBase.BasicTracerProvider({
      resource: resources.resourceFromAttributes({ 'service.name': serviceName }),
      idGenerator: this.ids,
      spanProcessors: [new traceBase.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url }))],
    });
  }

  onEvent = (event: RunEvent): void => {
    const { context, SpanStatusCode, trace } = this.api;
    const tracer = this.provider.getTracer('rpa-runner');
    const at = new Date(event.ts);
    switch (event.type) {
      case 'run.started': {
        this.ids.nextTraceId = ulidToTraceId(event.runId);
        const span = tracer.startSpan(`run ${event.automation.id}`, {
          startTime: at,
          attributes: { 'rpa.run_id': event.runId, 'rpa.automation.id': event.automation.id, 'rpa.automation.version': event.automation.version, 'rpa.automation.sha256': event.automation.sha256, 'rpa.trigger': event.trigger ?? 'manual' },
        });
        this.runs.set(event.runId, span);
        break;
      }
      case 'run.resumed': {
        if (this.runs.has(event.runId)) return;
        this.ids.nextTraceId = ulidToTraceId(event.runId);
        this.runs.set(event.runId, tracer.startSpan('run (resumed)', { startTime: at, attributes: { 'rpa.run_id': event.runId, 'rpa.review_id': event.reviewId, 'rpa.step.path': event.path } }));
        break;
      }
      case 'run.revised': {
        this.runs.get(event.runId)?.addEvent('run.revised', { 'rpa.step.path': event.path, 'rpa.automation.sha256': event.automation.sha256, 'rpa.automation.previous_sha256': event.previousSha256, 'rpa.revision.saved': event.saved }, at);
        break;
      }
      case 'run.paused': {
        const span = this.runs.get(event.runId);
        if (!span) return;
        this.runs.delete(event.runId);
        this.endOpenSteps(event.runId, at, 'paused');
        span.setAttributes({ 'rpa.run.status': 'paused', 'rpa.review_id': event.reviewId, 'rpa.step.path': event.path });
        span.end(at);
        break;
      }
      case 'model.called': {
        const parent = this.stepsByPath.get(`${event.runId} ${event.path}`) ?? this.runs.get(event.runId);
        if (!parent) return;
        const call = event.call;
        const span = tracer.startSpan(
          `model ${call.provider}/${call.model}`,
          {
            startTime: new Date(at.getTime() - call.latencyMs),
            attributes: {
              'rpa.run_id': event.runId,
              'rpa.step.path': event.path,
              'gen_ai.provider.name': call.provider,
              'gen_ai.request.model': call.model,
              'rpa.model.attempts': call.attempts,
              'rpa.model.request_sha256': call.requestSha256,
              ...(call.usage ? { 'gen_ai.usage.input_tokens': call.usage.inputTokens, 'gen_ai.usage.output_tokens': call.usage.outputTokens } : {}),
              ...(call.costUsd !== undefined ? { 'rpa.model.cost_usd': call.costUsd } : {}),
              ...(call.prompt ? { 'rpa.prompt.id': call.prompt.id, 'rpa.prompt.version': call.prompt.version } : {}),
              ...(call.shadow ? { 'rpa.model.shadow': true } : {}),
            },
          },
          trace.setSpan(context.active(), parent),
        );
        span.setStatus(call.status === 'failed' || call.status === 'cancelled' ? { code: SpanStatusCode.ERROR, message: call.error ?? call.status } : { code: SpanStatusCode.OK });
        span.end(at);
        break;
      }
      case 'step.started': {
        const parent = this.runs.get(event.runId);
        if (!parent) return;
        const span = tracer.startSpan(
          `${event.kind} ${event.path}`,
          { startTime: at, attributes: { 'rpa.run_id': event.runId, 'rpa.step.path': event.path, 'rpa.step.kind': event.kind, 'rpa.step.label': event.label, 'rpa.step.attempt': event.attempt } },
          trace.setSpan(context.active(), parent),
        );
        this.steps.set(`${event.runId} ${event.path} ${event.attempt}`, span);
        this.stepsByPath.set(`${event.runId} ${event.path}`, span);
        break;
      }
      case 'step.succeeded':
      case 'step.failed': {
        const key = `${event.runId} ${event.path} ${event.attempt}`;
        const span = this.steps.get(key);
        if (!span) return;
        this.steps.delete(key);
        if (this.stepsByPath.get(`${event.runId} ${event.path}`) === span) this.stepsByPath.delete(`${event.runId} ${event.path}`);
        if (event.type === 'step.succeeded') {
          if (event.locator) span.setAttributes({ 'rpa.locator': event.locator.description, 'rpa.locator.fallback': event.locator.fallback });
          span.setStatus({ code: SpanStatusCode.OK });
        } else {
          span.setAttributes({ 'rpa.error.name': event.error.name, 'rpa.will_retry': event.willRetry });
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message.split('\n')[0] ?? '' });
        }
        span.end(at);
        break;
      }
      case 'run.finished': {
        const span = this.runs.get(event.runId);
        if (!span) return;
        this.runs.delete(event.runId);
        span.setAttributes({ 'rpa.run.status': event.status, 'rpa.run.duration_ms': event.durationMs });
        span.setStatus(event.status === 'passed' ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: event.error?.message.split('\n')[0] ?? event.status });
        span.end(at);
        break;
      }
      default:
        break;
    }
  };

  /** Ends the spans of steps still open when their run pauses (the step resumes in another span). */
  private endOpenSteps(runId: string, at: Date, status: string): void {
    for (const [key, span] of this.steps) {
      if (!key.startsWith(`${runId} `)) continue;
      span.setAttribute('rpa.step.status', status);
      span.end(at);
      this.steps.delete(key);
    }
    for (const key of this.stepsByPath.keys()) if (key.startsWith(`${runId} `)) this.stepsByPath.delete(key);
  }

  /** Sends what is buffered; a collector that is down costs a log line, never a run. */
  async flush(): Promise<void> {
    await this.provider.forceFlush().catch(() => undefined);
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown().catch(() => undefined);
  }
}
