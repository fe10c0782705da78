// Small pieces shared by the screens: the run form built from declared inputs, status badges.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { AutomationSummary, RunSummary } from '../../engine/transport/messages.js';

export function StatusBadge({ status }: { status: string }): React.JSX.Element {
  return <span className={`badge status-${status}`}>{status.replace('_', ' ')}</span>;
}

/**
 * A text that may run long (a failure reason), clamped to `lines` lines with "Show more". The whole
 * text stays in the page, so a screen reader reads it all; only its height is clamped. The button
 * appears only when the text is cut.
 */
export function ClampedText({ text, lines = 3, className, testId }: { text: string; lines?: number; className?: string; testId?: string }): React.JSX.Element {
  const box = useRef<HTMLParagraphElement>(null);
  const id = useId();
  const [open, setOpen] = useState(false);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (): void => setCut(open || element.scrollHeight > element.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [text, open]);
  return (
    <div className="clamped">
      <p ref={box} id={id} className={`${className ?? ''}${open ? '' : ' clamp'}`} style={{ WebkitLineClamp: lines }} data-testid={testId}>
        {text}
      </p>
      {cut && (
        <button type="button" className="inline-link" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatTime(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** Inputs of an automation as a form; values start at the declared defaults. */
export function RunForm(props: {
  automation: AutomationSummary;
  busy: boolean;
  onRun: (inputs: Record<string, unknown>) => void;
  onCancel?: () => void;
  extra?: React.ReactNode;
  /** Values to start from instead of the defaults (run again with an earlier run's inputs). */
  initial?: Record<string, unknown>;
}): React.JSX.Element {
  const { automation } = props;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      automation.inputs.map((i) => {
        const start = props.initial && Object.hasOwn(props.initial, i.name) ? props.initial[i.name] : i.default;
        return [i.name, start === undefined ? '' : typeof start === 'string' ? start : JSON.stringify(start)];
      }),
    ),
  );
  const submit = (event: React.FormEvent): void => {
    event.preventDefault();
    const inputs: Record<string, unknown> = {};
    for (const input of automation.inputs) {
      const value = values[input.name] ?? '';
      if (value === '' && input.default === undefined && !input.required) continue;
      inputs[input.name] = input.type === 'boolean' ? value === 'true' : value;
    }
    props.onRun(inputs);
  };
  return (
    <form className="run-form" onSubmit={submit} aria-label={`Run ${automation.name}`}>
      {automation.inputs.length === 0 && <p className="muted">This bot takes no inputs.</p>}
      {automation.inputs.map((input) => (
        <label key={input.name}>
          <span>
            {input.name}
            {input.required ? ' *' : ''} <small className="muted">{input.description ?? input.type}</small>
          </span>
          {input.type === 'boolean' ? (
            <select value={values[input.name] ?? ''} onChange={(e) => setValues({ ...values, [input.name]: e.target.value })}>
              <option value="true">yes</option>
              <option value="false">no</option>
            </select>
          ) : (
            <input name={input.name} value={values[input.name] ?? ''} required={input.required} onChange={(e) => setValues({ ...values, [input.name]: e.target.value })} />
          )}
        </label>
      ))}
      {props.extra}
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Run
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Close
          </button>
        )}
      </div>
    </form>
  );
}

export function RunList({ runs, onOpen, selected }: { runs: RunSummary[]; onOpen?: (id: string) => void; selected?: string }): React.JSX.Element {
  if (!runs.length) return <p className="muted">No runs yet.</p>;
  return (
    <ul className="run-list" aria-label="Recent runs">
      {runs.map((run) => (
        <li key={run.id} className={run.id === selected ? 'selected' : undefined}>
          <button type="button" className="link" onClick={() => onOpen?.(run.id)} disabled={!onOpen}>
            <StatusBadge status={run.status} /> <span className="run-name">{run.automationName}</span>
            <span className="muted"> {[formatTime(run.startedAt), formatDuration(run.durationMs)].filter(Boolean).join(' · ')}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
