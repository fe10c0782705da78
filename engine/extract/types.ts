// What documents become once read, and the one interface every extraction provider
// implements (the local rule-based one and any OpenAI-compatible endpoint).
import type { FieldRule, FieldSpec } from '../format/schema.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TextLine {
  text: string;
  /** In the page's own units: PDF points for PDF text, pixels for images. */
  box: Box;
  /** 0..1; 1 for PDF text. */
  confidence: number;
}

export interface DocumentPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  text: string;
  lines: TextLine[];
  /** How this page's text was obtained. */
  method: 'pdf-text' | 'ocr';
}

/** The result of read.document / read.screen, as stored in a variable. */
export interface DocumentText {
  file?: string;
  /** 'mixed' when some PDF pages had text and others needed OCR. */
  method: 'pdf-text' | 'ocr' | 'mixed';
  text: string;
  pages: DocumentPage[];
}

export interface FieldSource {
  page: number;
  box?: Box;
  /** The text span the value came from. */
  text?: string;
  /** The learned layout template (engine/extract/learn) that placed the value, for the audit trail. */
  template?: { id: string; version: number };
}

export interface ExtractedField {
  name: string;
  /** Normalised to the field type (numbers as numbers, dates as YYYY-MM-DD); null when not found. */
  value: unknown;
  /** 0..1. */
  confidence: number;
  source?: FieldSource;
  /** Local provider: how the value was found (label beside it, under it, a pattern anywhere, surely absent …), for calibration. */
  evidence?: string;
  /** Why the value cannot be trusted whatever its confidence (e.g. a PII placeholder that cannot be put back); each sends the field to a person. */
  problems?: string[];
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/** How one attempt of a model call ended. */
export type ModelAttemptOutcome = 'ok' | 'invalid-answer' | 'http-error' | 'timeout' | 'unreachable' | 'cancelled' | 'error';

/** One attempt (HTTP request) of a model call. */
export interface ModelAttempt {
  attempt: number;
  outcome: ModelAttemptOutcome;
  /** HTTP status of a refused or failed request. */
  httpStatus?: number;
  /** Why the attempt failed (no secret in it). */
  error?: string;
  /** Tokens the endpoint reported for this attempt: paid even when the answer was unusable. Absent when unknown (timeouts, errors). */
  usage?: ModelUsage;
  costUsd?: number;
  latencyMs: number;
}

/** One call to a provider, as recorded on the run (and synced to the audit server). */
export interface ModelCallRecord {
  provider: string;
  model: string;
  prompt?: { id: string; version: string };
  /** The built-in system prompt and its version, e.g. "extract@2". */
  systemPrompt?: string;
  /** succeeded: an answer the step used; failed: every attempt failed (the step failed); cancelled: the run was cancelled mid-call. */
  status?: 'succeeded' | 'failed' | 'cancelled';
  /** Why the call failed. */
  error?: string;
  /** A shadow call: a second provider read the same input side by side; nothing acts on its answer. */
  shadow?: boolean;
  /** PII kinds masked in the request, with counts. */
  masked?: Record<string, number>;
  /** SHA-256 of exactly what was sent (after PII masking). */
  requestSha256: string;
  /** What was sent, with PII masked (images replaced by their hash). */
  redactedRequest: unknown;
  /** What came back (parsed), as the step used it. */
  response: unknown;
  /** Tokens over every attempt that reported them (failed ones included: they are paid). */
  usage?: ModelUsage;
  /** Cost of those tokens (from the provider's prices). */
  costUsd?: number;
  /** From the first request to the answer (or the last failure), backoff included. */
  latencyMs: number;
  attempts: number;
  /** Each attempt: outcome, tokens, cost, latency, error. */
  attemptLog?: ModelAttempt[];
}

export interface ExtractionRequest {
  fields: FieldSpec[];
  rules?: FieldRule[];
  document: DocumentText;
  /** Page images, for providers that can look at them (sent as data URLs). */
  images?: { mime: string; data: Buffer }[];
  model?: string;
  prompt?: { id: string; version: string; text?: string };
}

export interface ExtractionResult {
  fields: ExtractedField[];
  call?: ModelCallRecord;
  /** Page images not sent because the document's text held PII the images would show unmasked. */
  imagesWithheld?: number;
  /**
   * Whether a reviewer has confirmed a document laid out like this one (a layout template learned from a review
   * fits it). Undefined when the provider learns no layouts.
   */
  knownLayout?: boolean;
}

export interface ExtractionProvider {
  readonly name: string;
  extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult>;
}
