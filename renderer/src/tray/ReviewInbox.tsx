// Open review tasks: the values a bot wants confirmed; approve, correct or reject. The
// paused run resumes once a task is resolved.
import { useCallback, useEffect, useState } from 'react';
import type { ReviewView } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ReviewCard({ task, onDone }: { task: ReviewView; onDone: () => void }): React.JSX.Element {
  const transport = useTransport();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(task.values).map(([k, v]) => [k, text(v)])));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== text(task.values[k])));
  const resolve = async (decision: 'approved' | 'corrected' | 'rejected'): Promise<void> => {
    setError(undefined);
    try {
      await transport.call('reviews.resolve', { reviewId: task.id, decision, ...(decision === 'corrected' ? { values: changed } : {}), ...(decision === 'rejected' ? { comment: reason } : {}) });
      onDone();
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
  const refresh = useCallback(() => void transport.call('reviews.list', {}).then(setTasks, (e: unknown) => setError(errorText(e))), [transport]);
  useEffect(refresh, [refresh]);
  usePushed((message) => {
    if (message.type === 'reviews.changed') refresh();
  });
  if (error) return <p className="muted">{error}</p>;
  if (!tasks.length) return <p className="muted">No reviews are waiting.</p>;
  return (
    <ul className="reviews">
      {tasks.map((task) => (
        <ReviewCard key={task.id} task={task} onDone={refresh} />
      ))}
    </ul>
  );
}
