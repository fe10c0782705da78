// The editor of one automation: steps (virtualized list + inspector), palette, inputs,
// validation issues inline, save (versioned) with diffs, and runs with live highlighting,
// breakpoints and step-through.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AutomationDetail, DebugVariables, ValidationIssue } from '../../../engine/transport/messages.js';
import { ApiError } from '../api/transport.js';
import { errorText, usePushed, useTransport } from '../api/context.js';
import { RunPanel } from './RunPanel.js';
import { StepInspector } from './StepInspector.js';
import { StepList } from './StepList.js';
import { InputsEditor } from './InputsEditor.js';
import { VersionsPanel } from './VersionsPanel.js';
import { PALETTE, describeStep, move, skeleton, stepIndexOf, type AutomationDoc, type StepDoc } from './steps.js';

/** `onLoaded` runs each time the file is read (on opening, after a save), so the automation list's counts match what the file now holds. */
export function Editor({ id, onLoaded }: { id: string; onLoaded: () => void }): React.JSX.Element {
  const transport = useTransport();
  const [detail, setDetail] = useState<AutomationDetail | undefined>();
  const [doc, setDoc] = useState<AutomationDoc | undefined>();
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const [selected, setSelected] = useState<number | undefined>(0);
  // Breakpoints belong to steps, not positions: each step has a key that follows it through
  // deletes, inserts, moves and edits; paths ("5") are worked out from the keys when needed.
  const [stepKeys, setStepKeys] = useState<string[]>([]);
  const [breakpointKeys, setBreakpointKeys] = useState<Set<string>>(new Set());
  const nextKey = useRef(0);
  // The latest onLoaded, read by load() without making it a dependency (a new callback must not reload the file).
  const onLoadedRef = useRef(onLoaded);
  useEffect(() => {
    onLoadedRef.current = onLoaded;
  }, [onLoaded]);
  const newKey = (): string => `s${nextKey.current++}`;
  const [runId, setRunId] = useState<string | undefined>();
  const [status, setStatus] = useState<Map<number, string>>(new Map());
  const [pausedAt, setPausedAt] = useState<number | undefined>();
  // The paused run's inputs and variables, and whether its browser is visible (or why not).
  const [variables, setVariables] = useState<DebugVariables | undefined>();
  const [browserNote, setBrowserNote] = useState<string | undefined>();
  // The automation the run has (as JSON text): the saved one it started with, or the last
  // revision it took. When the editor shows something else, Step and Continue ask first.
  const [runHolds, setRunHolds] = useState<string | undefined>();
  const [asking, setAsking] = useState<'continue' | 'step' | undefined>();
  // What the last action said: a success is a status line, a failure an alert (never green).
  const [note, setNote] = useState<{ text: string; failed: boolean; missingSecrets?: string[] } | undefined>();
  const setMessage = (text: string | undefined): void => setNote(text === undefined ? undefined : { text, failed: false });
  const setFailure = (error: unknown): void => {
    const missing = error instanceof ApiError && error.name === 'MissingSecretError' && Array.isArray(error.details?.['missing']) ? (error.details['missing'] as string[]) : undefined;
    const text = errorText(error);
    setNote(text === undefined ? undefined : { text, failed: true, ...(missing?.length ? { missingSecrets: missing } : {}) });
  };
  const [palette, setPalette] = useState(PALETTE[0]!);
  const validateTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(async () => {
    const d = await transport.call('automations.get', { id });
    setDetail(d);
    const loaded = d.doc as AutomationDoc;
    const count = Array.isArray(loaded.steps) ? loaded.steps.length : 0;
    // A reload after saving holds the same steps in the same order: they keep their keys.
    setStepKeys((keys) => (keys.length === count ? keys : Array.from({ length: count }, () => `s${nextKey.current++}`)));
    setDoc(loaded);
    setIssues(d.issues);
    setDirty(false);
    onLoadedRef.current();
  }, [transport, id]);
  useEffect(() => {
    setSelected(0);
    setStatus(new Map());
    setRunId(undefined);
    setStepKeys([]);
    setBreakpointKeys(new Set());
    load().catch(setFailure);
  }, [load]);

  const edit = (next: AutomationDoc): void => {
    setDoc(next);
    setDirty(true);
    clearTimeout(validateTimer.current);
    validateTimer.current = setTimeout(() => {
      transport.call('automations.validate', { id, doc: next }).then((r) => setIssues(r.issues), setFailure);
    }, 400);
  };
  const setSteps = (next: StepDoc[]): void => {
    const before = Array.isArray(doc!.steps) ? doc!.steps : [];
    const keyOf = new Map(before.map((step, i) => [step, stepKeys[i]!]));
    const kept = new Set(next.filter((step) => keyOf.has(step)));
    // A step found in the old list keeps its key; an edited step (a new object where the old
    // one is gone, list length unchanged) keeps the key of the step it replaces.
    const keys = next.map((step, i) => keyOf.get(step) ?? (next.length === before.length && before[i] && !kept.has(before[i]) ? stepKeys[i]! : newKey()));
    setStepKeys(keys);
    const alive = new Set(keys);
    const breakpointsNow = new Set([...breakpointKeys].filter((k) => alive.has(k)));
    setBreakpointKeys(breakpointsNow);
    if (runId) void transport.call('runs.debug', { runId, breakpoints: pathsOf(breakpointsNow, keys) }).catch(() => undefined);
    edit({ ...doc!, steps: next });
  };
  const pathsOf = (keys: ReadonlySet<string>, order: string[]): string[] => order.flatMap((key, i) => (keys.has(key) ? [String(i + 1)] : []));
  const breakpoints = new Set(pathsOf(breakpointKeys, stepKeys));

  const issuesByStep = useMemo(() => {
    const map = new Map<number, number>();
    for (const issue of issues) {
      const index = stepIndexOf(issue.path);
      if (index !== undefined) map.set(index, (map.get(index) ?? 0) + 1);
    }
    return map;
  }, [issues]);

  // A fast run can pause at an early breakpoint before runs.start has answered with its id:
  // pauses of runs not known yet are kept here until it has.
  const earlyPauses = useRef(new Map<string, string>());
  // The run being shown, as of now: a push can arrive after runs.start answered but before the
  // component re-rendered with the new id, when the `runId` of the render is still the old one.
  const currentRun = useRef<string | undefined>(undefined);
  const pausedIndex = (path: string): number => Number(path.split(/[.>[]/)[0]) - 1;
  usePushed((pushed) => {
    const shown = currentRun.current;
    if (pushed.type === 'debug.paused' && pushed.runId !== shown) earlyPauses.current.set(pushed.runId, pushed.path);
    if (pushed.type === 'debug.resumed') earlyPauses.current.delete(pushed.runId);
    if (pushed.type === 'debug.paused' && pushed.runId === shown) {
      setPausedAt(pausedIndex(pushed.path));
      setVariables(pushed.variables);
      // The step about to run is the one shown: its locators can be tested right away.
      setSelected(pausedIndex(pushed.path));
    }
    if (pushed.type === 'debug.resumed' && pushed.runId === shown) {
      setPausedAt(undefined);
      setVariables(undefined);
      setAsking(undefined);
    }
    if (pushed.type !== 'run.event' || pushed.event.runId !== shown) return;
    const event = pushed.event;
    const index = 'topIndex' in event ? event.topIndex - 1 : 'path' in event && event.path ? Number(event.path.split(/[.>[]/)[0]) - 1 : undefined;
    if (event.type === 'step.started' && index !== undefined) setStatus((s) => new Map(s).set(index, 'running'));
    if (event.type === 'step.succeeded' && !event.path.includes('.') && !event.path.includes('>') && index !== undefined) setStatus((s) => new Map(s).set(index, 'passed'));
    if (event.type === 'step.failed' && !event.willRetry && index !== undefined) setStatus((s) => new Map(s).set(index, 'failed'));
    if (event.type === 'run.finished') {
      currentRun.current = undefined;
      setPausedAt(undefined);
      setVariables(undefined);
      setRunId(undefined);
      setRunHolds(undefined);
      setAsking(undefined);
    }
  });

  const [comment, setComment] = useState('');
  /** Saves the document as a new version; false (with the problems shown) when it could not. */
  const save = async (): Promise<boolean> => {
    setMessage(undefined);
    try {
      const { version } = await transport.call('automations.save', { id, doc, ...(comment.trim() ? { note: comment.trim() } : {}) });
      setComment('');
      // The message comes with the reloaded versions list, which then holds the new version.
      await load();
      setMessage(`Saved as version ${version.version}.`);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) setIssues(e.issues);
      setFailure(e);
      return false;
    }
  };

  // Step and Continue never run something other than what the builder sees without saying so:
  // with edits the run does not have, they ask whether to save and hand them over, or go on
  // with the run's own version.
  const differs = runId !== undefined && runHolds !== undefined && JSON.stringify(doc) !== runHolds;
  const debugAction = (action: 'continue' | 'step'): void => {
    if (!runId) return;
    if (differs) {
      setAsking(action);
      return;
    }
    void transport.call('runs.debug', { runId, action }).catch(setFailure);
  };
  /**
   * Hands the editor's document to the paused run from the step it waits at. `saving`: saved
   * first as a new version; else handed over as it is, the file untouched and the editor still
   * holding the changes unsaved (the run's audit trail names it an unsaved revision, by hash).
   */
  const goOnWithChanges = async (action: 'continue' | 'step', saving: boolean): Promise<void> => {
    if (!runId || !doc) return;
    const handed = doc;
    const saved = saving && dirty;
    if (saved && !(await save())) return;
    try {
      const state = await transport.call('runs.debug', { runId, action, doc: handed });
      setRunHolds(JSON.stringify(handed));
      setAsking(undefined);
      if (state.revision) {
        const taken = `run goes on with ${state.revision.describe} (sha256 ${state.revision.sha256.slice(0, 12)}…), recorded in its audit trail`;
        setMessage(saved ? `Saved; the ${taken}.` : dirty ? `The ${taken}. Your changes are still not saved here.` : `The ${taken}.`);
      }
    } catch (e) {
      setAsking(undefined);
      setFailure(e);
    }
  };
  const goOnAsItIs = (action: 'continue' | 'step'): void => {
    if (!runId) return;
    setAsking(undefined);
    transport.call('runs.debug', { runId, action }).then(() => setMessage('The run goes on with its own version: your changes are not part of it.'), setFailure);
  };

  const toggleBreakpoint = (path: string): void => {
    const key = stepKeys[Number(path) - 1];
    if (key === undefined) return;
    const next = new Set(breakpointKeys);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setBreakpointKeys(next);
    if (runId) void transport.call('runs.debug', { runId, breakpoints: pathsOf(next, stepKeys) }).catch(() => undefined);
  };

  const startRun = async (inputs: Record<string, unknown>, stepThrough: boolean): Promise<void> => {
    setMessage(undefined);
    setStatus(new Map());
    try {
      // Debugging (breakpoints or stepping) shows the browser, so the builder can watch each step.
      const debugging = stepThrough || breakpoints.size > 0;
      const started = await transport.call('runs.start', { id, inputs, breakpoints: [...breakpoints], stepThrough, headed: debugging });
      currentRun.current = started.runId;
      setRunId(started.runId);
      // Runs start from the saved file, which is what `detail` holds.
      setRunHolds(JSON.stringify(detail?.doc));
      setBrowserNote(debugging ? (started.note ?? (started.headed ? 'The browser is open in its own window: watch each step there.' : undefined)) : undefined);
      const early = earlyPauses.current.get(started.runId);
      earlyPauses.current.clear();
      if (early !== undefined) {
        setPausedAt(pausedIndex(early));
        setSelected(pausedIndex(early));
        void transport.call('runs.debug', { runId: started.runId }).then((state) => setVariables(state.variables), () => undefined);
      }
    } catch (e) {
      setFailure(e);
    }
  };

  if (!doc || !detail) return <section className="editor">{note ? <p role="alert" className="error">{note.text}</p> : <p className="muted">Loading…</p>}</section>;
  const steps = Array.isArray(doc.steps) ? doc.steps : [];
  const step = selected !== undefined ? steps[selected] : undefined;
  const docIssues = issues.filter((i) => stepIndexOf(i.path) === undefined);
  return (
    <section className="editor" aria-label={`Editing ${detail.summary.name}`}>
      <div className="editor-head row spread">
        <div>
          <h2>{typeof doc.name === 'string' ? doc.name : id}</h2>
          <div className="muted small">
            {id} · {steps.length} {steps.length === 1 ? 'step' : 'steps'} · {issues.length ? <span className="error">{issues.length} {issues.length === 1 ? 'problem' : 'problems'}</span> : 'valid'}
            {dirty ? ' · unsaved changes' : ''}
          </div>
        </div>
        <div className="row tight">
          <input aria-label="Version comment" placeholder="comment for this version" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} disabled={!dirty} />
          <button type="button" className="primary" onClick={() => void save()} disabled={!dirty}>
            Save
          </button>
        </div>
      </div>
      {note && !note.failed && (
        <p role="status" className="message">
          {note.text}
        </p>
      )}
      {note?.failed && !note.missingSecrets && (
        <p role="alert" className="error">
          {note.text}
        </p>
      )}
      {note?.missingSecrets && (
        <div role="alert" className="error" data-testid="missing-secret">
          {note.missingSecrets.map((name) => (
            <p key={name}>
              This automation needs the secret <code>{name}</code>, which is not stored on this machine.{' '}
              <a href={`#/settings?secret=${encodeURIComponent(name)}`}>Store it in Settings → Secrets</a>, then run again.
            </p>
          ))}
        </div>
      )}
      {docIssues.length > 0 && (
        <ul className="issues" aria-label="Problems">
          {docIssues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
      <div className="editor-body">
        <div className="steps-col">
          <StepList
            steps={steps}
            selected={selected}
            onSelect={setSelected}
            onMove={(from, to) => {
              setSteps(move(steps, from, to));
              setSelected(Math.max(0, Math.min(steps.length - 1, to)));
            }}
            breakpoints={breakpoints}
            onToggleBreakpoint={toggleBreakpoint}
            status={status}
            pausedAt={pausedAt}
            issuesByStep={issuesByStep}
          />
          <form
            className="row palette"
            onSubmit={(e) => {
              e.preventDefault();
              const at = selected === undefined ? steps.length : selected + 1;
              setSteps([...steps.slice(0, at), skeleton(palette), ...steps.slice(at)]);
              setSelected(at);
            }}
          >
            <label className="inline">
              <span>Add step</span>
              <select value={palette} onChange={(e) => setPalette(e.target.value)}>
                {PALETTE.map((kind) => (
                  <option key={kind}>{kind}</option>
                ))}
              </select>
            </label>
            <button type="submit">Add</button>
          </form>
        </div>
        <div className="side-col">
          {step && selected !== undefined ? (
            <StepInspector
              key={selected}
              step={step}
              index={selected}
              issues={issues.filter((i) => stepIndexOf(i.path) === selected).map((i) => `${i.path}: ${i.message}`)}
              onChange={(next) => setSteps(steps.map((s, i) => (i === selected ? next : s)))}
              {...(runId && pausedAt !== undefined ? { live: { runId, pausedHere: pausedAt === selected, stale: differs } } : {})}
              onRemove={() => {
                setSteps(steps.filter((_, i) => i !== selected));
                setSelected(steps.length > 1 ? Math.min(selected, steps.length - 2) : undefined);
              }}
              onMove={(to) => {
                if (to < 0 || to >= steps.length) return;
                setSteps(move(steps, selected, to));
                setSelected(to);
              }}
            />
          ) : (
            <p className="muted">Select a step.</p>
          )}
          <RunPanel
            summary={detail.summary}
            runId={runId}
            paused={pausedAt !== undefined}
            {...(pausedAt !== undefined ? { pausedStep: `${pausedAt + 1} · ${steps[pausedAt] ? describeStep(steps[pausedAt]) : ''}` } : {})}
            {...(variables ? { variables } : {})}
            {...(browserNote && runId ? { browserNote } : {})}
            dirty={dirty}
            onRun={(inputs, stepThrough) => void startRun(inputs, stepThrough)}
            onDebug={debugAction}
            {...(asking && pausedAt !== undefined ? { asking: { action: asking, dirty, onChanges: () => void goOnWithChanges(asking, true), onUnsaved: () => void goOnWithChanges(asking, false), onAsItIs: () => goOnAsItIs(asking), onCancel: () => setAsking(undefined) } } : {})}
            onCancel={() => runId && void transport.call('runs.cancel', { runId }).catch(setFailure)}
          />
          <InputsEditor inputs={doc.inputs ?? []} onChange={(inputs) => edit({ ...doc, inputs })} />
          <VersionsPanel id={id} versions={detail.versions} />
        </div>
      </div>
    </section>
  );
}
