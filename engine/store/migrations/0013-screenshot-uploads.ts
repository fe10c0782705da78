// Failure screenshots waiting to go to the audit server, when the machine policy lets them
// (failureScreenshots.upload). A row is written with the artifact's audit record, in the same
// transaction, and names that record's seq: the server takes the picture only once it has the
// record whose sealed SHA-256 the bytes must match. The file stays where the run wrote it.
// state: pending (sent at the next sync, again after a failed attempt), uploaded, refused (the
// server said no for good: not a PNG, too large, not the bytes the record names), missing (the
// file was deleted before it could be sent).
import type { Migration } from '../migrate.js';

export const screenshotUploadsMigration: Migration = {
  version: 13,
  name: 'screenshot-uploads',
  up(db) {
    db.exec(`
      CREATE TABLE screenshot_uploads (
        record_seq  INTEGER NOT NULL PRIMARY KEY,
        run_id      TEXT NOT NULL,
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploaded', 'refused', 'missing')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        updated_at  TEXT
      ) STRICT;
      CREATE INDEX screenshot_uploads_pending ON screenshot_uploads (record_seq) WHERE state = 'pending';
    `);
  },
};
