// Open review tasks: the values a bot wants confirmed; approve, correct or reject. The
// paused run resumes once a task is resolved.
import { useCallback, useEffect, useState } from 'react';
import type { ReviewView } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type Decision = 'approved' | 'corrected' | 'rejected';

/** What the person sees once a decision is saved: what was recorded and what the run does next. */
function confirmation(task: ReviewView, decision: Decision, changed: Record<string, string>, reason: string): string {
  const what = decision === 'corrected' ? `Corrections saved (${Object.entries(changed).map(([k, v]) => `${k}: ${v}`).join(', ')})` : decision === 'approved' ? 'Approved' : `Rejected (${reason.trim()})`;
  const next = decision === 'rejected' ? 'the run ends as failed' : 'the run goes on: see Now running';
  return `${what} for "${task.title}" of ${task.automationName}; ${next}.`;
}

function ReviewCard({ task, onDone }: { task: ReviewView; onDone: (message: string) => void }): React.JSX.Element {
  const transport = useTransport();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(task.values).map(([k, v]) => [k, text(v)])));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== text(task.values[k])));
  const resolve = async (decision: Decision): Promise<void> => {
    setError(undefined);
    try {
      await transport.call('reviews.resolve', { reviewId: task.id, decision, ...(decision === 'corrected' ? { values: changed } : {}), ...(decision === 'rejected' ? { comment: reason } : {}) });
      onDone(confirmation(task, decision, changed, reason));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <li className="card review" aria-label={`Review: ${task.title}`}>
      <h3>{task.title}</h3>
      <div className="muted small">
        {task.automationName} · step {task.stepPath}
      </div>
      {task.instructions && <p>{task.instructions}</p>}
      {Object.keys(values).map((name) => (
        <label key={name}>
          <span>{name}</span>
          <input value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
        </label>
      ))}
      <label>
        <span>Reason (to reject)</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        {Object.keys(changed).length ? (
          <button type="button" className="primary" onClick={() => void resolve('corrected')}>
            Save corrections
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void resolve('approved')}>
            Approve
          </button>
        )}
        <button type="button" onClick={() => void resolve('rejected')} disabled={!reason.trim()}>
          Reject
        </button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
    </li>
  );
}

export function ReviewInbox(): React.JSX.Element {
  const transport = useTransport();
  const [tasks, setTasks] = useState<ReviewView[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const refresh = useCallback(() => void transport.call('reviews.list', {}).then(setTasks, (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(refresh, [refresh]);
  usePushed((message) => {
    if (message.type === 'reviews.changed') refresh();
  });
  const saved = done && (
    <p role="status" className="message" data-testid="review-saved">
      {done}{' '}
      <button type="button" className="inline-link" onClick={() => setDone(undefined)} aria-label="Dismiss">
        ✕
      </button>
    </p>
  );
  if (error) return <p className="muted">{error}</p>;
  return (
    <>
      {saved}
      {tasks.length ? (
        <ul className="reviews">
          {tasks.map((task) => (
            <ReviewCard
              key={task.id}
              task={task}
              onDone={(message) => {
                setDone(message);
                refresh();
              }}
            />
          ))}
        </ul>
      ) : (
        <p className="muted">No reviews are waiting.</p>
      )}
    </>
  );
}
