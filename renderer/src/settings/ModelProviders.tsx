// Model providers as a form: the built-in local provider, then each OpenAI-compatible endpoint
// with its API key chosen from the vault by name (the value never comes back), a flag when the
// endpoint is outside the allowed list, and "Test connection", which asks the engine to call it.
import { useEffect, useId, useState } from 'react';
import type { RequestOf, ResponseOf, SettingsView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { useSaveSection } from './save-section.js';

type Provider = Record<string, unknown> & { name: string; kind: string; baseUrl: string; model: string; apiKeySecret?: string };
type TestResult = ResponseOf<'settings.testProvider'>;

interface Row {
  key: number;
  provider: Provider;
  test?: { running: boolean; ok?: boolean; message?: string };
}

let nextKey = 1;
const rowsOf = (view: SettingsView): Row[] => {
  const models = view.settings['models'] as { providers?: Provider[] } | undefined;
  return (models?.providers ?? []).map((provider) => ({ key: nextKey++, provider }));
};

/** The provider as settings.json keeps it: no empty key secret, other fields (prices, timeouts) kept. */
function saved(provider: Provider): Provider {
  const { apiKeySecret, ...rest } = provider;
  return apiKeySecret ? { ...rest, apiKeySecret } : rest;
}

/** Why this endpoint will be refused, or undefined when it may be used. */
export function endpointRefusal(baseUrl: string, models: SettingsView['models']): string | undefined {
  const allowed = models.allowedEndpoints;
  if (allowed === undefined || !baseUrl || allowed.some((prefix) => baseUrl.startsWith(prefix))) return undefined;
  const list = allowed.length ? allowed.join(', ') : 'none';
  return models.allowedBy === 'policy'
    ? `This endpoint is not allowed by this machine's policy (allowed: ${list}). Runs that use this provider are refused, and nothing is sent to it.`
    : `This endpoint is not in your allowed endpoints (models.allowedEndpoints: ${list}). Runs that use this provider are refused.`;
}

function ProviderForm(props: { row: Row; secretNames: string[]; models: SettingsView['models']; onChange: (p: Provider) => void; onRemove: () => void; onTest: () => void }): React.JSX.Element {
  const { row, secretNames, models, onChange, onRemove, onTest } = props;
  const p = row.provider;
  const id = useId();
  const refusal = endpointRefusal(p.baseUrl, models);
  const set = (field: keyof Provider) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange({ ...p, [field]: e.target.value });
  // A key secret named in settings.json but missing from the vault stays selectable, marked as such.
  const keyNames = p.apiKeySecret && !secretNames.includes(p.apiKeySecret) ? [...secretNames, p.apiKeySecret] : secretNames;
  return (
    <fieldset className="provider">
      <legend>Provider {p.name || '(new)'}</legend>
      <div className="provider-grid">
        <label>
          <span>Name</span>
          <input value={p.name} onChange={set('name')} required pattern="[A-Za-z0-9_.\-]+" />
        </label>
        <label>
          <span>Kind</span>
          <select aria-label="Kind" value={p.kind} onChange={set('kind')}>
            <option value="openai" title="OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio">OpenAI-compatible</option>
          </select>
        </label>
        <label className="wide">
          <span>Endpoint</span>
          <input type="url" value={p.baseUrl} onChange={set('baseUrl')} required placeholder="https://…/v1" aria-invalid={refusal ? true : undefined} aria-describedby={refusal ? `${id}-refused` : undefined} />
        </label>
        <label>
          <span>Model</span>
          <input value={p.model} onChange={set('model')} required />
        </label>
        <label>
          <span>API key (vault secret)</span>
          <select aria-label="API key (vault secret)" value={p.apiKeySecret ?? ''} onChange={set('apiKeySecret')}>
            <option value="">none (no key needed)</option>
            {keyNames.map((name) => (
              <option key={name} value={name}>
                {secretNames.includes(name) ? name : `${name} (not set)`}
              </option>
            ))}
          </select>
        </label>
      </div>
      {refusal && (
        <p id={`${id}-refused`} className="error small" data-testid="endpoint-not-allowed">
          {refusal}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={onTest} disabled={row.test?.running}>
          Test connection
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          Remove
        </button>
      </div>
      <p role="status" className={row.test?.ok ? 'message small' : 'error small'}>
        {row.test?.running ? 'Testing…' : row.test?.message}
      </p>
    </fieldset>
  );
}

export function ModelProviders({ view, secretNames, onSaved }: { view: SettingsView; secretNames: string[]; onSaved: (v: SettingsView) => void }): React.JSX.Element {
  const transport = useTransport();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(view));
  const { save: saveSection, outcome } = useSaveSection(view, onSaved);
  useEffect(() => setRows(rowsOf(view)), [view]);
  const update = (key: number, change: (row: Row) => Row): void => setRows((all) => all.map((r) => (r.key === key ? change(r) : r)));
  const test = (row: Row): void => {
    update(row.key, (r) => ({ ...r, test: { running: true } }));
    const done = (result: TestResult): void => update(row.key, (r) => ({ ...r, test: { running: false, ok: result.ok, message: result.message } }));
    void transport.call('settings.testProvider', { provider: saved(row.provider) as RequestOf<'settings.testProvider'>['provider'] }).then(done, (e: unknown) => done({ ok: false, message: `Cannot test: ${errorText(e) ?? 'the studio has restarted'}` }));
  };
  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    await saveSection({ models: { ...(view.settings['models'] as object | undefined), providers: rows.map((r) => saved(r.provider)) } });
  };
  return (
    <section className="panel" aria-label="Model providers">
      <h2>Model providers</h2>
      <p className="small" data-testid="local-provider">
        <strong>local</strong> — built in: reads documents with rules on this machine, so nothing leaves it. Steps use it unless they name another provider.
      </p>
      <form onSubmit={(e) => void save(e)} className="stack">
        {rows.map((row) => (
          <ProviderForm
            key={row.key}
            row={row}
            secretNames={secretNames}
            models={view.models}
            onChange={(provider) => update(row.key, (r) => ({ key: r.key, provider }))}
            onRemove={() => setRows((all) => all.filter((r) => r.key !== row.key))}
            onTest={() => test(row)}
          />
        ))}
        <div className="row">
          <button type="button" onClick={() => setRows((all) => [...all, { key: nextKey++, provider: { name: '', kind: 'openai', baseUrl: '', model: '' } }])}>
            Add provider
          </button>
          <button type="submit">Save providers</button>
        </div>
      </form>
      {outcome}
    </section>
  );
}
