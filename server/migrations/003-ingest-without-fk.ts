// audit_records no longer checks its device by foreign key. The only writer is ingest, which
// holds the device row locked (SELECT … FOR UPDATE) in the same transaction, so the check could
// never fail there; it cost a trigger call per record (~15% of a batch's write time, measured
// by bench/audit). Devices are never deleted: records must outlive them anyway.
import type { Migration } from './index.js';

export const ingestWithoutFk: Migration = {
  version: 3,
  name: 'ingest-without-fk',
  statements: ['ALTER TABLE audit_records DROP CONSTRAINT IF EXISTS audit_records_device_id_fkey'],
};
