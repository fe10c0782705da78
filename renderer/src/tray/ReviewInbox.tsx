// Open review tasks: the values a bot wants confirmed; approve, correct or reject. The
// paused run resumes once a task is resolved.
import { useCallback, useEffect, useState } from 'react';
import type { ReviewView } from '../../../engine/transport/messages.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { ReviewDocument } from './ReviewDocument.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

type Decision = 'approved' | 'corrected' | 'rejected';

/** What the person sees once a decision is saved: what was recorded and what the run does next. */
function confirmation(task: ReviewView, decision: Decision, changed: Record<string, string>, reason: string): string {
  const label = (name: string): string => task.fields.find((f) => f.name === name)?.label ?? name;
  const what = decision === 'corrected' ? `Corrections saved (${Object.entries(changed).map(([k, v]) => `${label(k)}: ${v}`).join(', ')})` : decision === 'approved' ? 'Approved' : `Rejected (${reason.trim()})`;
  const next = decision === 'rejected' ? 'the run ends as failed' : 'the run goes on: see Now running';
  return `${what} for "${task.title}" of ${task.automationName}; ${next}.`;
}

function sure(confidence: number | undefined): string | undefined {
  return confidence === undefined ? undefined : `${Math.round(confidence * 100)}% sure`;
}

function ReviewCard({ task, onDone }: { task: ReviewView; onDone: (message: string) => void }): React.JSX.Element {
  const transport = useTransport();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(task.values).map(([k, v]) => [k, text(v)])));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  // The field being checked: first the one with the most problems, then whichever has focus.
  const [active, setActive] = useState<string | undefined>(() => [...task.fields].sort((a, b) => b.problems.length - a.problems.length)[0]?.name);
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
  const doubtful = task.fields.filter((f) => f.problems.length).length;
  return (
    <li className="card review" aria-label={`Review: ${task.title}`}>
      <h3>{task.title}</h3>
      <div className="muted small">
        {task.automationName} · waiting since {new Date(task.createdAt).toLocaleString()}
      </div>
      {task.instructions && !task.fields.some((f) => f.problems.length) && <p>{task.instructions}</p>}
      {doubtful > 0 && <p className="small">{doubtful === 1 ? 'One value needs' : `${doubtful} values need`} your check; the document shows where each was read.</p>}
      <div className="review-body">
        {task.document && <ReviewDocument reviewId={task.id} document={task.document} fields={task.fields} active={active} />}
        <div className="review-fields">
          {task.problems.length > 0 && (
            <ul className="problems" aria-label="Problems with the document">
              {task.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {task.fields.map((field) => {
            const problemsId = `${task.id}-${field.name}-problems`;
            return (
              <div key={field.name} className={`review-field${field.problems.length ? ' doubtful' : ''}${active === field.name ? ' active' : ''}`}>
                <label>
                  <span>{field.label}</span>
                  <input value={values[field.name] ?? ''} onFocus={() => setActive(field.name)} onChange={(e) => setValues({ ...values, [field.name]: e.target.value })} aria-invalid={field.problems.length > 0 && values[field.name] === text(task.values[field.name])} {...(field.problems.length ? { 'aria-describedby': problemsId } : {})} />
                </label>
                {field.problems.length === 0 && sure(field.confidence) && <div className="muted small">The reader is {sure(field.confidence)}.</div>}
                {field.problems.length > 0 && (
                  <ul id={problemsId} className="field-problems small" aria-label={`Problems with ${field.label}`}>
                    {field.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
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
        </div>
      </div>
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
