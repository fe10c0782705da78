// The server's own signed log (receipts, enrollments, retention anchors, revocations) and device
// revocation. See server/server-log.ts and docs/audit-protocol.md ("The server's log").
// - server_log: one row per entry; body is the canonical JSON the server signed, the other
//   columns only index it (verify reads the body). record_hashes, for a batch receipt, are the
//   batch's record hashes concatenated (their SHA-256 is the signed recordsDigest): they locate
//   a record rewritten after upload to its exact seq.
// - server_log_head: where the next entry goes; locked by each append (the log is one chain).
import type { Migration } from './index.js';

export const serverLog: Migration = {
  version: 4,
  name: 'server-log',
  statements: [
    `CREATE TABLE server_log (
       n              bigint PRIMARY KEY,
       kind           text NOT NULL,
       device_id      text NOT NULL,
       first_seq      bigint,
       last_seq       bigint,
       body           text NOT NULL,
       record_hashes  text,
       hash           text NOT NULL,
       signature      text NOT NULL
     )`,
    `CREATE INDEX server_log_device ON server_log (device_id, n)`,
    `CREATE TABLE server_log_head (
       id    integer PRIMARY KEY CHECK (id = 1),
       n     bigint NOT NULL,
       hash  text NOT NULL
     )`,
    `INSERT INTO server_log_head (id, n, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
    `ALTER TABLE devices ADD COLUMN revoked_at timestamptz, ADD COLUMN revoked_by text, ADD COLUMN revoked_reason text`,
  ],
};
