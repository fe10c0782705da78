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
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/** One call to a provider, as recorded on the run (and synced to the audit server). */
export interface ModelCallRecord {
  provider: string;
  model: string;
  prompt?: { id: string; version: string };
  /** SHA-256 of exactly what was sent (after PII masking). */
  requestSha256: string;
  /** What was sent, with PII masked (images replaced by their hash). */
  redactedRequest: unknown;
  /** What came back (parsed), as the step used it. */
  response: unknown;
  usage?: ModelUsage;
  costUsd?: number;
  latencyMs: number;
  attempts: number;
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
}

export interface ExtractionProvider {
  readonly name: string;
  extract(request: ExtractionRequest, signal: AbortSignal): Promise<ExtractionResult>;
}
