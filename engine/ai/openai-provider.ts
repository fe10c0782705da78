// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM
// Studio) through the `openai` SDK. Everything sent passes the PII guard first; retries on
// 429, 5xx, timeouts and malformed output are ours (the SDK's are off) so each attempt is
// counted and recorded; the API key never appears in a message, event or error.
import type OpenAI from 'openai';
import { z } from 'zod';
import { CancelledError } from '../errors.js';
import { fieldsToJsonSchema, valueFormat } from '../extract/json-schema.js';
import type { ExtractedField, ExtractionRequest, ExtractionResult, ModelAttempt, ModelAttemptOutcome, ModelCallRecord, ModelUsage } from '../extract/types.js';
import type { FieldSpec } from '../format/schema.js';
import { backoffMs } from '../queue/backoff.js';
import { abortableSleep } from '../runner/timing.js';
import { costOf, redactImages, sha256 } from './call-record.js';
import { ModelCallError, ModelOutputError } from './errors.js';
import type { PiiFinding, PiiGuard } from './pii.js';
import type { ProviderSettings } from './settings.js';
import type { AskRequest, AskResult, ClassifyRequest, ClassifyResult, ModelProvider, PromptRef } from './types.js';

export const DEFAULT_MODEL_TIMEOUT_MS = 60_000;
export const DEFAULT_MODEL_RETRIES = 2;
/** Longest a server's retry-after is honoured; a longer one fails the call instead of stalling the run. */
const MAX_RETRY_AFTER_MS = 30_000;

type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type UserPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

/**
 * Version of the built-in extraction system prompt, recorded on every call ("extract@2").
 * 2: value formats derived from the field types (ISO dates, plain numbers), agreeing with the
 * JSON schema; 1 asked for every value "exactly as the document states it".
 */
export const EXTRACT_PROMPT_VERSION = '2';

/** The record of a call that failed, carried by its error (the step puts it on the run). */
const failedCalls = new WeakMap<object, ModelCallRecord>();

/** The call record a failed model call left on its error: every attempt, with the tokens paid. */
export function callRecordOf(error: unknown): ModelCallRecord | undefined {
  return error && typeof error === 'object' ? failedCalls.get(error) : undefined;
}

function withRecord<E extends Error>(error: E, call: ModelCallRecord): E {
  failedCalls.set(error, call);
  return error;
}

const fieldAnswer = z.object({
  value: z.unknown(),
  confidence: z.number().min(0).max(1),
  source: z.object({ page: z.number().int().min(1), text: z.string() }).nullable().optional(),
});

function documentText(request: ExtractionRequest): string {
  return request.document.pages.length
    ? request.document.pages.map((page) => `--- page ${page.number} ---\n${page.text}`).join('\n')
    : request.document.text;
}

function describeFields(fields: FieldSpec[]): string {
  return fields.map((f) => `- ${f.name} (${f.type ?? 'string'}${f.required ? ', required' : ''})${f.description ? `: ${f.description}` : ''}`).join('\n');
}

/** The extraction system prompt: what to answer, and each field's value format from its type. */
export function extractionSystemPrompt(fields: FieldSpec[], extra?: string): string {
  return [
    'You extract fields from a business document. Answer only with JSON that follows the schema.',
    'For every field give its value in the format listed below (null when the document does not show it), your confidence from 0 to 1, and the page and the text it was read from. The source text is verbatim, as the document prints it; the value is normalised to its format.',
    'Value formats:',
    ...fields.map((f) => `- ${f.name}: ${valueFormat(f)}`),
    extra,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A field whose answer holds a placeholder this call never issued (made up or mangled). */
function placeholderProblem(answered: unknown): string {
  return `the model answered ${JSON.stringify(answered)}, which holds a placeholder for masked personal data that cannot be put back (the model made it up or changed it): no value to accept`;
}

function parseJson(content: string | null | undefined): unknown {
  if (!content?.trim()) throw new ModelOutputError('the model returned an empty answer');
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new ModelOutputError(`the model's answer is not JSON (${(error as Error).message}): ${content.slice(0, 120)}`);
  }
}

export class OpenAiProvider implements ModelProvider {
  readonly remote = true;
  readonly name: string;
  /** The SDK (and its client) load on the first call: `rpa` start-up never pays for them. */
  private sdk: { OpenAI: typeof OpenAI; client: OpenAI } | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  constructor(
    private readonly settings: ProviderSettings,
    private readonly apiKey: string | undefined,
    private readonly guard: PiiGuard,
    private readonly random: () => number = Math.random,
  ) {
    this.name = settings.name;
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
    this.maxRetries = settings.maxRetries ?? DEFAULT_MODEL_RETRIES;
  }

  private async client(): Promise<{ OpenAI: typeof OpenAI; client: OpenAI }> {
    if (!this.sdk) {
      const { default: Sdk } = await import('openai');
      // Endpoints without authentication (a local Ollama) still get a header; they ignore it.
      this.sdk = { OpenAI: Sdk, client: new Sdk({ baseURL: this.settings.baseUrl, apiKey: this.apiKey ?? 'none', timeout: this.timeoutMs, maxRetries: 0 }) };
    }
    return this.sdk;
  }

  async extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult> {
    const model = request.model ?? this.settings.model;
    const system = extractionSystemPrompt(request.fields, request.prompt?.text);
    const text = `Fields to extract:\n${describeFields(request.fields)}\n\nDocument text:\n${documentText(request)}`;
    const guarded = this.guard.protect({ system, text }, 'the document');
    // Images cannot be masked: when the text showed PII, the pictures of it stay here.
    const images = guarded.found.length ? [] : (request.images ?? []);
    const imagesWithheld = guarded.found.length ? (request.images?.length ?? 0) : 0;
    const content: UserPart[] = [
      { type: 'text', text: guarded.value.text },
      ...images.map((image): UserPart => ({ type: 'image_url', image_url: { url: `data:${image.mime};base64,${image.data.toString('base64')}` } })),
    ];
    const body: ChatBody = {
      model,
      temperature: 0,
      messages: [
        { role: 'system', content: guarded.value.system },
        { role: 'user', content },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'extraction', strict: true, schema: fieldsToJsonSchema(request.fields) } },
    };
    const answer = z.object(Object.fromEntries(request.fields.map((f) => [f.name, fieldAnswer])));
    const { value, call } = await this.complete(body, { prompt: request.prompt, systemPrompt: `extract@${EXTRACT_PROMPT_VERSION}`, masked: guarded.found }, signal, (raw) => {
      const parsed = answer.safeParse(parseJson(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ModelOutputError(`the model's answer does not follow the schema: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    });
    // The answer speaks in placeholders where PII was masked: put the real values back here,
    // after the call (the recorded response stays masked). A placeholder that cannot be put
    // back is no value: it goes to a person, whatever confidence the model claimed, with the
    // reason said plainly.
    const fields: ExtractedField[] = request.fields.map((spec) => {
      const got = value[spec.name]!;
      const restored = guarded.placeholders.restore({ value: got.value ?? null, text: got.source?.text });
      const source = got.source ? { source: { page: got.source.page, ...(restored.value.text !== undefined ? { text: restored.value.text } : {}) } } : {};
      if (restored.unresolved) return { name: spec.name, value: null, confidence: 0, ...source, problems: [placeholderProblem(got.value)] };
      return { name: spec.name, value: restored.value.value, confidence: got.confidence, ...source };
    });
    return { fields, call, ...(imagesWithheld ? { imagesWithheld } : {}) };
  }

  async classify(request: ClassifyRequest, signal: AbortSignal): Promise<ClassifyResult> {
    const names = request.labels.map((l) => l.name);
    const system = ['Classify the text into exactly one of the labels. Answer only with JSON that follows the schema.', request.prompt?.text].filter(Boolean).join('\n');
    const text = `Labels:\n${request.labels.map((l) => `- ${l.name}${l.description ? `: ${l.description}` : ''}`).join('\n')}\n\nText:\n${request.text}`;
    const guarded = this.guard.protect({ system, text }, 'the text to classify');
    const schema = {
      type: 'object',
      properties: { label: { type: 'string', enum: names }, confidence: { type: 'number', description: 'From 0 to 1.' } },
      required: ['label', 'confidence'],
      additionalProperties: false,
    };
    const body: ChatBody = {
      model: request.model ?? this.settings.model,
      temperature: 0,
      messages: [
        { role: 'system', content: guarded.value.system },
        { role: 'user', content: guarded.value.text },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'classification', strict: true, schema } },
    };
    const answer = z.object({ label: z.enum(names as [string, ...string[]]), confidence: z.number().min(0).max(1) });
    const { value, call } = await this.complete(body, { prompt: request.prompt, masked: guarded.found }, signal, (raw) => {
      const parsed = answer.safeParse(parseJson(raw));
      if (!parsed.success) throw new ModelOutputError(`the model's classification does not follow the schema: ${parsed.error.issues[0]?.message ?? 'invalid'} (labels: ${names.join(', ')})`);
      return parsed.data;
    });
    return { ...value, call };
  }

  async ask(request: AskRequest, signal: AbortSignal): Promise<AskResult> {
    const guarded = this.guard.protect({ system: request.prompt?.text ?? 'You help a back-office team. Answer briefly and plainly.', question: request.question, context: request.context ?? '' }, 'the question');
    const user = guarded.value.context ? `${guarded.value.question}\n\nContext:\n${guarded.value.context}` : guarded.value.question;
    const body: ChatBody = {
      model: request.model ?? this.settings.model,
      messages: [
        { role: 'system', content: guarded.value.system },
        { role: 'user', content: user },
      ],
      ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    };
    const { value, call } = await this.complete(body, { prompt: request.prompt, masked: guarded.found }, signal, (raw) => {
      if (!raw?.trim()) throw new ModelOutputError('the model returned an empty answer');
      return raw;
    });
    // Placeholders in a free answer are put back here too: the answer stays on this machine.
    return { text: guarded.placeholders.restore(value).value, call };
  }

  /**
   * One request with our retries; returns the parsed answer and the call record. Every attempt
   * is logged with its outcome, tokens (paid even when the answer is unusable), cost and
   * latency; when the call fails or is cancelled, its error carries the record (callRecordOf).
   */
  private async complete<T>(
    body: ChatBody,
    about: { prompt: PromptRef | undefined; systemPrompt?: string; masked: PiiFinding[] },
    signal: AbortSignal,
    parse: (content: string | null | undefined) => T,
  ): Promise<{ value: T; call: ModelCallRecord }> {
    // The SDK sends JSON.stringify(body): hash exactly that.
    const requestSha256 = sha256(JSON.stringify(body));
    const started = performance.now();
    const attemptLog: ModelAttempt[] = [];
    const priced = (usage: ModelUsage | undefined): Pick<ModelAttempt, 'usage' | 'costUsd'> => {
      if (!usage) return {};
      const costUsd = costOf(this.settings.prices, body.model, usage);
      return { usage, ...(costUsd !== undefined ? { costUsd } : {}) };
    };
    const record = (status: NonNullable<ModelCallRecord['status']>, response: unknown, error?: string): ModelCallRecord => {
      const paid = attemptLog.filter((a) => a.usage);
      const usage = paid.length ? { inputTokens: paid.reduce((n, a) => n + a.usage!.inputTokens, 0), outputTokens: paid.reduce((n, a) => n + a.usage!.outputTokens, 0) } : undefined;
      const costUsd = costOf(this.settings.prices, body.model, usage);
      return {
        provider: this.name,
        model: body.model,
        ...(about.prompt ? { prompt: { id: about.prompt.id, version: about.prompt.version } } : {}),
        ...(about.systemPrompt ? { systemPrompt: about.systemPrompt } : {}),
        status,
        ...(error !== undefined ? { error } : {}),
        ...(about.masked.length ? { masked: Object.fromEntries(about.masked.map((f) => [f.kind, f.count])) } : {}),
        requestSha256,
        redactedRequest: redactImages(body),
        response,
        ...(usage ? { usage } : {}),
        ...(costUsd !== undefined ? { costUsd } : {}),
        latencyMs: Math.round(performance.now() - started),
        attempts: Math.max(1, attemptLog.length),
        attemptLog,
      };
    };
    const cancelled = (): CancelledError => {
      const error = new CancelledError('run cancelled');
      return attemptLog.length ? withRecord(error, record('cancelled', null, 'run cancelled')) : error;
    };
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw cancelled();
      let retryAfterMs: number | undefined;
      const attemptStarted = performance.now();
      let usage: ModelUsage | undefined;
      try {
        const completion = await (await this.client()).client.chat.completions.create(body, { signal, timeout: this.timeoutMs, maxRetries: 0 });
        if (completion.usage) usage = { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens };
        const value = parse(completion.choices[0]?.message?.content);
        attemptLog.push({ attempt, outcome: 'ok', ...priced(usage), latencyMs: Math.round(performance.now() - attemptStarted) });
        return { value, call: record('succeeded', value) };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - attemptStarted);
        if (signal.aborted) {
          attemptLog.push({ attempt, outcome: 'cancelled', ...priced(usage), latencyMs });
          throw cancelled();
        }
        const verdict = this.judge(error);
        retryAfterMs = verdict.retryAfterMs;
        const status = verdict.details?.['status'];
        attemptLog.push({ attempt, outcome: verdict.outcome, ...(typeof status === 'number' ? { httpStatus: status } : {}), error: verdict.error.message, ...priced(usage), latencyMs });
        if (!verdict.retryable || attempt > this.maxRetries) {
          const message = `${this.name} (${body.model}): ${verdict.error.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`;
          const failure = verdict.error instanceof ModelOutputError ? new ModelOutputError(message, { attempts: attempt }) : new ModelCallError(message, { attempts: attempt, ...verdict.details });
          throw withRecord(failure, record('failed', null, message));
        }
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
          const message = `${this.name} (${body.model}): rate limited, and the server asks to wait ${Math.round(retryAfterMs / 1000)} s (more than ${MAX_RETRY_AFTER_MS / 1000} s)`;
          throw withRecord(new ModelCallError(message, { attempts: attempt, status: 429 }), record('failed', null, message));
        }
      }
      try {
        await abortableSleep(retryAfterMs ?? backoffMs(attempt, { baseMs: 500, capMs: 8_000, random: this.random }), signal);
      } catch (error) {
        if (signal.aborted) throw cancelled();
        throw error;
      }
    }
  }

  /** Whether an error is worth another attempt, as a typed error whose message carries no secret, and how the attempt ended. */
  private judge(error: unknown): { retryable: boolean; error: Error; outcome: ModelAttemptOutcome; retryAfterMs?: number; details?: Record<string, unknown> } {
    if (error instanceof ModelOutputError) return { retryable: true, error, outcome: 'invalid-answer' };
    const OpenAI = this.sdk?.OpenAI;
    if (!OpenAI) return { retryable: false, error: error instanceof Error ? error : new Error(String(error)), outcome: 'error' };
    if (error instanceof OpenAI.APIConnectionTimeoutError) return { retryable: true, error: new ModelCallError(`no answer within ${this.timeoutMs} ms`), outcome: 'timeout', details: { timeout: true } };
    if (error instanceof OpenAI.APIConnectionError) return { retryable: true, error: new ModelCallError(`cannot reach ${this.settings.baseUrl}: ${this.scrub(error.cause instanceof Error ? error.cause.message : error.message)}`), outcome: 'unreachable' };
    if (error instanceof OpenAI.APIError) {
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      const status = apiError.status;
      const retryAfter = Number(apiError.headers?.get('retry-after'));
      const retryable = status === 429 || status === 408 || (status !== undefined && status >= 500);
      const why = status === 401 || status === 403 ? ' — check the API key secret of this provider' : '';
      return {
        retryable,
        error: new ModelCallError(`HTTP ${status ?? '?'}: ${this.scrub(apiError.message)}${why}`),
        outcome: 'http-error',
        ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        details: { status },
      };
    }
    return { retryable: false, error: new ModelCallError(this.scrub(error instanceof Error ? error.message : String(error))), outcome: 'error' };
  }

  /** Servers sometimes echo the key they were given (e.g. "Incorrect API key provided: sk-…"). */
  private scrub(message: string): string {
    return this.apiKey && this.apiKey.length >= 4 ? message.split(this.apiKey).join('••••••') : message;
  }
}
