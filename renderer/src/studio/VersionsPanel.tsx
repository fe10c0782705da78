// Saved versions of the automation with their comments, and what changed between two of them:
// steps added, removed, moved or edited (field by field), then the JSON lines for those who
// want them.
import { useState } from 'react';
import type { AutomationVersion, DiffHunk, StepDiffView } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { formatTime } from '../components.js';

const brief = (value: unknown): string => {
  if (value === undefined) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

const CHANGE_WORDS: Record<StepDiffView['changes'][number]['change'], string> = { added: 'added', removed: 'removed', changed: 'edited', moved: 'moved' };

function StepChanges({ diff }: { diff: StepDiffView }): React.JSX.Element {
  if (!diff.changes.length && !diff.document.length) return <p className="muted small">No differences.</p>;
  return (
    <div className="step-diff" data-testid="step-diff">
      {diff.document.length > 0 && (
        <ul className="small" aria-label="Changed outside the steps">
          {diff.document.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {brief(f.before)} → {brief(f.after)}
            </li>
          ))}
        </ul>
      )}
      <ol className="changes" aria-label="Changed steps">
        {diff.changes.map((c, i) => (
          <li key={i} className={`change ${c.change}`} data-change={c.change}>
            <span className={`badge change-${c.change}`}>{CHANGE_WORDS[c.change]}</span>{' '}
            <span>
              step {c.change === 'removed' ? c.from : c.to}
              {c.change === 'moved' ? ` (was ${c.from})` : c.change === 'changed' && c.from !== c.to ? ` (was ${c.from})` : ''}: <code>{c.kind}</code> {c.label}
            </span>
            {c.fields && c.fields.length > 0 && (
              <ul className="small">
                {c.fields.map((f) => (
                  <li key={f.field}>
                    <code>{f.field}</code>: <del>{brief(f.before)}</del> → <ins>{brief(f.after)}</ins>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      <p className="muted small">{diff.unchanged} step(s) unchanged.</p>
    </div>
  );
}

export function VersionsPanel({ id, versions }: { id: string; versions: AutomationVersion[] }): React.JSX.Element {
  const transport = useTransport();
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [shown, setShown] = useState<{ from: number; to: number; hunks: DiffHunk[]; steps: StepDiffView } | undefined>();
  const [lines, setLines] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const a = from ?? versions[1]?.version;
  const b = to ?? versions[0]?.version;
  const noteOf = (version: number): string | undefined => versions.find((v) => v.version === version)?.note;
  const show = async (): Promise<void> => {
    if (a === undefined || b === undefined) return;
    try {
      setError(undefined);
      setShown({ from: a, to: b, ...(await transport.call('automations.diff', { id, from: a, to: b })) });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section className="versions" aria-label="Versions">
      <h3>Versions</h3>
      {versions.length === 0 ? (
        <p className="muted small">Not saved from the studio yet; the first save keeps the file as it was as version 1.</p>
      ) : (
        <>
          <ul className="small">
            {versions.map((v) => (
              <li key={v.version}>
                v{v.version} · {formatTime(v.savedAt)} {v.note ? <q>{v.note}</q> : null}
              </li>
            ))}
          </ul>
          {versions.length > 1 && (
            <div className="row tight">
              <label className="inline">
                <span>from</span>
                <select value={a} onChange={(e) => setFrom(Number(e.target.value))}>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline">
                <span>to</span>
                <select value={b} onChange={(e) => setTo(Number(e.target.value))}>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => void show()}>
                Show changes
              </button>
            </div>
          )}
        </>
      )}
      {error && <p className="error">{error}</p>}
      {shown && (
        <>
          <h4>
            v{shown.from} → v{shown.to}
            {noteOf(shown.to) ? (
              <>
                {' '}
                · <q>{noteOf(shown.to)}</q>
              </>
            ) : null}
          </h4>
          <StepChanges diff={shown.steps} />
          <label className="inline small">
            <input type="checkbox" checked={lines} onChange={(e) => setLines(e.target.checked)} /> <span>Show the JSON lines</span>
          </label>
          {lines && (
            <pre className="diff" data-testid="diff" aria-label="Diff">
              {shown.hunks.length === 0
                ? 'no differences'
                : shown.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]).map((line, i) => (
                    <div key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}>
                      {line}
                    </div>
                  ))}
            </pre>
          )}
        </>
      )}
    </section>
  );
}
