// "New automation": a bot started from a name, not only from a recording. It is saved at once
// in the user's folder with one placeholder step (a document needs at least one) and opens in
// the editor, where steps are added. A name already taken is said plainly, and nothing is overwritten.
import { useState } from 'react';
import { errorText, useTransport } from '../api/context.js';

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function NewAutomationPanel({ onDone }: { onDone: (id: string) => void }): React.JSX.Element {
  const transport = useTransport();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string | undefined>();
  const create = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    const base = slug(name);
    if (!base) {
      setError('Give the automation a name with at least one letter or digit.');
      return;
    }
    const doc = {
      format: 1 as const,
      id: `my.${base}`,
      name: name.trim(),
      version: '1.0.0',
      ...(description.trim() ? { description: description.trim() } : {}),
      steps: [{ kind: 'log' as const, message: 'Replace this step with the first thing the bot does' }],
    };
    try {
      const { id } = await transport.call('automations.create', { fileName: `${base}.json`, doc });
      onDone(id);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="editor" aria-label="New automation">
      <h2>New automation</h2>
      <form className="stack" onSubmit={(e) => void create(e)}>
        <label>
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="Weekly claims report" />
        </label>
        <label>
          <span>What it does (optional)</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Create and edit
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
