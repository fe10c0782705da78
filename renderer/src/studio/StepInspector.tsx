// Edits one step: its fields (text as text, anything else as JSON), and its target's
// locator candidates (edit, re-rank, add, remove). Changes go to the editor at once.
import { useEffect, useState } from 'react';
import { move, type StepDoc } from './steps.js';

const NESTED = new Set(['then', 'else', 'steps', 'catch', 'finally']);

function JsonField({ label, value, onChange }: { label: string; value: unknown; onChange: (value: unknown) => void }): React.JSX.Element {
  const [text, setText] = useState(() => JSON.stringify(value));
  const [bad, setBad] = useState(false);
  useEffect(() => setText(JSON.stringify(value)), [value]);
  return (
    <label>
      <span>{label}</span>
      <input
        className={bad ? 'invalid' : undefined}
        aria-invalid={bad}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          try {
            onChange(JSON.parse(text));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
    </label>
  );
}

function Candidates({ target, onChange }: { target: Record<string, unknown>; onChange: (target: Record<string, unknown>) => void }): React.JSX.Element {
  const candidates = (Array.isArray(target.candidates) ? target.candidates : []) as unknown[];
  const set = (next: unknown[]): void => onChange({ ...target, candidates: next });
  return (
    <fieldset className="candidates">
      <legend>Target</legend>
      <label>
        <span>description</span>
        <input value={typeof target.description === 'string' ? target.description : ''} onChange={(e) => onChange({ ...target, description: e.target.value })} />
      </label>
      <ol>
        {candidates.map((candidate, i) => (
          <li key={i}>
            <JsonField label={`candidate ${i + 1}${i === 0 ? ' (tried first)' : ''}`} value={candidate} onChange={(value) => set(candidates.map((c, j) => (j === i ? value : c)))} />
            <div className="row tight">
              <button type="button" aria-label={`Rank candidate ${i + 1} higher`} disabled={i === 0} onClick={() => set(move(candidates, i, i - 1))}>
                ↑
              </button>
              <button type="button" aria-label={`Rank candidate ${i + 1} lower`} disabled={i === candidates.length - 1} onClick={() => set(move(candidates, i, i + 1))}>
                ↓
              </button>
              <button type="button" aria-label={`Remove candidate ${i + 1}`} onClick={() => set(candidates.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => set([...candidates, { css: '' }])}>
        Add candidate
      </button>
    </fieldset>
  );
}

export function StepInspector(props: { step: StepDoc; index: number; issues: string[]; onChange: (step: StepDoc) => void; onRemove: () => void; onMove: (to: number) => void }): React.JSX.Element {
  const { step } = props;
  const [newField, setNewField] = useState('');
  const entries = Object.entries(step).filter(([key]) => key !== 'kind' && key !== 'target');
  return (
    <section className="inspector" aria-label={`Step ${props.index + 1}`}>
      <div className="row spread">
        <h3>
          Step {props.index + 1} <code>{step.kind}</code>
        </h3>
        <div className="row tight">
          <button type="button" onClick={() => props.onMove(props.index - 1)} aria-label="Move step up">
            Move up
          </button>
          <button type="button" onClick={() => props.onMove(props.index + 1)} aria-label="Move step down">
            Move down
          </button>
          <button type="button" className="danger" onClick={props.onRemove}>
            Delete
          </button>
        </div>
      </div>
      {props.issues.length > 0 && (
        <ul className="issues" aria-label="Problems in this step">
          {props.issues.map((issue, i) => (
            <li key={i}>{issue}</li>
          ))}
        </ul>
      )}
      {entries.map(([key, value]) =>
        NESTED.has(key) ? (
          <p key={key} className="muted small">
            {key}: {Array.isArray(value) ? value.length : 0} nested step(s) (edit in the JSON of the file)
          </p>
        ) : typeof value === 'string' ? (
          <label key={key}>
            <span>{key}</span>
            <input name={key} value={value} onChange={(e) => props.onChange({ ...step, [key]: e.target.value })} />
          </label>
        ) : (
          <JsonField key={key} label={key} value={value} onChange={(v) => props.onChange({ ...step, [key]: v })} />
        ),
      )}
      {step.target !== undefined && <Candidates target={step.target as Record<string, unknown>} onChange={(target) => props.onChange({ ...step, target })} />}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (newField && !(newField in step)) props.onChange({ ...step, [newField]: '' });
          setNewField('');
        }}
      >
        <input aria-label="New field name" placeholder="add a field, e.g. timeoutMs" value={newField} onChange={(e) => setNewField(e.target.value)} />
        <button type="submit">Add field</button>
      </form>
    </section>
  );
}
