// A receipt for every failure screenshot the server took in (server/screenshots.ts): which
// record's picture arrived, with which SHA-256, when. run_screenshots holds the picture; once a
// picture is removed from there (by hand, a cleanup), its receipt stays, so the console can tell
// "received on …, later removed from the server" from "never received" (still queued on the
// robot). The receipt goes with its record when retention deletes the record. Receipts of the
// pictures stored before this migration are made from them (their received_at).
import type { Migration } from './index.js';

export const screenshotReceipts: Migration = {
  version: 12,
  name: 'screenshot-receipts',
  statements: [
    `CREATE TABLE run_screenshot_receipts (
       device_id    text NOT NULL,
       record_seq   bigint NOT NULL,
       run_id       text NOT NULL,
       sha256       text NOT NULL,
       bytes        integer NOT NULL,
       received_at  timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, record_seq),
       FOREIGN KEY (device_id, record_seq) REFERENCES audit_records (device_id, seq) ON DELETE CASCADE
     )`,
    'CREATE INDEX run_screenshot_receipts_run ON run_screenshot_receipts (run_id)',
    `INSERT INTO run_screenshot_receipts (device_id, record_seq, run_id, sha256, bytes, received_at)
       SELECT device_id, record_seq, run_id, sha256, bytes, received_at FROM run_screenshots
     ON CONFLICT (device_id, record_seq) DO NOTHING`,
  ],
};
