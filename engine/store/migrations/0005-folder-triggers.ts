// Files seen by folder triggers, by content hash, so the same content is never
// processed twice (unless forced) and a file left mid-run by a crash is picked up again.
import type { Migration } from '../migrate.js';

export const folderTriggersMigration: Migration = {
  version: 5,
  name: 'folder-triggers',
  up(db) {
    db.exec(`
      CREATE TABLE trigger_files (
        trigger_id   TEXT NOT NULL,
        sha256       TEXT NOT NULL,
        file_name    TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        run_id       TEXT,
        first_seen   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (trigger_id, sha256)
      ) STRICT;
    `);
  },
};
