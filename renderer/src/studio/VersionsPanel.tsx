// Saved versions of the automation and the line diff between two of them.
import { useState } from 'react';
import type { AutomationVersion, DiffHunk } from '../../../engine/transport/messages.js';
import { errorText, useTransport } from '../api/context.js';
import { formatTime } from '../components.js';

export function VersionsPanel({ id, versions }: { id: string; versions: AutomationVersion[] }): React.JSX.Element {
  const transport = useTransport();
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [hunks, setHunks] = useState<DiffHunk[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const a = from ?? versions[1]?.version;
  const b = to ?? versions[0]?.version;
  const show = async (): Promise<void> => {
    if (a === undefined || b === undefined) return;
    try {
      setHunks((await transport.call('automations.diff', { id, from: a, to: b })).hunks);
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
                v{v.version} · {formatTime(v.savedAt)} {v.note ? `· ${v.note}` : ''}
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
                Show diff
              </button>
            </div>
          )}
        </>
      )}
      {error && <p className="error">{error}</p>}
      {hunks && (
        <pre className="diff" data-testid="diff" aria-label="Diff">
          {hunks.length === 0
            ? 'no differences'
            : hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]).map((line, i) => (
                <div key={i} className={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}>
                  {line}
                </div>
              ))}
        </pre>
      )}
    </section>
  );
}
