// The audit outbox: every run event as a sealed, hash-chained audit record, written in the
// same transaction as the run store, waiting to be uploaded to the audit server.
import type { Migration } from '../migrate.js';

export const auditOutboxMigration: Migration = {
  version: 6,
  name: 'audit-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE audit_outbox (
        seq         INTEGER NOT NULL PRIMARY KEY,
        hash        TEXT NOT NULL,
        record_json TEXT NOT NULL
      ) STRICT;

      -- One row: this device's identity and where its chain and its uploads stand.
      CREATE TABLE audit_state (
        id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        device_id   TEXT NOT NULL,
        last_seq    INTEGER NOT NULL,
        last_hash   TEXT NOT NULL,
        acked_seq   INTEGER NOT NULL DEFAULT 0,
        last_sync_at TEXT,
        last_error  TEXT
      ) STRICT;
    `);
  },
};
