// "Test connection" for a model provider as the Settings screen edits it: the same policy check
// and key lookup a run makes, then one tiny chat completion. Says plainly what happened; the API
// key never appears in the answer (the provider scrubs servers that echo it).
import { PiiGuard } from './pii.js';
import { OpenAiProvider } from './openai-provider.js';
import { assertEndpointAllowed } from './registry.js';
import type { ProviderSettings } from './settings.js';

export interface ConnectionTestResult {
  ok: boolean;
  /** What happened, in words a builder reads. */
  message: string;
  /** True when nothing was sent: the policy refused the endpoint or the key is missing. */
  notSent?: boolean;
  latencyMs?: number;
}

/** At most this long, whatever the provider's own timeout: a person is waiting on the button. */
export const CONNECTION_TEST_TIMEOUT_MS = 20_000;

export async function testProviderConnection(
  config: ProviderSettings,
  options: { allowedEndpoints: string[] | undefined; apiKey: (secretName: string) => string | undefined; timeoutMs?: number },
): Promise<ConnectionTestResult> {
  try {
    assertEndpointAllowed(config, options.allowedEndpoints);
  } catch (error) {
    return { ok: false, notSent: true, message: `Not allowed on this machine: ${(error as Error).message}.` };
  }
  const key = config.apiKeySecret ? options.apiKey(config.apiKeySecret) : undefined;
  if (config.apiKeySecret && key === undefined) {
    return { ok: false, notSent: true, message: `The API key secret "${config.apiKeySecret}" is not set; save it under Secrets first. Nothing was sent.` };
  }
  const timeoutMs = Math.min(config.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS, options.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS);
  const provider = new OpenAiProvider({ ...config, timeoutMs, maxRetries: 0 }, key, new PiiGuard('mask'));
  const started = performance.now();
  try {
    await provider.ask({ question: 'Reply with the single word OK.', maxTokens: 5 }, AbortSignal.timeout(timeoutMs + 1_000));
    const latencyMs = Math.round(performance.now() - started);
    return { ok: true, latencyMs, message: `Connected: ${config.baseUrl} answered with model ${config.model} in ${latencyMs} ms.` };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: Math.round(performance.now() - started), message: `The connection failed: ${why}` };
  }
}
