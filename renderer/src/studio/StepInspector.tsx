// Edits one step: its fields (text as text, anything else as JSON), and its target's
// locator candidates (edit, re-rank, add, remove). Changes go to the editor at once.
import { useEffect, useState } from 'react';
import type { LocatorTestView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { move, type StepDoc } from './steps.js';

/** A run paused in the debugger, whose page locators can be tried on. */
export interface LiveRun {
  runId: string;
  /** The run is paused before this very step (its page is the one the step will act on). */
  pausedHere: boolean;
  /**
   * The editor holds changes the paused run does not have: the candidates tested are the ones
   * shown, but the run acts with its own until it takes the changes (Save and step / continue).
   */
  stale: boolean;
}

/** One line on what a candidate found: the count, the first element, and whether a step would use it. */
function verdict(result: LocatorTestView['candidates'][number], wouldUse: boolean): string {
  if (result.error) return `could not be tried: ${result.error}`;
  if (result.count === 0) return 'finds nothing on the page';
  const first = result.elements[0];
  const what = first ? `<${first.tag}>${first.text ? ` "${first.text}"` : ''}` : '';
  const hidden = result.visible < result.count ? ` (${result.count - result.visible} hidden)` : '';
  if (result.count === 1) return `finds 1 element ${what}${hidden}${wouldUse ? ' — the step would use this one' : ''}`;
  return `finds ${result.count} elements${hidden}, first ${what} — ambiguous: the step skips it`;
}

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

function Candidates({ target, onChange, live }: { target: Record<string, unknown>; onChange: (target: Record<string, unknown>) => void; live?: LiveRun | undefined }): React.JSX.Element {
  const transport = useTransport();
  const candidates = (Array.isArray(target.candidates) ? target.candidates : []) as unknown[];
  const set = (next: unknown[]): void => {
    setTested(undefined);
    onChange({ ...target, candidates: next });
  };
  const [tested, setTested] = useState<LocatorTestView | undefined>();
  const [testError, setTestError] = useState<string | undefined>();
  const [testing, setTesting] = useState(false);
  const test = async (highlight?: number): Promise<void> => {
    if (!live) return;
    setTesting(true);
    setTestError(undefined);
    try {
      setTested(await transport.call('runs.testLocator', { runId: live.runId, target: target as never, ...(highlight !== undefined ? { highlight } : {}) }));
    } catch (e) {
      setTested(undefined);
      setTestError(errorText(e));
    } finally {
      setTesting(false);
    }
  };
  return (
    <fieldset className="candidates">
      <legend>Target</legend>
      {live ? (
        <div className="row tight">
          <button type="button" onClick={() => void test()} disabled={testing}>
            Test on the live page
          </button>
          <span className="muted small">{live.pausedHere ? 'the run is paused before this step' : 'the run is paused at another step: the page may not be the one this step sees'}</span>
        </div>
      ) : (
        <p className="muted small">To test these locators on the live page, set a breakpoint on this step and run: the run pauses here with its browser open.</p>
      )}
      {live?.stale && (
        <p className="small note" data-testid="locator-stale">
          You are testing the candidates shown here, which the paused run does not have yet: it acts with its own version of this step until you <strong>Save and step</strong> (or continue).
        </p>
      )}
      {testError && (
        <p role="alert" className="error small">
          {testError}
        </p>
      )}
      {tested && (
        <p role="status" className="small" data-testid="locator-test">
          On <code>{tested.title || tested.url}</code>: {tested.wouldUse === undefined ? `no candidate finds exactly one element, so ${live?.stale ? 'with these candidates ' : ''}the step would fail (or heal from its fingerprint).` : `${live?.stale ? 'with these candidates, ' : ''}the step would use candidate ${tested.wouldUse + 1}.`}
          {live?.stale ? ' The paused run has not taken your changes yet.' : ''}
          {tested.highlighted !== undefined ? ` Candidate ${tested.highlighted + 1}'s elements are outlined in the browser.` : ''}
        </p>
      )}
      <label>
        <span>description</span>
        <input value={typeof target.description === 'string' ? target.description : ''} onChange={(e) => onChange({ ...target, description: e.target.value })} />
      </label>
      <ol>
        {candidates.map((candidate, i) => (
          <li key={i}>
            <JsonField label={`candidate ${i + 1}${i === 0 ? ' (tried first)' : ''}`} value={candidate} onChange={(value) => set(candidates.map((c, j) => (j === i ? value : c)))} />
            {tested?.candidates[i] && (
              <p className={`small locator-verdict ${tested.candidates[i].count === 1 ? 'good' : 'bad'}`} data-testid={`verdict-${i + 1}`}>
                {verdict(tested.candidates[i], tested.wouldUse === i)}
              </p>
            )}
            <div className="row tight">
              {live && (
                <button type="button" aria-label={`Test candidate ${i + 1} and outline what it finds`} disabled={testing} onClick={() => void test(i)}>
                  Test
                </button>
              )}
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

export function StepInspector(props: { step: StepDoc; index: number; issues: string[]; onChange: (step: StepDoc) => void; onRemove: () => void; onMove: (to: number) => void; live?: LiveRun }): React.JSX.Element {
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
          <button type="button" onClick={() => props.onMove(props.index - 1)}>
            Move up
          </button>
          <button type="button" onClick={() => props.onMove(props.index + 1)}>
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
      {step.target !== undefined && <Candidates target={step.target as Record<string, unknown>} onChange={(target) => props.onChange({ ...step, target })} live={props.live} />}
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
