// The model providers a run may use, from settings.json `models`: "local" (never leaves the
// machine) plus every configured OpenAI-compatible endpoint. Policy is applied here, before a
// provider exists: an endpoint outside `allowedEndpoints` is refused without any network.
import type { LoadedAutomation } from '../format/load.js';
import type { Step } from '../format/schema.js';
import { EndpointNotAllowedError, ProviderConfigError } from './errors.js';
import { OpenAiProvider } from './openai-provider.js';
import { PiiGuard } from './pii.js';
import type { ModelsSettings, ProviderSettings } from './settings.js';
import type { ModelProvider } from './types.js';

export const LOCAL_PROVIDER = 'local';

export class ModelProviders {
  private readonly made = new Map<string, ModelProvider>();

  constructor(
    private readonly settings: ModelsSettings | undefined,
    /** API keys by secret name, resolved before the run (see apiKeySecretsFor). */
    private readonly apiKeys: ReadonlyMap<string, string>,
    private readonly local: () => ModelProvider,
    private readonly random?: () => number,
  ) {}

  /** The provider a step names (default "local"). */
  get(name: string = LOCAL_PROVIDER): ModelProvider {
    const existing = this.made.get(name);
    if (existing) return existing;
    const provider = name === LOCAL_PROVIDER ? this.local() : this.remote(name);
    this.made.set(name, provider);
    return provider;
  }

  private remote(name: string): ModelProvider {
    const config = this.settings?.providers.find((p) => p.name === name);
    if (!config) {
      const known = [LOCAL_PROVIDER, ...(this.settings?.providers.map((p) => p.name) ?? [])];
      throw new ProviderConfigError(`model provider "${name}" is not configured; known: ${known.join(', ')} (add it to settings.json models.providers)`);
    }
    assertEndpointAllowed(config, this.settings?.allowedEndpoints);
    const guard = new PiiGuard(this.settings?.pii?.mode ?? 'mask', this.settings?.pii?.patterns);
    const key = config.apiKeySecret ? this.apiKeys.get(config.apiKeySecret) : undefined;
    // Keys of the providers steps name are checked before the run; a shadow's is looked up
    // leniently (a shadow must not stop runs), so a missing one is caught here.
    if (config.apiKeySecret && key === undefined) throw new ProviderConfigError(`model provider "${name}" needs the API key secret "${config.apiKeySecret}", which is not set (rpa secret set ${config.apiKeySecret})`);
    return new OpenAiProvider(config, key, guard, this.random);
  }

  /** The shadow of an ai.extract step: its own `shadow`, else settings models.shadow. */
  shadowFor(own: { provider: string; model?: string | undefined } | undefined): { provider: string; model?: string } | undefined {
    const choice = own ?? this.settings?.shadow;
    return choice ? { provider: choice.provider, ...(choice.model ? { model: choice.model } : {}) } : undefined;
  }
}

export function assertEndpointAllowed(config: ProviderSettings, allowed: string[] | undefined): void {
  if (allowed === undefined) return;
  if (allowed.some((prefix) => config.baseUrl.startsWith(prefix))) return;
  throw new EndpointNotAllowedError(
    `model provider "${config.name}" points at ${config.baseUrl}, which is not in models.allowedEndpoints (${allowed.join(', ') || 'none'}); nothing was sent`,
    { provider: config.name, baseUrl: config.baseUrl },
  );
}

function providerNames(steps: Step[], into: { used: Set<string>; shadows: Set<string>; extracts: boolean }): void {
  for (const step of steps) {
    if ('provider' in step && typeof step.provider === 'string') into.used.add(step.provider);
    if (step.kind === 'ai.extract') {
      into.extracts = true;
      if (step.shadow) into.shadows.add(step.shadow.provider);
    }
    for (const key of ['then', 'else', 'steps', 'catch', 'finally'] as const) {
      const nested = (step as Partial<Record<typeof key, Step[]>>)[key];
      if (Array.isArray(nested)) providerNames(nested, into);
    }
  }
}

function providersOf(automation: LoadedAutomation, settings: ModelsSettings | undefined): { used: Set<string>; shadows: Set<string> } {
  const found = { used: new Set<string>(), shadows: new Set<string>(), extracts: false };
  for (const loaded of [automation, ...automation.called.values()]) providerNames(loaded.doc.steps, found);
  if (found.extracts && settings?.shadow) found.shadows.add(settings.shadow.provider);
  return found;
}

const keySecret = (settings: ModelsSettings | undefined, name: string): string[] => {
  const secret = settings?.providers.find((p) => p.name === name)?.apiKeySecret;
  return secret ? [secret] : [];
};

/** Vault secret names holding the API keys of the providers an automation (and what it calls) uses. */
export function apiKeySecretsFor(automation: LoadedAutomation, settings: ModelsSettings | undefined): string[] {
  return [...providersOf(automation, settings).used].flatMap((name) => keySecret(settings, name));
}

/** API key secrets of shadow providers: looked up leniently, as a shadow never stops a run. */
export function shadowKeySecretsFor(automation: LoadedAutomation, settings: ModelsSettings | undefined): string[] {
  return [...providersOf(automation, settings).shadows].flatMap((name) => keySecret(settings, name));
}
