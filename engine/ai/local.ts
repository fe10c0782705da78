// The "local" provider: rule-based extraction on this machine (no network, so no PII guard).
// It extracts only; classify and ask need a configured model provider.
import { LocalProvider } from '../extract/local/local-provider.js';
import type { ModelProvider } from './types.js';
import { TemplateReader, type TemplateSource } from '../extract/learn/template-reader.js';

/** With `templates`, a layout learned from reviewers' corrections is read from its template. */
export function localProvider(templates?: TemplateSource): ModelProvider {
  const local = templates ? new TemplateReader(new LocalProvider(), templates) : new LocalProvider();
  return { name: local.name, remote: false, extract: (request, signal) => local.extract(request, signal) };
}
