// Asked when a recording is stopped and it typed a password: which secret is it? A stored one
// (chosen from the vault's names), or a new one stored now under a name that says what it signs
// in to. The recording is renamed to match before it is saved, so its first run finds the secret.
// Nothing is lost on a bad answer: the error is shown and the recording stays here.
import { useEffect, useState } from 'react';
import type { Automation } from '../../../engine/format/schema.js';
import { errorText, useTransport } from '../api/context.js';
import { recordedSecrets, renameSecrets, SECRET_NAME, suggestSecretName } from './recorded-secrets.js';

interface Answer {
  mode: 'stored' | 'new';
  stored: string;
  name: string;
  value: string;
}

export function RecordedSecretsForm(props: { doc: Automation; startUrl: string; recordingName: string; onSave: (doc: Automation) => Promise<void> }): React.JSX.Element {
  const transport = useTransport();
  const [recorded] = useState(() => recordedSecrets(props.doc));
  const [stored, setStored] = useState<string[] | undefined>();
  const [answers, setAnswers] = useState<Record<string, Answer>>(() =>
    Object.fromEntries(recorded.map((r) => [r, { mode: 'new', stored: '', name: suggestSecretName(r, props.startUrl, props.recordingName), value: '' }])),
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    transport.call('secrets.list', {}).then(
      (list) => {
        const names = list.map((s) => s.name);
        setStored(names);
        // A stored secret under the suggested (or recorded) name is most likely the one: start with it.
        setAnswers((current) =>
          Object.fromEntries(
            Object.entries(current).map(([r, a]) => {
              const same = names.find((n) => n.toLowerCase() === a.name.toLowerCase() || n === r);
              return [r, same ? { ...a, mode: 'stored' as const, stored: same } : { ...a, stored: names[0] ?? '' }];
            }),
          ),
        );
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [transport]);
  const change = (r: string, patch: Partial<Answer>): void => setAnswers((current) => ({ ...current, [r]: { ...current[r]!, ...patch } }));

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const renames = new Map<string, string>();
      for (const r of recorded) {
        const a = answers[r]!;
        if (a.mode === 'stored') {
          if (!a.stored) throw new Error(`Choose the stored secret the "${r}" field types, or create a new one.`);
          renames.set(r, a.stored);
          continue;
        }
        if (!SECRET_NAME.test(a.name)) throw new Error(`The name "${a.name}" cannot be a secret's: use letters, digits and _ only, not starting with a digit (like ${suggestSecretName(r, props.startUrl, props.recordingName)}).`);
        // A new secret never replaces a stored value by accident.
        if (stored?.includes(a.name)) throw new Error(`A secret named ${a.name} is already stored: choose it as a stored secret, or give the new one another name.`);
        await transport.call('secrets.set', { name: a.name, value: a.value });
        setStored((current) => [...(current ?? []), a.name]);
        setAnswers((current) => ({ ...current, [r]: { ...a, mode: 'stored', stored: a.name, value: '' } }));
        renames.set(r, a.name);
      }
      await props.onSave(renameSecrets(props.doc, renames));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="recorded-secrets-title">
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <h3 id="recorded-secrets-title">Secrets of this recording</h3>
      <p className="muted small">
        The recording typed {recorded.length === 1 ? 'a password' : `${recorded.length} passwords`}. It keeps no value: say which secret from the vault the bot types, so its first run finds it.
      </p>
      {recorded.map((r) => {
        const a = answers[r]!;
        const group = `secret-${r}`;
        return (
          <fieldset key={r} className="stack">
            <legend>
              The <code>{r}</code> field
            </legend>
            <label className="inline">
              <input type="radio" name={group} checked={a.mode === 'stored'} disabled={!stored?.length} onChange={() => change(r, { mode: 'stored' })} /> <span>Use a stored secret{stored && !stored.length ? ' (none stored yet)' : ''}</span>
            </label>
            {a.mode === 'stored' && (
              <label>
                <span>Which stored secret</span>
                <select value={a.stored} onChange={(e) => change(r, { stored: e.target.value })}>
                  {(stored ?? []).map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="inline">
              <input type="radio" name={group} checked={a.mode === 'new'} onChange={() => change(r, { mode: 'new' })} /> <span>Create a new secret</span>
            </label>
            {a.mode === 'new' && (
              <>
                <label>
                  <span>New secret name</span>
                  <input value={a.name} onChange={(e) => change(r, { name: e.target.value })} required />
                </label>
                <label>
                  <span>Value</span>
                  <input type="password" autoComplete="off" value={a.value} onChange={(e) => change(r, { value: e.target.value })} required />
                </label>
              </>
            )}
          </fieldset>
        );
      })}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save the recording
        </button>
      </div>
    </form>
    </section>
  );
}
