// Failure screenshots robots send after their run's records (server/screenshots.ts), when their
// machine policy allows it (failureScreenshots.upload). Each belongs to one artifact record of
// the device's chain, whose sealed payload names the PNG's SHA-256: the bytes are taken only if
// they match it, and are checked against it again whenever they are read, so a picture changed
// in the database afterwards is reported, not shown. Deleting the record (retention) deletes
// its picture.
import type { Migration } from './index.js';

export const runScreenshots: Migration = {
  version: 11,
  name: 'run-screenshots',
  statements: [
    `CREATE TABLE run_screenshots (
       device_id    text NOT NULL,
       record_seq   bigint NOT NULL,
       run_id       text NOT NULL,
       sha256       text NOT NULL,
       bytes        integer NOT NULL,
       png          bytea NOT NULL,
       received_at  timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, record_seq),
       FOREIGN KEY (device_id, record_seq) REFERENCES audit_records (device_id, seq) ON DELETE CASCADE
     )`,
    'CREATE INDEX run_screenshots_run ON run_screenshots (run_id)',
  ],
};
