// The audit server's receipts, kept by the device: for each batch the server accepted, its signed
// statement of the range and of a digest of the record hashes (audit/receipt.ts). With them and
// the records in the outbox, rpa sync verify proves from this side that the server still holds
// everything it acknowledged. The server's public key is pinned at enrollment (or first receipt);
// incidents (a receipt that did not verify, acknowledged records the server no longer has) are
// kept for good: nobody should learn of them only by luck.
import type { Migration } from '../migrate.js';

export const auditReceiptsMigration: Migration = {
  version: 11,
  name: 'audit-receipts',
  up(db) {
    db.exec(`
      CREATE TABLE audit_receipts (
        n            INTEGER NOT NULL PRIMARY KEY,
        first_seq    INTEGER NOT NULL,
        last_seq     INTEGER NOT NULL,
        receipt_json TEXT NOT NULL,
        received_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_receipts_last_seq ON audit_receipts (last_seq);

      CREATE TABLE audit_server_key (
        id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
        server_url  TEXT NOT NULL,
        public_key  TEXT NOT NULL,
        pinned_at   TEXT NOT NULL
      ) STRICT;

      CREATE TABLE audit_incidents (
        id       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        seq      INTEGER,
        message  TEXT NOT NULL
      ) STRICT;
    `);
  },
};
