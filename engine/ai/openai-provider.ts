// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM
// Studio) through the `openai` SDK. Everything sent passes the PII guard first; retries on
// 429, 5xx, timeouts and malformed output are ours (the SDK's are off) so each attempt is
// counted and recorded; the API key never appears in a message, event or error.
import type OpenAI from 'openai';
import { z } from 'zod';
import { CancelledError } from '../errors.js';
import { fieldsToJsonSchema } from '../extract/json-schema.js';
import type { ExtractedField, ExtractionRequest, ExtractionResult, ModelCallRecord } from '../extract/types.js';
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

/** What a remote provider reports besides its answer. */
export interface RemoteCallInfo {
  masked: PiiFinding[];
  /** Page images not sent because the document's text held PII the images would show unmasked. */
  imagesWithheld: number;
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
  /** Info about the last call, for the model.called event. */
  lastCallInfo: RemoteCallInfo = { masked: [], imagesWithheld: 0 };

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
    const system = [
      'You extract fields from a business document. Answer only with JSON that follows the schema.',
      'For every field give its value exactly as the document states it (null when the document does not show it), your confidence from 0 to 1, and the page and verbatim text it was read from.',
      request.prompt?.text,
    ]
      .filter(Boolean)
      .join('\n');
    const text = `Fields to extract:\n${describeFields(request.fields)}\n\nDocument text:\n${documentText(request)}`;
    const guarded = this.guard.protect({ system, text }, 'the document');
    // Images cannot be masked: when the text showed PII, the pictures of it stay here.
    const images = guarded.found.length ? [] : (request.images ?? []);
    this.lastCallInfo = { masked: guarded.found, imagesWithheld: guarded.found.length ? (request.images?.length ?? 0) : 0 };
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
    const { value, call } = await this.complete(body, request.prompt, signal, (raw) => {
      const parsed = answer.safeParse(parseJson(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ModelOutputError(`the model's answer does not follow the schema: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      return parsed.data;
    });
    // The answer speaks in placeholders where PII was masked: put the real values back here,
    // after the call (the recorded response stays masked). A placeholder that cannot be put
    // back is no value: it goes to a person, whatever confidence the model claimed.
    const fields: ExtractedField[] = request.fields.map((spec) => {
      const got = value[spec.name]!;
      const restored = guarded.placeholders.restore({ value: got.value ?? null, text: got.source?.text });
      const source = got.source ? { source: { page: got.source.page, ...(restored.value.text !== undefined ? { text: restored.value.text } : {}) } } : {};
      if (restored.unresolved) return { name: spec.name, value: null, confidence: 0, ...source };
      return { name: spec.name, value: restored.value.value, confidence: got.confidence, ...source };
    });
    return { fields, call };
  }

  async classify(request: ClassifyRequest, signal: AbortSignal): Promise<ClassifyResult> {
    const names = request.labels.map((l) => l.name);
    const system = ['Classify the text into exactly one of the labels. Answer only with JSON that follows the schema.', request.prompt?.text].filter(Boolean).join('\n');
    const text = `Labels:\n${request.labels.map((l) => `- ${l.name}${l.description ? `: ${l.description}` : ''}`).join('\n')}\n\nText:\n${request.text}`;
    const guarded = this.guard.protect({ system, text }, 'the text to classify');
    this.lastCallInfo = { masked: guarded.found, imagesWithheld: 0 };
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
    const { value, call } = await this.complete(body, request.prompt, signal, (raw) => {
      const parsed = answer.safeParse(parseJson(raw));
      if (!parsed.success) throw new ModelOutputError(`the model's classification does not follow the schema: ${parsed.error.issues[0]?.message ?? 'invalid'} (labels: ${names.join(', ')})`);
      return parsed.data;
    });
    return { ...value, call };
  }

  async ask(request: AskRequest, signal: AbortSignal): Promise<AskResult> {
    const guarded = this.guard.protect({ system: request.prompt?.text ?? 'You help a back-office team. Answer briefly and plainly.', question: request.question, context: request.context ?? '' }, 'the question');
    this.lastCallInfo = { masked: guarded.found, imagesWithheld: 0 };
    const user = guarded.value.context ? `${guarded.value.question}\n\nContext:\n${guarded.value.context}` : guarded.value.question;
    const body: ChatBody = {
      model: request.model ?? this.settings.model,
      messages: [
        { role: 'system', content: guarded.value.system },
        { role: 'user', content: user },
      ],
      ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    };
    const { value, call } = await this.complete(body, request.prompt, signal, (raw) => {
      if (!raw?.trim()) throw new ModelOutputError('the model returned an empty answer');
      return raw;
    });
    // Placeholders in a free answer are put back here too: the answer stays on this machine.
    return { text: guarded.placeholders.restore(value).value, call };
  }

  /** One request with our retries; returns the parsed answer and the call record. */
  private async complete<T>(body: ChatBody, prompt: PromptRef | undefined, signal: AbortSignal, parse: (content: string | null | undefined) => T): Promise<{ value: T; call: ModelCallRecord }> {
    // The SDK sends JSON.stringify(body): hash exactly that.
    const requestSha256 = sha256(JSON.stringify(body));
    const started = performance.now();
    const usage = { inputTokens: 0, outputTokens: 0 };
    let sawUsage = false;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new CancelledError('run cancelled');
      let retryAfterMs: number | undefined;
      let failure: Error;
      try {
        const completion = await (await this.client()).client.chat.completions.create(body, { signal, timeout: this.timeoutMs, maxRetries: 0 });
        if (completion.usage) {
          sawUsage = true;
          usage.inputTokens += completion.usage.prompt_tokens;
          usage.outputTokens += completion.usage.completion_tokens;
        }
        const content = completion.choices[0]?.message?.content;
        const value = parse(content);
        const latencyMs = Math.round(performance.now() - started);
        const costUsd = costOf(this.settings.prices, body.model, sawUsage ? usage : undefined);
        const call: ModelCallRecord = {
          provider: this.name,
          model: body.model,
          ...(prompt ? { prompt: { id: prompt.id, version: prompt.version } } : {}),
          requestSha256,
          redactedRequest: redactImages(body),
          response: value,
          ...(sawUsage ? { usage: { ...usage } } : {}),
          ...(costUsd !== undefined ? { costUsd } : {}),
          latencyMs,
          attempts: attempt,
        };
        return { value, call };
      } catch (error) {
        if (signal.aborted) throw new CancelledError('run cancelled');
        const verdict = this.judge(error);
        failure = verdict.error;
        retryAfterMs = verdict.retryAfterMs;
        if (!verdict.retryable || attempt > this.maxRetries) {
          const message = `${this.name} (${body.model}): ${failure.message}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`;
          throw failure instanceof ModelOutputError ? new ModelOutputError(message, { attempts: attempt }) : new ModelCallError(message, { attempts: attempt, ...verdict.details });
        }
        if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new ModelCallError(`${this.name} (${body.model}): rate limited, and the server asks to wait ${Math.round(retryAfterMs / 1000)} s (more than ${MAX_RETRY_AFTER_MS / 1000} s)`, { attempts: attempt, status: 429 });
        }
      }
      await abortableSleep(retryAfterMs ?? backoffMs(attempt, { baseMs: 500, capMs: 8_000, random: this.random }), signal);
    }
  }

  /** Whether an error is worth another attempt, as a typed error whose message carries no secret. */
  private judge(error: unknown): { retryable: boolean; error: Error; retryAfterMs?: number; details?: Record<string, unknown> } {
    if (error instanceof ModelOutputError) return { retryable: true, error };
    const OpenAI = this.sdk?.OpenAI;
    if (!OpenAI) return { retryable: false, error: error instanceof Error ? error : new Error(String(error)) };
    if (error instanceof OpenAI.APIConnectionTimeoutError) return { retryable: true, error: new ModelCallError(`no answer within ${this.timeoutMs} ms`), details: { timeout: true } };
    if (error instanceof OpenAI.APIConnectionError) return { retryable: true, error: new ModelCallError(`cannot reach ${this.settings.baseUrl}: ${this.scrub(error.cause instanceof Error ? error.cause.message : error.message)}`) };
    if (error instanceof OpenAI.APIError) {
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      const status = apiError.status;
      const retryAfter = Number(apiError.headers?.get('retry-after'));
      const retryable = status === 429 || status === 408 || (status !== undefined && status >= 500);
      const why = status === 401 || status === 403 ? ' — check the API key secret of this provider' : '';
      return {
        retryable,
        error: new ModelCallError(`HTTP ${status ?? '?'}: ${this.scrub(apiError.message)}${why}`),
        ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        details: { status },
      };
    }
    return { retryable: false, error: new ModelCallError(this.scrub(error instanceof Error ? error.message : String(error))) };
  }

  /** Servers sometimes echo the key they were given (e.g. "Incorrect API key provided: sk-…"). */
  private scrub(message: string): string {
    return this.apiKey && this.apiKey.length >= 4 ? message.split(this.apiKey).join('••••••') : message;
  }
}
