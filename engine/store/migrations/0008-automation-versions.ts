// Saved versions of automation files: every save from the studio keeps the document it
// wrote, so a builder can look back and diff any two versions. Keyed by the file's
// absolute path; version numbers count up from 1 per file.
import type { Migration } from '../migrate.js';

export const automationVersionsMigration: Migration = {
  version: 8,
  name: 'automation-versions',
  up(db) {
    db.exec(`
      CREATE TABLE automation_versions (
        file      TEXT NOT NULL,
        version   INTEGER NOT NULL CHECK (version >= 1),
        saved_at  TEXT NOT NULL,
        sha256    TEXT NOT NULL,
        content   TEXT NOT NULL,
        note      TEXT,
        PRIMARY KEY (file, version)
      ) STRICT;
    `);
  },
};
