// The "local" provider: rule-based extraction on this machine (no network, so no PII guard).
// It extracts only; classify and ask need a configured model provider.
import { LocalProvider } from '../extract/local/local-provider.js';
import type { ModelProvider } from './types.js';

export function localProvider(): ModelProvider {
  const local = new LocalProvider();
  return { name: local.name, remote: false, extract: (request, signal) => local.extract(request, signal) };
}
