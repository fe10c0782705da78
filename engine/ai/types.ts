// What a model provider can do beyond extraction: classify a text into declared labels and
// answer a free-text request. The local provider only extracts; remote ones do all three.
import type { ExtractionProvider, ModelCallRecord } from '../extract/types.js';

export interface PromptRef {
  id: string;
  version: string;
  text?: string;
}

export interface ClassifyRequest {
  text: string;
  labels: Array<{ name: string; description?: string | undefined }>;
  model?: string | undefined;
  prompt?: PromptRef | undefined;
}

export interface ClassifyResult {
  label: string;
  confidence: number;
  call?: ModelCallRecord;
}

export interface AskRequest {
  question: string;
  context?: string | undefined;
  maxTokens?: number | undefined;
  model?: string | undefined;
  prompt?: PromptRef | undefined;
}

export interface AskResult {
  text: string;
  call?: ModelCallRecord;
}

export interface ModelProvider extends ExtractionProvider {
  /** False for providers that keep everything on this machine (no PII guard needed). */
  readonly remote: boolean;
  classify?(request: ClassifyRequest, signal: AbortSignal): Promise<ClassifyResult>;
  ask?(request: AskRequest, signal: AbortSignal): Promise<AskResult>;
}
