// Settings: the audit server and enrollment, the browser and model providers (the settings
// file's sections), secrets by name (values go in, never come out), and schedules.
import { useCallback, useEffect, useState } from 'react';
import type { AutomationSummary, ScheduleView, SettingsView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { formatTime } from '../components.js';
import { ModelProviders } from './ModelProviders.js';
import { useSaveSection } from './save-section.js';

function Secrets({ names, refresh }: { names: Array<{ name: string; updatedAt: string }>; refresh: () => void }): React.JSX.Element {
  const transport = useTransport();
  // The studio links here for a secret a run needs: #/settings?secret=NAME fills in its name.
  const [name, setName] = useState(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('secret') ?? '');
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      await transport.call('secrets.set', { name, value });
      setMessage(`Secret ${name} saved.`);
      setName('');
      setValue('');
      refresh();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <section className="panel" aria-label="Secrets">
      <h2>Secrets</h2>
      <p className="muted small">Values are encrypted in the vault and never shown again.</p>
      <ul>
        {names.map((s) => (
          <li key={s.name} className="row spread">
            <span>
              <code>{s.name}</code> <span className="muted small">updated {formatTime(s.updatedAt)}</span>
            </span>
            <button type="button" onClick={() => { setName(s.name); setValue(''); }}>
              Replace value
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void save(e)} className="stack">
        <label>
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z_][A-Za-z0-9_]*" />
        </label>
        <label>
          <span>Value</span>
          <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
        </label>
        <button type="submit">Save secret</button>
      </form>
      {message && <p role="status">{message}</p>}
    </section>
  );
}

function Schedules({ policy }: { policy: SettingsView['schedules'] | undefined }): React.JSX.Element {
  const transport = useTransport();
  const [schedules, setSchedules] = useState<ScheduleView[]>([]);
  const [bots, setBots] = useState<AutomationSummary[]>([]);
  const [bot, setBot] = useState('');
  const [cron, setCron] = useState('0 9 * * 1-5');
  const [message, setMessage] = useState<string | undefined>();
  const refresh = useCallback(() => void transport.call('schedules.list', {}).then(setSchedules, (e: unknown) => setMessage(errorText(e))), [transport]);
  useEffect(() => {
    refresh();
    void transport.call('automations.list', {}).then(setBots);
  }, [transport, refresh]);
  const act = (work: Promise<unknown>): void => void work.then(refresh, (e: unknown) => setMessage(errorText(e)));
  // The engine refuses to add or resume a schedule while the policy forbids schedules: say so up front.
  const refused = policy && !policy.allowed ? (policy.reason ?? 'schedules are not allowed on this machine') : undefined;
  return (
    <section className="panel" aria-label="Schedules">
      <h2>Schedules</h2>
      <p className="muted small">The agent (rpa agent) starts these runs.</p>
      {schedules.length === 0 && <p className="muted">No schedules.</p>}
      <ul>
        {schedules.map((s) => (
          <li key={s.id} className="schedule">
            <div>
              <strong>{s.name ?? s.id}</strong> <code>{s.cron}</code> {s.timeZone} {s.paused ? <span className="badge status-paused">paused</span> : null}
              <div className="muted small">
                {s.file}
                {s.nextFireTimes[0] ? ` · next ${formatTime(s.nextFireTimes[0])}` : ''}
              </div>
            </div>
            <div className="row tight">
              <button
                type="button"
                disabled={s.paused && refused !== undefined}
                aria-describedby={s.paused && refused ? 'schedules-refused' : undefined}
                onClick={() => act(transport.call('schedules.pause', { scheduleId: s.id, paused: !s.paused }))}
              >
                {s.paused ? 'Resume' : 'Pause'}
              </button>
              <button type="button" className="danger" onClick={() => act(transport.call('schedules.remove', { scheduleId: s.id }))}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(undefined);
          act(transport.call('schedules.add', { id: bot, cron }));
        }}
      >
        <label>
          <span>Bot</span>
          <select value={bot} onChange={(e) => setBot(e.target.value)} required>
            <option value="">choose…</option>
            {bots.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Cron (minute hour day month weekday)</span>
          <input value={cron} onChange={(e) => setCron(e.target.value)} required />
        </label>
        <button type="submit" disabled={refused !== undefined} aria-describedby={refused ? 'schedules-refused' : undefined}>
          Add schedule
        </button>
        {refused && (
          <p id="schedules-refused" className="small" data-testid="schedules-refused">
            {refused.charAt(0).toUpperCase() + refused.slice(1)}.
          </p>
        )}
      </form>
      {message && <p role="alert" className="error">{message}</p>}
    </section>
  );
}

function shown(value: SettingsView['effective']['settings'][number]['value']): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The machine policy IT deployed and every setting in effect, with where it comes from. */
function EffectiveSettings({ view }: { view: SettingsView }): React.JSX.Element {
  const { policy, settings } = view.effective;
  return (
    <section className="panel" aria-label="Policy and effective settings">
      <h2>Policy and effective settings</h2>
      {policy.status === 'none' && <p className="muted small">No machine policy ({policy.file}); your own settings apply.</p>}
      {policy.status === 'ok' && (
        <p className="small">
          Managed by the machine policy <code>{policy.file}</code>
          {policy.owner ? ` (${policy.owner})` : ''}. Settings marked <span className="badge source-policy">policy</span> cannot be changed here.
        </p>
      )}
      {policy.status === 'invalid' && (
        <p role="alert" className="error">
          The machine policy is invalid, so no bot runs until IT fixes it. {policy.error}
        </p>
      )}
      <table className="effective">
        <tbody>
          {settings.map((s) => (
            <tr key={s.key} data-key={s.key}>
              <th scope="row">{s.label}</th>
              <td>{shown(s.value)}</td>
              <td>
                <span className={`badge source-${s.source}`}>{s.source}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function BrowserSettings({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }): React.JSX.Element {
  const current = (view.settings['browser'] ?? {}) as { executablePath?: string; headless?: boolean };
  const [executablePath, setExecutablePath] = useState(current.executablePath ?? '');
  const [headless, setHeadless] = useState(current.headless ?? true);
  const { save: saveSection, outcome } = useSaveSection(view, onSaved);
  const save = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    const { executablePath: _old, ...rest } = current;
    await saveSection({ browser: { ...rest, headless, ...(executablePath.trim() ? { executablePath: executablePath.trim() } : {}) } });
  };
  return (
    <section className="panel" aria-label="Browser">
      <h2>Browser</h2>
      <p className="muted small">{view.settingsFile}</p>
      <form onSubmit={(e) => void save(e)} className="stack">
        <label>
          <span>Browser program (empty: found automatically)</span>
          <input value={executablePath} onChange={(e) => setExecutablePath(e.target.value)} spellCheck={false} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={headless} onChange={(e) => setHeadless(e.target.checked)} />
          <span>Run bots' browsers headless (not visible)</span>
        </label>
        <button type="submit">Save browser settings</button>
      </form>
      {outcome}
    </section>
  );
}

function AuditServer({ view }: { view: SettingsView }): React.JSX.Element {
  return (
    <section className="panel" aria-label="Audit server">
      <h2>Audit server</h2>
      {view.sync.enrolled ? (
        <p>
          Enrolled with <code>{view.sync.server}</code> as device <code>{view.sync.deviceId}</code>. {view.sync.pending} record(s) waiting to upload.
        </p>
      ) : (
        <p>
          Not enrolled (device <code>{view.sync.deviceId}</code>). Audit records wait in the outbox ({view.sync.pending}) until an admin gives you an enrollment token: <code>rpa enroll SERVER_URL TOKEN</code>.
        </p>
      )}
      {view.sync.lastError && <p className="error">Last upload error: {view.sync.lastError}</p>}
    </section>
  );
}

export function SettingsScreen(): React.JSX.Element {
  const transport = useTransport();
  const [view, setView] = useState<SettingsView | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [secrets, setSecrets] = useState<Array<{ name: string; updatedAt: string }>>([]);
  const refreshSecrets = useCallback(() => void transport.call('secrets.list', {}).then(setSecrets, (e: unknown) => setFailure(errorText(e))), [transport]);
  useEffect(() => {
    void transport.call('settings.get', {}).then(setView, (e: unknown) => setFailure(errorText(e)));
    refreshSecrets();
  }, [transport, refreshSecrets]);
  return (
    <main className="settings">
      <div className="settings-col">
        {view ? (
          <>
            <EffectiveSettings view={view} />
            <AuditServer view={view} />
            <ModelProviders view={view} secretNames={secrets.map((s) => s.name)} onSaved={setView} onSecretStored={refreshSecrets} />
            <BrowserSettings view={view} onSaved={setView} />
          </>
        ) : (
          <section className="panel">{failure ?? 'Loading…'}</section>
        )}
      </div>
      <div className="settings-col">
        <Secrets names={secrets} refresh={refreshSecrets} />
        <Schedules policy={view?.schedules} />
      </div>
    </main>
  );
}
