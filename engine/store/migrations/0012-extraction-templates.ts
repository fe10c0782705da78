// Layout templates the local reader learned from reviewers' corrections (engine/extract/learn):
// the current version of each, and every version ever stored, so a value read from "template
// X version 3" in a run's audit trail can still be looked up after the template moved on or
// was removed.
import type { Migration } from '../migrate.js';

export const extractionTemplatesMigration: Migration = {
  version: 12,
  name: 'extraction-templates',
  up(db) {
    db.exec(`
      CREATE TABLE extraction_templates (
        id            TEXT NOT NULL PRIMARY KEY,
        version       INTEGER NOT NULL,
        schema_key    TEXT NOT NULL,
        template_json TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX extraction_templates_schema ON extraction_templates (schema_key);

      CREATE TABLE extraction_template_versions (
        id            TEXT NOT NULL,
        version       INTEGER NOT NULL,
        template_json TEXT NOT NULL,
        stored_at     TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;
    `);
  },
};
