// The studio for builders: the automation list, Record, and the editor of the chosen one.
import { useCallback, useEffect, useState } from 'react';
import type { AutomationSummary } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { Editor } from './Editor.js';
import { NewAutomationPanel } from './NewAutomationPanel.js';
import { RecordPanel } from './RecordPanel.js';

export function Studio(): React.JSX.Element {
  const transport = useTransport();
  const [list, setList] = useState<AutomationSummary[]>([]);
  const [selected, setSelected] = useState<string | undefined>(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('id') ?? undefined);
  // Record, New automation, or the editor of the chosen one.
  const [panel, setPanel] = useState<'record' | 'new' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(() => void transport.call('automations.list', {}).then(setList, (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(refresh, [refresh]);
  const choose = (id: string): void => {
    setPanel(undefined);
    setSelected(id);
    history.replaceState(null, '', `#/studio?id=${encodeURIComponent(id)}`);
  };
  return (
    <main className="studio">
      <aside className="sidebar" aria-label="Automations">
        <div className="row spread">
          <h2>Automations</h2>
          <div className="row tight">
            <button type="button" onClick={() => setPanel('new')}>
              New automation
            </button>
            <button type="button" onClick={() => setPanel('record')}>
              Record
            </button>
          </div>
        </div>
        {error && <p className="error">{error}</p>}
        <ul className="automation-list">
          {list.map((a) => (
            <li key={a.id}>
              <button type="button" className={`link${a.id === selected ? ' selected' : ''}`} aria-current={a.id === selected ? 'true' : undefined} onClick={() => choose(a.id)}>
                <span>{a.name}</span>
                <span className="muted small">
                  {a.id} · {a.stepCount} {a.stepCount === 1 ? 'step' : 'steps'}{a.issues ? ` · ${a.issues} ${a.issues === 1 ? 'problem' : 'problems'}` : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      {panel === 'record' ? (
        <RecordPanel
          onDone={(id) => {
            refresh();
            choose(id);
          }}
        />
      ) : panel === 'new' ? (
        <NewAutomationPanel
          onDone={(id) => {
            refresh();
            choose(id);
          }}
        />
      ) : selected ? (
        <Editor key={selected} id={selected} onLoaded={refresh} />
      ) : (
        <section className="editor">
          <p className="muted">Choose an automation, create a new one, or record one.</p>
        </section>
      )}
    </main>
  );
}
