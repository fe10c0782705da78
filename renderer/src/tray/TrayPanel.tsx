// The tray panel for back-office staff: my bots, Run (asks for declared inputs), live
// progress, recent runs with their status, and the review inbox.
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import type { ActiveRun, AutomationSummary, HostStatus, RunSummary } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { ClampedText, RunForm, RunList, StatusBadge } from '../components.js';
import { NotificationsToggle } from '../notifications.js';
import { ReviewInbox } from './ReviewInbox.js';
import { RunResult } from './RunResult.js';
import { runRefusal } from './run-refusal.js';
import { staffReason, withoutPaths } from '../../../engine/transport/without-paths.js';

interface Live {
  runId: string;
  name: string;
  total: number;
  done: number;
  label: string;
  status: string;
  /** Why it ended, when it failed: shown under the progress, clamped. */
  reason?: string;
}

const going = (status: string): boolean => status === 'running' || status === 'paused';

function fromActive(run: ActiveRun): Live {
  return { runId: run.runId, name: run.automationName, total: run.totalSteps, done: run.done, label: run.label, status: run.status };
}

/**
 * The runs going on as the engine knows them, merged into what the screen shows: the engine's
 * answer wins, except over a run this screen already saw end (the answer may be older than the event).
 */
function merge(active: ActiveRun[], current: Live[]): Live[] {
  const ended = new Map(current.filter((l) => !going(l.status)).map((l) => [l.runId, l]));
  const fresh = active.map((a) => ended.get(a.runId) ?? fromActive(a));
  const ids = new Set(fresh.map((l) => l.runId));
  return [...fresh, ...current.filter((l) => !going(l.status) && !ids.has(l.runId))];
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
        {sync.lastError && <span className="error"> Last error: {staffReason(sync.lastError)}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}

/** The inputs of a bot about to run, shown under it in the list (and scrolled to). */
function RunDialog({ bot, initial, refusal, onRun, onCancel }: { bot: AutomationSummary; initial?: Record<string, unknown>; refusal?: string; onRun: (inputs: Record<string, unknown>) => void; onCancel: () => void }): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={box} className="card" role="dialog" aria-label={`Run ${bot.name}`} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <h3>Run {bot.name}</h3>
      {initial && <p className="muted small">With the inputs of the earlier run.</p>}
      <RunForm automation={bot} busy={false} {...(initial ? { initial } : {})} onRun={onRun} onCancel={onCancel} />
      {/* Why the engine did not run it, under the Run button the person clicked (not above the whole list). */}
      {refusal && (
        <p role="alert" className="error" data-testid="run-refused">
          {refusal}
        </p>
      )}
    </div>
  );
}

export function TrayPanel(): React.JSX.Element {
  const transport = useTransport();
  const [bots, setBots] = useState<AutomationSummary[]>([]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [chosen, setChosen] = useState<{ bot: AutomationSummary; inputs?: Record<string, unknown> } | undefined>();
  const [live, setLive] = useState<Live[]>([]);
  const [opened, setOpened] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<string | undefined>();
  const [policyError, setPolicyError] = useState<string | undefined>();

  const refreshRuns = useCallback(() => void transport.call('runs.list', { limit: 10 }).then(setRuns, (e: unknown) => setError(errorText(e))), [transport]);
  // What runs and what waits for a review, from the engine: on opening (a reload included) and when a run resumes.
  const refreshLive = useCallback(() => void transport.call('runs.active', {}).then((active) => setLive((current) => merge(active, current)), (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(() => {
    transport.call('automations.list', {}).then(setBots, (e: unknown) => setError(errorText(e)));
    transport.call('session.info', {}).then((info) => setPolicyError(info.policy?.status === 'invalid' ? info.policy.error : undefined), () => undefined);
    refreshRuns();
    refreshLive();
  }, [transport, refreshRuns, refreshLive]);

  usePushed((message) => {
    if (message.type !== 'run.event') return;
    const event = message.event;
    if (event.type === 'run.started') {
      // A new run replaces the ended ones on top; those stay in Recent runs.
      setLive((current) => [{ runId: event.runId, name: event.automation.name, total: event.totalSteps, done: 0, label: 'starting', status: 'running' }, ...current.filter((l) => going(l.status) && l.runId !== event.runId)]);
    } else {
      setLive((current) =>
        current.map((l) => {
          if (l.runId !== event.runId) return l;
          if (event.type === 'step.started') return { ...l, label: event.label, done: event.topIndex - 1 };
          if (event.type === 'run.finished') {
            const reason = event.error ? staffReason(event.error.message) : undefined;
            return { ...l, status: event.status, done: event.status === 'passed' ? l.total : l.done, label: reason === undefined ? 'done' : 'stopped', ...(reason !== undefined ? { reason } : {}) };
          }
          if (event.type === 'run.paused') return { ...l, status: 'paused', label: 'waiting for a review' };
          if (event.type === 'run.resumed') return { ...l, status: 'running', label: 'resumed after the review' };
          // A builder handed the paused run an edited automation: its step count is the new one's.
          if (event.type === 'run.revised') return { ...l, total: event.totalSteps };
          return l;
        }),
      );
    }
    if (event.type === 'run.resumed' || event.type === 'run.paused') refreshLive();
    if (event.type === 'run.started' || event.type === 'run.finished' || event.type === 'run.paused' || event.type === 'run.resumed') refreshRuns();
  });

  const run = async (inputs: Record<string, unknown>): Promise<void> => {
    if (!chosen) return;
    setRefusal(undefined);
    try {
      await transport.call('runs.start', { id: chosen.bot.id, inputs });
      setChosen(undefined);
    } catch (e) {
      setRefusal(runRefusal(e, chosen.bot.name));
    }
  };

  const choose = (next: { bot: AutomationSummary; inputs?: Record<string, unknown> } | undefined): void => {
    setRefusal(undefined);
    setChosen(next);
  };

  const runAgain = (automationId: string): ((inputs: Record<string, unknown>) => void) | undefined => {
    const bot = bots.find((b) => b.automationId === automationId && b.issues === 0);
    if (!bot || policyError !== undefined) return undefined;
    return (inputs) => {
      setOpened(undefined);
      choose({ bot, inputs });
    };
  };

  return (
    <main className="tray" aria-label="My bots">
      <section className="panel pinned live-panel" aria-label="Now running">
        <h2>Now running</h2>
        {live.length ? (
          <ul className="live-list">
            {live.map((l) => (
              <li key={l.runId} className="live" aria-live="polite" data-testid="live-progress" aria-label={`${l.name}: ${l.status}`}>
                <div className="row">
                  <strong>{l.name}</strong> <StatusBadge status={l.status} />
                </div>
                <progress max={Math.max(l.total, 1)} value={l.done} aria-label="Progress" />
                <div className="row spread">
                  <span className="muted small">
                    {l.status === 'paused' ? l.label : `step ${Math.min(l.done + 1, l.total)}/${l.total} · ${l.label}`}
                  </span>
                  {l.status === 'running' && (
                    <button type="button" onClick={() => void transport.call('runs.cancel', { runId: l.runId }).catch((e: unknown) => setError(errorText(e)))}>
                      Stop
                    </button>
                  )}
                  {!going(l.status) && (
                    <button type="button" onClick={() => setOpened(l.runId)}>
                      See the result
                    </button>
                  )}
                </div>
                {l.reason && <ClampedText text={l.reason} className="reason" testId="live-reason" />}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing is running.</p>
        )}
      </section>
      <section className="panel review-panel" aria-label="Review inbox">
        <h2>Review inbox</h2>
        <ReviewInbox />
      </section>
      <section className="panel bots-panel" aria-label="Bots">
        <h2>My bots</h2>
        <NotificationsToggle />
        {policyError && (
          <p role="alert" className="error" data-testid="policy-error">
            {/* The policy file's place is for IT (Settings shows it); staff read which setting is wrong. */}
            Bots cannot run on this machine: {withoutPaths(policyError)}
          </p>
        )}
        {error && <p role="alert" className="error">{error}</p>}
        <ul className="bot-list">
          {bots.map((bot) => (
            <Fragment key={bot.id}>
            <li>
              <div>
                <strong>{bot.name}</strong>{' '}
                {bot.package && (
                  <span className={`badge ${bot.package.signed ? 'signed' : 'unsigned'}`} title={bot.package.signer ? `signed by ${bot.package.signer}` : 'package without a signature'}>
                    {bot.package.signed ? 'signed' : 'unsigned'}
                  </span>
                )}
                <div className="muted small">{bot.description ?? bot.id}</div>
              </div>
              <button type="button" onClick={() => choose({ bot })} aria-label={`Run ${bot.name}`} disabled={bot.issues > 0 || policyError !== undefined} title={policyError ? 'the machine policy is invalid' : bot.issues ? 'fix its problems in the studio first' : undefined}>
                Run…
              </button>
            </li>
            {chosen?.bot.id === bot.id && (
              <li className="run-form-row">
                <RunDialog key={`${bot.id}-${chosen.inputs ? 'again' : 'new'}`} bot={bot} {...(chosen.inputs ? { initial: chosen.inputs } : {})} onRun={(inputs) => void run(inputs)} {...(refusal ? { refusal } : {})} onCancel={() => choose(undefined)} />
              </li>
            )}
            </Fragment>
          ))}
        </ul>
      </section>
      <section className="panel recent-panel" aria-label="Recent runs">
        <h2>Recent runs</h2>
        {opened && (
          <RunResult runId={opened} onClose={() => setOpened(undefined)} runAgain={runAgain} />
        )}
        <RunList runs={runs} onOpen={setOpened} {...(opened ? { selected: opened } : {})} />
      </section>
      <section className="panel host-panel" aria-labelledby="host-heading">
        <h2 id="host-heading">Schedules</h2>
        <HostPanel />
      </section>
    </main>
  );
}
