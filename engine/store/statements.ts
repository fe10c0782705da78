// Every SQL statement of the run store, prepared once per connection. Kept apart from
// RunStore so the class reads as rules, and the SQL can be reviewed in one place.
import type { RunStatus } from '../events.js';
import type { Database } from './database.js';

export interface RunRow {
  id: string;
  automation_id: string;
  automation_name: string;
  automation_version: string;
  automation_file: string | null;
  automation_sha256: string;
  package_sha256: string | null;
  /** JSON of the package's signer ({ keyId, name?, trustedAs? }), when signed. */
  package_signer: string | null;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  inputs_json: string;
  outputs_json: string | null;
  vars_json: string | null;
  error_json: string | null;
  headless: number;
  pid: number;
  host: string;
  total_steps: number;
  steps_passed: number;
  steps_failed: number;
}

export interface StepRow {
  path: string;
  kind: string;
  label: string;
  attempt: number;
  top_index: number;
  status: 'running' | 'passed' | 'failed' | 'interrupted';
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  locator_json: string | null;
  error_json: string | null;
}

export interface LogRow {
  seq: number;
  ts: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  path: string | null;
}

export interface ArtifactRow {
  seq: number;
  ts: string;
  path: string | null;
  kind: 'screenshot' | 'html' | 'file';
  file: string;
  bytes: number;
}

// A failed attempt that was retried is not a failed step: it only counts when no later
// attempt of the same path exists. Counted on read so retries need no bookkeeping.
const SUMMARY = `
  SELECT r.*,
    (SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'passed') AS steps_passed,
    (SELECT count(*) FROM steps s WHERE s.run_id = r.id AND s.status = 'failed'
       AND NOT EXISTS (SELECT 1 FROM steps n
                       WHERE n.run_id = s.run_id AND n.path = s.path AND n.attempt > s.attempt)
    ) AS steps_failed
  FROM runs r`;

// Ordered on started_at alone so the runs_by_* indexes serve the ORDER BY + LIMIT.
const NEWEST = 'ORDER BY r.started_at DESC LIMIT ?';

export function statements(db: Database) {
  return {
    runStatus: db.prepare<[string], { status: RunStatus }>('SELECT status FROM runs WHERE id = ?'),
    insertRun: db.prepare<
      [
        {
          id: string;
          automation_id: string;
          automation_name: string;
          automation_version: string;
          automation_file: string | null;
          automation_sha256: string;
          package_sha256: string | null;
          package_signer: string | null;
          started_at: string;
          inputs_json: string;
          headless: number;
          pid: number;
          host: string;
          total_steps: number;
        },
      ]
    >(`
      INSERT INTO runs (id, automation_id, automation_name, automation_version, automation_file,
                        automation_sha256, package_sha256, package_signer, status, started_at, inputs_json, headless, pid, host, total_steps)
      VALUES (@id, @automation_id, @automation_name, @automation_version, @automation_file,
              @automation_sha256, @package_sha256, @package_signer, 'running', @started_at, @inputs_json, @headless, @pid, @host, @total_steps)`),
    insertEvent: db.prepare<[string, number, string, string, string]>(
      'INSERT INTO run_events (run_id, seq, type, ts, json) VALUES (?, ?, ?, ?, ?)',
    ),
    insertStep: db.prepare<[string, string, string, string, number, number, string]>(`
      INSERT INTO steps (run_id, path, kind, label, attempt, top_index, status, started_at)
      VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`),
    endStep: db.prepare<
      [
        {
          run_id: string;
          path: string;
          attempt: number;
          status: 'passed' | 'failed';
          ended_at: string;
          duration_ms: number;
          locator_json: string | null;
          error_json: string | null;
        },
      ]
    >(`
      UPDATE steps SET status = @status, ended_at = @ended_at, duration_ms = @duration_ms,
                       locator_json = @locator_json, error_json = @error_json
      WHERE run_id = @run_id AND path = @path AND attempt = @attempt AND status = 'running'`),
    insertLog: db.prepare<[string, number, string, string, string, string | null]>(
      'INSERT INTO logs (run_id, seq, ts, level, message, path) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertArtifact: db.prepare<[string, number, string, string | null, string, string, number]>(
      'INSERT INTO artifacts (run_id, seq, ts, path, kind, file, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    finishRun: db.prepare<
      [
        {
          id: string;
          status: 'passed' | 'failed' | 'cancelled' | 'timed_out' | 'interrupted';
          ended_at: string;
          duration_ms: number;
          outputs_json: string;
          vars_json: string;
          error_json: string | null;
        },
      ]
    >(`
      UPDATE runs SET status = @status, ended_at = @ended_at, duration_ms = @duration_ms,
                      outputs_json = @outputs_json, vars_json = @vars_json, error_json = @error_json
      WHERE id = @id AND status = 'running'`),

    runningRuns: db.prepare<[], { id: string; pid: number; host: string }>(
      "SELECT id, pid, host FROM runs WHERE status = 'running'",
    ),
    // Interrupted by an rpa from before run.finished could say so: no run-ended event yet.
    interruptedUnrecorded: db
      .prepare<[], string>(
        `SELECT id FROM runs r WHERE r.status = 'interrupted'
         AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.run_id = r.id AND e.type = 'run.finished')`,
      )
      .pluck(),
    hasRunEnded: db.prepare<[string], number>("SELECT 1 FROM run_events WHERE run_id = ? AND type = 'run.finished'").pluck(),
    lastEvent: db.prepare<[string], { ts: string; seq: number }>(
      'SELECT ts, seq FROM run_events WHERE run_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    interruptSteps: db.prepare<[string, string]>(
      "UPDATE steps SET status = 'interrupted', ended_at = ? WHERE run_id = ? AND status = 'running'",
    ),

    listAll: db.prepare<[number], RunRow>(`${SUMMARY} ${NEWEST}`),
    listByAutomation: db.prepare<[string, number], RunRow>(`${SUMMARY} WHERE r.automation_id = ? ${NEWEST}`),
    listByStatus: db.prepare<[string, number], RunRow>(`${SUMMARY} WHERE r.status = ? ${NEWEST}`),
    listByAutomationAndStatus: db.prepare<[string, string, number], RunRow>(
      `${SUMMARY} WHERE r.automation_id = ? AND r.status = ? ${NEWEST}`,
    ),
    getRun: db.prepare<[string], RunRow>(`${SUMMARY} WHERE r.id = ?`),
    // rowid order is start order: a step row is inserted by its step.started event.
    steps: db.prepare<[string], StepRow>(`
      SELECT path, kind, label, attempt, top_index, status, started_at, ended_at, duration_ms,
             locator_json, error_json
      FROM steps WHERE run_id = ? ORDER BY rowid`),
    logs: db.prepare<[string], LogRow>('SELECT seq, ts, level, message, path FROM logs WHERE run_id = ? ORDER BY seq'),
    artifacts: db.prepare<[string], ArtifactRow>(
      'SELECT seq, ts, path, kind, file, bytes FROM artifacts WHERE run_id = ? ORDER BY seq',
    ),
    idsWithPrefix: db
      .prepare<[string, string, number], string>('SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT ?')
      .pluck(),
    events: db.prepare<[string], string>('SELECT json FROM run_events WHERE run_id = ? ORDER BY seq').pluck(),
    // Served by run_events' primary key (run_id, seq); a run has few events besides its steps.
    modelCalls: db.prepare<[string], { seq: number; ts: string; json: string }>("SELECT seq, ts, json FROM run_events WHERE run_id = ? AND type = 'model.called' ORDER BY seq"),
    revisions: db.prepare<[string], string>("SELECT json FROM run_events WHERE run_id = ? AND type = 'run.revised' ORDER BY seq").pluck(),
    // A revision changes how many top-level steps the run has (progress displays read it).
    reviseTotalSteps: db.prepare<[number, string]>('UPDATE runs SET total_steps = ? WHERE id = ?'),
  };
}
