// A batch the audit server refused for good (a 4xx that is not auth, gap or rate limit): kept
// on the outbox's state so rpa sync status, the agent and the studio can say why uploads stopped.
import type { Migration } from '../migrate.js';

export const auditRefusalMigration: Migration = {
  version: 10,
  name: 'audit-refusal',
  up(db) {
    db.exec(`ALTER TABLE audit_state ADD COLUMN refused_json TEXT;`);
  },
};
