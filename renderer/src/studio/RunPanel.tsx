// Run the automation from the editor (inputs form, step-through), debugger controls while
// paused, and this automation's run history with the failed step's screenshot and the run's
// model calls (tokens, cost, latency, attempts; shadow calls marked).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AutomationSummary, DebugVariables, ModelCallView, RunDetail, RunSummary } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { RunForm, RunList, StatusBadge, formatDuration } from '../components.js';

const usd = (n: number): string => `$${n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}`;
const tokens = (u: ModelCallView['usage']): string => (u ? `${u.inputTokens} in / ${u.outputTokens} out` : 'tokens unknown');

/** The run's model calls, as `rpa show` prints them; the attempts of a retried or failed call below it. */
function ModelCalls({ run }: { run: RunDetail }): React.JSX.Element | null {
  if (!run.modelCalls.length) return null;
  return (
    <section className="model-calls" aria-label="Model calls">
      <h4>
        Model calls <span className="muted small">{run.modelCalls.length} · {run.modelCostUsd !== undefined ? `${usd(run.modelCostUsd)} in all` : 'no prices configured'}</span>
      </h4>
      <ul>
        {run.modelCalls.map((call) => (
          <ModelCallItem key={call.seq} call={call} />
        ))}
      </ul>
    </section>
  );
}

function ModelCallItem({ call }: { call: ModelCallView }): React.JSX.Element {
  const prompt = [call.prompt ? `${call.prompt.id}@${call.prompt.version}` : undefined, call.systemPrompt].filter(Boolean).join(' · ');
  const showAttempts = call.attempts > 1 || call.status !== 'succeeded';
  const facts = [
    `step ${call.path}`,
    prompt || undefined,
    `${call.attempts} attempt${call.attempts === 1 ? '' : 's'}`,
    tokens(call.usage),
    call.costUsd !== undefined ? usd(call.costUsd) : 'no price',
    formatDuration(call.latencyMs),
  ].filter(Boolean);
  return (
    <li data-status={call.status} data-shadow={call.shadow} aria-label={`${call.shadow ? 'Shadow call' : 'Call'} to ${call.provider}`}>
      <div className="row">
        <strong>{call.provider}</strong> <span>{call.model}</span>
        {call.shadow && (
          <span className="badge" title="Read the same document side by side; nothing acted on its answer">
            shadow
          </span>
        )}
        <StatusBadge status={call.status === 'succeeded' ? 'passed' : call.status} />
      </div>
      <div className="muted small facts">{facts.join(' · ')}</div>
      {call.error && <div className="error small">{call.error}</div>}
      {showAttempts && (
        <ol className="attempts small muted">
          {call.attemptLog.map((a) => (
            <li key={a.attempt}>
              attempt {a.attempt}: {a.outcome}
              {a.httpStatus ? ` ${a.httpStatus}` : ''} · {tokens(a.usage)}
              {a.costUsd !== undefined ? ` · ${usd(a.costUsd)}` : ''} · {formatDuration(a.latencyMs)}
              {a.error ? ` — ${a.error.slice(0, 120)}` : ''}
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

function RunDetailView({ runId }: { runId: string }): React.JSX.Element {
  const transport = useTransport();
  const [run, setRun] = useState<RunDetail | undefined>();
  const [shot, setShot] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let url: string | undefined;
    setShot(undefined);
    transport.call('runs.get', { runId }).then(
      async (detail) => {
        setRun(detail);
        const screenshot = detail.artifacts.find((a) => a.kind === 'screenshot' && a.name.endsWith('failure.png'));
        if (screenshot) {
          url = await transport.artifactUrl(runId, screenshot.name);
          setShot(url);
        }
      },
      (e: unknown) => setError(errorText(e)),
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [transport, runId]);
  if (error) return <p className="error">{error}</p>;
  if (!run) return <p className="muted">Loading run…</p>;
  const failed = run.steps.find((s) => s.status === 'failed');
  return (
    <div className="run-detail" aria-label={`Run ${run.id}`}>
      <div className="row">
        <StatusBadge status={run.status} /> <span className="muted small">{formatDuration(run.durationMs)} · {run.stepsPassed} steps passed</span>
      </div>
      {failed && (
        <p className="error">
          Step {failed.path} ({failed.label}) failed: {failed.error?.message.split('\n')[0]}
        </p>
      )}
      {shot && <img className="screenshot" src={shot} alt={`The page when step ${failed?.path ?? ''} failed`} />}
      {run.revisions.length > 0 && (
        <ul className="revisions small" aria-label="Revisions">
          {run.revisions.map((r) => (
            <li key={r.seq}>
              From step {r.path} on, the run followed {r.saved ? `version ${r.savedVersion ?? '?'} (saved in the studio)` : 'an unsaved revision'} · sha256 <code>{r.sha256.slice(0, 12)}…</code> · {r.totalSteps} steps
            </li>
          ))}
        </ul>
      )}
      {Object.keys(run.outputs).length > 0 && <pre className="outputs">{JSON.stringify(run.outputs, null, 2)}</pre>}
      <ModelCalls run={run} />
    </div>
  );
}

const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'not set' : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

/** The paused run's inputs and variables (secrets show as masks). */
function VariablesPanel({ variables }: { variables: DebugVariables }): React.JSX.Element {
  const rows = [...Object.entries(variables.vars).map(([k, v]) => ['vars', k, v] as const), ...Object.entries(variables.inputs).map(([k, v]) => ['inputs', k, v] as const)];
  return (
    <section className="variables" aria-label="Variables">
      <h4>Variables</h4>
      {rows.length === 0 ? (
        <p className="muted small">No variables or inputs yet.</p>
      ) : (
        <table className="small">
          <tbody>
            {rows.map(([scope, name, value]) => (
              <tr key={`${scope}.${name}`}>
                <th scope="row">
                  <code>
                    {scope}.{name}
                  </code>
                </th>
                <td>
                  <code>{shown(value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface ChangesPrompt {
  action: 'continue' | 'step';
  /** The changes are not saved yet (else: saved after the run started, not handed to it). */
  dirty: boolean;
  /** Save the changes as a new version, then hand them to the run. */
  onChanges: () => void;
  /** Hand the changes to the run without saving them (they stay unsaved in the editor). */
  onUnsaved: () => void;
  onAsItIs: () => void;
  onCancel: () => void;
}

/** Asks how a paused run goes on when the editor shows something else than the run has. */
function ChangesQuestion({ action, dirty, onChanges, onUnsaved, onAsItIs, onCancel }: ChangesPrompt): React.JSX.Element {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const verb = action === 'step' ? 'step' : 'continue';
  return (
    <div className="card changes-question" role="alertdialog" aria-labelledby="changes-question-title" aria-describedby="changes-question-text" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <p id="changes-question-title">
        <strong>{dirty ? 'Your changes are not saved.' : 'The paused run does not have your saved changes.'}</strong>
      </p>
      <p id="changes-question-text" className="small">
        The run is still using the version it started with. Hand it your changes for this step and the ones after it (recorded in its audit trail with their hash){dirty ? ', saved as a new version or as they are, unsaved' : ''}, or go on with the run's own version.
      </p>
      <div className="row tight">
        <button ref={first} type="button" className="primary" onClick={onChanges}>
          {dirty ? `Save and ${verb}` : `${verb === 'step' ? 'Step' : 'Continue'} with my changes`}
        </button>
        {dirty && (
          <button type="button" onClick={onUnsaved}>
            {verb === 'step' ? 'Step' : 'Continue'} with my changes, unsaved
          </button>
        )}
        <button type="button" onClick={onAsItIs}>
          {verb === 'step' ? 'Step' : 'Continue'} with the run's version
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function RunPanel(props: {
  summary: AutomationSummary;
  runId: string | undefined;
  paused: boolean;
  /** The step the run is paused before: "3 · click Log in". */
  pausedStep?: string;
  variables?: DebugVariables;
  /** Where the browser of a debug run is (its own window), or why it is hidden. */
  browserNote?: string;
  dirty: boolean;
  onRun: (inputs: Record<string, unknown>, stepThrough: boolean) => void;
  onDebug: (action: 'continue' | 'step') => void;
  /** Step or Continue was pressed while the editor holds changes the paused run does not have. */
  asking?: ChangesPrompt;
  onCancel: () => void;
}): React.JSX.Element {
  const transport = useTransport();
  const [stepThrough, setStepThrough] = useState(false);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [open, setOpen] = useState<string | undefined>();
  const refresh = useCallback(() => {
    void transport.call('runs.list', { limit: 100 }).then((all) => setRuns(all.filter((r) => r.automationId === props.summary.automationId).slice(0, 8)));
  }, [transport, props.summary.automationId]);
  useEffect(refresh, [refresh]);
  usePushed((m) => {
    if (m.type === 'run.event' && m.event.type === 'run.finished') refresh();
  });
  return (
    <section className="run-panel" aria-label="Run">
      <h3>Run</h3>
      {props.runId ? (
        <>
        <div className="row">
          <span className="badge status-running">{props.paused ? 'paused at a breakpoint' : 'running'}</span>
          <button type="button" className="primary" disabled={!props.paused} onClick={() => props.onDebug('continue')}>
            Continue
          </button>
          <button type="button" disabled={!props.paused} onClick={() => props.onDebug('step')}>
            Step
          </button>
          <button type="button" onClick={props.onCancel}>
            Stop
          </button>
        </div>
        {props.asking && <ChangesQuestion {...props.asking} />}
        {props.paused && props.pausedStep && (
          <p className="small" data-testid="paused-step">
            Next: step {props.pausedStep}. <strong>Step</strong> runs it and pauses again; <strong>Continue</strong> runs on to the next breakpoint.
          </p>
        )}
        {props.browserNote && <p className="muted small" data-testid="browser-note">{props.browserNote}</p>}
        {props.paused && props.variables && <VariablesPanel variables={props.variables} />}
        </>
      ) : (
        <>
          {props.dirty && <p className="muted small">Runs use the saved file: save first to run your changes.</p>}
          <RunForm
            automation={props.summary}
            busy={false}
            onRun={(inputs) => props.onRun(inputs, stepThrough)}
            extra={
              <label className="inline">
                <input type="checkbox" checked={stepThrough} onChange={(e) => setStepThrough(e.target.checked)} /> <span>Step through (pause before the first step; the browser opens in a window)</span>
              </label>
            }
          />
        </>
      )}
      <h3>History</h3>
      <RunList runs={runs} onOpen={setOpen} {...(open ? { selected: open } : {})} />
      {open && <RunDetailView runId={open} />}
    </section>
  );
}
