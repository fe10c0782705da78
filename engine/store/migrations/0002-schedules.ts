// Schedules: when to start which automation, and the cursor the scheduler keeps so that
// a restart neither refires a slot nor forgets one. Times are ISO-8601 UTC text like the
// runs table; next_fire_at is NULL for an expression that never fires again.
import type { Migration } from '../migrate.js';

export const schedulesMigration: Migration = {
  version: 2,
  name: 'schedules',
  up(db) {
    db.exec(`
      CREATE TABLE schedules (
        id              TEXT NOT NULL PRIMARY KEY,
        name            TEXT UNIQUE,
        automation_file TEXT NOT NULL,
        inputs_json     TEXT NOT NULL,
        cron            TEXT NOT NULL,
        time_zone       TEXT NOT NULL,
        overlap         TEXT NOT NULL CHECK (overlap IN ('skip', 'queue', 'allow')),
        max_concurrent  INTEGER NOT NULL CHECK (max_concurrent >= 1),
        missed          TEXT NOT NULL CHECK (missed IN ('runOnce', 'skip')),
        max_run_ms      INTEGER CHECK (max_run_ms IS NULL OR max_run_ms > 0),
        paused          INTEGER NOT NULL CHECK (paused IN (0, 1)),
        created_at      TEXT NOT NULL,
        -- The slot (scheduled time, not the clock time) of the last fire.
        last_fired_at   TEXT,
        -- The first slot not yet handled (fired, queued or skipped).
        next_fire_at    TEXT
      ) STRICT;
    `);
  },
};
