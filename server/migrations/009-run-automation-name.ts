// The runs list names each run's automation as people know it ("Invoice entry v1.2.0"), not only
// by its id. The name comes from the run.started record's payload (the device signs it with the
// record: engine/events.ts RunStartedEvent.automation.name), so ingest copies it into runs as it
// copies the id and version (batch-prepare.ts runEvent).
// - runs.automation_name: null for a run whose run.started record the server never had (a run
//   that began before the device enrolled, or whose records retention deleted); the console then
//   shows the id alone, as before.
// - Runs stored before this migration take the name from their records still kept, by the rule
//   ingest and verify.ts follow (batch-prepare.ts automationName): the first run.started record
//   of the run whose payload names the automation. Found through audit_records_run (run_id,
//   device_id, seq): one index probe per run.
import type { Migration } from './index.js';

export const runAutomationName: Migration = {
  version: 9,
  name: 'run-automation-name',
  statements: [
    'ALTER TABLE runs ADD COLUMN automation_name text',
    `UPDATE runs SET automation_name = (
       SELECT started.payload #>> '{automation,name}' FROM audit_records AS started
        WHERE started.run_id = runs.run_id AND started.device_id = runs.device_id AND started.type = 'run.started'
          AND jsonb_typeof(started.payload #> '{automation,name}') = 'string' AND started.payload #>> '{automation,name}' <> ''
        ORDER BY started.seq LIMIT 1)`,
  ],
};
