// What a finished run left for the person who started it: its outputs, the files it wrote,
// why it failed (with the page as it was), and "Run again" with the same inputs.
import { useEffect, useRef, useState } from 'react';
import type { RunDetail } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { StatusBadge, formatDuration, formatTime } from '../components.js';
import { scrollBelowPinned } from './scroll-below-pinned.js';
import { staffReason } from '../../../engine/transport/without-paths.js';
import { stepName, withStepNames } from '../../../audit/step-name.js';

function shown(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** `runAgain` says how to run the run's automation again, when it can be run from here. */
export function RunResult({ runId, onClose, runAgain }: { runId: string; onClose: () => void; runAgain: (automationId: string) => ((inputs: Record<string, unknown>) => void) | undefined }): React.JSX.Element {
  const transport = useTransport();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    scrollBelowPinned(box.current);
  }, [runId]);
  const [run, setRun] = useState<RunDetail | undefined>();
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    const made: string[] = [];
    setRun(undefined);
    setUrls({});
    transport.call('runs.get', { runId }).then(
      async (detail) => {
        if (cancelled) return;
        setRun(detail);
        const found: Record<string, string> = {};
        for (const artifact of detail.artifacts) {
          try {
            const url = await transport.artifactUrl(runId, artifact.name);
            made.push(url);
            found[artifact.name] = url;
          } catch {
            // Gone from disk: listed without a link.
          }
        }
        if (!cancelled) setUrls(found);
      },
      (e: unknown) => !cancelled && setError(errorText(e)),
    );
    return () => {
      cancelled = true;
      for (const url of made) if (url.startsWith('blob:')) URL.revokeObjectURL(url);
    };
  }, [transport, runId]);

  const title = run ? `Result: ${run.automationName}` : 'Result';
  return (
    <div ref={box} className="card run-result" role="dialog" aria-label={title} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="row spread">
        <h3>{title}</h3>
        <button type="button" onClick={onClose} aria-label="Close the result">
          Close
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {!run && !error && <p className="muted">Loading…</p>}
      {run && <Body run={run} urls={urls} onRunAgain={runAgain(run.automationId)} />}
    </div>
  );
}

function Body({ run, urls, onRunAgain }: { run: RunDetail; urls: Record<string, string>; onRunAgain: ((inputs: Record<string, unknown>) => void) | undefined }): React.JSX.Element {
  const failedStep = [...run.steps].reverse().find((s) => s.status === 'failed');
  const failure = run.artifacts.find((a) => a.kind === 'screenshot' && a.name.endsWith('failure.png'));
  const outputs = Object.entries(run.outputs);
  const files = run.artifacts.filter((a) => a !== failure);
  const ended = run.status !== 'running' && run.status !== 'paused';
  // Of the bot's own (top-level) steps: steps inside a step, and retried attempts, are not counted again.
  const topPassed = new Set(run.steps.filter((s) => s.status === 'passed' && /^\d+$/.test(s.path)).map((s) => s.path)).size;
  return (
    <>
      <div className="row">
        <StatusBadge status={run.status} />
        <span className="muted small">
          {formatTime(run.startedAt)}
          {run.durationMs !== undefined ? ` · took ${formatDuration(run.durationMs)}` : ''} · {topPassed} of {run.totalSteps} steps passed
        </span>
      </div>
      {run.status === 'paused' && <p className="muted">It waits for a review: see the review inbox.</p>}
      {run.error && (
        <div className="failure" data-testid="run-failure">
          <strong>Why it {run.status === 'cancelled' ? 'stopped' : run.status === 'timed_out' ? 'timed out' : 'failed'}:</strong>{' '}
          {failedStep ? `${stepName(failedStep)}: ` : ''}
          {withStepNames(staffReason(run.error.message))}
        </div>
      )}
      {failure && urls[failure.name] && <img className="screenshot" src={urls[failure.name]} alt={`The screen when ${failedStep ? stepName(failedStep) : 'the run'} failed`} />}
      <h4>Outputs</h4>
      {outputs.length ? (
        <dl className="outputs-list" aria-label="Outputs">
          {outputs.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{shown(value)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted small">{ended ? 'This run gave no outputs.' : 'Outputs come when the run ends.'}</p>
      )}
      <h4>Files</h4>
      {files.length ? (
        <ul className="artifact-list" aria-label="Files">
          {files.map((a) => (
            <li key={a.seq}>
              {urls[a.name] ? (
                <a href={urls[a.name]} download={a.name}>
                  {a.name}
                </a>
              ) : (
                <span>{a.name} (gone from disk)</span>
              )}{' '}
              <span className="muted small">
                {a.kind} · {bytes(a.bytes)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No files.</p>
      )}
      <div className="row">
        {onRunAgain && ended && (
          <button type="button" className="primary" onClick={() => onRunAgain(run.inputs)}>
            Run again
          </button>
        )}
      </div>
    </>
  );
}
