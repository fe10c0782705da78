// Record (browser): starts the recorder on a URL and shows steps as they arrive; Stop asks
// which secret each typed password is (a stored one, or a new one stored now), then saves the
// recording into the user's folder and opens it in the editor.
import { useEffect, useState } from 'react';
import type { Automation } from '../../../engine/format/schema.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { RecordedSecretsForm } from './RecordedSecretsForm.js';
import { recordedSecrets } from './recorded-secrets.js';
import { describeStep, type StepDoc } from './steps.js';

export function RecordPanel({ onDone }: { onDone: (id: string) => void }): React.JSX.Element {
  const transport = useTransport();
  const [url, setUrl] = useState('http://127.0.0.1:4780/login');
  const [name, setName] = useState('Recorded session');
  const [headless, setHeadless] = useState(false);
  const [active, setActive] = useState(false);
  const [steps, setSteps] = useState<StepDoc[]>([]);
  const [error, setError] = useState<string | undefined>();
  // A stopped recording that uses secrets, kept here until the builder says which secrets they are.
  const [unsaved, setUnsaved] = useState<Automation | undefined>();
  // The machine policy may turn the recorder off; the engine refuses anyway, the UI says so first.
  const [available, setAvailable] = useState(true);
  useEffect(() => void transport.call('session.info', {}).then((info) => setAvailable(info.recorder), () => undefined), [transport]);
  usePushed((m) => {
    if (m.type === 'recording.step') {
      setSteps((s) => {
        const next = [...s];
        next[m.index] = m.step as StepDoc;
        return next;
      });
    }
    if (m.type === 'recording.ended') setError(`The recording browser was closed (${m.reason}); press Stop and save to keep what was recorded.`);
  });
  const start = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    setSteps([]);
    try {
      await transport.call('recording.start', { url, name, headless });
      setActive(true);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const save = async (doc: Automation): Promise<void> => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    const fileName = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'recording'}-${stamp}.json`;
    const { id } = await transport.call('automations.create', { fileName, doc });
    onDone(id);
  };
  const stop = async (): Promise<void> => {
    try {
      const { doc } = await transport.call('recording.stop', {});
      setActive(false);
      if (recordedSecrets(doc).length) setUnsaved(doc);
      else await save(doc);
    } catch (e) {
      setError(errorText(e));
    }
  };
  if (unsaved) {
    return (
      <section className="editor record" aria-label="Record">
        <h2>Record a browser session</h2>
        <RecordedSecretsForm doc={unsaved} startUrl={url} recordingName={name} onSave={save} />
      </section>
    );
  }
  return (
    <section className="editor record" aria-label="Record">
      <h2>Record a browser session</h2>
      {!available && (
        <p role="alert" className="error" data-testid="recorder-off">
          The recorder is turned off on this machine (by its policy, or this build has none).
        </p>
      )}
      {!active ? (
        <form onSubmit={(e) => void start(e)} className="stack">
          <label>
            <span>Start at URL</span>
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />
          </label>
          <label>
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <label className="inline">
            <input type="checkbox" checked={headless} onChange={(e) => setHeadless(e.target.checked)} /> <span>Hidden browser (headless, for remote machines and tests)</span>
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={!available}>
              Start recording
            </button>
          </div>
        </form>
      ) : (
        <div className="row">
          <span className="badge status-running">recording</span>
          <button type="button" className="primary" onClick={() => void stop()}>
            Stop and edit
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ol className="recorded" aria-label="Recorded steps" aria-live="polite">
        {steps.map((step, i) => (
          <li key={i}>
            <code>{step.kind}</code> {describeStep(step)}
          </li>
        ))}
      </ol>
    </section>
  );
}
