// Human review: the review tasks table, and 'paused' as a run status (a run waiting for a
// review keeps its state in its run.paused event and survives any restart).
import type { Migration } from '../migrate.js';

/**
 * SQLite cannot ALTER a CHECK constraint, and rebuilding `runs` would cascade-delete its
 * steps (foreign keys cannot be switched off inside the migration transaction). Widening a
 * CHECK does not change what is on disk, so SQLite's documented procedure applies: edit the
 * table's SQL in sqlite_schema and bump schema_version (ALTER TABLE docs, section 7).
 */
function allowPausedRuns(db: Parameters<Migration['up']>[0]): void {
  const before = "CHECK (status IN ('running', 'passed', 'failed', 'cancelled', 'timed_out', 'interrupted'))";
  const after = "CHECK (status IN ('running', 'passed', 'failed', 'cancelled', 'timed_out', 'interrupted', 'paused'))";
  const sql = db.prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'").pluck().get();
  if (!sql?.includes(before)) throw new Error('runs table does not have the expected status CHECK; cannot add the paused status');
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'runs'").run(sql.replace(before, after));
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
  } finally {
    db.unsafeMode(false);
  }
}

export const reviewTasksMigration: Migration = {
  version: 7,
  name: 'review-tasks',
  up(db) {
    allowPausedRuns(db);
    db.exec(`
      CREATE TABLE review_tasks (
        id            TEXT NOT NULL PRIMARY KEY,
        run_id        TEXT NOT NULL REFERENCES runs (id),
        step_path     TEXT NOT NULL,
        title         TEXT NOT NULL,
        instructions  TEXT,
        assignee      TEXT,
        values_json   TEXT NOT NULL,
        -- per-field confidence, source (page, box, snippet), problems; model output
        details_json  TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('open', 'approved', 'corrected', 'rejected')),
        created_at    TEXT NOT NULL,
        resolved_at   TEXT,
        resolved_by   TEXT,
        decision_json TEXT
      ) STRICT;

      CREATE INDEX review_tasks_open ON review_tasks (status, created_at);
      CREATE INDEX review_tasks_by_run ON review_tasks (run_id);
    `);
  },
};
