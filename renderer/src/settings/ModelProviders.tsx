// Model providers as a form: the built-in local provider, then each OpenAI-compatible endpoint
// with its API key chosen from the vault by name, stored there from here, or read from an
// environment variable (a value never comes back), a flag when the
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

/** The environment variable the engine reads a secret from when the vault has none of that name (engine/secrets.ts). */
const envName = (name: string): string => `RPA_SECRET_${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NEW_SECRET = '#new'; // no secret name holds '#'
const FROM_ENV = '#env';

/**
 * The API key: a vault secret by name, a new one stored in the vault here (its value goes in
 * and is never shown again), or a name the engine reads from its environment (RPA_SECRET_<NAME>).
 */
function ApiKeyChooser(props: { value: string | undefined; provider: string; secretNames: string[]; onChange: (name: string | undefined) => void; onStored: () => void }): React.JSX.Element {
  const { value, provider, secretNames, onChange, onStored } = props;
  const transport = useTransport();
  const id = useId();
  const [mode, setMode] = useState<'pick' | 'new' | 'env'>('pick');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  // A key named in settings.json but not in the vault is read from the environment, if set there.
  const keyNames = value && !secretNames.includes(value) ? [...secretNames, value] : secretNames;
  const choose = (e: React.ChangeEvent<HTMLSelectElement>): void => {
    setOutcome(undefined);
    if (e.target.value === NEW_SECRET || e.target.value === FROM_ENV) {
      setMode(e.target.value === NEW_SECRET ? 'new' : 'env');
      setName(e.target.value === NEW_SECRET ? `${provider.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_') || 'model'}_API_KEY`.toUpperCase() : '');
      return;
    }
    setMode('pick');
    onChange(e.target.value || undefined);
  };
  const store = async (): Promise<void> => {
    try {
      await transport.call('secrets.set', { name, value: secret });
      setSecret('');
      setMode('pick');
      onChange(name);
      onStored();
      setOutcome({ ok: true, text: `Stored ${name} in the vault and chose it; its value is not shown again.` });
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e) ?? 'The secret was not stored.' });
    }
  };
  const nameValid = SECRET_NAME.test(name);
  return (
    <div className="wide api-key">
      <label>
        <span>API key</span>
        <select aria-label="API key (vault secret)" value={mode === 'new' ? NEW_SECRET : mode === 'env' ? FROM_ENV : (value ?? '')} onChange={choose}>
          <option value="">none (no key needed)</option>
          {keyNames.map((n) => (
            <option key={n} value={n}>
              {secretNames.includes(n) ? n : `${n} (not in the vault: read from ${envName(n)})`}
            </option>
          ))}
          <option value={NEW_SECRET}>Create a new secret…</option>
          <option value={FROM_ENV}>Read from an environment variable…</option>
        </select>
      </label>
      {mode === 'new' && (
        <div role="group" aria-label="New secret" className="row tight inline-secret">
          <label>
            <span>Secret name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={name && !nameValid ? true : undefined} />
          </label>
          <label>
            <span>Value</span>
            <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
          </label>
          <button type="button" disabled={!nameValid || secret.length < 2} onClick={() => void store()}>
            Store in the vault
          </button>
          <button type="button" onClick={() => setMode('pick')}>
            Cancel
          </button>
        </div>
      )}
      {mode === 'env' && (
        <div role="group" aria-label="Environment variable" className="row tight inline-secret">
          <label>
            <span>Secret name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} aria-describedby={`${id}-env`} aria-invalid={name && !nameValid ? true : undefined} />
          </label>
          <button
            type="button"
            disabled={!nameValid}
            onClick={() => {
              setMode('pick');
              onChange(name);
            }}
          >
            Use it
          </button>
          <p id={`${id}-env`} className="small muted">
            {nameValid ? `Runs read the key from ${envName(name)} in the environment of the engine host (rpa agent, rpa studio or the desktop app), when the vault has no secret of that name.` : 'A name of letters, digits and _.'}
          </p>
        </div>
      )}
      {outcome && (
        <p role="status" className={outcome.ok ? 'message small' : 'error small'}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}

function ProviderForm(props: { row: Row; secretNames: string[]; models: SettingsView['models']; onChange: (p: Provider) => void; onRemove: () => void; onTest: () => void; onSecretStored: () => void }): React.JSX.Element {
  const { row, secretNames, models, onChange, onRemove, onTest, onSecretStored } = props;
  const p = row.provider;
  const id = useId();
  const refusal = endpointRefusal(p.baseUrl, models);
  const set = (field: keyof Provider) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange({ ...p, [field]: e.target.value });
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
        <ApiKeyChooser value={p.apiKeySecret} provider={p.name} secretNames={secretNames} onChange={(name) => onChange({ ...p, apiKeySecret: name ?? '' })} onStored={onSecretStored} />
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

export function ModelProviders({ view, secretNames, onSaved, onSecretStored }: { view: SettingsView; secretNames: string[]; onSaved: (v: SettingsView) => void; onSecretStored: () => void }): React.JSX.Element {
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
            onSecretStored={onSecretStored}
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
