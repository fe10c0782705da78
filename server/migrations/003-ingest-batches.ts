// Ingest: the signatures devices put on their batches are kept, and records are no longer
// FK-checked one by one.
// - audit_batches: each accepted batch's seq range and the device's Ed25519 signature over it.
//   Hashes alone show that a chain is intact, not who wrote it: someone with write access to
//   this database could rewrite a record and re-hash everything after it. The device's key
//   never leaves the device, so a stored signature that no longer verifies exposes that.
// - audit_records loses its foreign key to devices: the only writer is ingest, which holds the
//   device row locked (SELECT … FOR UPDATE) in the same transaction, so the check could never
//   fail there, and it cost a trigger call per record (~15% of a batch's write time, measured
//   by bench/audit). Devices are never deleted: records must outlive them anyway.
import type { Migration } from './index.js';

export const ingestBatches: Migration = {
  version: 3,
  name: 'ingest-batches',
  statements: [
    `CREATE TABLE audit_batches (
       device_id   text NOT NULL REFERENCES devices (id),
       first_seq   bigint NOT NULL,
       last_seq    bigint NOT NULL,
       signature   text NOT NULL,
       received_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, first_seq, last_seq)
     )`,
    'ALTER TABLE audit_records DROP CONSTRAINT IF EXISTS audit_records_device_id_fkey',
  ],
};
