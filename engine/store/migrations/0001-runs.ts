// The first schema: runs and their projections, plus the raw event stream they were
// projected from. STRICT tables so a projection bug that writes the wrong type fails
// loudly instead of being stored and misread later.
import type { Migration } from '../migrate.js';

export const runsMigration: Migration = {
  version: 1,
  name: 'runs',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id                 TEXT NOT NULL PRIMARY KEY,
        automation_id      TEXT NOT NULL,
        automation_name    TEXT NOT NULL,
        automation_version TEXT NOT NULL,
        automation_file    TEXT,
        automation_sha256  TEXT NOT NULL,
        status             TEXT NOT NULL
          CHECK (status IN ('running', 'passed', 'failed', 'cancelled', 'timed_out', 'interrupted')),
        started_at         TEXT NOT NULL,
        ended_at           TEXT,
        duration_ms        REAL,
        inputs_json        TEXT NOT NULL,
        outputs_json       TEXT,
        vars_json          TEXT,
        error_json         TEXT,
        headless           INTEGER NOT NULL CHECK (headless IN (0, 1)),
        pid                INTEGER NOT NULL,
        host               TEXT NOT NULL,
        total_steps        INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX runs_by_started_at ON runs (started_at DESC);
      CREATE INDEX runs_by_automation ON runs (automation_id, started_at DESC);
      CREATE INDEX runs_by_status ON runs (status, started_at DESC);

      CREATE TABLE steps (
        run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        path         TEXT NOT NULL,
        kind         TEXT NOT NULL,
        label        TEXT NOT NULL,
        attempt      INTEGER NOT NULL CHECK (attempt >= 1),
        top_index    INTEGER NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('running', 'passed', 'failed', 'interrupted')),
        started_at   TEXT NOT NULL,
        ended_at     TEXT,
        duration_ms  REAL,
        locator_json TEXT,
        error_json   TEXT,
        UNIQUE (run_id, path, attempt)
      ) STRICT;

      CREATE TABLE logs (
        run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        ts      TEXT NOT NULL,
        level   TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
        message TEXT NOT NULL,
        path    TEXT,
        PRIMARY KEY (run_id, seq)
      ) STRICT;

      CREATE TABLE artifacts (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        ts     TEXT NOT NULL,
        path   TEXT,
        kind   TEXT NOT NULL CHECK (kind IN ('screenshot', 'html', 'file')),
        file   TEXT NOT NULL,
        bytes  INTEGER NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT;

      -- The raw stream, kept verbatim for the audit outbox. No ON DELETE CASCADE on
      -- purpose: pruning a run must decide explicitly what happens to its audit trail.
      CREATE TABLE run_events (
        run_id TEXT NOT NULL REFERENCES runs (id),
        seq    INTEGER NOT NULL CHECK (seq >= 1),
        type   TEXT NOT NULL,
        ts     TEXT NOT NULL,
        json   TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT;
    `);
  },
};
