// The `models` section of settings.json: remote model providers, the endpoints policy allows,
// and how PII is handled before anything leaves the machine.
import { z } from 'zod';

export const ProviderSettings = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, ".", "_" or "-"').refine((name) => name !== 'local', { message: '"local" is the built-in provider; choose another name' }),
  kind: z.literal('openai').describe('Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio.'),
  baseUrl: z.string().url(),
  model: z.string().min(1).describe('Default model of this provider.'),
  apiKeySecret: z.string().min(1).optional().describe('Name of the vault secret holding the API key (rpa secret set NAME).'),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional().describe('Retries on 429, 5xx, timeouts and malformed output (default 2).'),
  prices: z.record(z.string(), z.strictObject({ inputPer1M: z.number().min(0), outputPer1M: z.number().min(0) })).optional().describe('USD per million tokens, by model.'),
});
export type ProviderSettings = z.infer<typeof ProviderSettings>;

export const ModelsSettings = z.strictObject({
  providers: z.array(ProviderSettings).default([]),
  allowedEndpoints: z.array(z.string().min(1)).optional().describe('URL prefixes model calls may go to; when set, any other endpoint is refused.'),
  shadow: z
    .strictObject({ provider: z.string().min(1), model: z.string().min(1).optional() })
    .optional()
    .describe('Shadow mode for every ai.extract step without its own "shadow": this provider reads the same document side by side; its answers and agreement are recorded, nothing acts on them.'),
  pii: z
    .strictObject({
      mode: z.enum(['mask', 'refuse']).default('mask'),
      patterns: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.string().min(1)).optional().describe('Extra named regular expressions treated as PII.'),
    })
    .optional(),
});
export type ModelsSettings = z.infer<typeof ModelsSettings>;
