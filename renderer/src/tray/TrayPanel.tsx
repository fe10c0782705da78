// The tray panel for back-office staff: my bots, Run (asks for declared inputs), live
// progress, recent runs with their status, and the review inbox.
import { useCallback, useEffect, useState } from 'react';
import type { AutomationSummary, HostStatus, RunSummary } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { RunForm, RunList, StatusBadge } from '../components.js';
import { ReviewInbox } from './ReviewInbox.js';

interface Live {
  runId: string;
  name: string;
  total: number;
  done: number;
  label: string;
  status: string;
}

/** The engine host's state: schedules paused or next due, the audit sync; and the real pause. */
function HostPanel(): React.JSX.Element {
  const transport = useTransport();
  const [host, setHost] = useState<HostStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(() => void transport.call('host.status', {}).then(setHost, (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 10_000);
    return () => clearInterval(timer);
  }, [refresh]);
  usePushed((message) => {
    if (message.type === 'run.event' && message.event.type === 'run.finished') refresh();
  });
  const pause = (paused: boolean): void => {
    setError(undefined);
    // Shown at once; the host's answer (or, when it refuses, its state as it is) follows.
    setHost((current) => current && { ...current, schedulesPaused: paused });
    transport.call('host.pause', { paused }).then(setHost, (e: unknown) => {
      setError(errorText(e));
      refresh();
    });
  };
  if (!host) return <p className="muted small">{error ?? 'Looking at the engine…'}</p>;
  const next = host.nextDue[0];
  const sync = host.sync;
  return (
    <div data-testid="host-status">
      <label className="inline">
        <input type="checkbox" checked={host.schedulesPaused} onChange={(e) => pause(e.target.checked)} /> <span>Pause schedules</span>
      </label>
      <div className="muted small" data-testid="host-schedules">
        {host.paused ? `Paused: ${host.paused}` : host.schedulesPaused ? 'Schedules are paused: nothing fires.' : next ? `Next: ${next.name ?? next.scheduleId} at ${new Date(next.at).toLocaleString()}` : host.scheduler ? 'No schedule is due.' : 'The scheduler is not running.'}
      </div>
      <div className="muted small" data-testid="host-sync">
        {!sync.enrolled ? 'Run logs: not sent to an audit server (not enrolled).' : `Run logs: ${sync.pending} waiting to upload${sync.lastSyncAt ? `, last upload ${new Date(sync.lastSyncAt).toLocaleString()}` : ''}.`}
        {sync.lastError && <span className="error"> Last error: {sync.lastError.split('\n')[0]}</span>}
      </div>
      <p />
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}

export function TrayPanel(): React.JSX.Element {
  const transport = useTransport();
  const [bots, setBots] = useState<AutomationSummary[]>([]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [chosen, setChosen] = useState<AutomationSummary | undefined>();
  const [live, setLive] = useState<Live | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [policyError, setPolicyError] = useState<string | undefined>();

  const refreshRuns = useCallback(() => void transport.call('runs.list', { limit: 10 }).then(setRuns, (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(() => {
    transport.call('automations.list', {}).then(setBots, (e: unknown) => setError(errorText(e)));
    transport.call('session.info', {}).then((info) => setPolicyError(info.policy?.status === 'invalid' ? info.policy.error : undefined), () => undefined);
    refreshRuns();
  }, [transport, refreshRuns]);

  usePushed((message) => {
    if (message.type !== 'run.event') return;
    const event = message.event;
    if (event.type === 'run.started') setLive({ runId: event.runId, name: event.automation.name, total: event.totalSteps, done: 0, label: 'starting', status: 'running' });
    setLive((current) => {
      if (!current || current.runId !== event.runId) return current;
      if (event.type === 'step.started') return { ...current, label: event.label, done: event.topIndex - 1 };
      if (event.type === 'run.finished') return { ...current, status: event.status, done: event.status === 'passed' ? current.total : current.done, label: event.error?.message.split('\n')[0] ?? 'done' };
      if (event.type === 'run.paused') return { ...current, status: 'paused', label: 'waiting for a review' };
      return current;
    });
    if (event.type === 'run.finished' || event.type === 'run.paused') refreshRuns();
  });

  const run = async (inputs: Record<string, unknown>): Promise<void> => {
    if (!chosen) return;
    setError(undefined);
    try {
      await transport.call('runs.start', { id: chosen.id, inputs });
      setChosen(undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <main className="tray" aria-label="My bots">
      <section className="panel">
        <h2>My bots</h2>
        {policyError && (
          <p role="alert" className="error" data-testid="policy-error">
            Bots cannot run on this machine: {policyError}
          </p>
        )}
        <ul className="bot-list">
          {bots.map((bot) => (
            <li key={bot.id}>
              <div>
                <strong>{bot.name}</strong>{' '}
                {bot.package && (
                  <span className={`badge ${bot.package.signed ? 'signed' : 'unsigned'}`} title={bot.package.signer ? `signed by ${bot.package.signer}` : 'package without a signature'}>
                    {bot.package.signed ? 'signed' : 'unsigned'}
                  </span>
                )}
                <div className="muted small">{bot.description ?? bot.id}</div>
              </div>
              <button type="button" onClick={() => setChosen(bot)} aria-label={`Run ${bot.name}`} disabled={bot.issues > 0 || policyError !== undefined} title={policyError ? 'the machine policy is invalid' : bot.issues ? 'fix its problems in the studio first' : undefined}>
                Run…
              </button>
            </li>
          ))}
        </ul>
        {chosen && (
          <div className="card" role="dialog" aria-label={`Run ${chosen.name}`}>
            <h3>Run {chosen.name}</h3>
            <RunForm automation={chosen} busy={false} onRun={(inputs) => void run(inputs)} onCancel={() => setChosen(undefined)} />
          </div>
        )}
        {error && <p role="alert" className="error">{error}</p>}
      </section>
      <section className="panel">
        <h2>Now running</h2>
        {live ? (
          <div className="live" aria-live="polite" data-testid="live-progress">
            <div className="row">
              <strong>{live.name}</strong> <StatusBadge status={live.status} />
            </div>
            <progress max={Math.max(live.total, 1)} value={live.done} aria-label="Progress" />
            <div className="muted small">
              step {Math.min(live.done + 1, live.total)}/{live.total} · {live.label}
            </div>
            {live.status === 'running' && (
              <button type="button" onClick={() => void transport.call('runs.cancel', { runId: live.runId }).catch((e: unknown) => setError(errorText(e)))}>
                Stop
              </button>
            )}
          </div>
        ) : (
          <p className="muted">Nothing is running.</p>
        )}
        <h2>Recent runs</h2>
        <RunList runs={runs} />
      </section>
      <section className="panel">
        <h2>Schedules</h2>
        <HostPanel />
        <h2>Review inbox</h2>
        <ReviewInbox />
      </section>
    </main>
  );
}
